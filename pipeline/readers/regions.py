"""The page of an administrative document, shared by the readers of flowing formats
(.docx, and .html/.rtf/.doc through :mod:`.flow`): the labels typed at the start of
a paragraph, the layout vocabulary (models/layout.yaml) and the page regions.

Nghị định 30/2020/NĐ-CP fixes the page: a header zone (quốc hiệu and tiêu ngữ — the
national name and motto —, the issuing body, số ký hiệu, place and date), the body,
then the closing blocks: "Nơi nhận" (recipients) and the signature (a TM./KT./Q.
line, the signer's title and name). Writers put the header and closing blocks in
tables or type them as plain paragraphs; :class:`PageRegions` follows both.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Optional, Sequence

import regex

from ..normalize import fold_for_match
from ..vocab import load

# A label typed at the start of a paragraph (Nghị định 30/2020/NĐ-CP numbering:
# Phần/Chương/Mục/Điều — words from models/sections.yaml —, I., 1., 1.1., a), and
# the "-", "+" items of lists).
_SECTION_VOCAB = load("sections")
_UNIT_WORDS = "|".join(sorted((w for u in _SECTION_VOCAB["units"].values() for w in u["words"]), key=len, reverse=True))
_ORDINALS = "|".join(sorted(map(regex.escape, _SECTION_VOCAB["ordinals"]), key=len, reverse=True))
_TYPED_LABEL = regex.compile(
    r"""^(?:
        (?P<unit>(?i:(?:""" + _UNIT_WORDS + r""")\s+(?:thứ\s+(?:""" + _ORDINALS + r""")|[IVXLC]+|\d{1,3}[a-zđ]?))(?![\p{L}\p{N}])\.?)
      | (?P<roman>[IVXLC]{1,7}\s?[.\-–/):])(?=\s|\p{L})
      | (?P<dotted>(?>\d{1,3}(?:\.\d{1,2})+)\.?|\d{1,3}(?:\.\s\d{1,2})+\.)(?=\s)  # atomic: linear on "1.1.1…"
      | (?P<arabic>\d{1,3}\s?[.)/\-–])(?=\s|\p{Lu})
      | (?P<letter>[a-zđA-ZĐ]\s?[).])(?=\s)
      | (?P<bullet>[-+•*–—·●○▪■◦►❖✓]+)(?=\s|\p{L})
    )""",
    regex.X,
)


def typed_label(text: str) -> Optional[tuple[str, str]]:
    """The number or bullet typed at the start of ``text`` ("I.", "1.1.", "a)", "-")
    and its kind ("unit", "roman", "dotted", "arabic", "letter", "bullet")."""
    m = _TYPED_LABEL.match(text)
    if m is None:
        return None
    return m.group(0).strip(), m.lastgroup or ""


# --- layout vocabulary (models/layout.yaml) ----------------------------------------

@dataclass(frozen=True)
class Layout:
    mottos: tuple[str, ...]
    recipients: tuple[str, ...]
    authority: regex.Pattern
    signer_titles: frozenset[str]
    header_line: regex.Pattern  # "Số: 12/QĐ-UBND", "Hà Nội, ngày … tháng … năm …"
    closing_initials: frozenset[str]  # base letters that start a recipients/authority marker

    def may_close(self, text: str) -> bool:
        """Cheap pre-check before folding a paragraph for closing-block markers."""
        return base_letter(text[:1]) in self.closing_initials

    def is_motto(self, folded: str) -> bool:
        # "contains": a header typed on one line with tabs ("UBND TỈNH X<tab>CỘNG HÒA …")
        return any(m in folded for m in self.mottos)

    def is_recipients(self, folded: str) -> bool:
        return folded.startswith(self.recipients)

    def is_signer_title(self, folded: str) -> bool:
        return folded.rstrip(" :") in self.signer_titles


def base_letter(char: str) -> str:
    """A character without diacritics, case-folded ("Ủ" → "u", "Đ" → "d")."""
    return unicodedata.normalize("NFD", char)[:1].casefold().replace("đ", "d")


@functools.lru_cache(maxsize=1)
def layout() -> Layout:
    data = load("layout")
    authority = sorted((fold_for_match(a) for a in data["signature_authority"]), key=len, reverse=True)
    closing = [*data["signature_authority"], *data["recipients"]]
    return Layout(
        mottos=tuple(fold_for_match(m) for m in data["mottos"]),
        recipients=tuple(fold_for_match(m) for m in data["recipients"]),
        authority=regex.compile("^(?:" + "|".join(map(regex.escape, authority)) + r")(?=\s|$)"),
        signer_titles=frozenset(fold_for_match(t) for t in data["signer_titles"]),
        closing_initials=frozenset(base_letter(m[:1]) for m in closing),
        header_line=regex.compile(r"^(?:số\s*[:.]?\s*\S*\s*/|số\s*[:.]?\s*$|[\p{L} .\-]{2,40},\s*ngày\b)"),
    )

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
