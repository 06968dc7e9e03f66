"""Sentence spans inside blocks.

Sentences never cross a block boundary (a heading never merges with the next
line, unlike underthesea's ``sent_tokenize`` on raw text). Inside a block, a
sentence ends at ``.``, ``!``, ``?``, ``;`` … followed by a space and an upper-case
letter, a digit or an opening quote, except after abbreviations and inside
numbers (13,5 / 24.500 / 1.1.) and symbols (02-NQ/TW).
"""

from __future__ import annotations

from typing import Iterator, Optional

import regex

from .document import Document, Sentence

# A full stop followed by space + a sentence opener. "TP. Hà Nội", "Tp. HCM" are
# abbreviations; numbers such as "1.1." are not sentence ends when a heading
# starts with them (handled by requiring the stop to follow a letter, quote,
# bracket or a number that is not a short section label).
_BOUNDARY = regex.compile(r"(?<=[\p{L}\p{N}”\"’)\]%…])(?:[.!?…]+)[”\"’)]?(?=\s+[\p{Lu}\p{N}“\"(\-–+•])")
_ABBREV = regex.compile(r"(?:^|\s)(?:TP|Tp|tp|ThS|TS|PGS|GS|Th\.S|ĐT|St|Mr|Ms|v\.v|Nxb|NXB|TT|CN)\.$")
_ABBREV_REACH = 12
_LABEL_ONLY = regex.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])$")


# What may follow the last stop of a block without making a boundary (no
# sentence opener among them).
_TRAILING = ".!?…”’) "


def _may_have_boundary(text: str) -> bool:
    """A boundary needs a stop with an opener after it: most blocks (headings,
    list items, one-sentence paragraphs) have none but at their end, and skip
    the (slow) scan."""
    text = text.rstrip(_TRAILING)
    return "." in text or "!" in text or "?" in text or "…" in text


def _block_sentences(text: str, offset: int) -> Iterator[Sentence]:
    """The sentences of one block, left to right (lazily: a title needs only the first)."""
    start = 0
    for m in _BOUNDARY.finditer(text) if _may_have_boundary(text) else ():
        end = m.end()
        head = text[start:end]
        # An abbreviation ends the head: search only its last characters (the
        # longest match is a space, "Th.S" and the stop; ^ still needs the real start).
        if _ABBREV.search(head, max(0, len(head) - _ABBREV_REACH)) or _LABEL_ONLY.match(text[start:m.start()]):
            continue
        seg = text[start:end].strip()
        if seg:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            yield Sentence(offset + start + lead, offset + start + lead + len(seg), seg)
        start = end
    seg = text[start:].strip()
    if seg:
        lead = len(text[start:]) - len(text[start:].lstrip())
        yield Sentence(offset + start + lead, offset + start + lead + len(seg), seg)


def split_block(text: str, offset: int) -> list[Sentence]:
    return list(_block_sentences(text, offset))


def first_sentence(text: str) -> Optional[Sentence]:
    """The first sentence of ``text`` (``split_block(text, 0)[0]``), or None."""
    return next(_block_sentences(text, 0), None)


def split_sentences(document: Document) -> list[Sentence]:
    sentences: list[Sentence] = []
    for block in document.blocks:
        sentences.extend(split_block(block.text, block.start))
    return sentences
