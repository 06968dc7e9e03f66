"""Text normalisation applied by every reader before offsets are fixed.

Everything later points into the text this module produces, so it is applied once,
per block, by the readers (through :class:`pipeline.builder.DocumentBuilder`):

- Unicode NFC (PDF and some Word files carry decomposed marks);
- one tone-mark placement convention: the "new" style used by Nghị định
  30/2020/NĐ-CP era documents and by underthesea (``hoà`` → ``hòa``, ``thuỷ`` →
  ``thủy``): the mark sits on the main vowel; the fold is 1:1 in characters;
- look-alike characters: NBSP and other spaces, typographic hyphens, zero-width
  characters, the U+FFFE pypdfium2 writes for a hyphen inside a symbol;
- whitespace: runs of spaces and tabs become one space, lines are trimmed.

Quotes (“ ”) are kept: titles are quoted with them and the gold keeps them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import regex

# Old-style tone placement (mark on the second vowel of oa/oe/uy) → new style
# (mark on the first). Keys and values are NFC strings of equal length, so the
# replacement keeps offsets.
_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0303": "tilde",
    "\u0309": "hook",
    "\u0323": "dot",
}


def _with_mark(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def _build_tone_fold() -> dict[str, str]:
    fold: dict[str, str] = {}
    for mark in _TONES:
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                old = f + _with_mark(s, mark)
                new = _with_mark(f, mark) + s
                fold[old] = new
    return fold


TONE_FOLD = _build_tone_fold()
# The old-style pairs themselves; whether one is folded depends on the word
# around it (see ``fold_tones``). Searching the pairs first is much faster than a
# word pattern tried at every position; an o/u before a toned vowel (one
# character class each, quick in ``re``) finds every pair. A letter or a
# combining mark after the pair (a second tone mark) means the word goes on.
_PAIR_CANDIDATE = re.compile(
    "[" + "".join(sorted({p[0] for p in TONE_FOLD})) + "][" + "".join(sorted({p[1] for p in TONE_FOLD})) + "]"
)
_WORD_GOES_ON = regex.compile(r"[\p{L}\p{M}]")
_LETTER = regex.compile(r"\p{L}")

_SPACE_CHARS = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HYPHENS = "\u2010\u2011\u2012\u2212"  # look-alike hyphens → "-"; en/em dashes are kept
_TRANSLATE = {ord(c): " " for c in _SPACE_CHARS}
_TRANSLATE.update({ord(c): None for c in _ZERO_WIDTH})
_TRANSLATE.update({ord(c): "-" for c in _HYPHENS})
_TRANSLATE[0xFFFE] = "-"  # pypdfium2's stand-in for a hyphen at a line break
_MULTISPACE = regex.compile(r" {2,}")
_NEEDS_TRANSLATE = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")  # re: a plain class scans faster


# Matchers fold the same short strings (block texts, names) again and again;
# bounded so a worker's memory does not grow with the corpus.
@functools.lru_cache(maxsize=1 << 13)
def fold_tones(text: str) -> str:
    """``hoà`` → ``hòa``, ``thuỷ`` → ``thủy``: same length, same offsets.

    A pair is folded only when it ends its word and at most three letters come
    before it in the word ("hoà", "nghoè"; not "hoàn", "khoảng", "thuyền"), and
    not in "qu-" syllables, where ``u`` belongs to the onset ("quý" is right).
    """
    if not text:
        return text
    out: list[str] | None = None
    for m in _PAIR_CANDIDATE.finditer(text):
        pair = m.group(0)
        if pair not in TONE_FOLD or _WORD_GOES_ON.match(text, m.end()):
            continue
        start = m.start()
        onset = 0
        while start - onset - 1 >= 0 and _LETTER.match(text[start - onset - 1]):
            onset += 1
            if onset > 3:
                break
        if onset > 3:
            continue
        if onset and text[start - 1] in "qQ" and pair[0] in "uU":
            continue
        if out is None:
            out = list(text)
        out[start : m.end()] = TONE_FOLD[pair]
    return "".join(out) if out is not None else text


def normalize_inline(text: str) -> str:
    """Normalise one block's text (no newlines inside a block)."""
    # Zero-width characters go before NFC: one between a letter and its mark
    # ("a\u200b\u0301") would otherwise leave the pair uncomposed (not idempotent).
    # Each step runs only when a cheap check finds work for it: most blocks need
    # none of them, and this runs for every block of every document.
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text or "\n" in text:
        text = text.replace("\r", " ").replace("\n", " ")
    if "  " in text:
        text = _MULTISPACE.sub(" ", text)
    return fold_tones(text.strip())


def fold_for_match(text: str) -> str:
    """Case-, tone-placement- and Đ/D-folded form for comparing names (not offsets)."""
    text = normalize_inline(text).casefold()
    return text.replace("đ", "d")
