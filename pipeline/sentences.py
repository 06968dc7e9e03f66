"""Sentence spans inside blocks.

Sentences never cross a block boundary (a heading never merges with the next
line, unlike underthesea's ``sent_tokenize`` on raw text). Inside a block, a
sentence ends at ``.``, ``!``, ``?``, ``;`` … followed by a space and an upper-case
letter, a digit or an opening quote, except after abbreviations and inside
numbers (13,5 / 24.500 / 1.1.) and symbols (02-NQ/TW).
"""

from __future__ import annotations

import regex

from .document import Document, Sentence

# A full stop followed by space + a sentence opener. "TP. Hà Nội", "Tp. HCM" are
# abbreviations; numbers such as "1.1." are not sentence ends when a heading
# starts with them (handled by requiring the stop to follow a letter, quote,
# bracket or a number that is not a short section label).
_BOUNDARY = regex.compile(r"(?<=[\p{L}\p{N}”\"’)\]%…])(?:[.!?…]+)[”\"’)]?(?=\s+[\p{Lu}\p{N}“\"(\-–+•])")
_ABBREV = regex.compile(r"(?:^|\s)(?:TP|Tp|tp|ThS|TS|PGS|GS|Th\.S|ĐT|St|Mr|Ms|v\.v|Nxb|NXB|TT|CN)\.$")
_LABEL_ONLY = regex.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])$")


def split_block(text: str, offset: int) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        head = text[start:end]
        if _ABBREV.search(head) or _LABEL_ONLY.match(text[start:m.start()]):
            continue
        seg = text[start:end].strip()
        if seg:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            out.append(Sentence(offset + start + lead, offset + start + lead + len(seg), seg))
        start = end
    seg = text[start:].strip()
    if seg:
        lead = len(text[start:]) - len(text[start:].lstrip())
        out.append(Sentence(offset + start + lead, offset + start + lead + len(seg), seg))
    return out


def split_sentences(document: Document) -> list[Sentence]:
    sentences: list[Sentence] = []
    for block in document.blocks:
        sentences.extend(split_block(block.text, block.start))
    return sentences
