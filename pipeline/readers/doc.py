"""Reader for Word 97-2003 ``.doc`` files (OLE2 compound files), through a converter.

The binary Word format is read by an external program, the first installed of
``models/converters.yaml``:

- LibreOffice (``soffice --headless --convert-to docx``) into a temporary
  directory, then the .docx reader: Word's automatic numbering, tables and
  footnotes survive. Each worker process keeps its own LibreOffice profile
  (parallel instances sharing one profile block each other);
- antiword (``antiword -m UTF-8.txt -w 0``): one paragraph per line and tables
  as ``|`` rows, written through :class:`~pipeline.readers.flow.FlowWriter`
  (header, signature and data tables as in a .docx); Word's automatic list
  numbers and bold are lost, typed numbers are kept.

Both run as subprocesses with a time limit (the whole process group is killed on
timeout). A password-protected .doc (the ``fEncrypted`` flag of the Word file's
header) is reported as encrypted without running anything; with no converter
installed the error names the Debian packages to install.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import signal
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..builder import DocumentBuilder
from ..document import Document, Style
from ..vocab import load
from . import ReadError, register_reader
from .flow import FlowItem, FlowParagraph, FlowTable, FlowWriter
from .sniff import ole_entries, ole_stream_head

_WORD_IDENTS = {0xA5EC: "Word 97-2003", 0xA5DC: "Word 6/95"}
_F_ENCRYPTED = 0x0100
_F_OBFUSCATED = 0x8000
_LEGACY = "legacy Word 97-2003 (.doc) file"


@dataclass(frozen=True)
class Converter:
    name: str
    program: str
    debian: str
    timeout_s: float

    def path(self) -> Optional[str]:
        return shutil.which(self.program)


@functools.lru_cache(maxsize=1)
def converters() -> tuple[Converter, ...]:
    return tuple(
        Converter(c["name"], c["program"], c["debian"], float(c["timeout_s"])) for c in load("converters")["doc"]
    )


def available_converter() -> Optional[Converter]:
    return next((c for c in converters() if c.path()), None)


# --- the Word file header ----------------------------------------------------------


def word_header_problem(path: Path) -> Optional[str]:
    """Why the Word stream cannot be converted (encrypted), from its FIB; None if fine."""
    entry = next((e for e in ole_entries(path) if e.name == "WordDocument"), None)
    if entry is None:
        return None
    head = ole_stream_head(path, entry, 16)
    if len(head) < 12:
        return None
    ident, flags = struct.unpack_from("<H", head, 0)[0], struct.unpack_from("<H", head, 10)[0]
    if ident in _WORD_IDENTS and flags & _F_ENCRYPTED:
        kind = "obfuscated" if flags & _F_OBFUSCATED else "encrypted"
        return f"password-protected ({kind}) {_WORD_IDENTS[ident]} .doc: remove the password in Word and save again"
    return None


# --- running a converter ------------------------------------------------------------------


def _run(command: list[str], timeout: float, cwd: Optional[str] = None,
         env: Optional[dict[str, str]] = None) -> subprocess.CompletedProcess:
    """Run ``command``; on timeout kill its whole process group (soffice forks)."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ReadError(f"{_LEGACY}: {command[0]} did not finish in {timeout:.0f} s (a damaged file?)",
                        kind="timeout") from None
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def _stderr(result: subprocess.CompletedProcess) -> str:
    text = result.stderr.decode("utf-8", errors="replace").strip()
    return " ".join(text.split())[:300] or f"exit status {result.returncode}"


def antiword_flow(text: str) -> list[FlowItem]:
    """antiword's text (``-w 0``: one paragraph per line, tables as ``|a|b|`` rows) as a flow."""
    items: list[FlowItem] = []
    rows: list[list[list[FlowParagraph]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if any(cells):
                rows.append([[_paragraph(c)] if c else [] for c in cells])
            continue
        if rows:
            items.append(FlowTable(rows))
            rows = []
        if stripped:
            items.append(_paragraph(stripped))
    if rows:
        items.append(FlowTable(rows))
    return items


def _paragraph(text: str) -> FlowParagraph:
    cased = text.lower() != text
    return FlowParagraph(text, Style(upper=text.upper() == text if cased else None))


def _with_antiword(path: Path, source: str, program: str, timeout: float) -> Document:
    result = _run([program, "-m", "UTF-8.txt", "-w", "0", "--", str(path)], timeout)
    message = _stderr(result)
    if result.returncode != 0 or not result.stdout.strip():
        if "encrypt" in message.lower():
            raise ReadError(f"password-protected (encrypted) .doc: {message}", kind="encrypted")
        raise ReadError(f"{_LEGACY} that antiword cannot read: {message}", kind="corrupt")
    builder = DocumentBuilder(source, "doc")
    writer = FlowWriter(builder)
    writer.write(antiword_flow(result.stdout.decode("utf-8", errors="replace")))
    if not builder.blocks:
        raise ReadError(f"{source}: no text in the .doc file", kind="no_text")
    builder.meta.update({"converter": "antiword", "tables": writer.tables})
    return builder.build()


_PROFILES: dict[int, str] = {}


def _profile_dir() -> str:
    """This process's LibreOffice profile (created on first use, removed at exit)."""
    pid = os.getpid()
    if pid not in _PROFILES:
        _PROFILES[pid] = tempfile.mkdtemp(prefix="vnres-lo-profile-")
        atexit.register(shutil.rmtree, _PROFILES[pid], True)
    return _PROFILES[pid]


def _with_libreoffice(path: Path, source: str, program: str, timeout: float) -> Document:
    from .docx import read_docx

    profile = Path(_profile_dir()).as_uri()
    with tempfile.TemporaryDirectory(prefix="vnres-doc-") as tmp:
        work = Path(tmp)
        copy = work / "input.doc"  # a plain name: nothing in the file name can become an option
        shutil.copyfile(path, copy)
        env = {**os.environ, "HOME": os.environ.get("HOME") or tmp}
        result = _run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
                       "--nolockcheck", "--nodefault", "--convert-to", "docx:MS Word 2007 XML",
                       "--outdir", str(work / "out"), str(copy)], timeout, cwd=tmp, env=env)
        converted = work / "out" / "input.docx"
        if not converted.exists() or converted.stat().st_size == 0:
            raise ReadError(f"{_LEGACY} that LibreOffice cannot convert: {_stderr(result)}", kind="corrupt")
        document = read_docx(converted, source)
    document.format = "doc"
    document.meta["converter"] = "libreoffice"
    return document


_BACKENDS = {"antiword": _with_antiword, "libreoffice": _with_libreoffice}


@register_reader(".doc")
def read_doc(path: Path, source: str) -> Document:
    problem = word_header_problem(path)
    if problem:
        raise ReadError(problem, kind="encrypted")
    converter = available_converter()
    if converter is None:
        packages = " or ".join(c.debian for c in converters())
        raise ReadError(
            f"{_LEGACY}: reading it needs antiword or LibreOffice, and neither is installed "
            f"(Debian packages: {packages}; or save the file as .docx)",
            kind="converter_missing",
        )
    return _BACKENDS[converter.name](path, source, converter.path() or converter.program, converter.timeout_s)
