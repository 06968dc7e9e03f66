"""Acceptance: bad, old and hostile files run through ``make extract`` in one batch.

The good documents (copies of ``corpus/``) are extracted twice by the command
``make extract`` runs: alone (GOOD), and mixed with every file of
:func:`tests.badfiles.build_bad_corpus` (ALL). The batch must not crash; every
bad file gets exactly one row in ``errors.csv`` with the expected kind, a
message and a remedy; every old or disguised file is read; a byte-identical
copy is listed in ``duplicates.csv``; and every good document's JSON is the
same in both runs — a bad neighbour changes nothing.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import regex
import yaml

from tests.badfiles import (
    REPO,
    TEST_TXT_LIMIT_MB,
    BadFile,
    Outcome,
    build_bad_corpus,
    build_good_corpus,
)

pytestmark = pytest.mark.slow

DOCUMENT_TIMEOUT = 120  # seconds per document: a one-page OCR takes a few, a hung parser is stopped
RUN_TIMEOUT = 1200  # seconds for one whole batch, so a hang fails the test instead of blocking CI
ERROR_COLUMNS = ["file", "stage", "error_kind", "message", "remedy"]
DUPLICATE_COLUMNS = ["file", "same_as", "sha256"]
MIN_BAD_FILES = 30
MIN_WORD_RECALL = 0.8  # share of a source document's words a rendition of it must give back
_WORD = regex.compile(r"\p{L}{2,}")
# Signs of a message written for a programmer: a Python object's repr, a bare exception name, a traceback.
_UNHELPFUL = regex.compile(r"object at 0x[0-9a-f]+|^\w+(Error|Exception):?\s*$|Traceback")


@dataclass
class Run:
    input: Path
    output: Path
    returncode: int
    stderr: str


@dataclass
class Batch:
    good: Run
    all: Run
    good_rels: list[str]
    bad: list[BadFile]
    errors: list[dict[str, str]]
    duplicates: list[dict[str, str]]


def lowered_models(target: Path) -> Path:
    """A copy of ``models/`` whose .txt size limit is low enough for a test file."""
    shutil.copytree(REPO / "models", target)
    limits_path = target / "limits.yaml"
    if limits_path.exists():
        limits = yaml.safe_load(limits_path.read_text(encoding="utf-8"))
        limits["max_file_mb"][".txt"] = TEST_TXT_LIMIT_MB
        limits_path.write_text(yaml.safe_dump(limits, allow_unicode=True), encoding="utf-8")
    return target


def extract(input_dir: Path, output_dir: Path, env: dict[str, str]) -> Run:
    """``python -m pipeline extract`` as ``make extract`` runs it, in its own process group."""
    cmd = [sys.executable, "-m", "pipeline", "extract", str(input_dir), str(output_dir),
           "--quiet", "--timeout", str(DOCUMENT_TIMEOUT), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
        pytest.fail(f"extract of {input_dir.name} did not finish in {RUN_TIMEOUT} s (a hang); "
                    f"stderr:\n{stderr[-3000:]}")
    return Run(input_dir, output_dir, proc.returncode, stderr)


def read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    assert path.is_file(), f"{path.name} was not written"
    with open(path, newline="", encoding="utf-8-sig") as fh:  # a BOM (for Excel) or none
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns, f"{path.name} columns {reader.fieldnames}, expected {columns}"
        return list(reader)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    base = tmp_path_factory.mktemp("bad_corpus")
    good_dir, all_dir = base / "GOOD", base / "ALL"
    good_rels = build_good_corpus(good_dir)
    build_good_corpus(all_dir)
    bad = build_bad_corpus(all_dir)
    env = {**os.environ, "VNRES_MODELS_DIR": str(lowered_models(base / "models"))}
    good = extract(good_dir, base / "OUT_GOOD", env)
    everything = extract(all_dir, base / "OUT_ALL", env)
    errors_path, duplicates_path = everything.output / "errors.csv", everything.output / "duplicates.csv"
    errors = read_csv(errors_path, ERROR_COLUMNS) if errors_path.exists() else []
    duplicates = read_csv(duplicates_path, DUPLICATE_COLUMNS) if duplicates_path.exists() else []
    return Batch(good, everything, good_rels, bad, errors, duplicates)


def result(run: Run, rel: str) -> dict[str, Any] | None:
    path = run.output / "documents" / f"{rel}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def comparable(text: str) -> str:
    """Text up to case and the punctuation 8-bit fonts lack (see ``badfiles._ASCII_PUNCT``)."""
    from tests.badfiles import _ASCII_PUNCT

    text = text.casefold()
    for char, ascii_form in _ASCII_PUNCT.items():
        text = text.replace(char, ascii_form)
    return text


def outline(doc: dict[str, Any]) -> list[tuple[Any, str]]:
    """The section tree as (number, title) pairs, up to case and punctuation."""
    return [(s.get("number"), comparable(s.get("title") or "")) for s in doc["sections"]]


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def word_recall(origin: Path, text: str) -> float:
    """Share of the distinct words of ``origin`` (a corpus .txt) that ``text`` contains."""
    expected = words(origin.read_text(encoding="utf-8-sig"))
    return len(expected & words(text)) / len(expected)


class ErrorRows:
    """errors.csv rows by file. A name that is not valid UTF-8 may be written in
    any readable form, so such a file (alone in its directory) is matched by directory."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows

    def __contains__(self, rel: str) -> bool:
        return bool(self.get(rel))

    def get(self, rel: str, default: Any = None) -> list[dict[str, str]]:
        exact = [r for r in self.rows if r["file"] == rel]
        if exact or rel.isprintable():  # an undecodable byte is a lone surrogate, not printable
            return exact
        folder = rel.rsplit("/", 1)[0] + "/"
        return [r for r in self.rows if r["file"].startswith(folder)]


def rows_by_file(batch: Batch) -> ErrorRows:
    return ErrorRows(batch.errors)


def message_problems(rel: str, row: dict[str, str]) -> list[str]:
    """What makes an errors.csv row useless to a researcher."""
    problems = []
    if not row["message"].strip() or not row["remedy"].strip():
        problems.append(f"{rel}: empty message or remedy: {row}")
    if _UNHELPFUL.search(row["message"]):
        problems.append(f"{rel}: message for a programmer, not a researcher: {row['message'][:200]!r}")
    return problems


def test_the_corpus_is_large_and_varied(batch: Batch) -> None:
    failing = [f for f in batch.bad if f.outcome is Outcome.FAILS]
    assert len(batch.bad) >= MIN_BAD_FILES + 10
    assert len(failing) >= MIN_BAD_FILES
    assert len({f.rel for f in batch.bad}) == len(batch.bad)
    assert len({k for f in failing for k in f.kinds}) >= 12  # many different ways to fail


def test_the_batch_finishes_without_a_crash(batch: Batch) -> None:
    assert batch.good.returncode == 0, batch.good.stderr[-3000:]
    assert "Traceback" not in batch.good.stderr, batch.good.stderr[-3000:]
    good_errors = batch.good.output / "errors.csv"
    if good_errors.exists():
        assert read_csv(good_errors, ERROR_COLUMNS) == [], "the good documents alone have errors"
    assert batch.all.returncode == 1, (f"exit code {batch.all.returncode}, expected 1 (some failed)\n"
                                       f"{batch.all.stderr[-3000:]}")
    assert "Traceback" not in batch.all.stderr, batch.all.stderr[-3000:]


def test_every_bad_file_has_one_useful_error_row(batch: Batch) -> None:
    from pipeline.errors import kinds

    known = set(kinds())
    assert (batch.all.output / "errors.csv").is_file(), "errors.csv was not written"
    rows = rows_by_file(batch)
    failing = [f for f in batch.bad if f.outcome is Outcome.FAILS]
    problems = []
    for f in failing:
        found = rows.get(f.rel, [])
        if len(found) != 1:
            doc = result(batch.all, f.rel)
            seen = "no result" if doc is None else f"result: {doc.get('error_kind')}: {str(doc.get('error'))[:160]}"
            problems.append(f"{f.rel} ({f.description}): {len(found)} rows in errors.csv, expected 1; {seen}")
            continue
        row = found[0]
        if row["error_kind"] not in f.kinds:
            problems.append(f"{f.rel} ({f.description}): kind {row['error_kind']!r}, expected one of "
                            f"{sorted(f.kinds)}; message: {row['message'][:200]!r}")
        if row["error_kind"] not in known or not row["stage"]:
            problems.append(f"{f.rel}: unknown kind {row['error_kind']!r} or no stage {row['stage']!r}")
        problems += message_problems(f.rel, row)
    assert not problems, (f"{len(problems)} of {len(failing)} bad files not reported as expected:\n"
                          + "\n".join(problems))
    assert len(batch.errors) >= len(failing), f"errors.csv has {len(batch.errors)} rows for {len(failing)} bad files"


def test_no_error_row_for_a_file_that_must_not_fail(batch: Batch) -> None:
    rows = rows_by_file(batch)
    may_fail = [f.rel for f in batch.bad if f.outcome in (Outcome.FAILS, Outcome.READS_OR_FAILS)]
    expected = [id(r) for rel in may_fail for r in rows.get(rel, [])]
    unexpected = [f"{r['file']}: {r['error_kind']}: {r['message'][:200]}" for r in batch.errors
                  if id(r) not in expected]
    assert not unexpected, "errors.csv rows for good, old or disguised files:\n" + "\n".join(unexpected)


def test_read_or_failed_files_have_a_known_outcome(batch: Batch) -> None:
    rows = rows_by_file(batch)
    problems = []
    for f in (f for f in batch.bad if f.outcome is Outcome.READS_OR_FAILS):
        found = rows.get(f.rel, [])
        doc = result(batch.all, f.rel)
        if found:
            if len(found) > 1 or found[0]["error_kind"] not in f.kinds:
                problems.append(f"{f.rel}: {[(r['error_kind'], r['message'][:120]) for r in found]}")
            problems += message_problems(f.rel, found[0])
        elif doc is None or doc.get("error") or not doc.get("text"):
            problems.append(f"{f.rel}: neither an error row nor a result with text")
        elif f.origin and word_recall(f.origin, doc["text"]) < MIN_WORD_RECALL:
            problems.append(f"{f.rel}: read with only {word_recall(f.origin, doc['text']):.0%} of the words")
    assert not problems, "\n".join(problems)


def test_old_and_disguised_files_are_read(batch: Batch) -> None:
    readable = [f for f in batch.bad if f.outcome is Outcome.READS]
    assert len(readable) >= 10
    problems = []
    for f in readable:
        doc = result(batch.all, f.rel)
        if doc is None:
            problems.append(f"{f.rel} ({f.description}): no result")
            continue
        if doc.get("error"):
            problems.append(f"{f.rel} ({f.description}): {doc.get('error_kind')}: {doc['error'][:200]}")
            continue
        if not doc.get("text", "").strip() or len(doc.get("sections", [])) < f.min_sections:
            problems.append(f"{f.rel}: {len(doc.get('text', ''))} characters, {len(doc.get('sections', []))} sections")
            continue
        good = result(batch.good, f"txt/{f.origin.name}") if f.origin is not None else None
        if f.same_text and (good is None or comparable(doc["text"]) != comparable(good["text"])):
            problems.append(f"{f.rel}: text differs from txt/{f.origin.name}'s: {doc['text'][:160]!r}")
            continue
        if f.same_sections and (good is None or outline(doc) != outline(good)):
            problems.append(f"{f.rel}: {len(doc['sections'])} sections, txt/{f.origin.name} has "
                            f"{len(good['sections']) if good else '?'}; first: {outline(doc)[:3]}")
            continue
        if f.origin is not None:
            recall = word_recall(f.origin, doc["text"])
            if recall < MIN_WORD_RECALL:
                sample = doc["text"][:160].replace("\n", " ")
                problems.append(f"{f.rel}: only {recall:.0%} of the words of {f.origin.name} came out: {sample!r}")
    assert not problems, f"{len(problems)} of {len(readable)} readable files:\n" + "\n".join(problems)


def test_a_byte_identical_copy_is_listed_as_duplicate(batch: Batch) -> None:
    copies = [f for f in batch.bad if f.outcome is Outcome.DUPLICATE]
    assert copies
    pairs = {frozenset((d["file"], d["same_as"])) for d in batch.duplicates}
    for f in copies:
        assert frozenset((f.rel, f.same_as)) in pairs, f"{f.rel} is not listed with {f.same_as}: {batch.duplicates}"
    for d in batch.duplicates:
        assert regex.fullmatch(r"[0-9a-f]{64}", d["sha256"]), d


def test_a_directory_named_like_a_file_is_not_a_document(batch: Batch) -> None:
    rows = rows_by_file(batch)
    for f in (f for f in batch.bad if f.outcome is Outcome.IGNORED):
        assert f.rel not in rows
        assert result(batch.all, f.rel) is None


def test_good_results_are_identical_with_and_without_bad_neighbours(batch: Batch) -> None:
    assert len(batch.good_rels) >= 8
    different = []
    for rel in batch.good_rels:
        alone, mixed = result(batch.good, rel), result(batch.all, rel)
        assert alone is not None and not alone.get("error"), f"{rel} failed on its own: {alone and alone.get('error')}"
        if mixed != alone:
            keys = sorted(k for k in set(alone) | set(mixed or {}) if (mixed or {}).get(k) != alone.get(k))
            different.append(f"{rel}: differs in {keys}")
    assert not different, "\n".join(different)


def test_corpus_outputs_exist_and_parse(batch: Batch) -> None:
    out = batch.all.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["failed"], "summary.json lists no failure"
    for name in ("corpus.json", "graph.json"):
        json.loads((out / name).read_text(encoding="utf-8"))
    for name in ("graph.graphml", "graph.gexf"):
        ElementTree.parse(out / name)
    for name in ("nodes.csv", "edges.csv"):
        with open(out / name, newline="", encoding="utf-8-sig") as fh:
            assert next(csv.reader(fh))
    with open(out / "tables" / "documents.csv", newline="", encoding="utf-8-sig") as fh:
        sources = {row.get("source") for row in csv.DictReader(fh)}
    missing = [rel for rel in batch.good_rels if rel not in sources]
    assert not missing, f"good documents missing from tables/documents.csv: {missing}"


def test_an_encrypted_pdf_does_not_make_the_next_bad_pdf_encrypted(tmp_path: Path) -> None:
    """pdfium keeps its last error per process: a worker that has just met an
    encrypted PDF must not call the next unloadable PDF encrypted too."""
    from pipeline.process import process_file
    from tests.badfiles import pdf_encrypted, pdf_without_pages

    (tmp_path / "locked.pdf").write_bytes(pdf_encrypted())
    (tmp_path / "no_pages.pdf").write_bytes(pdf_without_pages())
    assert process_file(tmp_path / "locked.pdf")["error_kind"] == "encrypted"
    after = process_file(tmp_path / "no_pages.pdf")
    assert after["error_kind"] in ("empty", "no_text", "corrupt"), after["error"]
    assert "password" not in after["error"]
