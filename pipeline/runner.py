"""Batch runner: every supported file under a directory → ``OUTPUT/documents``.

Each input ``INPUT/a/b.pdf`` gives ``OUTPUT/documents/a/b.pdf.json``, written
atomically as soon as that document is done (memory does not grow with the
corpus: no result is kept after it is written). Documents run in parallel on an
engine (:mod:`pipeline.engines`: a local process pool by default, or Dask), each
with a time limit; a document that fails, hangs or crashes its worker gets its
error in its JSON, in the summary and in ``errors.csv``, and the batch goes on.

Nothing is lost:

* Discovery (:mod:`pipeline.discovery`) never crashes or blocks on a hostile
  input directory; a file it cannot use is an ``errors.csv`` row (stage
  ``discover``). Files with the same bytes are processed once; the other copies
  are listed in ``duplicates.csv`` and get no JSON (the tables count a document
  once).
* ``errors.csv`` lists every failed file, failures kept by the cache included
  (:mod:`pipeline.error_report`).
* Ctrl-C or SIGTERM stops the workers, saves the manifest of what finished and
  raises :class:`KeyboardInterrupt` (the command exits 130); the corpus outputs
  and ``errors.csv`` of the previous run stay as they were. A SIGKILL leaves no
  partial file (every write is atomic; the temporary files are removed by the
  next run). The next run skips the finished documents and rebuilds the corpus
  outputs when the manifest differs from the one their last build saw.

Incremental runs (:mod:`pipeline.cache`): a document whose bytes and pipeline
fingerprint match the manifest is skipped; a removed file's JSON is deleted.
Timeouts and crashes are not cached (they depend on the machine), so they are
tried again on the next run.

What is deterministic and what is not:

* ``OUTPUT/documents/**.json``, ``errors.csv`` and ``duplicates.csv`` are
  identical whatever the engine, the number of workers and the interruptions:
  the per-document ``timings`` are taken out of the JSON.
* ``OUTPUT/timings.jsonl`` (one line per document processed in this run: stage
  seconds, pages, bytes) and ``OUTPUT/summary.json`` (counts, seconds, docs/s)
  describe the run and differ from run to run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import PIPELINE_VERSION
from .cache import (Entry, Manifest, corpus_digest, orphan_results, pipeline_fingerprint, record_corpus_digest,
                    remove_output, remove_result, remove_temp_files)
from .discovery import Duplicate, Inventory, Planned, Problem, find_files, take_inventory
from .engines import DaskEngine, LocalPool, ProcessFn, Report, Task, abnormal_result, write_result
from .error_report import FileError, write_duplicates, write_errors
from .io import read_json, write_json
from .progress import Progress
from .readers import supported_suffixes

DEFAULT_TIMEOUT = 600.0  # seconds per document: a long scan OCRs at ~2 s a page
MANIFEST_SAVE_EVERY = 10.0  # seconds between manifest checkpoints during a run
ENGINES = ("local", "dask")

__all__ = ["Planned", "UsageError", "default_workers", "discover", "run"]


class UsageError(ValueError):
    """Arguments a run cannot start with (the command exits 2)."""


def discover(input_dir: Path) -> Iterator[Path]:
    """Supported regular files under ``input_dir``, sorted, skipping hidden files and directories."""
    files, _ = find_files(Path(input_dir), set(supported_suffixes()))
    for found in files:
        yield found.path


def output_rel(source: str) -> str:
    """The result JSON of ``source``, relative to the output directory."""
    return f"documents/{source}.json"


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_ERROR_TYPE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning)):")


def failure_reason(error: str) -> str:
    """A short class for an error message: timeout, crash, an exception type, or unreadable."""
    if error.startswith("timeout"):
        return "timeout"
    if error.startswith("worker crashed"):
        return "crash"
    match = _ERROR_TYPE.match(error)
    return match.group(1) if match else "unreadable"


def check_arguments(input_dir: Path, output_dir: Path, workers: int | None, timeout: float | None) -> None:
    """Raise :class:`UsageError` for arguments no run can start with."""
    if not input_dir.is_dir():
        raise UsageError(f"input directory not found: {input_dir}")
    inside = output_dir.resolve()
    if inside == input_dir.resolve() or input_dir.resolve() in inside.parents:
        raise UsageError(f"the output directory {output_dir} is inside the input directory {input_dir}: "
                         "its files would be read as input; choose an output directory outside it")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    if timeout is not None and timeout < 0:
        raise UsageError(f"--timeout must be 0 (none) or a number of seconds (got {timeout:g})")


def make_engine(engine: str, workers: int, timeout: float | None, scheduler: str | None,
                func: ProcessFn | None) -> Any:
    if engine == "local":
        return LocalPool(workers, timeout, func)
    if engine == "dask":
        return DaskEngine(workers, timeout, scheduler, func)
    raise UsageError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")


def stream_reports(engine: Any, tasks: list[Task]) -> Iterator[Report]:
    """Reports of finished documents; with Dask, the results are written here."""
    if not tasks:
        return
    if isinstance(engine, DaskEngine):
        by_source = {t.source: t for t in tasks}  # small records, not results
        for result, report in engine.imap(tasks):
            write_result(by_source[report.source], result, report)
            yield report
    else:
        yield from engine.imap(tasks)


def build_corpus(output_dir: Path, quiet: bool, changed: bool = True) -> dict[str, Any] | None:
    """Corpus-level outputs (graph, tables) from the per-document JSON on disk
    (returned at once when ``changed`` is False and they are up to date)."""
    try:
        from .corpus import build_corpus_outputs
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.corpus":
            raise
        if not quiet:
            print(f"corpus outputs skipped: {exc}", file=sys.stderr)
        return None
    return build_corpus_outputs(output_dir, changed=changed)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`KeyboardInterrupt` in the run, once: a second
    signal is ignored so that stopping the workers and saving the manifest finish.

    Only the main thread can set handlers; elsewhere the signals keep theirs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def interrupt(signum: int, frame: Any) -> None:
        nonlocal fired
        if not fired:
            fired = True
            raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@dataclass
class Plan:
    """What a run has to do after looking at the input and the manifest."""

    todo: list[Planned]
    documents: int
    skipped: int
    cached_errors: int
    removed: list[str]
    sources: list[str]  # every document of this input, processed or skipped


def make_plan(inventory: Inventory, output_dir: Path, manifest: Manifest, version: str,
              use_cache: bool) -> Plan:
    """Delete the outputs of files no longer in the input, pick what to process."""
    planned = inventory.planned
    removed = manifest.stale_sources(p.source for p in planned)
    for source in removed:
        remove_output(output_dir, manifest.entries[source])
        manifest.forget(source)
    expected = {output_rel(p.source) for p in planned}
    for orphan in orphan_results(output_dir, expected):
        remove_result(output_dir, orphan)
        removed.append(orphan.relative_to(output_dir / "documents").as_posix()[: -len(".json")])
    todo: list[Planned] = []
    skipped = cached_errors = 0
    for item in planned:
        if use_cache and manifest.is_fresh(item.source, item.hash, version, output_dir):
            skipped += 1
            cached_errors += manifest.entries[item.source].error is not None
        else:
            todo.append(item)
    # Largest first: the long documents start early instead of ending the run alone.
    todo.sort(key=lambda p: (-p.size, p.source))
    return Plan(todo, len(planned) + len(inventory.problems), skipped, cached_errors, sorted(set(removed)),
                [p.source for p in planned])


@dataclass
class Tally:
    """What the document stage did so far (kept when the run is interrupted)."""

    done: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    abnormal: list[FileError] = field(default_factory=list)  # timeouts and crashes: not in the manifest


def run(
    input_dir: str | Path,
    output_dir: str | Path,
    *,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    use_cache: bool = True,
    quiet: bool = False,
    func: ProcessFn | None = None,
    corpus_outputs: bool = True,
) -> dict[str, Any]:
    """Extract every document under ``input_dir`` into ``output_dir``; return the summary.

    ``func(path, source) -> dict`` replaces :func:`pipeline.process.process_file`
    (it must be a module-level function so worker processes can import it).
    Raises :class:`UsageError` for unusable arguments and
    :class:`KeyboardInterrupt` when SIGINT or SIGTERM stopped the run (after
    saving what finished).
    """
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    check_arguments(input_dir, output_dir, workers, timeout)
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    with signals_interrupt():
        return _run(input_dir, output_dir, workers or default_workers(), engine, scheduler, timeout,
                    use_cache, quiet, func, corpus_outputs)


def _run(input_dir: Path, output_dir: Path, workers: int, engine: str, scheduler: str | None,
         timeout: float | None, use_cache: bool, quiet: bool, func: ProcessFn | None,
         corpus_outputs: bool) -> dict[str, Any]:
    t_start = time.perf_counter()
    output_dir.mkdir(parents=True, exist_ok=True)
    remove_temp_files(output_dir)  # left by a killed run; their targets are intact

    version = pipeline_fingerprint()
    manifest = Manifest.load(output_dir)
    inventory = take_inventory(input_dir, set(supported_suffixes()), exclude=output_dir)
    work = make_plan(inventory, output_dir, manifest, version, use_cache)
    tasks = [
        Task(p.source, str(p.path.resolve()), str((output_dir / output_rel(p.source)).resolve()))
        for p in work.todo
    ]
    tally = Tally(failed=[failure_record(FileError.from_problem(p)) for p in inventory.problems])
    for problem in inventory.problems:
        note_problem(problem, quiet)
    stage = "documents"
    try:
        progress = Progress(len(tasks), skipped=work.skipped, quiet=quiet)
        try:
            engine_cm = (make_engine(engine, min(workers, len(tasks)), timeout, scheduler, func)
                         if tasks else nullcontext())
            with engine_cm as runner:
                consume(stream_reports(runner, tasks), work.todo, tasks, output_dir, manifest, version,
                        progress, tally)
        finally:
            progress.close()
            manifest.save()

        errors = file_errors(inventory.problems, tally.abnormal, manifest, work.sources, output_dir)
        n_errors = write_errors(output_dir, errors)
        write_duplicates(output_dir, inventory.duplicates)

        stage = "corpus"
        t_corpus = time.perf_counter()
        corpus = None
        if corpus_outputs:
            digest = manifest.digest()
            changed = bool(tasks) or bool(work.removed) or corpus_digest(output_dir) != digest
            corpus = build_corpus(output_dir, quiet, changed)
            if corpus is not None:
                record_corpus_digest(output_dir, digest)
        corpus_seconds = time.perf_counter() - t_corpus
    except KeyboardInterrupt:
        summary = make_summary(input_dir, output_dir, version, engine, workers, work, inventory, tally,
                               None, time.perf_counter() - t_start, 0.0, len(tasks), None)
        summary["interrupted"] = stage
        write_json(output_dir / "summary.json", summary)
        raise
    summary = make_summary(input_dir, output_dir, version, engine, workers, work, inventory, tally, n_errors,
                           time.perf_counter() - t_start, corpus_seconds, len(tasks), corpus)
    write_json(output_dir / "summary.json", summary)
    if not quiet:
        print(summary_line(summary, output_dir))
    return summary


def note_problem(problem: Problem, quiet: bool) -> None:
    if not quiet:
        print(f"FAILED {problem.source}: {problem.message}", file=sys.stderr)


def consume(reports: Iterator[Report], todo: list[Planned], tasks: list[Task], output_dir: Path,
            manifest: Manifest, version: str, progress: Progress, tally: Tally) -> None:
    """Record every finished document in ``tally``: manifest, timings line, progress."""
    by_source = {p.source: p for p in todo}
    tasks_by_source = {t.source: t for t in tasks}
    last_save = time.monotonic()
    with open(output_dir / "timings.jsonl", "w", encoding="utf-8") as timings_file:
        for report in reports:
            item, task = by_source[report.source], tasks_by_source[report.source]
            if report.format is None:
                report.format = item.path.suffix.lower().lstrip(".")
            if report.abnormal:  # timeout or crash: the worker never wrote it, and it is not cached
                result = abnormal_result(task, report.error or "")
                write_json(task.output, result)
                report.error_kind, report.stage = result["error_kind"], result["stage"]
                manifest.forget(report.source)
                tally.abnormal.append(FileError.of(report.source, result["error"], report.error_kind,
                                                   report.stage))
            elif report.error:
                error = FileError.of(report.source, report.error, report.error_kind, report.stage)
                report.error_kind, report.stage = error.error_kind, error.stage
                manifest.record(item.source, Entry(item.hash, version, output_rel(item.source), report.error,
                                                   error.error_kind, error.stage))
            else:
                manifest.record(item.source, Entry(item.hash, version, output_rel(item.source)))
            if report.error:
                tally.failed.append({"source": report.source, "error": report.error,
                                     "error_kind": report.error_kind or "internal", "stage": report.stage or ""})
                progress.note(f"FAILED {report.source}: {report.error}")
            else:
                tally.done += 1
            timings_file.write(json.dumps(timing_record(report, item), ensure_ascii=False) + "\n")
            progress.update(bool(report.error))
            if time.monotonic() - last_save > MANIFEST_SAVE_EVERY:
                manifest.save()  # an interrupted run keeps what it finished
                timings_file.flush()
                last_save = time.monotonic()


def failure_record(error: FileError) -> dict[str, str]:
    """A ``summary.json`` ``failed`` item."""
    return {"source": error.file, "error": error.message, "error_kind": error.error_kind, "stage": error.stage}


def file_errors(problems: list[Problem], abnormal: list[FileError], manifest: Manifest, sources: list[str],
                output_dir: Path) -> list[FileError]:
    """Every failed input file: discovery problems, this run's timeouts and crashes,
    and every failure the manifest holds (processed now or kept by the cache)."""
    errors = [FileError.from_problem(p) for p in problems] + list(abnormal)
    for source in sources:
        entry = manifest.entries.get(source)
        if entry is not None and entry.error is not None:
            kind, stage = entry.error_kind, entry.stage
            if kind is None:  # a manifest written before the field: the JSON has it
                kind, stage = stored_kind(output_dir / entry.output)
            errors.append(FileError.of(source, entry.error, kind, stage))
    return errors


def stored_kind(path: Path) -> tuple[str | None, str | None]:
    try:
        result = read_json(path)
        return result.get("error_kind"), result.get("stage")
    except (OSError, ValueError, AttributeError):
        return None, None


def make_summary(input_dir: Path, output_dir: Path, version: str, engine: str, workers: int, work: Plan,
                 inventory: Inventory, tally: Tally, n_errors: int | None, seconds: float,
                 corpus_seconds: float, processed: int, corpus: Any) -> dict[str, Any]:
    failed = sorted(tally.failed, key=lambda f: f["source"])
    return {
        "input": str(input_dir),
        "output": str(output_dir),
        "pipeline_version": PIPELINE_VERSION,
        "fingerprint": version,
        "engine": engine,
        "workers": workers,
        "documents": work.documents,
        "done": tally.done,
        "failed": failed,
        "failed_by_reason": count_by(failure_reason(f["error"]) for f in failed),
        "failed_by_kind": count_by(f["error_kind"] for f in failed),
        "errors": n_errors,  # rows of errors.csv: this run's failures and the cached ones
        "skipped": work.skipped,
        "skipped_with_error": work.cached_errors,
        "duplicates": [duplicate_record(d) for d in inventory.duplicates],
        "removed": work.removed,
        "seconds": round(seconds, 3),
        "corpus_seconds": round(corpus_seconds, 3),
        "docs_per_s": round(processed / seconds, 3) if seconds > 0 else None,
        "corpus": corpus if isinstance(corpus, dict) and _small(corpus) else None,
    }


def duplicate_record(duplicate: Duplicate) -> dict[str, str]:
    return {"file": duplicate.file, "same_as": duplicate.same_as, "sha256": duplicate.sha256}


def count_by(keys: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def timing_record(report: Report, item: Planned) -> dict[str, Any]:
    stages = {k: round(v, 6) for k, v in report.timings.items()}
    return {
        "source": report.source,
        "format": report.format,
        "bytes": item.size,
        "pages": report.pages,
        "chars": report.chars,
        "error": report.error is not None,
        "seconds": round(report.seconds, 6),
        **stages,
    }


def _small(obj: Any) -> bool:
    """Keep the corpus step's return value in the summary only when it is a short report."""
    try:
        return len(json.dumps(obj, default=str)) < 20_000
    except (TypeError, ValueError):
        return False


def summary_line(summary: dict[str, Any], output_dir: Path) -> str:
    failed = summary["failed"]
    why = ", ".join(f"{n} {kind}" for kind, n in summary["failed_by_kind"].items())
    parts = [
        f"{summary['documents']} documents: {summary['done']} done",
        f"{len(failed)} failed" + (f" ({why})" if why else ""),
        f"{summary['skipped']} skipped (cached)",
    ]
    if summary["duplicates"]:
        parts.append(f"{len(summary['duplicates'])} duplicates")
    if summary["removed"]:
        parts.append(f"{len(summary['removed'])} removed")
    rate = summary["docs_per_s"]
    line = (", ".join(parts) + f" in {summary['seconds']:.1f} s"
            + (f" ({rate:.1f} docs/s)" if rate else "") + f" → {output_dir}")
    if summary["errors"]:
        line += f"\n{summary['errors']} files failed: see {output_dir / 'errors.csv'}"
    return line
