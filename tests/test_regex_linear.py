"""No catastrophic backtracking: every compiled pattern of ``pipeline`` and
``extractors`` runs over long adversarial inputs within a generous time limit.

Every module of both packages is imported and every compiled pattern reachable
from its globals is collected (directly, in lists/tuples/sets/dicts or dataclass
instances up to two levels deep, and as class attributes). Each pattern's
``finditer`` is consumed fully over inputs built to look like the worst of the
genre: runs of dotted and slashed numbers ("1.1.1.…", "1/1/1/…"), repeated
symbol tails ("-NQ/TW"), Vietnamese words, upper-case words, "((((", "a)a)a)",
digits, and the pattern's own literal words repeated. A pattern that needs more
than ``LIMIT_SECONDS`` (the ``regex`` module's ``timeout=``; ``re`` patterns are
recompiled with ``regex``) fails with its module, name and the input kind.

Whitespace: text after :mod:`pipeline.normalize` has no runs of blanks (spaces
collapse, blocks are trimmed and joined by one newline), and that is all the
section parser, the sentence splitter and the extractors ever see; so their
inputs alternate words with single blanks. Long runs of spaces and tabs are
given to the patterns of the modules that see raw file text (readers, legacy
encodings, package safety), where a line of a million blanks can occur.

Sizes: one text of about 1 MB per pattern made of 64 KB runs of each kind
(``finditer`` over it once); a quadratic pattern already needs minutes on one
64 KB run. Only when that times out is each kind run alone, to name the culprit.
Measured: 329 patterns, 20 s for the whole file on the shared 2-core machine at a
load of 3.5 (74 s at a load of 5 beside another test run; the slowest pattern 2.4 s).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from typing import Any, Iterator, NamedTuple

import pytest
import regex

import extractors
import pipeline

LIMIT_SECONDS = 30.0
RUN = 1 << 16  # 64 KB of each kind: a quadratic pattern already needs minutes on one run
# Input kind -> repeated unit. Runs of every kind are concatenated into one text
# of about 1 MB per pattern (16 kinds × 64 KB).
INPUTS: dict[str, str] = {
    "dotted numbers": "1.",
    "slashed numbers": "1/",
    "symbol tails": "-NQ/TW",
    "symbols": "1729/QĐ-TTg ",
    "vietnamese words": "công đoàn cơ sở ",
    "upper-case words": "BAN CHẤP HÀNH ",
    "open parentheses": "(",
    "letter items": "a)",
    "digits": "1",
    "one long word": "a",
    "numbers": "13,5 24.500 70% ",
    "dates": "30/12/2023 ",
    "quotes": "“",
    "dashes": "- ",
    "single blanks": "a \nb ",
}
RAW_INPUTS: dict[str, str] = {"blank runs": " \t "}
# Modules whose patterns see raw file text, before normalisation.
RAW_MODULES = ("pipeline.readers.", "pipeline.legacy_text", "pipeline.safety")


class Found(NamedTuple):
    name: str  # "module.GLOBAL[2]"
    module: str
    pattern: regex.Pattern


def _modules() -> list[Any]:
    modules = []
    for package in (pipeline, extractors):
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.rsplit(".", 1)[-1] == "__main__":  # runs the CLI when imported
                continue
            modules.append(importlib.import_module(info.name))
    return modules


def _children(obj: Any, name: str) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        yield from ((f"{name}[{k!r}]", v) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        yield from ((f"{name}[{i}]", v) for i, v in enumerate(obj))
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        yield from ((f"{name}.{f.name}", getattr(obj, f.name)) for f in dataclasses.fields(obj))


def _walk(obj: Any, name: str, depth: int) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, (re.Pattern, regex.Pattern)):
        yield name, obj
    elif depth <= 2:
        for child_name, child in _children(obj, name):
            yield from _walk(child, child_name, depth + 1)


def _as_regex(pattern: Any) -> regex.Pattern:
    if isinstance(pattern, regex.Pattern):
        return pattern
    flags = pattern.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII)
    return regex.compile(pattern.pattern, flags)


def collect_patterns() -> list[Found]:
    found: dict[tuple, Found] = {}
    for module in _modules():
        for attr, value in vars(module).items():
            roots = [(f"{module.__name__}.{attr}", value)]
            if isinstance(value, type) and value.__module__ == module.__name__:
                roots = [(f"{module.__name__}.{attr}.{k}", v) for k, v in vars(value).items()]
            for root_name, root in roots:
                for name, pattern in _walk(root, root_name, 0):
                    key = (type(pattern), pattern.pattern, pattern.flags)
                    found.setdefault(key, Found(name, module.__name__, _as_regex(pattern)))
    return list(found.values())


PATTERNS = collect_patterns()


def _literals(pattern: regex.Pattern) -> str | None:
    """The pattern's own words, repeated: the text it is most tempted by."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    words = regex.findall(r"\p{L}{2,}", source)[:20]
    return " ".join(words) + " " if words else None


def inputs_for(found: Found) -> dict[str, str]:
    kinds = dict(INPUTS)
    if found.module.startswith(RAW_MODULES):
        kinds.update(RAW_INPUTS)
    literals = _literals(found.pattern)
    if literals:
        kinds["own literals"] = literals
    return kinds


def _run(unit: str, size: int = RUN) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _finishes(pattern: regex.Pattern, text: str, limit: float) -> bool:
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    try:
        for _ in pattern.finditer(subject, timeout=limit):
            pass
    except TimeoutError:
        return False
    return True


def test_every_module_pattern_is_collected():
    names = {f.name for f in PATTERNS}
    print(f"{len(PATTERNS)} compiled patterns in pipeline and extractors")
    assert len(PATTERNS) > 150
    # Module globals, containers and class attributes are all reached.
    assert "pipeline.sentences._BOUNDARY" in names
    assert any(n.startswith("extractors.timeexpr._PATTERNS[") for n in names)


def test_the_check_catches_backtracking():
    # Overlapping alternatives under a repeat: exponential, so 1 s is plenty to see it.
    assert not _finishes(regex.compile(r"(?:1|11)+x"), _run("1"), 1.0)
    assert _finishes(regex.compile(r"\d+x"), _run("1", 1 << 12), 1.0)


@pytest.mark.parametrize("found", PATTERNS, ids=[f.name for f in PATTERNS])
def test_pattern_runs_in_linear_time(found):
    kinds = inputs_for(found)
    if _finishes(found.pattern, "\n".join(_run(unit) for unit in kinds.values()), LIMIT_SECONDS):
        return
    # Too slow on the whole text: name the kinds of input that make it so.
    slow = [kind for kind, unit in kinds.items() if not _finishes(found.pattern, _run(unit), LIMIT_SECONDS / 2)]
    pytest.fail(f"{found.name} (module {found.module}) backtracks: over {LIMIT_SECONDS:g} s on about 1 MB; "
                f"slow alone on 64 KB of {slow or 'no single kind (a mix of them)'}")
