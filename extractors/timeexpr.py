"""Time expressions of Vietnamese administrative texts, with their calendar bounds.

Shared by the deadline extractor (``trước 30/12/2023``, ``trong quý II năm
2024``, ``Thời gian thực hiện năm 2023 – 2024``) and by the deadlines of targets
(``hằng năm`` → ``"annual"``, ``đến năm 2025`` → 2025, ``hết nhiệm kỳ`` → the
last year of the term). Vocabulary is in ``models/time_words.yaml``.

Forms read: ``30/12/2023``, ``30-12-2023``, ``30.12.2023``, ``ngày 15 tháng 3 năm
2025``; ``tháng 7/2024``, ``tháng 7 năm 2024``; ``quý II năm 2024``, ``quý 2/2024``;
``6 tháng đầu năm 2024``; ``năm 2023 – 2024``, ``từ năm 2023 đến năm 2025``;
``năm 2024``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Optional

import regex

from pipeline.vocab import load

_WORDS = load("time_words")
_YEAR = r"((?:19|20)\d\d)"
_FLAGS = regex.IGNORECASE | regex.VERSION1


def _alternation(phrases: list[str]) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted({p.strip() for p in phrases}, key=len, reverse=True)
    return "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered)


_QUARTER_NAMES = {str(k).lower(): v for k, v in _WORDS["quarters"].items()}

# Calendar expressions, most specific first (a date before a bare year).
_D = r"(?P<d{i}>\d{{1,2}})\s*[/.\-]\s*(?P<m{i}>\d{{1,2}})(?:\s*[/.\-]\s*(?P<y{i}>(?:19|20)\d\d))?"
_DW = r"(?P<d{i}>\d{{1,2}})\s+tháng\s+(?P<m{i}>\d{{1,2}})(?:\s+năm\s+(?P<y{i}>(?:19|20)\d\d))?"
_PATTERNS: list[tuple[str, regex.Pattern]] = [
    # "từ ngày 01/3 đến ngày 30/6/2024", "kể từ ngày 01 tháng 7 năm 2026 đến hết ngày 31 tháng 12 năm 2027"
    ("date_range", regex.compile(
        r"(?<!\p{L})từ\s+(?:ngày\s+)?(?:" + _D.format(i=1) + r"|" + _DW.format(i=1) + r")"
        r"\s+(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(?:" + _D.format(i=2) + r"|" + _DW.format(i=2) + r")(?![\d/])", _FLAGS)),
    # "từ tháng 3 đến tháng 6/2024", "từ tháng 3 đến hết tháng 11 năm 2025"
    ("month_range", regex.compile(
        r"(?<!\p{L})từ\s+tháng\s+(?P<m1>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y1>(?:19|20)\d\d))?"
        r"\s+(?:đến|tới)\s+(?:hết\s+)?tháng\s+(?P<m2>\d{1,2})\s*(?:/|-|\s+năm\s+)\s*(?P<y2>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("date", regex.compile(r"(?<!\p{L})(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("date", regex.compile(r"(?<![\p{L}\p{N}/.])(?:ngày\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("half", regex.compile(r"(?<!\p{L})(?:6|sáu)\s+tháng\s+(?P<h>đầu|cuối)\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("month", regex.compile(r"(?<!\p{L})tháng\s+(?P<m>\d{1,2})\s*(?:/|-|\s+năm\s+|,\s*năm\s+)\s*(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("quarter", regex.compile(r"(?<!\p{L})quý\s+(?P<q>IV|I{1,3}|[1-4])(?!\p{L})\s*(?:/|-|–|\s+năm\s+|,\s*năm\s+)\s*(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("range", regex.compile(r"(?<!\p{L})từ\s+năm\s+(?P<y1>(?:19|20)\d\d)\s+(?:đến|tới)\s+(?:hết\s+)?năm\s+(?P<y2>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("range", regex.compile(r"(?<![\p{L}\p{N}/])(?:(?:các\s+)?năm\s+)?(?P<y1>(?:19|20)\d\d)\s*[-–—]\s*(?P<y2>(?:19|20)\d\d)(?![\d/])", _FLAGS)),
    ("year", regex.compile(r"(?<!\p{L})năm\s+(?P<y>(?:19|20)\d\d)(?![\d/])", _FLAGS)),
]


@dataclass
class TimeExpr:
    """A calendar expression: its span in the text and the dates it bounds."""

    kind: str  # "date" | "month" | "quarter" | "year" | "range"
    start: int
    end: int
    first: dt.date  # first day covered
    last: dt.date  # last day covered
    text: str

    @property
    def year(self) -> int:
        return self.last.year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _bounds(kind: str, m: regex.Match) -> Optional[tuple[str, dt.date, dt.date]]:
    g = m.groupdict()
    try:
        if kind == "date":
            d = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            return "date", d, d
        if kind == "date_range":
            y2 = int(g["y2"]) if g.get("y2") else None
            if y2 is None:
                return None
            y1 = int(g["y1"]) if g.get("y1") else y2
            first, last = dt.date(y1, int(g["m1"]), int(g["d1"])), dt.date(y2, int(g["m2"]), int(g["d2"]))
            return ("range", first, last) if first < last else None
        if kind == "month_range":
            y2 = int(g["y2"])
            y1 = int(g["y1"]) if g.get("y1") else y2
            first, last = dt.date(y1, int(g["m1"]), 1), _month_end(y2, int(g["m2"]))
            return ("range", first, last) if first < last else None
        if kind == "month":
            y, mo = int(g["y"]), int(g["m"])
            return "month", dt.date(y, mo, 1), _month_end(y, mo)
        if kind == "quarter":
            y, q = int(g["y"]), _QUARTER_NAMES[g["q"].lower()]
            return "quarter", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        if kind == "half":
            y = int(g["y"])
            first, last = _WORDS["half_year"][g["h"].lower()]
            return "range", dt.date(y, first, 1), _month_end(y, last)
        if kind == "range":
            y1, y2 = int(g["y1"]), int(g["y2"])
            if y2 <= y1 or y2 - y1 > 50:
                return None
            return "range", dt.date(y1, 1, 1), dt.date(y2, 12, 31)
        if kind == "year":
            y = int(g["y"])
            return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
    except (ValueError, KeyError):
        return None  # "31/2/2024" and the like: not a date
    return None


def find_time_exprs(text: str, offset: int = 0) -> list[TimeExpr]:
    """Calendar expressions in ``text``, non-overlapping, in text order."""
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            bounds = _bounds(kind, m)
            if bounds is None:
                continue
            k, first, last = bounds
            taken.append((s, e))
            out.append(TimeExpr(k, offset + s, offset + e, first, last, text[s:e]))
    out.sort(key=lambda t: t.start)
    return out


# --- deadlines of targets -------------------------------------------------

_ANNUAL = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["annual"]) + r")(?!\p{L})", _FLAGS)
_TERM_END = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["term_end_phrases"]) + r")(?!\p{L})(?!\s*\d)", _FLAGS)
_TERM_RANGE = regex.compile(
    r"(?<!\p{L})(?:" + _alternation(_WORDS["term_words"]) + r")\s*:?\s*" + _YEAR + r"\s*[-–—]\s*" + _YEAR + r"(?!\d)", _FLAGS
)
_PERIOD_RANGE = regex.compile(
    r"(?<!\p{L})(?:" + _alternation(_WORDS["period_words"]) + r")\s*:?\s*" + _YEAR + r"\s*[-–—]\s*" + _YEAR + r"(?!\d)", _FLAGS
)
_TARGET_YEAR = regex.compile(
    r"(?<!\p{L})(?P<lead>" + _alternation(_WORDS["target_year_lead"]) + r")\s+" + _YEAR + r"(?![\d/])", _FLAGS
)
# "từ năm 2026 trở đi" opens a period; "so với năm 2020" is a baseline.
_FROM_YEAR = regex.compile(r"(?<!\p{L})(?:từ|kể\s+từ|sau|so\s+với)\s+$", _FLAGS)


@dataclass
class TargetDeadline:
    """A phrase that sets the deadline of a target: ``"annual"`` or a year."""

    value: str | int
    start: int
    end: int


def term_end_year(text: str) -> Optional[int]:
    """Last year of the first term of office (nhiệm kỳ 2023 - 2028) in ``text``."""
    m = _TERM_RANGE.search(text)
    return int(m.group(2)) if m else None


def target_deadlines(text: str, term_end: Optional[int] = None, offset: int = 0) -> list[TargetDeadline]:
    """Phrases in ``text`` that set a target's deadline, in text order.

    ``hằng năm`` / ``bình quân mỗi năm`` → ``"annual"``; ``đến năm 2025``,
    ``năm 2023`` → the year; ``nhiệm kỳ 2023 - 2028`` or ``giai đoạn 2021 - 2025``
    → the last year; ``hết nhiệm kỳ`` → ``term_end`` (the term of the document).
    ``từ năm 2026`` (an open start) sets nothing.
    """
    found: list[TargetDeadline] = []
    spans: list[tuple[int, int]] = []

    def add(value: str | int, s: int, e: int) -> None:
        if any(s < pe and ps < e for ps, pe in spans):
            return
        spans.append((s, e))
        found.append(TargetDeadline(value, offset + s, offset + e))

    for m in _PERIOD_RANGE.finditer(text):
        add(int(m.group(2)), *m.span())
    for m in _TARGET_YEAR.finditer(text):
        if _FROM_YEAR.search(text[max(0, m.start() - 10):m.start()]):
            continue
        add(int(m.group(2)), *m.span())
    for m in _ANNUAL.finditer(text):
        add("annual", *m.span())
    if term_end is not None:
        for m in _TERM_END.finditer(text):
            add(term_end, *m.span())
    found.sort(key=lambda d: d.start)
    return found


# --- deadlines of tasks ---------------------------------------------------

_TRIGGERS = _WORDS["deadline_triggers"]
_TRIGGER_KIND = {}
for _kind in ("by", "within", "context"):
    for _p in _TRIGGERS.get(_kind, []):
        _TRIGGER_KIND.setdefault(" ".join(_p.lower().split()), _kind)
# A trigger right before an expression (":" or "là" may sit between).
_TRIGGER_BEFORE = regex.compile(
    r"(?<!\p{L})(?P<t>" + _alternation(list(_TRIGGER_KIND)) + r")\s*[:,]?\s*(?:là\s+)?$", _FLAGS
)
_NOT_DEADLINE_BEFORE = regex.compile(
    r"(?<!\p{L})(?:" + _alternation(_WORDS["not_deadline_before"]) + r")(?:\s+hết)?(?:\s+ngày)?\s*[:,]?\s*$", _FLAGS
)
_PERIOD_BEFORE = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["period_words"] + _WORDS["horizon_words"]) + r")\s*:?\s*$", _FLAGS)
_PAST = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["past_markers"]) + r")(?!\p{L})", _FLAGS)


@dataclass
class Deadline:
    """A deadline of a task: the expression, its kind and ISO bounds."""

    start: int  # span in the text
    end: int
    text: str
    kind: str
    first: Optional[str]  # ISO date, None for "by" deadlines
    last: str


_ITEM_START = regex.compile(r"^[\s\-–+*•·]*$")
_ITEM_COLON = regex.compile(r"^\s*[:–]")


def _schedule_item(text: str, expr: TimeExpr) -> bool:
    """A line of a timetable: the period opens the item and a colon follows it."""
    return (
        expr.kind in ("date", "month", "quarter", "range")
        and bool(_ITEM_START.match(text[: expr.start]))
        and bool(_ITEM_COLON.match(text[expr.end:]))
    )


def _trigger_chain(before: str) -> Optional[tuple[int, str]]:
    """Where the run of triggers before an expression starts, and the nearest one's kind."""
    m = _TRIGGER_BEFORE.search(before)
    if not m:
        return None
    kind = _TRIGGER_KIND[" ".join(m.group("t").lower().split())]
    start = m.start()
    # Stacked triggers: "Thời gian thực hiện trong", "hoàn thành xong trước".
    while True:
        m2 = _TRIGGER_BEFORE.search(before[:start])
        if not m2:
            break
        start = m2.start()
    return start, kind


def deadlines_in(text: str, offset: int = 0, assume: Optional[str] = None) -> list[Deadline]:
    """Deadlines of tasks in one clause: time expressions with a trigger before them.

    A bare date ("ngày 12/6/2021 của Bộ Chính trị") is a citation date, and a
    period ("giai đoạn 2023 - 2028", "tầm nhìn đến năm 2045") is not a deadline;
    a clause about the past ("đã hoàn thành trong năm 2023") has none.
    ``assume`` ("within" or "by") stands for a trigger the context supplies, as
    the header "Thời gian hoàn thành" does for the cells of its column.
    """
    if _PAST.search(text):
        return []
    out: list[Deadline] = []
    for expr in find_time_exprs(text):
        before = text[max(0, expr.start - 60):expr.start]
        if _NOT_DEADLINE_BEFORE.search(before) or _PERIOD_BEFORE.search(before):
            continue
        chain = _trigger_chain(before)
        if chain is None and assume is None and _schedule_item(text, expr):
            chain = (len(before), "within")  # "- Quý II/2025: tổ chức hội nghị …"
        if chain is None:
            if assume is None:
                continue
            chain = (len(before), assume)
        rel_start, kind = chain
        t_start = expr.start - len(before) + rel_start
        if kind == "context":
            t_start = expr.start
        if kind == "by":
            first = None
            if expr.kind == "date" or "trước" not in before[rel_start:].lower():
                last = expr.last
            else:
                last = expr.first - dt.timedelta(days=1)  # "trước quý III/2024": before it starts
        else:
            first, last = expr.first.isoformat(), expr.last
        out.append(Deadline(offset + t_start, offset + expr.end, text[t_start:expr.end], expr.kind, first, last.isoformat()))
    return out
