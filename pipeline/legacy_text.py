"""Legacy Vietnamese text encodings: recognise them and convert to Unicode.

Government files older than Unicode were typed with 8-bit fonts that draw
Vietnamese letters at ordinary Windows-1252 positions:

- **TCVN3** ("ABC", TCVN 5712:1993 VN3; fonts ``.VnTime``, ``.VnArial`` …): one
  byte per letter. It has no capitals with a tone mark: writers set those in the
  capitals fonts (``.VnTimeH`` …), which draw the same bytes as capitals. In a
  plain-text file that font is gone: the capital is given back in words typed in
  capitals and at a sentence start, but a lone one elsewhere ("; Ứng dụng")
  stays lower case — the file does not say otherwise;
- **VNI** (fonts ``VNI-Times`` …): the base letter followed by a modifier
  character ("Vieät" is "Việt");
- **Windows-1258** (cp1258): a real code page, partly decomposed (base letter +
  combining tone mark), decoded by Python's codec and recomposed with NFC.

A file may hold the legacy bytes, or Unicode text whose characters are those
bytes read as cp1252 (the text was typed in a legacy font and saved as UTF-8:
"Ngh\\u00de quy\\u00d5t"). The tables are data in ``models/legacy_encodings.yaml``.

Detection is by evidence, not by file: every candidate decoding is scored by the
share of its non-ASCII words that are valid Vietnamese syllables (onset + vowel
nucleus + coda, at most one tone, stop codas only with sắc/nặng), and the best
one wins; valid UTF-8 is only reinterpreted when a legacy reading is clearly
better. The encoders (Unicode → legacy) are the inverse of the same tables; the
tests use them to write legacy files.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

import regex

from .errors import ReadError
from .vocab import load

TCVN3, TCVN3_UPPER, VNI, CP1258 = "tcvn3", "tcvn3_upper", "vni", "cp1258"
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining)

_DATA = load("legacy_encodings")
_DETECTION = _DATA["detection"]
_FONTS = _DATA["fonts"]

# --- bytes ↔ the characters a legacy font was given -------------------------------

# cp1252 leaves five bytes undefined; legacy files may still hold them, so they
# map to the Latin-1 control characters of the same value and nothing is lost.
_CP1252_HIGH = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
_CP1252_TO_BYTE = {c: b for b, c in _CP1252_HIGH.items()}
_NOT_FONT_CHAR = regex.compile("[^\x00-\x7f\xa0-\xff" + regex.escape("".join(_CP1252_HIGH.values())) + "]")


def bytes_to_font_text(raw: bytes) -> str:
    """The characters an 8-bit font receives for ``raw`` (cp1252, lossless)."""
    return raw.decode("latin-1").translate(_CP1252_HIGH)


def font_text_to_bytes(text: str) -> bytes:
    """Inverse of :func:`bytes_to_font_text`."""
    return bytes(_CP1252_TO_BYTE.get(c, ord(c)) for c in text)


def _is_font_text(text: str) -> bool:
    """Every character fits in one cp1252 byte (a precondition of legacy mojibake)."""
    return _NOT_FONT_CHAR.search(text) is None


# --- TCVN3 -------------------------------------------------------------------------

_TCVN3 = {chr(b): u for b, u in _DATA["tcvn3"].items()}
_TCVN3_UPPER = {chr(b): u for b, u in _DATA["tcvn3_upper"].items()}
_TCVN3_TABLE = str.maketrans(_TCVN3)
_TCVN3_UPPER_TABLE = str.maketrans(_TCVN3_UPPER)
_TCVN3_ENCODE = {u: c for c, u in _TCVN3.items()}
# Letters TCVN3 has only in lower case (the toned vowels): in a word typed in
# capitals they stand for capitals the .VnTime fonts cannot draw.
_LOWER_ONLY = frozenset(u for u in _TCVN3.values() if u.islower() and u.upper() not in _TCVN3_ENCODE)
_LINE_WORDS = regex.compile(r"\S+")
_LETTER = regex.compile(r"\p{L}")
_HAS_LOWER_ONLY = regex.compile("[" + "".join(sorted(_LOWER_ONLY)) + "]")
_FREE_LOWER = regex.compile(r"[\p{Ll}--[" + "".join(sorted(_LOWER_ONLY)) + "]]", regex.V1)
_EDGE_PUNCT = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum()) + "“”‘’…–—\u2022"
_SENTENCE_START = regex.compile(r"(?:\A|[.!?…]\s+|\n[ \t]*\n\s*)[\"“‘(\[]*(?=\S)")


def from_tcvn3(text: str, upper_font: bool = False, sentence_start: bool = True) -> str:
    """TCVN3 font text (cp1252 characters) → Unicode.

    ``upper_font``: the run was set in a capitals font (.VnTimeH): all capitals.
    Otherwise the capitals .VnTime cannot draw are restored where the writing
    shows them (see :func:`_restore_capitals`); ``sentence_start`` says that the
    text begins a sentence.
    """
    if upper_font:
        return text.translate(_TCVN3_UPPER_TABLE).upper()
    out = text.translate(_TCVN3_TABLE)
    if any(c in _LOWER_ONLY for c in out):
        out = _restore_capitals(out, sentence_start)
    return out


def _word_case(word: str) -> str:
    """"lower" (has a lower-case letter TCVN3 could have written as a capital),
    "upper" (a capital after the first letter: typed in capitals), "open" (only
    lower-only letters and at most a leading capital: the word cannot tell) or
    "none" (no letters)."""
    word = word.strip(_EDGE_PUNCT)
    if not _LETTER.search(word):
        return "none"
    if _FREE_LOWER.search(word):
        return "lower"
    rest = word[1:]
    return "upper" if rest.lower() != rest else "open"


def _restore_capitals(text: str, sentence_start: bool) -> str:
    """Give back the capitals TCVN3 has no byte for.

    A word typed in capitals ("NGHÞ" → "NGHị") is all capitals; a word whose case
    the letters do not tell ("Ò", "§Ò") follows its neighbours on the line when
    they are words in capitals; a sentence never starts in lower case ("ứng"
    after ". ").
    """
    chars = list(text)
    for line in regex.finditer(r"[^\n]+", text):
        if not _HAS_LOWER_ONLY.search(line.group(0)):
            continue
        words = list(_LINE_WORDS.finditer(line.group(0)))
        cases = [_word_case(w.group(0)) for w in words]
        # Capitals words are evidence for a neighbour; abbreviations ("CĐCS",
        # "NQ/TW") are not: they stand in title-case text too.
        evidence = [
            "none" if c == "upper" and not is_syllable(w.group(0).strip(_EDGE_PUNCT).upper()) else c
            for w, c in zip(words, cases)
        ]
        for k, (w, case) in enumerate(zip(words, cases)):
            if case == "upper" or (case == "open" and _neighbours_upper(evidence, k)):
                start = line.start() + w.start()
                for i, c in enumerate(w.group(0)):
                    chars[start + i] = c.upper()
    for m in _SENTENCE_START.finditer(text):
        pos = m.end()
        if pos < len(chars) and chars[pos] in _LOWER_ONLY and (sentence_start or pos > 0):
            chars[pos] = chars[pos].upper()
    return "".join(chars)


def _neighbours_upper(cases: list[str], k: int) -> bool:
    """The nearest words with a case on both sides (or on the one side there is)
    are capitals words."""
    def side(step: int) -> Optional[bool]:
        j = k + step
        while 0 <= j < len(cases) and cases[j] in ("none", "open"):
            j += step
        return cases[j] == "upper" if 0 <= j < len(cases) else None

    before, after = side(-1), side(1)
    if before is None and after is None:
        return False
    return before is not False and after is not False


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 font text, as a .VnTime writer would type it.

    Capitals with a tone mark have no code: in "Ủy"/"Hoà"-type pairs the tone
    goes on the second vowel ("Uỷ", the old placement, which the normaliser folds
    back); otherwise the lower-case code stands in (a writer used .VnTimeH for
    it, which a plain-text file cannot show) and :func:`from_tcvn3` restores the
    capital from the word and the sentence.
    """
    chars = list(unicodedata.normalize("NFC", text))
    out: list[str] = []
    for k, c in enumerate(chars):  # a list: the tone moved onto chars[k + 1] is seen next
        code = _TCVN3_ENCODE.get(c)
        if code is not None:
            out.append(code)
        elif c.isupper() and c.lower() in _LOWER_ONLY:  # a capital with a tone mark
            moved = _old_style_pair(c, chars[k + 1] if k + 1 < len(chars) else "")
            if moved is not None:
                out.append(moved[0])
                chars[k + 1] = moved[1]
            else:
                out.append(_TCVN3_ENCODE[c.lower()])
        else:
            out.append(c)
    return "".join(out)


def _old_style_pair(capital: str, following: str) -> Optional[tuple[str, str]]:
    """"Ủ" + "y" → ("U", "ỷ"): the tone moved to a lower-case second vowel."""
    parts = unicodedata.normalize("NFD", capital)
    base, tones = parts[0], [m for m in parts[1:] if m in _TONE_MARKS]
    if len(parts) != 2 or not tones or (base, following) not in (("O", "a"), ("O", "e"), ("U", "y")):
        return None
    return base, unicodedata.normalize("NFC", following + tones[0])


# --- VNI ---------------------------------------------------------------------------

def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    decode: dict[str, str] = {}
    encode: dict[str, str] = {}
    for letter, code in _DATA["vni"].items():
        upper_code = "".join(ch.upper() for ch in code)
        encode[letter], encode[letter.upper()] = code, upper_code
        decode[code], decode[upper_code] = letter, letter.upper()
        if len(code) == 2:  # Shift on the base letter only, or on the modifier only
            decode.setdefault(code[0].upper() + code[1], letter.upper())
            decode.setdefault(code[0] + code[1].upper(), letter)
    return decode, encode


_VNI_DECODE, _VNI_ENCODE = _vni_tables()
_VNI_SEQUENCE = regex.compile("|".join(map(regex.escape, sorted(_VNI_DECODE, key=len, reverse=True))))


def from_vni(text: str) -> str:
    """VNI font text (cp1252 characters) → Unicode."""
    return _VNI_SEQUENCE.sub(lambda m: _VNI_DECODE[m.group(0)], text)


def to_vni(text: str) -> str:
    """Unicode → VNI font text."""
    return "".join(_VNI_ENCODE.get(c, c) for c in unicodedata.normalize("NFC", text))


# --- Windows-1258 ------------------------------------------------------------------

def from_cp1258(raw: bytes) -> str:
    return unicodedata.normalize("NFC", raw.decode("cp1258"))


def to_cp1258(text: str) -> bytes:
    """Unicode → cp1258 bytes: a letter the code page lacks is written as its
    toneless letter plus a combining tone mark, as Windows does."""
    out = bytearray()
    for c in unicodedata.normalize("NFC", text):
        try:
            out += c.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", c)
        tones = "".join(m for m in parts if m in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def encode(text: str, encoding: str) -> bytes:
    """``text`` as the bytes a legacy file in ``encoding`` holds (ValueError for a
    character no 8-bit font has, such as "→")."""
    if encoding == CP1258:
        return to_cp1258(text)
    if encoding == TCVN3:
        return font_text_to_bytes(to_tcvn3(text))
    if encoding == VNI:
        return font_text_to_bytes(to_vni(text))
    raise ValueError(f"unknown legacy encoding {encoding!r}")


# --- fonts (Word runs) -------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def font_encoding(font: Optional[str]) -> Optional[str]:
    """The legacy encoding a font name implies: "tcvn3", "tcvn3_upper", "vni" or None."""
    if not font:
        return None
    name = font.strip().casefold()
    if name.startswith(tuple(_FONTS["tcvn3_prefixes"])):
        return TCVN3_UPPER if name.endswith(_FONTS["tcvn3_upper_suffix"]) else TCVN3
    if name.startswith(tuple(_FONTS["vni_prefixes"])):
        return VNI
    return None


def convert_font_text(text: str, encoding: str, sentence_start: bool = False) -> str:
    """Text of a Word run set in a legacy font → Unicode."""
    if encoding == VNI:
        return from_vni(text)
    if encoding in (TCVN3, TCVN3_UPPER):
        return from_tcvn3(text, upper_font=encoding == TCVN3_UPPER, sentence_start=sentence_start)
    return text


class LegacyRuns:
    """Converts the runs of one Word document set in legacy fonts.

    A font name is not proof: documents converted to Unicode often keep
    ``.VnTime`` as the font. A run is converted when its converted reading has
    more valid Vietnamese syllables than the text as it is; a run holding a
    character no 8-bit font has ("ơ", "ạ") is Unicode. A tie ("công" reads
    "cụng" in TCVN3, both syllables) follows the evidence of the document's
    earlier runs, and the font when there is none yet.
    """

    def __init__(self) -> None:
        self.legacy_votes = 0
        self.unicode_votes = 0
        self.converted: set[str] = set()  # "tcvn3", "vni"

    def convert(self, text: str, encoding: str, sentence_start: bool = False) -> str:
        if not _is_font_text(text):
            self.unicode_votes += 1
            return text
        converted = convert_font_text(text, encoding, sentence_start)
        if converted == text or (encoding == TCVN3_UPPER and text.isascii()):
            return converted  # nothing to decide: a capitals font draws a-z as capitals
        as_is, legacy = _net_syllables(text), _net_syllables(converted)
        if legacy > as_is:
            self.legacy_votes += 1
        elif as_is > legacy:
            self.unicode_votes += 1
            return text
        elif self.unicode_votes > self.legacy_votes:
            return text
        self.converted.add(encoding.split("_")[0])
        return converted


def _net_syllables(text: str) -> int:
    """Valid minus invalid Vietnamese syllables among the non-ASCII words."""
    share, seen = vietnamese_share(text)
    return round(2 * share * seen) - seen


# --- the Vietnamese syllable ----------------------------------------------------------

_SYLLABLE = regex.compile(
    r"""^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?
    (?:
        (?P<open>iêu|yêu|oai|oay|oeo|uây|uôi|uyu|ươi|ươu|uya|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu)
      | (?P<closed>uyê|iê|yê|oa|oă|oe|oo|uâ|uê|uô|uơ|uy|ươ|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)(?P<coda>ch|nh|ng|[cmnpt])?
    )$""",
    regex.X,
)
_STOP_TONES = frozenset(("\u0301", "\u0323"))


@functools.lru_cache(maxsize=1 << 14)
def is_syllable(word: str) -> bool:
    """A valid Vietnamese syllable: onset, vowel nucleus, coda, at most one tone
    (and a stop coda -p -t -c -ch only with sắc or nặng)."""
    parts = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in parts if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
    m = _SYLLABLE.match(bare)
    if m is None:
        return False
    coda = m.group("coda")
    if coda in ("c", "ch", "p", "t") and (not tones or tones[0] not in _STOP_TONES):
        return False
    return True


# A word with a non-ASCII character (ASCII words read the same in every candidate).
# Tried only where a token starts: linear on a long ASCII token (the matches are the same).
_NON_ASCII_TOKEN = regex.compile(r"(?<![^\s\-/])[^\s\-/]*[^\x00-\x7f\s][^\s\-/]*")


def vietnamese_share(text: str, max_words: int | None = None) -> tuple[float, int]:
    """(share of the non-ASCII words that are Vietnamese syllables, their number)."""
    limit = max_words or _DETECTION["max_words"]
    seen = valid = 0
    for token in _NON_ASCII_TOKEN.finditer(text):
        word = token.group(0).strip(_EDGE_PUNCT)
        if word.isascii():
            continue
        seen += 1
        valid += is_syllable(word)
        if seen >= limit:
            break
    return (valid / seen if seen else 0.0), seen


# --- detection -------------------------------------------------------------------------

@dataclass
class Decoded:
    """A file's text and how it was read."""

    text: str
    encoding: str  # "utf-8", "utf-16-le", "cp1258", "tcvn3", "vni", "tcvn3 in utf-8" …
    share: Optional[float] = None  # Vietnamese-syllable share of the chosen reading
    scores: dict[str, float] = field(default_factory=dict)  # every candidate tried

    def meta(self) -> dict:
        out: dict = {"encoding": self.encoding}
        if self.scores:
            out["encoding_scores"] = {k: round(v, 3) for k, v in self.scores.items()}
        return out


def _clean(text: str) -> str:
    """NFC and one kind of line end, before any line-based reading."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _utf16_order(head: bytes) -> Optional[str]:
    """UTF-16 without a byte-order mark, told by where the NUL bytes fall."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = max(1, len(head) // 2)
    if odd > half * 0.3 and even < odd * 0.1:
        return "utf-16-le"
    if even > half * 0.3 and odd < even * 0.1:
        return "utf-16-be"
    return None


def decode_bytes(raw: bytes, name: str = "text") -> Decoded:
    """Read a text file's bytes in whatever encoding they are; raise
    :class:`ReadError` (``mis_encoded`` or ``binary``) when none fits."""
    if raw.startswith(codecs.BOM_UTF8):
        return _from_unicode(_utf(raw[3:], "utf-8", name), "utf-8-sig")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _from_unicode(_utf(raw[2:], codec, name), codec)
    head = raw[:4096]
    if b"\x00" in head:
        codec = _utf16_order(head)
        if codec is None:
            raise ReadError(f"{name}: binary data, not a text file (NUL bytes in no UTF-16 pattern)", kind="binary")
        return _from_unicode(_utf(raw, codec, name), codec)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _from_legacy_bytes(raw, name, exc)
    return _from_unicode(text, "utf-8")


def _utf(raw: bytes, codec: str, name: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name}: mis-encoded {codec.upper()} text ({exc.reason} at byte {exc.start})", kind="mis_encoded"
        ) from None


def _from_unicode(text: str, encoding: str) -> Decoded:
    """Unicode text, unless it is legacy-font text saved as Unicode (mojibake)."""
    text = _clean(text)
    if text.isascii() or not _is_font_text(text):
        return Decoded(text, encoding)
    sample = text[: _DETECTION["sample_chars"]]
    share, seen = vietnamese_share(sample)
    if seen < _DETECTION["min_words"]:
        return Decoded(text, encoding)
    scores = {encoding: share}
    converters = {TCVN3: from_tcvn3, VNI: from_vni}
    for legacy, convert in converters.items():
        scores[legacy] = vietnamese_share(convert(sample))[0]
    legacy = max(converters, key=lambda k: scores[k])
    if scores[legacy] >= _DETECTION["min_share"] and scores[legacy] - share >= _DETECTION["margin"]:
        return Decoded(_clean(converters[legacy](text)), f"{legacy} in {encoding}", scores[legacy], scores)
    return Decoded(text, encoding, share, scores)


def _tcvn3_bytes(raw: bytes) -> str:
    return from_tcvn3(bytes_to_font_text(raw))


def _vni_bytes(raw: bytes) -> str:
    return from_vni(bytes_to_font_text(raw))


def _from_legacy_bytes(raw: bytes, name: str, error: UnicodeDecodeError) -> Decoded:
    """Bytes that are not UTF-8: the best of cp1258, TCVN3 and VNI, or an error."""
    converters = {CP1258: from_cp1258, TCVN3: _tcvn3_bytes, VNI: _vni_bytes}
    tried: dict[str, str] = {}
    try:
        raw.decode("cp1258")
    except UnicodeDecodeError as exc:  # a byte cp1258 leaves undefined: not cp1258
        tried[CP1258] = f"byte 0x{raw[exc.start]:02x} undefined"
        del converters[CP1258]
    sample = raw[: _DETECTION["sample_chars"]]
    scores: dict[str, float] = {}
    seen_any = 0
    for legacy, convert in converters.items():
        scores[legacy], seen = vietnamese_share(convert(sample))
        seen_any = max(seen_any, seen)
    best = max(scores, key=lambda k: scores[k])  # ties: the first (cp1258, then TCVN3)
    if seen_any == 0 and CP1258 in converters:
        # Only punctuation outside ASCII (a dash, a quote): any 8-bit reading will do.
        return Decoded(_clean(from_cp1258(raw)), CP1258, None, scores)
    if scores[best] >= _DETECTION["min_share"]:
        return Decoded(_clean(converters[best](raw)), best, scores[best], scores)
    tried.update((k, f"{v:.0%} of words are Vietnamese syllables") for k, v in scores.items())
    attempts = "; ".join(f"{k}: {v}" for k, v in sorted(tried.items()))
    raise ReadError(
        f"{name}: mis-encoded text: not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}) "
        f"and not Vietnamese in a legacy encoding (tried {attempts}; "
        f"{_DETECTION['min_share']:.0%} needed)",
        kind="mis_encoded",
    )
