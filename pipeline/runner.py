"""Batch runner: every supported file under a directory → ``OUTPUT/documents``.

Each input ``INPUT/a/b.pdf`` gives ``OUTPUT/documents/a/b.pdf.json``, written
atomically as soon as that document is done (memory does not grow with the
corpus: no result is kept after it is written). Documents run in parallel on an
engine (:mod:`pipeline.engines`: a local process pool by default, or Dask), each
with a time limit; a document that fails, hangs or crashes its worker gets its
error in its JSON and in the summary, and the batch goes on.

Incremental runs (:mod:`pipeline.cache`): a document whose bytes and pipeline
fingerprint match the manifest is skipped; a removed file's JSON is deleted.
Timeouts and crashes are not cached (they depend on the machine), so they are
tried again on the next run. The corpus-level outputs are rebuilt by every run
that processed or removed a document (and when they are missing or stale).

What is deterministic and what is not:

* ``OUTPUT/documents/**.json`` are identical whatever the engine and number of
  workers: the per-document ``timings`` are taken out of them.
* ``OUTPUT/timings.jsonl`` (one line per document processed in this run: stage
  seconds, pages, bytes) and ``OUTPUT/summary.json`` (counts, seconds, docs/s)
  describe the run and differ from run to run.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import PIPELINE_VERSION
from .cache import Entry, Manifest, file_hash, pipeline_fingerprint, remove_output
from .engines import DaskEngine, LocalPool, ProcessFn, Report, Task, abnormal_result, write_result
from .io import write_json
from .progress import Progress
from .readers import supported_suffixes

DEFAULT_TIMEOUT = 600.0  # seconds per document: a long scan OCRs at ~2 s a page
MANIFEST_SAVE_EVERY = 10.0  # seconds between manifest checkpoints during a run
ENGINES = ("local", "dask")


def discover(input_dir: Path) -> Iterator[Path]:
    """Supported files under ``input_dir``, sorted, skipping hidden files and directories."""
    suffixes = set(supported_suffixes())
    for path in sorted(input_dir.rglob("*")):
        rel = path.relative_to(input_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in suffixes:
            yield path


def output_path(output_dir: Path, input_dir: Path, path: Path) -> Path:
    rel = path.relative_to(input_dir).as_posix()
    return output_dir / "documents" / f"{rel}.json"


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass
class Planned:
    """One input file and what the cache says about it."""

    source: str
    path: Path
    size: int
    hash: str


_ERROR_TYPE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning)):")


def failure_reason(error: str) -> str:
    """A short class for an error message: timeout, crash, an exception type, or unreadable."""
    if error.startswith("timeout"):
        return "timeout"
    if error.startswith("worker crashed"):
        return "crash"
    match = _ERROR_TYPE.match(error)
    return match.group(1) if match else "unreadable"


def plan(input_dir: Path, threads: int = 4) -> list[Planned]:
    """Every input file with its size and content hash (hashed on a few threads)."""
    paths = list(discover(input_dir))

    def one(path: Path) -> Planned:
        return Planned(path.relative_to(input_dir).as_posix(), path, path.stat().st_size, file_hash(path))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, paths))


def make_engine(engine: str, workers: int, timeout: float | None, scheduler: str | None,
                func: ProcessFn | None) -> Any:
    if engine == "local":
        return LocalPool(workers, timeout, func)
    if engine == "dask":
        return DaskEngine(workers, timeout, scheduler, func)
    raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")


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


@dataclass
class Plan:
    """What a run has to do after looking at the input and the manifest."""

    todo: list[Planned]
    documents: int
    skipped: int
    cached_errors: int
    removed: list[str]


def make_plan(input_dir: Path, output_dir: Path, manifest: Manifest, version: str, use_cache: bool) -> Plan:
    """Hash the inputs, delete the outputs of removed files, pick what to process."""
    planned = plan(input_dir)
    removed = manifest.stale_sources(p.source for p in planned)
    for source in removed:
        remove_output(output_dir, manifest.entries[source])
        manifest.forget(source)
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
    return Plan(todo, len(planned), skipped, cached_errors, removed)


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
    """
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise SystemExit(f"input directory not found: {input_dir}")
    workers = workers or default_workers()
    t_start = time.perf_counter()
    output_dir.mkdir(parents=True, exist_ok=True)

    version = pipeline_fingerprint()
    manifest = Manifest.load(output_dir)
    work = make_plan(input_dir, output_dir, manifest, version, use_cache)
    tasks = [
        Task(p.source, str(p.path.resolve()), str(output_path(output_dir, input_dir, p.path).resolve()))
        for p in work.todo
    ]
    progress = Progress(len(tasks), skipped=work.skipped, quiet=quiet)
    try:
        engine_cm = make_engine(engine, min(workers, len(tasks)), timeout, scheduler, func) if tasks else nullcontext()
        with engine_cm as runner:
            done, failed = consume(stream_reports(runner, tasks), work.todo, tasks, output_dir, manifest,
                                   version, progress)
    finally:
        progress.close()
        manifest.save()

    t_corpus = time.perf_counter()
    changed = bool(tasks) or bool(work.removed)
    corpus = build_corpus(output_dir, quiet, changed) if corpus_outputs else None
    corpus_seconds = time.perf_counter() - t_corpus
    seconds = time.perf_counter() - t_start
    summary = {
        "input": str(input_dir),
        "output": str(output_dir),
        "pipeline_version": PIPELINE_VERSION,
        "fingerprint": version,
        "engine": engine,
        "workers": workers,
        "documents": work.documents,
        "done": done,
        "failed": sorted(failed, key=lambda f: f["source"]),
        "failed_by_reason": count_reasons(failed),
        "skipped": work.skipped,
        "skipped_with_error": work.cached_errors,
        "removed": work.removed,
        "seconds": round(seconds, 3),
        "corpus_seconds": round(corpus_seconds, 3),
        "docs_per_s": round(len(tasks) / seconds, 3) if seconds > 0 else None,
        "corpus": corpus if isinstance(corpus, dict) and _small(corpus) else None,
    }
    write_json(output_dir / "summary.json", summary)
    if not quiet:
        print(summary_line(summary, output_dir))
    return summary


def consume(reports: Iterator[Report], todo: list[Planned], tasks: list[Task], output_dir: Path,
            manifest: Manifest, version: str, progress: Progress) -> tuple[int, list[dict[str, str]]]:
    """Record every finished document: manifest, timings line, progress; returns (done, failed)."""
    by_source = {p.source: p for p in todo}
    tasks_by_source = {t.source: t for t in tasks}
    failed: list[dict[str, str]] = []
    done = 0
    last_save = time.monotonic()
    with open(output_dir / "timings.jsonl", "w", encoding="utf-8") as timings_file:
        for report in reports:
            item, task = by_source[report.source], tasks_by_source[report.source]
            if report.format is None:
                report.format = item.path.suffix.lower().lstrip(".")
            if report.abnormal:  # timeout or crash: the worker never wrote it, and it is not cached
                write_json(task.output, abnormal_result(task, report.error or ""))
                manifest.forget(report.source)
            else:
                rel_output = Path(task.output).relative_to(output_dir.resolve()).as_posix()
                manifest.record(item.source, Entry(item.hash, version, rel_output, report.error))
            if report.error:
                failed.append({"source": report.source, "error": report.error})
                progress.note(f"FAILED {report.source}: {report.error}")
            else:
                done += 1
            timings_file.write(json.dumps(timing_record(report, item), ensure_ascii=False) + "\n")
            progress.update(bool(report.error))
            if time.monotonic() - last_save > MANIFEST_SAVE_EVERY:
                manifest.save()  # an interrupted run keeps what it finished
                timings_file.flush()
                last_save = time.monotonic()
    return done, failed


def count_reasons(failed: list[dict[str, str]]) -> dict[str, int]:
    reasons: dict[str, int] = {}
    for f in failed:
        reason = failure_reason(f["error"])
        reasons[reason] = reasons.get(reason, 0) + 1
    return dict(sorted(reasons.items()))


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
    why = ", ".join(f"{n} {reason}" for reason, n in summary["failed_by_reason"].items())
    parts = [
        f"{summary['documents']} documents: {summary['done']} done",
        f"{len(failed)} failed" + (f" ({why})" if why else ""),
        f"{summary['skipped']} skipped (cached)",
    ]
    if summary["removed"]:
        parts.append(f"{len(summary['removed'])} removed")
    rate = summary["docs_per_s"]
    return (", ".join(parts) + f" in {summary['seconds']:.1f} s"
            + (f" ({rate:.1f} docs/s)" if rate else "") + f" → {output_dir}")
