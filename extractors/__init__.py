"""Extractors: one module per kind of fact.

An extractor is a function ``extract(doc: ParsedDocument, found: dict) -> list``
registered by name with :func:`register`. ``found`` holds the results of the
extractors that ran before it (in registration order), so one extractor can use
another's output (citations skip the document's own number found by
``document``) without doing its work again. Records are plain dicts whose
fields follow ``../shared/gold/README.md`` plus provenance (``start``, ``end``,
``section``, ``sentence``) from :meth:`ParsedDocument.provenance`.

Adding an extractor: one new module and one line in ``EXTRACTOR_MODULES``.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from pipeline.document import ParsedDocument

Extractor = Callable[[ParsedDocument, dict], Any]

# Order matters: later extractors may read earlier ones' results.
EXTRACTOR_MODULES = [
    "extractors.identity",  # -> "document"
    "extractors.citations",  # -> "citations"
    "extractors.named_citations",  # -> "named_citations"
    "extractors.deadlines",  # -> "deadlines"
    "extractors.targets",  # -> "targets"
    "extractors.responsibilities",  # -> "responsibilities"
]

_REGISTRY: dict[str, Extractor] = {}


def register(name: str) -> Callable[[Extractor], Extractor]:
    def deco(fn: Extractor) -> Extractor:
        _REGISTRY[name] = fn
        return fn

    return deco


def registered() -> dict[str, Extractor]:
    """All extractors, in run order (imports their modules once)."""
    for module in EXTRACTOR_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def run_extractors(doc: ParsedDocument, only: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, fn in registered().items():
        if only is not None and name not in only:
            continue
        found[name] = fn(doc, found)
    return found
