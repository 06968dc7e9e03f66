"""Engines: run the per-document function over many files, in parallel.

Two engines yield the same :class:`Report` stream, in completion order:

* :class:`LocalPool` — a small pool of ``multiprocessing`` worker processes owned
  by this module. Each worker takes one document at a time over its own pipe,
  runs :func:`pipeline.process.process_file`, writes the result JSON itself (so
  the big result never crosses a pipe) and sends back a small report. The
  parent watches every worker's pipe *and* process sentinel with a deadline per
  document: a document over its time limit has its worker killed (with the
  worker's whole process group, so an OCR subprocess dies too) and is reported
  as a timeout; a worker that dies (``os._exit``, a segfault in a C library, the
  OOM killer) is reported as a crash. Either way a fresh worker replaces it and
  the batch goes on. ``concurrent.futures.ProcessPoolExecutor`` cannot do this:
  one dead worker breaks the whole pool and a running task cannot be killed.
* :class:`DaskEngine` — the same function as Dask tasks on a cluster (a
  ``LocalCluster`` of single-threaded worker processes, or an existing
  scheduler). Results are gathered as they complete and written by this
  process. Input paths must be readable by the workers (a shared file system
  when the cluster spans machines).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import PIPELINE_VERSION
from .errors import describe
from .io import write_json

ProcessFn = Callable[[str, str], dict]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """One document to process: where it is, what it is called, where its JSON goes."""

    source: str  # path relative to the input directory: the document's identity
    path: str  # absolute path of the input file
    output: str  # absolute path of the result JSON


@dataclass
class Report:
    """What the runner needs to know about a finished document (small, picklable)."""

    source: str
    error: str | None
    format: str | None = None
    error_kind: str | None = None  # with ``error``: the kind and stage of models/errors.yaml
    stage: str | None = None
    pages: int | None = None
    chars: int = 0  # length of the normalised text
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0  # wall time of the whole document in its worker
    abnormal: bool = False  # timeout or crash: environment-dependent, never cached


def default_process() -> ProcessFn:
    from .process import process_file

    return process_file


def warm_up() -> None:
    """Import every reader and extractor once, so the first document is not slower."""
    from . import readers

    for module in sorted(set(readers._READER_MODULES.values())):
        try:
            __import__(module)
        except Exception:  # a missing optional reader shows up as that file's error
            pass
    try:
        from extractors import registered

        registered()
    except Exception:
        pass


def abnormal_result(task: Task, message: str) -> dict[str, Any]:
    """The result JSON of a document whose worker timed out or crashed."""
    return {
        "source": task.source,
        "format": Path(task.path).suffix.lower().lstrip("."),
        "pipeline_version": PIPELINE_VERSION,
        **describe(message),
        "traceback": None,
        "document": None,
        "sections": [],
    }


def split_result(task: Task, result: dict[str, Any]) -> tuple[dict[str, Any], Report]:
    """Take the run-specific ``timings`` out of a result; the rest is deterministic."""
    timings = dict(result.pop("timings", None) or {})
    report = Report(
        source=task.source,
        error=result.get("error"),
        format=result.get("format"),
        error_kind=result.get("error_kind"),
        stage=result.get("stage"),
        pages=result.get("pages"),
        chars=len(result.get("text") or ""),
        timings=timings,
    )
    return result, report


def call_process(func: ProcessFn, task: Task) -> dict[str, Any]:
    """``func(path, source)``; an exception (only from a buggy func) becomes an error result."""
    try:
        return func(task.path, task.source)
    except Exception as exc:
        result = abnormal_result(task, f"{type(exc).__name__}: {exc}")
        result["traceback"] = traceback.format_exc(limit=5)
        return result


def write_result(task: Task, result: dict[str, Any], report: Report) -> None:
    """Write the result JSON atomically; a result JSON cannot hold becomes an error."""
    t0 = time.perf_counter()
    try:
        write_json(task.output, result)
    except (TypeError, ValueError) as exc:  # a set or an object in the result: a bug, reported
        report.error = f"{type(exc).__name__}: result not serialisable: {exc}"
        failed = abnormal_result(task, report.error)
        report.error_kind, report.stage = failed["error_kind"], failed["stage"]
        write_json(task.output, failed)
    report.timings["write"] = time.perf_counter() - t0


def process_and_write(func: ProcessFn, task: Task) -> Report:
    """Worker side of :class:`LocalPool`: process, write the JSON, report."""
    t0 = time.perf_counter()
    result, report = split_result(task, call_process(func, task))
    write_result(task, result, report)
    report.seconds = time.perf_counter() - t0
    return report


def process_remote(func: ProcessFn, task: Task) -> tuple[dict[str, Any], Report]:
    """Worker side of :class:`DaskEngine`: the result travels back to be written."""
    t0 = time.perf_counter()
    result, report = split_result(task, call_process(func, task))
    report.seconds = time.perf_counter() - t0
    return result, report


def describe_exit(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


# --------------------------------------------------------------------------- local


READY = "ready"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAX_FAILED_STARTS = 3  # workers dying before they are ready, in a row: give up


def _worker_main(conn: multiprocessing.connection.Connection, func: ProcessFn | None) -> None:
    # Own process group: killing the group on a timeout also kills subprocesses
    # (tesseract) the document started. Ctrl-C reaches the parent only, which
    # then shuts the pool down.
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if func is None:
        func = default_process()
        warm_up()
    try:
        conn.send(READY)  # deadlines count from here: start-up is not the document's time
    except (BrokenPipeError, OSError):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        report = process_and_write(func, task)
        try:
            conn.send(report)
        except (BrokenPipeError, OSError):
            return


def _die_with_parent() -> None:
    """Linux: be killed when the parent dies, so a SIGKILLed run leaves no worker
    behind finishing a document (elsewhere the worker exits at its next task)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


class _Worker:
    def __init__(self, ctx: multiprocessing.context.BaseContext, func: ProcessFn | None, number: int):
        self.conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child_conn, func), name=f"vnres-worker-{number}", daemon=True
        )
        self.process.start()
        child_conn.close()
        self.ready = False
        self.task: Task | None = None
        self.deadline: float | None = None

    def assign(self, task: Task, timeout: float | None) -> None:
        self.task = task
        self.deadline = time.monotonic() + timeout if timeout else None
        self.conn.send(task)

    def kill(self) -> None:
        pid = self.process.pid
        if pid is not None and self.process.exitcode is None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(5)
        if self.process.exitcode is None:
            self.kill()
        else:
            self.conn.close()


def _start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class LocalPool:
    """A pool of worker processes with per-document deadlines and crash recovery.

    ``func`` must be picklable by reference (a module-level function); ``None``
    means :func:`pipeline.process.process_file`, imported and warmed up in each
    worker. A worker gets documents once it has said it is ready, so start-up
    time never counts against a document's time limit.
    """

    def __init__(self, workers: int, timeout: float | None = None, func: ProcessFn | None = None):
        self.size = max(1, workers)
        self.timeout = timeout
        self.func = func
        method = _start_method()
        self.ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # Workers fork from a server that already imported the pipeline.
            self.ctx.set_forkserver_preload(["pipeline.process"])
        self._workers: list[_Worker] = []
        self._started = 0
        self._failed_starts = 0
        self._retry: list[Task] = []

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            if worker.ready and worker.task is None:
                worker.stop()
            else:
                worker.kill()
        self._workers = []

    def _spawn(self) -> _Worker:
        self._started += 1
        worker = _Worker(self.ctx, self.func, self._started)
        self._workers.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Drop a dead or killed worker; :meth:`_fill` starts a new one when needed."""
        worker.kill()
        self._workers.remove(worker)

    def imap(self, tasks: Iterable[Task]) -> Iterator[Report]:
        """Process ``tasks``; yield one :class:`Report` per task as each finishes."""
        pending = iter(tasks)
        exhausted = False
        while True:
            if not exhausted:
                exhausted = self._fill(pending)
            busy = [w for w in self._workers if w.task is not None]
            starting = [w for w in self._workers if not w.ready]
            if not busy and (exhausted or not starting):
                return
            deadlines = [w.deadline for w in busy if w.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            handles: list[Any] = []
            for w in busy + starting:
                handles += [w.conn, w.process.sentinel]
            ready = set(multiprocessing.connection.wait(handles, timeout=wait_for))
            for worker in starting:
                self._check_start(worker, ready)
            for worker in busy:
                report = self._collect(worker, ready)
                if report is not None:
                    yield report

    def _fill(self, pending: Iterator[Task]) -> bool:
        """Give every ready idle worker a task; True once ``pending`` is exhausted."""
        while len(self._workers) < self.size:
            self._spawn()
        for worker in [w for w in self._workers if w.ready and w.task is None]:
            if worker.process.exitcode is not None:  # died while idle
                self._replace(worker)
                continue
            task = self._retry.pop() if self._retry else next(pending, None)
            if task is None:
                return True
            try:
                worker.assign(task, self.timeout)
            except (BrokenPipeError, OSError):  # died just now: retry the task elsewhere
                worker.task = None
                self._replace(worker)
                self._retry.append(task)
        return False

    def _check_start(self, worker: _Worker, ready: set[Any]) -> None:
        if worker.conn in ready:
            try:
                if worker.conn.recv() == READY:
                    worker.ready = True
                    self._failed_starts = 0
                    return
            except (EOFError, OSError):
                pass
        elif worker.process.sentinel not in ready:
            return
        self._failed_starts += 1
        worker.process.join(5)
        how = describe_exit(worker.process.exitcode)
        self._replace(worker)
        if self._failed_starts >= MAX_FAILED_STARTS:
            raise RuntimeError(f"worker processes die while starting ({how}): see the error above")

    def _collect(self, worker: _Worker, ready: set[Any]) -> Report | None:
        task = worker.task
        assert task is not None
        if worker.conn in ready:
            try:
                report: Report = worker.conn.recv()
            except (EOFError, OSError):
                return self._crashed(worker, task)
            worker.task = worker.deadline = None
            return report
        if worker.process.sentinel in ready:
            return self._crashed(worker, task)
        if worker.deadline is not None and time.monotonic() >= worker.deadline:
            self._replace(worker)
            return Report(task.source, f"timeout: no result after {self.timeout:g} s (worker killed)",
                          abnormal=True, seconds=float(self.timeout or 0))
        return None

    def _crashed(self, worker: _Worker, task: Task) -> Report:
        worker.process.join(5)
        how = describe_exit(worker.process.exitcode)
        self._replace(worker)
        return Report(task.source, f"worker crashed: {how}", abnormal=True)


# --------------------------------------------------------------------------- dask


class DaskEngine:
    """Run the documents as Dask tasks; results are written by the caller's process.

    ``scheduler`` joins an existing cluster (``tcp://host:8786``); otherwise a
    ``LocalCluster`` of ``workers`` single-threaded processes is started and shut
    down with the engine. On a LocalCluster a task whose worker dies is not
    retried (``allowed-failures: 0``), as in :class:`LocalPool`. A document over
    its time limit is reported as a timeout and its worker restarted (which
    needs a nanny, the default).
    """

    def __init__(self, workers: int, timeout: float | None = None, scheduler: str | None = None,
                 func: ProcessFn | None = None):
        self.workers = max(1, workers)
        self.timeout = timeout
        self.scheduler = scheduler
        self.func = func or default_process()
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> "DaskEngine":
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                self.cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR,
                )
            self.client = Client(self.cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def _slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def imap(self, tasks: Iterable[Task]) -> Iterator[tuple[dict[str, Any], Report]]:
        """Yield ``(result, report)`` per task as each completes.

        At most one task per worker thread is in flight, so a task starts when
        it is submitted and its deadline can be counted from submission; it
        also keeps the cluster's memory flat whatever the corpus size.
        """
        from distributed import wait
        from distributed.client import TimeoutError as DaskTimeout

        pending = iter(tasks)
        inflight: dict[Any, tuple[Task, float | None]] = {}
        slots = self._slots()
        exhausted = False
        while True:
            while not exhausted and len(inflight) < slots:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                future = self.client.submit(process_remote, self.func, task, pure=False,
                                            key=f"process-{task.source}-{time.monotonic_ns()}")
                deadline = time.monotonic() + self.timeout if self.timeout else None
                inflight[future] = (task, deadline)
            if not inflight:
                return
            deadlines = [d for _, d in inflight.values() if d is not None]
            wait_for = max(0.05, min(deadlines) - time.monotonic()) if deadlines else None
            try:
                done, _ = wait(list(inflight), timeout=wait_for, return_when="FIRST_COMPLETED")
            except (DaskTimeout, TimeoutError):
                done = set()
            for future in done:
                task, _ = inflight.pop(future)
                yield self._gather(future, task)
            now = time.monotonic()
            for future, (task, deadline) in list(inflight.items()):
                if deadline is not None and now >= deadline:
                    del inflight[future]
                    self._abandon(future)
                    message = f"timeout: no result after {self.timeout:g} s (worker restarted)"
                    yield abnormal_result(task, message), Report(task.source, message, abnormal=True)

    def _gather(self, future: Any, task: Task) -> tuple[dict[str, Any], Report]:
        try:
            result, report = future.result()
        except Exception as exc:  # KilledWorker: the worker died running it
            name = type(exc).__name__
            message = f"worker crashed: {name}" if name == "KilledWorker" else f"{name}: {exc}"
            result, report = abnormal_result(task, message), Report(task.source, message, abnormal=True)
        future.release()
        return result, report

    def _abandon(self, future: Any) -> None:
        """Cancel a timed-out task and restart the worker still running it."""
        key = future.key
        try:
            busy = [addr for addr, keys in self.client.processing().items() if key in keys]
            future.cancel()
            if busy:
                self.client.restart_workers(busy, raise_for_error=False)
        except Exception as exc:  # a worker without a nanny cannot be restarted
            log.warning("could not restart the worker of a timed-out task: %s", exc)
