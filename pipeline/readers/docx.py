"""Reader for Word ``.docx`` files.

The package is opened by :func:`pipeline.safety.open_package` (zip bombs, unsafe or
too deep XML refused); the main part, styles, numbering and notes are found through
the package relationships, and each is read from the lxml tree the safety check
parsed: once, and only the parts this reader needs. (python-docx parsed every part a
second time, and its paragraph/run objects hide what this reader needs: automatic
numbers, footnote references, text boxes.)

What comes out, in body order (tables walked where they stand):

- every paragraph as a block whose text starts with the label a reader sees: the
  Word automatic number recovered from ``numbering.xml`` (``label_source="auto"``,
  see :mod:`pipeline.readers.docx_numbering`) or a number typed in the text
  (``label_source="typed"``);
- the header table (issuing body | quốc hiệu; Số … | place, date) as
  ``region="header"`` blocks, one per cell paragraph, row by row, left to right;
- the signature table as ``region="signature"`` blocks and its "Nơi nhận" cell as
  ``region="recipients"`` blocks;
- other tables as ``table_row`` blocks (``cells``; ``text`` = the cells joined with
  " | "); single-column tables are layout frames and read as paragraphs;
- footnotes (``w:footnoteReference`` ids in ``footnote_refs``; the notes themselves
  as ``footnote`` blocks after the body). Page headers and footers are not read.

Bad input (a corrupt ZIP, another ZIP format, a legacy or password-protected
OLE file) raises :class:`~pipeline.readers.ReadError` with the reason.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

import regex
from lxml import etree

from .. import safety
from ..builder import DocumentBuilder
from ..document import Document, Style
from ..legacy_text import LegacyRuns, font_encoding
from ..normalize import fold_for_match
from . import ReadError, register_reader
from .regions import PageRegions, layout, typed_label
from .docx_numbering import W, AutoLabel, NumberingCounter, NumberingDefinitions, is_on, to_int, w_attr

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _REL + "officeDocument"
RT_STYLES = _REL + "styles"
RT_NUMBERING = _REL + "numbering"
RT_FOOTNOTES = _REL + "footnotes"
RT_ENDNOTES = _REL + "endnotes"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CT_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# Element tags, built once.
DOCUMENT, BODY = W + "document", W + "body"
P, TBL, TR, TC, R, T = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "t"
PPR, RPR, SDT, SDT_CONTENT, CUSTOM_XML = W + "pPr", W + "rPr", W + "sdt", W + "sdtContent", W + "customXml"
TXBX = W + "txbxContent"
PSTYLE, JC, NUM_PR, NUM_ID, ILVL, RSTYLE = W + "pStyle", W + "jc", W + "numPr", W + "numId", W + "ilvl", W + "rStyle"
B, I, SZ, CAPS, VANISH, RFONTS = W + "b", W + "i", W + "sz", W + "caps", W + "vanish", W + "rFonts"
NO_BREAK_HYPHEN, SYM, DRAWING, PICT = W + "noBreakHyphen", W + "sym", W + "drawing", W + "pict"
FOOTNOTE_REF, ENDNOTE_REF = W + "footnoteReference", W + "endnoteReference"
VAL, ID, CHAR = W + "val", W + "id", W + "char"
_FONT_ATTRS = (W + "ascii", W + "hAnsi", W + "cs")
ALTERNATE, CHOICE, FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
# Inline wrappers whose runs are visible text.
_INLINE_CONTAINERS = frozenset(
    W + name for name in ("hyperlink", "ins", "smartTag", "customXml", "moveTo", "fldSimple", "dir", "bdo")
)
_BREAKS = frozenset((W + "br", W + "cr"))
_TABS = frozenset((W + "tab", W + "ptab"))
_NOTE_SKIP_TYPES = frozenset(("separator", "continuationSeparator", "continuationNotice"))

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_ALIGN = {"center": "center", "both": "justify", "distribute": "justify", "left": "left",
          "start": "left", "right": "right", "end": "right"}

_HEADING_STYLE = regex.compile(r"^(?:heading|title|tiêu đề|chapter)", regex.I)


# --- styles ------------------------------------------------------------------------

class RunFormat(NamedTuple):
    """Character formatting; None means "not set here, inherit"."""

    bold: Optional[bool] = None
    italic: Optional[bool] = None
    size: Optional[float] = None  # points
    caps: Optional[bool] = None
    hidden: Optional[bool] = None
    font: Optional[str] = None  # w:rFonts (a legacy .VnTime/VNI-Times font means legacy text)

    def over(self, base: "RunFormat") -> "RunFormat":
        """This format applied on top of ``base``."""
        if self == _EMPTY_RUN:  # nothing set here
            return base
        return RunFormat(
            self.bold if self.bold is not None else base.bold,
            self.italic if self.italic is not None else base.italic,
            self.size if self.size is not None else base.size,
            self.caps if self.caps is not None else base.caps,
            self.hidden if self.hidden is not None else base.hidden,
            self.font if self.font is not None else base.font,
        )


_EMPTY_RUN = RunFormat()


def _first_children(parent: etree._Element) -> dict:
    """Each child tag's first element — what ``parent.find(tag)`` returns — from one
    pass over the children (a ``find`` costs as much as that whole pass)."""
    first: dict = {}
    for child in parent:
        if child.tag not in first:
            first[child.tag] = child
    return first


def _val(el: Optional[etree._Element]) -> Optional[str]:
    return el.get(VAL) if el is not None else None


def parse_rpr(rpr: Optional[etree._Element]) -> RunFormat:
    return _EMPTY_RUN if rpr is None else _run_format(_first_children(rpr))


def _run_format(props: dict) -> RunFormat:
    """The format a ``w:rPr`` sets, from its children (:func:`_first_children`)."""
    b, i, sz, caps, vanish = props.get(B), props.get(I), props.get(SZ), props.get(CAPS), props.get(VANISH)
    half_points = to_int(sz.get(VAL)) if sz is not None else None
    return RunFormat(
        bold=is_on(b) if b is not None else None,
        italic=is_on(i) if i is not None else None,
        size=half_points / 2 if half_points else None,
        caps=is_on(caps) if caps is not None else None,
        hidden=is_on(vanish) if vanish is not None else None,
        font=_run_font(props.get(RFONTS)),
    )


def _run_font(fonts: Optional[etree._Element]) -> Optional[str]:
    """The run's font: a legacy one among ascii/hAnsi/cs first, since it decides
    how the text must be read."""
    if fonts is None:
        return None
    names = [fonts.get(a) for a in _FONT_ATTRS]
    legacy = [n for n in names if font_encoding(n)]
    return legacy[0] if legacy else next((n for n in names if n), None)


@dataclass(frozen=True)
class ParaFormat:
    """A paragraph style resolved through its ``basedOn`` chain."""

    align: Optional[str] = None
    num_id: Optional[str] = None
    ilvl: Optional[int] = None
    run: RunFormat = _EMPTY_RUN
    name: str = ""


class StyleSheet:
    """``styles.xml``: paragraph and character styles, resolved lazily and cached."""

    def __init__(self, root: Optional[etree._Element]):
        self._raw: dict[str, etree._Element] = {}
        self.default_paragraph: Optional[str] = None
        self.doc_defaults = _EMPTY_RUN
        self._para_cache: dict[Optional[str], ParaFormat] = {}
        self._char_cache: dict[str, RunFormat] = {}
        self.legacy = LegacyRuns()  # runs set in TCVN3/VNI fonts, converted to Unicode
        if root is None:
            return
        defaults = root.find(W + "docDefaults")
        if defaults is not None:
            self.doc_defaults = parse_rpr(defaults.find(f"{W}rPrDefault/{W}rPr"))
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId")
            if sid is None:
                continue
            self._raw[sid] = style
            if style.get(W + "type") == "paragraph" and is_on_attr(style.get(W + "default")):
                self.default_paragraph = sid

    def paragraph(self, style_id: Optional[str]) -> ParaFormat:
        style_id = style_id if style_id in self._raw else self.default_paragraph
        if style_id in self._para_cache:
            return self._para_cache[style_id]
        fmt = self._resolve_paragraph(style_id, set())
        self._para_cache[style_id] = fmt
        return fmt

    def _resolve_paragraph(self, style_id: Optional[str], seen: set[str]) -> ParaFormat:
        style = self._raw.get(style_id or "")
        if style is None or style_id in seen:
            return ParaFormat(run=self.doc_defaults)
        seen.add(style_id)  # type: ignore[arg-type]
        base_id = w_attr(style.find(W + "basedOn"))
        base = self._resolve_paragraph(base_id, seen) if base_id else ParaFormat(run=self.doc_defaults)
        ppr = style.find(PPR)
        align, num_id, ilvl = base.align, base.num_id, base.ilvl
        if ppr is not None:
            jc = w_attr(ppr.find(W + "jc"))
            align = _ALIGN.get(jc or "", align)
            num_pr = ppr.find(W + "numPr")
            if num_pr is not None:
                nid = w_attr(num_pr.find(W + "numId"))
                lvl = to_int(w_attr(num_pr.find(W + "ilvl")))
                num_id = nid if nid is not None else num_id
                ilvl = lvl if lvl is not None else (None if nid is not None else ilvl)
        name = (w_attr(style.find(W + "name")) or "").strip()
        return ParaFormat(align, num_id, ilvl, parse_rpr(style.find(RPR)).over(base.run), name)

    def character(self, style_id: str) -> RunFormat:
        if style_id not in self._char_cache:
            fmt, seen, sid = _EMPTY_RUN, set(), style_id
            while sid and sid in self._raw and sid not in seen:
                seen.add(sid)
                style = self._raw[sid]
                fmt = fmt.over(parse_rpr(style.find(RPR)))
                sid = w_attr(style.find(W + "basedOn"))
            self._char_cache[style_id] = fmt
        return self._char_cache[style_id]

    def numbering_of(self, style_id: str) -> Optional[tuple[Optional[str], Optional[int]]]:
        """(numId, ilvl) a numbering style points to (for ``w:numStyleLink``)."""
        style = self._raw.get(style_id)
        num_pr = style.find(f"{PPR}/{W}numPr") if style is not None else None
        if num_pr is None:
            return None
        return w_attr(num_pr.find(W + "numId")), to_int(w_attr(num_pr.find(W + "ilvl")))


def is_on_attr(value: Optional[str]) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


# What StyleSheet never reads, and most of a styles.xml: a table style's formatting
# (w:tblPr, w:trPr, w:tcPr, conditional w:tblStylePr) and the latent-style list. Cut
# out of the bytes before parsing, Word's 350 KB styles.xml is 56 KB (4 ms → 1.5 ms).
_UNREAD_IN_STYLES = re.compile(rb"<(?:w:(tblStylePr|tblPr|trPr|tcPr|latentStyles)(?=[\s/>])|[!?])")
_END_TAGS = {name: b"</w:" + name + b">" for name in (b"tblStylePr", b"tblPr", b"trPr", b"tcPr", b"latentStyles")}


def prune_styles(data: bytes) -> bytes:
    """styles.xml without the elements :class:`StyleSheet` never reads, cut by their tags
    (the ``data`` object itself when nothing is cut). Comments, CDATA and processing
    instructions could hide a tag: then nothing is cut. A cut that is not exactly one
    element leaves malformed XML, and :func:`pipeline.safety.check_xml` parses the whole part."""
    start = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
    kept = [data[:start]]
    pos = start
    while (found := _UNREAD_IN_STYLES.search(data, pos)) is not None:
        name = found.group(1)
        if name is None:  # "<!" or "<?"
            return data
        tag_end = data.find(b">", found.end())
        if tag_end < 0:
            return data
        kept.append(data[pos:found.start()])
        if data[tag_end - 1] == 0x2F:  # "/>": an empty element
            pos = tag_end + 1
            continue
        close = _END_TAGS[name]
        end = data.find(close, tag_end)
        if end < 0:
            return data
        pos = end + len(close)
    if pos == start:
        return data
    kept.append(data[pos:])
    pruned = b"".join(kept)
    # A ">" inside an attribute value can end a tag early and make a cut that is
    # still well-formed XML: never accept a cut that lost a style.
    if pruned.count(b"<w:style ") != data.count(b"<w:style "):
        return data
    return pruned


# --- paragraphs --------------------------------------------------------------------

@dataclass
class Paragraph:
    """The visible content of one ``w:p`` and its presentation."""

    text: str
    style: Style
    style_id: Optional[str]
    style_name: str
    num_id: Optional[str]
    ilvl: Optional[int]
    footnote_refs: list[str] = field(default_factory=list)
    text_boxes: list[etree._Element] = field(default_factory=list)


class _ParagraphReader:
    """Collects text and formatting statistics of one paragraph's runs."""

    def __init__(self, styles: StyleSheet, base: RunFormat):
        self.styles = styles
        self.base = base
        self.pieces: list[str] = []
        self.refs: list[str] = []
        self.boxes: list[etree._Element] = []
        self.chars = 0
        self.bold = 0
        self.italic = 0
        self.caps = 0
        self.sizes: dict[float, int] = {}  # characters per size, in order of first use

    # containers and tables

    def container(self, children: Iterable[etree._Element]) -> None:
        for child in children:
            tag = child.tag
            if tag == R:
                self.run(child)
            elif tag in _INLINE_CONTAINERS:
                self.container(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.container(content)
            elif tag == ALTERNATE:
                self.container(_chosen(child))
            # w:del, w:moveFrom (deleted text), bookmarks, proofing marks: not visible

    def run(self, r: etree._Element) -> None:
        children = list(r)
        if not children:
            return
        rpr = children[0] if children[0].tag == RPR else r.find(RPR)  # w:rPr comes first, as Word writes it
        fmt = self.base
        if rpr is not None:
            props = _first_children(rpr)
            rstyle = _val(props.get(RSTYLE))
            if rstyle:
                fmt = self.styles.character(rstyle).over(fmt)
            fmt = _run_format(props).over(fmt)
        if fmt.hidden:
            return
        pieces = self.pieces
        start = len(pieces)
        for c in children:
            tag = c.tag
            if tag == T:
                if c.text:
                    pieces.append(c.text)
            elif tag == RPR:
                continue
            elif tag in _TABS:
                pieces.append("\t")
            elif tag in _BREAKS:
                pieces.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                pieces.append("-")
            elif tag == FOOTNOTE_REF:
                self.refs.append(c.get(ID, ""))
            elif tag == ENDNOTE_REF:
                self.refs.append("e" + c.get(ID, ""))
            elif tag == SYM:
                glyph = _sym_char(c.get(CHAR))
                if glyph:
                    pieces.append(glyph)
            elif tag == DRAWING or tag == PICT:
                self.boxes.extend(c.iter(TXBX))
            elif tag == ALTERNATE:
                for el in _chosen(c):
                    self.boxes.extend(el.iter(TXBX))
        if start == len(pieces):
            return  # no text: nothing to convert or count
        encoding = font_encoding(fmt.font)
        if encoding is not None:
            # Legacy-font text (TCVN3 "NghÞ", VNI "Nghò") → Unicode; whether the run
            # starts a sentence helps TCVN3, which lacks some capitals.
            before = "".join(pieces[:start])
            opens = not before.strip() or (before[-1:].isspace() and before.rstrip()[-1] in ".!?")
            pieces[start:] = [self.styles.legacy.convert("".join(pieces[start:]), encoding, opens)]
        text = pieces[start] if len(pieces) == start + 1 else "".join(pieces[start:])
        n = len(text) - text.count(" ") - text.count("\t") - text.count("\n")
        if n <= 0:
            return
        self.chars += n
        if fmt.bold:
            self.bold += n
        if fmt.italic:
            self.italic += n
        if fmt.caps:
            self.caps += n
        if fmt.size:
            self.sizes[fmt.size] = self.sizes.get(fmt.size, 0) + n


def _chosen(alternate: etree._Element) -> etree._Element:
    """The branch of ``mc:AlternateContent`` Word shows (the first Choice)."""
    choice = alternate.find(CHOICE)
    if choice is not None:
        return choice
    fallback = alternate.find(FALLBACK)
    return fallback if fallback is not None else alternate


def _sym_char(code: Optional[str]) -> str:
    """``w:sym`` glyph: private-use symbol-font codes (F0xx) are dropped."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    return "" if 0xE000 <= value <= 0xF8FF else chr(value)


def read_paragraph(p: etree._Element, styles: StyleSheet) -> Paragraph:
    children = list(p)
    ppr = None
    if children:
        ppr = children[0] if children[0].tag == PPR else p.find(PPR)  # w:pPr comes first, as Word writes it
    style_id = align = num_id = None
    ilvl: Optional[int] = None
    if ppr is not None:
        props = _first_children(ppr)
        style_id = _val(props.get(PSTYLE))
        align = _ALIGN.get(_val(props.get(JC)) or "")
        num_pr = props.get(NUM_PR)
        if num_pr is not None:
            numbering = _first_children(num_pr)
            num_id = _val(numbering.get(NUM_ID))
            ilvl = to_int(_val(numbering.get(ILVL)))
    pfmt = styles.paragraph(style_id)
    reader = _ParagraphReader(styles, pfmt.run)
    reader.container(children)
    text = "".join(reader.pieces)
    chars = reader.chars or 1
    cased = text != text.lower()  # has letters that have case
    upper = cased and (reader.caps >= chars * 0.9 or text == text.upper())
    sizes = reader.sizes
    style = Style(
        bold=reader.bold * 2 > chars if reader.chars else None,
        italic=reader.italic * 2 > chars if reader.chars else None,
        # the most used size (the first of equals)
        size=max(sizes, key=sizes.__getitem__) if sizes else pfmt.run.size,
        align=align or pfmt.align,
        upper=upper if cased else None,
    )
    return Paragraph(
        text=text,
        style=style,
        style_id=style_id,
        style_name=pfmt.name,
        num_id=num_id,
        ilvl=ilvl,
        footnote_refs=reader.refs,
        text_boxes=reader.boxes,
    )


# --- the body walk -----------------------------------------------------------------

class _BodyReader:
    def __init__(self, builder: DocumentBuilder, styles: StyleSheet, numbering: NumberingDefinitions):
        self.b = builder
        self.styles = styles
        self.numbering = numbering
        self.counter = NumberingCounter(numbering)
        self.layout = layout()
        self.tables = 0
        self.auto_labels = 0
        self.regions = PageRegions(self.layout)
        self.in_title = False  # inside a run of centred title lines

    # paragraphs

    def auto_label(self, para: Paragraph) -> Optional[AutoLabel]:
        """Advance Word's counters for a numbered paragraph; its label (None if unnumbered)."""
        num_id, ilvl = para.num_id, para.ilvl
        if num_id is None or ilvl is None:
            sfmt = self.styles.paragraph(para.style_id)
            if num_id is None:
                num_id = sfmt.num_id
            if ilvl is None and num_id is not None:
                ilvl = sfmt.ilvl
                if ilvl is None and para.style_id:
                    ilvl = self.numbering.level_for_style(num_id, para.style_id)
        if num_id is None or num_id == "0":
            return None
        label = self.counter.next_label(num_id, ilvl or 0)
        if label is not None:
            self.auto_labels += 1
        return label

    def paragraph(self, p: etree._Element, region: str) -> None:
        para = read_paragraph(p, self.styles)
        auto = self.auto_label(para)  # counted even when the paragraph is empty, as Word does
        # Whitespace-collapsed only: the builder does the full normalisation once.
        text = " ".join(para.text.split())
        if text:
            self.emit(para, text, auto, region)
        for box in para.text_boxes:
            self.container(box, region)

    def emit(self, para: Paragraph, text: str, auto: Optional[AutoLabel], region: str) -> None:
        if region == "body":
            style = para.style
            listed = auto is not None and auto.is_bullet
            region = self.regions.body_region(text, listed, style.align == "center", bool(style.bold))
        label, source, level, is_bullet = None, "none", None, False
        if auto is not None:
            label, source, level, is_bullet = auto.text, "auto", auto.level, auto.is_bullet
            text = f"{auto.text} {text}"
        elif region == "body":
            typed = typed_label(text)
            if typed is not None:
                label, source, is_bullet = typed[0], "typed", typed[1] == "bullet"
        kind = self.kind(para, label, is_bullet, region)
        self.b.add(
            text,
            kind,
            label=label,
            label_source=source,
            style=para.style,
            region=region,
            footnote_refs=para.footnote_refs,
            level=level,
        )

    def kind(self, para: Paragraph, label: Optional[str], is_bullet: bool, region: str) -> str:
        style = para.style
        centred_title = style.align == "center" and (bool(style.bold) or self.in_title)
        self.in_title = region == "body" and centred_title and not label
        if region != "body":
            return "paragraph"
        if is_bullet:
            return "list_item"
        if _HEADING_STYLE.match(para.style_name):
            return "heading"
        if label:
            return "heading" if style.bold else "paragraph"
        return "heading" if centred_title else "paragraph"

    def container(self, parent: etree._Element, region: str) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self.paragraph(child, region)
            elif tag == TBL:
                self.table(child, region)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.container(content, region)
            elif tag == CUSTOM_XML:
                self.container(child, region)
            elif tag == ALTERNATE:
                self.container(_chosen(child), region)

    def table(self, tbl: etree._Element, region: str) -> None:
        index = self.tables
        self.tables += 1
        rows = [_row_cells(tr) for tr in _rows(tbl)]
        rows = [r for r in rows if r]
        if not rows:
            return
        width = max(len(r) for r in rows)
        if region != "body" or width == 1:
            # A table inside the header/signature block, or a one-column layout frame.
            for row in rows:
                for tc in row:
                    self.container(tc, region)
            return
        role = self.table_role(rows)
        if role == "header":
            for row in rows:
                for tc in row:
                    self.container(tc, "header")
        elif role == "signature":
            # Column by column: some writers put each line of the two blocks in a
            # row of its own, and a column is one block (Nơi nhận | signature).
            for column in range(width):
                cells = [row[column] for row in rows if column < len(row)]
                first = next((line for line in (_first_line(tc, self.styles) for tc in cells) if line), "")
                cell_region = "recipients" if self.layout.is_recipients(fold_for_match(first)) else "signature"
                for tc in cells:
                    self.container(tc, cell_region)
        else:
            for tr_cells in rows:
                self.table_row(tr_cells, index)
            self.regions.body_started = True

    def table_role(self, rows: list[list[etree._Element]]) -> str:
        first_rows = [[_first_lines(tc, 3, self.styles) for tc in row] for row in rows[:3]]
        return self.regions.table_role(first_rows, len(rows))

    def table_row(self, cells: list[etree._Element], index: int) -> None:
        texts: list[str] = []
        refs: list[str] = []
        for tc in cells:
            lines: list[str] = []
            self.cell_lines(tc, lines, refs)
            texts.append("\n".join(lines))
        if not any(t.strip() for t in texts):
            return  # an empty row (spacing, or the lower half of merged cells)
        # Empty cells are kept so that columns stay aligned, as the row reads in Word
        # (the builder normalises the joined text and each cell).
        text = " | ".join(texts)
        self.b.add(text, "table_row", cells=texts, table=index, footnote_refs=refs, region="body")

    def cell_lines(self, parent: etree._Element, lines: list[str], refs: list[str]) -> None:
        """Text lines of a data cell (auto labels included, nested tables flattened)."""
        for child in parent:
            tag = child.tag
            if tag == P:
                para = read_paragraph(child, self.styles)
                auto = self.auto_label(para)
                text = " ".join(para.text.split())
                if text:
                    lines.append(f"{auto.text} {text}" if auto else text)
                refs.extend(para.footnote_refs)
                for box in para.text_boxes:
                    self.cell_lines(box, lines, refs)
            elif tag == TBL:
                for tr in _rows(child):
                    row: list[str] = []
                    for tc in _row_cells(tr):
                        sub: list[str] = []
                        self.cell_lines(tc, sub, refs)
                        row.append(" ".join(sub))
                    lines.append(" | ".join(t for t in row if t))
            elif tag in (SDT, CUSTOM_XML, ALTERNATE):
                inner = child.find(SDT_CONTENT) if tag == SDT else (_chosen(child) if tag == ALTERNATE else child)
                if inner is not None:
                    self.cell_lines(inner, lines, refs)


def _rows(tbl: etree._Element) -> Iterable[etree._Element]:
    for child in tbl:
        if child.tag == TR:
            yield child
        elif child.tag in (SDT, CUSTOM_XML):
            yield from child.iter(TR)


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    """The row's own cells, each once (a merged cell is one ``w:tc``)."""
    cells = []
    for child in tr:
        if child.tag == TC:
            cells.append(child)
        elif child.tag in (SDT, CUSTOM_XML):
            cells.extend(c for c in child.iter(TC))
    return cells


def _first_lines(tc: etree._Element, limit: int, styles: StyleSheet) -> list[str]:
    lines = []
    for p in tc.iter(P):
        # Read as the body is (legacy-font runs converted): "Nơi nhận" typed in .VnTime.
        text = read_paragraph(p, styles).text.strip()
        if text:
            lines.append(text)
            if len(lines) >= limit:
                break
    return lines


def _first_line(tc: etree._Element, styles: StyleSheet) -> str:
    lines = _first_lines(tc, 1, styles)
    return lines[0] if lines else ""


# --- notes and package ---------------------------------------------------------------

def read_notes(root: Optional[etree._Element], tag: str, prefix: str, styles: StyleSheet, builder: DocumentBuilder) -> int:
    """Footnotes or endnotes as ``footnote`` blocks (separator notes skipped)."""
    if root is None:
        return 0
    count = 0
    for note in root.iter(W + tag):
        if note.get(W + "type") in _NOTE_SKIP_TYPES:
            continue
        texts = [read_paragraph(p, styles).text for p in note.iter(P)]
        if builder.add_footnote(prefix + note.get(W + "id", ""), " ".join(texts)) is not None:
            count += 1
    return count


@dataclass
class _Parts:
    body: etree._Element
    styles: Optional[etree._Element]
    numbering: Optional[etree._Element]
    footnotes: Optional[etree._Element]
    endnotes: Optional[etree._Element]


def _ole_reason(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "password-protected (encrypted) .docx: remove the password in Word and save again"
    return "legacy Word 97-2003 (.doc) or other OLE file with a .docx name: save it as .docx"


def _relationships(package: safety.Package, source: str) -> list[tuple[Optional[str], Optional[str]]]:
    """(type, target part name) of each relationship of the part ``source`` ("" for the
    package itself), from its ``_rels/<name>.rels``; the target is None for an external link."""
    folder, name = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in package:
        return []
    found = []
    for rel in package.xml(rels_name).iterchildren(RELATIONSHIP):
        target = rel.get("Target")
        if rel.get("TargetMode") == "External" or target is None:
            found.append((rel.get("Type"), None))
        else:  # relative to the source's folder, as python-docx and Word resolve it
            found.append((rel.get("Type"), posixpath.normpath(posixpath.join("/" + folder, target))[1:]))
    return found


def _related_part(package: safety.Package, rels: list[tuple[Optional[str], Optional[str]]], reltype: str) -> Optional[str]:
    """The name of the one part related by ``reltype`` (None when there is none)."""
    targets = [target for kind, target in rels if kind == reltype]
    what = reltype.rsplit("/", 1)[-1]
    if not targets:
        return None
    if len(targets) > 1:
        raise ReadError(f"not a Word document: the package has {len(targets)} {what} relationships where Word "
                        "writes one", kind="corrupt")
    target = targets[0]
    if target is None:
        raise ReadError(f"damaged .docx: its {what} part is an external link, not a part of the package",
                        kind="corrupt")
    if target not in package:
        raise ReadError(f"damaged .docx: the {what} part {target!r} is missing from the ZIP package", kind="corrupt")
    return target


def _main_part(package: safety.Package, path: Path) -> str:
    """The main document part (``word/document.xml`` as Word names it), checked to be one."""
    main = _related_part(package, _relationships(package, ""), RT_OFFICE_DOCUMENT)
    if main is None:
        raise ReadError("not a .docx: the ZIP package has no Word document parts (no officeDocument "
                        "relationship in _rels/.rels)", kind="corrupt")
    content_type = package.content_type(main)
    if content_type is None:
        raise ReadError(f"damaged .docx: [Content_Types].xml gives no content type for {main}", kind="corrupt")
    if content_type != CT_DOCUMENT_MAIN:  # a macro-enabled document, a template, a workbook…
        raise ReadError(f"not a Word document: {path.name} is not a Word file, content type is '{content_type}'",
                        kind="wrong_extension")
    return main


def open_docx(path: Path) -> _Parts:
    """The body, styles, numbering and notes of a .docx, each part parsed once (by
    :mod:`pipeline.safety`, which refuses zip bombs and unsafe or too deep XML), found
    through the package's relationships; every failure is a :class:`ReadError`."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        message = _ole_reason(path)
        raise ReadError(message, kind="encrypted" if message.startswith("password") else "wrong_extension")
    with safety.open_package(path) as package:
        main = _main_part(package, path)
        root = package.xml(main)
        body = root.find(BODY) if root.tag == DOCUMENT else None
        if body is None:
            raise ReadError(f"damaged .docx: {main} has no document body (w:body)", kind="corrupt")
        rels = _relationships(package, main)
        related = {reltype: _related_part(package, rels, reltype)
                   for reltype in (RT_STYLES, RT_NUMBERING, RT_FOOTNOTES, RT_ENDNOTES)}
        prune = {RT_STYLES: prune_styles}
        trees = {reltype: package.xml(name, prune.get(reltype)) if name else None for reltype, name in related.items()}
    return _Parts(body, trees[RT_STYLES], trees[RT_NUMBERING], trees[RT_FOOTNOTES], trees[RT_ENDNOTES])


@register_reader(".docx")
def read_docx(path: Path, source: str) -> Document:
    parts = open_docx(Path(path))
    styles = StyleSheet(parts.styles)
    numbering = NumberingDefinitions(parts.numbering, styles.numbering_of)
    builder = DocumentBuilder(source, "docx")
    body = _BodyReader(builder, styles, numbering)
    body.container(parts.body, "body")
    notes = read_notes(parts.footnotes, "footnote", "", styles, builder)
    notes += read_notes(parts.endnotes, "endnote", "e", styles, builder)
    builder.meta.update({"auto_labels": body.auto_labels, "tables": body.tables, "footnotes": notes})
    if styles.legacy.converted:  # text converted from legacy-font runs
        builder.meta["encoding"] = "+".join(sorted(styles.legacy.converted))
    return builder.build()
