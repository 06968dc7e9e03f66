"""Where a line stands on the page of an administrative document, shared by the
readers of flowing formats (.docx, and .html/.rtf/.doc through :mod:`.flow`).

Nghị định 30/2020/NĐ-CP fixes the page: a header zone (quốc hiệu and tiêu ngữ — the
national name and motto —, the issuing body, số ký hiệu, place and date), the body,
then the closing blocks: "Nơi nhận" (recipients) and the signature (a TM./KT./Q.
line, the signer's title and name). Writers put the header and closing blocks in
tables or type them as plain paragraphs; :class:`PageRegions` follows both.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..normalize import fold_for_match

# A "Nơi nhận" list rarely runs longer than this many lines; a signature block
# (authority line, title, name, sometimes "đã ký") about this many.
RECIPIENT_LINES = 40
SIGNATURE_LINES = 4


class PageRegions:
    """The header zone and the closing blocks written as paragraphs; ``layout`` is
    the vocabulary of :func:`pipeline.readers.docx.layout` (models/layout.yaml)."""

    def __init__(self, layout) -> None:
        self.layout = layout
        self.body_started = False  # a body paragraph has been seen: the header zone is over
        self.closing: Optional[str] = None  # the open closing block, if any
        self.closing_left = 0  # how many more lines it may take

    def is_header_line(self, text: str) -> bool:
        folded = fold_for_match(text)
        return self.layout.is_motto(folded) or bool(self.layout.header_line.match(folded))

    def body_region(self, text: str, listed: bool, centred: bool, bold: bool) -> str:
        """Region of a paragraph outside tables: ``header`` before the body, then
        ``body``, except inside a closing ``recipients`` or ``signature`` block.
        ``listed``: the line is a bullet or dash item."""
        if not self.body_started:
            if self.is_header_line(text):
                return "header"
            self.body_started = True
        lay = self.layout
        head = fold_for_match(text[:40]) if lay.may_close(text) else ""
        if head and lay.is_recipients(head):
            self.closing, self.closing_left = "recipients", RECIPIENT_LINES
        elif head and lay.authority.match(head):
            self.closing, self.closing_left = "signature", SIGNATURE_LINES
        elif self.closing is None or self.closing_left <= 0:
            self.closing = None
        elif self.closing == "recipients":
            # A wrapped recipient line is short and plain; an annex title after
            # the list is centred or bold.
            plain = len(text) <= 60 and not centred and not bold
            if not (listed or text[0] in "-+•*–" or plain):
                self.closing = None
        elif len(text.split()) > 8:  # a signature block holds a title and a name
            self.closing = None
        if self.closing is None:
            return "body"
        self.closing_left -= 1
        return self.closing

    def opens_closing_block(self, first_line: str) -> bool:
        """Whether a table cell starting with this line opens "Nơi nhận" or a signature."""
        lay = self.layout
        folded = fold_for_match(first_line[:40]) if first_line and lay.may_close(first_line) else ""
        return bool(folded) and (lay.is_recipients(folded) or bool(lay.authority.match(folded)))

    def table_role(self, first_rows: Sequence[Sequence[Sequence[str]]], n_rows: int) -> str:
        """``header``, ``signature`` or ``data`` for a table, from the first (up to
        three) non-empty lines of each cell of its first three rows."""
        lay = self.layout
        for row in first_rows[:3]:
            for lines in row:
                folded = [fold_for_match(line) for line in lines[:3]]
                if folded and (lay.is_recipients(folded[0]) or lay.authority.match(folded[0])):
                    return "signature" if n_rows <= 16 and len(row) <= 3 else "data"
                # A bare title ("CHỦ TỊCH") is also a value in tables of officials:
                # only a small table starting with it is a signature block.
                if folded and lay.is_signer_title(folded[0]) and n_rows <= 2:
                    return "signature"
                if any(lay.is_motto(f) for f in folded):
                    return "header"
        if not self.body_started and n_rows <= 4:
            return "header"
        return "data"
