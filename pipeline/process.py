"""One document, end to end: read → sections and sentences → extractors → result.

:func:`process_file` is the per-document function every engine (sequential,
process pool, Dask) calls; it never raises for a bad file, it returns a result
with ``error`` set so a batch goes on.
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path
from typing import Any

from . import PIPELINE_VERSION
from .document import Document, ParsedDocument
from .errors import describe
from .readers import ReadError, read_document
from .sections import build_sections
from .sentences import split_sentences


def parse(document: Document) -> ParsedDocument:
    sections = build_sections(document)
    return ParsedDocument(document, sections, split_sentences(document))


def result_for(parsed: ParsedDocument, timings: dict[str, float] | None = None) -> dict[str, Any]:
    """The per-document JSON: gold fields first, then provenance material."""
    from extractors import run_extractors

    t0 = time.perf_counter()
    found = run_extractors(parsed)
    if timings is not None:
        timings["extract"] = time.perf_counter() - t0
    doc = parsed.document
    result: dict[str, Any] = {
        "source": doc.source,
        "format": doc.format,
        "pipeline_version": PIPELINE_VERSION,
        "error": None,
        "document": found.pop("document", None),
        "sections": [s.to_dict() for s in parsed.sections],
    }
    result.update(found)
    result["pages"] = doc.pages
    result["warnings"] = list(doc.warnings)
    result["meta"] = doc.meta
    result["text"] = doc.text
    result["blocks"] = doc.to_dict()["blocks"]
    return result


def process_file(path: str | Path, source: str | None = None) -> dict[str, Any]:
    """Read and extract one file; errors become a result with ``error`` set."""
    path = Path(path)
    source = source or path.name
    timings: dict[str, float] = {}
    stage = "read"
    try:
        t0 = time.perf_counter()
        document = read_document(path, source)
        timings["read"] = time.perf_counter() - t0
        stage = "parse"
        t0 = time.perf_counter()
        parsed = parse(document)
        timings["sections"] = time.perf_counter() - t0
        stage = "extract"
        result = result_for(parsed, timings)
    except ReadError as exc:
        return error_result(source, path, str(exc), kind=exc.kind, stage=exc.stage)
    except RecursionError as exc:  # pathological nesting in a file: the file's fault, not a bug
        return error_result(source, path, f"RecursionError: nested too deep ({exc})", kind="too_deep", stage=stage)
    except Exception as exc:  # a bug or a malformed file: report it, keep the batch going
        return error_result(source, path, f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=5),
                            kind="internal" if stage != "read" else None, stage=stage)
    result["timings"] = timings
    return result


def error_result(source: str, path: Path, message: str, trace: str | None = None,
                 kind: str | None = None, stage: str | None = None) -> dict[str, Any]:
    """The result of a file that failed: the error with its kind, stage and remedy."""
    return {
        "source": source,
        "format": path.suffix.lower().lstrip("."),
        "pipeline_version": PIPELINE_VERSION,
        **describe(message, kind, stage),
        "traceback": trace,
        "document": None,
        "sections": [],
    }
