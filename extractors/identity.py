"""The document's own identity: kind, số ký hiệu, date, issuer, title, place,
signer and recipients (gold field ``document``).

A Vietnamese official document (thể thức, Nghị định 30/2020/NĐ-CP; Hướng dẫn
36-HD/VPTW for the Party) opens with a header — issuing body on the left
("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM / BAN CHẤP HÀNH"), quốc hiệu or the Party's
name on the right, "Số: 02/CTr-BCH", "Hà Nội, ngày 12 tháng 6 năm 2021" — then
the kind as a title ("NGHỊ QUYẾT", "CHƯƠNG TRÌNH HÀNH ĐỘNG") and the trích yếu
(what it is about). Trade-union texts often state the issuer in an enacting
sentence ("Ban Chấp hành LĐLĐ tỉnh Lai Châu ban hành Chương trình hành động
như sau:"). It closes with the signature (TM. BAN CHẤP HÀNH / CHỦ TỊCH / name)
and the Nơi nhận (recipients) list. An annex repeats the number and date:
"(Ban hành kèm theo Kế hoạch số 300/KH-TLĐ ngày 23 tháng 3 năm 2023)".

Blocks marked ``region`` "header", "signature" and "recipients" by the readers
are used where the format has a layout; the same patterns on the first and last
lines cover plain text, so every rendition gives the same answer. A blank draft
number ("Số:    /CTr-BCH") or date ("ngày   tháng   năm") gives null.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, Optional

import regex

from extractors import register
from extractors.symbols import find_symbols
from extractors.units import expand, find_units, fold, fold_prefix, head_at, held_body, is_office_holder
from pipeline import vocab
from pipeline.document import Block, ParsedDocument

_MD_NOISE = regex.compile(r"\[bookmark:[^\]]*\]|[*#_`|]+")
_SPACES = regex.compile(r"\s+")
_NUMBER_LEAD = regex.compile(r"(?<![\p{L}])Số\s*:?\s*", regex.IGNORECASE)
_DATE = regex.compile(
    # The place starts at a word's first letter: tried inside a long word it would rescan it (quadratic).
    r"(?:(?P<place>(?<![\p{L}.])[\p{Lu}][\p{L}.]*(?:[ \t]+(?:[\p{Lu}][\p{L}.]*|phố)){0,4})[ \t]*,[ \t]*)?"
    r"ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/|-)\s*(?P<m>\d{1,2})?\s*(?:năm|/|-)\s*(?P<y>\d{4})?",
    regex.IGNORECASE,
)
_BLANK_NUMBER = regex.compile(r"(?<![\p{L}])Số\s*:?\s*[.…_\s]*/", regex.IGNORECASE)
_BULLET = regex.compile(r"^\s*[-+•*–]\s*")
_UPPER_WORD = regex.compile(r"^[\p{Lu}\p{N}&.\-/]+$")
_NAME = regex.compile(r"^(?:[\p{Lu}][\p{Ll}]*\.?\s+){1,5}[\p{Lu}][\p{Ll}]*$|^(?:[\p{Lu}]+\s+){1,5}[\p{Lu}]+$")
_SYMBOLISH = regex.compile(r"[\d/]")
_DIGIT = regex.compile(r"\d")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_WORD_START = regex.compile(r"(?<=\s)\S")
_CITED_BY = regex.compile(r"(?<![\p{L}])(?:của|do|theo)\s*$", regex.IGNORECASE)  # "… của <unit> ban hành"
_ABOUT = regex.compile(r"\s*(?:V/v|V/V|v/v)\.?\s*:?\s*")  # "V/v hướng dẫn …" in a công văn
_HEADER_LIMIT = 40  # blocks: a header never runs longer
_OF = fold("của ")  # "CỦA BỘ CHÍNH TRỊ" after the kind names the issuer


@functools.lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    ident = vocab.load("document_identity")
    layout = vocab.load("layout")
    kinds = sorted(((fold(k["title"]), k["name"]) for k in ident["kinds"]), key=lambda kv: len(kv[0]), reverse=True)
    enacting = [fold(v) for v in ident["enacting_verbs"]]
    kind_words = sorted({fold(name) for _, name in kinds}, key=len, reverse=True)
    return {
        "enacting_re": regex.compile(
            r"(?<![\p{L}])(?:" + "|".join(map(regex.escape, enacting)) + r")\s+(?:" + "|".join(map(regex.escape, kind_words)) + r")(?![\p{L}])"
        ),
        "kinds": kinds,
        "enacting": enacting,
        "openers": [fold(v) for v in ident["body_openers"]],
        "kind_verbs": {fold(v) for v in ident["kind_verbs"]},
        "parts": [fold(v) for v in ident["issuer_parts"]],
        "places": [fold(v) for v in ident["place_words"]],
        "sub_bodies": sorted((fold(v) for v in ident["sub_bodies"]), key=len, reverse=True),
        "keep_upper": set(ident["keep_upper"]),
        # "(Ban hành kèm theo Kế hoạch số …": matched on the folded text (same offsets).
        "annex_re": regex.compile(
            r"(?<![\p{L}])(?:"
            + "|".join(regex.escape(fold(v)) for v in sorted(ident["annex_markers"], key=len, reverse=True))
            + r")\s+(?P<kind>[\p{L} ]{2,40}?)\s+"
            + regex.escape(fold("số"))
            + r"\s*"
        ),
        "mottos": [fold(m) for m in layout["mottos"]],
        "recipients": [fold(m) for m in layout["recipients"]],
        "recipients_len": max(len(fold(m)) for m in layout["recipients"]),
        "authority": sorted((fold(m) for m in layout["signature_authority"]), key=len, reverse=True),
        "titles": {fold(t) for t in layout["signer_titles"]},
    }


# Both substitutions leave most blocks as they are, and cost a scan each: first
# look for a character they would change (every character \s matches is below
# U+3001 and a str.isspace() one).
_NOISE_CHARS = "[*#_`|"
_OTHER_SPACES = tuple(c for c in map(chr, range(0x3001)) if c != " " and c.isspace() and _SPACES.match(c))


@functools.lru_cache(maxsize=8192)
def _clean(text: str) -> str:
    if any(c in text for c in _NOISE_CHARS):
        text = _MD_NOISE.sub(" ", text)
    if "  " in text or any(c in text for c in _OTHER_SPACES):
        text = _SPACES.sub(" ", text)
    return text.strip()


_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")


def _starts(folded: str, phrase: str) -> bool:
    """``folded`` opens with the whole word(s) ``phrase``."""
    return folded.startswith(phrase) and not _WORD_CHAR.match(folded[len(phrase) : len(phrase) + 1] or " ")


def _is_upper(text: str) -> bool:
    """Has letters, all upper-case (stops at the first lower-case letter)."""
    seen = False
    for c in text:
        if c.isalpha():
            if not c.isupper():
                return False
            seen = True
    return seen


# ---------------------------------------------------------------- zones


def _top_blocks(doc: ParsedDocument) -> list[Block]:
    """Blocks before the first numbered section (at most ``_HEADER_LIMIT``)."""
    first = doc.sections[0].start if doc.sections else len(doc.text)
    out = []
    for b in doc.document.blocks:
        if b.kind == "footnote" or b.start >= first or len(out) >= _HEADER_LIMIT:
            break
        out.append(b)
    return out


def _kind_at(block: Block) -> Optional[tuple[str, str]]:
    """(canonical kind, the rest of the line) when the block is a kind title ("NGHỊ QUYẾT", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "NGHỊ QUYẾT CỦA BỘ CHÍNH TRỊ")."""
    text = _clean(block.text)
    f = fold(text)
    for kind, name in _vocab()["kinds"]:
        if f.startswith(kind) and _is_upper(text[: len(kind)]):
            rest = text[len(kind) :]
            if rest[:1].isalpha() and rest[:1].isupper() and _is_upper(rest.split(" ")[0]):
                continue  # a longer upper-case word: not this kind
            return name, rest.strip(" :.-")
    return None


# ---------------------------------------------------------------- recasing


def _recase(upper: str, body: str, fbody: "_BodyFold") -> str:
    """Write an upper-case phrase in the case the body uses ("BỘ CHÍNH TRỊ" →
    "Bộ Chính trị"); words the body never writes in lower case stay as they are
    when they are symbols or numerals, else lower case. First letter capital."""
    keep = _vocab()["keep_upper"]
    words = upper.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(8, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            cased = _known_casing().get(fold(phrase))
            if cased is None and n > 1:
                # One word alone could be the capitalised start of a sentence ("Ban hành").
                cased = _body_casing(phrase, body, fbody)
            if cased is not None:
                out.append(cased)
                i += n
                break
        else:
            w = words[i]
            if w in keep or _SYMBOLISH.search(w) or (len(w) > 1 and "-" in w and _is_upper(w)):
                out.append(w)
            else:
                out.append(w.lower())
            i += 1
    text = " ".join(out)
    for j, c in enumerate(text):
        if c.isalpha():
            return text[:j] + c.upper() + text[j + 1 :]
    return text


@functools.lru_cache(maxsize=1)
def _known_casing() -> dict[str, str]:
    """Unit names and kinds of the gazetteers in their usual case."""
    units = vocab.load("units")
    names = [h["head"] for h in units["heads"]] + list(units["names"]) + list(units["abbreviations"].values())
    names += [k["name"] for k in vocab.load("document_identity")["kinds"]]
    known = {fold(n): n for n in names if not n.islower()}
    # Abbreviations stay in capitals ("LĐLĐ TỈNH NGHỆ AN" → "LĐLĐ tỉnh Nghệ An").
    known.update({fold(a): a for a in units["abbreviations"] if a.isupper()})
    return known


class _BodyFold:
    """``fold(body)``, folded the first time a casing is looked up: folding a
    whole document is costly and many documents never need it."""

    __slots__ = ("_body", "_folded")

    def __init__(self, body: str):
        self._body = body
        self._folded: Optional[str] = None

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self._body)
        return self._folded


def _body_casing(phrase: str, body: str, lazy_fbody: _BodyFold) -> Optional[str]:
    fp = fold(phrase)
    if not _WORD_CHAR.search(fp):
        return None
    fbody = lazy_fbody.folded
    start = 0
    for _ in range(50):
        i = fbody.find(fp, start)
        if i < 0:
            return None
        j = i + len(fp)
        bounded = (i == 0 or not fbody[i - 1].isalnum()) and (j >= len(fbody) or not fbody[j].isalnum())
        cand = body[i:j]
        if bounded and not _is_upper(cand):
            return cand
        start = i + 1
    return None


# ---------------------------------------------------------------- fields


def _find_number(text: str, start: int, end: int) -> Optional[tuple[Optional[str], int, int]]:
    """The số ký hiệu after "Số:" in ``text[start:end]``: ``(key, start, end)``,
    ``(None, start, end)`` for a blank draft number ("Số:   /CTr-BCH"), None when
    there is no "Số"."""
    for m in _NUMBER_LEAD.finditer(text, start, end):
        if _BLANK_NUMBER.match(text, m.start(), end):
            return None, m.start(), m.end()
        for sym in find_symbols(text, m.end(), min(end, m.end() + 40)):
            if sym.start - m.end() <= 2:
                return sym.key, sym.start, sym.end
            break
    return None


def _find_date(text: str, start: int, end: int) -> Optional[tuple[Optional[str], Optional[str], int, int]]:
    """(ISO date or None when blank, place or None) of the first "…, ngày … tháng … năm …"."""
    for m in _DATE.finditer(text, start, end):
        place = m.group("place")
        if place:
            # Drop a symbol glued before the place in a flattened header ("BCH Hà Nội").
            parts = [w for w in place.split(" ") if not _UPPER_WORD.match(w) or len(w) == 1]
            place = " ".join(parts) or None
        iso = None
        if m.group("d") and m.group("m") and m.group("y"):
            try:
                iso = date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
            except ValueError:
                iso = None
        return iso, place, m.start(), m.end()
    return None


def _annex_self_reference(doc: ParsedDocument, doc_type: Optional[str]) -> Optional[dict[str, Any]]:
    """Number and date from "(Ban hành kèm theo Kế hoạch số 300/KH-TLĐ ngày …)"."""
    text = doc.text
    for m in _vocab()["annex_re"].finditer(fold(text)):
        if doc_type and not fold(doc_type).startswith(fold(m.group("kind")).strip()) and not fold(m.group("kind")).startswith(fold(doc_type)):
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        syms = find_symbols(text, m.end(), min(line_end, m.end() + 40))
        if not syms or syms[0].start - m.end() > 2:
            continue
        found = _find_date(text, syms[0].end, line_end)
        return {
            "number": syms[0].key,
            "number_span": [syms[0].start, syms[0].end],
            "date": found[0] if found else None,
            "date_span": [found[2], found[3]] if found and found[0] else None,
        }
    return None


@functools.lru_cache(maxsize=None)
def _self_verb(kind: str) -> regex.Pattern:
    return regex.compile(r"(?<=[\p{L}.)] )" + regex.escape(kind) + r"(?= (?!" + regex.escape(fold("số")) + r")\p{L})")


def _complete_with_header(enacted: str, header: str) -> Optional[str]:
    """"Ban Thường vụ Tỉnh ủy" + header "Tỉnh ủy Bắc Ninh" → "Ban Thường vụ Tỉnh
    ủy Bắc Ninh": the enacting organ belongs to the body the header names in
    full. None when the names do not overlap that way."""
    fe = fold(enacted)
    we, wh = _words(enacted), _words(header)
    for k in range(min(len(we), len(wh) - 1), 1, -1):
        if we[-k:] == wh[:k] and k < len(we):
            # Cut the enacted name where the shared words start.
            starts = [m.start() for m in _WORDS.finditer(fe)]
            cut = starts[len(we) - k]
            return f"{enacted[:cut].rstrip()} {header}"
    return None


@functools.lru_cache(maxsize=None)
def _verb_before_kind(verb: str, kind: str) -> regex.Pattern:
    return regex.compile(r"(?<![\p{L}])" + regex.escape(verb) + r"\s+(?=" + regex.escape(kind) + r")")


def _enacting_issuer(doc: ParsedDocument, blocks: list[Block], doc_type: Optional[str]) -> Optional[tuple[str, int, int]]:
    """The unit just before "ban hành / xây dựng <kind>" in the opening paragraph."""
    if not doc_type:
        return None
    v = _vocab()
    kind_f = fold(doc_type).split(" ")[0]
    # A kind that is also a verb is itself the enacting verb: "Đoàn Chủ tịch Tổng
    # Liên đoàn Lao động Việt Nam báo cáo kết quả …" in a Báo cáo.
    self_verb = _self_verb(fold(doc_type)) if fold(doc_type) in v["kind_verbs"] else None
    text = doc.text
    for b in blocks:
        f = fold(b.text)
        patterns = [_verb_before_kind(verb, kind_f) for verb in v["enacting"]]
        if self_verb is not None:
            patterns.append(self_verb)
        for pattern in patterns:
            for m in pattern.finditer(f):
                verb_at = b.start + m.start()
                for unit in find_units(text, b.start, verb_at):
                    if text[unit.end : verb_at].strip():
                        continue
                    if is_office_holder(unit):
                        # "Bộ trưởng Bộ Y tế ban hành …": the body the office-holder heads.
                        unit = held_body(text, unit)
                        if unit is None:
                            continue
                    # "… của Thủ tướng Chính phủ ban hành Kế hoạch …" enacts a cited document.
                    if _CITED_BY.search(text[max(b.start, unit.start - 8) : unit.start]):
                        continue
                    return expand(unit.text), unit.start, unit.end
    return None


def _header_issuer(blocks: list[Block], kind_index: int, body: str, fbody: "_BodyFold") -> Optional[tuple[str, int, int]]:
    """Issuer from the upper-case lines above the title, left column of the header."""
    v = _vocab()
    lines: list[Block] = []
    for b in blocks[:kind_index]:
        text = _clean(b.text)
        f = fold(text)
        if not text or not _is_upper(text) or any(_starts(f, mo) for mo in v["mottos"]):
            continue
        if ":" in text or _NUMBER_LEAD.match(text) or _DATE.search(text) or fold(text) in v["titles"]:
            continue
        if len(text) < 3 or _DIGIT.search(text):
            continue
        lines.append(b)
    if not lines:
        return None
    lines = lines[:2]
    texts = [_clean(b.text) for b in lines]
    if len(texts) == 1:
        texts = _split_joined_header(texts[0])
    if len(texts) == 2:
        upper, lower = texts
        fl = fold(lower)
        if any(_starts(fl, p) for p in v["parts"]):
            name = f"{lower} {upper}"
        elif any(_starts(fl, p) for p in v["places"]):
            name = f"{upper} {lower}"
        else:
            name = lower
    else:
        name = texts[0]
    return expand(_recase(name, body, fbody)), lines[0].start, lines[-1].end


def _split_joined_header(line: str) -> list[str]:
    """"BỘ TÀI CHÍNH CỤC THUẾ" → ["BỘ TÀI CHÍNH", "CỤC THUẾ"]: the parent and the
    subordinate issuer of a header a reader joined into one line."""
    f = fold(line)
    first = find_units(line)
    start = first[0].start if first else 0
    head = head_at(line, start) if first else None
    skip = head[1] if head else 0
    for m in _WORD_START.finditer(f):
        if m.start() <= skip:
            continue
        if f[m.start() - 4 : m.start()] == _OF[:4]:
            continue
        for sub in _vocab()["sub_bodies"]:
            if _starts(f[m.start() :], sub):
                return [line[: m.start()].strip(), line[m.start() :].strip()]
    return [line]


def _signature_blocks(doc: ParsedDocument) -> list[Block]:
    """The first signature block: the authority/title lines and what follows."""
    v = _vocab()
    blocks = [b for b in doc.document.blocks if b.kind != "footnote"]
    body_start = doc.sections[0].start if doc.sections else 0
    for i, b in enumerate(blocks):
        if b.start < body_start:
            continue
        if b.region == "signature":
            return blocks[i : i + 14]
        text = _clean(b.text)
        if _is_upper(text):  # cheap test first: the fold is needed only for upper-case lines
            f = fold(text)
            if any(_starts(f, a) for a in v["authority"]) or f in v["titles"]:
                return blocks[i : i + 14]
    return []


def _signer(sig: list[Block]) -> Optional[tuple[str, Optional[str], int, int]]:
    """(signer name, authority body, span) from a signature block."""
    v = _vocab()
    authority = None
    for b in sig:
        text = _clean(b.text)
        f = fold(text)
        if b.region == "recipients" or any(_starts(f, r) for r in v["recipients"]) or _BULLET.match(text):
            continue
        for a in v["authority"]:
            if _starts(f, a):
                authority = text[len(a) :].strip(" .")
                break
        if _is_upper(text) and (f in v["titles"] or authority is not None):
            continue
        if len(text.split()) > 6:
            break
        if _NAME.match(text) and not _is_upper(text):
            return text, authority, b.start, b.end
    return None


def _recipients(doc: ParsedDocument) -> list[str]:
    v = _vocab()
    blocks = [b for b in doc.document.blocks if b.kind != "footnote"]
    for i, b in enumerate(blocks):
        text = _clean(b.text)
        opening = fold_prefix(text, v["recipients_len"])  # most blocks: no need to fold them whole
        if not any(_starts(opening, r) for r in v["recipients"]):
            continue
        out: list[str] = []
        inline = text.split(":", 1)[1] if ":" in text else ""
        items = [x for x in regex.split(r"\s[-+•]\s|^[-+•]\s", inline) if x.strip()]
        for nxt in blocks[i + 1 : i + 30]:
            t = _clean(nxt.text)
            f = fold(t)
            if any(_starts(f, r) for r in v["recipients"]):
                break  # a second list (a certified copy's) starts
            if nxt.region == "recipients" or _BULLET.match(nxt.text):
                items.append(_BULLET.sub("", t))
                continue
            if nxt.region == "signature" or (_is_upper(t) and (f in v["titles"] or any(_starts(f, a) for a in v["authority"]))):
                continue
            break
        for item in items:
            item = item.strip(" ;,.")
            if item and not fold(item).startswith(fold("lưu")):
                out.append(item)
        return out
    return []


def _title(blocks: list[Block], kind_index: int, rest: str, body: str, fbody: "_BodyFold") -> Optional[tuple[str, int, int]]:
    """The trích yếu: the lines after the kind title, up to the body (or up to
    the issuing body printed under it: "VỀ CÁC GIẢI PHÁP … / CHÍNH PHỦ / Căn cứ …")."""
    v = _vocab()
    issuer_lines = _issuer_lines(blocks[:kind_index])
    parts: list[str] = []
    start = end = None
    if rest and not fold(rest).startswith(_OF):
        parts.append(rest)
        start, end = blocks[kind_index].end - len(rest), blocks[kind_index].end
    upper_title: Optional[bool] = _is_upper(rest) if parts else None
    for b in blocks[kind_index + 1 :]:
        text = _clean(b.text)
        f = fold(text)
        if not text or regex.fullmatch(r"[-_=*.…\s]+", text):
            if parts:
                break
            continue
        if f.startswith(_OF) and not parts:
            # "CỦA BỘ CHÍNH TRỊ": the issuer line; a trích yếu a reader joined to
            # it ("CỦA BAN CHẤP HÀNH … TỈNH về nâng cao …") starts the title.
            split = _of_line(text)
            if split is None or not split[1]:
                continue
            skip = b.text.find(split[1])
            text, f = split[1], fold(split[1])
            offset = b.start + max(skip, 0)
        else:
            offset = b.start
        if any(_starts(f, o) for o in v["openers"]) or text.endswith(":") or "như sau" in f or len(text) > 400:
            break
        if _NUMBER_LEAD.match(text) or any(_starts(f, mo) for mo in v["mottos"]):
            break
        cut = _opener_inside(f)
        if cut is not None:
            text, f = text[:cut].rstrip(), f[:cut].rstrip()
        if upper_title is not None and _is_upper(text) != upper_title:
            break
        if _enacts(f):
            break
        if parts and f.strip(" .") in issuer_lines:
            break
        if upper_title is None:
            upper_title = _is_upper(text)
        parts.append(text)
        start = offset if start is None else start
        end = offset + len(text) if cut is not None else b.end
        if len(parts) >= 6 or cut is not None:
            break
    if not parts:
        return None
    title = " ".join(parts)
    if upper_title:
        title = _recase(title, body, fbody)
    return title, start or 0, end or 0


def _issuer_lines(header: list[Block]) -> set[str]:
    """Folded lines that name an issuing body: the header's upper-case lines and
    the bodies of the gazetteer that issue documents on their own ("CHÍNH PHỦ")."""
    lines = [fold(_clean(b.text)).strip(" .") for b in header if _is_upper(_clean(b.text))]
    # A two-line header ("ỦY BAN NHÂN DÂN / TỈNH NAM ĐỊNH") is repeated as one line.
    out = set(lines) | {f"{a} {b}" for a, b in zip(lines, lines[1:])}
    out.update(_issuing_bodies())
    out.discard("")
    return out


@functools.lru_cache(maxsize=1)
def _issuing_bodies() -> frozenset[str]:
    units = vocab.load("units")
    names = [h["head"] for h in units["heads"] if not h.get("needs_name") and not h.get("dependent") and not h.get("holder")]
    return frozenset(fold(n) for n in names + list(units["names"]) if n[:1].isupper())


def _opener_inside(folded: str) -> Optional[int]:
    """Where a body opener ("Căn cứ …") starts inside a block a reader merged with
    the title line, or None."""
    for o in _vocab()["openers"]:
        i = folded.find(" " + o + " ")
        if i > 0:
            return i
    return None


def _enacts(folded: str) -> bool:
    """An opening sentence that enacts: "…, Ban Chấp hành … ban hành Chương trình
    hành động như sau:" (a verb of enacting, then a kind, after an opening clause)."""
    m = _vocab()["enacting_re"].search(folded)
    return bool(m) and ("," in folded[: m.start()] or "như sau" in folded or folded.rstrip().endswith(":"))


def _of_line(text: str) -> Optional[tuple[str, str]]:
    """Split the line under a Party kind title, "CỦA <issuer>", from a trích yếu a
    reader joined to it: ("CỦA BAN CHẤP HÀNH … TỈNH", "về nâng cao …"). The issuer
    is printed in capitals, so it ends at the first word with a lower-case letter,
    or, in a line all in capitals, before "VỀ". None when the line does not open
    with "CỦA" in capitals."""
    if not fold(text).startswith(_OF):
        return None
    lower = _LOWER_WORD.search(text)
    if lower:
        head, rest = text[: lower.start()].strip(), text[lower.start() :].strip()
    else:
        about = _UPPER_ABOUT.search(text)
        head, rest = (text[: about.start()].strip(), text[about.start() :].strip()) if about else (text.strip(), "")
    if len(_words(head)) < 2:
        return None  # "Của …" in normal case: not the issuer line
    return head, rest


_LOWER_WORD = regex.compile(r"(?<=\s)\S*\p{Ll}")
_UPPER_ABOUT = regex.compile(r"(?<=\s)(?:VỀ|V/V)(?=\s)")


def _header_place(name: str, header: list[Block]) -> Optional[str]:
    """The place a name leaves out: "BAN CHẤP HÀNH ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH"
    ends with a place word whose name the header gives ("ĐẢNG BỘ TỈNH BÌNH
    DƯƠNG" → "BÌNH DƯƠNG"). None when the name does not end with one."""
    f = fold(name).rstrip(" .")
    for place in _vocab()["places"]:
        if not (f.endswith(" " + place) or f == place):
            continue
        named = _place_named(place)
        for b in header:
            line = _clean(b.text)
            m = named.search(fold(line))
            if m and _is_upper(line):
                return line[m.start("n") :].strip()
        break
    return None


@functools.lru_cache(maxsize=None)
def _place_named(place: str) -> regex.Pattern:
    """A folded place word and the name after it, to the end of the line ("tỉnh bình dương")."""
    return regex.compile(r"(?<![\p{L}])" + regex.escape(place) + r"\s+(?P<n>[\p{L} \-]+)$")


def _issuer_from_kind_line(
    rest: str, next_block: Optional[Block], header: list[Block], body: str, fbody: "_BodyFold"
) -> Optional[str]:
    for cand in (rest, _clean(next_block.text) if next_block else ""):
        split = _of_line(cand)
        if split and _is_upper(split[0]):
            name = split[0][4:].strip()
            issuer = _recase(name, body, fbody)
            place = _header_place(name, header)
            if place:
                # A place name is a proper name: each syllable capitalised where the body never writes it.
                issuer += " " + (_body_casing(place, body, fbody) or place.title())
            return expand(issuer)
    return None


def _is_position(name: str) -> bool:
    """A signer's title ("BỘ TRƯỞNG", "KT. CỤC TRƯỞNG") rather than a body ("ỦY BAN NHÂN DÂN")."""
    f = fold(name)
    return f in _vocab()["titles"] or bool(_POSITION_RE.search(f))


# Words of a position, not of a body ("Cục trưởng", "Chủ nhiệm", "Giám đốc").
_POSITION_RE = regex.compile(
    r"(?<![\p{L}])(?:"
    + "|".join(regex.escape(fold(w)) for w in ("trưởng", "chủ nhiệm", "giám đốc", "chủ tịch", "bí thư", "thủ tướng", "tổng thư ký"))
    + r")(?![\p{L}])"
)


def _words(name: str) -> list[str]:
    return _WORDS.findall(fold(name))


def _issuer_below_title(blocks: list[Block], kind_index: int, body: str, fbody: "_BodyFold") -> Optional[tuple[str, int, int]]:
    """An upper-case unit line between the title and "Căn cứ …" (Quốc hội style:
    "NGHỊ QUYẾT / Về việc … / ỦY BAN THƯỜNG VỤ QUỐC HỘI / Căn cứ …")."""
    v = _vocab()
    for b in blocks[kind_index + 1 : kind_index + 6]:
        text = _clean(b.text)
        f = fold(text)
        if any(_starts(f, o) for o in v["openers"]):
            break
        if _is_upper(text) and not _DIGIT.search(text) and not any(_starts(f, mo) for mo in v["mottos"]):
            units = find_units(text)
            if units and units[0].start == 0 and units[0].end >= len(text) - 2:
                return expand(_recase(text, body, fbody)), b.start, b.end
    return None


@register("document")
def extract(doc: ParsedDocument, found: dict) -> dict[str, Any]:
    text = doc.text
    fbody = _BodyFold(text)
    top = _top_blocks(doc)
    record: dict[str, Any] = {
        "doc_type": None,
        "number": None,
        "date": None,
        "issuer": None,
        "title": None,
        "place": None,
        "signer": None,
        "recipients": [],
        "provenance": {},
    }
    prov = record["provenance"]

    kind_index = None
    rest = ""
    for i, b in enumerate(top):
        k = _kind_at(b)
        if k:
            kind_index, (record["doc_type"], rest) = i, k
            prov["doc_type"] = [b.start, b.start + len(_clean(b.text)) - len(rest)]
            break
    header_end = top[kind_index].end if kind_index is not None else (top[-1].end if top else 0)
    header_start = top[0].start if top else 0

    num = _find_number(text, header_start, header_end)
    if num and num[0]:
        record["number"], prov["number"] = num[0], [num[1], num[2]]
    when = _find_date(text, header_start, header_end)
    if when:
        record["date"], record["place"] = when[0], when[1]
        if when[0]:
            prov["date"] = [when[2], when[3]]
    if num is None and when is None:
        # No header: an annex may repeat the number and date.
        annex = _annex_self_reference(doc, record["doc_type"])
        if annex:
            record["number"], record["date"] = annex["number"], annex["date"]
            prov["number"] = annex["number_span"]
            if annex["date_span"]:
                prov["date"] = annex["date_span"]

    if kind_index is None and top:
        # A công văn has no kind title: its header ends at the "Số" line.
        head_end = next((i for i, b in enumerate(top) if _NUMBER_LEAD.match(_clean(b.text))), None)
        head = _header_issuer(top, head_end, text, fbody) if head_end is not None else None
        if head:
            record["issuer"], prov["issuer"] = head[0], [head[1], head[2]]
        # Its trích yếu follows "V/v" (về việc) under the number.
        for b in top:
            m = _ABOUT.match(b.text)
            if m and len(b.text) - m.end() > 3:
                record["title"], prov["title"] = b.text[m.end() :].strip(), [b.start + m.end(), b.end]
                break
    if kind_index is not None:
        t = _title(top, kind_index, rest, text, fbody)
        if t:
            record["title"], prov["title"] = t[0], [t[1], t[2]]
        nxt = top[kind_index + 1] if kind_index + 1 < len(top) else None
        issuer = _issuer_from_kind_line(rest, nxt, top[:kind_index], text, fbody)
        if issuer:
            record["issuer"] = issuer
            prov["issuer"] = [top[kind_index].start, (nxt or top[kind_index]).end]
        if record["issuer"] is None:
            enacted = _enacting_issuer(doc, top[kind_index + 1 :], record["doc_type"])
            head = _header_issuer(top, kind_index, text, fbody)
            # The enacting sentence names the organ ("Ban Chấp hành LĐLĐ tỉnh …"); the
            # header wins only when it says the same and more ("… tỉnh Lai Châu").
            completed = _complete_with_header(enacted[0], head[0]) if enacted and head else None
            if completed:
                record["issuer"], prov["issuer"] = completed, [enacted[1], enacted[2]]
            elif enacted and not (head and set(_words(enacted[0])) < set(_words(head[0]))):
                record["issuer"], prov["issuer"] = enacted[0], [enacted[1], enacted[2]]
            elif head:
                record["issuer"], prov["issuer"] = head[0], [head[1], head[2]]
            if not enacted and record["issuer"]:
                # The organ printed under the title ("BAN CHẤP HÀNH CÔNG ĐOÀN XÂY DỰNG
                # VIỆT NAM") wins when it says the same as the header and more.
                below = _issuer_below_title(top, kind_index, text, fbody)
                # An office-holder ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …") is not: the
                # header's body stays the issuer.
                if below and not _is_position(below[0]) and set(_words(record["issuer"])) < set(_words(below[0])):
                    record["issuer"], prov["issuer"] = below[0], [below[1], below[2]]
        if record["issuer"] is None:
            below = _issuer_below_title(top, kind_index, text, fbody)
            if below:
                record["issuer"], prov["issuer"] = below[0], [below[1], below[2]]

    sig = _signature_blocks(doc)
    signed = _signer(sig) if sig else None
    if signed:
        record["signer"], prov["signer"] = signed[0], [signed[2], signed[3]]
    if record["issuer"] is None and sig:
        for b in sig:
            t = _clean(b.text)
            for a in _vocab()["authority"]:
                body_name = t[len(a) :].strip(" .")
                if _starts(fold(t), a) and body_name and not _is_position(body_name):
                    record["issuer"] = expand(_recase(t[len(a) :].strip(" ."), text, fbody))
                    prov["issuer"] = [b.start, b.end]
                    break
            if record["issuer"]:
                break
    record["recipients"] = _recipients(doc)
    return record
