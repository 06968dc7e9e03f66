"""Vietnamese number notation: ``13,5 triệu`` → 13500000, ``24.500`` → 24500.

Vietnamese administrative texts write a comma for the decimal mark and a dot
between thousands (``13,5``; ``24.500``; ``1.500.000``), put a leading zero on
small counts (``01`` kênh), scale with words (``650 nghìn``/``ngàn``,
``13,5 triệu``, ``2 tỷ``), write ranges with a hyphen or words (``2 - 3``,
``10 -15``, ``từ 2 đến 3``) and percentages as ``70%``, ``70 %`` or
``12,5 phần trăm``. :func:`find_quantities` finds these in a text with their
character spans; :func:`parse_number` reads one number.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

import regex

# "24.500" / "1.500.000" (dot between thousands, optional decimal comma) first,
# then a plain integer with an optional decimal part ("13,5", "12.5").
_NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
_SCALE_WORDS = {"trăm": 100, "nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}
# "tỷ lệ" / "tỉ lệ" (ratio) is not the scale word "tỷ".
_SCALE = r"(?:\s+(?P<{name}>trăm|nghìn|ngàn|triệu|tỷ|tỉ)(?!\p{{L}})(?!\s+lệ))"
_PERCENT = r"(?:\s?%|\s+phần\s+trăm(?!\p{L}))"
_DASH = r"\s*[-–—]\s*"

# A number must not be glued to a word or a symbol: "CCVCLĐ1" (a footnote mark),
# "02-NQ/TW", "1729/QĐ-TTg", "12/6/2021", "10b".
_BEFORE = r"(?<![\p{L}\p{N}/.,\-–_])"
# Right after the digits: not a longer number, a date or symbol ("12/2012/QH13",
# "12/6", "02-NQ") or a glued letter ("10b").
_AFTER = r"(?![\p{N}]|[.,]\d|\s?/\s?\d|[/\-–]\s?\p{L}|\p{L})"

_QUANTITY = regex.compile(
    r"(?:(?P<from>\btừ\s+))?"
    + _BEFORE
    + r"(?P<n1>" + _NUM + r")" + _AFTER
    + _SCALE.format(name="s1") + r"?"
    + r"(?P<p1>" + _PERCENT + r")?"
    + r"(?:(?:" + _DASH + r"|\s+(?:đến|tới)\s+)"
    + r"(?P<n2>" + _NUM + r")" + _AFTER
    + _SCALE.format(name="s2") + r"?"
    + r")?"
    + r"(?P<p2>" + _PERCENT + r")?",
    regex.IGNORECASE,
)


_THOUSANDS = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DIGIT = regex.compile(r"\d")


def parse_number(text: str) -> float | int:
    """Read one number in Vietnamese notation.

    ``"13,5"`` → 13.5, ``"24.500"`` → 24500, ``"1.500.000"`` → 1500000,
    ``"01"`` → 1, ``"12.5"`` → 12.5 (a dot followed by other than three digits
    is a decimal point, as in texts typed with an English keyboard).
    """
    t = text.strip()
    if _THOUSANDS.fullmatch(t):
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", ".")
    value = float(t)
    return int(value) if value.is_integer() else value


def _scaled(number: str, scale: Optional[str]) -> float | int:
    value = parse_number(number)
    if scale:
        value = value * _SCALE_WORDS[scale.lower()]
        value = round(value, 6)
        if float(value).is_integer():
            value = int(value)
    return value


@dataclass
class Quantity:
    """A number (or range) found in a text, with its span and meaning."""

    start: int  # span of the whole expression ("từ 2 đến 3", "13,5 triệu", "70 %")
    end: int
    value: float | int
    value_max: Optional[float | int]
    percent: bool
    text: str

    @property
    def is_range(self) -> bool:
        return self.value_max is not None


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """All numbers and ranges in ``text`` (spans shifted by ``offset``).

    A range's lower bound is ``value`` and its upper bound ``value_max``; a range
    with a falling second number ("2023 - 15") is read as two numbers, not a range.
    """
    if not _DIGIT.search(text):  # every quantity has a digit; most clauses have none
        return []
    return [
        Quantity(offset + q.start, offset + q.end, q.value, q.value_max, q.percent, q.text)
        for q in _quantities_at_zero(text)
    ]


def has_quantities(text: str) -> bool:
    """Whether ``text`` holds a number: :func:`find_quantities` without building its records."""
    return bool(_DIGIT.search(text)) and bool(_quantities_at_zero(text))


@functools.lru_cache(maxsize=8192)
def _quantities_at_zero(text: str) -> tuple[Quantity, ...]:
    """:func:`find_quantities` at offset 0, cached: a one-clause sentence is read
    as a sentence and again as its clause."""
    offset = 0
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        n2 = m.group("n2")
        percent = bool(m.group("p1") or m.group("p2"))
        value = _scaled(m.group("n1"), m.group("s1") or (m.group("s2") if n2 else None))
        start = m.start("n1") if not m.group("from") or not n2 else m.start()
        if n2:
            value_max = _scaled(n2, m.group("s2") or m.group("s1"))
            if value_max <= value:
                # Not a range: keep the first number alone and let the scan resume.
                end = m.end("p1") if m.group("p1") else (m.end("s1") if m.group("s1") else m.end("n1"))
                out.append(Quantity(offset + m.start("n1"), offset + end, value, None, bool(m.group("p1")), text[m.start("n1"):end]))
                continue
            out.append(Quantity(offset + start, offset + m.end(), value, value_max, percent, text[start:m.end()]))
        else:
            out.append(Quantity(offset + start, offset + m.end(), value, None, percent, text[start:m.end()]))
    return tuple(out)
