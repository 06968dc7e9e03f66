"""Batch runner: every supported file under a directory → ``OUTPUT/documents``.

Each input ``INPUT/a/b.pdf`` gives ``OUTPUT/documents/a/b.pdf.json``. A file that
fails gets its error in its JSON and in ``OUTPUT/summary.json``; the batch goes on.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Iterator

from .io import write_json
from .process import process_file
from .readers import supported_suffixes


def discover(input_dir: Path) -> Iterator[Path]:
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


def run(input_dir: str | Path, output_dir: str | Path, quiet: bool = False) -> dict[str, Any]:
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise SystemExit(f"input directory not found: {input_dir}")
    t0 = time.perf_counter()
    done, failed = 0, []
    for path in discover(input_dir):
        source = path.relative_to(input_dir).as_posix()
        result = process_file(path, source)
        write_json(output_path(output_dir, input_dir, path), result)
        if result.get("error"):
            failed.append({"source": source, "error": result["error"]})
            if not quiet:
                print(f"FAILED {source}: {result['error']}", file=sys.stderr)
        else:
            done += 1
    summary = {"input": str(input_dir), "done": done, "failed": failed, "seconds": round(time.perf_counter() - t0, 3)}
    write_json(output_dir / "summary.json", summary)
    if not quiet:
        print(f"{done} documents extracted, {len(failed)} failed in {summary['seconds']} s → {output_dir}")
    return summary
