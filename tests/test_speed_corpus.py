"""The corpus stage with its citations on disk (pipeline.mention_store) writes what
the plain build, with every record in memory, writes.

The graph built by :func:`pipeline.corpus.build_corpus_outputs` keeps only each
mention's place in a temporary file and reads the sentence, section and text back
as each file is written; :func:`pipeline.graph.build_corpus` on plain results
holds them. Both must give the same graph files and citation rows, on the
generated fixture (dated and undated mentions, split keys, metadata matches,
stated edges) and on results of the real documents of ``corpus/``.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.corpus import build_corpus_outputs
from pipeline.exports import GRAPH_FILES, citation_rows, graph_files
from pipeline.graph import StoredMentions, build_corpus, edge_attributes
from pipeline.graph_html import render
from pipeline.io import write_json
from pipeline.mention_store import MentionStore, StoredCitations, pack, unpack
from pipeline.process import process_file
from tests.test_exports import rich_results

REPO = Path(__file__).resolve().parents[1]


def store_citations(result: dict[str, Any], store: MentionStore) -> dict[str, Any]:
    """``result`` with its citations in ``store``, as the corpus stage holds it."""
    if result.get("citations"):
        result["citations"] = StoredCitations(store, store.put(result["citations"]))
    return result


@pytest.fixture(scope="module")
def real_results() -> list[dict[str, Any]]:
    results = []
    for path in sorted((REPO / "corpus" / "txt").glob("*.txt")):
        result = process_file(path, f"txt/{path.name}")
        result.pop("timings", None)
        results.append(result)
    return results


def _graph_outputs(results: list[dict[str, Any]], stored: bool) -> tuple[dict[str, bytes], str, list[dict]]:
    results = copy.deepcopy(results)
    with MentionStore() as store:
        if stored:
            results = [store_citations(r, store) for r in results]
        corpus = build_corpus(results)
        return graph_files(corpus.graph), render(corpus.graph), citation_rows(corpus)


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_stored_mentions_give_the_files_of_the_plain_build(which, real_results):
    results = rich_results() if which == "fixture" else real_results
    plain_files, plain_page, plain_rows = _graph_outputs(results, stored=False)
    stored_files, stored_page, stored_rows = _graph_outputs(results, stored=True)
    assert sorted(stored_files) == sorted(GRAPH_FILES)
    for name in GRAPH_FILES:
        assert stored_files[name] == plain_files[name], name
    assert stored_page == plain_page
    assert stored_rows == plain_rows
    assert any(row["sentence"] for row in plain_rows)  # the rows read their sentences back from disk


def test_a_stored_edge_holds_places_not_sentences(real_results):
    with MentionStore() as store:
        results = [store_citations(r, store) for r in copy.deepcopy(real_results)]
        assert any(isinstance(r.get("citations"), StoredCitations) for r in results)
        g = build_corpus(results).graph
        lazy = [attrs for _, _, attrs in g.edges(data=True) if isinstance(attrs.get("mention_list"), StoredMentions)]
        assert lazy, "no edge kept its mentions on disk"
        full = edge_attributes(lazy[0])
        assert list(full) == list(lazy[0])  # same attributes in the same order
        assert len(full["mention_list"]) == full["mentions"] == len(full["sentences"])
        assert all(isinstance(m["sentence"], str) for m in full["mention_list"])


def test_the_store_reads_back_what_it_was_given():
    with MentionStore() as store:
        blobs = [store.put([{"key": f"{i}-NQ/TW", "occurrences": [{"sentence": "câu " * i}, {}]}]) for i in range(200)]
        for i in (0, 199, 5, 150, 5):  # beyond the parsed blobs it keeps, and back
            assert store.get(blobs[i]) == [{"key": f"{i}-NQ/TW", "occurrences": [{"sentence": "câu " * i}, {}]}]
        record, mentions = store.occurrence(pack(blobs[7], 0, 0))
        assert record == {"sentence": "câu " * 7} and mentions is None
        assert unpack(pack(3, 2, 1)) == (3, 2, 1)


def test_the_corpus_stage_writes_the_plain_build_files(tmp_path):
    """End to end: build_corpus_outputs (stored mentions) against graph_files of the plain build."""
    results = rich_results()
    for r in results:
        write_json(tmp_path / "documents" / f"{r['source']}.json", r)
    build_corpus_outputs(tmp_path)
    plain = graph_files(build_corpus(rich_results()).graph)
    for name in GRAPH_FILES:
        assert (tmp_path / name).read_bytes() == plain[name], name
    nodes = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert any(e.get("mention_list") for e in nodes["edges"])
