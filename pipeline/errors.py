"""What can go wrong with one file, as data: a kind, the stage, and what to do.

Every failure a researcher sees (in the document's JSON, ``summary.json`` and
``errors.csv``) carries an ``error_kind`` from ``models/errors.yaml``, the
``stage`` it happened in (discover, read, parse, extract, write, worker) and a
``remedy`` — the action that fixes it. Readers raise :class:`ReadError` with the
kind when they know it; otherwise :func:`classify` infers it from the message
with the patterns in the same file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

from .vocab import load


class ReadError(Exception):
    """A file that cannot be read; the message says why, ``kind`` names the case."""

    def __init__(self, message: str, kind: str | None = None, stage: str = "read"):
        super().__init__(message)
        self.kind = kind
        self.stage = stage


@dataclass(frozen=True)
class ErrorKind:
    name: str
    stage: str
    remedy: str


@functools.lru_cache(maxsize=1)
def _kinds() -> dict[str, ErrorKind]:
    data = load("errors")["kinds"]
    return {name: ErrorKind(name, spec["stage"], spec["remedy"].strip()) for name, spec in data.items()}


@functools.lru_cache(maxsize=1)
def _patterns() -> list[tuple[regex.Pattern[str], str]]:
    return [(regex.compile(p["pattern"], regex.IGNORECASE), p["kind"]) for p in load("errors")["patterns"]]


def kinds() -> dict[str, ErrorKind]:
    """Every known error kind by name."""
    return dict(_kinds())


def classify(message: str) -> str:
    """The kind of an error message that did not come with one (first pattern that matches)."""
    for pattern, kind in _patterns():
        if pattern.search(message):
            return kind
    return "internal"


def describe(message: str, kind: str | None = None, stage: str | None = None) -> dict[str, Any]:
    """The error fields of a result: ``error``, ``error_kind``, ``stage``, ``remedy``."""
    spec = _kinds().get(kind or classify(message)) or _kinds()["internal"]
    return {"error": message, "error_kind": spec.name, "stage": stage or spec.stage, "remedy": spec.remedy}
