"""Read a .pdf file: text layer through pypdfium2, scanned pages through OCR.

Why these libraries: pypdfium2 reads the text layer ≈55× faster than pdfplumber
(≈1.3 ms against ≈75 ms a page) and, through its text rectangles
(``count_rects``/``get_rect``/``get_text_bounded``), keeps every cell of the
borderless two-column blocks together. pdfplumber is opened only for pages that
carry ruled lines, to recover ruled tables (``find_tables``).

The page is turned into *runs* (a piece of text on one baseline with its box,
font size and weight), then the same layout logic serves text pages and OCR
pages (:mod:`pipeline.readers.ocr` returns runs too):

1. runs → lines (vertical overlap) → segments (a big horizontal gap splits a
   line into columns);
2. page furniture is dropped: the page number (last line), running headers and
   footers repeated on most pages; footnote marks glued to words (``CCVCLĐ1``)
   are cut out and the footnote bodies at the page foot become footnote blocks;
3. two-column borderless zones (header: issuer | quốc hiệu, Số | place/date;
   signature and Nơi nhận — "recipients") are read row by row, each cell whole,
   left cell before right;
4. hard-wrapped lines are re-joined into paragraphs; headings (bold, centred or
   upper-case short lines) stay blocks of their own; a symbol broken at its
   hyphen (``79-⏎KL/TW``) is re-joined without a space.
"""

from __future__ import annotations

import ctypes
import mmap
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from .. import safety
from ..builder import DocumentBuilder
from ..document import Document, Style
from . import ReadError, register_reader

# ---------------------------------------------------------------------------
# Layout primitives


@dataclass
class Run:
    """A piece of text on one baseline, in top-down page coordinates (points)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points (OCR: estimated from the line height)
    bold: Optional[bool] = None
    italic: Optional[bool] = None

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Segment:
    """Runs of one line that belong to one column.

    ``runs`` is not changed once the segment is made, so its extent and style are
    computed once, here (the layout steps read them many times).
    """

    runs: list[Run]
    page: int
    text: str = ""
    footnote_refs: list[str] = field(default_factory=list)
    x0: float = field(init=False, repr=False, compare=False)
    x1: float = field(init=False, repr=False, compare=False)
    top: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)
    size: float = field(init=False, repr=False, compare=False)  # size of most characters
    bold: Optional[bool] = field(init=False, repr=False, compare=False)  # style of most characters
    italic: Optional[bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        runs = self.runs
        if len(runs) == 1:  # most segments: a whole line is one text rectangle
            run = runs[0]
            self.x0, self.x1, self.top, self.bottom = run.x0, run.x1, run.top, run.bottom
            self.size = round(run.size, 1) if run.size > 0 else 0.0
            weight = len(run.text.strip())
            self.bold = None if run.bold is None or not weight else bool(run.bold)
            self.italic = None if run.italic is None or not weight else bool(run.italic)
            return
        self.x0 = min(r.x0 for r in runs)
        self.x1 = max(r.x1 for r in runs)
        self.top = min(r.top for r in runs)
        self.bottom = max(r.bottom for r in runs)
        self.size = _weighted_size(runs)
        self.bold = _weighted_flag(runs, "bold")
        self.italic = _weighted_flag(runs, "italic")


@dataclass
class Line:
    """Segments of one line (the list is not changed once the line is made)."""

    segments: list[Segment]
    top: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        segments = self.segments
        self.top = segments[0].top if len(segments) == 1 else min(s.top for s in segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass
class TableRow:
    cells: list[str]
    page: int
    top: float
    table: int


@dataclass
class PageLayout:
    """One page's content before paragraphs: lines, table rows, footnotes."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    tables: list[tuple[float, float, list[TableRow]]] = field(default_factory=list)  # (top, bottom, rows)
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    ocr: bool = False


def _weighted_size(runs: Iterable[Run]) -> float:
    """The font size of most characters (the first such size on a tie)."""
    total: dict[float, int] = {}
    for r in runs:
        if r.size > 0:
            key = round(r.size, 1)
            total[key] = total.get(key, 0) + max(1, len(r.text.strip()))
    return _most_common(total, 0.0)


def _most_common(counts: dict, default):
    """The key with the highest count, the first inserted on a tie — as
    ``Counter.most_common(1)`` picks it, without building the Counter."""
    best, best_n = default, None
    for key, n in counts.items():
        if best_n is None or n > best_n:
            best, best_n = key, n
    return best


def _weighted_flag(runs: Iterable[Run], name: str) -> Optional[bool]:
    yes = no = 0
    for r in runs:
        value = getattr(r, name)
        if value is None:
            continue
        if value:
            yes += len(r.text.strip())
        else:
            no += len(r.text.strip())
    if yes == no == 0:
        return None
    return yes > no


# ---------------------------------------------------------------------------
# Patterns (compiled once)

# A section number or bullet at the start of a line. Legal units and "Phần"
# headings are matched case-sensitively as they are written.
_LABEL = regex.compile(
    r"""^(?:
        (?P<label>
            (?:PHẦN|Phần)\s+(?:THỨ\s+)?[\p{Lu}IVXLC\d]+\b
          | (?:Chương|CHƯƠNG|Mục|MỤC|Điều)\s+[IVXLC\d]+[a-z]?\b\.?
          | [IVXLC]{1,7}\s?[.\-/)–](?!\d)
          | \d{1,2}(?:\s?\.\s?\d{1,2}){0,3}\s?[.)](?![\d/])
          | \d{1,2}(?:\.\d{1,2}){1,3}(?=\s)
          | [a-zđ]\s?[).](?=\s)
        )
      | (?P<bullet>[-–+•*●○▪■◦]) (?=\s|\p{L})
    )""",
    regex.VERBOSE,
)
_SENTENCE_END = regex.compile(r"[.:;!?…”\"»)]\s*$")
# Possessive blanks: adjacent \s* would try every split of a long run of blanks.
_PAGE_NUMBER = regex.compile(r"^\s*+(?:(?:Trang|trang|Page)\s*+)?[-–]?\s*+\d{1,4}\s*+(?:/\s*+\d{1,4})?\s*+[-–]?\s*+$")
_FOOTNOTE_MARK = regex.compile(r"^\s*(\d{1,2}|\*{1,3})\s*$")
_RECIPIENTS = regex.compile(r"^\s*(?:Nơi\s+nhận|NƠI\s+NHẬN)\s*:?", regex.IGNORECASE)
# A symbol-like token ending a line at its hyphen: "79-", "399/CTr-".
_SYMBOL_HYPHEN_END = regex.compile(r"[\p{L}\p{N}/.]-$")
_HAS_LOWER = regex.compile(r"\p{Ll}")
_STARTS_LOWER = regex.compile(r"^\s*\p{Ll}")
_HAS_LETTER = regex.compile(r"\p{L}")
_DIGITS = regex.compile(r"\d+")
_BOLD_FONT = regex.compile(r"bold|black|heavy|semibold|demibold|,b\b|-b\b", regex.IGNORECASE)
_ITALIC_FONT = regex.compile(r"italic|oblique|,i\b|-i\b", regex.IGNORECASE)


# ---------------------------------------------------------------------------
# Text layer → runs


_FONT_BUF = ctypes.create_string_buffer(256)
_FONT_FLAGS = ctypes.c_int()
_FONT_FLAGS_REF = ctypes.byref(_FONT_FLAGS)


def _font_at(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, str]:
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    n = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, _FONT_BUF, len(_FONT_BUF), _FONT_FLAGS_REF)
    name = _FONT_BUF.value.decode("latin-1", "replace") if n else ""
    return float(size), name


_STYLE_OF_FONT: dict[str, tuple[Optional[bool], Optional[bool]]] = {"": (None, None)}


def _font_style(font: str) -> tuple[Optional[bool], Optional[bool]]:
    """(bold, italic) from a font name; a document uses a handful of fonts, so cached."""
    style = _STYLE_OF_FONT.get(font)
    if style is None:
        if len(_STYLE_OF_FONT) > 4096:  # a hostile file with countless font names
            _STYLE_OF_FONT.clear()
            _STYLE_OF_FONT[""] = (None, None)
        style = _STYLE_OF_FONT[font] = (bool(_BOLD_FONT.search(font)), bool(_ITALIC_FONT.search(font)))
    return style


def _rect_font(textpage: pdfium.PdfTextPage, left: float, bottom: float, right: float, top: float) -> tuple[float, str]:
    """Font size and name of a character inside a text rectangle."""
    mid_y = (bottom + top) / 2
    for x in (left + min(3.0, (right - left) / 2), (left + right) / 2, right - 2.0):
        index = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, x, mid_y, 2.0, 2.0)
        if index < 0:
            continue
        size, name = _font_at(textpage, index)
        if size > 0:
            return size, name
    return 0.0, ""


_BOX = tuple(ctypes.c_double() for _ in range(4))
_BOX_REFS = tuple(ctypes.byref(v) for v in _BOX)


def _rect_start(textpage: pdfium.PdfTextPage, left: float, bottom: float, top: float) -> int:
    """Index of the first character of a text rectangle, or -1 if not certain.

    Rectangles come in character order, so a rectangle's text runs from its first
    character to the next rectangle's; slicing the page text this way is ≈5× cheaper
    than ``get_text_bounded``. The hit is checked against the character's box.
    """
    raw = textpage.raw
    mid_y = (bottom + top) / 2
    box_left = _BOX[0]
    for x, tolerance in ((left + 1.0, 1.0), (left + 2.5, 2.0)):
        index = pdfium_c.FPDFText_GetCharIndexAtPos(raw, x, mid_y, tolerance, tolerance)
        if index >= 0:
            pdfium_c.FPDFText_GetCharBox(raw, index, *_BOX_REFS)
            if left - 1.0 <= box_left.value <= left + 1.5:
                return index
    return -1


_RECT = tuple(ctypes.c_double() for _ in range(4))  # left, top, right, bottom as pdfium fills them
_RECT_REFS = tuple(ctypes.byref(v) for v in _RECT)


def _text_rects(textpage: pdfium.PdfTextPage) -> list[tuple[float, float, float, float]]:
    """Every text rectangle as (left, bottom, right, top), like ``get_rect`` without
    four new ctypes doubles per rectangle."""
    raw = textpage.raw
    get_rect = pdfium_c.FPDFText_GetRect
    left, top, right, bottom = _RECT
    rects = []
    for i in range(textpage.count_rects()):
        if not get_rect(raw, i, *_RECT_REFS):
            raise pdfium.PdfiumError("Failed to get rectangle. (Make sure count_rects() was called with default "
                                     "params once before subsequent get_rect() calls.)")
        rects.append((left.value, bottom.value, right.value, top.value))
    return rects


def _unhyphen(text: str) -> str:
    """pdfium marks a hyphen at a line end with U+0002 (in bounded text) or U+FFFE."""
    return text.replace("\x02", "-").replace("\ufffe", "-")


def text_runs(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[Run]:
    """The text rectangles of a page as runs (pdfium splits them at font changes)."""
    height = page.get_height()
    full = _unhyphen(textpage.get_text_range())  # one char for one: slices still hold
    rects = _text_rects(textpage)
    starts = [_rect_start(textpage, left, bottom, top) for left, bottom, _right, top in rects]
    starts.append(len(full))
    runs: list[Run] = []
    for i, (left, bottom, right, top) in enumerate(rects):
        start, end = starts[i], starts[i + 1]
        if 0 <= start < end:
            text = full[start:end].replace("\r\n", " ")
        else:
            # Shrunk a little: an italic glyph of the next run overhangs the box edge.
            text = _unhyphen(textpage.get_text_bounded(left + 0.5, bottom, right - 0.5, top))
        text = text.replace("\r", " ").replace("\n", " ")
        if not text.strip():
            continue
        if start >= 0:
            size, font = _font_at(textpage, start)
            if size <= 0:
                size, font = _rect_font(textpage, left, bottom, right, top)
        else:
            size, font = _rect_font(textpage, left, bottom, right, top)
        bold, italic = _font_style(font)
        runs.append(Run(text, left, height - top, right, height - bottom, size, bold, italic))
    return runs


# ---------------------------------------------------------------------------
# Runs → lines → segments


def _mid_y(run: Run) -> float:
    return (run.top + run.bottom) / 2


def _x0(item: Run) -> float:
    return item.x0


def group_lines(runs: list[Run]) -> list[list[Run]]:
    """Cluster runs into lines by vertical overlap, top to bottom.

    A run is compared with the horizontally nearest run of a candidate line, so a
    tall word in the other column (a signer's name beside Nơi nhận) does not
    chain two lines of this column together.
    """
    lines: list[list[Run]] = []
    for run in sorted(runs, key=_mid_y):
        placed = False
        for members in reversed(lines[-3:]):
            near = _nearest(members, run)
            overlap = min(near.bottom, run.bottom) - max(near.top, run.top)
            if overlap > 0.5 * min(near.bottom - near.top, run.bottom - run.top):
                members.append(run)
                placed = True
                break
        if not placed:
            lines.append([run])
    return [sorted(m, key=_x0) for m in lines]


def _nearest(members: list[Run], run: Run) -> Run:
    """The member horizontally nearest to ``run`` (0 if they overlap), the first on a
    tie: ``min(members, key=lambda m: max(m.x0 - run.x1, run.x0 - m.x1, 0.0))``
    with the comparisons inlined (this is the innermost loop of the layout)."""
    x0, x1 = run.x0, run.x1
    near, best = None, 0.0
    for m in members:
        gap = m.x0 - x1
        other = x0 - m.x1
        if other > gap:
            gap = other
        if 0.0 > gap:
            gap = 0.0
        if near is None or gap < best:
            near, best = m, gap
    assert near is not None
    return near


def split_segments(runs: list[Run], page: int, body_size: float, width: float) -> list[Segment]:
    """Split a line's runs where the gutter of a two-column block separates them.

    The gap must be wide and lie across the middle of the page, where the
    issuer | quốc hiệu and Nơi nhận | signature columns meet: a wide word gap
    elsewhere (a justified line, a word OCR dropped) does not split a line.
    """
    band_left, band_right = 0.4 * width, 0.6 * width
    least_size = 0.6 * body_size
    segments: list[Segment] = []
    current: list[Run] = []
    left_end = 0.0  # rightmost end of the runs in ``current``
    for run in runs:
        if current:
            gap = run.x0 - left_end
            size = max(run.size, current[-1].size, least_size)
            if gap > 1.4 * size and left_end < band_right and run.x0 > band_left:
                segments.append(Segment(current, page))
                current = []
        if not current or run.x1 > left_end:
            left_end = run.x1
        current.append(run)
    if current:
        segments.append(Segment(current, page))
    return segments


_SPACES = regex.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Runs of blanks to one space, stripped. Printable text without a double space
    has no blank but single spaces (every other blank is a non-printable
    character), so the regex is skipped for it."""
    if "  " not in text and text.isprintable():
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def _join_runs(segment: Segment, body_size: float) -> None:
    """Concatenate a segment's runs, cutting out footnote marks (raised small digits)."""
    parts: list[str] = []
    prev: Optional[Run] = None
    main_size = baseline = 0.0
    measured = False  # the main size and baseline are only needed beside a possible mark
    for run in segment.runs:
        text = run.text
        if prev is not None and _FOOTNOTE_MARK.match(text):
            if not measured:
                main = [r for r in segment.runs if r.size >= 0.8 * body_size] or segment.runs
                baseline = statistics.median(r.bottom for r in main)
                main_size = _weighted_size(main) or body_size
                measured = True
            if (
                0 < run.size < 0.75 * main_size
                and run.bottom < baseline - 0.15 * main_size
                and run.x0 - prev.x1 < 0.5 * main_size
            ):
                segment.footnote_refs.append(text.strip())
                prev = run
                continue
        if parts and prev is not None:
            gap = run.x0 - prev.x1
            if gap > 0.2 * max(run.size, 1.0) and not parts[-1].endswith(" ") and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        prev = run
    segment.text = collapse_spaces("".join(parts))


# ---------------------------------------------------------------------------
# Page analysis


def body_font_size(pages: list[list[Run]]) -> float:
    sizes: dict[int, int] = {}
    for runs in pages:
        for r in runs:
            if r.size > 0:
                key = round(r.size)
                sizes[key] = sizes.get(key, 0) + len(r.text)
    return float(_most_common(sizes, 0)) if sizes else 12.0


def layout_page(runs: list[Run], number: int, width: float, height: float, body_size: float) -> PageLayout:
    lines: list[Line] = []
    for line_runs in group_lines(runs):
        segments = split_segments(line_runs, number, body_size, width)
        for seg in segments:
            _join_runs(seg, body_size)
        segments = [s for s in segments if s.text]
        if segments:
            lines.append(Line(segments))
    return PageLayout(number=number, width=width, height=height, lines=lines)


def drop_page_number(layout: PageLayout, n_pages: int) -> None:
    """Every page ends (or starts) with its number alone on a line: drop it.

    Only a number in the top or bottom margin that could number this document's
    pages ("2028" alone at a page foot is a year, not a page number).
    """
    for index in (-1, 0):
        if not layout.lines:
            return
        line = layout.lines[index]
        in_margin = line.top > 0.85 * layout.height if index == -1 else line.bottom < 0.12 * layout.height
        m = _PAGE_NUMBER.match(line.text)
        if in_margin and m and int(_DIGITS.search(line.text).group()) <= 2 * n_pages + 20:
            layout.lines.pop(index)


def drop_running_lines(layouts: list[PageLayout]) -> None:
    """Remove headers/footers repeated (digits aside) at the top or foot of most pages."""
    if len(layouts) < 3:
        return
    for index in (0, -1):
        keys = Counter()
        for lay in layouts:
            if lay.lines:
                keys[_DIGITS.sub("#", lay.lines[index].text)] += 1
        repeated = {k for k, n in keys.items() if n >= max(3, 0.6 * len(layouts))}
        for lay in layouts:
            if lay.lines and _DIGITS.sub("#", lay.lines[index].text) in repeated:
                lay.lines.pop(index)


def extract_footnotes(layout: PageLayout, body_size: float) -> None:
    """Footnote bodies at the page foot: a small raised number, then small text."""
    for i, line in enumerate(layout.lines):
        if line.top < 0.5 * layout.height or len(line.segments) != 1:
            continue
        seg = line.segments[0]
        first = seg.runs[0]
        rest = seg.runs[1:]
        if not (
            rest
            and _FOOTNOTE_MARK.match(first.text)
            and 0 < first.size < 0.75 * body_size
            and _weighted_size(rest) < 0.9 * body_size
        ):
            continue
        # Everything from here to the page end in the small size is footnote text.
        notes: list[tuple[str, list[str]]] = []
        tail = layout.lines[i:]
        keep: list[Line] = []
        for other in tail:
            oseg = other.segments[0]
            ofirst = oseg.runs[0]
            if _FOOTNOTE_MARK.match(ofirst.text) and 0 < ofirst.size < 0.75 * body_size and len(oseg.runs) > 1:
                text = " ".join(r.text for r in oseg.runs[1:])
                notes.append((ofirst.text.strip(), [text]))
            elif notes and oseg.size < 0.9 * body_size:
                notes[-1][1].append(other.text)
            else:
                keep.append(other)
        layout.lines = layout.lines[:i] + keep
        layout.footnotes.extend((nid, " ".join(parts)) for nid, parts in notes)
        return


def find_tables(pdf_path: Path, layouts: list[PageLayout], ruled_pages: list[int]) -> None:
    """Ruled tables through pdfplumber, only on pages that carry ruled lines."""
    if not ruled_pages:
        return
    import pdfplumber

    table_index = 0
    with pdfplumber.open(str(pdf_path)) as pdf:
        for page_no in ruled_pages:
            if page_no > len(pdf.pages):  # pdfminer finds fewer pages than pdfium in a damaged file
                break
            layout = layouts[page_no - 1]
            for table in pdf.pages[page_no - 1].find_tables():
                rows = table.extract()
                if len(rows) < 2 or max(len(r) for r in rows) < 2:
                    continue
                x0, top, x1, bottom = table.bbox
                # A header row repeated at the top of a continuation page is dropped.
                prev_header = _previous_table_header(layouts, page_no)
                trows: list[TableRow] = []
                for row in rows:
                    cells = [" ".join((c or "").split()) for c in row]
                    if not any(cells):
                        continue
                    if not trows and prev_header is not None and cells == prev_header:
                        continue
                    trows.append(TableRow(cells, page_no, top, table_index))
                layout.tables.append((top, bottom, trows))
                _remove_lines_inside(layout, x0, top, x1, bottom)
                table_index += 1


def _previous_table_header(layouts: list[PageLayout], page_no: int) -> Optional[list[str]]:
    if page_no < 2:
        return None
    prev = layouts[page_no - 2]
    if not prev.tables:
        return None
    first = prev.tables[-1][2]
    return first[0].cells if first else None


def _remove_lines_inside(layout: PageLayout, x0: float, top: float, x1: float, bottom: float) -> None:
    kept: list[Line] = []
    for line in layout.lines:
        segs = [
            s
            for s in line.segments
            if not (x0 - 2 <= (s.x0 + s.x1) / 2 <= x1 + 2 and top - 2 <= (s.top + s.bottom) / 2 <= bottom + 2)
        ]
        if segs:
            kept.append(Line(segs))
    layout.lines = kept


# ---------------------------------------------------------------------------
# Reading order: two-column zones


@dataclass
class FlowItem:
    """One unit of the reading flow: a segment with its region, or a table row."""

    segment: Optional[Segment] = None
    row: Optional[TableRow] = None
    region: str = "body"
    cell: Optional[int] = None  # zone cells: lines of one cell share an id
    new_block: bool = False  # forced block boundary before this item


def _spans_center(seg: Segment, center: float, tol: float) -> bool:
    return seg.x0 < center - tol and seg.x1 > center + tol


def reading_flow(layouts: list[PageLayout], body_size: float) -> list[FlowItem]:
    flow: list[FlowItem] = []
    cell_counter = [0]
    seen_body = False
    for layout in layouts:
        center = layout.width / 2
        tol = 0.02 * layout.width
        items: list[tuple[float, object]] = [(ln.top, ln) for ln in layout.lines]
        items += [(top, rows) for top, _bottom, rows in layout.tables]
        items.sort(key=lambda t: t[0])
        i = 0
        while i < len(items):
            _, obj = items[i]
            if isinstance(obj, list):  # table rows
                for row in obj:
                    flow.append(FlowItem(row=row, region="body"))
                seen_body = True
                i += 1
                continue
            line: Line = obj  # type: ignore[assignment]
            if len(line.segments) >= 2 or (seen_body and _opens_closing_block(line, center, tol)):
                zone = [line]
                j = i + 1
                while j < len(items) and isinstance(items[j][1], Line):
                    nxt: Line = items[j][1]  # type: ignore[assignment]
                    if len(nxt.segments) == 1 and _spans_center(nxt.segments[0], center, tol):
                        break
                    zone.append(nxt)
                    j += 1
                region_default = "signature" if seen_body else "header"
                flow.extend(_zone_flow(zone, center, body_size, region_default, cell_counter))
                i = j
                continue
            for seg in line.segments:
                flow.append(FlowItem(segment=seg))
            if not (layout.number == 1 and not seen_body and _is_headerish(line, center, tol)):
                seen_body = seen_body or _looks_like_body(line, layout)
            i += 1
    return flow


def _opens_closing_block(line: Line, center: float, tol: float) -> bool:
    """After the body, a line wholly in the right half (the signer's title) or
    "Nơi nhận:" opens the signature/recipients block even without a second column."""
    seg = line.segments[0]
    return seg.x0 > center - tol or bool(_RECIPIENTS.match(seg.text))


def _is_headerish(line: Line, center: float, tol: float) -> bool:
    return len(line.segments) == 1 and not _spans_center(line.segments[0], center, tol)


def _looks_like_body(line: Line, layout: PageLayout) -> bool:
    seg = line.segments[0]
    return (seg.x1 - seg.x0) > 0.6 * layout.width and not seg.bold


def _zone_flow(zone: list[Line], center: float, body_size: float, region: str, counter: list[int]) -> list[FlowItem]:
    """A borderless two-column block: cut into rows, read each row left then right."""
    left: list[Segment] = []
    right: list[Segment] = []
    for line in zone:
        for seg in line.segments:
            (left if (seg.x0 + seg.x1) / 2 < center else right).append(seg)
    # Rows: a new row where both columns leave more than 1.5 line heights between
    # baselines (lines of one cell follow each other at ≈1.0–1.3).
    reach = sorted((s.bottom - 1.5 * max(s.size, 0.6 * body_size), s.bottom) for s in left + right)
    rows: list[tuple[float, float]] = []
    for top, bottom in reach:
        if rows and top < rows[-1][1]:
            rows[-1] = (rows[-1][0], max(rows[-1][1], bottom))
        else:
            rows.append((top, bottom))
    out: list[FlowItem] = []
    for row_top, row_bottom in rows:
        cells = []
        for column in (left, right):
            segs = [s for s in column if row_top <= s.bottom <= row_bottom]
            if segs:
                cells.append(segs)
        has_recipients = any(_RECIPIENTS.match(segs[0].text) for segs in cells)
        for segs in cells:
            counter[0] += 1
            cell_region = region
            if has_recipients:
                cell_region = "recipients" if _RECIPIENTS.match(segs[0].text) else "signature"
            for k, seg in enumerate(segs):
                out.append(FlowItem(segment=seg, region=cell_region, cell=counter[0], new_block=k == 0))
    return out


# ---------------------------------------------------------------------------
# Flow → blocks


@dataclass
class _Para:
    texts: list[str]
    page: int
    region: str
    bold: Optional[bool]
    italic: Optional[bool]
    size: float
    centered: bool
    heading: bool
    refs: list[str]
    last_len_short: bool
    cell: Optional[int] = None  # zone cell the paragraph belongs to

    def text(self) -> str:
        out = ""
        for piece in self.texts:
            out = join_lines(out, piece) if out else piece
        return out


def join_lines(left: str, right: str) -> str:
    """Join a wrapped line to the next: no space after a hyphen glued to a symbol."""
    left = left.rstrip()
    right = right.lstrip()
    # ``left`` ends in no blank, so "-$" can only match its last two characters:
    # searching them alone spares a scan of the whole paragraph at every line.
    if _SYMBOL_HYPHEN_END.search(left[-2:]) and right[:1] and not right[:1].isspace():
        return left + right
    return left + " " + right


class _Geometry:
    """Left/right text margins of the body, from the most common line extents."""

    def __init__(self, layouts: list[PageLayout], body_size: float):
        lefts: dict[int, int] = {}
        rights: dict[int, int] = {}
        for lay in layouts:
            for line in lay.lines:
                for seg in line.segments:
                    key = round(seg.x0 / 2) * 2
                    lefts[key] = lefts.get(key, 0) + 1
                    key = round(seg.x1 / 2) * 2
                    rights[key] = rights.get(key, 0) + 1
        self.left = float(_most_common(lefts, 0)) if lefts else 0.0
        # Justified text ends its full lines at one x; a short document may have
        # few full lines, so fall back on the 90th percentile of line ends.
        top_right = _most_common(rights, 600.0)
        count = rights[top_right] if rights else 0
        if rights and count < 3:
            ends = sorted(Counter(rights).elements())
            top_right = ends[int(0.9 * (len(ends) - 1))]
        self.right = float(top_right)
        self.body_size = body_size
        self.center = (self.left + self.right) / 2

    def indented(self, seg: Segment) -> bool:
        return seg.x0 > self.left + 0.8 * max(seg.size, self.body_size * 0.8)

    def reaches_right(self, seg: Segment) -> bool:
        return seg.x1 > self.right - 2.5 * self.body_size

    def centered(self, seg: Segment) -> bool:
        # Equal room on both sides, and some room: a full or indented line is not centred.
        room_left = seg.x0 - self.left
        room_right = self.right - seg.x1
        least = 0.25 * self.body_size
        return room_left > least and room_right > least and abs(room_left - room_right) < 0.25 * (room_left + room_right) + 4


def _is_upper(text: str) -> bool:
    return bool(_HAS_LETTER.search(text)) and not _HAS_LOWER.search(text)


def _heading_like(seg: Segment, centered: bool) -> bool:
    text = seg.text
    if seg.bold:
        return True
    if centered and len(text) < 120:
        return True
    return _is_upper(text) and len(text) < 120


def build_blocks(flow: list[FlowItem], geo: _Geometry, builder: DocumentBuilder, ocr_pages: frozenset[int] = frozenset()) -> None:
    para: Optional[_Para] = None

    def flush() -> None:
        nonlocal para
        if para is None:
            return
        text = para.text()
        if para.page in ocr_pages:
            from .ocr import fix_text

            text = fix_text(text)
        _emit(builder, text, para)
        para = None

    for item in flow:
        if item.row is not None:
            flush()
            row = item.row
            # As the .docx reader writes a row: every cell, empty ones too, joined by " | ".
            builder.add(" | ".join(row.cells), "table_row", cells=row.cells, table=row.table, page=row.page)
            continue
        seg = item.segment
        assert seg is not None
        text = seg.text
        starts_label = bool(_LABEL.match(text))
        centered = geo.centered(seg)
        heading = _heading_like(seg, centered)
        new = para is None or item.new_block
        if not new and para is not None:
            if item.region != para.region or (item.cell is not None and item.cell != para.cell):
                new = True
            elif item.cell is not None:
                # Inside a zone cell every line is a unit of its own (issuer,
                # quốc hiệu, title of the signer), except a wrapped continuation:
                # a line starting in lower case, or any non-bullet line of Nơi nhận.
                if item.region == "recipients":
                    new = starts_label
                else:
                    new = not _STARTS_LOWER.match(text)
            else:
                new = _starts_new_block(seg, text, starts_label, heading, centered, para, geo)
        if new:
            flush()
            para = _Para(
                texts=[text],
                page=seg.page,
                region=item.region,
                bold=seg.bold,
                italic=seg.italic,
                size=seg.size,
                centered=centered,
                heading=heading,
                refs=list(seg.footnote_refs),
                last_len_short=not geo.reaches_right(seg),
                cell=item.cell,
            )
        else:
            assert para is not None
            para.texts.append(text)
            para.refs.extend(seg.footnote_refs)
            para.last_len_short = not geo.reaches_right(seg)
            if seg.bold is False:
                para.bold = False
    flush()


def _starts_new_block(
    seg: Segment, text: str, starts_label: bool, heading: bool, centered: bool, para: _Para, geo: _Geometry
) -> bool:
    prev_text = para.texts[-1]
    # Style change between a heading and body text.
    if bool(seg.bold) != bool(para.bold) and (seg.bold or para.heading):
        return True
    if abs(seg.size - para.size) > 0.75 and (heading or para.heading):
        return True
    if centered or para.centered:
        # A centred title runs on while the previous line was a long line of the
        # same style; a short centred line ("NGHỊ QUYẾT") stands alone.
        if para.centered and (centered or para.heading) and not starts_label and not _SENTENCE_END.search(prev_text):
            wide = len(prev_text) > 0.55 * _chars_per_line(geo)
            same_style = bool(seg.bold) == bool(para.bold) and abs(seg.size - para.size) <= 0.75
            if wide and same_style and _is_upper(prev_text) == _is_upper(text):
                return False
        return True
    if geo.indented(seg):
        return True
    if para.last_len_short:
        # The previous line stopped short of the margin: a paragraph or heading ended.
        if _SENTENCE_END.search(prev_text) or para.heading or starts_label:
            return True
    if starts_label and _SENTENCE_END.search(prev_text):
        # "…chủ nghĩa." then "2. Yêu cầu": a numbered line after a finished sentence.
        return True
    return False


def _chars_per_line(geo: _Geometry) -> float:
    return (geo.right - geo.left) / (0.45 * geo.body_size)


def _emit(builder: DocumentBuilder, text: str, para: _Para) -> None:
    m = _LABEL.match(text)
    label = None
    kind = "paragraph"
    if m and m.group("label"):
        label = m.group("label").strip()
    elif m and m.group("bullet"):
        label = m.group("bullet")
        kind = "list_item"
    heading = para.heading and len(text) < 400
    if heading and kind == "paragraph":
        kind = "heading"
    style = Style(
        bold=para.bold,
        italic=para.italic,
        size=round(para.size, 1) if para.size else None,
        align="center" if para.centered else None,
        upper=_is_upper(text) or None,
    )
    builder.add(
        text,
        kind,
        label=label,
        label_source="typed" if label else "none",
        style=style,
        page=para.page,
        region=para.region,
        footnote_refs=para.refs,
    )


# ---------------------------------------------------------------------------
# Entry point


def ends_early(path: Path) -> bool:
    """True if the file lacks the ``%%EOF`` a PDF ends with: a cut-off copy."""
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        return b"%%EOF" not in fh.read()


def declares_encryption(path: Path) -> bool:
    """True if the file holds an ``/Encrypt`` dictionary. pdfium's last error is kept
    per process and not reset by a load that fails for another reason, so a
    "password" error right after an encrypted file is checked against the file itself."""
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b"/Encrypt") != -1


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        password = "password" in message or getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD
        if password and declares_encryption(path):
            raise ReadError(f"encrypted PDF: {path.name} needs a password; decrypt it first (e.g. qpdf --decrypt)",
                            kind="encrypted") from exc
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(f"encrypted PDF: {path.name} uses an unsupported security handler", kind="encrypted") from exc
        # A stale "password" or a "Success" code says nothing about this file.
        detail = "its structure cannot be loaded" if password or "success" in message else str(exc)
        if ends_early(path):
            raise ReadError(f"truncated or corrupt PDF: {path.name} is cut off (no %%EOF at its end) and "
                            f"cannot be repaired ({detail})", kind="truncated") from exc
        raise ReadError(f"corrupt or unreadable PDF: {path.name} ({detail})", kind="corrupt") from exc


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _ruled(page: pdfium.PdfPage) -> bool:
    """Six path objects or more at the page's top level (``page.get_objects(filter=
    (PATH,), max_depth=1)`` without a Python object per page object)."""
    raw = page.raw
    n_objects = pdfium_c.FPDFPage_CountObjects(raw)
    if n_objects < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    count = 0
    for i in range(n_objects):
        obj = get_object(raw, i)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = get_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            count += 1
            if count >= 6:
                return True
        elif kind == pdfium_c.FPDF_PAGEOBJ_UNKNOWN:
            raise pdfium.PdfiumError("Failed to determine pageobject type, did you pass in a valid "
                                     "FPDF_PAGEOBJECT handle?")
    return False


@register_reader(".pdf")
def read_pdf(path: Path, source: str) -> Document:
    safety.check_pdf_streams(path)  # a decompression bomb is refused before pdfium inflates it
    pdf = open_pdf(path)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReadError(f"empty PDF: {path.name} has no pages", kind="empty")
        max_pages = safety.limits().pdf_max_pages
        if n_pages > max_pages:
            raise ReadError(f"{path.name} has {n_pages:,} pages; the limit for .pdf is {max_pages:,} pages "
                            "(models/limits.yaml)", kind="too_large")
        page_runs: list[list[Run]] = []
        sizes: list[tuple[float, float]] = []
        image_pages: list[int] = []
        ruled_pages: list[int] = []
        for index in range(n_pages):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:  # a page tree that loops or points nowhere
                raise ReadError(f"corrupt PDF: page {index + 1} of {path.name} cannot be loaded ({exc})",
                                kind="corrupt") from exc
            sizes.append((page.get_width(), page.get_height()))
            textpage = page.get_textpage()
            runs = text_runs(page, textpage) if textpage.count_chars() > 0 else []
            if not runs and _has_images(page):
                image_pages.append(index)
            elif runs and _ruled(page):
                ruled_pages.append(index + 1)
            page_runs.append(runs)
            textpage.close()
            page.close()
        ocr_used = False
        if image_pages:
            from .ocr import ocr_runs

            for index, runs in ocr_runs(pdf, image_pages).items():
                page_runs[index] = runs
            ocr_used = True
    finally:
        pdf.close()

    if not any(page_runs):
        raise ReadError(f"no text in PDF: {path.name} has neither a text layer nor scanned images", kind="no_text")

    body_size = body_font_size(page_runs)
    layouts = [layout_page(runs, i + 1, w, h, body_size) for i, (runs, (w, h)) in enumerate(zip(page_runs, sizes))]
    for lay in layouts:
        lay.ocr = (lay.number - 1) in image_pages
        drop_page_number(lay, n_pages)
    drop_running_lines(layouts)
    for lay in layouts:
        extract_footnotes(lay, body_size)
    tables_lost = False
    if ruled_pages:  # pdfplumber is imported only for a page with ruled lines
        from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

        try:
            find_tables(path, layouts, ruled_pages)
        except (PdfminerException, MalformedPDFException):  # damage pdfium repairs and pdfminer cannot parse
            tables_lost = True

    all_ocr = ocr_used and len(image_pages) == n_pages
    builder = DocumentBuilder(source, "pdf-ocr" if all_ocr else "pdf")
    builder.pages = n_pages
    if tables_lost:
        builder.warnings.append("the PDF is damaged: its ruled tables could not be read, their rows are plain lines")
    if ends_early(path):  # pdfium repaired a cut-off file: say that pages may be missing
        builder.warnings.append("the PDF is truncated (no %%EOF at its end): the last pages may be missing")
    if ocr_used:
        builder.meta["ocr_pages"] = [i + 1 for i in image_pages]
        if not all_ocr:
            builder.warnings.append(f"{len(image_pages)} of {n_pages} pages read through OCR")
    geo = _Geometry(layouts, body_size)
    build_blocks(reading_flow(layouts, body_size), geo, builder, frozenset(i + 1 for i in image_pages))
    for lay in layouts:
        for note_id, text in lay.footnotes:
            builder.add_footnote(note_id, text, page=lay.number)
    return builder.build()
