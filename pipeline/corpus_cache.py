"""Per-document records of the corpus stage, kept between runs.

From each per-document JSON the corpus stage needs only a small part: the slim
result (identity, citations with their mentions; :func:`pipeline.graph.slim_result`)
and the rows of the per-rendition tables (:func:`pipeline.exports.split_rendition_rows`).
Reading and parsing the whole JSON (text and blocks are most of it) is what a
re-run with a few changed documents would spend its time on, so the records
are cached in ``OUTPUT/.cache/corpus-records.sqlite``:

* the citations (most of a record: every mention with its sentence) are kept as
  their JSON text and handed unparsed to the corpus stage's
  :class:`pipeline.mention_store.MentionStore`, which parses a document's
  citations only when the graph or a file reads them;
* a record is keyed by the result file's path and the SHA-256 of its bytes. The
  file's size and modification time (ns) are kept too: when they are unchanged
  the bytes are not read again; when they changed the bytes are hashed, and a
  file rewritten with the same bytes keeps its record;
* the whole cache is tied to :func:`records_version` — the pipeline
  fingerprint (what made the results) and the source of the modules that make
  the records: when either changes, every record is dropped and made again;
* records of result files that no longer exist are deleted.

A damaged cache file is deleted and rebuilt: it only ever costs a cold read.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from . import PIPELINE_VERSION
from .cache import pipeline_fingerprint
from .exports import split_rendition_rows
from .graph import slim_result
from .mention_store import MentionStore, StoredCitations

CACHE_NAME = "corpus-records.sqlite"
# The modules whose code shapes a record besides the per-document pipeline.
RECORD_MODULES = ("corpus_cache.py", "exports.py", "graph.py")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    path TEXT PRIMARY KEY,      -- result file, relative to OUTPUT/documents
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL,       -- SHA-256 of the file's bytes
    result TEXT NOT NULL,       -- the slim result without its citations, JSON
    citations TEXT NOT NULL,    -- its citations, JSON ("" when it has none)
    rows TEXT NOT NULL          -- {table: JSON lines}, JSON
);
"""


def records_version() -> str:
    """What every record depends on besides its file's bytes."""
    digest = hashlib.sha256(f"{PIPELINE_VERSION}\0{pipeline_fingerprint()}\0".encode("utf-8"))
    here = Path(__file__).resolve().parent
    for name in RECORD_MODULES:
        digest.update(name.encode("utf-8") + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def make_record(data: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """The slim result and the table rows of one per-document JSON."""
    return split_rendition_rows(slim_result(json.loads(data)))


@dataclass
class CacheStats:
    reused: int = 0  # records taken from the cache
    read: int = 0  # result files read and parsed
    removed: int = 0  # records of files that are gone

    def to_dict(self) -> dict[str, int]:
        return {"reused": self.reused, "read": self.read, "removed": self.removed}


class RecordCache:
    """The records of one output directory (see the module docstring)."""

    def __init__(self, output_dir: Path, version: Optional[str] = None) -> None:
        self.output_dir = Path(output_dir)
        self.docs_dir = self.output_dir / "documents"
        self.path = self.output_dir / ".cache" / CACHE_NAME
        self.version = version or records_version()
        self.stats = CacheStats()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._prepare(sqlite3.connect(self.path))
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)  # not a database (truncated, overwritten): start again
            return self._prepare(sqlite3.connect(self.path))

    def _prepare(self, db: sqlite3.Connection) -> sqlite3.Connection:
        db.executescript(_SCHEMA)
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != self.version:
            db.execute("DROP TABLE records")  # its columns may be another version's
            db.executescript(_SCHEMA)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
            db.commit()
        return db

    def records(self, store: Optional[MentionStore] = None) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
        """``(slim result, {table: JSON lines})`` of every result file under
        ``OUTPUT/documents``, in path order, one at a time. With ``store``, each
        result's citations go into it as they are (their JSON text) and the result
        holds a :class:`pipeline.mention_store.StoredCitations`."""
        known = {path: (size, mtime, digest) for path, size, mtime, digest
                 in self._db.execute("SELECT path, size, mtime_ns, digest FROM records")}
        seen: set[str] = set()
        paths = sorted(self.docs_dir.rglob("*.json")) if self.docs_dir.is_dir() else []
        for path in paths:
            rel = path.relative_to(self.docs_dir).as_posix()
            seen.add(rel)
            result, lines, citations = self._record(path, rel, known.get(rel))
            if citations:
                if store is None:
                    result["citations"] = json.loads(citations)
                else:
                    result["citations"] = StoredCitations(store, store.put_text(citations))
            yield result, lines
        gone = [rel for rel in known if rel not in seen]
        self._db.executemany("DELETE FROM records WHERE path = ?", [(rel,) for rel in gone])
        self.stats.removed = len(gone)
        self._db.commit()

    def _record(self, path: Path, rel: str,
                known: Optional[tuple[int, int, str]]) -> tuple[dict[str, Any], dict[str, str], str]:
        st = path.stat()
        if known is not None and known[:2] == (st.st_size, st.st_mtime_ns):
            cached = self._load(rel)
            if cached is not None:
                return cached
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if known is not None and known[2] == digest:  # rewritten with the same bytes
            cached = self._load(rel)
            if cached is not None:
                self._db.execute("UPDATE records SET size = ?, mtime_ns = ? WHERE path = ?",
                                 (st.st_size, st.st_mtime_ns, rel))
                return cached
        result, lines = make_record(data)
        del data
        cits = result.pop("citations", None)
        citations = json.dumps(cits, ensure_ascii=False, separators=(",", ":")) if cits else ""
        self._db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rel, st.st_size, st.st_mtime_ns, digest,
             json.dumps(result, ensure_ascii=False, separators=(",", ":")), citations,
             json.dumps(lines, ensure_ascii=False, separators=(",", ":"))),
        )
        self.stats.read += 1
        return result, lines, citations

    def _load(self, rel: str) -> Optional[tuple[dict[str, Any], dict[str, str], str]]:
        row = self._db.execute("SELECT result, rows, citations FROM records WHERE path = ?", (rel,)).fetchone()
        if row is None:
            return None
        self.stats.reused += 1
        return json.loads(row[0]), json.loads(row[1]), row[2]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "RecordCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def clear(output_dir: Path) -> None:
    """Delete the cache of ``output_dir`` (the next corpus stage reads every result)."""
    (Path(output_dir) / ".cache" / CACHE_NAME).unlink(missing_ok=True)


__all__ = ["RecordCache", "records_version", "make_record", "clear", "CACHE_NAME"]
