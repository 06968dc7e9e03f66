"""Citations: other documents this document refers to by số ký hiệu.

Every số ký hiệu in the text (found by :mod:`extractors.symbols`) is a mention of
the document it names, except

- the document's own number (``found["document"]["number"]``), also where its own
  annex repeats it ("(Ban hành kèm theo Kế hoạch số 300/KH-TLĐ …)"): an annex
  caption names the document it belongs to, never another one;
- a number line of a header or a copy stamp ("Số: 25-BS/VPTU"), and symbols of
  copies (bản sao);
- the symbols restated inside an alias definition "(sau đây gọi tắt là …)", which
  sit in the same reference as the full number.

At each mention the kind named before the number ("Nghị quyết số …", or implied
by the symbol), the date ("ngày 12/6/2021", "ngày 12 tháng 6 năm 2021"), the
issuer ("của Bộ Chính trị"), the quoted title ("về “…”") and the relation the
sentence states (thực hiện → implements, Căn cứ → based_on, …, from
``models/relations.yaml``) are read. A list sharing one date and issuer ("Quyết
định số 217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị")
gives them to each member.

Later short forms — "Nghị quyết 02", "Nghị quyết số 20 của Bộ Chính trị" — and
aliases introduced by "(sau đây gọi tắt là …)" count as mentions of the full
citation they stand for.

One record per distinct key: ``mentions`` (count), ``doc_type``/``date``/
``issuer``/``title`` from the first mention that states them, ``relations`` and
``occurrences`` with provenance.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any, Optional

import regex

from extractors import register
from extractors.symbols import Symbol, canonical_code, find_symbols
from pipeline import vocab
from pipeline.document import Block, ParsedDocument
from pipeline.normalize import fold_for_match


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class KindVocab:
    word_re: regex.Pattern  # a kind word ending right before a number
    named_re: regex.Pattern  # "Luật Tổ chức chính quyền địa phương số …"
    short_re: regex.Pattern  # "Nghị quyết 02", "Nghị quyết số 20"
    word_canon: dict[str, str]  # folded word → word as written in the vocabulary
    word_symbols: dict[str, frozenset[str]]  # folded word → kind symbols it can stand for
    symbol_kind: dict[str, str]  # kind symbol → kind name
    party_kind: dict[str, str]  # kind symbol → kind name in the Party form
    not_citable: frozenset[str]


@functools.lru_cache(maxsize=None)
def _kinds() -> KindVocab:
    word_canon: dict[str, str] = {}
    word_symbols: dict[str, set[str]] = {}
    symbol_kind: dict[str, str] = {}
    party_kind: dict[str, str] = {}
    not_citable: set[str] = set()
    for kind in vocab.load("doc_kinds")["kinds"]:
        symbols = kind.get("symbols") or []
        for sym in symbols:
            symbol_kind.setdefault(sym, kind["name"])
            party_kind.setdefault(sym, kind.get("party_name") or kind["name"])
            if kind.get("citable") is False:
                not_citable.add(sym)
        for word in kind.get("words") or [kind["name"]]:
            word_canon.setdefault(fold_for_match(word), word)
            word_symbols.setdefault(fold_for_match(word), set()).update(symbols)
    words = sorted({w for w in word_canon.values()}, key=len, reverse=True)
    alt = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)
    kw = rf"(?<!\p{{L}})(?P<kw>{alt})(?!\p{{L}})"
    so = r"(?:s[ốỐ]|S[ốỐ])"
    word_re = regex.compile(kw + rf"\s*(?:{so}\s*(?:[:.]\s*)?)?$", regex.IGNORECASE)
    named_re = regex.compile(kw + rf"(?P<name>(?:\s+[\p{{L}}\-–]+){{1,12}}?)\s+{so}\s*:?\s*$", regex.IGNORECASE)
    short_re = regex.compile(
        kw + rf"\s+(?:{so}\s*:?\s*)?(?P<num>\d{{1,5}}[a-zđ]?)(?![\p{{L}}\p{{N}}]|[.,]\d|\s*[-–/]\s*[\p{{L}}\p{{N}}])",
        regex.IGNORECASE,
    )
    return KindVocab(
        word_re, named_re, short_re, word_canon,
        {k: frozenset(v) for k, v in word_symbols.items()}, symbol_kind, party_kind, frozenset(not_citable),
    )


@dataclass(frozen=True)
class IssuerVocab:
    head_re: regex.Pattern  # an issuer phrase opening after "của"
    bodies: tuple[tuple[str, str], ...]  # (folded, as written), longest first
    central_code: str
    central_bodies: frozenset[str]  # folded
    inner_words: frozenset[str]  # lower-case words that may continue a body name


@functools.lru_cache(maxsize=None)
def _issuers() -> IssuerVocab:
    data = vocab.load("issuers")
    heads = sorted(data["issuer_heads"], key=len, reverse=True)
    # Print and OCR write D for Đ ("LĐLD tỉnh"): a head matches either way.
    alts = [regex.escape(h).replace(r"\ ", r"\s+").replace("Đ", "[ĐD]").replace("đ", "[đd]") for h in heads]
    head_re = regex.compile(r"(?:" + "|".join(alts) + r")(?!\p{Ll})", regex.IGNORECASE)
    names = set(data["bodies"]) | {c["name"] for c in data["codes"]}
    bodies = tuple(sorted(((fold_for_match(n), n) for n in names), key=lambda b: len(b[0]), reverse=True))
    central = data["central_party"]
    # Lower-case words that occur inside body names ("Ban Chấp hành", "Ủy ban nhân
    # dân tỉnh"): any other lower-case word ends an issuer phrase.
    inner = {w for n in list(names) + heads for w in n.split() if w.islower()}
    inner |= set(data.get("name_words") or [])
    return IssuerVocab(
        head_re, bodies, central["code"], frozenset(fold_for_match(b) for b in central["bodies"]), frozenset(inner)
    )


@functools.lru_cache(maxsize=None)
def _relations() -> tuple[regex.Pattern, dict[str, tuple[str, int]], regex.Pattern, regex.Pattern]:
    data = vocab.load("relations")
    cue_rel: dict[str, tuple[str, int]] = {}
    for rank, entry in enumerate(data["relations"]):
        for cue in entry["cues"]:
            cue_rel.setdefault(fold_for_match(cue), (entry["relation"], rank))
    alt = "|".join(regex.escape(c).replace(r"\ ", r"\s+") for c in sorted(cue_rel, key=len, reverse=True))
    # Cues are matched on folded text (lower case, đ → d) so the table keys match.
    cue_re = regex.compile(rf"(?<!\p{{L}})(?:{alt})(?!\p{{L}})")
    passive = "|".join(regex.escape(fold_for_match(p)) for p in sorted(data["passive"], key=len, reverse=True))
    passive_re = regex.compile(rf"(?:{passive})\s*$")
    ignore = "|".join(regex.escape(fold_for_match(p)).replace(r"\ ", r"\s+") for p in data.get("ignore") or [])
    ignore_re = regex.compile(rf"(?<!\p{{L}})(?:{ignore})(?!\p{{L}})" if ignore else r"(?!)")
    return cue_re, cue_rel, passive_re, ignore_re


# --------------------------------------------------------------------------- patterns

_DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d\d)"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s*th[áa]ng\s+(?P<m2>\d{1,2})\s*,?\s+n[ăa]m\s+(?P<y2>(?:19|20)\d\d)"
# "ngày 12/6/2021", "ngày 12 tháng 6 năm 2021", "ban hành ngày …", "(ngày …)".
_DATE_AT = regex.compile(
    rf"^[\s,]*(?:\(\s*)?(?:(?:được\s+)?ban\s+hành\s+)?ngày\s*(?:ngày\s*)?(?:{_DATE_NUMERIC}|{_DATE_WORDS})\s*\)?", regex.IGNORECASE
)
# "của Bộ Chính trị", optionally after a term "(khóa XI)".
_OF = regex.compile(r"^[\s,]*(?:\(?\s*kh[óo]a\s+(?-i:[IVXLC]+)\s*\)?\s*,?\s*)?của\s+", regex.IGNORECASE)
_TERM = regex.compile(
    r"^[\s,]*\(?\s*(?:kh[óo]a|nhiệm\s+kỳ)\s+(?-i:[IVXLC]+\b|\d{4}\s*[-–]\s*\d{4})\s*\)?", regex.IGNORECASE
)
# Where an issuer phrase stops: punctuation, a term, or a word that starts what
# the document is about or does.
_ISSUER_STOP = regex.compile(
    r"\s*(?:[,;:()“”\"\[\]]|\.(?!\p{L})|\s[-–]\s|$|\s\d)"
    r"|\s+(?:về|khóa|khoá|nhiệm\s+kỳ|ban\s+hành|quy\s+định|hướng\s+dẫn|thực\s+hiện|triển\s+khai|phê\s+duyệt"
    r"|đã|nhằm|tại|theo|đối\s+với|sửa\s+đổi|trong|giai\s+đoạn|và|thông\s+qua|năm|ngày|số|tiếp\s+tục|là"
    r"|được|cho|với|để|gồm|có|kèm|lần|đến|từ|khoảng|đề\s+nghị|yêu\s+cầu|giao|chỉ\s+đạo|trình|nêu|như|này)(?!\p{L})",
    regex.IGNORECASE,
)
_PLACE_WORDS = frozenset({"tỉnh", "phố", "huyện", "quận", "xã", "phường", "trấn"})
_BRACKET_ACRONYM = regex.compile(r"\s*\(\s*\p{Lu}{2,}\s*\)")
# "… của Bộ Chính trị tại Thông báo số 114-TB/TW": the issuer named before.
_ISSUER_BEFORE = regex.compile(r"của\s+(?P<body>[^,;:()“”\"]{2,90}?)\s+(?:tại|theo|trong|ở)\s*$", regex.IGNORECASE)
_TITLE = regex.compile(
    r"^[\s,]*(?:\(\s*kh[óo]a\s+(?-i:[IVXLC]+)\s*\)\s*,?\s*)?(?:[“\"]\s*về\s+(?:việc\s+)?(?P<t1>[^”\"]{3,600})[”\"]"
    r"|về\s+(?:việc\s+)?[“\"](?P<t2>[^”\"]{3,600})[”\"])",
    regex.IGNORECASE,
)
# A list goes on: "…217-QĐ/TW, Quyết định số 218-QĐ/TW" / "…10b/NQ-BCH và 10c/NQ-BCH".
_LIST_GAP = regex.compile(r"^\s*(?:,|và|hoặc|,\s*và)?\s*(?:số\s*)?$", regex.IGNORECASE)
_ALIAS = regex.compile(
    r"\(\s*(?:sau\s+đây|dưới\s+đây)?\s*(?:được\s+)?(?:gọi|viết)(?:\s+(?:tắt|là)){1,3}\s+(?P<alias>[^()]{2,160}?)\s*\)",
    regex.IGNORECASE,
)
# A block that is an annex caption "(Kèm theo Kế hoạch số …)": it names the
# document the annex belongs to.
_ANNEX_CAPTION = regex.compile(r"^\s*\(?\s*(?:ban\s+hành\s+)?kèm\s+theo\s", regex.IGNORECASE)
# "Số: 300/KH-TLĐ" / "Số hiệu: …" (also on the line before): a number line of a
# header, a copy stamp or a catalogue record, where "Số" follows no kind word.
_NUMBER_LINE = regex.compile(r"(?:^|[^\p{L}])S[ốỐ](?:\s+(?:hiệu|ký\s+hiệu|HIỆU|KÝ\s+HIỆU))?\s*:?\s*$")
_SENTENCE_END = regex.compile(r"[.;:!?…”\")]\s*$")
_CONTINUES = regex.compile(r"\s*(?:\p{Ll}|\d)")
_ALIAS_TAIL = regex.compile(r"\s+(?:này|trên|nêu\s+trên)$", regex.IGNORECASE)


# --------------------------------------------------------------------------- mentions


@dataclass
class Mention:
    start: int  # of the text naming it (kind word, or the symbol)
    end: int  # end of the symbol / short form
    key: str
    form: str  # "full" | "short" | "alias"
    symbol: Optional[Symbol] = None
    number: Optional[str] = None
    kind_word: Optional[str] = None  # as named before the number, vocabulary spelling
    doc_type: Optional[str] = None  # kind word, else implied by the symbol
    date: Optional[str] = None
    issuer: Optional[str] = None
    title: Optional[str] = None
    relation: str = "mentions"
    attrs_end: int = 0  # where the date/issuer/title that follow it end
    kinds: frozenset[str] = field(default_factory=frozenset)


def _parse_date(m: regex.Match) -> Optional[str]:
    d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (m.group("d2"), m.group("m2"), m.group("y2"))
    try:
        return datetime.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _fix_acronyms(phrase: str) -> str:
    """Upper-case tokens in their official spelling: "Tổng LĐLD" → "Tổng LĐLĐ"."""

    def fix(m: regex.Match) -> str:
        tok = m.group(0)
        canon = canonical_code(tok)
        return canon if canon and fold_for_match(canon) == fold_for_match(tok) else tok

    return regex.sub(r"(?<!\p{L})\p{Lu}{2,}(?!\p{L})", fix, phrase)


def read_issuer(text: str, pos: int, limit: int) -> tuple[Optional[str], int]:
    """The issuing body named at ``text[pos:]`` (right after "của"), and its end."""
    iv = _issuers()
    window = text[pos:limit]
    if not iv.head_re.match(window):
        return None, pos
    folded = fold_for_match(window)
    known: Optional[str] = None
    known_len = 0
    for fold, name in iv.bodies:
        if folded.startswith(fold) and (len(folded) == len(fold) or not folded[len(fold)].isalpha()):
            known, known_len = name, len(fold)
            break
    # An acronym in brackets inside the name is dropped: "Tổng Liên đoàn Lao động
    # (LĐLĐ) Việt Nam" → "Tổng Liên đoàn Lao động Việt Nam".
    skipped: list[tuple[int, int]] = []
    at = known_len if known else 1
    while True:
        stop = _ISSUER_STOP.search(window, at)
        bracket = _BRACKET_ACRONYM.match(window, stop.start()) if stop else None
        if bracket is None:
            break
        skipped.append((bracket.start(), bracket.end()))
        at = bracket.end()
    end = stop.start() if stop else min(len(window), 80)
    end = _extend_to_known_body(folded, end, iv)
    phrase = window[:end]
    for a, b in reversed(skipped):
        phrase = phrase[:a] + " " + phrase[b:]
    phrase = _trim_issuer(regex.sub(r"\s+", " ", phrase).strip(), len(known) if known else 0, iv)
    if known and fold_for_match(phrase) == fold_for_match(known):
        phrase = known  # the usual spelling ("Bộ chính trị" → "Bộ Chính trị")
    if not phrase or len(phrase.split()) > 14:
        return None, pos
    return _fix_acronyms(phrase), pos + end


def _trim_issuer(phrase: str, keep: int, iv: IssuerVocab) -> str:
    """Cut the phrase at the first word that cannot belong to a body's name.

    Body names are capitalised words, acronyms and a few lower-case words
    ("Ủy ban nhân dân tỉnh"); text run on after a missing comma ("Chính phủ chi
    tiết …") is not.
    """
    out: list[str] = []
    pos = 0
    in_place = False  # after "tỉnh", "thành phố"…: a place name, all capitalised
    for i, tok in enumerate(phrase.split(" ")):
        # A lower-case syllable right after a capitalised one is part of the same
        # word ("Pháp chế", "Hải quan", "Bộ trưởng"), except in a place name.
        second_syllable = i > 0 and out[-1][:1].isupper() and not in_place
        if i > 0 and pos >= keep and tok.islower() and tok not in iv.inner_words and not second_syllable:
            break
        if tok.islower() and tok in _PLACE_WORDS:
            in_place = True
        elif tok.islower() and in_place and out and out[-1][:1].isupper():
            break
        out.append(tok)
        pos += len(tok) + 1
    return " ".join(out)


def _extend_to_known_body(folded: str, end: int, iv: IssuerVocab) -> int:
    """Do not cut a known body at a word of its own name ("Bộ Khoa học và Công nghệ")."""
    for fold, _ in iv.bodies:
        at = folded.find(fold, 0, end + len(fold))
        while at != -1 and at < end:
            boundary_before = at == 0 or not folded[at - 1].isalpha()
            after = at + len(fold)
            boundary_after = after >= len(folded) or not folded[after].isalpha()
            if boundary_before and boundary_after and after > end:
                return after
            at = folded.find(fold, at + 1, end + len(fold))
    return end


def read_attributes(text: str, pos: int, limit: int) -> tuple[Optional[str], Optional[str], Optional[str], int]:
    """Date, issuer and quoted title stated right after a mention, in any order."""
    date = issuer = title = None
    for _ in range(4):
        rest = text[pos:limit]
        m = _DATE_AT.match(rest)
        if m and date is None:
            date = _parse_date(m)
            pos += m.end()
            continue
        m = _OF.match(rest)
        if m and issuer is None:
            found, end = read_issuer(text, pos + m.end(), limit)
            if found:
                issuer = found
                pos = end
                continue
        m = _TERM.match(rest)
        if m and (date or issuer):
            pos += m.end()
            continue
        break
    m = _TITLE.match(text[pos:limit])
    if m:
        title = (m.group("t1") or m.group("t2")).strip()
        pos += m.end()
    return date, issuer, title, pos


def _issuer_before(text: str, start: int, floor: int) -> Optional[str]:
    """"… của Bộ Chính trị tại Thông báo số …": the issuer named before the kind."""
    lo = max(floor, start - 120)
    m = _ISSUER_BEFORE.search(text[lo:start])
    if m is None:
        return None
    return read_issuer(text, lo + m.start("body"), lo + m.end("body"))[0]


def _kind_before(text: str, start: int, floor: int) -> tuple[Optional[str], int]:
    """The kind word naming the number that starts at ``start`` and where it starts."""
    kv = _kinds()
    window = text[max(floor, start - 160):start]
    base = start - len(window)
    m = kv.word_re.search(window)
    if m is None:
        m = kv.named_re.search(window)
        if m is not None and regex.search(r"[\d“”\"]", m.group("name")):
            m = None
    if m is None:
        return None, start
    return kv.word_canon[fold_for_match(m.group("kw"))], base + m.start()


def _implied_kind(sym: Symbol) -> Optional[str]:
    kv = _kinds()
    if sym.kind is None:
        return "Công văn"
    table = kv.party_kind if sym.form == "party" else kv.symbol_kind
    return table.get(sym.kind)


def _mask_quotes(text: str) -> str:
    """Blank out quoted titles so cue words inside them do not count."""
    return regex.sub(r"[“\"][^”\"]*[”\"]", lambda m: " " * len(m.group(0)), text)


def _quote_depth(text: str) -> int:
    return max(0, text.count("“") - text.count("”")) + text.count('"') % 2


def relation_of(text: str, start: int, end: int) -> Optional[str]:
    """The relation stated by cue words in ``text[start:end]``; None when there is none."""
    cue_re, cue_rel, passive_re, ignore_re = _relations()
    window = fold_for_match(_mask_quotes(text[start:end]))
    ignored = [(m.start(), m.end()) for m in ignore_re.finditer(window)]
    best: Optional[tuple[int, int, str]] = None  # (end, length, relation)
    reviews_at: Optional[int] = None
    for m in cue_re.finditer(window, overlapped=True):
        if passive_re.search(window[max(0, m.start() - 12):m.start()]) or _overlaps(m.start(), m.end(), ignored):
            continue
        rel, _ = cue_rel[regex.sub(r"\s+", " ", m.group(0))]
        if rel == "reviews":
            reviews_at = m.end()
        cand = (m.end(), m.end() - m.start(), rel)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None:
        return None
    # "Tổng kết 15 năm triển khai X": the review is what this document does.
    if best[2] == "implements" and reviews_at is not None and best[0] - reviews_at <= 40:
        return "reviews"
    return best[2]


def _sentence_start(doc: ParsedDocument, offset: int, block: Block) -> int:
    sent = doc.sentence_at(offset)
    return max(sent.start, block.start) if sent else block.start


def _own_symbols(found: dict) -> tuple[set[str], list[Symbol]]:
    """The document's own number (from the identity extractor): folded keys and symbols."""
    ident = found.get("document") or {}
    number = ident.get("number") if isinstance(ident, dict) else None
    if not number:
        return set(), []
    syms = find_symbols(number)
    return {fold_key(s.key) for s in syms} | {fold_key(number)}, syms


def fold_key(key: str) -> str:
    return regex.sub(r"\s+", "", fold_for_match(key))


def _complete(sym: Symbol, issuer: Optional[str]) -> Optional[Symbol]:
    """"Chỉ thị số 03-CT của Bộ Chính trị" → 03-CT/TW; None if it cannot be told."""
    iv = _issuers()
    if issuer and any(fold_for_match(issuer).startswith(b) for b in iv.central_bodies):
        return sym.with_body(iv.central_code)
    return None


def full_mentions(doc: ParsedDocument, own: set[str]) -> tuple[list[Mention], list[tuple[int, int, str]]]:
    """Mentions by số ký hiệu, and the alias definitions attached to them."""
    text = doc.text
    kv = _kinds()
    mentions: list[Mention] = []
    aliases: list[tuple[int, int, str]] = []  # (start, end of the parenthesis, key)
    for i_block, block in enumerate(doc.document.blocks):
        if _ANNEX_CAPTION.match(block.text):
            continue
        alias_spans = [(block.start + m.start(), block.start + m.end(), m) for m in _ALIAS.finditer(block.text)]
        block_mentions: list[Mention] = []
        for sym in find_symbols(text, block.start, block.end):
            if any(a <= sym.start < b for a, b, _ in alias_spans):
                continue
            if sym.kind in kv.not_citable:
                continue
            kind_word, kstart = _kind_before(text, sym.start, _kind_floor(doc, i_block))
            if kind_word is None and _NUMBER_LINE.search(text[max(0, sym.start - 16):sym.start]):
                continue  # "Số: 300/KH-TLĐ", "Số hiệu:": the number of this document or of a copy
            date, issuer, title, attrs_end = read_attributes(text, sym.end, _attribute_limit(doc, i_block))
            if issuer is None:
                issuer = _issuer_before(text, kstart, block.start)
            if not sym.complete:
                completed = _complete(sym, issuer)
                if completed is None:
                    continue
                sym = completed
            if fold_key(sym.key) in own:
                continue
            mentions_kind = _implied_kind(sym)
            block_mentions.append(
                Mention(
                    start=kstart, end=sym.end, key=sym.key, form="full", symbol=sym, number=sym.number,
                    kind_word=kind_word, doc_type=kind_word or mentions_kind, date=date, issuer=issuer,
                    title=title, attrs_end=attrs_end,
                    kinds=frozenset([sym.kind]) if sym.kind else frozenset(),
                )
            )
        _share_list_attributes(text, block_mentions)
        _set_relations(doc, text, block, block_mentions)
        for a, b, m in alias_spans:
            owner = _alias_owner(text, a, block_mentions)
            alias = m.group("alias").strip()
            if owner is not None and _distinctive_alias(alias):
                aliases.append((a, b, owner.key))
            else:
                aliases.append((a, b, ""))  # a restatement or a generic name: only its span matters
        mentions.extend(block_mentions)
    return mentions, aliases


def _attribute_limit(doc: ParsedDocument, i: int) -> int:
    """Where the date and issuer after a mention can be read up to: the block's end,
    or the next block's when a hard-wrapped line broke the sentence ("ngày⏎05/02/2024")."""
    blocks = doc.document.blocks
    block = blocks[i]
    if i + 1 < len(blocks) and not _SENTENCE_END.search(block.text) and _CONTINUES.match(blocks[i + 1].text):
        return blocks[i + 1].end
    return block.end


def _kind_floor(doc: ParsedDocument, i: int) -> int:
    """How far back the kind word of a number can be: this block, or the previous
    one when a hard-wrapped line broke the sentence ("Nghị định số⏎262/2025/NĐ-CP")."""
    blocks = doc.document.blocks
    if i > 0 and blocks[i - 1].kind != "footnote" and not _SENTENCE_END.search(blocks[i - 1].text) and _CONTINUES.match(blocks[i].text):
        return blocks[i - 1].start
    return blocks[i].start


def _distinctive_alias(alias: str) -> bool:
    """An alias worth counting: not a symbol restated, not one kind word
    ("Chương trình hành động", "Quyết định này"), not a list of several."""
    if find_symbols(alias) or regex.search(r"\s(?:và|hoặc)\s|,", alias):
        return False
    bare = fold_for_match(_ALIAS_TAIL.sub("", alias.strip()))
    return bare not in _kinds().word_canon and len(bare.split()) >= 2


def _share_list_attributes(text: str, ms: list[Mention]) -> None:
    """Members of a list take the date, issuer and title stated after the last one."""
    for i in range(len(ms) - 2, -1, -1):
        cur, nxt = ms[i], ms[i + 1]
        if cur.attrs_end != cur.end:
            continue  # it states its own attributes
        if not _LIST_GAP.match(text[cur.end:nxt.start]):
            continue
        # A state number carries its year (06/2021/NĐ-CP): a date of another year
        # after the list belongs to the last member only.
        year = cur.symbol.year if cur.symbol is not None else None
        if nxt.date and not (year and not nxt.date.startswith(year)):
            cur.date = cur.date or nxt.date
        cur.issuer = cur.issuer or nxt.issuer
        cur.title = cur.title or nxt.title


def _set_relations(doc: ParsedDocument, text: str, block: Block, ms: list[Mention]) -> None:
    prev: Optional[Mention] = None
    for m in ms:
        sent_start = _sentence_start(doc, m.start, block)
        same_sentence = prev is not None and prev.end > sent_start
        lo = max(sent_start, prev.attrs_end) if same_sentence and prev else sent_start
        if _quote_depth(text[sent_start:m.start]) > 0:
            m.relation = "mentions"  # named inside another document's quoted title
        else:
            rel = relation_of(text, lo, m.start)
            if rel is None and same_sentence and prev is not None:
                rel = prev.relation
            m.relation = rel or "mentions"
        prev = m


def _alias_owner(text: str, paren_start: int, ms: list[Mention]) -> Optional[Mention]:
    """The citation an alias definition right after it renames."""
    kv = _kinds()
    before = [m for m in ms if m.end <= paren_start]
    if not before:
        return None
    owner = before[-1]
    gap = _mask_quotes(text[owner.attrs_end:paren_start])
    if regex.search(kv.word_re.pattern.replace("$", ""), gap, flags=regex.IGNORECASE):
        return None  # another (unnumbered) document is named in between
    return owner


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def short_mentions(
    doc: ParsedDocument, full: list[Mention], aliases: list[tuple[int, int, str]], own_symbols: list[Symbol]
) -> list[Mention]:
    """"Nghị quyết 02 của Bộ Chính trị", "Nghị quyết số 20" and aliases, resolved to full citations."""
    text = doc.text
    kv = _kinds()
    taken = [(m.start, m.end) for m in full] + [(a, b) for a, b, _ in aliases]
    out: list[Mention] = []
    by_key = {m.key: m for m in full}
    # Aliases first: "(sau đây gọi tắt là Nghị quyết 02 của Bộ Chính trị)".
    for a, b, key in aliases:
        if not key:
            continue
        alias = _ALIAS.match(text, a).group("alias").strip()
        pattern = regex.compile(r"(?<!\p{L})" + regex.escape(alias).replace(r"\ ", r"\s+") + r"(?!\p{L})", regex.IGNORECASE)
        for m in pattern.finditer(text, b):
            if _overlaps(m.start(), m.end(), taken):
                continue
            out.append(_derived(doc, by_key[key], m.start(), m.end(), "alias", None))
            taken.append((m.start(), m.end()))
    for m in kv.short_re.finditer(text):
        if _overlaps(m.start(), m.end(), taken):
            continue
        number = m.group("num").lower()
        word = fold_for_match(m.group("kw"))
        symbols = kv.word_symbols.get(word, frozenset())
        cands = [f for f in full if f.number == number and (f.kinds & symbols or (f.kind_word and fold_for_match(f.kind_word) == word))]
        if not cands or any(o.number == number and o.kind in symbols for o in own_symbols):
            continue  # no such citation, or "Nghị quyết 02" in Nghị quyết 02-NQ/TW itself
        issuer, end = None, m.end()
        of = _OF.match(text[m.end():m.end() + 40])
        if of:
            at = m.end() + of.end()
            issuer, iend = read_issuer(text, at, min(len(text), at + 120))
            if issuer:
                end = iend
        target = _resolve(cands, m.start(), issuer)
        occ = _derived(doc, target, m.start(), m.end(), "short", kv.word_canon[word])
        occ.issuer = issuer
        out.append(occ)
        taken.append((m.start(), end))
    return out


def _resolve(cands: list[Mention], at: int, issuer: Optional[str]) -> Mention:
    keys = {c.key for c in cands}
    if len(keys) == 1:
        return cands[0]
    if issuer:
        fi = fold_for_match(issuer)
        same = [c for c in cands if c.issuer and (fold_for_match(c.issuer).startswith(fi) or fi.startswith(fold_for_match(c.issuer)))]
        if len({c.key for c in same}) >= 1 and same:
            cands = same
    before = [c for c in cands if c.start < at]
    return before[-1] if before else cands[0]


def _derived(doc: ParsedDocument, target: Mention, start: int, end: int, form: str, kind_word: Optional[str]) -> Mention:
    block = doc.document.block_at(start)
    text = doc.text
    rel = "mentions"
    if block is not None:
        sent_start = _sentence_start(doc, start, block)
        if _quote_depth(text[sent_start:start]) == 0:
            rel = relation_of(text, sent_start, start) or "mentions"
    return Mention(
        start=start, end=end, key=target.key, form=form, number=target.number, kind_word=kind_word,
        doc_type=kind_word or target.doc_type, relation=rel, attrs_end=end, kinds=target.kinds,
    )


# --------------------------------------------------------------------------- records


def _occurrence(doc: ParsedDocument, m: Mention) -> dict[str, Any]:
    occ = {
        "text": doc.text[m.start:m.end],
        "form": m.form,
        "relation": m.relation,
        "date": m.date,
        "issuer": m.issuer,
        "doc_type": m.doc_type,
        "title": m.title,
    }
    occ.update(doc.provenance(m.start, m.end))
    return occ


def aggregate(doc: ParsedDocument, mentions: list[Mention]) -> list[dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    stated_type: dict[str, bool] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        fk = fold_key(m.key)
        rec = records.get(fk)
        if rec is None:
            rec = records[fk] = {
                "key": m.key, "doc_type": None, "date": None, "issuer": None, "title": None,
                "mentions": 0, "relations": [], "dates": [], "occurrences": [],
            }
        rec["mentions"] += 1
        if m.kind_word and m.form == "full" and not stated_type.get(fk):
            rec["doc_type"] = m.kind_word
            stated_type[fk] = True
        elif rec["doc_type"] is None and m.form == "full":
            rec["doc_type"] = m.doc_type
        for field_name in ("date", "issuer", "title"):
            if rec[field_name] is None and getattr(m, field_name) and m.form == "full":
                rec[field_name] = getattr(m, field_name)
        if m.date and m.date not in rec["dates"]:
            rec["dates"].append(m.date)
        if m.relation not in rec["relations"]:
            rec["relations"].append(m.relation)
        rec["occurrences"].append(_occurrence(doc, m))
    for rec in records.values():
        if rec["doc_type"] is None:
            rec["doc_type"] = rec["occurrences"][0]["doc_type"]
        if len(rec["relations"]) > 1 and "mentions" in rec["relations"]:
            rec["relations"].remove("mentions")
    return list(records.values())


@register("citations")
def extract(doc: ParsedDocument, found: dict) -> list[dict[str, Any]]:
    own_keys, own_symbols = _own_symbols(found)
    full, aliases = full_mentions(doc, own_keys)
    short = short_mentions(doc, full, aliases, own_symbols)
    return aggregate(doc, full + short)
