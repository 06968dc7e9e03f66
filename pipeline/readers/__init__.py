"""Readers: one module per file format, each producing a :class:`Document`.

A reader is a function ``read(path: Path, source: str) -> Document`` registered
for one or more file suffixes with :func:`register_reader`. Adding a format means
one new module here and one line in ``_READER_MODULES``.

The suffix decides which files are inputs; the content decides how they are
read (:mod:`.sniff`): a PDF named .docx is read as a PDF, a web page or RTF named
.doc as what it is, with a warning on the document that the extension lies.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from .. import safety
from ..document import Document
from ..errors import ReadError

Reader = Callable[[Path, str], Document]

_READERS: dict[str, Reader] = {}
# Imported lazily so that reading a .txt file does not import pdf libraries.
_READER_MODULES = {
    ".txt": "pipeline.readers.text",
    ".md": "pipeline.readers.text",
    ".docx": "pipeline.readers.docx",
    ".pdf": "pipeline.readers.pdf",
    ".doc": "pipeline.readers.doc",
    ".rtf": "pipeline.readers.rtf",
    ".html": "pipeline.readers.html",
    ".htm": "pipeline.readers.html",
    ".mht": "pipeline.readers.html",
    ".mhtml": "pipeline.readers.html",
}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            _READERS[s.lower()] = fn
        return fn

    return deco


def supported_suffixes() -> list[str]:
    return sorted(_READER_MODULES)


def get_reader(path: Path) -> Reader:
    suffix = path.suffix.lower()
    if suffix not in _READER_MODULES:
        raise ReadError(f"unsupported file type {suffix!r} (supported: {', '.join(supported_suffixes())})",
                        kind="unsupported_format")
    return _reader_of_suffix(suffix)


def _reader_of_suffix(suffix: str) -> Reader:
    if suffix not in _READERS:
        importlib.import_module(_READER_MODULES[suffix])
    return _READERS[suffix]


def read_document(path: str | Path, source: str | None = None) -> Document:
    """Read any supported file into a :class:`Document`."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"no such file: {path}", kind="missing")
    if path.stat().st_size == 0:
        raise ReadError("empty file (0 bytes)", kind="empty")
    safety.check_size(path)  # stat only: a huge file is refused before anything reads it
    get_reader(path)  # an unknown suffix is refused before the content is looked at
    reader_suffix, warning = _reader_for_content(path)
    document = _reader_of_suffix(reader_suffix)(path, source or path.name)
    if warning:
        document.warnings.append(warning)
    return document


def _reader_for_content(path: Path) -> tuple[str, str | None]:
    """The reader for what the file really is (see :mod:`.sniff`), and a warning
    when the extension says something else; :class:`ReadError` when the content
    is no format a reader exists for."""
    from .sniff import KIND_NAMES, KIND_OF_SUFFIX, sniff

    suffix = path.suffix.lower()
    claimed = KIND_OF_SUFFIX.get(suffix)
    if claimed is None:  # a format the sniffer has no signature for: its suffix decides
        return suffix, None
    found = sniff(path)
    promised = KIND_NAMES[claimed]
    if found.kind == claimed:
        return suffix, None  # .md stays .md
    if claimed == "mht" and found.kind == "html":
        return ".html", None  # a "web archive" saved as plain HTML
    if claimed == "html" and found.kind == "text":
        return suffix, None  # an HTML fragment without <html> (lxml reads plain text too)
    if claimed == "text" and found.kind == "xml":
        return suffix, None  # XML is text
    if found.kind in ("zip_damaged", "docx_damaged") and claimed == "docx":
        return suffix, None  # the .docx reader says what is wrong with the package
    if found.kind == "encrypted_ooxml":
        from .docx import _ole_reason

        reason = _ole_reason(path)
        if not reason.startswith("password"):
            reason = "password-protected (encrypted) Office document: remove the password in Word and save again"
        raise ReadError(reason, kind="encrypted")
    if found.reader_suffix is not None and not (found.kind == "text" and claimed != "text"):
        what = found.description + (' (Word "Save as Web Page")' if found.word_html else "")
        return found.reader_suffix, f"extension {suffix} but the content is {what}"
    if found.kind == "text":
        # A text file named .docx/.pdf/.doc is more often a placeholder or an error
        # page than the document: refused, with the remedy of renaming it.
        package = " is not a ZIP package but" if claimed == "docx" else ""
        raise ReadError(f"not {promised}: the file{package} is plain text; if it is the document, rename it to .txt",
                        kind="wrong_extension")
    if found.kind in ("zip_damaged", "docx_damaged"):
        raise ReadError(f"not {promised}: the content is {found.description}", kind="corrupt")
    if found.kind == "binary" and claimed == "text":
        raise ReadError(f"{found.description}, not a text file", kind="binary")
    if found.description.startswith("unrecognised binary data"):
        # No known signature at all where a .docx/.pdf should start: a damaged file.
        raise ReadError(f"not {promised}: {found.description}", kind="corrupt")
    if found.kind == "zip" and claimed == "docx":
        raise ReadError(f"not a .docx: the content is {found.description}, with no Word document parts",
                        kind="unsupported_format")
    raise ReadError(f"{found.description}, not {promised}: no reader exists for it", kind="unsupported_format")
