"""Reader for Word ``.docx`` files.

python-docx opens the package (content types, relationships, parts); the body,
styles, numbering and footnotes are then read directly from their lxml trees, once,
because python-docx's paragraph/run objects hide what this reader needs (automatic
numbers, footnote references, text boxes) and cost a Python object per run.

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

import io
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

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
RT_STYLES = _REL + "styles"
RT_NUMBERING = _REL + "numbering"
RT_FOOTNOTES = _REL + "footnotes"
RT_ENDNOTES = _REL + "endnotes"

# Element tags, built once.
P, TBL, TR, TC, R, T = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "t"
PPR, RPR, SDT, SDT_CONTENT, CUSTOM_XML = W + "pPr", W + "rPr", W + "sdt", W + "sdtContent", W + "customXml"
TXBX = W + "txbxContent"
ALTERNATE, CHOICE, FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
# Inline wrappers whose runs are visible text.
_INLINE_CONTAINERS = frozenset(
    W + name for name in ("hyperlink", "ins", "smartTag", "customXml", "moveTo", "fldSimple", "dir", "bdo")
)
_BREAKS = frozenset((W + "br", W + "cr"))
_TABS = frozenset((W + "tab", W + "ptab"))
_NOTE_SKIP_TYPES = frozenset(("separator", "continuationSeparator", "continuationNotice"))

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAFE_PARSER = safety.xml_parser(remove_blank_text=False)  # no entities, DTD, network or huge trees

_ALIGN = {"center": "center", "both": "justify", "distribute": "justify", "left": "left",
          "start": "left", "right": "right", "end": "right"}

_HEADING_STYLE = regex.compile(r"^(?:heading|title|tiêu đề|chapter)", regex.I)


# --- styles ------------------------------------------------------------------------

@dataclass(frozen=True)
class RunFormat:
    """Character formatting; None means "not set here, inherit"."""

    bold: Optional[bool] = None
    italic: Optional[bool] = None
    size: Optional[float] = None  # points
    caps: Optional[bool] = None
    hidden: Optional[bool] = None
    font: Optional[str] = None  # w:rFonts (a legacy .VnTime/VNI-Times font means legacy text)

    def over(self, base: "RunFormat") -> "RunFormat":
        """This format applied on top of ``base``."""
        return RunFormat(
            self.bold if self.bold is not None else base.bold,
            self.italic if self.italic is not None else base.italic,
            self.size if self.size is not None else base.size,
            self.caps if self.caps is not None else base.caps,
            self.hidden if self.hidden is not None else base.hidden,
            self.font if self.font is not None else base.font,
        )


_EMPTY_RUN = RunFormat()


def parse_rpr(rpr: Optional[etree._Element]) -> RunFormat:
    if rpr is None:
        return _EMPTY_RUN
    b, i, sz, caps, vanish = (rpr.find(W + n) for n in ("b", "i", "sz", "caps", "vanish"))
    half_points = to_int(w_attr(sz)) if sz is not None else None
    return RunFormat(
        bold=is_on(b) if b is not None else None,
        italic=is_on(i) if i is not None else None,
        size=half_points / 2 if half_points else None,
        caps=is_on(caps) if caps is not None else None,
        hidden=is_on(vanish) if vanish is not None else None,
        font=_run_font(rpr.find(W + "rFonts")),
    )


def _run_font(fonts: Optional[etree._Element]) -> Optional[str]:
    """The run's font: a legacy one among ascii/hAnsi/cs first, since it decides
    how the text must be read."""
    if fonts is None:
        return None
    names = [fonts.get(W + a) for a in ("ascii", "hAnsi", "cs")]
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
        self.sizes: Counter[float] = Counter()

    # containers and tables

    def container(self, parent: etree._Element) -> None:
        for child in parent:
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
        rpr = r.find(RPR)
        fmt = self.base
        if rpr is not None:
            rstyle = w_attr(rpr.find(W + "rStyle"))
            if rstyle:
                fmt = self.styles.character(rstyle).over(fmt)
            fmt = parse_rpr(rpr).over(fmt)
        if fmt.hidden:
            return
        start = len(self.pieces)
        for c in r:
            tag = c.tag
            if tag == T:
                if c.text:
                    self.pieces.append(c.text)
            elif tag in _TABS:
                self.pieces.append("\t")
            elif tag in _BREAKS:
                self.pieces.append("\n")
            elif tag == W + "noBreakHyphen":
                self.pieces.append("-")
            elif tag == W + "footnoteReference":
                self.refs.append(c.get(W + "id", ""))
            elif tag == W + "endnoteReference":
                self.refs.append("e" + c.get(W + "id", ""))
            elif tag == W + "sym":
                glyph = _sym_char(c.get(W + "char"))
                if glyph:
                    self.pieces.append(glyph)
            elif tag in (W + "drawing", W + "pict"):
                self.boxes.extend(c.iter(TXBX))
            elif tag == ALTERNATE:
                for el in _chosen(c):
                    self.boxes.extend(el.iter(TXBX))
        encoding = font_encoding(fmt.font)
        if encoding is not None and start < len(self.pieces):
            # Legacy-font text (TCVN3 "NghÞ", VNI "Nghò") → Unicode; whether the run
            # starts a sentence helps TCVN3, which lacks some capitals.
            before = "".join(self.pieces[:start])
            opens = not before.strip() or (before[-1:].isspace() and before.rstrip()[-1] in ".!?")
            self.pieces[start:] = [self.styles.legacy.convert("".join(self.pieces[start:]), encoding, opens)]
        text = "".join(self.pieces[start:])
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
            self.sizes[fmt.size] += n


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
    ppr = p.find(PPR)
    style_id = align = num_id = None
    ilvl: Optional[int] = None
    if ppr is not None:
        style_id = w_attr(ppr.find(W + "pStyle"))
        align = _ALIGN.get(w_attr(ppr.find(W + "jc")) or "")
        num_pr = ppr.find(W + "numPr")
        if num_pr is not None:
            num_id = w_attr(num_pr.find(W + "numId"))
            ilvl = to_int(w_attr(num_pr.find(W + "ilvl")))
    pfmt = styles.paragraph(style_id)
    reader = _ParagraphReader(styles, pfmt.run)
    reader.container(p)
    text = "".join(reader.pieces)
    chars = reader.chars or 1
    cased = text != text.lower()  # has letters that have case
    upper = cased and (reader.caps >= chars * 0.9 or text == text.upper())
    style = Style(
        bold=reader.bold * 2 > chars if reader.chars else None,
        italic=reader.italic * 2 > chars if reader.chars else None,
        size=reader.sizes.most_common(1)[0][0] if reader.sizes else pfmt.run.size,
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


def _related_xml(part, reltype: str) -> Optional[etree._Element]:
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    if element is not None:
        return element
    return etree.fromstring(related.blob, _SAFE_PARSER)


def _ole_reason(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "password-protected (encrypted) .docx: remove the password in Word and save again"
    return "legacy Word 97-2003 (.doc) or other OLE file with a .docx name: save it as .docx"


def _checked_package(path: Path) -> io.BytesIO:
    """The package rebuilt, uncompressed, from its checked parts (:func:`pipeline.safety.read_package`),
    so python-docx parses exactly the XML that was checked. Images and other binary parts
    are left empty: this reader never looks at them, and they are never decompressed."""
    package = safety.read_package(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as rebuilt:
        for name, data in package.xml.items():
            rebuilt.writestr(name, data)
        for name in package.other:
            rebuilt.writestr(name, b"")
    buffer.seek(0)
    return buffer


def open_docx(path: Path) -> _Parts:
    """Open the package with python-docx; every failure becomes a :class:`ReadError`."""
    import docx  # python-docx; imported here so reading .txt never loads it
    from docx.opc.exceptions import PackageNotFoundError

    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        message = _ole_reason(path)
        raise ReadError(message, kind="encrypted" if message.startswith("password") else "wrong_extension")
    package = _checked_package(path)  # zip bombs, unsafe or too deep XML: refused here
    try:
        document = docx.Document(package)
        part = document.part
        return _Parts(
            body=document.element.body,
            styles=_related_xml(part, RT_STYLES),
            numbering=_related_xml(part, RT_NUMBERING),
            footnotes=_related_xml(part, RT_FOOTNOTES),
            endnotes=_related_xml(part, RT_ENDNOTES),
        )
    except KeyError as exc:
        raise ReadError(f"not a .docx: the ZIP package has no Word document parts ({exc})", kind="corrupt") from exc
    except ValueError as exc:  # python-docx: "file '…' is not a Word file, content type is …"
        kind = "wrong_extension" if "content type" in str(exc) else "corrupt"
        detail = regex.sub(r"^file '[^']*' ", f"{path.name} ", str(exc))  # the file, not the checked copy
        raise ReadError(f"not a Word document: {detail}", kind=kind) from exc
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"damaged .docx: malformed XML ({exc})", kind="corrupt") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, PackageNotFoundError) as exc:
        raise ReadError(f"damaged .docx: the ZIP package is corrupt ({exc})", kind="corrupt") from exc
    except Exception as exc:  # anything else python-docx trips on is still a bad file
        raise ReadError(f"cannot open .docx: {type(exc).__name__}: {exc}", kind="corrupt") from exc


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
