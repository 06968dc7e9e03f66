"""Plain-text and Markdown reader (.txt, .md).

The files arrive in two shapes:

- *one paragraph per line* (text saved from Word): each line is a block; a
  line that starts in lower case after a line with no closing punctuation is
  the rest of a sentence broken by a page break and is joined back;
- *hard-wrapped Markdown* (Word converted to Markdown): a paragraph runs until a
  blank line and a single newline is a soft wrap, except where a new bullet,
  numbered item, heading mark or bold line obviously starts.

Markdown marks and conversion artefacts are presentation, not text: ``#``
heading marks, ``**``/``__`` bold, ``*…*`` italics, ``\\*`` escapes,
``[bookmark: …]``, ``[footnoteRef:1]`` (its body ``[1: …]`` becomes a footnote
block), ``-----`` rules and table pipes. What they said is kept as style hints
(bold, heading level) and as ``label_source="markdown"`` for numbers written
inside them (``## **II. MỤC TIÊU**``).

Converted Word tables arrive as cells between lines holding a single ``|``.
The table at the top of a document is its header (issuer, quốc hiệu, "Số:",
place and date: ``region="header"``, one block per cell); the table that holds
"Nơi nhận:" and the signature gives ``region="recipients"``/``"signature"``
blocks; other tables give ``table_row`` blocks. A numbered annex heading
("**PHỤ LỤC II**") that the converter ran into a table is body text again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, TypeVar

import regex

from ..builder import DocumentBuilder
from ..document import Document, Style
from ..legacy_text import Decoded, decode_bytes
from ..sections import Label
from ..sections import parse_label as _parse_label
from ..vocab import load
from . import ReadError, register_reader

# --- inline markup ---------------------------------------------------------

_BOOKMARK = regex.compile(r"\[bookmark:[^\]\n]*\]")
_FOOTNOTE_REF = regex.compile(r"\[footnoteRef:\s*(\w+)\]")
_FOOTNOTE_BODY = regex.compile(r"\[(\w+):\s*([^\[\]\n]*)\]")
# Private-use characters stand for things that must survive emphasis removal.
_STAR = "\ue000"  # an escaped or bullet "*"
_REF_OPEN, _REF_CLOSE = "\ue001", "\ue002"  # a footnote reference marker
_REF_MARK = regex.compile(_REF_OPEN + r"(\w+)" + _REF_CLOSE)
_ESCAPE = regex.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_HEADING_MARK = regex.compile(r"^\s*(#{1,6})(?:\s+|$)")
_MD_BULLET = regex.compile(r"^(\s*)\*(?=\s)")
_RULE = regex.compile(r"^\s*(?:[-_=*]\s*){3,}$|^\s*[_\-=]{5,}\s*$")
_BOLD = regex.compile(r"\*\*|__")
_EMPHASIS = regex.compile(r"(?<![\p{L}\p{N}])_(?=\S)|(?<=\S)_(?![\p{L}\p{N}])|\*")
_BULLET = regex.compile(r"^([-+•*–−●○■□◦▪➢✓])(?=\s)")
_INLINE_RULE = regex.compile(r"[_\-]{5,}")  # "CHÍNH PHỦ_______ Số: …"

_LEAD_MARKS = regex.compile(r"^[\s#*_]*")
_LEAD_EMPHASIS = regex.compile(r"^[*_\s]+")
_LOWER_FIRST = regex.compile(r"^\p{Ll}")
_SENTENCE_OPENER = regex.compile(r"^[*_“\"(]*[\p{Lu}\p{N}]")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_SENTENCE_INSIDE = regex.compile(r"[.;!?]\s+\p{Lu}")

_SECTIONS = load("sections")
_UNIT_WORDS = {w for spec in _SECTIONS["units"].values() for w in spec["words"]}  # "chương", "điều" …

_TERMINAL = tuple(".;:!?…”\")»")
_LOWER_START = regex.compile(r"^[\s*_“\"(]*\p{Ll}")
_SIGNATURE_START = regex.compile(
    r"^(?:TM|KT|Q|TL|TUQ|K/T)\s*[.:/]\s*\p{Lu}|^T/M[.:]?\s*\p{Lu}|^(?:THAY MẶT|THỪA LỆNH|THỪA ỦY QUYỀN)\b"
)
# "Nguyễn Phú Trọng", "Tống Thanh Hải": two to five capitalised words.
_PERSON_NAME = regex.compile(r"^\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4}$")
_RECIPIENTS_START = regex.compile(r"^(?:Nơi\s+nhận|NƠI\s+NHẬN)\b")


# The patterns above and below are tried on every line or block: a literal
# look at the first characters skips them where they cannot match.


def _recipients_start(text: str) -> bool:
    return text.startswith(("Nơi", "NƠI")) and _RECIPIENTS_START.match(text) is not None


def _signature_start(text: str) -> bool:
    return text.startswith(("T", "K", "Q")) and _SIGNATURE_START.match(text) is not None


def _heading_mark(line: str) -> Optional[regex.Match]:
    return _HEADING_MARK.match(line) if "#" in line else None


def _is_rule(line: str) -> bool:
    # \s in a pattern is a subset of str.isspace: the rule's first mark is
    # the first character lstrip() leaves.
    return line.lstrip()[:1] in ("-", "_", "=", "*") and _RULE.match(line) is not None


# --- per-document memo ------------------------------------------------------

_R = TypeVar("_R")
_MEMOS: list[dict] = []


def _per_document(fn: Callable[[str], _R]) -> Callable[[str], _R]:
    """Memoise a pure function of one line or paragraph for the document being read.

    Paragraph grouping asks the same questions of a line several times (as the
    next line, the previous one, a paragraph's first). The memos are emptied
    for every document (:func:`_forget_lines`), so documents share nothing;
    the functions are pure, so threads reading at once still get the same answers.
    """
    memo: dict[str, _R] = {}
    _MEMOS.append(memo)

    def cached(arg: str) -> _R:
        try:
            return memo[arg]
        except KeyError:
            memo[arg] = value = fn(arg)
            return value

    return functools.update_wrapper(cached, fn)


def _forget_lines() -> None:
    for memo in _MEMOS:
        memo.clear()


@_per_document
def parse_label(text: str) -> Optional[Label]:
    """:func:`pipeline.sections.parse_label`, remembered for the document being read."""
    return _parse_label(text)


def _decode(raw: bytes, path: Path) -> Decoded:
    """The file's text in NFC with "\n" line ends, and the encoding it was in.

    UTF-8 (with or without BOM), UTF-16 (with a BOM, or told by its NUL bytes),
    and the legacy Vietnamese encodings — Windows-1258, TCVN3, VNI, also as
    legacy-font text saved as UTF-8 — see :mod:`pipeline.legacy_text`. Anything
    else raises a ``mis_encoded`` (or ``binary``) :class:`ReadError`.
    """
    return decode_bytes(raw, path.name)


@dataclass(frozen=True)
class _Inline:
    text: str
    bold: bool
    markdown: bool  # Markdown decoration sat before the first letter or digit
    refs: tuple[str, ...]


@_per_document
def _clean_inline(raw: str) -> _Inline:
    """Remove Markdown marks from one paragraph's raw text, keep style hints."""
    if not _has_marks(raw):  # most lines: nothing to remove, no style hint
        return _Inline(_squeeze(raw), False, False, ())
    # Each step runs only when its mark is in the text.
    s = raw
    if "*" in s:
        s = _MD_BULLET.sub(_star_bullet, s, count=1)
    if "\\" in s:
        s = _ESCAPE.sub(_unescape, s)
    lead = _LEAD_MARKS.match(s).group(0)
    markdown = any(c in lead for c in "#*_")
    bold = False
    if "**" in s or "__" in s:
        bold = _bold_share(s) >= 0.6
        s = _BOLD.sub("", s)
    if "*" in s or "_" in s:
        s = _EMPHASIS.sub("", s)
    refs: tuple[str, ...] = ()
    if _REF_OPEN in s:
        refs = tuple(_REF_MARK.findall(s))
        s = _REF_MARK.sub("", s)
    if _STAR in s:
        s = s.replace(_STAR, "*")
    if "--" in s or "__" in s or "-_" in s or "_-" in s:  # a run of five holds one of these
        s = _INLINE_RULE.sub(" ", s)
    return _Inline(_squeeze(s), bold, markdown, refs)


def _has_marks(s: str) -> bool:
    """Whether any cleaning step has something to act on ("--": a rule of "-" alone)."""
    return "*" in s or "_" in s or "#" in s or "\\" in s or _STAR in s or _REF_OPEN in s or "--" in s


def _squeeze(s: str) -> str:
    """``" ".join(s.split())``, skipped when it would change nothing: a
    printable string holds no whitespace but the space."""
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return " ".join(s.split())


def _star_bullet(m: regex.Match) -> str:
    return m.group(1) + _STAR


def _unescape(m: regex.Match) -> str:
    return _STAR if m.group(1) == "*" else m.group(1)


def _bold_share(s: str) -> float:
    """Share of the letters and digits inside ``**`` … ``**`` spans (0 without any)."""
    inside = total = 0
    for k, piece in enumerate(_BOLD.split(s)):
        n = sum(map(str.isalnum, piece))
        total += n
        if k % 2 == 1:
            inside += n
    return inside / total if total else 0.0


def _is_upper(text: str) -> bool:
    """All letters in capitals (a title line such as "MỤC ĐÍCH, YÊU CẦU")."""
    return not any(map(str.islower, text)) and sum(map(str.isalpha, text)) >= 4


def _upper_before_cleaning(raw: str) -> bool:
    """``_is_upper(_clean_inline(raw).text)`` without the cleaning: it removes
    marks, spaces and rules but no letter, except the ids inside footnote
    reference markers."""
    if _REF_OPEN in raw:
        return _is_upper(_clean_inline(raw).text)
    return _is_upper(raw)


# --- segmentation -----------------------------------------------------------


@dataclass
class _Para:
    """Raw lines of one block before cleaning, with where they came from."""

    lines: list[str]
    cell: bool = False  # a cell of a table
    table: Optional[int] = None
    region: str = "body"
    md_cells: Optional[list[str]] = None  # a "| a | b |" Markdown table row
    split_lines: bool = False  # a signature/recipients cell: one block per line
    layout: bool = False  # a cell of a table used for layout, not for data


@dataclass
class _Segment:
    lines: list[str]
    bounded: bool  # delimited by table pipes on both sides (or file start)
    table_row: Optional[list[str]] = None


def _is_md_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.endswith("|") and s.count("|") >= 3


_MD_SEPARATOR = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _segments(lines: list[str]) -> list[_Segment]:
    """Split lines at table pipes into cell and body segments.

    Converted Word tables write each cell between lines holding ``|`` (or end a
    line with `` |``). A stretch between two pipes with no blank line is a
    cell; a stretch holding blank lines is running text the converter left
    between unbalanced pipes.
    """
    if not any("|" in line for line in lines):
        return [_Segment(list(lines), False)]  # no table: what the steps below give
    pieces: list[tuple[str, object]] = []  # ("line", str) | ("pipe", inline?) | ("row", cells)
    for line in lines:
        if "|" not in line:
            pieces.append(("line", line))
            continue
        if _MD_SEPARATOR.match(line) and "|" in line:
            continue
        if _is_md_row(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            pieces.append(("row", cells))
            continue
        parts = line.split("|")
        for k, part in enumerate(parts):
            if k:
                pieces.append(("pipe", line.strip() != "|"))
            if part.strip():
                pieces.append(("line", part))
    segments: list[_Segment] = []
    current: list[str] = []
    # The file start bounds a cell only when a pipe closes it on the same line
    # ("Số: 173/2025/NĐ-CP |"): a first line followed by a lone "|" is text.
    opened = bool(pieces) and any(k == "pipe" and v for k, v in pieces[:3])
    for kind, value in pieces:
        if kind == "line":
            current.append(value)  # type: ignore[arg-type]
            continue
        segments.append(_Segment(current, opened and kind in ("pipe", "row")))
        current = []
        if kind == "row":
            segments.append(_Segment([], True, table_row=value))  # type: ignore[arg-type]
        opened = kind in ("pipe", "row")
    segments.append(_Segment(current, False))
    for k, seg in enumerate(segments):
        lines = seg.lines
        if k == 0:  # blank lines before the first cell of the file do not count
            while lines and not lines[0].strip():
                lines = lines[1:]
        if seg.bounded and not _is_cell(lines):
            seg.bounded = False
    return segments


_CELL_MAX_LINES = 15


def _is_cell(lines: list[str]) -> bool:
    """A stretch between pipes is a cell unless it is running text: a blank line
    inside or next to a pipe, or longer than a cell (a "Nơi nhận" list may be
    long). An empty stretch is an empty cell."""
    if not any(l.strip() for l in lines):
        return True
    if any(not l.strip() for l in lines):
        return False
    if len(lines) <= _CELL_MAX_LINES:
        return True
    first = _clean_inline(lines[0]).text
    return _recipients_start(first) or all(_BULLET.match(l.strip()) for l in lines[1:])


def _trim_blank(lines: list[str]) -> list[str]:
    a, b = 0, len(lines)
    while a < b and not lines[a].strip():
        a += 1
    while b > a and not lines[b - 1].strip():
        b -= 1
    return lines[a:b]


def _is_wrapped(lines: list[str], markdown: bool = False) -> bool:
    """Hard-wrapped text: lines often continue a sentence on the next line.

    In Markdown a single newline is a soft wrap, so one continued line is
    enough there; plain text needs several.
    """
    cont = 0
    prev: Optional[str] = None
    for line in lines:
        s = line.strip()
        if not s or s == "|":
            prev = None
            continue
        if prev is not None and not prev.endswith(_TERMINAL) and _LOWER_START.match(s):
            cont += 1
        prev = s
    nonblank = sum(1 for l in lines if l.strip())
    if markdown:
        return cont >= 1
    return nonblank > 0 and cont / nonblank >= 0.05 and cont >= 3


@_per_document
def _starts_item(line: str) -> bool:
    """A line that starts a new bullet, numbered item or heading."""
    s = line.strip()
    if _heading_mark(s):
        return True
    bare = _LEAD_EMPHASIS.sub("", s.replace("\\*", _STAR))
    if _BULLET.match(bare) or bare.startswith(_STAR + " "):
        return True
    return parse_label(bare) is not None


_NUMBER_TAKING = set(_SECTIONS["number_taking_words"])


def _takes_number(prev: str) -> bool:
    """A line cut before the number of its last words ("ưu tiên các địa bàn cấp
    độ" ⏎ "1. …", "tại điểm a), b), c)," ⏎ "d) khoản 1 …")."""
    if prev.endswith((",", "(")):
        return True
    words = _LAST_WORD.findall(prev[-40:])
    return bool(words) and words[-1].lower() in _NUMBER_TAKING


def _closes_parenthesis(prev: str, line: str) -> bool:
    """"(khóa" ⏎ "XII) …": the ")" after the number closes a parenthesis."""
    bare = _LEAD_EMPHASIS.sub("", line.strip())
    label = parse_label(bare)
    return label is not None and label.label.endswith(")") and prev.count("(") > prev.count(")")


_LAST_WORD = regex.compile(r"\p{L}+")
_PAGE_NUMBER = regex.compile(r"^\s*\d{1,3}\s*$")


@_per_document
def _starts_numbered(line: str) -> bool:
    """A line opening with a section number and its punctuation ("1.1.", "a)",
    "II.", "Điều 5."), as opposed to a wrapped "Điều 1 Quyết định này"."""
    bare = _LEAD_EMPHASIS.sub("", line.strip())
    label = parse_label(bare)
    return label is not None and label.label[-1:] in (".", ")", "/", "-", ":")


@_per_document
def _bare_label(line: str) -> bool:
    """A line holding only a section number or unit word ("2.1.", "**Chương")."""
    text = _clean_inline(line).text
    if not text:
        return False
    label = parse_label(text)
    if label is not None:
        return not text[label.end:].strip(" .:-–)")
    return text.lower() in _UNIT_WORDS


def _open_bold(lines: list[str]) -> bool:
    """A ``**`` span opened in the last three lines and not yet closed.

    Only the last lines count: a stray unmatched ``**`` ("*Theo **đề nghị …*")
    must not glue the rest of the document into one paragraph.
    """
    return _bold_marks("\n".join(lines[-3:])) % 2 == 1  # no mark spans a line break


def _bold_marks(line: str) -> int:
    """Number of ``**``/``__`` marks (the two cannot overlap, so counted apart)."""
    return line.count("**") + line.count("__")


_ITALIC = regex.compile(r"(?<![*\\])\*(?!\*)")


def _open_emphasis(lines: list[str]) -> bool:
    """Bold or italics opened in the last three lines and not yet closed."""
    if _open_bold(lines):
        return True
    tail = [l.replace("**", "") for l in lines[-3:] if "*" in l]  # no "*": no italics mark
    if len(lines) == 1 and tail:
        tail[0] = _MD_BULLET.sub("", tail[0], count=1)  # "* item" is a bullet, not italics
    return sum(len(_ITALIC.findall(l)) for l in tail) % 2 == 1


_EMPH = ("*", "_")


_MIN_WRAPPED_LINES = 10  # fewer mid-sentence cuts than this do not measure the width


def _wrap_width(lines: list[str]) -> int:
    """The width the converter wrapped at (a high percentile of line lengths).

    Lines cut in mid-sentence (the next line goes on in lower case) were filled
    to the width, so they measure it best; all lines are used when there are
    few, since table cells (one short line each) would pull the percentile down.
    """
    wrapped = []
    for a, b in zip(lines, lines[1:]):
        s = a.strip()
        if s not in ("", "|") and not s.endswith(_TERMINAL) and _LOWER_START.match(b):
            wrapped.append(len(s))
    wrapped.sort()
    lengths = wrapped if len(wrapped) >= _MIN_WRAPPED_LINES else sorted(len(l.strip()) for l in lines if l.strip())
    if not lengths:
        return 80
    return max(40, lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0])


def _fully_emphasised(lines: list[str]) -> bool:
    """A paragraph written entirely in bold or italics ("**Điều 1.**")."""
    first, last = lines[0].strip(), lines[-1].strip()
    if len(lines) == 1 and len(first) <= 2:
        return False
    return first.startswith(_EMPH) and last.endswith(_EMPH) and not _open_bold(lines)


def _wrapped_paragraphs(lines: list[str], width: int = 80, justified: bool = False) -> list[list[str]]:
    """Group hard-wrapped lines into paragraphs.

    A blank line ends a paragraph; so does a line that obviously ends one
    before a line that obviously starts one: a Markdown hard break, a ``#``
    heading, a new bullet or number after closing punctuation, a bold or
    italic line after an emphasised one, a short line ending a sentence.
    """
    paras: list[list[str]] = []
    current: list[str] = []
    padded = lines + ["", ""]
    for k, line in enumerate(padded[:-1]):
        if not line.strip():
            if current:
                paras.append(current)
            current = []
            continue
        if current and not _open_emphasis(current) and _breaks_before(current, line, width, justified, padded[k + 1]):
            paras.append(current)
            current = []
        current.append(line)
    return paras


def _breaks_before(current: list[str], line: str, width: int, justified: bool = False, after: str = "") -> bool:
    """Whether ``line`` starts a new paragraph after the lines of ``current``
    (``after`` is the line that follows ``line``, blank at the end)."""
    prev = current[-1]
    if len(current) == 1 and _bare_label(prev):
        return False  # "**Điều" ⏎ "12. Trách nhiệm …", "2.1." ⏎ "Thu ngân sách …"
    prev_s, s = prev.strip(), line.strip()
    closed = prev_s.endswith(_TERMINAL) or prev_s.endswith(_EMPH)
    if prev.endswith("  ") or prev.endswith("\\"):
        return True  # Markdown hard line break
    if _heading_mark(line) or _heading_mark(current[0]):
        return True  # a "#" heading is one line
    if closed and (_starts_item(line) or s.startswith(_EMPH)):
        return True
    if _starts_numbered(line) and not _takes_number(prev_s) and not _closes_parenthesis(prev_s, line):
        return True  # "… lớn mạnh" ⏎ "1.1. Tham mưu …": a number with its stop opens an item
    if _starts_item(line) or s.startswith(_EMPH):
        # After a heading that has no closing punctuation: "I. MỤC ĐÍCH" ⏎
        # "1. Mục đích" ⏎ "- Quán triệt …" (Markdown written one line per paragraph).
        if len(current) <= 8 and _upper_before_cleaning(" ".join(current)):
            return True
        if len(current) == 1 and _starts_item(prev) and len(prev_s) < 0.7 * width:
            return True
    if _fully_emphasised(current) and not _LOWER_FIRST.match(s):
        return True  # "**Điều 1.**" ⏎ "Thông qua …", "**NGHỊ QUYẾT**" ⏎ "VỀ VIỆC …"
    if _colon_item_runs_on(current, s, after, width):
        return False
    if prev_s.endswith((".", ":", ";", "!", "?", ".*", ":*", ";*")) and len(prev_s) < 0.7 * width:
        return bool(_SENTENCE_OPENER.match(s))  # a short last line
    if _upper_before_cleaning(" ".join(current)) and _upper_before_cleaning(line):
        return False  # a title in capitals runs on in capitals ("NỘI DUNG CHI VÀ MỨC" ⏎ "CHI KHEN THƯỞNG …")
    if _heading_line_ends(current, s, after, width):
        return True
    if justified and len(prev_s) < 0.7 * width and _starts_item(current[0]) and _SENTENCE_OPENER.match(s):
        # Text saved from a PDF fills every line but a paragraph's last: a short
        # numbered line is a heading of its own ("1. Mục tiêu tổng quát").
        return True
    if len(current) >= 2 and len(prev_s) < 0.5 * width and _starts_item(current[0]) and _SENTENCE_OPENER.match(s):
        # "1. Về thuế giá trị gia" ⏎ "tăng" ⏎ "Đề nghị …": a numbered heading
        # ends on a short line before a capitalised one.
        return True
    return False


def _colon_item_runs_on(current: list[str], line: str, after: str, width: int) -> bool:
    """"a) Phạm vi, đối tượng hỗ trợ:" ⏎ a full line ⏎ its lower-case rest: the
    item's text follows its colon in the same paragraph, on a first line the
    converter cut early. A full line going on in lower case is the middle of a
    paragraph, not the start of a new one."""
    prev = current[-1].strip()
    if len(current) != 1 or not prev.endswith(":") or not _starts_numbered(prev):
        return False
    return len(line) >= 0.7 * width and not line.endswith(_TERMINAL) and bool(_LOWER_START.match(after))


def _heading_line_ends(current: list[str], line: str, after: str, width: int) -> bool:
    """A short numbered line is a whole heading when the capitalised line after
    it opens a paragraph: "2. Đối tượng áp dụng" ⏎ "Các cơ quan quản lý nhà" ⏎
    "nước về giáo dục …". Within a wrapped paragraph only the last line falls
    short of the width, so a short line that goes on in lower case on the next
    line is a paragraph's first line (converters cut first lines early). A
    heading cut before a proper noun ("3. Sở Văn hóa, Thể thao và" ⏎ "Du lịch")
    has no such line after it and stays whole."""
    if len(current) != 1 or not _starts_numbered(current[0]):
        return False
    prev = current[0].strip()
    if len(prev) >= 0.7 * width or prev.endswith(_TERMINAL) or _takes_number(prev):
        return False
    if not _SENTENCE_OPENER.match(line) or _starts_item(line) or len(line) >= 0.7 * width or line.endswith(_TERMINAL):
        return False
    return bool(_LOWER_START.match(after))


def _line_paragraphs(lines: list[str]) -> list[list[str]]:
    """One paragraph per line; a bold span left open continues on the next line."""
    paras: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current and not _open_bold(current):
                paras.append(current)
                current = []
            continue
        current.append(line)
        if not _open_bold(current) or len(current) >= 4:
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    return paras


# A cell of a data table: an index, a quantity, a percentage, a short code.
_DATA_CELL = regex.compile(r"^(?:[\d\s.,%/()+\-–]+|[IVXLC]+\.?|\p{L}{1,2}|STT|TT)$")


def _heading_cell(text: str, bold: bool) -> bool:
    """A bold numbered heading written inside a table cell ("**1. Hàng hóa đề
    nghị xác định trước mã số …:**" in a layout table, a merged "**II. THỦ TỤC
    …**" row): document structure, not a data row. A data row keeps its number
    in a cell of its own ("1" | "Tổng sản phẩm …")."""
    if not bold:
        return False
    label = parse_label(text)
    return label is not None and len(text[label.end :].split()) >= 3


def _annex_heading_cell(lines: list[str]) -> bool:
    """A cell opening with a numbered annex heading in bold or capitals
    ("**PHỤ LỤC II**" ⏎ "NỘI DUNG CHI …"): Word documents set it above the
    annex's tables, so the cell is text the converter ran into the table before
    it (a signature table, the previous annex's figures), not data. An
    unnumbered "PHỤ LỤC SỐ LIỆU" has no section number and stays where it is."""
    body = _trim_blank(lines)
    if not body:
        return False
    first = _clean_inline(body[0])
    label = parse_label(first.text)
    if label is None or label.kind != "appendix":
        return False
    return first.bold or _is_upper(first.text)


def _is_tab_cell(line: str) -> bool:
    return line.startswith("\t") or line.startswith(" \t")


# --- the reader -------------------------------------------------------------


@dataclass
class _Out:
    """A cleaned block waiting to be added, so neighbours can still be joined."""

    text: str
    kind: str
    label: Optional[str] = None
    label_source: str = "none"
    bold: bool = False
    level: Optional[int] = None
    region: str = "body"
    refs: list[str] = field(default_factory=list)
    cells: Optional[list[str]] = None
    table: Optional[int] = None


class _Reader:
    def __init__(self, text: str, markdown: bool = False):
        self.footnotes: dict[str, str] = {}
        self.text = self._extract_artefacts(text)
        self.lines = self.text.split("\n")
        self.markdown = markdown
        self.wrapped = _is_wrapped(self.lines, markdown)
        self.width = _wrap_width(self.lines)
        self.out: list[_Out] = []
        self.tables = 0

    def _extract_artefacts(self, text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _BOOKMARK.sub("", text)
        ref_ids = set(_FOOTNOTE_REF.findall(text))
        if ref_ids:

            def body(m: regex.Match) -> str:
                if m.group(1) in ref_ids and m.group(1) not in self.footnotes:
                    self.footnotes[m.group(1)] = m.group(2).strip()
                    return ""
                return m.group(0)

            text = _FOOTNOTE_BODY.sub(body, text)
            text = _FOOTNOTE_REF.sub(lambda m: _REF_OPEN + m.group(1) + _REF_CLOSE, text)
        return text

    # Paragraph grouping --------------------------------------------------

    def paragraphs(self) -> list[_Para]:
        paras: list[_Para] = []
        segments = _segments(self.lines)
        seen_body = False
        table: Optional[list[_Para]] = None
        for seg in segments:
            if seg.bounded and seen_body and _annex_heading_cell(seg.lines):
                # The converter ran the annex title into the table before it
                # (a signature table, the previous annex's figures): it ends
                # that table and heads the annexed text.
                if table is not None:
                    paras.extend(self._close_table(table, header=False))
                    table = None
                paras.extend(self._body_paragraphs(_trim_blank(seg.lines)))
                continue
            if seg.table_row is not None or (seg.bounded and _trim_blank(seg.lines)):
                if table is None:
                    table = []
                    self.tables += 1
                if seg.table_row is not None:
                    table.append(_Para([], cell=True, table=self.tables - 1, md_cells=seg.table_row))
                else:
                    table.append(_Para(_trim_blank(seg.lines), cell=True, table=self.tables - 1))
                continue
            if seg.bounded:
                continue  # an empty cell
            body_lines = seg.lines
            if table is not None and _trim_blank(body_lines):
                paras.extend(self._close_table(table, header=not seen_body))
                table = None
            if not _trim_blank(body_lines):
                continue
            new = self._body_paragraphs(body_lines)
            if new:
                seen_body = True
            paras.extend(new)
        if table is not None:
            paras.extend(self._close_table(table, header=not seen_body))
        return paras

    def _close_table(self, cells: list[_Para], header: bool) -> list[_Para]:
        texts = [_clean_inline(" ".join(c.lines)).text if c.md_cells is None else " ".join(c.md_cells) for c in cells]
        if header:
            for c in cells:
                c.region = "header"
            return cells
        closing = any(_recipients_start(t) or _signature_start(t) for t in texts)
        if closing:
            for c, t in zip(cells, texts):
                c.region = "recipients" if _recipients_start(t) else "signature"
                c.split_lines = True
        elif not any(_DATA_CELL.match(t) for t in texts):
            # No cell holds just a number or a code: the table lays out text.
            for c in cells:
                c.layout = True
        return cells

    def _body_paragraphs(self, lines: list[str]) -> list[_Para]:
        paras: list[_Para] = []
        run: list[str] = []
        tab_run: list[str] = []

        def flush_run() -> None:
            if run:
                if self.wrapped:
                    # Text saved from a PDF keeps each page number on a line of its own.
                    run[:] = [l for l in run if not _PAGE_NUMBER.match(l)]
                group = (
                    _wrapped_paragraphs(run, self.width, justified=not self.markdown)
                    if self.wrapped
                    else _line_paragraphs(run)
                )
                paras.extend(_Para(g) for g in group)
                run.clear()

        def flush_tab() -> None:
            if tab_run:
                cells = [_Para([l], cell=True, table=self.tables) for l in tab_run if l.strip()]
                self.tables += 1
                texts = [_clean_inline(l).text for l in tab_run]
                if any(_recipients_start(t) or _signature_start(t) for t in texts):
                    self._closing_regions(cells)
                paras.extend(cells)
                tab_run.clear()

        for line in lines:
            if _is_tab_cell(line) and not self.wrapped:
                flush_run()
                tab_run.append(line)
            elif tab_run and not line.strip():
                tab_run.append(line)
            else:
                flush_tab()
                run.append(line)
        flush_tab()
        flush_run()
        return paras

    @staticmethod
    def _closing_regions(cells: list[_Para]) -> None:
        """Cells of a signature/"Nơi nhận" table (text export keeps them interleaved)."""
        in_recipients = False
        for c in cells:
            t = _clean_inline(" ".join(c.lines)).text
            if _recipients_start(t):
                in_recipients = True
                c.region = "recipients"
            elif _BULLET.match(t) or (in_recipients and t.endswith((";", "."))):
                c.region = "recipients"
            else:
                c.region = "signature"

    # Blocks ----------------------------------------------------------------

    def blocks(self) -> None:
        for para in self.paragraphs():
            if para.md_cells is not None:
                cells = [_clean_inline(c).text for c in para.md_cells]
                text = " | ".join(c for c in cells if c)
                if text:
                    self.out.append(_Out(text, "table_row", region=para.region, cells=cells, table=para.table))
                continue
            if para.split_lines:
                for group in _line_paragraphs(para.lines):
                    self._emit(group, para)
                continue
            if para.region == "header":
                # "CHÍNH PHỦ_______ Số: 172/2025/NĐ-CP": a rule separates two lines.
                for piece in _INLINE_RULE.split("\n".join(para.lines)):
                    self._emit(piece.split("\n"), para)
                continue
            self._emit(para.lines, para)

    def _emit(self, lines: list[str], para: _Para) -> None:
        lines = [l for l in lines if not _is_rule(l) and l.strip().strip("#")]
        if not lines:
            return
        level = None
        m = _heading_mark(lines[0])
        if m:
            level = len(m.group(1))
            lines = [lines[0][m.end():]] + lines[1:]
        raw = " ".join(l.strip() for l in lines)
        inline = _clean_inline(raw)
        text = inline.text
        if not text or not _WORD_CHAR.search(text):
            return
        if para.cell and para.region == "body" and not (para.layout and _heading_cell(text, inline.bold)):
            self.out.append(
                _Out(text, "table_row", region="body", refs=list(inline.refs), cells=[text], table=para.table, bold=inline.bold)
            )
            return
        label = label_source = None
        kind = "paragraph"
        bullet = _BULLET.match(text)
        if bullet:
            kind, label, label_source = "list_item", bullet.group(1), "typed"
        else:
            parsed = parse_label(text)
            if parsed is not None:
                label = parsed.label.strip()
                label_source = "markdown" if (inline.markdown or level) else "typed"
            title = text[parsed.end:] if parsed is not None else text
            if level or self._heading_like(text, title, inline.bold, parsed is not None):
                kind = "heading"
        if para.region != "body" and kind == "heading":
            kind = "paragraph"
        self.out.append(
            _Out(
                text,
                kind,
                label=label,
                label_source=label_source or "none",
                bold=inline.bold or bool(level),
                level=level,
                region=para.region,
                refs=list(inline.refs),
            )
        )

    @staticmethod
    def _heading_like(text: str, title: str, bold: bool, labelled: bool) -> bool:
        if len(text) > 250:
            return False
        if bold or _is_upper(text):
            return True
        if labelled and len(text) <= 160:
            # "1. Mục đích", not "1. Trải qua hơn 90 năm …, Công đoàn đã …. Tuy nhiên …"
            return not _SENTENCE_INSIDE.search(title) and not title.endswith(".")
        return False

    # Page-break repair -------------------------------------------------------

    def repaired(self) -> list[_Out]:
        """Join a block that starts in lower case to a previous one left open."""
        out: list[_Out] = []
        for b in self.out:
            if out and self._continues(out[-1], b):
                prev = out[-1]
                prev.text = f"{prev.text} {b.text}"
                prev.refs.extend(b.refs)
                continue
            out.append(b)
        self._mark_closing(out)
        return out

    @staticmethod
    def _continues(prev: _Out, b: _Out) -> bool:
        if prev.region != b.region or prev.kind in ("table_row",) or b.kind != "paragraph":
            return False
        if b.label is not None or (prev.kind == "heading" and prev.bold != b.bold):
            return False
        if prev.text.endswith(_TERMINAL) or not _LOWER_START.match(b.text):
            return False
        return prev.bold == b.bold

    @staticmethod
    def _mark_closing(out: list[_Out]) -> None:
        """Signature and "Nơi nhận" lines written as ordinary lines at the end."""
        k = 0
        while k < len(out):
            b = out[k]
            if b.region == "recipients" or (b.region == "body" and _recipients_start(b.text)):
                b.region = "recipients"
                b.kind = "paragraph" if b.kind == "heading" else b.kind
                k += 1
                # The list runs on in body lines the table export left outside.
                while k < len(out) and out[k].region in ("body", "recipients") and (
                    out[k].kind == "list_item" or (len(out[k].text) < 120 and out[k].text.endswith((";", ".", ":")))
                ) and not parse_label(out[k].text) and out[k].kind != "table_row":
                    out[k].region = "recipients"
                    k += 1
                continue
            if b.region == "body" and _signature_start(b.text) and len(b.text) < 100:
                b.region = "signature"
                b.kind = "paragraph" if b.kind == "heading" else b.kind
                k += 1
                # Then the signer's title(s) in capitals and the signer's name.
                taken = 0
                while k < len(out) and taken < 5 and out[k].region == "body" and len(out[k].text) < 60 and not (
                    parse_label(out[k].text) or out[k].text.endswith((".", ";")) or _recipients_start(out[k].text)
                ):
                    out[k].region = "signature"
                    out[k].kind = "paragraph" if out[k].kind == "heading" else out[k].kind
                    k += 1
                    taken += 1
                    if _PERSON_NAME.match(out[k - 1].text):
                        break
                continue
            k += 1


@register_reader(".txt", ".md")
def read(path: Path, source: str) -> Document:
    """Read a .txt or .md file into a :class:`Document`."""
    raw = path.read_bytes()
    decoded = _decode(raw, path)
    text = decoded.text
    if not text.strip():
        raise ReadError(f"{path.name}: empty file (only whitespace)")
    document = read_string(text, source, "md" if path.suffix.lower() == ".md" else "txt")
    document.meta.update(decoded.meta())
    return document


def read_string(text: str, source: str = "<text>", fmt: str = "txt") -> Document:
    """Read text already in memory (a notebook cell, a spaCy ``nlp(text)``) like a file."""
    _forget_lines()
    try:
        return _read_string(text, source, fmt)
    finally:
        _forget_lines()  # the memos hold this document's lines: do not keep them


def _read_string(text: str, source: str, fmt: str) -> Document:
    reader = _Reader(text, markdown=fmt == "md")
    reader.blocks()
    builder = DocumentBuilder(source, fmt)
    builder.meta["hard_wrapped"] = reader.wrapped
    for b in reader.repaired():
        builder.add(
            b.text,
            b.kind,
            label=b.label,
            label_source=b.label_source,
            style=Style(bold=b.bold, upper=_is_upper(b.text)),
            region=b.region,
            footnote_refs=b.refs,
            cells=b.cells,
            table=b.table,
            level=b.level,
        )
    for note_id, body in reader.footnotes.items():
        builder.add_footnote(note_id, body)
    if not builder.blocks:
        raise ReadError(f"{source}: empty file (no text after removing markup)")
    return builder.build()
