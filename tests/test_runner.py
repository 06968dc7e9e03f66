"""The batch runner: parallel workers, time limits, crashes, incremental runs, outputs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from pipeline import runner
from pipeline.cli import main as cli_main
from pipeline.runner import UsageError, failure_reason, run

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


# Module-level so the worker processes can import them by name.
def fake_process(path: str, source: str) -> dict:
    """Stands in for process_file; a file's name says how it misbehaves."""
    name = os.path.basename(path)
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("raise"):
        raise ValueError("malformed")
    text = Path(path).read_text(encoding="utf-8")
    return {"source": source, "format": "txt", "error": None, "text": text, "pages": None,
            "timings": {"read": 0.001, "sections": 0.0, "extract": 0.002}}


def make_input(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Nội dung của {name}\n", encoding="utf-8")
    return root


def processed(out: Path) -> list[str]:
    lines = (out / "timings.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(json.loads(line)["source"] for line in lines)


def doc_json(out: Path, source: str) -> dict:
    return json.loads((out / "documents" / f"{source}.json").read_text(encoding="utf-8"))


def test_hung_and_crashing_documents_are_reported_and_the_batch_completes(tmp_path):
    good = [f"a/ok{i}.txt" for i in range(5)]
    bad = ["hang.txt", "exit.txt", "segv.txt", "raise.txt"]
    src = make_input(tmp_path / "in", good + bad)
    out = tmp_path / "out"
    summary = run(src, out, workers=2, timeout=2, quiet=True, func=fake_process, corpus_outputs=False)

    assert summary["done"] == 5
    errors = {f["source"]: f["error"] for f in summary["failed"]}
    assert set(errors) == set(bad)
    assert errors["hang.txt"].startswith("timeout")
    assert errors["exit.txt"] == "worker crashed: exit code 3"
    assert errors["segv.txt"] == "worker crashed: killed by SIGSEGV"
    assert errors["raise.txt"].startswith("ValueError: malformed")
    assert summary["failed_by_reason"] == {"ValueError": 1, "crash": 2, "timeout": 1}
    # Every document has its JSON, failures included; timings are not in it.
    for source in good + bad:
        result = doc_json(out, source)
        assert result["source"] == source
        assert "timings" not in result
    assert doc_json(out, "segv.txt")["error"] == errors["segv.txt"]
    assert processed(out) == sorted(good + bad)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["done"] == 5


def test_rerun_skips_unchanged_reruns_changed_and_added_deletes_removed(tmp_path, monkeypatch):
    src = make_input(tmp_path / "in", ["x/one.txt", "x/two.txt", "three.txt", "exit.txt"])
    out = tmp_path / "out"
    kwargs = dict(workers=2, timeout=5, quiet=True, func=fake_process, corpus_outputs=False)
    first = run(src, out, **kwargs)
    assert first["done"] == 3 and first["skipped"] == 0

    second = run(src, out, **kwargs)
    # Only the crash is tried again: it depends on the machine, not on the file.
    assert (second["done"], second["skipped"]) == (0, 3)
    assert processed(out) == ["exit.txt"]

    (src / "x/two.txt").write_text("Nội dung mới\n", encoding="utf-8")
    (src / "four.txt").write_text("Văn bản thêm\n", encoding="utf-8")
    (src / "x/one.txt").unlink()
    third = run(src, out, **kwargs)
    assert processed(out) == ["exit.txt", "four.txt", "x/two.txt"]
    assert third["removed"] == ["x/one.txt"]
    assert not (out / "documents/x/one.txt.json").exists()
    assert doc_json(out, "x/two.txt")["text"] == "Nội dung mới\n"
    manifest = json.loads((out / ".cache/manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["entries"]) == ["four.txt", "three.txt", "x/two.txt"]

    # Touching a file without changing its bytes is not a change.
    os.utime(src / "three.txt", (1, 1))
    run(src, out, **kwargs)
    assert processed(out) == ["exit.txt"]

    # A code change (another fingerprint) invalidates every cached result.
    monkeypatch.setattr(runner, "pipeline_fingerprint", lambda: "0.0.0+changed")
    run(src, out, **kwargs)
    assert processed(out) == ["exit.txt", "four.txt", "three.txt", "x/two.txt"]

    fourth = run(src, out, use_cache=False, **kwargs)
    assert fourth["skipped"] == 0 and fourth["done"] == 3


def test_a_removed_subdirectory_leaves_no_empty_output_directory(tmp_path):
    src = make_input(tmp_path / "in", ["keep.txt", "old/deep/gone.txt"])
    out = tmp_path / "out"
    kwargs = dict(workers=1, quiet=True, func=fake_process, corpus_outputs=False)
    run(src, out, **kwargs)
    shutil.rmtree(src / "old")
    run(src, out, **kwargs)
    assert not (out / "documents/old").exists()
    assert (out / "documents/keep.txt.json").exists()


def test_failure_reasons():
    assert failure_reason("timeout: no result after 600 s (worker killed)") == "timeout"
    assert failure_reason("worker crashed: killed by SIGKILL") == "crash"
    assert failure_reason("KeyError: 'w:val'") == "KeyError"
    assert failure_reason("zipfile.BadZipFile: File is not a zip file") == "unreadable"
    assert failure_reason("encrypted PDF: needs a password") == "unreadable"


def _real_sample(tmp_path: Path) -> Path:
    """The two shortest documents as txt, the shortest as docx and as a text PDF."""
    src = tmp_path / "in"
    picks = ["txt/003_1daefe2fb569c266.txt", "txt/004_9cab99cc97ae365a.txt",
             "docx/004_9cab99cc97ae365a.docx", "pdf/004_9cab99cc97ae365a.pdf"]
    for path in (CORPUS / p for p in picks):
        dest = src / path.parent.name / path.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    return src


def tree(out: Path) -> dict[str, str]:
    docs = out / "documents"
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.json"))}


@pytest.mark.slow
def test_outputs_identical_with_one_worker_and_with_all_cores(tmp_path):
    src = _real_sample(tmp_path)
    one = run(src, tmp_path / "one", workers=1, quiet=True, corpus_outputs=False)
    many = run(src, tmp_path / "many", workers=max(2, runner.default_workers()), quiet=True,
               corpus_outputs=False)
    assert one["documents"] == many["documents"] == 4
    a, b = tree(tmp_path / "one"), tree(tmp_path / "many")
    assert len(a) == 4
    assert a == b
    # The stage timings are in timings.jsonl, one line per document.
    lines = (tmp_path / "many" / "timings.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    assert {"source", "format", "bytes", "seconds", "write"} <= set(record)


def test_cli_extract_options(tmp_path, capsys):
    src = make_input(tmp_path / "in", ["a.txt"])
    shutil.copy(CORPUS / "txt" / "004_9cab99cc97ae365a.txt", src / "b.txt")
    out = tmp_path / "out"
    code = cli_main(["extract", str(src), str(out), "--workers", "1", "--timeout", "120"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["workers"] == 1 and summary["documents"] == 2
    assert code == (1 if summary["errors"] else 0)
    assert "2 documents:" in capsys.readouterr().out

    cli_main(["extract", str(src), str(out), "--quiet", "--workers", "1"])
    assert capsys.readouterr().out == ""
    again = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert again["skipped"] == 2 - sum(f["error"].startswith(("timeout", "worker")) for f in summary["failed"])

    cli_main(["extract", str(src), str(out), "--quiet", "--no-cache", "--workers", "1"])
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["skipped"] == 0


def test_missing_input_directory_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match="input directory not found"):
        run(tmp_path / "nope", tmp_path / "out", quiet=True)


def unserialisable_process(path: str, source: str) -> dict:
    return {"source": source, "format": "txt", "error": None, "units": {"a", "b"}}


def test_a_result_json_cannot_hold_is_reported_not_fatal(tmp_path):
    src = make_input(tmp_path / "in", ["a.txt", "b.txt"])
    out = tmp_path / "out"
    summary = run(src, out, workers=1, quiet=True, func=unserialisable_process, corpus_outputs=False)
    assert summary["done"] == 0 and len(summary["failed"]) == 2
    assert doc_json(out, "a.txt")["error"].startswith("TypeError: result not serialisable")
