"""The Dask engine on a cluster it did not start, and a Dask run stopped midway.

``--scheduler ADDRESS`` joins an existing cluster: here a ``dask scheduler`` and
a ``dask worker`` started as separate programs, as they would be on other
machines sharing the file system. The run must give the local pool's bytes and
must leave that cluster running (it is not ours to close). A Ctrl-C during a
Dask run must behave as with the local pool: exit 130, no process left behind,
finished documents kept, and a re-run completes to the bytes of an
uninterrupted run.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cache import compute_fingerprint
from pipeline.runner import run
from tests.test_robust_run import edited_copy, interrupt_midway

pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
DASK = Path(sys.executable).with_name("dask")


def documents(out: Path) -> dict[str, bytes]:
    docs = out / "documents"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*.json"))}


def small_corpus(src: Path, copies: tuple[str, ...] = ("a",)) -> None:
    for copy in copies:
        for path in sorted((CORPUS / "txt").glob("*.txt")) + sorted((CORPUS / "docx").glob("*.docx"))[:2]:
            edited_copy(path, src / path.parent.name / f"{copy}_{path.name}", copy)


@pytest.fixture
def external_cluster(tmp_path):
    """A scheduler and two single-threaded workers, each its own program."""
    if not DASK.exists():
        pytest.skip("the dask command line is not installed beside this Python")
    info = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([str(DASK), "scheduler", "--scheduler-file", str(info), "--no-dashboard",
                               "--port", "0", "--host", "127.0.0.1"],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists():
            assert time.monotonic() < deadline, "the scheduler did not start in 60 s"
            time.sleep(0.1)
        procs.append(subprocess.Popen([str(DASK), "worker", "--scheduler-file", str(info), "--nworkers", "2",
                                       "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                                      cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = json.loads(info.read_text())["address"]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.slow
def test_joining_an_existing_scheduler_gives_the_local_bytes_and_leaves_the_cluster_up(tmp_path, external_cluster):
    address, procs = external_cluster
    src = tmp_path / "in"
    small_corpus(src)
    local = run(src, tmp_path / "local", workers=2, quiet=True, corpus_outputs=False)
    remote = run(src, tmp_path / "remote", engine="dask", scheduler=address, quiet=True, corpus_outputs=False)
    assert remote["engine"] == "dask" and remote["done"] == local["done"] == 7 and not remote["failed"]
    assert documents(tmp_path / "remote") == documents(tmp_path / "local")
    assert all(proc.poll() is None for proc in procs), "the joined cluster was shut down by the run"
    from distributed import Client

    with Client(address, timeout=30) as client:
        assert len(client.scheduler_info()["workers"]) == 2


@pytest.mark.slow
def test_a_dask_run_stopped_by_ctrl_c_exits_130_and_resumes_to_the_same_bytes(tmp_path):
    src = tmp_path / "in"
    small_corpus(src, ("a", "b", "c"))
    out = tmp_path / "out"
    code, tree = interrupt_midway(src, out, signal.SIGINT, after=2, options=("--engine", "dask"))
    assert code == 130  # interrupt_midway also checked that no process of the run is left
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] == "documents" and summary["done"] >= 2
    assert not list(out.rglob("*.tmp"))
    for path in (out / "documents").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # nothing half written

    manifest = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["entries"]) >= 2  # what finished before the signal is remembered
    if {e["version"] for e in manifest["entries"].values()} != {compute_fingerprint()}:
        pytest.skip("the pipeline's code changed while the test ran (an edit in this checkout)")
    resumed = run(src, out, engine="dask", workers=2, quiet=True, corpus_outputs=False)
    assert resumed["skipped"] >= 2 and resumed["done"] + resumed["skipped"] == 21
    reference = run(src, tmp_path / "reference", workers=2, quiet=True, corpus_outputs=False)
    assert reference["done"] == 21
    assert documents(out) == documents(tmp_path / "reference")
