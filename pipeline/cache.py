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
the input directory) to ``{"hash", "version", "output", "error"}``. It is small
(one short record per file) and written atomically, also during a run, so an
interrupted run keeps what it finished.
"""

from __future__ import annotations

import functools
import hashlib
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
        "pipeline/engines.py",
        "pipeline/evaluate.py",
        "pipeline/exports.py",
        "pipeline/graph.py",
        "pipeline/graph_html.py",
        "pipeline/progress.py",
        "pipeline/runner.py",
    }
)
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
_CHUNK = 1 << 20


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks (memory stays flat)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
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

    def to_dict(self) -> dict[str, Any]:
        return {"hash": self.hash, "version": self.version, "output": self.output, "error": self.error}


@dataclass
class Manifest:
    """``source → Entry`` for one output directory."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, output_dir: Path) -> "Manifest":
        path = output_dir / ".cache" / MANIFEST_NAME
        manifest = cls(path)
        if not path.exists():
            return manifest
        try:
            data = read_json(path)
        except (OSError, ValueError):
            return manifest  # a corrupt manifest only costs a full re-run
        if data.get("format") != MANIFEST_FORMAT:
            return manifest
        for source, record in data.get("entries", {}).items():
            manifest.entries[source] = Entry(
                record["hash"], record["version"], record["output"], record.get("error")
            )
        return manifest

    def save(self) -> None:
        entries = {source: self.entries[source].to_dict() for source in sorted(self.entries)}
        write_json(self.path, {"format": MANIFEST_FORMAT, "entries": entries}, indent=None)

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

    def forget(self, source: str) -> None:
        self.entries.pop(source, None)

    def stale_sources(self, present: Iterable[str]) -> list[str]:
        """Sources in the manifest that are no longer in the input directory."""
        keep = set(present)
        return sorted(s for s in self.entries if s not in keep)


def remove_output(output_dir: Path, entry: Entry) -> None:
    """Delete a removed file's result JSON and any directories left empty."""
    path = output_dir / entry.output
    path.unlink(missing_ok=True)
    documents = output_dir / "documents"
    parent = path.parent
    while parent != documents and documents in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
