"""Incremental runs: which documents need processing again.

A per-document result depends on two things only: the bytes of the file and the
code and vocabulary that read and extract it. The cache key is therefore

* the SHA-256 of the file's bytes (not its name or mtime: a renamed or touched
  file whose bytes did not change is not processed again), and
* the *pipeline fingerprint*: ``PIPELINE_VERSION`` plus a hash of the source of
  every module that shapes a per-document result (``pipeline/``, ``extractors/``)
  and of ``models/*.yaml``. Editing an extractor or a vocabulary file therefore
  invalidates every result; editing the runner, the engines or the corpus-level
  exports does not (:data:`RUN_ONLY_MODULES`), since they do not change what
  ``process_file`` returns.

The manifest ``OUTPUT/.cache/manifest.json`` maps each source (path relative to
the input directory) to ``{"hash", "version", "output", "error", "error_kind",
"stage"}`` (the error fields let ``errors.csv`` list a cached failure without
reading its JSON). It is small (one short record per file) and written
atomically at checkpoints; between them every change is appended to
``OUTPUT/.cache/journal.jsonl`` (one line per finished document, replayed by
:meth:`Manifest.load`), so even a SIGKILLed run keeps every document it finished.

The rest of the output directory's bookkeeping is here too: the digest of the
manifest the last completed corpus build saw (a run that finds nothing to do
still rebuilds the corpus outputs when an interrupted run left them behind the
documents), the sweep of result JSONs no input file owns any more, and the
removal of temporary files a killed run left.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import PIPELINE_VERSION
from .io import read_json, write_json

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT_DIRS = ("pipeline", "extractors")
MODELS_GLOB = "models/*.yaml"
# Modules of the pipeline package that never change a per-document result:
# batch machinery and corpus-level outputs (rebuilt on every run anyway).
RUN_ONLY_MODULES = frozenset(
    {
        "pipeline/__main__.py",
        "pipeline/bench.py",
        "pipeline/benchcorpus.py",
        "pipeline/cache.py",
        "pipeline/cli.py",
        "pipeline/corpus.py",
        "pipeline/corpus_cache.py",
        "pipeline/discovery.py",
        "pipeline/engines.py",
        "pipeline/error_report.py",
        "pipeline/evaluate.py",
        "pipeline/exports.py",
        "pipeline/graph.py",
        "pipeline/graph_html.py",
        "pipeline/mention_store.py",
        "pipeline/progress.py",
        "pipeline/runner.py",
    }
)
MANIFEST_NAME = "manifest.json"
JOURNAL_NAME = "journal.jsonl"
MANIFEST_FORMAT = 1
CORPUS_STATE_NAME = "corpus_state.json"
_CHUNK = 1 << 20
# pipeline.io writes through ``tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")``:
# a dot, the target's name, a dot, eight random characters, ".tmp".
_TEMP_FILE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class NotRegularFile(OSError):
    """A pipe, socket or device where a document was expected."""


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks (memory stays flat).

    Opened without blocking and checked to be a regular file before reading, so
    a FIFO that replaced a document never hangs the run (:class:`NotRegularFile`).
    """
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"not a regular file: {path}")
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint_files(root: Path = PACKAGE_ROOT) -> list[Path]:
    """The files whose content defines the pipeline fingerprint, in a fixed order."""
    files: list[Path] = []
    for directory in FINGERPRINT_DIRS:
        for path in (root / directory).rglob("*.py"):
            rel = path.relative_to(root).as_posix()
            if rel not in RUN_ONLY_MODULES and "__pycache__" not in path.parts:
                files.append(path)
    files.extend(root.glob(MODELS_GLOB))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def compute_fingerprint(root: Path = PACKAGE_ROOT, version: str = PIPELINE_VERSION) -> str:
    """``"<version>+<12 hex digits>"`` over the names and bytes of :func:`fingerprint_files`."""
    digest = hashlib.sha256()
    for path in fingerprint_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:12]}"


@functools.lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """The fingerprint of the code running now (computed once per process)."""
    return compute_fingerprint()


@dataclass
class Entry:
    """What the manifest knows about one source file."""

    hash: str
    version: str
    output: str  # path of the result JSON, relative to the output directory
    error: str | None = None
    error_kind: str | None = None  # None for a success, and in manifests older than the field
    stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"hash": self.hash, "version": self.version, "output": self.output, "error": self.error,
                "error_kind": self.error_kind, "stage": self.stage}


@dataclass
class Manifest:
    """``source → Entry`` for one output directory."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(JOURNAL_NAME)

    @classmethod
    def load(cls, output_dir: Path) -> "Manifest":
        path = output_dir / ".cache" / MANIFEST_NAME
        manifest = cls(path)
        if path.exists():
            try:
                data = read_json(path)
                if data.get("format") != MANIFEST_FORMAT:
                    return manifest
                for source, record in data.get("entries", {}).items():
                    manifest.entries[source] = _entry(record)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                manifest.entries.clear()
                return manifest  # a corrupt manifest only costs a full re-run
        if manifest._replay():
            manifest.save()  # a fresh journal: a cut last line must not swallow the next one
        return manifest

    def _replay(self) -> bool:
        """Apply the changes journaled after the last save (a killed run's last line may
        be cut); False when there is no journal."""
        try:
            with open(self.journal_path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read().splitlines()
        except OSError:
            return False
        for line in lines:
            try:
                change = json.loads(line)
                source, record = change["source"], change["entry"]
                if record is None:
                    self.entries.pop(source, None)
                else:
                    self.entries[source] = _entry(record)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
        return True

    def _journal(self, source: str, entry: Entry | None) -> None:
        line = json.dumps({"source": source, "entry": entry.to_dict() if entry else None}, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.journal_path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def save(self) -> None:
        """Write the whole manifest atomically, then empty the journal it now contains."""
        entries = {source: self.entries[source].to_dict() for source in sorted(self.entries)}
        write_json(self.path, {"format": MANIFEST_FORMAT, "entries": entries}, indent=False)
        self.journal_path.unlink(missing_ok=True)

    def is_fresh(self, source: str, content_hash: str, version: str, output_dir: Path) -> bool:
        """True when ``source`` has a result for these bytes and this code on disk."""
        entry = self.entries.get(source)
        return (
            entry is not None
            and entry.hash == content_hash
            and entry.version == version
            and (output_dir / entry.output).exists()
        )

    def record(self, source: str, entry: Entry) -> None:
        self.entries[source] = entry
        self._journal(source, entry)

    def forget(self, source: str) -> None:
        if self.entries.pop(source, None) is not None:
            self._journal(source, None)

    def stale_sources(self, present: Iterable[str]) -> list[str]:
        """Sources in the manifest that are no longer in the input directory."""
        keep = set(present)
        return sorted(s for s in self.entries if s not in keep)

    def digest(self) -> str:
        """SHA-256 of every entry: equal digests mean the same results on disk."""
        entries = {source: self.entries[source].to_dict() for source in sorted(self.entries)}
        return hashlib.sha256(json.dumps(entries, sort_keys=True).encode("utf-8")).hexdigest()


def _entry(record: dict[str, Any]) -> Entry:
    return Entry(record["hash"], record["version"], record["output"], record.get("error"),
                 record.get("error_kind"), record.get("stage"))


def corpus_digest(output_dir: Path) -> str | None:
    """The manifest digest recorded by the last completed corpus build (None if none)."""
    try:
        return read_json(output_dir / ".cache" / CORPUS_STATE_NAME).get("manifest_digest")
    except (OSError, ValueError, AttributeError):
        return None


def record_corpus_digest(output_dir: Path, digest: str) -> None:
    write_json(output_dir / ".cache" / CORPUS_STATE_NAME, {"manifest_digest": digest}, indent=False)


def remove_output(output_dir: Path, entry: Entry) -> None:
    """Delete a removed file's result JSON and any directories left empty."""
    remove_result(output_dir, output_dir / entry.output)


def remove_result(output_dir: Path, path: Path) -> None:
    """Delete one result JSON under ``OUTPUT/documents`` and the directories it leaves empty."""
    path.unlink(missing_ok=True)
    documents = output_dir / "documents"
    parent = path.parent
    while parent != documents and documents in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def orphan_results(output_dir: Path, expected: set[str]) -> list[Path]:
    """Result JSONs under ``OUTPUT/documents`` that no current input owns.

    ``expected`` holds output paths relative to ``output_dir``. Orphans come from a
    run killed before it saved its manifest, or a timed-out file (never in the
    manifest) removed since: left alone, the corpus tables would count them.
    """
    documents = output_dir / "documents"
    if not documents.is_dir():
        return []
    found: list[Path] = []
    for directory, _, names in os.walk(documents):
        for name in names:
            path = Path(directory) / name
            if name.endswith(".json") and not name.startswith(".") \
                    and path.relative_to(output_dir).as_posix() not in expected:
                found.append(path)
    return sorted(found)


def remove_temp_files(output_dir: Path) -> int:
    """Delete the temporary files a killed run left (the target files are intact)."""
    removed = 0
    for directory, _, names in os.walk(output_dir):
        for name in names:
            if _TEMP_FILE.match(name):
                try:
                    os.unlink(os.path.join(directory, name))
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed
