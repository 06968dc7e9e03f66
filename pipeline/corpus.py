"""Corpus stage: after every document is extracted, the graph and the tables.

:func:`build_corpus_outputs` reads every ``OUTPUT/documents/**/*.json`` (skipping
files whose extraction failed), builds the reference graph
(:mod:`pipeline.graph`) and writes, atomically, into ``OUTPUT``:

- ``graph.graphml``, ``graph.gexf``, ``graph.json``, ``nodes.csv``, ``edges.csv``;
- ``graph.html`` (interactive, offline);
- ``tables/<table>.csv`` and ``tables/<table>.parquet`` for documents, sections,
  citations, named_citations, targets, deadlines, responsibilities, and
  ``tables.xlsx`` with a sheet each;
- ``corpus.json``: counts of what was built.

Per-document results are read one at a time and slimmed (text and blocks
dropped, :func:`pipeline.graph.slim_result`; the rows of the per-rendition
tables spilled to temporary files, :class:`pipeline.exports.RowSpill`; the
citations, with their sentences, to another, :mod:`pipeline.mention_store`:
the graph keeps of each mention only its key, date, kind, issuer and node, and
its edges only where their mentions are, read back as each file is written).
The tables are written a slice of rows at a time (:class:`pipeline.exports.TableSource`)
and the graph files an edge at a time, so memory grows slowly with the corpus. The
slim record and rows of each result are cached (:mod:`pipeline.corpus_cache`):
a re-run reads only the results that changed (``records`` in the summary says
how many were reused and read). When a run changed nothing and every corpus
file is newer than every per-document JSON, nothing is rebuilt.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import time
from pathlib import Path
from typing import Any, Optional

import networkx as nx

from .exports import TABLES, RowSpill, write_graph_files, write_tables
from .corpus_cache import RecordCache
from .graph import build_corpus, clear_caches, describe
from .graph_html import write_graph_html
from .io import write_json
from .mention_store import MentionStore

SUMMARY_NAME = "corpus.json"


def build_corpus_outputs(output_dir: Path, changed: bool = True) -> dict[str, Any]:
    """Build the graph and every corpus-level file from ``OUTPUT/documents``.

    ``changed=False`` (the run processed and removed no document) returns the
    previous summary, marked ``up_to_date``, if the outputs are current.
    """
    output_dir = Path(output_dir)
    t0 = time.perf_counter()
    if not changed:
        previous = up_to_date_summary(output_dir)
        if previous is not None:
            previous.update(up_to_date=True, seconds=round(time.perf_counter() - t0, 3))
            return previous
    with RowSpill() as spill, RecordCache(output_dir) as cache, MentionStore() as store:
        # each result's slim record and table rows: from the cache unless its file
        # changed; the rows and the citations go to disk at once
        results = [spill.add_lines(result, lines) for result, lines in cache.records(store)]
        records = cache.stats.to_dict()
        failed = sorted(r.get("source", "?") for r in results if r.get("error"))
        n_results = len(results)
        corpus = build_corpus(results)
        del results
        release_memory()
        # graph files first: then the graph (its mention lists) goes before the tables are made
        graph = corpus.graph
        files = write_graph_files(graph, output_dir)
        release_memory()
        write_graph_html(graph, output_dir / "graph.html")
        description = describe(graph)
        corpus.graph = numbers_only(graph)
        del graph
        release_memory()
        rows = write_tables(corpus, output_dir, spill)
    matches = {
        d.node: {"sources": d.sources, "match_method": d.match_method, "match_confidence": d.match_confidence}
        for d in corpus.docs
    }
    n_docs = len(corpus.docs)
    del corpus
    release_memory()
    summary = {
        "results": n_results,
        "skipped_with_error": failed,
        "documents": n_docs,
        "graph": description,
        "matches": matches,
        "tables": rows,
        "records": records,
        "files": files + [f"tables/{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")]
        + ["tables.xlsx", "graph.html"],
        "seconds": round(time.perf_counter() - t0, 3),
    }
    write_json(output_dir / SUMMARY_NAME, summary)
    return summary


def numbers_only(g: nx.DiGraph) -> nx.DiGraph:
    """The graph's nodes with only their number: what the tables read of it."""
    light = nx.DiGraph()
    light.add_nodes_from((v, {"number": attrs.get("number")}) for v, attrs in g.nodes(data=True))
    return light


def _load_libc() -> Optional[ctypes.CDLL]:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _load_libc()


def release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system between phases.

    Each phase (graph, tables, graph files, page) frees what it built, but glibc
    keeps freed arenas mapped, so without ``malloc_trim`` the phases' peaks add up
    instead of each starting from what is still alive. Elsewhere than glibc this
    only collects garbage.
    """
    clear_caches()
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def up_to_date_summary(output_dir: Path) -> Optional[dict[str, Any]]:
    """The previous corpus summary if every file it lists exists and is newer than
    every per-document JSON (and than the documents directory, which a removal
    touches); else None."""
    summary_path = output_dir / SUMMARY_NAME
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        outputs = [summary_path] + [output_dir / name for name in summary["files"]]
        oldest_output = min(p.stat().st_mtime for p in outputs)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    docs_dir = output_dir / "documents"
    inputs = [docs_dir, *docs_dir.rglob("*")] if docs_dir.is_dir() else []
    newest_input = max((p.stat().st_mtime for p in inputs), default=0.0)
    return summary if oldest_output > newest_input else None
