"""Batch-level robustness: a hostile input directory, duplicates, errors.csv, exit
codes, and runs interrupted by SIGINT, SIGTERM or SIGKILL that resume to the
very bytes an uninterrupted run writes."""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from pipeline import discovery
from pipeline.cache import Entry, Manifest, compute_fingerprint, pipeline_fingerprint
from pipeline.cli import main as cli_main
from pipeline.error_report import DUPLICATE_COLUMNS, ERROR_COLUMNS
from pipeline.runner import UsageError, run

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


# Module-level so the worker processes can import it by name.
def fake_process(path: str, source: str) -> dict:
    """Stands in for process_file: quick; a file named raise* or holding "cut" fails."""
    if os.path.basename(path).startswith("raise"):
        raise RuntimeError("unexpected state")
    text = Path(path).read_text(encoding="utf-8")
    if text == "cut":
        return {"source": source, "format": "txt", "error": "truncated file: ends in the middle of a table",
                "error_kind": "truncated", "stage": "read", "remedy": "copy it again"}
    return {"source": source, "format": "txt", "error": None, "text": text, "pages": None}


FAST = dict(workers=1, timeout=60, quiet=True, func=fake_process, corpus_outputs=False)


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging forever (a FIFO opened for reading blocks)."""

    def expire(signum, frame):
        raise TimeoutError(f"no result after {seconds} s: something blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def csv_rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, like the other CSVs"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def errors_by_file(out: Path) -> dict[str, tuple[str, str]]:
    rows = csv_rows(out / "errors.csv")
    assert [r["file"] for r in rows] == sorted(r["file"] for r in rows)
    for row in rows:
        assert row["message"] and row["remedy"], row
    return {r["file"]: (r["stage"], r["error_kind"]) for r in rows}


def results(out: Path) -> list[str]:
    docs = out / "documents"
    return sorted(p.relative_to(docs).as_posix()[: -len(".json")] for p in docs.rglob("*.json"))


# --------------------------------------------------------------------- discovery


def test_a_hostile_input_directory_never_crashes_or_blocks_and_every_problem_is_listed(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write(src / "a.txt", "Văn bản A\n")
    write(src / "real" / "b.txt", "Văn bản B\n")
    write(src / "x.pdf" / "inside.txt", "Một thư mục mang tên như một tệp\n")
    write(src / ".hidden.txt", "không đọc\n")
    (src / "sub").mkdir()
    os.symlink("..", src / "sub" / "loop")  # a directory link to its own ancestor
    os.symlink("real", src / "alias")  # the same directory twice: its files once
    os.symlink("a.txt", src / "link.txt")  # the same file twice
    os.symlink("../out", src / "results")  # the output directory: never read as input
    os.symlink("nowhere.txt", src / "dangling.txt")
    os.symlink("self.txt", src / "self.txt")  # a link to itself
    os.mkfifo(src / "pipe.txt")  # opened for reading, it would block forever
    monkeypatch.chdir(src)  # a short path for the socket (sun_path holds ~107 bytes)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind("sock.md")
    bad_name = os.fsdecode(b"t\xeanh.txt")  # Latin-1 bytes: not valid UTF-8
    (src / bad_name).write_bytes(b"noi dung\n")

    with time_limit(120):
        run(src, tmp_path / "out", **FAST)
        write(tmp_path / "out" / "notes.txt", "ghi chú trong thư mục kết quả\n")
        summary = run(src, tmp_path / "out", **FAST, use_cache=False)
    sock.close()
    out = tmp_path / "out"

    assert results(out) == ["a.txt", "real/b.txt", "x.pdf/inside.txt"]
    assert errors_by_file(out) == {
        "dangling.txt": ("discover", "unreadable"),
        "pipe.txt": ("discover", "special_file"),
        "self.txt": ("discover", "symlink_loop"),
        "sock.md": ("discover", "special_file"),
        "sub/loop": ("discover", "symlink_loop"),
        "t\\xeanh.txt": ("discover", "bad_file_name"),
    }
    assert "does not exist" in {r["file"]: r["message"] for r in csv_rows(out / "errors.csv")}["dangling.txt"]
    assert csv_rows(out / "duplicates.csv") == [
        {"file": "link.txt", "same_as": "a.txt", "sha256": summary["duplicates"][0]["sha256"]}]
    assert summary["done"] == 3 and summary["errors"] == 6
    assert summary["documents"] == summary["done"] + len(summary["failed"]) + summary["skipped"]
    assert {f["source"]: f["error_kind"] for f in summary["failed"]}["pipe.txt"] == "special_file"


def test_files_that_cannot_be_listed_stated_or_read_are_errors_not_crashes(tmp_path, monkeypatch):
    # Root reads a chmod-000 file anyway: the refusals are simulated.
    src = tmp_path / "in"
    for name in ("ok.txt", "locked.txt", "nostat.docx", "closed/c.txt", "gone.txt"):
        write(src / name, f"Văn bản {name}\n")
    real_stat, real_scandir, real_hash = os.stat, os.scandir, discovery.file_hash

    def stat(path, *args, **kwargs):
        if str(path).endswith("nostat.docx"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    def scandir(path="."):
        if str(path).endswith("closed"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def file_hash(path):
        if str(path).endswith("locked.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        if str(path).endswith("gone.txt"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_hash(path)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(discovery, "file_hash", file_hash)
    summary = run(src, tmp_path / "out", **FAST)
    assert results(tmp_path / "out") == ["ok.txt"]
    assert errors_by_file(tmp_path / "out") == {
        "closed/": ("discover", "unreadable"),
        "gone.txt": ("discover", "missing"),
        "locked.txt": ("discover", "unreadable"),
        "nostat.docx": ("discover", "unreadable"),
    }
    assert summary["done"] == 1 and summary["errors"] == 4


def test_a_device_named_like_a_document_is_never_opened(tmp_path):
    src = tmp_path / "in"
    write(src / "ok.txt", "Văn bản\n")
    try:
        os.mknod(src / "zero.pdf", 0o644 | 0o020000, os.makedev(1, 5))  # /dev/zero: endless bytes
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    with time_limit(60):
        run(src, tmp_path / "out", **FAST)
    assert errors_by_file(tmp_path / "out") == {"zero.pdf": ("discover", "special_file")}


# ------------------------------------------------------------------- duplicates


def test_duplicates_are_processed_once_listed_and_follow_the_sorted_order(tmp_path):
    src = tmp_path / "in"
    out = tmp_path / "out"
    write(src / "b" / "nq.txt", "Nghị quyết số 1\n")
    write(src / "c" / "nq-copy.txt", "Nghị quyết số 1\n")
    write(src / "other.txt", "Kế hoạch khác\n")
    first = run(src, out, **FAST)
    assert results(out) == ["b/nq.txt", "other.txt"]  # the copy has no JSON: tables count it once
    assert [(d["file"], d["same_as"]) for d in first["duplicates"]] == [("c/nq-copy.txt", "b/nq.txt")]
    assert [r["file"] for r in csv_rows(out / "duplicates.csv")] == ["c/nq-copy.txt"]
    assert first["errors"] == 0 and csv_rows(out / "errors.csv") == []

    # A copy earlier in sorted order becomes the one processed; the old one's JSON goes.
    write(src / "a.txt", "Nghị quyết số 1\n")
    second = run(src, out, **FAST)
    assert results(out) == ["a.txt", "other.txt"]
    assert [(d["file"], d["same_as"]) for d in second["duplicates"]] == [
        ("b/nq.txt", "a.txt"), ("c/nq-copy.txt", "a.txt")]
    assert second["skipped"] == 1 and second["done"] == 1

    # Empty files hold no document: each is processed (and fails as empty), none is a copy.
    (src / "e1.txt").write_bytes(b"")
    (src / "e2.txt").write_bytes(b"")
    third = run(src, out, **FAST)
    assert [d["file"] for d in third["duplicates"]] == ["b/nq.txt", "c/nq-copy.txt"]
    assert third["done"] == 2 and results(out) == ["a.txt", "e1.txt", "e2.txt", "other.txt"]
    (src / "e1.txt").unlink(), (src / "e2.txt").unlink()

    # Once the copies differ, each is a document of its own.
    write(src / "c" / "nq-copy.txt", "Nghị quyết số 1, bản sửa\n")
    run(src, out, **FAST)
    assert results(out) == ["a.txt", "c/nq-copy.txt", "other.txt"]
    assert [r["file"] for r in csv_rows(out / "duplicates.csv")] == ["b/nq.txt"]


# ------------------------------------------------------------------ errors.csv


def test_errors_csv_lists_failures_of_this_run_and_those_kept_by_the_cache(tmp_path):
    src = tmp_path / "in"
    out = tmp_path / "out"
    write(src / "ok.txt", "Văn bản\n")
    write(src / "sub" / "bad.txt", "cut")
    write(src / "raise.txt", "x")
    first = run(src, out, **FAST)
    assert errors_by_file(out) == {"raise.txt": ("extract", "internal"), "sub/bad.txt": ("read", "truncated")}
    assert csv_rows(out / "errors.csv")[1] == {
        "file": "sub/bad.txt", "stage": "read", "error_kind": "truncated",
        "message": "truncated file: ends in the middle of a table",
        "remedy": "The file is cut off (an interrupted copy or download); copy it again from the source."}
    assert list(csv_rows(out / "errors.csv")[0]) == list(ERROR_COLUMNS)
    assert {f["source"]: f["error_kind"] for f in first["failed"]} == {"raise.txt": "internal",
                                                                        "sub/bad.txt": "truncated"}
    expected = (out / "errors.csv").read_bytes()

    again = run(src, out, **FAST)  # everything cached: the failures are still listed
    assert (again["skipped"], again["failed"], again["errors"]) == (3, [], 2)
    assert (out / "errors.csv").read_bytes() == expected

    # A manifest written before the kind was kept: the kind comes from the JSON.
    manifest_path = out / ".cache" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["entries"].values():
        entry.pop("error_kind"), entry.pop("stage")
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    run(src, out, **FAST)
    assert (out / "errors.csv").read_bytes() == expected

    # Fixed files leave the list; a header remains.
    write(src / "sub" / "bad.txt", "Văn bản đầy đủ\n")
    (src / "raise.txt").unlink()
    assert run(src, out, **FAST)["errors"] == 0
    assert (out / "errors.csv").read_bytes() == "\ufeff".encode() + b",".join(
        c.encode() for c in ERROR_COLUMNS) + b"\n"
    assert (out / "duplicates.csv").read_bytes().endswith(",".join(DUPLICATE_COLUMNS).encode() + b"\n")


def test_leftovers_of_a_killed_run_are_cleaned_up(tmp_path):
    src = tmp_path / "in"
    out = tmp_path / "out"
    write(src / "a.txt", "Văn bản\n")
    run(src, out, **FAST)
    tmp_files = [out / ".summary.json.k3j_x9a2.tmp", out / "documents" / ".a.txt.json.abcdefgh.tmp"]
    for path in tmp_files:
        path.write_bytes(b"{half")
    write(out / "documents" / "gone" / "old.txt.json", "{}")  # a result no input owns
    (out / "keep.tmp").write_bytes(b"not ours")
    summary = run(src, out, **FAST)
    assert not any(p.exists() for p in tmp_files)
    assert not (out / "documents" / "gone").exists()
    assert (out / "keep.tmp").exists()
    assert summary["removed"] == ["gone/old.txt"]


def test_the_journal_keeps_what_a_killed_run_finished(tmp_path):
    out = tmp_path / "out"
    manifest = Manifest.load(out)
    manifest.record("a.txt", Entry("h1", "v", "documents/a.txt.json"))
    manifest.save()
    manifest.record("b.txt", Entry("h2", "v", "documents/b.txt.json", "empty file (0 bytes)", "empty", "read"))
    manifest.forget("a.txt")
    # killed here: no save; the last journal line was being written
    with open(out / ".cache" / "journal.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"source": "c.txt", "ent')
    loaded = Manifest.load(out)
    assert sorted(loaded.entries) == ["b.txt"]
    assert loaded.entries["b.txt"].error_kind == "empty"
    loaded.record("d.txt", Entry("h4", "v", "documents/d.txt.json"))  # not swallowed by the cut line
    assert sorted(Manifest.load(out).entries) == ["b.txt", "d.txt"]


# ------------------------------------------------------------------- exit codes


def test_exit_codes(tmp_path, capsys):
    src = tmp_path / "in"
    write(src / "a.txt", "Văn bản\n")
    for args in (["extract", str(tmp_path / "nope"), str(tmp_path / "out")],
                 ["extract", str(src), str(src / "out")],
                 ["extract", str(src), str(src)],
                 ["extract", str(src), str(tmp_path / "out"), "--workers", "0"],
                 ["extract", str(src), str(tmp_path / "out"), "--timeout", "-1"]):
        with pytest.raises(SystemExit) as exit_info:
            cli_main(args)
        assert exit_info.value.code == 2, args
    err = capsys.readouterr().err
    assert "input directory not found" in err and "inside the input directory" in err
    assert not (tmp_path / "out").exists() and not (src / "out").exists()

    with pytest.raises(SystemExit) as exit_info:
        cli_main(["extract", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "exit codes:" in help_text and "130" in help_text and "errors.csv" in help_text

    with pytest.raises(UsageError):
        run(src, tmp_path / "out", workers=-1)


@pytest.mark.slow
def test_cli_exits_1_while_a_file_fails_and_0_once_it_is_fixed(tmp_path):
    src = tmp_path / "in"
    out = tmp_path / "out"
    src.mkdir()
    shutil.copy(CORPUS / "txt" / "004_9cab99cc97ae365a.txt", src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    assert cli_main(["extract", str(src), str(out), "--workers", "1", "--quiet"]) == 1
    assert errors_by_file(out) == {"empty.txt": ("read", "empty")}
    assert cli_main(["extract", str(src), str(out), "--workers", "1", "--quiet"]) == 1  # cached, still failed
    (src / "empty.txt").unlink()
    assert cli_main(["extract", str(src), str(out), "--workers", "1", "--quiet"]) == 0


@pytest.mark.slow
def test_corpus_outputs_are_rebuilt_when_the_last_run_stopped_before_them(tmp_path):
    src = tmp_path / "in"
    out = tmp_path / "out"
    src.mkdir()
    shutil.copy(CORPUS / "txt" / "004_9cab99cc97ae365a.txt", src / "a.txt")
    run(src, out, workers=1, quiet=True)
    shutil.copy(CORPUS / "txt" / "003_1daefe2fb569c266.txt", src / "b.txt")
    # A run killed between its documents and its corpus stage...
    run(src, out, workers=1, quiet=True, corpus_outputs=False)
    for path in [out / "documents", *(out / "documents").rglob("*")]:  # ...and timestamps that cannot tell
        os.utime(path, (1, 1))
    summary = run(src, out, workers=1, quiet=True)
    assert summary["skipped"] == 2 and summary["done"] == 0
    assert not summary["corpus"].get("up_to_date")
    assert "b.txt" in (out / "tables" / "documents.csv").read_text(encoding="utf-8-sig")
    # Nothing changed since: now the corpus stage is skipped.
    assert run(src, out, workers=1, quiet=True)["corpus"].get("up_to_date")


# ---------------------------------------------------------------- interruptions

COMPARED = ("documents/**/*.json", "tables/*.csv", "graph.json", "nodes.csv", "edges.csv", "errors.csv",
            "duplicates.csv")
CORPUS_FILES = COMPARED[1:]


def snapshot(out: Path, patterns: tuple[str, ...] = COMPARED) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for pattern in patterns for p in sorted(out.glob(pattern))}


def edited_copy(path: Path, dest: Path, tag: str) -> None:
    """A copy of a corpus document with a small text change, so its bytes differ."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".txt":
        dest.write_text(path.read_text(encoding="utf-8") + f"\nBản sao {tag}.\n", encoding="utf-8")
        return
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                cut = xml.rfind("</w:t>")
                data = (xml[:cut] + f" (bản sao {tag})" + xml[cut:]).encode("utf-8")
            zout.writestr(item, data)


def descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (workers too: they have their own process groups)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent's wait is missing


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return any(alive(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()
               and _pgid(p) == pgid)


def _pgid(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[3])
    except (OSError, IndexError, ValueError):
        return None


def finished(out: Path) -> int:
    """Documents the running extraction finished: its manifest journal has a line each."""
    try:
        return (out / ".cache" / "journal.jsonl").read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def interrupt_midway(src: Path, out: Path, sig: signal.Signals, after: int = 3,
                     options: tuple[str, ...] = ()) -> tuple[int, set[int]]:
    """Start ``python -m pipeline extract``, send ``sig`` once ``after`` documents are done."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(src), str(out),
                             "--workers", "2", "--quiet", *options], cwd=REPO, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while finished(out) < after:
        assert proc.poll() is None, f"the run ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline, "no document finished in 180 s"
        time.sleep(0.02)
    tree = descendants(proc.pid)
    assert len(tree) >= 2, "the worker processes are running"
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal signals the whole foreground group
    else:
        proc.send_signal(sig)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while any(alive(p) for p in tree) or group_alive(proc.pid):
        assert time.monotonic() < deadline, f"processes left behind: {[p for p in tree if alive(p)]}"
        time.sleep(0.05)
    return proc.returncode, tree


@pytest.fixture(scope="module")
def interrupted_corpus(tmp_path_factory) -> dict[str, Path]:
    """A first corpus extracted completely (``base``), then grown and edited in place
    and extracted without interruption (``reference``)."""
    root = tmp_path_factory.mktemp("interrupted")
    src = root / "in"
    sources = sorted((CORPUS / "txt").glob("*.txt")) + sorted((CORPUS / "docx").glob("*.docx"))
    for path in sources:
        edited_copy(path, src / path.parent.name / f"v0_{path.name}", "0")
    (src / "bad").mkdir()
    (src / "bad" / "empty.txt").write_bytes(b"")
    (src / "bad" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    run(src, root / "base", workers=2, quiet=True)

    for path in sources:
        edited_copy(path, src / path.parent.name / f"v1_{path.name}", "1")
    edited_copy(sources[0], src / "txt" / f"v0_{sources[0].name}", "0 sửa")  # an existing file edited
    shutil.copy(src / "txt" / f"v1_{sources[1].name}", src / "z_duplicate.txt")
    run(src, root / "reference", workers=2, quiet=True)
    return {"src": src, "base": root / "base", "reference": root / "reference", "root": root}


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_run_resumes_to_the_bytes_of_an_uninterrupted_one(interrupted_corpus, sig):
    src, base, reference = interrupted_corpus["src"], interrupted_corpus["base"], interrupted_corpus["reference"]
    out = interrupted_corpus["root"] / f"out-{sig.name}"
    shutil.copytree(base, out)
    before = snapshot(out, CORPUS_FILES)
    assert len(before) >= 8 and b"bad/empty.txt" in before["errors.csv"]

    code, _ = interrupt_midway(src, out, sig)
    assert code == (130 if sig == signal.SIGINT else -signal.SIGKILL)

    # The previous corpus outputs are untouched, and no result is half written.
    assert snapshot(out, CORPUS_FILES) == before
    for path in (out / "documents").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    if sig == signal.SIGINT:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["interrupted"] == "documents" and summary["done"] >= 3
        assert not list(out.rglob("*.tmp"))

    resumed = run(src, out, workers=2, quiet=True)
    if compute_fingerprint() != pipeline_fingerprint():
        pytest.skip("the pipeline's code changed while the test ran (an edit in this checkout)")
    # the base documents (one was edited since) and those finished before the signal
    assert resumed["skipped"] >= 11 + 3
    assert not list(out.rglob("*.tmp"))
    assert snapshot(out) == snapshot(reference)
    assert [d["file"] for d in resumed["duplicates"]] == ["z_duplicate.txt"]


@pytest.mark.slow
def test_sigterm_stops_the_workers_keeps_what_finished_and_exits_130(tmp_path):
    src = tmp_path / "in"
    for copy in ("a", "b"):
        for path in sorted((CORPUS / "txt").glob("*.txt")):
            edited_copy(path, src / f"{copy}_{path.name}", copy)
    out = tmp_path / "out"
    code, tree = interrupt_midway(src, out, signal.SIGTERM, after=2)
    assert code == 130
    manifest = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["entries"]) >= 2
    assert not (out / ".cache" / "journal.jsonl").exists()  # saved on the way out
    assert not (out / "errors.csv").exists()  # written only by a completed run


# ------------------------------------------------------------------------- dask


@pytest.mark.slow
def test_dask_and_the_local_pool_write_the_same_errors_csv(tmp_path):
    pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / "txt" / "004_9cab99cc97ae365a.txt", src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    os.symlink("missing.pdf", src / "dangling.pdf")
    local = run(src, tmp_path / "local", workers=2, quiet=True, corpus_outputs=False)
    dask = run(src, tmp_path / "dask", engine="dask", workers=2, quiet=True, corpus_outputs=False)
    assert local["errors"] == dask["errors"] == 3
    assert (tmp_path / "local" / "errors.csv").read_bytes() == (tmp_path / "dask" / "errors.csv").read_bytes()
