"""Assemble a :class:`Document` from blocks, fixing the normalised text and offsets.

Readers call :meth:`DocumentBuilder.add` once per block in reading order; the
builder normalises the text, joins blocks with one newline, and records each
block's span, so every reader produces offsets the same way.
"""

from __future__ import annotations

from typing import Optional

from .document import Block, Document, Style
from .normalize import normalize_inline


class DocumentBuilder:
    def __init__(self, source: str, format: str):
        self.source = source
        self.format = format
        self._blocks: list[Block] = []
        self._footnotes: list[Block] = []
        self.warnings: list[str] = []
        self.meta: dict = {}
        self.pages: Optional[int] = None

    def add(
        self,
        text: str,
        kind: str = "paragraph",
        *,
        label: Optional[str] = None,
        label_source: str = "none",
        style: Optional[Style] = None,
        page: Optional[int] = None,
        region: str = "body",
        footnote_refs: Optional[list[str]] = None,
        cells: Optional[list[str]] = None,
        table: Optional[int] = None,
        level: Optional[int] = None,
    ) -> Optional[Block]:
        """Add a block; ``text`` must already include a visible ``label``.

        Empty blocks (after normalisation) are dropped and ``None`` returned.
        """
        norm = normalize_inline(text)
        if not norm:
            return None
        block = Block(
            kind=kind,  # type: ignore[arg-type]
            text=norm,
            label=normalize_inline(label) if label else None,
            label_source=label_source,  # type: ignore[arg-type]
            style=style or Style(),
            page=page,
            region=region,
            footnote_refs=list(footnote_refs or []),
            cells=[normalize_inline(c) for c in cells] if cells is not None else None,
            table=table,
            level=level,
        )
        self._blocks.append(block)
        return block

    def add_footnote(self, note_id: str, text: str, page: Optional[int] = None) -> Optional[Block]:
        """Footnotes go after the body, so body offsets do not depend on them."""
        norm = normalize_inline(text)
        if not norm:
            return None
        block = Block(kind="footnote", text=norm, footnote_id=str(note_id), page=page, region="footnotes")
        self._footnotes.append(block)
        return block

    @property
    def blocks(self) -> list[Block]:
        return self._blocks

    def build(self) -> Document:
        parts: list[str] = []
        pos = 0
        blocks = self._blocks + self._footnotes
        for block in blocks:
            if parts:
                parts.append("\n")
                pos += 1
            block.start = pos
            parts.append(block.text)
            pos += len(block.text)
            block.end = pos
        return Document(
            source=self.source,
            format=self.format,
            text="".join(parts),
            blocks=blocks,
            pages=self.pages,
            warnings=self.warnings,
            meta=self.meta,
        )
