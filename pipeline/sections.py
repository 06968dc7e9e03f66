"""The section tree: every numbered heading, nested, with the span it governs.

A section starts at a block whose visible text begins with a section number
(see ``/shared/gold/README.md``): a Roman numeral (``I.``, ``II-``, ``III/``), an
Arabic number (``1.``, ``2)``), a dotted number (``1.1.``, ``3.2.1``, ``3. 2.``), a
lower-case letter (``a)``, ``b.``), a part heading (``PHẦN THỨ NHẤT``, ``Phần I``)
or a unit of a legal text (``Chương II``, ``Mục 1``, ``Điều 5.``). Readers put the
number a reader sees at the start of the block text, whatever its origin (typed,
Word auto-numbering, Markdown), so this module only looks at block text, kind,
region and style, and a .txt, .docx or .pdf rendition gives the same tree.

Nesting:

- units have a fixed order (Phụ lục > Phần > Chương > Mục > Điều) and a unit
  closes everything opened after the unit above it; a numbered annex or a part
  heading resets the tree ("PHẦN THỨ NHẤT/II/1/1.1", "PHỤ LỤC II/I/1/a");
- a dotted number nests under the open section whose number it extends
  (``1.1`` under ``1``, ``3.2.1`` under ``3.2``);
- other styles nest in the order they appear: a style already open closes back
  to its earlier level (a sibling), a new style opens one level deeper, except
  that a style never nests under one conventionally inside it (a Roman ``II.``
  after ``1.`` is a sibling of the Roman before, not a child of ``1.``);
- a list that starts again at ``1.``/``a)`` under an open item of another style
  nests inside it ("7. … ⏎ a) … ⏎ 1. … ⏎ 2. … ⏎ b) …");
- after a signature or "Nơi nhận" block, an annexed text starts its own tree.

Not sections: bullets; table rows (and rows of a data table flattened into
lines, after its column header or a "PHỤ LỤC SỐ LIỆU"); header, signature and
recipients regions; numbers inside a quoted passage of another text; numbers
without a title (a table cell), except a part/chapter/article whose title is
on the following heading lines; quantities and dates at the start of a line.
A path can repeat when numbering restarts with no heading above it (a plan with
two "IV." sections, an annexed regulation repeating "Điều 1"): paths are the
numbers as printed, as the gold guide defines them, so they are not made unique;
spans tell the two apart.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Iterable, Optional

import regex

from .document import Block, Document, Section
from .sentences import first_sentence
from .vocab import load

_VOCAB = load("sections")
_UNIT_RANK: dict[str, int] = {kind: spec["rank"] for kind, spec in _VOCAB["units"].items()}
_UNIT_WORDS: dict[str, str] = {w: kind for kind, spec in _VOCAB["units"].items() for w in spec["words"]}
_MAX_ARABIC: int = int(_VOCAB["max_arabic"])

_ORDINALS = "|".join(regex.escape(o) for o in sorted(_VOCAB["ordinals"], key=len, reverse=True))
_ROMAN = r"(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"

# "PHẦN THỨ NHẤT", "Phần I", "Chương II", "Mục 1", "Điều 5.", "Điều 12a."
_UNIT_WORD_RE = "|".join(regex.escape(w).replace("\\ ", r"\s+") for w in sorted(_UNIT_WORDS, key=len, reverse=True))
_UNIT_RE = regex.compile(
    r"^(?P<word>(?i:" + _UNIT_WORD_RE + r"))\s+(?:(?P<so>(?i:số))\s+)?"
    r"(?P<num>(?i:thứ\s+(?:" + _ORDINALS + r"))(?!\p{L})"
    r"|" + _ROMAN + r"(?![\p{L}\p{N}])"
    # "Chương IICHÍNH SÁCH …": a conversion lost the break after the numeral.
    r"|(?P<glued>[IVX]+)(?=\p{Lu}{2})"
    r"|\d{1,3}[a-zđ]?(?![\p{L}\p{N}]))"
    r"\s*(?P<punct>[.:\-–)]?)",
    regex.V1,
)
# "I.MỤC ĐÍCH" (space lost) is a heading, "V.I. Lênin" an initial.
_ROMAN_RE = regex.compile(
    r"^(?:(?P<num>" + _ROMAN + r")\s?(?P<punct>[.\-–):])(?=\s|$|\p{Lu}(?!\.)|[“\"(])"
    r"|(?P<num>" + _ROMAN + r")(?P<punct>/)(?=\s))",  # "III/ NHIỆM VỤ", not "II/TW"
    regex.V1,
)
# Dotted numbers: components of one or two digits ("1.500" and "12.6.2021" are
# a quantity and a date, not section numbers). Stray spaces are allowed only
# with a closing stop ("3. 2. Nâng cao"), otherwise "3. 2 tỷ" would be dotted.
_DOTTED_RE = regex.compile(
    r"^(?:(?P<num>(?>\d{1,2}(?:\.\d{1,2})+))(?P<punct>[.)])?(?=\s|$)"
    r"|(?P<num>(?>\d{1,2}(?:\.\d{1,2})+))(?P<punct>[.)])(?=\p{Lu})"
    r"|(?P<num>(?>\d{1,2}(?:\s?\.\s?\d{1,2})+))(?P<punct>\.)(?=\s|$))",
    regex.V1,
)
_ARABIC_RE = regex.compile(
    r"^(?:(?P<num>\d{1,3})(?P<punct>[.)])(?=\s|$|\p{Lu}|[“\"(])"
    r"|(?P<num>\d{1,3})(?P<punct>[/\-–])(?=\s)"  # "1/ Mục đích", Party style "1- Quán triệt"; not "151/KH-UBND"
    r"|(?P<num>\d{1,3}) (?P<punct>[.)])(?=\s+\p{Lu}))",  # "1 . Hàng hóa": a stray space
    regex.V1,
)
_LETTER_RE = regex.compile(r"^(?P<num>[a-zđ])(?P<punct>[).\/\-–])(?=\s|$)")
# Capital letters group sections in some documents ("A. LĨNH VỰC VIỆC LÀM");
# only on heading lines, since "A. Nguyễn" or "C. Mác" open sentences.
_UPPER_LETTER_RE = regex.compile(r"^(?P<num>[A-ZĐ])(?P<punct>[.)\/])(?=\s+\p{Lu})")
_TABLE_HEADER = _VOCAB["table_header"]
_TABLE_HEADER_RE = regex.compile(
    r"^(?:" + "|".join(map(regex.escape, _TABLE_HEADER["index_columns"])) + r")\b.*?\b(?:"
    + "|".join(map(regex.escape, _TABLE_HEADER["columns"])) + r")\b",
    regex.IGNORECASE,
)
_DATA_APPENDIX_RE = regex.compile(
    r"^PHỤ\s+LỤC\b.*?\b(?:" + "|".join(map(regex.escape, _VOCAB["data_appendix_words"])) + r")\b", regex.IGNORECASE
)
_APPENDIX_RE = regex.compile(r"^PHỤ\s+LỤC\b", regex.IGNORECASE)
_BULLET_RE = regex.compile(r"^[-+•*–−●○■□◦▪➢✓>]")
_TITLE_LEAD = regex.compile(r"^[\s.:\-–)]+")
_TITLE_TRAIL = regex.compile(r"[\s.:;,]+$")


@dataclass(frozen=True)
class Label:
    """A section number recognised at the start of a block's text."""

    kind: str  # part | chapter | subchapter | article | roman | arabic | dotted | letter | upper_letter
    number: str  # without trailing punctuation: "I", "1.1", "a", "Điều 5"
    label: str  # as written with its punctuation: "I.", "1.1.", "a)", "Điều 5."
    end: int  # offset in the text just after the label
    style: str  # nesting style key: "roman", "arabic", "arabic)", "dotted2", "letter", unit kinds

    @functools.cached_property  # asked for every label on the stack at each heading
    def components(self) -> tuple[int, ...]:
        """Integer components of an Arabic or dotted number (empty otherwise)."""
        if self.kind not in ("arabic", "dotted"):
            return ()
        return tuple(int(p) for p in self.number.split("."))


# Every section number starts with a digit, a Roman numeral, a unit word
# ("Phụ lục", "Chương" …, any case) or a letter and its stop ("a)", "B."): most
# lines start otherwise, and one character says so before the patterns run
# (tests/test_speed_text.py checks the look against the patterns themselves).
_UNIT_INITIALS = "".join(sorted({c for w in _UNIT_WORDS for c in (w[0], w[0].upper())}))
_LABEL_START = regex.compile(r"\d|[IVXL" + _UNIT_INITIALS + r"]|[a-zđA-ZĐ][).\/\-–]")


def parse_label(text: str) -> Optional[Label]:
    """The section number at the start of ``text``, or None.

    ``text`` is a block's visible text ("1.1. Tham mưu…", "Điều 5. Phạm vi…").
    Quantities and dates at the start of a line ("1.500 đoàn viên",
    "2023 là năm…", "12/6/2021…") are not numbers of sections.
    """
    return match_label(text) if _LABEL_START.match(text) else None


def match_label(text: str) -> Optional[Label]:
    """:func:`parse_label` without the first-character look (every pattern tried)."""
    m = _UNIT_RE.match(text)
    if m and not (m.group("glued") and m.group("so")):  # "PHỤ LỤC SỐ LIỆU" is not "Phụ lục số LI"
        kind = _UNIT_WORDS[" ".join(m.group("word").lower().split())]
        number = " ".join(text[: m.end("num")].split())  # "PHẦN THỨ NHẤT", "PHỤ LỤC SỐ 02"
        end = m.end()
        return Label(kind, number, text[m.start() : end].rstrip(), end, kind)
    m = _DOTTED_RE.match(text)
    if m:
        number = "".join(m.group("num").split())
        depth = number.count(".") + 1
        return Label("dotted", number, m.group(0), m.end(), f"dotted{depth}")
    m = _ROMAN_RE.match(text)
    if m:
        return Label("roman", m.group("num"), m.group(0), m.end(), "roman")
    m = _ARABIC_RE.match(text)
    if m and 0 < int(m.group("num")) <= _MAX_ARABIC:
        style = "arabic)" if m.group("punct") == ")" else "arabic"
        return Label("arabic", m.group("num"), m.group(0), m.end(), style)
    m = _LETTER_RE.match(text)
    if m:
        return Label("letter", m.group("num"), m.group(0), m.end(), "letter")
    m = _UPPER_LETTER_RE.match(text)
    if m:
        return Label("upper_letter", m.group("num"), m.group(0), m.end(), "upper_letter")
    return None


# Conventional depth of generic styles (outer → inner). A style never opens
# under one that is conventionally deeper than it. "arabic)" has no fixed place.
_CONVENTIONAL = {"roman": 0, "arabic": 1, "letter": 3}


def _conventional(style: str) -> Optional[int]:
    if style.startswith("dotted"):
        return 2
    return _CONVENTIONAL.get(style)


# Letters of điểm in order (Vietnamese drafting skips f, j, w, z; đ follows d).
_LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman_value(numeral: str) -> int:
    total = 0
    for k, c in enumerate(numeral):
        v = _ROMAN_VALUES[c]
        total += -v if k + 1 < len(numeral) and _ROMAN_VALUES[numeral[k + 1]] > v else v
    return total


def _ordinal(label: Label) -> int:
    """Position of a generic number in its sequence (1 for "1", "a", "I")."""
    if label.kind == "arabic":
        return int(label.number)
    if label.kind == "roman":
        return _roman_value(label.number)
    if label.kind in ("letter", "upper_letter"):
        letter = label.number.lower()
        skipped = set("fjwz") - {letter}
        return [c for c in _LETTERS if c not in skipped].index(letter) + 1
    return 0


def _restarts(label: Label) -> bool:
    """The first number of its style: a list starting afresh."""
    return label.kind in ("arabic", "roman", "letter", "upper_letter") and _ordinal(label) == 1


@dataclass
class _Open:
    section: Section
    label: Label


def _is_heading_like(block: Block) -> bool:
    if block.kind == "heading":
        return True
    text = block.text
    return bool(block.style.bold or block.style.upper or _is_upper(text)) and len(text) <= 250


def _is_upper(text: str) -> bool:
    return not any(map(str.islower, text)) and sum(map(str.isalpha, text)) >= 3


def _accept(label: Label, block: Block, title: str) -> bool:
    """Whether a recognised number really starts a section in this block."""
    if label.kind == "upper_letter":
        return _is_heading_like(block) and len(title.split()) >= 2
    if label.kind == "roman":
        # A Roman heading's title opens with a capital; "I: là chỉ số …" defines
        # a variable of a formula.
        return not title[:1].islower()
    if label.kind in _UNIT_RANK:
        # "Điều 11 Luật thuế … quy định" opens a sentence, "Điều 11." a section.
        punct = label.label[-1] in ".:-–)"
        return punct or not title or _is_heading_like(block) or _is_upper(title.split(" ")[0])
    return True


def _first_sentence(text: str) -> str:
    sentence = first_sentence(text)
    return sentence.text if sentence else text


def _title_of(block: Block, label: Label) -> tuple[str, int, int]:
    """Title text and its offsets in the document for a labelled block."""
    rest = block.text[label.end:]
    lead = _TITLE_LEAD.match(rest)
    skip = lead.end() if lead else 0
    body = rest[skip:]
    if not body:
        return "", block.start + len(block.text), block.start + len(block.text)
    title = _first_sentence(body)
    trail = _TITLE_TRAIL.search(title)
    if trail:
        title = title[: trail.start()]
    start = block.start + label.end + skip
    return title, start, start + len(title)


def _following_title(blocks: list[Block], i: int) -> tuple[str, int, int, int]:
    """Title lines after a bare unit heading ("PHẦN THỨ NHẤT" ⏎ "ĐÁNH GIÁ …").

    Returns the joined title, its span and the number of blocks consumed.
    """
    parts: list[Block] = []
    j = i + 1
    while j < len(blocks) and len(parts) < 3:
        b = blocks[j]
        if b.region != "body" or b.kind in ("table_row", "footnote", "list_item"):
            break
        if parse_label(b.text) or not _is_heading_like(b) or _BULLET_RE.match(b.text):
            break
        parts.append(b)
        j += 1
    if not parts:
        return "", blocks[i].end, blocks[i].end, 0
    # Consecutive blocks are joined by one "\n" in the text, so the title
    # joined with spaces has the length of its span.
    title = " ".join(b.text for b in parts)
    trail = _TITLE_TRAIL.search(title)
    if trail:
        title = title[: trail.start()]
    return title, parts[0].start, parts[0].start + len(title), len(parts)


class _QuoteTracker:
    """Whether a block sits inside a quotation opened in an earlier block.

    Documents quote other texts at length ("Tại Điều 51 Nghị định … quy định:
    “Điều 51. … ⏎ 10. Trường hợp …”"); the numbers inside a quotation belong
    to the quoted text, not to this document's tree. An unbalanced quote mark
    is forgotten after a few blocks.
    """

    _MAX_BLOCKS = 12

    def __init__(self) -> None:
        self.open = False
        self.blocks = 0

    def inside(self, block: Block) -> bool:
        text = block.text
        if self.open:
            self.blocks += 1
            if "”" in text or self.blocks > self._MAX_BLOCKS or block.region != "body":
                self.open = False
            return True
        # A quoted passage opens a paragraph ("“Điều 30. Tính tiền thuê đất")
        # and runs on past it.
        if text.startswith("“") and text.count("“") > text.count("”"):
            self.open, self.blocks = True, 0
        return False


class _FlatTableTracker:
    """Whether a block is a row of a data table flattened into lines.

    PDF text and OCR give a table's rows as plain lines ("1.1 Ban hành văn bản
    chỉ đạo"). The table starts at its column header ("TT Nội dung Đơn vị tính
    Số liệu") or at an appendix of figures ("PHỤ LỤC SỐ LIỆU") and ends at the
    next appendix, part, chapter or Roman heading, at the signature, or at the
    number that continues the document's own open numbering ("3." after the
    open "2.").
    """

    def __init__(self) -> None:
        self.active = False

    def leave_if(self, condition: bool) -> None:
        if condition:
            self.active = False

    def inside(self, block: Block, label: Optional[Label], stack: list["_Open"]) -> bool:
        if _TABLE_HEADER_RE.match(block.text) or _DATA_APPENDIX_RE.match(block.text):
            self.active = True
            # "PHỤ LỤC II: BIỂU SỐ LIỆU" is itself a section, its rows are not.
            return label is None or label.kind != "appendix"
        if not self.active:
            return False
        if _APPENDIX_RE.match(block.text) or (label is not None and _ends_table(label, stack)):
            self.active = False
            return False
        return True


def _ends_table(label: Label, stack: list["_Open"]) -> bool:
    if label.kind in _UNIT_RANK or label.kind == "roman":
        return True
    return any(o.label.style == label.style and _ordinal(label) == _ordinal(o.label) + 1 for o in stack)


def _candidate(block: Block) -> bool:
    return block.region == "body" and block.kind not in ("table_row", "footnote")


def _place(stack: list[_Open], label: Label) -> None:
    """Pop ``stack`` to where a section with ``label`` opens (its parent on top)."""
    rank = _UNIT_RANK.get(label.kind)
    if rank is not None:
        while stack and not (stack[-1].label.kind in _UNIT_RANK and _UNIT_RANK[stack[-1].label.kind] < rank):
            stack.pop()
        return
    if label.kind == "dotted":
        comps = label.components
        for i in range(len(stack) - 1, -1, -1):
            other = stack[i].label.components
            if other and len(other) < len(comps) and comps[: len(other)] == other:
                del stack[i + 1 :]
                return
    same = [i for i in range(len(stack)) if stack[i].label.style == label.style]
    if same:
        follows = [i for i in same if _ordinal(label) == _ordinal(stack[i].label) + 1]
        if follows:
            del stack[follows[-1] :]  # "8." after the open "7.": its sibling
            return
        last = same[-1]
        if _restarts(label) and not _restarts(stack[last].label):
            if label.kind == "roman":
                stack.clear()  # "I." again: a new part of the document
                return
            if last < len(stack) - 1:
                return  # "7." ⏎ "a)" ⏎ "1.": a list inside the open "a)"
            # "1." right after "2.": numbering restarted under an unnumbered heading
        del stack[last:]
        return
    mine = _conventional(label.style)
    if mine is None:
        return
    while stack and stack[-1].label.kind not in _UNIT_RANK:
        theirs = _conventional(stack[-1].label.style)
        if theirs is None or theirs <= mine:
            break
        stack.pop()


def build_sections(document: Document) -> list[Section]:
    """Every numbered heading of ``document`` in order, as a flattened tree."""
    blocks = [b for b in document.blocks if b.kind != "footnote"]
    sections: list[Section] = []
    stack: list[_Open] = []
    closed = False  # a signature or "Nơi nhận" block ended the document before
    table = _FlatTableTracker()
    quote = _QuoteTracker()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        i += 1
        if block.region in ("signature", "recipients"):
            closed = True
        quoted = quote.inside(block)
        if not _candidate(block) or _BULLET_RE.match(block.text) or quoted:
            table.leave_if(block.region != "body")
            continue
        label = parse_label(block.text)
        if table.inside(block, label, stack):
            continue
        if label is None:
            continue
        title, t_start, t_end = _title_of(block, label)
        if not _accept(label, block, title):
            continue
        if not title:
            # A bare number: a part/chapter/article takes the heading line(s)
            # after it as title; any other bare number (a cell of a flattened
            # table, a stray line) is not a section.
            title, t_start, t_end, used = _following_title(blocks, i - 1)
            if label.kind not in _UNIT_RANK and not used:
                continue
            i += used
        if closed:
            stack.clear()  # an annex after the signature starts its own tree
            closed = False
        _place(stack, label)
        parent = stack[-1].section if stack else None
        path = f"{parent.path}/{label.number}" if parent else label.number
        section = Section(
            number=label.number,
            path=path,
            title=title,
            level=len(stack) + 1,
            kind=label.kind,
            start=block.start,
            end=block.end,
            title_start=t_start,
            title_end=t_end,
            label_source=block.label_source if block.label_source != "none" else "typed",
            parent=parent.path if parent else None,
        )
        sections.append(section)
        stack.append(_Open(section, label))
    _set_spans(sections, document.blocks)
    return sections


def _set_spans(sections: list[Section], blocks: Iterable[Block]) -> None:
    """Each section runs to the next one at its level or above, or to the end of
    the body (the signature and "Nơi nhận" blocks that close it are not in it)."""
    body = [b for b in blocks if b.kind != "footnote"]
    if not body:
        return
    closers = [b.start for b in body if b.region in ("signature", "recipients")]
    body_end = body[-1].end
    open_: list[Section] = []
    for s in sections:
        while open_ and open_[-1].level >= s.level:
            open_.pop().end = s.start
        open_.append(s)
    for s in open_:
        s.end = body_end
    for s in sections:
        # A section never runs on into the signature block after it.
        k = bisect.bisect_right(closers, s.start)
        if k < len(closers) and closers[k] < s.end:
            s.end = closers[k]
        s.end = max(s.end, s.title_end)
