"""Finding the names of organisational units (đơn vị, cơ quan) in Vietnamese text.

``ner`` of underthesea does not tag unit names ("Ban Tuyên giáo" → no ORG), so a
unit is read with the gazetteer ``models/units.yaml`` and head-word patterns:

    [plural marker] HEAD NAME-WORD*        "các ban của Tổng Liên đoàn"
                                            "Ban Tổ chức Trung ương"
                                            "LĐLĐ các huyện, thành phố"

A name word is a word (underthesea ``word_tokenize`` groups syllables, so
"Tuyên giáo" is one word) that starts with a capital, an abbreviation, or one of
the lower-case continuations of the gazetteer (tỉnh, trực thuộc, và tương
đương…). The first other word ("chủ trì", "xây dựng") ends the name.

:func:`read_unit_list` reads a comma/"và" (in headings also ";") list of units
— items after the first may be written in lower case ("…, cơ quan thuộc Chính
phủ, đoàn thể cấp tỉnh") — and gives a bare part ("Các ban", "Văn phòng") the
owner of the last unit of the list. Office-holders stand for their body
("Thủ trưởng các sở, ban, ngành", "Chủ tịch UBND các xã"): their head is
followed by the body they hold. Offsets are kept: every :class:`Unit` points at
the text it was read from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

import regex

from pipeline import vocab
from pipeline.normalize import fold_tones


# Matchers fold the same short windows again and again (≈90% repeats): cached.
@functools.lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """1:1 fold for matching (same length as ``text``): tones, case, Đ→D."""
    return fold_tones(text).lower().replace("đ", "d")


def fold_prefix(text: str, size: int, start: int = 0, end: int | None = None) -> str:
    """``fold(text[start:end])`` as far as its first ``size`` + 1 characters go (a
    phrase that opens it and the character after), folding only a short prefix
    (and never copying the rest of a long text).

    The fold is per character except a tone pair, whose fold looks at the
    character after it (hence a margin of 3), and Σ, whose lower case depends
    on what follows (then the whole span is folded)."""
    end = len(text) if end is None else end
    cut = start + size + 3
    if cut >= end or "Σ" in text[start:cut]:
        return fold(text[start:end])
    return fold(text[start:cut])


@dataclass(frozen=True)
class Head:
    """A head word of the gazetteer ("Ban", "Liên đoàn Lao động") and how it behaves."""

    text: str
    folded: str
    lower: bool
    dependent: bool
    not_before: tuple[str, ...]
    needs_name: bool = False
    holder: bool = False


@dataclass
class Unit:
    """One unit as read: ``text`` is the name (with a borrowed owner when the
    written form was bare), ``start``/``end`` the span of what is written."""

    text: str
    start: int
    end: int
    head: str
    bare: bool = False
    generic: bool = False

    @property
    def expanded(self) -> str:
        return expand(self.text)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict:
    g = vocab.load("units")
    heads = [
        Head(
            h["head"],
            fold(h["head"]),
            bool(h.get("lower")),
            bool(h.get("dependent")),
            tuple(fold(w) for w in h.get("not_before") or []),
            bool(h.get("needs_name")),
            bool(h.get("holder")),
        )
        for h in g["heads"]
    ]
    # A known full name behaves as a head that is already complete.
    heads += [Head(n, fold(n), True, False, ()) for n in g["names"]]
    heads.sort(key=lambda h: len(h.folded), reverse=True)
    continuations = sorted((fold(c) for c in g["continuations"]), key=len, reverse=True)
    abbreviations = {fold(k): (k, v) for k, v in g["abbreviations"].items()}
    # Abbreviations whose expansion opens with a head are heads themselves (LĐLĐ, UBND).
    head_abbrevs = {}
    for key, (abbr, expansion) in abbreviations.items():
        fe = fold(expansion)
        for h in heads:
            if fe == h.folded or fe.startswith(h.folded + " "):
                head_abbrevs[key] = Head(abbr, key, False, h.dependent, ())
                break
    abbr_keys = sorted(abbreviations, key=len, reverse=True)
    # head_at matches at the start of a window: only the heads that open with
    # the window's first characters can match there, tried in the same order.
    opening = min([2] + [len(k) for k in [h.folded for h in heads] + abbr_keys])
    return {
        "head_opening": opening,
        "head_by_opening": _by_opening([h.folded for h in heads], opening),
        "abbr_by_opening": _by_opening(abbr_keys, opening),
        "heads": heads,
        "head_re": regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(regex.escape(h.folded) for h in heads) + r")(?![\p{L}\p{N}])"),
        "by_folded": {h.folded: h for h in heads},
        "abbreviations": abbreviations,
        "head_abbrevs": head_abbrevs,
        "abbr_re": regex.compile(
            r"(?<![\p{L}\p{N}])(?:" + "|".join(regex.escape(k) for k in abbr_keys) + r")(?![\p{L}\p{N}])"
        ),
        "aliases": {fold(k): v for k, v in (g.get("aliases") or {}).items()},
        "plural": tuple(fold(p) for p in g["plural_markers"]),
        "plural_re": _ordered_re([fold(p) + " " for p in g["plural_markers"]], ""),
        "continuations": continuations,
        "continuation_re": _ordered_re(continuations, r"(?![\p{L}\p{N}])"),
        "generic": {fold(x) for x in g["generic"]},
        "not_in_names": {fold(x) for x in g["not_in_names"]},
        "joint_heads": {fold(h) for h in g.get("joint_office_heads") or []},
        "places": tuple(fold(p) for p in g.get("places") or []),
        "numbered_re": regex.compile(
            r"(?:" + "|".join(regex.escape(fold(w)) for w in g.get("numbered_continuations") or []) + r")\s+(?=[\p{L}\p{N}])"
        ),
    }


def _by_opening(keys: list[str], n: int) -> dict[str, regex.Pattern]:
    """Whole-word patterns of ``keys`` grouped by their first ``n`` characters,
    each keeping the order of ``keys`` (the first alternative that matches wins,
    as in the pattern of all keys)."""
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(k[:n], []).append(k)
    return {o: regex.compile("(?:" + "|".join(regex.escape(k) for k in ks) + r")(?![\p{L}\p{N}])") for o, ks in groups.items()}


def _ordered_re(phrases: list[str], tail: str) -> regex.Pattern:
    """The first of ``phrases``, in list order, that opens a string and is
    followed by ``tail``: one match call instead of a loop of ``startswith``
    (alternatives are tried in order, like the loop)."""
    return regex.compile("(?:" + "|".join(regex.escape(p) for p in phrases) + ")" + tail)


_DOC_KIND_WORDS = (
    "nghị quyết",
    "chương trình",
    "kế hoạch",
    "quyết định",
    "kết luận",
    "chỉ thị",
    "thông báo",
    "hướng dẫn",
    "luật",
    "nghị định",
    "đề án",
    "báo cáo",
    "công văn",
)
_DOC_KIND_FOLDED = tuple(fold(w) for w in _DOC_KIND_WORDS)
_ROMAN = regex.compile(r"^[IVXLC]+$")
_UPPER_TOKEN = regex.compile(r"^[\p{Lu}][\p{Lu}\p{N}&]+$")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_MULTISPACE = regex.compile(r"\s{2,}")


def _is_upper_abbrev(token: str) -> bool:
    return bool(_UPPER_TOKEN.match(token))


# ---------------------------------------------------------------- words


@functools.lru_cache(maxsize=4096)
def _tokenize(window: str) -> tuple[tuple[int, int], ...]:
    """Word spans of ``window`` (underthesea groups syllables into words)."""
    from underthesea import word_tokenize

    spans: list[tuple[int, int]] = []
    pos = 0
    for tok in word_tokenize(window):
        i = window.find(tok, pos)
        if i < 0:
            # The tokenizer changed the token (rare): fall back to its syllables.
            for syl in tok.split():
                j = window.find(syl, pos)
                if j < 0:
                    continue
                spans.append((j, j + len(syl)))
                pos = j + len(syl)
            continue
        spans.append((i, i + len(tok)))
        pos = i + len(tok)
    return tuple(spans)


# A name is read from its first few words, so the tokenizer first sees only the
# first _PREFIX_SYLLABLES syllables of the line. Its words are trusted up to
# _PREFIX_MARGIN syllables before the cut (the CRF looks two tokens either side);
# a reader that needs a word past that gets the whole line tokenized.
_PREFIX_SYLLABLES = 14
_PREFIX_MARGIN = 5
_PREFIX_CUT = regex.compile(r"\s*(?:\S+\s+){%d}\S+" % (_PREFIX_SYLLABLES - 1))
_SAFE_CUT = regex.compile(r"\s*(?:\S+\s+){%d}" % (_PREFIX_SYLLABLES - _PREFIX_MARGIN))


class _Words:
    """Word spans of ``text`` from ``start`` to the end of its line (at most
    ``limit`` characters), tokenized lazily: ``get(i)`` is the i-th word's span
    or None past the last word."""

    __slots__ = ("_window", "_start", "_spans", "_trusted")

    def __init__(self, text: str, start: int, limit: int = 220):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        end = min(end, start + limit)
        window = text[start:end]
        self._window = window
        self._start = start
        cut = _PREFIX_CUT.match(window)
        if cut is None or cut.end() == len(window.rstrip()):
            self._spans = _tokenize(window)
            self._trusted = len(self._spans)
            self._window = None  # complete
            return
        self._spans = _tokenize(window[: cut.end()])
        safe_end = _SAFE_CUT.match(window).end()
        trusted = 0
        while trusted < len(self._spans) and self._spans[trusted][1] <= safe_end:
            trusted += 1
        self._trusted = trusted

    def get(self, i: int) -> Optional[tuple[int, int]]:
        if i >= self._trusted and self._window is not None:
            self._spans = _tokenize(self._window)
            self._trusted = len(self._spans)
            self._window = None
        if i < self._trusted:
            s, e = self._spans[i]
            return self._start + s, self._start + e
        return None

    def has(self, i: int) -> bool:
        return self.get(i) is not None

    def __getitem__(self, i: int) -> tuple[int, int]:
        span = self.get(i)
        if span is None:
            raise IndexError(i)
        return span


def _words(text: str, start: int, limit: int = 220) -> _Words:
    """Word spans of ``text`` from ``start`` to the end of its line (at most ``limit``)."""
    return _Words(text, start, limit)


# ---------------------------------------------------------------- heads


def head_at(text: str, pos: int, after_plural: bool = False) -> Optional[tuple[Head, int]]:
    """The head word that starts exactly at ``pos`` and where it ends."""
    g = _gazetteer()
    window = text[pos : pos + 60]
    fw = fold(window)
    opening = fw[: g["head_opening"]]
    abbr_re = g["abbr_by_opening"].get(opening)
    m = abbr_re.match(fw) if abbr_re is not None else None
    if m and m.group(0) in g["head_abbrevs"] and _is_upper_abbrev(window[: m.end()]):
        return g["head_abbrevs"][m.group(0)], pos + m.end()
    head_re = g["head_by_opening"].get(opening)
    m = head_re.match(fw) if head_re is not None else None
    if not m:
        return None
    head = g["by_folded"][m.group(0)]
    written = window[: m.end()]
    if written[:1].islower() and not head.lower and not after_plural:
        return None
    rest = fw[m.end() :].lstrip()
    for word in head.not_before:
        if rest.startswith(word) and not _WORD_CHAR.match(rest[len(word) : len(word) + 1] or " "):
            return None
    return head, pos + m.end()


def _plural_at(text: str, pos: int) -> int:
    """End of a plural marker ("các ") at ``pos``, or ``pos`` when there is none."""
    m = _gazetteer()["plural_re"].match(fold(text[pos : pos + 8]))
    return pos + m.end() if m else pos


def _continuation_at(text: str, pos: int) -> int:
    """End of a lower-case continuation ("tỉnh", "và tương đương") at ``pos``, else ``pos``."""
    m = _gazetteer()["continuation_re"].match(fold(text[pos : pos + 40]))
    return pos + m.end() if m else pos


_NUMERAL = regex.compile(r"(?:[IVXLC]+|\d+)(?![\p{L}\p{N}])")


def _numbered_continuation_at(text: str, pos: int) -> int:
    """End of "khu vực II", "vùng 3" at ``pos`` (a regional office), else ``pos``."""
    m = _gazetteer()["numbered_re"].match(fold(text[pos : pos + 20]))
    if not m:
        return pos
    n = _NUMERAL.match(text, pos + m.end())
    return n.end() if n else pos


def _starts_unit(text: str, pos: int) -> bool:
    p = _plural_at(text, pos)
    return head_at(text, p, after_plural=p > pos) is not None


# ---------------------------------------------------------------- one unit


def read_unit(text: str, pos: int) -> Optional[Unit]:
    """The unit whose name starts at ``pos`` (plural marker or head), or None."""
    p = _plural_at(text, pos)
    found = head_at(text, p, after_plural=p > pos)
    if not found:
        return None
    head, head_end = found
    end = _extend_name(text, head_end, joint=head.folded in _gazetteer()["joint_heads"])
    holds_generic = False
    if head.holder and end == head_end:
        end = _holder_complement(text, head_end)
        # "Thủ trưởng các cơ quan có liên quan": the holder of a generic body is generic.
        holds_generic = end > head_end and is_generic(text[head_end:end])
    if head.needs_name and end == head_end and p == pos:
        return None  # "Phòng học", "Trung tâm" alone: a common noun
    name = text[pos:end].rstrip(" ,")
    end = pos + len(name)
    unit = Unit(name, pos, end, head.text)
    unit.bare = head.dependent and fold(text[p:end]) == head.folded
    unit.generic = is_generic(name) or holds_generic
    return unit


def _holder_complement(text: str, end: int) -> int:
    """End of the body an office-holder holds: "Thủ trưởng| các sở, ban, ngành
    tỉnh", "Thủ trưởng| cơ quan ngang Bộ" (the body may be written in lower case)."""
    pos = end
    while text[pos : pos + 1] == " ":
        pos += 1
    if pos == end:
        return end
    p = _plural_at(text, pos)
    found = head_at(text, p, after_plural=True)
    if not found or found[0].holder:
        return end
    unit = Unit(text[pos : found[1]], pos, found[1], found[0].text)
    unit_end = _extend_name(text, found[1])
    unit.text, unit.end = text[pos:unit_end], unit_end
    _absorb_commas(text, unit)
    # The holder heads every kind of body of a plural list in lower case after
    # it: "Thủ trưởng các ngành, cơ quan cấp tỉnh" ("các [ngành, cơ quan] cấp
    # tỉnh"). A singular body is complete ("Thủ trưởng cơ quan ngang Bộ, cơ quan
    # thuộc Chính phủ" names two), and a capitalised item is a new unit.
    while p > pos:
        m = _COMMA.match(text, unit.end)
        if not m or not text[m.end() : m.end() + 1].islower():
            return unit.end
        kind = head_at(text, m.end(), after_plural=True)
        if kind is None or kind[0].holder:
            return unit.end
        unit.end = _extend_name(text, kind[1])
        unit.text = text[pos : unit.end]
    return unit.end


def _extend_name(text: str, end: int, joint: bool = False) -> int:
    """Extend a unit name from the end of its head over the words of its name;
    ``joint``: the head is an office that may serve two bodies ("Văn phòng
    Đoàn đại biểu Quốc hội và HĐND tỉnh")."""
    words = _words(text, end)
    i = 0
    last = end
    while words.has(i):
        s, e = words[i]
        if text[last:s].strip():  # something skipped (punctuation the tokenizer dropped)
            break
        tok = text[s:e]
        owner = head_at(text, s)
        if owner and owner[1] > s and text[s].isupper():
            # An owning body inside the name: "Ban Tuyên giáo Tỉnh ủy", "… Công đoàn tỉnh".
            last = owner[1]
            words, i = _words(text, last), 0
            continue
        numbered = _numbered_continuation_at(text, s)
        if numbered > s:
            last = numbered
            words, i = _words(text, last), 0
            continue
        cont = _continuation_at(text, s)
        if cont > s:
            ft = fold(text[s:cont])
            if ft in ("cua", "thuoc", "truc thuoc", fold("của"), fold("thuộc"), fold("trực thuộc")):
                # "của"/"trực thuộc" continue only into another unit or a proper name.
                nxt = cont + 1
                # … or into a place: "các cơ quan báo chí của tỉnh".
                place = _continuation_at(text, nxt) > nxt and fold(text[nxt : nxt + 5]) not in (fold("của "), fold("thuộc"))
                if not (_starts_unit(text, nxt) or text[nxt : nxt + 1].isupper() or place):
                    if ft == fold("trực thuộc"):
                        last = cont  # "công đoàn cơ sở trực thuộc": the units under the issuer
                    break
            last = cont
            words, i = _words(text, cont), 0
            continue
        if fold(tok) == "các" and words.has(i + 1) and text[words[i + 1][0]].isupper() and not _starts_unit(text, words[i + 1][0]):
            # "Công đoàn các Khu kinh tế tỉnh": the bodies the unit serves.
            last = words[i + 1][0]
            words, i = _words(text, last), 0
            continue
        if joint and fold(tok) == "và" and words.has(i + 1) and last > end:
            second = _second_body(text, end, last, words[i + 1][0])
            if second is not None:
                last, joint = second, False
                words, i = _words(text, last), 0
                continue
        if fold(tok) == "và" and words.has(i + 1) and text[words[i + 1][0]].isupper() and not _starts_unit(text, words[i + 1][0]):
            # "Sở Nông nghiệp và Môi trường": "và" joins two words of one name,
            # while "Văn phòng và Ban Tuyên giáo" joins two units (a head follows).
            last = words[i + 1][0]
            words, i = _words(text, last), 0
            continue
        if tok in ("-", "–") and words.has(i + 1) and text[words[i + 1][0]].isupper() and s > last:
            last = e
            i += 1
            continue
        if fold(tok) in ("khoa", "khóa") and words.has(i + 1) and _ROMAN.match(text[words[i + 1][0] : words[i + 1][1]]):
            last = words[i + 1][1]
            i += 2
            continue
        if tok[:1].isupper() and _WORD_CHAR.match(tok[:1]):
            ft = fold(tok)
            if any(ft == k or ft.startswith(k + " ") for k in _DOC_KIND_FOLDED):
                break
            cut = _name_word_end(text, s, e)
            last = cut
            if cut < e:
                # The tokenizer glued a predicate to the name ("Tổng Liên đoàn chủ
                # động"): read on from the cut with fresh words.
                words, i = _words(text, cut), 0
                continue
            i += 1
            continue
        if _split_syllable(text, words, i, last):
            # "Sở Sây| dựng": the tokenizer split an unknown name word.
            last = e
            i += 1
            continue
        run_end = _inner_lower_run(text, words, i)
        if run_end is not None:
            # Lower-case nouns inside a proper name: "Trung tâm Tư vấn pháp luật Công đoàn".
            last = run_end
            words, i = _words(text, last), 0
            continue
        break
    return last


def _second_body(text: str, first_start: int, first_end: int, pos: int) -> Optional[int]:
    """End of the second body an office serves ("Văn phòng Đoàn đại biểu Quốc hội
    và |HĐND tỉnh|"): a capitalised body (not a part of one, not an office-holder)
    after a first body without a place of its own; None otherwise."""
    g = _gazetteer()
    first = fold(text[first_start:first_end]).rstrip()
    if any(first.endswith(" " + p) for p in g["places"]):
        return None
    if not text[pos : pos + 1].isupper():
        return None
    body = head_at(text, pos)
    if body is None or body[0].dependent or body[0].holder:
        return None
    return _extend_name(text, body[1])


_CLOSING = regex.compile(r"\s*(?:[,;.:)]|$|và\s)")


def _split_syllable(text: str, words: _Words, i: int, last: int) -> bool:
    """A lone lower-case syllable that completes the single capitalised syllable
    before it ("Sây" + "dựng") and closes the name (a comma, "và", the end)."""
    if i == 0:
        return False
    ps, pe = words[i - 1]
    s, e = words[i]
    if pe != last or " " in text[ps:pe] or not text[ps].isupper() or " " in text[s:e] or not text[s].islower():
        return False
    if fold(text[s:e]) in _gazetteer()["not_in_names"]:
        return False
    return _CLOSING.match(text, e) is not None


_EXAMPLES = regex.compile(r" ?\((?=[\p{Lu}])")


def _inner_lower_run(text: str, words: _Words, i: int) -> Optional[int]:
    """End of a run of (at most three) lower-case nouns at ``words[i]`` that a
    capitalised name word or a place/level ("Trung tâm Kiểm soát bệnh tật tỉnh")
    follows, or None (a verb such as "tham mưu" ends the name)."""
    j = i
    while words.has(j) and j - i < 3:
        tok = text[words[j][0] : words[j][1]]
        if not tok[:1].islower():
            break
        if any(syl[:1].isupper() for syl in tok.split()[1:]):
            return None  # a verb glued to the next name by the tokenizer ("giao Ban")
        j += 1
    if j == i:
        return None
    # The shortest run that a name word or a place closes, or that examples in
    # brackets follow ("các doanh nghiệp viễn thông (VNPT, Viettel …)").
    k = None
    for n in range(i + 1, j + 1):
        if _EXAMPLES.match(text, words[n - 1][1]):
            k = n
            break
        if not words.has(n) or text[words[n - 1][1] : words[n][0]].strip():
            break
        nxt = text[words[n][0] : words[n][1]]
        if (nxt[:1].isupper() and _WORD_CHAR.match(nxt[:1])) or _continuation_at(text, words[n][0]) > words[n][0]:
            k = n
            break
    if k is None:
        return None
    if any(fold(text[words[m][0] : words[m][1]]) in _gazetteer()["not_in_names"] for m in range(i, k)):
        return None
    nouns = _noun_spans(text, words[i][0], (words.get(k) or words[k - 1])[1])
    if all(words[m] in nouns for m in range(i, k)):
        return words[k - 1][1]
    return None


@functools.lru_cache(maxsize=2048)
def _tagged(window: str) -> tuple[tuple[int, int, str], ...]:
    from underthesea import pos_tag

    out: list[tuple[int, int, str]] = []
    pos = 0
    for tok, tag in pos_tag(window):
        k = window.find(tok, pos)
        if k < 0:
            continue
        out.append((k, k + len(tok), tag))
        pos = k + len(tok)
    return tuple(out)


def _noun_spans(text: str, start: int, end: int) -> set[tuple[int, int]]:
    """Spans of ``text[start:end]`` that underthesea tags as nouns."""
    return {(start + s, start + e) for s, e, tag in _tagged(text[start:end]) if tag.startswith("N")}


_SYLLABLE = regex.compile(r"\S+")


def _name_word_end(text: str, s: int, e: int) -> int:
    """End of the name part of a capitalised word: a capitalised syllable takes at
    most one lower-case syllable after it ("Tuyên giáo", "Liên đoàn")."""
    end = s
    lower_run = 0
    for m in _SYLLABLE.finditer(text, s, e):
        syl = m.group(0)
        if m.start() > s and syl[:1].isupper():
            owner = head_at(text, m.start())
            if owner and owner[1] > e:
                break  # "Tuyên giáo Tỉnh" + "ủy": the owner "Tỉnh ủy" starts here
        if syl[:1].isupper() or _is_upper_abbrev(syl):
            lower_run = 0
        else:
            lower_run += 1
            if lower_run > 1:
                break
        end = m.end()
    return end


# ---------------------------------------------------------------- lists


_STRAY_SYLLABLE = regex.compile(r" \p{Ll}+(?=[ ,;])")
_SEP = regex.compile(r"\s*(?:,\s*và|,|và|cùng)\s+")
_SEP_SEMICOLON = regex.compile(r"\s*(?:,\s*và|,|;|và|cùng)\s+")
_COMMA = regex.compile(r",\s+")


def _absorb_commas(text: str, unit: Unit) -> None:
    """Extend ``unit`` over ", thành phố", ", ban, ngành", ", truyền thông": more
    words of the same name after a comma."""
    while True:
        m = _COMMA.match(text, unit.end)
        if not m:
            return
        if read_unit(text, m.end()) is not None:
            return  # the next unit of a list: "thành ủy, đảng ủy trực thuộc …"
        kind = head_at(text, m.end(), after_plural=True)
        if kind is not None and text[kind[1] + 1 : kind[1] + 2].isupper() and _continuation_at(text, kind[1] + 1) == kind[1] + 1:
            # A lower-case head with a name of its own ("…, đơn vị Quân đội"), not
            # a place ("các Sở, ngành Thành phố").
            return
        ext = _continuation_at(text, m.end())
        if ext == m.end():
            return
        ext = _extend_name(text, ext)
        unit.text = text[unit.start : ext].rstrip(" ,")
        unit.end = unit.start + len(unit.text)
        unit.bare = False
        unit.generic = is_generic(unit.text)


def read_unit_list(text: str, pos: int, semicolons: bool = False) -> list[Unit]:
    """Units of a list that starts at ``pos``: "Các ban, Văn phòng LĐLĐ tỉnh",
    "LĐLĐ các huyện, thành phố, Công đoàn Ngành", "Văn phòng và các ban của …".

    Items after the first may be written in lower case ("…, cơ quan thuộc Chính
    phủ, đoàn thể cấp tỉnh"). ``semicolons`` also splits at ";", as headings and
    the objects of "Giao …"/"Đề nghị …" separate units ("LĐLĐ các huyện; Công đoàn
    ngành")."""
    first = read_unit(text, pos)
    if first is None:
        return []
    _absorb_commas(text, first)
    units = [first]
    end = first.end
    sep = _SEP_SEMICOLON if semicolons else _SEP
    while True:
        m = sep.match(text, end)
        if not m:
            # A stray syllable before the next item is a mistyped last word of the
            # name ("Cổng Thông tin điện tử tính và hệ thống …" for "tỉnh").
            stray = _STRAY_SYLLABLE.match(text, end)
            if stray and fold(stray.group(0).strip()) in _gazetteer()["not_in_names"]:
                stray = None
            m = sep.match(text, stray.end()) if stray else None
            if m and _read_list_item(text, m.end()) is not None:
                units[-1].text = text[units[-1].start : stray.end()]
                units[-1].end = stray.end()
            else:
                m = None
        if not m:
            break
        unit = _read_list_item(text, m.end())
        if unit is None:
            break
        _absorb_commas(text, unit)
        units.append(unit)
        end = unit.end
    _lend_owner(units)
    return units


def _read_list_item(text: str, pos: int) -> Optional[Unit]:
    """A unit after a list separator; a head in lower case counts here."""
    unit = read_unit(text, pos)
    if unit is not None:
        return unit
    found = head_at(text, pos, after_plural=True)
    if found is None or found[0].holder or not text[pos : pos + 1].islower():
        return None
    end = _extend_name(text, found[1])
    name = text[pos:end].rstrip(" ,")
    unit = Unit(name, pos, pos + len(name), found[0].text)
    unit.bare = found[0].dependent and fold(name) == found[0].folded
    unit.generic = is_generic(name)
    if found[0].needs_name:
        _absorb_commas(text, unit)  # "… và sở, ngành có liên quan"
        if unit.end == found[1]:
            return None  # a common noun ("…, trung tâm"), not a named unit
    return unit


_OWNER_START = regex.compile(r"(?:(?<![\p{L}])(?:của|trực thuộc|thuộc)\s+|(?<=\s)(?=[\p{Lu}]))")


def _lend_owner(units: list[Unit]) -> None:
    """Give bare parts ("Các ban", "Văn phòng") the owner of the last unit."""
    if len(units) < 2:
        return
    last = units[-1]
    g = _gazetteer()
    # The owner is what follows the last unit's head: "LĐLĐ tỉnh", "của Tổng Liên đoàn".
    p = _plural_at(last.text, 0)
    found = head_at(last.text, p, after_plural=p > 0)
    if not found:
        return
    rest = last.text[found[1] :]
    m = _OWNER_START.search(rest)
    if not m:
        return
    owner = rest[m.start() :].strip(" ,")
    if not owner or fold(owner) in g["generic"]:
        return
    for unit in units[:-1]:
        if unit.bare:
            unit.text = f"{unit.text} {owner}"
            unit.bare = False
            unit.generic = False


# ---------------------------------------------------------------- whole text


def find_units(text: str, start: int = 0, end: Optional[int] = None) -> list[Unit]:
    """Every unit named in ``text[start:end]``, left to right, lists split."""
    end = len(text) if end is None else end
    g = _gazetteer()
    ftext = fold(text[start:end])
    candidates = sorted(
        {start + m.start() for m in g["head_re"].finditer(ftext)} | {start + m.start() for m in g["abbr_re"].finditer(ftext)}
    )
    out: list[Unit] = []
    covered = start
    for c in candidates:
        if c < covered:
            continue
        # Include a plural marker just before the head.
        p = c
        before = fold(text[max(start, c - 8) : c])
        for pl in g["plural"]:
            if before.endswith(pl + " ") and c - len(pl) - 1 >= covered:
                p = c - len(pl) - 1
                break
        units = read_unit_list(text, p)
        if not units:
            continue
        for u in units:
            if u.end <= end:
                out.append(u)
        covered = max(u.end for u in units)
    return out


# ---------------------------------------------------------------- names


def held_body(text: str, holder: Unit) -> Optional[Unit]:
    """The body an office-holder heads ("Bộ trưởng |Bộ Y tế|"), or None."""
    found = head_at(text, holder.start)
    if found is None:
        return None
    pos = found[1]
    while text[pos : pos + 1] == " ":
        pos += 1
    body = read_unit(text, pos)
    return body if body is not None and body.end == holder.end else None


def is_office_holder(unit: Unit) -> bool:
    """"Bộ trưởng Bộ Y tế", "Chủ tịch UBND tỉnh": a person standing for a body."""
    head = _gazetteer()["by_folded"].get(fold(unit.head))
    return bool(head and head.holder)


_GENERIC_TRIM = regex.compile(r"^(?:các|những|mỗi)\s+", regex.IGNORECASE)


def is_generic(name: str) -> bool:
    """"các cơ quan chức năng", "công đoàn các cấp": partners, not charged units."""
    g = _gazetteer()
    f = fold(_GENERIC_TRIM.sub("", name.strip())).strip(" ,.")
    return f in g["generic"]


def expand(name: str) -> str:
    """Abbreviations and short names written out: "LĐLĐ tỉnh" → "Liên đoàn Lao động tỉnh"."""
    g = _gazetteer()
    out: list[str] = []
    pos = 0
    fname = fold(name)
    for m in g["abbr_re"].finditer(fname):
        written = name[m.start() : m.end()]
        abbr, expansion = g["abbreviations"][m.group(0)]
        if not (_is_upper_abbrev(written) or written == abbr):
            continue
        out.append(name[pos : m.start()])
        out.append(expansion)
        pos = m.end()
    out.append(name[pos:])
    result = "".join(out)
    fres = fold(result)
    for alias, full in sorted(g["aliases"].items(), key=lambda kv: len(kv[0]), reverse=True):
        i = fres.find(alias)
        if i < 0 or fres[i:].startswith(fold(full)):
            continue
        j = i + len(alias)
        if _WORD_CHAR.match(fres[j : j + 1] or " ") or (i > 0 and _WORD_CHAR.match(fres[i - 1])):
            continue
        result = result[:i] + full + result[j:]
        break
    return _MULTISPACE.sub(" ", result).strip()
