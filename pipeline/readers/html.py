"""Reader for web pages: .html/.htm, and .mht/.mhtml single-file web pages.

Two kinds of HTML reach the archives: ordinary pages (a portal's copy of a
resolution) and Word's "Save as Web Page" / "Single File Web Page" output
(``xmlns:w="urn:schemas-microsoft-com:office:word"``). Both are parsed by
lxml's HTML parser, which neither loads a DTD nor reaches the network, with
comments, processing instructions, scripts and styles dropped.

- Text is decoded from the byte-order mark, else the declared charset (``<meta
  charset>``, ``http-equiv`` Content-Type, the XML declaration) — windows-1258
  and the other code pages Python knows —, else UTF-8, else the legacy
  Vietnamese encodings recognised by :mod:`pipeline.legacy_text`.
- Block elements (``p``, ``div``, ``h1``–``h6``, ``li``, …) give paragraphs;
  ``h1``–``h6`` are headings; ``<ol>``/``<ul>`` items get the number or bullet a
  browser draws as their label.
- Word writes its automatic list numbers as text inside
  ``<![if !supportLists]><span style='mso-list:Ignore'>1.</span><![endif]>``: the
  shown number becomes the paragraph's label (``label_source="auto"``), the
  list level comes from ``mso-list:l0 level2``; hidden text (``display:none``)
  is skipped; Word footnotes (``#_ftn1`` references, ``mso-element:footnote``
  bodies) become footnote references and footnote blocks.
- Tables become rows of cells; :class:`~pipeline.readers.flow.FlowWriter` tells
  the header, signature and data tables apart as the .docx reader does.
- A .mht file is a MIME ``multipart/related`` message: its first ``text/html``
  part (quoted-printable or base64, with its charset) is read as above.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree
from lxml import html as lxml_html

from ..builder import DocumentBuilder
from ..document import Document, Style
from ..legacy_text import decode_bytes
from . import ReadError, register_reader
from .flow import SYMBOL_BULLETS, FlowItem, FlowParagraph, FlowTable, FlowWriter
from .sniff import utf16_without_bom

_PARSER = lxml_html.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    remove_blank_text=False,
    no_network=True,
    collect_ids=False,
    default_doctype=False,
)

_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)""", re.I)
# Word's downlevel-revealed conditional comments: their content is shown.
_DOWNLEVEL = re.compile(r"<!\[(?:if\s[^\]]*|endif)\]>", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# A DOCTYPE, with any internal subset (entities are never expanded; the subset is not text).
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>", re.I | re.S)

_SKIP = frozenset(
    "script style noscript template head title xml object embed iframe svg math button select input "
    "textarea map canvas audio video".split()
)
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre address center section article header footer "
    "main aside nav figure figcaption form fieldset hr caption body html".split()
)
_TABLE_PARTS = frozenset(("thead", "tbody", "tfoot"))
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BOLD_TAGS = frozenset(("b", "strong"))

_MSO_LIST_LEVEL = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.I)
_FONT_WEIGHT = re.compile(r"font-weight\s*:\s*(\w+)", re.I)
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(\w+)", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.I)
# Footnote references and bodies: Word ("#_ftn1", mso-element:footnote) and
# LibreOffice ("#sdfootnote1sym", <div id="sdfootnote1">).
_FOOTNOTE_LINK = re.compile(r"^#(?:_(?P<word>ftn|edn)(?P<n>\d+)|sd(?P<lo>foot|end)note(?P<m>\d+)sym)$")
_FOOTNOTE_BACKLINK = re.compile(r"^#(?:_(?:ftn|edn)ref\d+|sd(?:foot|end)note\d+anc)$")
_FOOTNOTE_ELEMENT = re.compile(r"mso-element\s*:\s*(footnote|endnote)(-list)?", re.I)
_FOOTNOTE_ID = re.compile(r"^(?:ftn|edn|sdfootnote|sdendnote)(\d+)$")
_ALIGN = {"center": "center", "middle": "center", "justify": "justify", "left": "left", "right": "right"}


# --- decoding ------------------------------------------------------------------


@dataclass
class Decoded:
    text: str
    encoding: str
    warning: Optional[str] = None


def decode_html(raw: bytes, name: str, declared: Optional[str] = None) -> Decoded:
    """Bytes of an HTML page → text, by BOM, declared charset, UTF-8, legacy encodings."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return Decoded(raw[len(bom):].decode(codec, errors="replace"), codec)
    utf16 = utf16_without_bom(raw[:1024])
    if utf16:
        return Decoded(raw.decode(utf16, errors="replace"), utf16)
    charset = declared or _declared_charset(raw[:4096])
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            codec = None
        if codec is not None and codec not in ("utf-16-le", "utf-16-be", "utf-16"):  # UTF-16 without BOM: declared wrongly
            try:
                return Decoded(raw.decode(codec), codec)
            except UnicodeDecodeError as exc:
                return Decoded(raw.decode(codec, errors="replace"), codec,
                               f"bytes that are not {charset} (first at offset {exc.start}) were replaced")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        decoded = decode_bytes(raw, name)  # cp1258, TCVN3 or VNI by evidence, or ReadError
        return Decoded(decoded.text, decoded.encoding, f"no charset declared; read as {decoded.encoding}")


def _declared_charset(head: bytes) -> Optional[str]:
    m = _CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def parse_html(text: str) -> etree._Element:
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _DOCTYPE.sub("", text, count=1)
    text = _DOWNLEVEL.sub("", text)
    if not text.strip():
        raise ReadError("empty HTML page", kind="empty")
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"malformed HTML: {exc}", kind="corrupt") from exc
    if root is None:
        raise ReadError("empty HTML page", kind="empty")
    return root


# --- the walk ---------------------------------------------------------------------


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _style(el: etree._Element) -> str:
    return el.get("style") or ""


@dataclass
class _Block:
    """An open block element: what its paragraphs inherit."""

    heading: Optional[int] = None
    align: Optional[str] = None
    label: Optional[str] = None  # a list item's drawn number, given to its first paragraph
    level: Optional[int] = None


@dataclass
class _Buffer:
    pieces: list[str] = field(default_factory=list)
    chars: int = 0
    bold_chars: int = 0
    label: Optional[str] = None
    refs: list[str] = field(default_factory=list)

    def add(self, text: str, bold: bool) -> None:
        if not text:
            return
        self.pieces.append(text)
        n = sum(1 for c in text if not c.isspace())
        self.chars += n
        if bold:
            self.bold_chars += n


class _Walker:
    """Collects the flow (paragraphs and tables) of one element tree."""

    def __init__(self) -> None:
        self.footnotes: list[tuple[str, str]] = []
        self.item_labels: dict[etree._Element, str] = {}  # <li> → the number drawn before it
        self.list_depth = 0

    def flow(self, root: etree._Element) -> list[FlowItem]:
        body = root.find("body")
        sink: list[FlowItem] = []
        self._run(body if body is not None else root, sink)
        return sink

    def _run(self, container: etree._Element, sink: list) -> None:
        self.sink: list = sink
        self.blocks: list[_Block] = [_Block()]
        self.buf = _Buffer()
        self._children(container, bold=False)
        self._flush()

    # blocks and inline content

    def _children(self, el: etree._Element, bold: bool) -> None:
        if el.text:
            self.buf.add(el.text, bold)
        for child in el:
            self._visit(child, bold)
            if child.tail:
                self.buf.add(child.tail, bold)

    def _visit(self, el: etree._Element, bold: bool) -> None:
        tag = _tag(el)
        if not tag or tag in _SKIP:
            return
        style = _style(el)
        if style and _HIDDEN.search(style):
            return
        foot = _FOOTNOTE_ELEMENT.search(style) if style else None
        if foot and foot.group(2):  # Word's footnote list: the notes inside
            for child in el:
                self._visit(child, bold)
            return
        if tag == "div":
            note = _FOOTNOTE_ID.match(el.get("id") or "")
            if foot or note:
                self._footnote(el, note)
                return
            if (el.get("title") or "").lower() in ("header", "footer"):  # LibreOffice page header/footer
                return
        if tag == "br":
            self.buf.add("\n", bold)
            return
        if tag == "a":
            m = _FOOTNOTE_LINK.match(el.get("href") or "")
            if m:
                endnote = m.group("word") == "edn" or m.group("lo") == "end"
                self.buf.refs.append(("e" if endnote else "") + (m.group("n") or m.group("m")))
                return
        if style and "mso-list" in style.lower() and "ignore" in style.lower():
            self.buf.label = _drawn_label(el)
            return
        bold = self._bold(el, tag, style, bold)
        if tag == "table":
            self._flush()
            self.sink.append(self._table(el))
            return
        if tag in _BLOCKS:
            self._flush()
            self.blocks.append(self._block(el, tag, style))
            if tag in ("ol", "ul"):
                self.list_depth += 1
            self._children(el, bold)
            self._flush()
            if tag in ("ol", "ul"):
                self.list_depth -= 1
            self.blocks.pop()
            return
        self._children(el, bold)

    @staticmethod
    def _bold(el: etree._Element, tag: str, style: str, bold: bool) -> bool:
        if tag in _BOLD_TAGS or tag in _HEADINGS:
            return True
        m = _FONT_WEIGHT.search(style) if style else None
        if m:
            weight = m.group(1).lower()
            return weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
        return bold

    def _block(self, el: etree._Element, tag: str, style: str) -> _Block:
        outer = self.blocks[-1]
        align = _ALIGN.get((el.get("align") or "").lower())
        m = _TEXT_ALIGN.search(style) if style else None
        if m:
            align = _ALIGN.get(m.group(1).lower(), align)
        if tag == "center":
            align = "center"
        level = _MSO_LIST_LEVEL.search(style) if style else None
        block = _Block(
            heading=_HEADINGS.get(tag, outer.heading),
            align=align or outer.align,
            level=int(level.group(1)) - 1 if level else None,
        )
        if tag in ("ol", "ul"):
            self._number_items(el, tag)
        if tag == "li":
            block.label = self.item_labels.pop(el, None)
            block.level = max(0, self.list_depth - 1)
        return block

    def _number_items(self, lst: etree._Element, tag: str) -> None:
        """The number or bullet a browser draws before each item of a list."""
        number = _int(lst.get("start"), 1)
        kind = lst.get("type") or "1"
        for li in lst:
            if _tag(li) != "li":
                continue
            if tag == "ul":
                self.item_labels[li] = "•"
            else:
                number = _int(li.get("value"), number)
                self.item_labels[li] = _ordinal(number, kind) + "."
                number += 1

    def _flush(self) -> None:
        buf = self.buf
        self.buf = _Buffer()
        text = "".join(buf.pieces)
        if not text.strip():
            return  # a list number on an empty line is not a paragraph
        block = self.blocks[-1]
        label = buf.label
        if label is None:  # the first paragraph of a list item takes the item's number
            for holder in reversed(self.blocks):
                if holder.label is not None:
                    label, holder.label = holder.label, None
                    break
        chars = buf.chars or 1
        upper = text.upper() == text and text.lower() != text
        para = FlowParagraph(
            text=text,
            style=Style(
                bold=buf.bold_chars * 2 > chars if buf.chars else None,
                align=block.align,
                upper=upper if text.lower() != text else None,
            ),
            label=label,
            level=block.level,
            heading=block.heading,
            footnote_refs=buf.refs,
        )
        self.sink.append(para)

    # tables and footnotes

    def _table(self, table: etree._Element) -> FlowTable:
        rows: list[list[list[FlowParagraph]]] = []
        for tr in _rows(table):
            cells = []
            for td in tr:
                if _tag(td) in ("td", "th"):
                    cells.append(self._cell(td))
            if cells:
                rows.append(cells)
        return FlowTable(rows)

    def _cell(self, td: etree._Element) -> list[FlowParagraph]:
        inner = _Walker()
        items: list[FlowItem] = []
        inner._run(td, items)
        self.footnotes.extend(inner.footnotes)
        paragraphs: list[FlowParagraph] = []
        for item in items:
            if isinstance(item, FlowTable):  # a nested table: one line per row
                for row in item.rows:
                    texts = [" ".join(" ".join(p.text.split()) for p in cell) for cell in row]
                    paragraphs.append(FlowParagraph(" | ".join(t for t in texts if t)))
            else:
                paragraphs.append(item)
        return paragraphs

    def _footnote(self, el: etree._Element, note: Optional[re.Match]) -> None:
        """A footnote or endnote body; its back-link (the mark) is not text."""
        note_id = el.get("id") or ""
        number = note.group(1) if note else re.sub(r"\D", "", note_id)
        for a in list(el.iter("a")):
            if _FOOTNOTE_BACKLINK.match(a.get("href") or ""):
                a.drop_tree()
        text = " ".join("".join(el.itertext()).split())
        if number and text:
            endnote = note_id.startswith(("edn", "sdendnote"))
            self.footnotes.append((("e" if endnote else "") + number, text))


def _rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in _TABLE_PARTS:
            rows.extend(tr for tr in child if _tag(tr) == "tr")
    return rows


def _drawn_label(span: etree._Element) -> Optional[str]:
    """The number or bullet Word drew in an ``mso-list:Ignore`` span."""
    text = "".join(span.itertext()).replace("\xa0", " ").strip()
    if not text:
        return None
    # Word sets the bullet font on the span around the Ignore span, or inside it.
    around = [e for e in span.iterancestors() if _tag(e) in ("span", "font")][:3]
    fonts = " ".join(_style(e) + " " + (e.get("face") or "") for e in [*span.iter(), *around]
                     if isinstance(e.tag, str)).lower()
    if any(f in fonts for f in ("symbol", "wingdings", "courier")) and len(text) == 1:
        return SYMBOL_BULLETS.get(text, "•")
    if not any(c.isalnum() for c in text):
        return SYMBOL_BULLETS.get(text, text)
    return text


def _int(value: Optional[str], default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _ordinal(n: int, kind: str) -> str:
    if kind in ("a", "A") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter if kind == "a" else letter.upper()
    if kind in ("i", "I") and n > 0:
        out = ""
        for value, numeral in _ROMAN:
            while n >= value:
                out += numeral
                n -= value
        return out if kind == "I" else out.lower()
    return str(n)


# --- entry points -----------------------------------------------------------------


def read_html_text(text: str, source: str, fmt: str = "html", warnings: Optional[list[str]] = None) -> Document:
    """Read HTML already decoded to text."""
    root = parse_html(text)
    walker = _Walker()
    items = walker.flow(root)
    builder = DocumentBuilder(source, fmt)
    builder.warnings.extend(warnings or [])
    writer = FlowWriter(builder)
    writer.write(items)
    for note_id, body in walker.footnotes:
        builder.add_footnote(note_id, body)
    if not builder.blocks:
        raise ReadError(f"{source}: no text in the HTML page", kind="no_text")
    builder.meta.update({"auto_labels": writer.auto_labels, "tables": writer.tables,
                         "word_html": "urn:schemas-microsoft-com:office:word" in text[:20000]})
    return builder.build()


def _decoded(raw: bytes, name: str, declared: Optional[str] = None) -> tuple[str, list[str]]:
    decoded = decode_html(raw, name, declared)
    return decoded.text, [decoded.warning] if decoded.warning else []


@register_reader(".html", ".htm")
def read_html(path: Path, source: str) -> Document:
    text, warnings = _decoded(path.read_bytes(), path.name)
    document = read_html_text(text, source, "html", warnings)
    return document


@register_reader(".mht", ".mhtml")
def read_mht(path: Path, source: str) -> Document:
    """A MIME ``multipart/related`` web archive: its first HTML part."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        text, warnings = _decoded(payload, path.name, part.get_content_charset())
        return read_html_text(text, source, "mht", warnings)
    raise ReadError(f"{path.name}: the web archive holds no HTML part", kind="corrupt")
