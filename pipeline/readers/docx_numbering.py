"""Word automatic numbering: the labels Word draws but never stores in the text.

``paragraph.text`` in a .docx never holds the "I.", "1.1." or "a)" a reader sees
when a list is numbered automatically; Word computes them at display time from
``word/numbering.xml``. This module reproduces that computation:

1. a paragraph's ``w:numPr`` (``w:numId``, ``w:ilvl``) — or, when absent, the
   ``w:numPr`` of its paragraph style and that style's ``w:basedOn`` chain;
   ``numId`` 0 means "no numbering";
2. ``w:num`` → ``w:abstractNum`` (following ``w:numStyleLink`` to the list style's
   definition), with ``w:lvlOverride`` (``w:startOverride`` or a whole ``w:lvl``);
3. counters kept **per abstractNum**, not per ``w:num``: Word continues one sequence
   across nums that share an abstract definition; a num's ``startOverride`` restarts
   the shared counter the first time that num is used; a deeper level restarts when
   a shallower one is used, as ``w:lvlRestart`` allows;
4. ``%n`` in ``w:lvlText`` replaced by level n's counter in that level's
   ``w:numFmt`` (all decimal under ``w:isLgl``); bullets become "-" or "•".

Only lxml elements are used (no python-docx objects), so it works on any parsed part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
_VAL = W + "val"
MAX_LEVELS = 9

# Bullet glyphs that read as a dash (Vietnamese documents write "-" items); every
# other glyph (Symbol/Wingdings private-use characters, "o", "§", "•") reads as "•".
_DASH_GLYPHS = frozenset("-–—−‐‑")
_KEPT_GLYPHS = frozenset("+*")


def w_attr(el: Optional[etree._Element], name: str = "val") -> Optional[str]:
    """``w:<name>`` attribute of ``el`` (None when the element or attribute is absent)."""
    if el is None:
        return None
    return el.get(_VAL if name == "val" else W + name)


def to_int(value: Optional[str], default: Optional[int] = None) -> Optional[int]:
    """Lenient integer parse: numbering.xml written by other tools is not always clean."""
    if value is None:
        return default
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return default


# --- number formats -------------------------------------------------------------

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))

_VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def to_roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def to_letter(n: int) -> str:
    """Word's letter sequence: A…Z, then AA…ZZ, AAA… (the letter repeats)."""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def to_vietnamese_count(n: int) -> str:
    """``vietnameseCounting`` for the small numbers a list reaches (một, hai, … mười chín)."""
    if 0 <= n < 10:
        return _VI_DIGITS[n]
    if 10 <= n < 20:
        unit = n - 10
        return "mười" if unit == 0 else "mười " + ("lăm" if unit == 5 else _VI_DIGITS[unit])
    return str(n)


_FORMATTERS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}" if 0 <= n < 10 else str(n),
    "upperRoman": to_roman,
    "lowerRoman": lambda n: to_roman(n).lower(),
    "upperLetter": to_letter,
    "lowerLetter": lambda n: to_letter(n).lower(),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "vietnameseCounting": to_vietnamese_count,
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word numFmt ``fmt``; formats not used in Vietnamese documents fall back to decimal."""
    return _FORMATTERS.get(fmt, str)(n)


def bullet_label(glyph: str) -> str:
    glyph = glyph.strip()
    if not glyph:
        return "•"
    if glyph[0] in _DASH_GLYPHS:
        return "-"
    if glyph[0] in _KEPT_GLYPHS:
        return glyph[0]
    return "•"


# --- definitions ---------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    """One ``w:lvl`` of an abstract numbering definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: Optional[int] = None  # w:lvlRestart: 1-based level whose use restarts this one; 0 = never
    legal: bool = False  # w:isLgl
    style: Optional[str] = None  # w:pStyle: the paragraph style bound to this level

    @property
    def is_bullet(self) -> bool:
        return self.fmt == "bullet"


_START, _NUM_FMT, _LVL_TEXT, _LVL_RESTART, _IS_LGL, _PSTYLE = (
    W + name for name in ("start", "numFmt", "lvlText", "lvlRestart", "isLgl", "pStyle"))


def parse_level(lvl: etree._Element) -> Level:
    first: dict = {}  # each child tag's first element, as find() gives it, in one pass
    for child in lvl:
        first.setdefault(child.tag, child)
    restart_el = first.get(_LVL_RESTART)
    return Level(
        start=to_int(w_attr(first.get(_START)), 1) or 0,
        fmt=w_attr(first.get(_NUM_FMT)) or "decimal",
        text=w_attr(first.get(_LVL_TEXT)) or "",
        restart=to_int(w_attr(restart_el)) if restart_el is not None else None,
        legal=is_on(first.get(_IS_LGL)),
        style=w_attr(first.get(_PSTYLE)),
    )


def is_on(el: Optional[etree._Element]) -> bool:
    """An OOXML on/off property: present and not ``0``/``false``/``off``."""
    if el is None:
        return False
    return (el.get(_VAL) or "true").lower() not in ("0", "false", "off")


@dataclass
class NumInstance:
    """A ``w:num``: an abstract definition plus per-level overrides."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


@dataclass(frozen=True)
class AutoLabel:
    """The label Word draws for one paragraph."""

    text: str  # "I.", "1.1.", "a)", "-", "•", "Điều 3."
    level: int  # ilvl
    fmt: str  # numFmt of the paragraph's level
    num_id: str
    abstract_id: str

    @property
    def is_bullet(self) -> bool:
        return self.fmt == "bullet"


class NumberingDefinitions:
    """Parsed ``numbering.xml`` (abstract definitions and num instances)."""

    def __init__(self, root: Optional[etree._Element], style_num: Callable[[str], Optional[tuple[Optional[str], Optional[int]]]]):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, NumInstance] = {}
        self._style_links: dict[str, str] = {}  # abstractId → list style it defers to (w:numStyleLink)
        self._style_num = style_num
        # Pure lookups asked for every numbered paragraph, answered once per num.
        self._abstract_cache: dict[str, Optional[str]] = {}
        self._levels_cache: dict[tuple[str, str], tuple[Optional[Level], ...]] = {}
        if root is None:
            return
        for ab in root.iter(W + "abstractNum"):
            aid = ab.get(W + "abstractNumId")
            if aid is None:
                continue
            levels: dict[int, Level] = {}
            for lvl in ab.findall(W + "lvl"):
                ilvl = to_int(lvl.get(W + "ilvl"))
                if ilvl is not None and 0 <= ilvl < MAX_LEVELS:
                    levels[ilvl] = parse_level(lvl)
            self.abstracts[aid] = levels
            link = w_attr(ab.find(W + "numStyleLink"))
            if link:
                self._style_links[aid] = link
        for num in root.iter(W + "num"):
            nid = num.get(W + "numId")
            aid = w_attr(num.find(W + "abstractNumId"))
            if nid is None or aid is None:
                continue
            inst = NumInstance(abstract_id=aid)
            for ov in num.findall(W + "lvlOverride"):
                ilvl = to_int(ov.get(W + "ilvl"))
                if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                    continue
                start = to_int(w_attr(ov.find(W + "startOverride")))
                if start is not None:
                    inst.start_overrides[ilvl] = start
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    inst.level_overrides[ilvl] = parse_level(lvl)
            self.nums[nid] = inst

    def abstract_of(self, num_id: str) -> Optional[str]:
        """The abstract definition a num uses, following ``w:numStyleLink`` to the
        list style's own definition (a few hops at most; cycles are cut)."""
        if num_id not in self._abstract_cache:
            self._abstract_cache[num_id] = self._find_abstract(num_id)
        return self._abstract_cache[num_id]

    def _find_abstract(self, num_id: str) -> Optional[str]:
        inst = self.nums.get(num_id)
        if inst is None:
            return None
        aid = inst.abstract_id
        seen = {aid}
        while aid in self._style_links:
            linked = self._style_num(self._style_links[aid])
            target = self.nums.get(linked[0]) if linked and linked[0] else None
            if target is None or target.abstract_id in seen:
                break
            aid = target.abstract_id
            seen.add(aid)
        return aid

    def level(self, num_id: str, abstract_id: str, ilvl: int) -> Optional[Level]:
        inst = self.nums.get(num_id)
        if inst is not None and ilvl in inst.level_overrides:
            return inst.level_overrides[ilvl]
        return self.abstracts.get(abstract_id, {}).get(ilvl)

    def levels(self, num_id: str, abstract_id: str) -> tuple[Optional[Level], ...]:
        """:meth:`level` of every level 0…8 of a num (overrides applied)."""
        key = (num_id, abstract_id)
        if key not in self._levels_cache:
            self._levels_cache[key] = tuple(self.level(num_id, abstract_id, k) for k in range(MAX_LEVELS))
        return self._levels_cache[key]

    def level_for_style(self, num_id: str, style_id: str) -> Optional[int]:
        """The level whose ``w:pStyle`` names ``style_id`` (numbering set through a style)."""
        aid = self.abstract_of(num_id)
        for ilvl, lvl in self.abstracts.get(aid or "", {}).items():
            if lvl.style == style_id:
                return ilvl
        return None


class NumberingCounter:
    """Walks paragraphs in document order and returns each one's visible label."""

    def __init__(self, definitions: NumberingDefinitions):
        self.defs = definitions
        self._values: dict[str, list[Optional[int]]] = {}  # per abstractNum, per level
        self._used_nums: set[str] = set()

    def next_label(self, num_id: str, ilvl: int) -> Optional[AutoLabel]:
        """Advance the counter for a paragraph numbered (num_id, ilvl); its label.

        Returns None when the num or level is undefined or draws nothing.
        """
        if num_id == "0" or num_id not in self.defs.nums:
            return None
        ilvl = min(max(ilvl, 0), MAX_LEVELS - 1)
        aid = self.defs.abstract_of(num_id)
        if aid is None:
            return None
        levels = self.defs.levels(num_id, aid)
        lvl = levels[ilvl]
        if lvl is None:
            return None
        values = self._values.get(aid)
        if values is None:
            values = self._values[aid] = [None] * MAX_LEVELS
        inst = self.defs.nums[num_id]
        if num_id not in self._used_nums:
            self._used_nums.add(num_id)
            # A startOverride restarts the shared sequence at that level (and below).
            for over_lvl in inst.start_overrides:
                for k in range(over_lvl, MAX_LEVELS):
                    values[k] = None
        current = values[ilvl]
        values[ilvl] = self._start(num_id, aid, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            dl = levels[deeper]
            restart = dl.restart if dl is not None else None
            # lvlRestart=r: restart only when a level shallower than r (1-based) is used.
            if restart is None or (restart != 0 and ilvl < restart):
                values[deeper] = None
        if lvl.is_bullet:
            text = bullet_label(lvl.text)
        else:
            text = self._render(num_id, aid, lvl, values)
        if not text.strip():
            return None
        return AutoLabel(text=text.strip(), level=ilvl, fmt=lvl.fmt, num_id=num_id, abstract_id=aid)

    def _start(self, num_id: str, aid: str, ilvl: int) -> int:
        inst = self.defs.nums[num_id]
        if ilvl in inst.start_overrides:
            return inst.start_overrides[ilvl]
        lvl = self.defs.levels(num_id, aid)[ilvl]
        return lvl.start if lvl is not None else 1

    def _render(self, num_id: str, aid: str, lvl: Level, values: list[Optional[int]]) -> str:
        text = lvl.text
        out: list[str] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1].isdigit():
                ref = int(text[i + 1]) - 1
                i += 2
                if not 0 <= ref < MAX_LEVELS:
                    continue
                ref_lvl = self.defs.levels(num_id, aid)[ref]
                value = values[ref]
                if value is None:  # a level not reached yet shows its start value
                    value = self._start(num_id, aid, ref)
                fmt = ref_lvl.fmt if ref_lvl is not None else "decimal"
                if lvl.legal and fmt != "decimalZero":
                    fmt = "decimal"
                if fmt == "bullet":
                    fmt = "decimal"
                out.append(format_number(value, fmt))
                continue
            out.append(ch)
            i += 1
        return "".join(out)
