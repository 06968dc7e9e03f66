"""The one document model every reader produces and every later stage consumes.

A reader turns a file into a :class:`Document`: ordered :class:`Block` s whose text
is concatenated (one ``\\n`` between blocks) into ``Document.text``, the normalised
text that every offset in the project points into. Later stages never look at the
file again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, fields
from typing import Any, Iterator, Literal, Optional

BlockKind = Literal["paragraph", "heading", "list_item", "table_row", "footnote"]

# Where a block's visible label (section number or bullet) came from.
LabelSource = Literal["typed", "auto", "markdown", "none"]


@dataclass
class Style:
    """Presentation hints a format carries (None where the format has none)."""

    bold: Optional[bool] = None
    italic: Optional[bool] = None
    size: Optional[float] = None
    align: Optional[str] = None  # "left" | "center" | "right" | "justify"
    upper: Optional[bool] = None  # all letters upper case


@dataclass
class Block:
    """One paragraph-like unit of a document, in reading order.

    ``text`` is normalised and includes the label a reader sees ("1.1. Mục đích"),
    whether the label was typed, produced by Word auto-numbering, or stripped of
    Markdown decoration. ``start``/``end`` are offsets of ``text`` in
    ``Document.text``.
    """

    kind: BlockKind
    text: str
    start: int = 0
    end: int = 0
    label: Optional[str] = None  # "I.", "1.1.", "a)", "-", "PHẦN THỨ NHẤT"
    label_source: LabelSource = "none"
    style: Style = field(default_factory=Style)
    page: Optional[int] = None
    # Region of the document: "header" (issuer/quốc hiệu/số/date table),
    # "body", "signature", "recipients" (Nơi nhận), "footnotes".
    region: str = "body"
    footnote_id: Optional[str] = None  # for kind == "footnote"
    footnote_refs: list[str] = field(default_factory=list)  # notes cited here
    cells: Optional[list[str]] = None  # for kind == "table_row"
    table: Optional[int] = None  # index of the table this row belongs to
    level: Optional[int] = None  # list level from the format (Word ilvl, md #)


@dataclass
class Document:
    """A read file: normalised text, blocks with offsets, and provenance."""

    source: str  # path relative to the input directory (or as given)
    format: str  # "txt", "md", "docx", "pdf", "pdf-ocr", "doc", "rtf", "html", "mht"
    text: str
    blocks: list[Block]
    pages: Optional[int] = None
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def body_blocks(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind != "footnote")

    def block_at(self, offset: int) -> Optional[Block]:
        """The block whose span holds ``offset`` (binary search)."""
        lo, hi = 0, len(self.blocks) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if offset < b.start:
                hi = mid - 1
            elif offset >= b.end and not (b.start == b.end == offset):
                lo = mid + 1
            else:
                return b
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "pages": self.pages,
            "warnings": list(self.warnings),
            "text": self.text,
            "blocks": [block_to_dict(b) for b in self.blocks],
        }


_STYLE_FIELDS = tuple(f.name for f in fields(Style))


def block_to_dict(block: Block) -> dict[str, Any]:
    """The block as JSON: empty fields left out, ``start``/``end`` as ``span`` (last).

    Written out field by field: ``dataclasses.asdict`` deep-copies recursively
    and was a third of the cost of a result dict.
    """
    style = block.style
    d = {
        "kind": block.kind,
        "text": block.text,
        "label": block.label,
        "label_source": block.label_source,
        "style": {k: v for k in _STYLE_FIELDS if (v := getattr(style, k)) is not None},
        "page": block.page,
        "region": block.region,
        "footnote_id": block.footnote_id,
        "footnote_refs": list(block.footnote_refs),
        "cells": None if block.cells is None else list(block.cells),
        "table": block.table,
        "level": block.level,
        "span": [block.start, block.end],
    }
    return {k: v for k, v in d.items() if v not in (None, [], {})}


@dataclass
class Section:
    """A numbered heading and the span of text it governs.

    ``number`` is the number without trailing punctuation ("I", "1.1", "a",
    "PHẦN THỨ NHẤT", "Điều 5"); ``path`` joins ancestors' numbers with "/".
    ``start``/``end`` cover the heading and everything up to the next section at
    the same or a shallower level; ``title_start``/``title_end`` locate the title.
    """

    number: str
    path: str
    title: str
    level: int
    kind: str  # "part", "chapter", "article", "roman", "arabic", "dotted", "letter", ...
    start: int
    end: int
    title_start: int
    title_end: int
    label_source: LabelSource = "typed"
    parent: Optional[str] = None  # path of the parent section

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "path": self.path,
            "title": self.title,
            "level": self.level,
            "kind": self.kind,
            "label_source": self.label_source,
            "parent": self.parent,
            "span": [self.start, self.end],
            "title_span": [self.title_start, self.title_end],
        }


@dataclass
class Sentence:
    start: int
    end: int
    text: str


class ParsedDocument:
    """A :class:`Document` with its section tree and sentence index.

    This is what extractors receive. It answers the provenance questions every
    record needs: which section path and which sentence hold an offset.
    """

    def __init__(self, document: Document, sections: list[Section], sentences: list[Sentence]):
        self.document = document
        self.sections = sections
        self.sentences = sentences
        self._sentence_starts = [s.start for s in sentences]
        self._section_bounds: Optional[list[int]] = None
        self._section_answers: list[Optional[Section]] = []

    @property
    def text(self) -> str:
        return self.document.text

    def section_at(self, offset: int) -> Optional[Section]:
        """Innermost section whose span holds ``offset``."""
        # Every extractor asks this for every record: answer from a table of the
        # intervals between section boundaries, where the answer cannot change.
        if self._section_bounds is None:
            self._section_bounds = sorted({b for s in self.sections for b in (s.start, s.end)})
            self._section_answers = [self._innermost_section(b) for b in self._section_bounds]
        i = bisect.bisect_right(self._section_bounds, offset) - 1
        return self._section_answers[i] if i >= 0 else self._innermost_section(offset)

    def _innermost_section(self, offset: int) -> Optional[Section]:
        # Sections are in document order and nest, so the last one that holds the
        # offset is the innermost.
        best: Optional[Section] = None
        for s in self.sections:
            if s.start > offset:
                break
            if offset < s.end:
                best = s
        return best

    def section_path_at(self, offset: int) -> Optional[str]:
        s = self.section_at(offset)
        return s.path if s else None

    def sentence_at(self, offset: int) -> Optional[Sentence]:
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < max(self.sentences[i].end, self.sentences[i].start + 1):
            return self.sentences[i]
        return None

    def provenance(self, start: int, end: int) -> dict[str, Any]:
        """The fields every extracted record carries to point back at its text.

        Spans are ``[start, end]`` character offsets into ``Document.text``
        (named ``span`` because gold ``deadlines`` use ``start``/``end`` for dates).
        """
        sent = self.sentence_at(start)
        return {
            "span": [start, end],
            "section": self.section_path_at(start),
            "sentence": sent.text if sent else None,
            "sentence_span": [sent.start, sent.end] if sent else None,
        }
