"""The Dask engine gives the same outputs as the local process pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.runner import run

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

pytest.importorskip("distributed")


def tree(out: Path) -> dict[str, str]:
    docs = out / "documents"
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.json"))}


@pytest.mark.slow
def test_dask_local_cluster_equals_local_runner(tmp_path):
    src = tmp_path / "in"
    files = sorted((CORPUS / "txt").glob("*.txt")) + sorted((CORPUS / "docx").glob("*.docx"))[:2]
    for path in files:
        dest = src / path.parent.name / path.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)

    local = run(src, tmp_path / "local", workers=2, quiet=True, corpus_outputs=False)
    dask = run(src, tmp_path / "dask", engine="dask", workers=2, quiet=True, corpus_outputs=False)

    assert dask["engine"] == "dask" and dask["documents"] == local["documents"] == 7
    assert (dask["done"], len(dask["failed"])) == (local["done"], len(local["failed"]))
    a, b = tree(tmp_path / "local"), tree(tmp_path / "dask")
    assert sorted(a) == sorted(b) and len(a) == 7
    for name in a:  # documents/*.json hold no run-specific field: byte-identical
        assert a[name] == b[name], name
    records = [json.loads(line) for line in (tmp_path / "dask" / "timings.jsonl").read_text().splitlines()]
    assert sorted(r["source"] for r in records) == sorted(a_name[:-5] for a_name in a)

    # The Dask run's manifest makes the next (local) run incremental too.
    again = run(src, tmp_path / "dask", workers=2, quiet=True, corpus_outputs=False)
    assert again["skipped"] == 7 - sum(f["error"].startswith(("timeout", "worker")) for f in dask["failed"])
