"""Time expressions of Vietnamese administrative texts, with their calendar bounds.

Shared by the deadline extractor (``trước 30/12/2023``, ``trong quý II năm
2024``, ``Thời gian thực hiện năm 2023 – 2024``) and by the deadlines of targets
(``hằng năm`` → ``"annual"``, ``đến năm 2025`` → 2025, ``hết nhiệm kỳ`` → the
last year of the term). Vocabulary is in ``models/time_words.yaml``.

Forms read, with the kind and bounds each gets:

- ``30/12/2023``, ``30-12-2023``, ``30.12.2023``, ``ngày 15 tháng 3 năm 2025``
  → ``date`` (that day);
- ``tháng 7/2024``, ``tháng 7 năm 2024`` → ``month``; ``quý II năm 2024``,
  ``quý 2/2024``, ``Quý IV/2025`` → ``quarter``; ``năm 2024`` → ``year``;
- ``từ ngày 01/10/2025 đến hết ngày 31/12/2025``, ``từ tháng 3 đến tháng 6/2024``,
  ``năm 2023 – 2024``, ``từ năm 2023 đến năm 2025`` and ``năm 2025 và năm 2026``
  (two consecutive years named together) → ``range`` from the first day to the last;
- ``6 tháng đầu năm 2024`` (any "N tháng đầu/cuối năm") → ``range`` over those months;
- ``đầu năm 2026`` (early in the year: no calendar unit) → ``range`` over its first
  quarter, 2026-01-01 … 2026-03-31, the reading planners give "đầu năm";
- ``cuối năm 2025`` / ``hết năm 2025`` (by the end of the year) → ``year`` that ends
  2025-12-31 but has no start: it is "by" whatever trigger stands before it.

A deadline of a task (:func:`deadlines_in`) needs a trigger before the expression:
``trước``, ``chậm nhất (là) ngày`` and ``từ nay đến (hết) ngày`` give an end only
(``date`` "trước 30/12/2023" → null, 2023-12-30); ``trong``, ``vào``, ``hoàn
thành``, ``thời gian thực hiện`` give the whole period. ``vào``/``trong`` may name
an occasion between them and the expression ("vào kỳ chi trả tháng 12 năm 2025"),
and ``thời gian thực hiện …`` may name the task ("thời gian thực hiện giảm lãi suất
cho vay từ ngày … đến hết ngày …"). ``vào`` a bare year names a horizon ("trở
thành tỉnh công nghiệp vào năm 2045") unless an event verb stands before it
("tổng kết vào năm 2030"). Dates without a year are recurrences
("định kỳ trước ngày 15 hằng tháng", "trước ngày 30 tháng 11 hằng năm") and are
not read: no fixed date can be given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from typing import Optional, Sequence

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
    ("half", regex.compile(r"(?<!\p{L})(?P<n>\d{1,2}|sáu|ba|chín)\s+tháng\s+(?P<h>đầu|cuối)\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("year_edge", regex.compile(r"(?<!\p{L})(?P<h>đầu|cuối|hết)\s+năm\s+(?P<y>(?:19|20)\d\d)(?![\d/])", _FLAGS)),
    ("month", regex.compile(r"(?<!\p{L})tháng\s+(?P<m>\d{1,2})\s*(?:/|-|\s+năm\s+|,\s*năm\s+)\s*(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("quarter", regex.compile(r"(?<!\p{L})quý\s+(?P<q>IV|I{1,3}|[1-4])(?!\p{L})\s*(?:/|-|–|\s+năm\s+|,\s*năm\s+)\s*(?P<y>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("range", regex.compile(r"(?<!\p{L})từ\s+năm\s+(?P<y1>(?:19|20)\d\d)\s+(?:đến|tới)\s+(?:hết\s+)?năm\s+(?P<y2>(?:19|20)\d\d)(?!\d)", _FLAGS)),
    ("range", regex.compile(r"(?<![\p{L}\p{N}/])(?:(?:các\s+)?năm\s+)?(?P<y1>(?:19|20)\d\d)\s*[-–—]\s*(?P<y2>(?:19|20)\d\d)(?![\d/])", _FLAGS)),
    # "năm 2025 và năm 2026", "các năm 2025, 2026": one period over both years.
    ("year_pair", regex.compile(
        r"(?<!\p{L})(?:các\s+)?năm\s+(?P<y1>(?:19|20)\d\d)\s*(?:,|và)\s*(?:năm\s+)?(?P<y2>(?:19|20)\d\d)(?![\d/])", _FLAGS)),
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
    end_only: bool = False  # "cuối năm 2025": a time by which, without a start

    @property
    def year(self) -> int:
        return self.last.year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_count(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS["month_count_words"][word.lower()]


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
            y, n = int(g["y"]), _month_count(g["n"])
            if not 1 <= n <= 11:
                return None
            first, last = (1, n) if g["h"].lower() == "đầu" else (13 - n, 12)
            return "range", dt.date(y, first, 1), _month_end(y, last)
        if kind == "year_edge":
            y = int(g["y"])
            if g["h"].lower() == "đầu":
                first, last = _WORDS["early_year_months"]
                return "range", dt.date(y, first, 1), _month_end(y, last)
            return "year_end", dt.date(y, 1, 1), dt.date(y, 12, 31)
        if kind == "year_pair":
            y1, y2 = int(g["y1"]), int(g["y2"])
            if not 0 < y2 - y1 <= 1:
                return None  # "năm 2020 và 2025": two points in time, not one period
            return "range", dt.date(y1, 1, 1), dt.date(y2, 12, 31)
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


# Every pattern above needs a year; most sentences have none, and the same
# clause is scanned by several extractors: test for a year first, cache the rest.
_ANY_YEAR = regex.compile(r"(?:19|20)\d\d")


def may_hold_time(text: str) -> bool:
    """False when ``text`` has no year, so no calendar expression (a cheap test)."""
    return _ANY_YEAR.search(text) is not None


def find_time_exprs(text: str, offset: int = 0) -> list[TimeExpr]:
    """Calendar expressions in ``text``, non-overlapping, in text order."""
    if not _ANY_YEAR.search(text):
        return []
    return [
        TimeExpr(t.kind, offset + t.start, offset + t.end, t.first, t.last, t.text, t.end_only)
        for t in _time_exprs_at_zero(text)
    ]


def _overlaps(spans: Sequence[tuple[int, int]], s: int, e: int) -> bool:
    """``[s, e)`` overlaps one of ``spans`` (a plain loop: it runs for every
    match of every pattern, and a generator costs more than the test)."""
    for ts, te in spans:
        if s < te and ts < e:
            return True
    return False


@functools.lru_cache(maxsize=8192)
def _time_exprs_at_zero(text: str) -> tuple[TimeExpr, ...]:
    offset = 0
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if _overlaps(taken, s, e):
                continue
            bounds = _bounds(kind, m)
            if bounds is None:
                continue
            k, first, last = bounds
            taken.append((s, e))
            end_only = k == "year_end"
            out.append(TimeExpr("year" if end_only else k, offset + s, offset + e, first, last, text[s:e], end_only))
    out.sort(key=lambda t: t.start)
    return tuple(out)


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
    return [TargetDeadline(value, offset + s, offset + e) for value, s, e in _target_deadlines_at_zero(text, term_end)]


# Sentences are read again for each of their quantities and clauses: cached.
@functools.lru_cache(maxsize=8192)
def _target_deadlines_at_zero(text: str, term_end: Optional[int]) -> tuple[tuple[str | int, int, int], ...]:
    found: list[tuple[str | int, int, int]] = []
    spans: list[tuple[int, int]] = []

    def add(value: str | int, s: int, e: int) -> None:
        if any(s < pe and ps < e for ps, pe in spans):
            return
        spans.append((s, e))
        found.append((value, s, e))

    if _ANY_YEAR.search(text):  # both patterns need a year
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
    found.sort(key=lambda d: d[1])
    return tuple(found)


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
# "vào kỳ chi trả", "trong đợt cao điểm": an occasion named between trigger and time.
_OCCASION_BEFORE = regex.compile(
    r"(?<!\p{L})(?P<t>" + _alternation(_WORDS["occasion_triggers"]) + r")\s+(?:" + _alternation(_WORDS["occasion_nouns"])
    + r")(?:\s+[^\s,;:.()]+){0,4}\s+$", _FLAGS
)
# "thời gian thực hiện giảm lãi suất cho vay từ …": the task named between them.
_TASK_TIME_BEFORE = regex.compile(
    r"(?<!\p{L})(?P<t>" + _alternation(_WORDS["task_time_triggers"]) + r")(?:\s+[^\s,;:.()]+){1,8}\s+$", _FLAGS
)
_POINT_TRIGGER = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["point_triggers"]) + r")\s*$", _FLAGS)
_EVENT_BEFORE = regex.compile(
    r"(?<!\p{L})(?:" + _alternation(_WORDS["event_verbs"]) + r")(?!\p{L})(?:\s+[^\s,;:.()]+){0,6}?\s+(?:" + _alternation(_WORDS["point_triggers"]) + r")\s*$",
    _FLAGS,
)
_END_TRIGGER = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["end_triggers"]) + r")\s*$", _FLAGS)
_RECURRENCE_AFTER = regex.compile(r"^\s*\(?\s*(?:" + _alternation(_WORDS["recurrence_words"]) + r")(?!\p{L})", _FLAGS)
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


def _distant_trigger(before: str) -> Optional[tuple[int, str]]:
    """A trigger separated from the expression by the words of an occasion ("vào kỳ
    chi trả tháng 12") or of the task ("thời gian thực hiện giảm lãi suất cho vay từ …")."""
    m = _OCCASION_BEFORE.search(before) or _TASK_TIME_BEFORE.search(before)
    if not m:
        return None
    return m.start(), _TRIGGER_KIND[" ".join(m.group("t").lower().split())]


def deadlines_in(
    text: str, offset: int = 0, assume: Optional[str] = None, masked: Sequence[tuple[int, int]] = ()
) -> list[Deadline]:
    """Deadlines of tasks in one clause: time expressions with a trigger before them.

    A bare date ("ngày 12/6/2021 của Bộ Chính trị") is a citation date, and a
    period ("giai đoạn 2023 - 2028", "tầm nhìn đến năm 2045") is not a deadline;
    a clause about the past ("đã hoàn thành trong năm 2023") has none.
    ``assume`` ("within" or "by") stands for a trigger the context supplies, as
    the header "Thời gian hoàn thành" does for the cells of its column.
    ``masked`` spans (absolute offsets: titles of cited documents) hold no deadline.
    """
    # A clause without a year has no time expression: that test is cheap, the
    # search for a past marker is not.
    if not _ANY_YEAR.search(text) or _PAST.search(text):
        return []
    out: list[Deadline] = []
    for expr in find_time_exprs(text):
        if _overlaps(masked, offset + expr.start, offset + expr.end):
            continue
        before = text[max(0, expr.start - 90):expr.start]
        if _NOT_DEADLINE_BEFORE.search(before) or _PERIOD_BEFORE.search(before):
            continue
        if _RECURRENCE_AFTER.match(text[expr.end:]):
            continue  # "trước ngày 15/12/2025 hằng năm": a recurring date
        chain = _trigger_chain(before)
        if chain is None and (expr.end_only or expr.kind == "date"):
            m = _END_TRIGGER.search(before)
            chain = (m.start(), "by") if m else None  # "đến cuối năm 2025", "từ nay đến 31/3/2026"
        if chain is None:
            chain = _distant_trigger(before)
        if chain is None and assume is None and _schedule_item(text, expr):
            chain = (len(before), "within")  # "- Quý II/2025: tổ chức hội nghị …"
        if chain is None:
            if assume is None:
                continue
            chain = (len(before), assume)
        rel_start, kind = chain
        if expr.kind == "year" and not expr.end_only and _POINT_TRIGGER.search(before) and not _EVENT_BEFORE.search(before):
            continue  # "vào năm 2050": a horizon, not a period to act in ("tổng kết vào năm 2030" is)
        t_start = expr.start - len(before) + rel_start
        if kind == "context":
            t_start = expr.start
        if expr.end_only:
            first, last = None, expr.last  # "trước cuối năm 2025", "vào cuối năm 2025"
        elif kind == "by":
            first = None
            if expr.kind == "date" or "trước" not in before[rel_start:].lower():
                last = expr.last
            else:
                last = expr.first - dt.timedelta(days=1)  # "trước quý III/2024": before it starts
        else:
            first, last = expr.first.isoformat(), expr.last
        out.append(Deadline(offset + t_start, offset + expr.end, text[t_start:expr.end], expr.kind, first, last.isoformat()))
    return out


# --- titles of cited documents ---------------------------------------------

# A số ký hiệu: "66/NQ-CP", "02-NQ/TW", "64/KH-UBND", "12/2012/QH13", "10b/NQ-BCH".
_SYMBOL = regex.compile(
    r"(?<![\p{L}\p{N}/])\d{1,5}[a-zđ]?\s*(?:"
    r"-\s*\p{Lu}[\p{L}Đđ]*\s*/\s*\p{Lu}[\p{L}\p{N}Đđ]*"  # 02-NQ/TW, 79-KL/TW
    r"|/(?:(?:19|20)\d\d/)?\p{Lu}[\p{L}\p{N}Đđ]*(?:-\p{Lu}[\p{L}\p{N}Đđ]*)*"  # 66/NQ-CP, 12/2012/QH13
    r")"
)
# A title opener word, looked for by ``_title_opener`` at most _OPENER_REACH
# characters after a number, before any clause stop.
_TITLE_OPENER = regex.compile(r"(?<!\p{L})(?:" + _alternation(_WORDS["title_openers"]) + r")(?!\p{L})", _FLAGS)
_CLAUSE_STOP = regex.compile(r"[;.:,\n]")
_OPENER_REACH = 140


def _title_opener(text: str, start: int) -> Optional[regex.Match]:
    """The first title opener within reach of ``start`` ("… 66/NQ-CP ngày 26/3/2025 của Chính phủ về …").

    A loop over positions rather than one pattern with a lazy ``.{0,140}?``
    prefix, which costs 140 steps at every position when run over a whole text."""
    stop = _CLAUSE_STOP.search(text, start, start + _OPENER_REACH + 1)
    last = stop.start() if stop else min(start + _OPENER_REACH, len(text))
    for pos in range(start, last + 1):
        if pos > 0 and text[pos - 1].isalpha():  # inside a word (the pattern checks it too)
            continue
        opener = _TITLE_OPENER.match(text, pos)
        if opener:
            return opener
    return None
# A comma followed by these starts a new clause: the title has ended.
_TITLE_END = regex.compile(
    r"[;:(\n]|\.(?:\s|$)|,\s*(?=(?:" + _alternation(_WORDS["clause_openers"]) + r")(?!\p{L}))", _FLAGS
)
# ", Chính phủ yêu cầu …", ", Ban Thường vụ giao …": a new subject with a directive verb.
_NEW_SUBJECT = regex.compile(
    r",\s*(?=(?-i:\p{Lu})[^,;:.]{0,60}?(?<!\p{L})(?:" + _alternation(_WORDS["new_subject_verbs"]) + r")(?!\p{L}))", _FLAGS
)
_CLAUSE_OPENER = regex.compile(r",\s*(?=(?:" + _alternation(_WORDS["clause_openers"]) + r")(?!\p{L}))", _FLAGS)


def clause_breaks(text: str) -> list[int]:
    """Offsets in ``text`` where a comma opens a new clause: before a clause opener
    ("…, đảm bảo cắt giảm", "…, cụ thể như sau") or a new subject with a directive
    verb ("…, Chính phủ yêu cầu các Bộ trưởng …"). Commas inside a list ("đoàn viên,
    công nhân, lao động") are not breaks."""
    return sorted({m.start() for m in _CLAUSE_OPENER.finditer(text)} | {m.start() for m in _NEW_SUBJECT.finditer(text)})
_MAX_TITLE = 400


def citation_anchors(found: dict) -> list[tuple[int, int]]:
    """Spans of the mentions of cited documents (numbered or named) that the
    citation extractors left in ``found``."""
    return [
        tuple(o["span"])
        for key in ("citations", "named_citations")
        for c in found.get(key) or []
        for o in c.get("occurrences") or []
        if o.get("span")
    ]


def cited_title_spans(text: str, anchors: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of the titles (trích yếu) of documents cited in ``text``.

    A title follows a document's number, its date and issuer, opened by "về",
    "phê duyệt", "ban hành" … ("Nghị quyết số 66/NQ-CP ngày 26/3/2025 của Chính phủ
    về Chương trình cắt giảm … năm 2025 và 2026"), and runs to the end of the
    clause. Years inside it date the cited programme, not this document's
    deadlines. ``anchors`` are spans of mentions found by the citation extractors
    (named documents too: "Luật Công đoàn năm 2012" is masked as a whole); a
    number in the text is an anchor of its own.
    """
    return list(_cited_title_spans(text, tuple(sorted({(s, e) for s, e in anchors}))))


# Targets and deadlines both mask the cited titles of a document: found once.
@functools.lru_cache(maxsize=4)
def _cited_title_spans(text: str, anchors: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    points = sorted(set(anchors) | {m.span() for m in _SYMBOL.finditer(text)})
    for s, e in points:
        spans.append((s, e))
        opener = _title_opener(text, e)
        if not opener:
            continue
        window = text[opener.end():opener.end() + _MAX_TITLE]
        end = len(window)
        for m in _TITLE_END.finditer(window):
            if window.count("“", 0, m.start()) > window.count("”", 0, m.start()):
                continue  # a comma inside a quoted name: “xã, phường không ma túy”
            end = m.start()
            break
        spans.append((e, opener.end() + end))
    return tuple(spans)
