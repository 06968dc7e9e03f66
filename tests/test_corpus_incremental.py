"""The corpus stage reuses cached per-document records and still writes what a cold build writes.

Results come from the real documents of ``corpus/`` (txt and docx) and copies of
them whose numbers, dates and citations were changed, extracted once per module.
An incremental build after changing, adding and removing a document must give
byte for byte the files of a cold build over the same results.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.corpus import build_corpus_outputs
from pipeline.corpus_cache import CACHE_NAME, RecordCache
from pipeline.io import write_json
from pipeline.process import process_file

REPO = Path(__file__).resolve().parents[1]
TXT = REPO / "corpus" / "txt"
DOCX = REPO / "corpus" / "docx"

# (new file, original, replacements): the same genre with other numbers and dates
VARIANTS = [
    ("txt/v_002.txt", TXT / "002_66fc0c121fd6263f.txt", [("02-NQ/TW", "05-NQ/TW"),
                                                        ("ngày 12 tháng 6 năm 2021", "ngày 15 tháng 3 năm 2022")]),
    ("txt/v_000.txt", TXT / "000_87603f58eecd4578.txt", [("02-NQ/TW", "05-NQ/TW"), ("12/6/2021", "15/3/2022")]),
    ("txt/v_003.txt", TXT / "003_1daefe2fb569c266.txt", [("20-NQ/TW", "21-NQ/TW"), ("79-KL/TW", "80-KL/TW")]),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict[str, Any]]:
    """source → per-document result, for the five txt documents, two docx and the variants."""
    inputs = tmp_path_factory.mktemp("inputs")
    files = {f"txt/{p.name}": p for p in sorted(TXT.glob("*.txt"))}
    files.update({f"docx/{p.name}": p for p in sorted(DOCX.glob("*.docx"))[:2]})
    for source, original, replacements in VARIANTS:
        text = original.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, (original.name, old)
            text = text.replace(old, new)
        path = inputs / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files[source] = path
    out = {}
    for source, path in files.items():
        result = process_file(path, source)
        result.pop("timings", None)
        assert not result.get("error"), (source, result.get("error"))
        out[source] = result
    return out


def write_results(output_dir: Path, results: dict[str, dict[str, Any]]) -> None:
    for source, result in results.items():
        write_json(output_dir / "documents" / f"{source}.json", result)


def corpus_files(output_dir: Path) -> dict[str, Any]:
    """Every corpus-stage file: bytes, the workbook's parts (zip entries carry the
    time they were written), the summary without what describes the run."""
    files: dict[str, Any] = {}
    for path in sorted(output_dir.rglob("*")):
        rel = path.relative_to(output_dir).as_posix()
        if not path.is_file() or rel.startswith(("documents/", ".cache/")):
            continue
        if rel == "corpus.json":
            summary = json.loads(path.read_text(encoding="utf-8"))
            for run_specific in ("seconds", "records", "up_to_date"):
                summary.pop(run_specific, None)
            files[rel] = summary
        elif rel.endswith(".xlsx"):
            with zipfile.ZipFile(path) as zf:
                files[rel] = {name: zf.read(name) for name in zf.namelist()}
        else:
            files[rel] = path.read_bytes()
    return files


def test_incremental_build_writes_what_a_cold_build_writes(results, tmp_path):
    first = {s: r for s, r in results.items() if s != "txt/v_003.txt"}
    incremental = tmp_path / "incremental"
    write_results(incremental, first)
    summary = build_corpus_outputs(incremental)
    assert summary["records"] == {"reused": 0, "read": len(first), "removed": 0}

    # change one document (another number, so the graph changes), add one, remove one
    changed = json.loads(json.dumps(results["txt/v_002.txt"]))
    changed["document"]["number"] = "06-NQ/TW"
    final = dict(first)
    final["txt/v_002.txt"] = changed
    final["txt/v_003.txt"] = results["txt/v_003.txt"]
    del final["docx/" + sorted(DOCX.glob("*.docx"))[1].name]
    write_json(incremental / "documents" / "txt/v_002.txt.json", changed)
    write_json(incremental / "documents" / "txt/v_003.txt.json", results["txt/v_003.txt"])
    (incremental / "documents" / "docx" / f"{sorted(DOCX.glob('*.docx'))[1].name}.json").unlink()
    summary = build_corpus_outputs(incremental)
    assert summary["records"] == {"reused": len(final) - 2, "read": 2, "removed": 1}
    assert summary["matches"]["06-NQ/TW"]["sources"] == ["txt/v_002.txt"]

    cold = tmp_path / "cold"
    write_results(cold, final)
    build_corpus_outputs(cold)
    inc_files, cold_files = corpus_files(incremental), corpus_files(cold)
    assert sorted(inc_files) == sorted(cold_files)
    for name in cold_files:
        assert inc_files[name] == cold_files[name], name


def test_unchanged_bytes_are_not_read_again(results, tmp_path):
    write_results(tmp_path, results)
    build_corpus_outputs(tmp_path)
    path = tmp_path / "documents" / "txt" / "v_000.txt.json"
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # a new file, a new time, the same bytes
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    summary = build_corpus_outputs(tmp_path)
    assert summary["records"] == {"reused": len(results), "read": 0, "removed": 0}


def test_a_changed_pipeline_invalidates_every_record(results, tmp_path):
    two = dict(list(results.items())[:2])
    write_results(tmp_path, two)
    with RecordCache(tmp_path, version="one") as cache:
        list(cache.records())
        assert cache.stats.read == 2
    with RecordCache(tmp_path, version="one") as cache:
        list(cache.records())
        assert (cache.stats.read, cache.stats.reused) == (0, 2)
    with RecordCache(tmp_path, version="two") as cache:  # another fingerprint: nothing is reused
        list(cache.records())
        assert (cache.stats.read, cache.stats.reused) == (2, 0)


def test_the_version_follows_the_pipeline_fingerprint(results, tmp_path, monkeypatch):
    import pipeline.corpus_cache as corpus_cache

    before = corpus_cache.records_version()
    monkeypatch.setattr(corpus_cache, "pipeline_fingerprint", lambda: "0.0.0+000000000000")
    assert corpus_cache.records_version() != before


def test_a_damaged_cache_is_rebuilt(results, tmp_path):
    one = dict(list(results.items())[:1])
    write_results(tmp_path, one)
    build_corpus_outputs(tmp_path)
    cache_file = tmp_path / ".cache" / CACHE_NAME
    cache_file.write_bytes(b"not a database" * 100)
    summary = build_corpus_outputs(tmp_path)
    assert summary["records"]["read"] == 1
    with sqlite3.connect(cache_file) as db:
        assert db.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_failed_results_are_cached_without_rows(results, tmp_path):
    write_results(tmp_path, dict(list(results.items())[:1]))
    failed = {"source": "txt/broken.txt", "error": "UnicodeDecodeError: not UTF-8", "error_kind": "encoding"}
    write_json(tmp_path / "documents" / "txt" / "broken.txt.json", failed)
    first = build_corpus_outputs(tmp_path)
    second = build_corpus_outputs(tmp_path)
    assert first["skipped_with_error"] == second["skipped_with_error"] == ["txt/broken.txt"]
    assert second["records"] == {"reused": 2, "read": 0, "removed": 0}
    shutil.rmtree(tmp_path / "documents")
    assert build_corpus_outputs(tmp_path)["records"] == {"reused": 0, "read": 0, "removed": 2}


def test_a_cache_of_an_older_layout_is_replaced(results, tmp_path):
    """A cache written by an older version (records without a citations column) is
    dropped and made again, and the citations come back from the new records."""
    two = dict(list(results.items())[:2])
    write_results(tmp_path, two)
    path = tmp_path / ".cache" / CACHE_NAME
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE records (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                                  digest TEXT NOT NULL, result TEXT NOT NULL, rows TEXT NOT NULL);
            INSERT INTO meta VALUES ('version', 'older');
        """)
    with RecordCache(tmp_path) as cache:
        records = [result for result, _ in cache.records()]
    assert len(records) == 2 and all(r["citations"] for r in records)
    with RecordCache(tmp_path) as cache:  # and the new records are reused, citations included
        again = [result for result, _ in cache.records()]
        assert (cache.stats.read, cache.stats.reused) == (0, 2)
    assert again == records
