"""Paragraphs and tables of a word-processor format → blocks with regions and kinds.

The HTML and RTF readers (and any format that knows its paragraphs and tables
but not the genre's layout) hand over a flow of :class:`FlowParagraph` and
:class:`FlowTable`; :class:`FlowWriter` decides, as the .docx reader does with
the same vocabulary (``models/layout.yaml``):

- the header zone (issuing body, quốc hiệu, "Số: …", place and date) before the
  body, written as paragraphs or as a table → ``region="header"``;
- a closing "Nơi nhận" list and signature block (paragraphs or a table) →
  ``region="recipients"`` / ``"signature"``;
- other tables → ``table_row`` blocks; one-column tables are layout frames;
- labels: the number or bullet the format drew (Word list, ``<ol>``, RTF list
  text; ``label_source="auto"``) or a number typed in the text (``"typed"``);
- kinds: headings (declared by the format, bold numbered, or a centred bold
  title), bullet list items, paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from ..builder import DocumentBuilder
from ..document import Style
from ..normalize import fold_for_match
from .regions import PageRegions, layout, typed_label

_BULLETS = frozenset("-+•*–—·●○▪■◦►❖✓➢→")
# Bullets Word draws with a Symbol or Wingdings glyph (as the byte or the private-use
# character of that font), as the bullet a reader sees.
SYMBOL_BULLETS = {"·": "•", "§": "▪", "Ø": "➢", "ü": "✓", "v": "❖", "o": "◦", "\uf0b7": "•", "\uf0a7": "▪",
                  "\uf0d8": "➢", "\uf0fc": "✓"}


@dataclass
class FlowParagraph:
    text: str
    style: Style = field(default_factory=Style)
    label: Optional[str] = None  # a number or bullet the format drew, not in ``text``
    level: Optional[int] = None  # list level (0 = outermost)
    heading: Optional[int] = None  # heading level the format declares (h1–h6, outline level)
    footnote_refs: list[str] = field(default_factory=list)

    @property
    def bullet(self) -> bool:
        return self.label is not None and not any(c.isalnum() for c in self.label)


@dataclass
class FlowTable:
    rows: list[list[list[FlowParagraph]]]  # rows → cells → paragraphs


FlowItem = Union[FlowParagraph, FlowTable]


def cell_text(paragraphs: list[FlowParagraph]) -> str:
    return "\n".join(_full_text(p) for p in paragraphs if p.text.strip())


def _full_text(p: FlowParagraph) -> str:
    text = " ".join(p.text.split())
    return f"{p.label} {text}" if p.label else text


class FlowWriter:
    """Writes a flow into a :class:`DocumentBuilder` (state: header zone, closing block)."""

    def __init__(self, builder: DocumentBuilder):
        self.b = builder
        self.layout = layout()
        self.tables = 0
        self.auto_labels = 0
        self.regions = PageRegions(self.layout)
        self.in_title = False

    def write(self, items: list[FlowItem]) -> None:
        for item in items:
            if isinstance(item, FlowTable):
                self.table(item)
            else:
                self.paragraph(item, "body")

    # paragraphs

    def paragraph(self, p: FlowParagraph, region: str) -> None:
        text = " ".join(p.text.split())
        if not text:
            return
        if region == "body":
            region = self.regions.body_region(text, p.bullet, p.style.align == "center", bool(p.style.bold))
        label, source = None, "none"
        if p.label:
            label, source = p.label, "auto"
            text = f"{p.label} {text}"
            self.auto_labels += 1
        elif region == "body":
            typed = typed_label(text)
            if typed is not None:
                label, source = typed[0], "typed"
        self.b.add(
            text,
            self.kind(p, label, region),
            label=label,
            label_source=source,
            style=p.style,
            region=region,
            footnote_refs=p.footnote_refs,
            level=p.heading if p.heading is not None else p.level,
        )

    def kind(self, p: FlowParagraph, label: Optional[str], region: str) -> str:
        style = p.style
        centred_title = style.align == "center" and (bool(style.bold) or self.in_title)
        self.in_title = region == "body" and centred_title and not label
        if region != "body":
            return "paragraph"
        if p.bullet or (label is not None and label[0] in _BULLETS and len(label) <= 2):
            return "list_item"
        if p.heading is not None:
            return "heading"
        if label:
            # Bold numbered lines are headings; where the format lost bold (antiword), capitals.
            return "heading" if style.bold or (style.bold is None and style.upper) else "paragraph"
        return "heading" if centred_title else "paragraph"

    # tables

    def table(self, t: FlowTable) -> None:
        index = self.tables
        self.tables += 1
        rows = [row for row in t.rows if row]
        if not rows:
            return
        width = max(len(r) for r in rows)
        if width == 1:  # a one-column layout frame: its paragraphs are body text
            for row in rows:
                for cell in row:
                    for p in cell:
                        self.paragraph(p, "body")
            return
        closing = self.closing_row(rows)
        if closing >= 2:
            # A data table and the signature table run together (antiword prints
            # adjacent tables as one): two tables.
            self.table(FlowTable(rows[:closing]))
            self.table(FlowTable(rows[closing:]))
            return
        role = self.table_role(rows)
        if role == "header":
            for row in rows:
                for cell in row:
                    for p in cell:
                        self.paragraph(p, "header")
        elif role == "signature":
            for column in range(width):
                cells = [row[column] for row in rows if column < len(row)]
                first = next((p.text.strip() for cell in cells for p in cell if p.text.strip()), "")
                region = "recipients" if self.layout.is_recipients(fold_for_match(first)) else "signature"
                for cell in cells:
                    for p in cell:
                        self.paragraph(p, region)
        else:
            for row in rows:
                texts = [cell_text(cell) for cell in row]
                if any(x.strip() for x in texts):
                    refs = [r for cell in row for p in cell for r in p.footnote_refs]
                    self.b.add(" | ".join(texts), "table_row", cells=texts, table=index, footnote_refs=refs)
            self.regions.body_started = True

    def closing_row(self, rows: list[list[list[FlowParagraph]]]) -> int:
        """Index of the first row that opens a "Nơi nhận" or signature block (-1: none)."""
        for k, row in enumerate(rows):
            for cell in row:
                if self.regions.opens_closing_block(next((p.text for p in cell if p.text.strip()), "")):
                    return k
        return -1

    def table_role(self, rows: list[list[list[FlowParagraph]]]) -> str:
        first_rows = [[[p.text for p in cell if p.text.strip()][:3] for cell in row] for row in rows[:3]]
        return self.regions.table_role(first_rows, len(rows))
