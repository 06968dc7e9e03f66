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
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .exports import write_exports
from .graph import build_corpus, describe, load_results
from .graph_html import write_graph_html
from .io import write_json


def build_corpus_outputs(output_dir: Path) -> dict[str, Any]:
    """Build the graph and every corpus-level file from ``OUTPUT/documents``."""
    output_dir = Path(output_dir)
    t0 = time.perf_counter()
    results = load_results(output_dir)
    failed = sorted(r.get("source", "?") for r in results if r.get("error"))
    corpus = build_corpus(results)
    written = write_exports(corpus, output_dir)
    write_graph_html(corpus.graph, output_dir / "graph.html")
    summary = {
        "results": len(results),
        "skipped_with_error": failed,
        "documents": len(corpus.docs),
        "graph": describe(corpus.graph),
        "matches": {
            d.node: {"sources": d.sources, "match_method": d.match_method, "match_confidence": d.match_confidence}
            for d in corpus.docs
        },
        "tables": written["rows"],
        "files": written["files"] + ["graph.html"],
        "seconds": round(time.perf_counter() - t0, 3),
    }
    write_json(output_dir / "corpus.json", summary)
    return summary
