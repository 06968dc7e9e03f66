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
issuer ("của Bộ Chính trị"; else written between kind and "số": "Kết luận liên
ngành Tư pháp Trung ương số 23/KL-LNTPTW"; else named before: "của Bộ Chính trị
tại …", "các công điện của Thủ tướng Chính phủ, đặc biệt là …", "Đoàn Chủ tịch
ban hành …"), the quoted title ("về “…”") and the relation the sentence states
(thực hiện → implements, Căn cứ → based_on, …, from ``models/relations.yaml``)
are read. A list of one series (same kind or same issuing code) sharing one date
and issuer ("Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của
Bộ Chính trị"; "Báo cáo số 116/BC-BPC ngày … và Báo cáo số 122/BC-BPC ngày … của
Ban Pháp chế") gives them to each member.

Later short forms — "Nghị quyết 02", "Nghị quyết số 20 của Bộ Chính trị", a
short name from the description carrying the number ("Bộ chỉ số 766" after
"Quyết định số 766/QĐ-TTg … phê duyệt Bộ chỉ số …"), a numbered law named again
("Luật Công đoàn năm 2024" after "Luật Công đoàn số 50/2024/QH15", not inside
another document's description) — and aliases introduced by "(sau đây gọi tắt
là …)" or by a bare parenthesis carrying the number ("(Bộ chỉ số 766)") count as
mentions of the full citation they stand for. A parenthesis that only restates
the number of a reference just made ("… (Nghị quyết số 163/2024/QH15)") is part
of that reference.

One record per distinct key: ``mentions`` (count), ``doc_type``/``date``/
``issuer``/``title`` from the first mention that states them, ``relations`` and
``occurrences`` with provenance.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, NamedTuple, Optional

import regex

from extractors import register
from extractors.symbols import Symbol, canonical_code, find_symbols
from pipeline import normalize, vocab
from pipeline.document import Block, ParsedDocument

# Windows and names are folded again and again (issuers, kind words, keys):
# folding is pure, so it is cached.
fold_for_match = functools.lru_cache(maxsize=1 << 14)(normalize.fold_for_match)


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


# The number that ends a short mention ("Nghị quyết 02"), not a date, a decimal or
# a symbol; shared with the search for where short mentions can end.
_SHORT_NUMBER = r"(?P<num>\d{1,5}[a-zđ]?)(?![\p{L}\p{N}]|[.,]\d|\s*[-–/]\s*[\p{L}\p{N}])"


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
    short_re = regex.compile(kw + rf"\s+(?:{so}\s*:?\s*)?" + _SHORT_NUMBER, regex.IGNORECASE)
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
    subject_re: regex.Pattern  # "Ban Chỉ đạo … về <subject>": a body named by its subject


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
    subject_heads = "|".join(
        regex.escape(h).replace(r"\ ", r"\s+") for h in sorted(data.get("subject_bodies") or [], key=len, reverse=True)
    )
    # The head, then a level or place qualifier ("Trung ương", "tỉnh", "quốc gia"), then "về".
    subject_re = regex.compile(
        rf"(?:{subject_heads})(?:\s+(?:\p{{Lu}}\p{{L}}*|ương|quốc\s+gia|tỉnh|thành\s+phố|huyện|xã|phường|cấp\s+\p{{Ll}}+)){{0,4}}\s+về\s+"
        if subject_heads else r"(?!)"
    )
    return IssuerVocab(
        head_re, bodies, central["code"], frozenset(fold_for_match(b) for b in central["bodies"]), frozenset(inner),
        subject_re,
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
# the document is about or does (also capitalised: "của Chính phủ Quy định chi
# tiết …"), except "chỉ đạo" in "Ban Chỉ đạo".
_ISSUER_STOP_WORDS = (
    "về", "ban hành", "quy định", "hướng dẫn", "thực hiện", "triển khai", "phê duyệt", "đã", "nhằm", "tại",
    "theo", "đối với", "sửa đổi", "trong", "giai đoạn", "và", "thông qua", "năm", "ngày", "số", "tiếp tục",
    "là", "được", "cho", "với", "để", "gồm", "có", "kèm", "lần", "đến", "từ", "khoảng", "đề nghị", "yêu cầu",
    "giao", "trình", "nêu", "như", "này", "giữa", "khóa", "khoá", "nhiệm kỳ",
    # verbs that open a trích yếu, often capitalised ("… tỉnh Bình Phước Thành lập …")
    "thành lập", "bổ sung", "điều chỉnh", "bãi bỏ", "hủy bỏ", "công nhận", "cho phép", "chấp thuận", "kiện toàn",
    "giải thể", "sáp nhập", "tách", "không", "chi tiết", "công bố",
)


def _word_alternation(words: tuple[str, ...]) -> str:
    forms = sorted({f for w in words for f in (w, w.upper())}, key=len, reverse=True)
    return "|".join(regex.escape(f).replace(r"\ ", r"\s+") for f in forms)


_ISSUER_STOP = regex.compile(
    r"\s*(?:[,;:()“”\"\[\]]|\.(?!\p{L})|\s[-–]\s|$|\s\d)"
    r"|\s+(?:" + "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in _ISSUER_STOP_WORDS) + r")(?!\p{L})"
    r"|(?<!(?i:ban))\s+chỉ\s+đạo(?!\p{L})"
    r"|\s+(?-i:thi\s+hành)(?!\p{L})",  # lower case only: "Cục Thi hành án dân sự" is a name
    regex.IGNORECASE,
)
# Where the subject of a body named by its subject ends: its name runs over
# commas and "và" ("Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng
# tạo và chuyển đổi số tỉnh") up to other punctuation, a date, a number or a verb.
_SUBJECT_NAME_STOP = regex.compile(
    r"\s*(?:[;:()“”\"\[\]]|\.(?!\d)|,\s*(?=\p{Lu}|\d)|\s[-–]\s(?=\p{Lu})|$|\s\d)"
    r"|\s+(?:(?i:khóa|khoá|nhiệm\s+kỳ)|" + _word_alternation(
        ("ngày", "ban hành", "tại", "đã", "được", "sẽ", "đang", "nhằm", "để", "theo", "phê duyệt", "quy định",
         "hướng dẫn", "về việc", "kèm", "thông qua", "trình", "đề nghị", "yêu cầu", "giao", "chỉ đạo", "của", "năm",
         "là", "với", "đối với", "thực hiện", "triển khai", "giữa")
    ) + r"|số(?=\s*[:\d]))(?!\p{L})"
)
_MAX_SUBJECT_NAME_WORDS = 30
# Parts of one body's name: "… và Đào tạo", "… - Xã hội", "…, Thể thao và Du lịch".
_JOINED_PART = regex.compile(r"\s+(?:và|[-–])\s+(?=\p{Lu})")
_COMMA_PART = regex.compile(r",\s+(?=\p{Lu})")
_COMMA_THEN_AND = regex.compile(r",\s+\p{Lu}\p{Ll}*(?:\s+\p{Ll}+)?\s+và\s+\p{Lu}")
_BARE_OFFICES = frozenset({"bộ trưởng", "thứ trưởng", "chủ tịch", "giám đốc", "thủ trưởng", "tổng giám đốc"})
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
# "… Đoàn Chủ tịch đã ban hành Kế hoạch số": the issuing body is the subject.
_ISSUING = regex.compile(r"\s+(?:đã\s+|vừa\s+|mới\s+)?ban\s+hành\s*$")
_CAPITALISED = regex.compile(r"(?<!\p{L})\p{Lu}")
# After a law's name: punctuation or a word that does not continue the name.
_LAW_NAME_END = regex.compile(
    r"\s*(?:[,;.:)(…\"”]|$)|\s+(?:và|của|về|để|đã|được|trong|theo|cho|với|tại|thì|mà|là|này|hiện\s+hành|quy\s+định|"
    r"đối\s+với|nhằm|đến|từ|có|sẽ|đang|vào|trên|khi)(?!\p{L})"
)
# Words that open what a reference says its document is or does.
_DESCRIBES = regex.compile(
    r"\s*,?\s*(?:quy\s+định|về|ban\s+hành|phê\s+duyệt|hướng\s+dẫn|sửa\s+đổi|bổ\s+sung|công\s+bố|kèm\s+theo|"
    r"thông\s+qua|thành\s+lập|triển\s+khai|thực\s+hiện|cập\s+nhật)(?!\p{L})",
    regex.IGNORECASE,
)
_AMENDED_LAW = regex.compile(r"\s*\(?\s*(?:sửa\s+đổi|mới)", regex.IGNORECASE)
_DRAFT_BEFORE = regex.compile(r"(?:dự\s+thảo|đề\s+xuất|xây\s+dựng|soạn\s+thảo)\s*$", regex.IGNORECASE)
# A parenthesis that may restate or rename the reference before it.
_BARE_PAREN = regex.compile(r"\(\s*(?P<alias>[^()]{2,90}?)\s*\)")
# "Bộ chỉ số 766", "Đề án 06": a short name carrying the number.
_NUMBERED_ALIAS = regex.compile(r"(?P<head>\p{Lu}\p{L}*(?:\s+\p{L}+){0,5}?)\s+(?:số\s+)?(?P<num>\d{1,5}[a-zđ]?)")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_DESCRIPTION_CHARS = 300
# "01 kênh", "02 năm": a number followed by a noun is a quantity, not a short name;
# after a short name come function words ("theo Bộ chỉ số 766 trên Cổng …").
_COUNTED_NOUN = regex.compile(
    r"\s+(?!(?:trên|của|và|về|theo|tại|đã|được|cho|với|để|trong|này|có|là|nhằm|đến|từ|khi|thì|mà|vẫn|còn|đều|"
    r"cũng|sẽ|đang|phải|cần|hằng|hàng|đạt|chưa|không|như|giai\s+đoạn|năm\s+\d)(?!\p{L}))\p{Ll}"
)
# The end of a sentence or clause between a reference and a parenthesis.
_SENTENCE_BREAK = regex.compile(r"[;!?]|\.\s+\p{Lu}")
# A block that is an annex caption "(Kèm theo Kế hoạch số …)": it names the
# document the annex belongs to.
_ANNEX_CAPTION = regex.compile(r"^\s*\(?\s*(?:ban\s+hành\s+)?kèm\s+theo\s", regex.IGNORECASE)
# "Số: 300/KH-TLĐ" / "Số hiệu: …" (also on the line before): a number line of a
# header, a copy stamp or a catalogue record, where "Số" follows no kind word.
_NUMBER_LINE = regex.compile(r"(?:^|[^\p{L}])S[ốỐ](?:\s+(?:hiệu|ký\s+hiệu|HIỆU|KÝ\s+HIỆU))?\s*:?\s*$")
_SENTENCE_END = regex.compile(r"[.;:!?…”\")]\s*$")
_CONTINUES = regex.compile(r"\s*(?:\p{Ll}|\d)")
_ALIAS_TAIL = regex.compile(r"\s+(?:này|trên|nêu\s+trên)$", regex.IGNORECASE)
_SPACES = regex.compile(r"\s+")
_ACRONYM = regex.compile(r"(?<!\p{L})\p{Lu}{2,}(?!\p{L})")
_QUOTE_OPEN = regex.compile(r"[“\"]")
_QUOTE_CLOSE = regex.compile(r"[”\"]")
_DIGIT_OR_QUOTE = regex.compile(r"[\d“”\"]")
_DIGIT = regex.compile(r"\d")
_TRUNG_UONG = regex.compile(r"(?i)trung\s+ương")
_CAPITALISED_WORD = regex.compile(r"\p{Lu}\p{L}*")
_OR_AND_COMMA = regex.compile(r"\s(?:và|hoặc)\s|,")


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str, flags: int = 0) -> regex.Pattern:
    """A pattern built from a document's own words (aliases, names), compiled once
    per worker: the same names recur across the renditions of a document."""
    return regex.compile(pattern, flags)


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
    issuer_before: bool = False  # the issuer was named before the mention, for a whole list
    name: Optional[str] = None  # a law's name between its kind and "số" ("Công đoàn")
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

    return _ACRONYM.sub(fix, phrase)


def read_issuer(text: str, pos: int, limit: int) -> tuple[Optional[str], int]:
    """The issuing body named at ``text[pos:]`` (right after "của"), and its end."""
    issuer, length = _issuer_at_start(text[pos:limit])
    return issuer, pos + length


# The same issuer phrases recur within and across documents (≈80% repeats).
@functools.lru_cache(maxsize=4096)
def _issuer_at_start(window: str) -> tuple[Optional[str], int]:
    """The issuing body that opens ``window`` and its length; (None, 0) if none."""
    iv = _issuers()
    if not iv.head_re.match(window):
        return None, 0
    named = _subject_named_body(window, iv)
    if named is not None:
        return named[0], named[1]
    longest = _longest_body()
    folded = _fold_prefix(window, longest)
    known: Optional[str] = None
    known_len = 0
    for fold, name in _bodies_starting(folded[:1]):
        if folded.startswith(fold) and (len(folded) == len(fold) or not folded[len(fold)].isalpha()):
            known, known_len = name, len(fold)
            break
    # An acronym in brackets inside the name is dropped: "Tổng Liên đoàn Lao động
    # (LĐLĐ) Việt Nam" → "Tổng Liên đoàn Lao động Việt Nam".
    skipped: list[tuple[int, int]] = []
    at = known_len if known else 1
    while True:
        stop = _ISSUER_STOP.search(window, at)
        if stop is None:
            break
        bracket = _BRACKET_ACRONYM.match(window, stop.start())
        if bracket is not None:
            skipped.append((bracket.start(), bracket.end()))
            at = bracket.end()
            continue
        more = _name_goes_on(window, stop.start(), iv)
        if more is None:
            break
        at = more
    end = stop.start() if stop else min(len(window), 80)
    if len(folded) <= end + longest:
        folded = _fold_prefix(window, end + longest)
    end = _extend_to_known_body(folded, end, iv)
    phrase = window[:end]
    for a, b in reversed(skipped):
        phrase = phrase[:a] + " " + phrase[b:]
    phrase = _trim_issuer(_SPACES.sub(" ", phrase).strip(), len(known) if known else 0, iv)
    if known and fold_for_match(phrase) == fold_for_match(known):
        phrase = known  # the usual spelling ("Bộ chính trị" → "Bộ Chính trị")
    if not phrase or len(phrase.split()) > 14:
        return None, 0
    return _fix_acronyms(phrase), end


# Folding decides each character from at most a few around it (a tone pair and
# the letter after it, a combining mark, a run of blanks, a trailing blank), so
# the fold of a prefix agrees with the fold of the whole but for its last few
# characters (tests/test_speed_citations.py checks this on real windows).
_FOLD_MARGIN = 16


def _fold_prefix(window: str, need: int) -> str:
    """``fold_for_match(window)``, or a prefix of it longer than ``need`` (and shorter
    than the whole fold): an issuer's name is short, and folding the whole rest
    of a block at every mention costs more than reading the name."""
    cut = need + _FOLD_MARGIN
    if cut >= len(window):
        return fold_for_match(window)
    folded = fold_for_match(window[:cut])
    trusted = folded[:len(folded) - _FOLD_MARGIN // 2]
    return trusted if len(trusted) > need else fold_for_match(window)


@functools.lru_cache(maxsize=1)
def _longest_body() -> int:
    return max(len(fold) for fold, _ in _issuers().bodies)


@functools.lru_cache(maxsize=1 << 10)
def _bodies_starting(first: str) -> tuple[tuple[str, str], ...]:
    """The known bodies (folded, as written) whose folded name starts with ``first``, longest first."""
    return tuple(b for b in _issuers().bodies if b[0][:1] == first)


def _name_goes_on(window: str, at: int, iv: IssuerVocab) -> Optional[int]:
    """Where a body's name continues past a stop at ``at``, or None.

    "và" or a dash before a capitalised word that opens no other body joins the
    parts of one name ("Sở Giáo dục và Đào tạo", "Bộ Nông nghiệp và PTNT", "Ban
    Văn hóa - Xã hội"); so does a comma in "Bộ Văn hóa, Thể thao và Du lịch" and
    after a bare office ("Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ")."""
    def opens_other(pos: int) -> bool:  # another body, or a document ("… và Kế hoạch số …")
        return bool(iv.head_re.match(window, pos) or _kind_start().match(window, pos))

    joined = _JOINED_PART.match(window, at)
    if joined is not None and not opens_other(joined.end()):
        return joined.end()
    comma = _COMMA_PART.match(window, at)
    if comma is not None and not opens_other(comma.end()):
        if _COMMA_THEN_AND.match(window, at) or fold_for_match(window[:at].strip()) in _BARE_OFFICES:
            return comma.end()
    return None


def _subject_named_body(window: str, iv: IssuerVocab) -> Optional[tuple[str, int]]:
    """"Ban Chỉ đạo về phát triển khoa học, công nghệ … tỉnh": the whole name and its end."""
    head = iv.subject_re.match(window)
    if head is None:
        return None
    stop = _SUBJECT_NAME_STOP.search(window, head.end())
    end = stop.start() if stop else len(window)
    phrase = _SPACES.sub(" ", window[:end]).strip().rstrip(",")
    if end == head.end() or len(phrase.split()) > _MAX_SUBJECT_NAME_WORDS:
        return None
    return _fix_acronyms(phrase), end


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
    if not 0 < end < len(folded):
        return end  # no name can run over the cut
    # A name that runs over the cut holds the two characters around it.
    for fold in _bodies_holding(folded[end - 1:end + 1]):
        at = folded.find(fold, 0, end + len(fold))
        while at != -1 and at < end:
            boundary_before = at == 0 or not folded[at - 1].isalpha()
            after = at + len(fold)
            boundary_after = after >= len(folded) or not folded[after].isalpha()
            if boundary_before and boundary_after and after > end:
                return after
            at = folded.find(fold, at + 1, end + len(fold))
    return end


@functools.lru_cache(maxsize=1 << 12)
def _bodies_holding(pair: str) -> tuple[str, ...]:
    """The folded known bodies in which ``pair`` occurs, longest first."""
    return tuple(fold for fold, _ in _issuers().bodies if pair in fold)


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
    """The issuer named before the kind: "… của Bộ Chính trị tại Thông báo số …",
    "các công điện của Thủ tướng Chính phủ, đặc biệt là Công điện số …" (the
    documents of that body, then the ones meant), or the subject of "ban hành"
    ("Đoàn Chủ tịch đã ban hành Kế hoạch số …")."""
    lo = max(floor, start - 160)
    window = text[lo:start]
    m = _ISSUER_BEFORE.search(window) or _generic_then_specific().search(window)
    if m is not None:
        return read_issuer(text, lo + m.start("body"), lo + m.end("body"))[0]
    return _issuer_issuing(text, lo, start)


def _issuer_issuing(text: str, lo: int, start: int) -> Optional[str]:
    """"… tham mưu Ban Bí thư ban hành Quy định số …": the body whose name ends
    right before "(đã) ban hành", in the same clause."""
    issuing = _ISSUING.search(text, lo, start)
    if issuing is None:
        return None
    clause = max(lo, max((text.rfind(c, lo, issuing.start()) + 1 for c in ",;:.()"), default=lo))
    for w in _CAPITALISED.finditer(text, clause, issuing.start()):
        issuer, _ = read_issuer(text, w.start(), issuing.start())
        if issuer is not None and fold_key(issuer) == fold_key(text[w.start():issuing.start()]):
            return issuer  # the whole phrase is the body's name
    return None


@functools.lru_cache(maxsize=None)
def _kind_start() -> regex.Pattern:
    """A kind word of the vocabulary opening at a position."""
    words = sorted(_kinds().word_canon.values(), key=len, reverse=True)
    return regex.compile(r"(?:" + "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\p{L})", regex.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _generic_then_specific() -> regex.Pattern:
    words = sorted(_kinds().word_canon.values(), key=len, reverse=True)
    kinds = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)
    return regex.compile(
        rf"(?<!\p{{L}})(?:{kinds})\s+của\s+(?P<body>[^,;:()“”\"]{{2,90}}?)\s*,?\s+"
        r"(?:đặc\s+biệt\s+là|nhất\s+là|trong\s+đó\s+có|trong\s+đó|bao\s+gồm|gồm|cụ\s+thể\s+là|như|là)\s*:?\s+"
        r"(?:các\s+|những\s+)?$",
        regex.IGNORECASE,
    )


def _kind_before(text: str, start: int, floor: int) -> tuple[Optional[str], int, Optional[tuple[int, int]]]:
    """The kind word naming the number that starts at ``start``, where it starts,
    and the words between it and "số" ("Luật <name> số …", "Kết luận <issuer> số …")."""
    window = text[max(floor, start - 160):start]
    base = start - len(window)
    found = _kind_ending(window)
    if found is None:
        return None, start, None
    kind, at, name = found
    return kind, base + at, (base + name[0], base + name[1]) if name is not None else None


# The words before a number recur (≈ the same lines in every rendition): cached.
@functools.lru_cache(maxsize=4096)
def _kind_ending(window: str) -> Optional[tuple[str, int, Optional[tuple[int, int]]]]:
    """The kind word that ends ``window`` (before "số"), where it starts, and the
    span of the name between them; None when there is none."""
    kv = _kinds()
    m = kv.word_re.search(window)
    if m is None:
        m = kv.named_re.search(window)
        if m is not None and _DIGIT_OR_QUOTE.search(m.group("name")):
            m = None
    if m is None:
        return None
    name = (m.start("name"), m.end("name")) if "name" in m.groupdict() else None
    return kv.word_canon[fold_for_match(m.group("kw"))], m.start(), name


# Kinds named by their subject, never by their issuer ("Luật Công đoàn số …").
_NAMED_BY_SUBJECT = frozenset({"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh", "Điều lệ"})


def _law_name(text: str, span: Optional[tuple[int, int]], kind_word: Optional[str]) -> Optional[str]:
    """"Luật Công đoàn số 50/2024/QH15" → "Công đoàn": a law is also named by its name."""
    if span is None or kind_word not in _NAMED_BY_SUBJECT:
        return None
    name = " ".join(text[span[0]:span[1]].split())
    return name if name and not _DIGIT.search(name) else None


def _initials(phrase: str) -> str:
    """"Liên ngành Tư pháp Trung ương" → "LNTPTW", "UBND tỉnh" → "UBNDT": how a
    body's name is abbreviated in a symbol (Trung ương is TW: BTCTW, VPTW)."""
    phrase = _TRUNG_UONG.sub("TW", phrase)
    out = []
    for tok in phrase.split():
        out.append(tok if len(tok) > 1 and tok.isupper() else tok[:1].upper())
    return "".join(out).replace("Đ", "D")


def _issuer_in_name(text: str, span: tuple[int, int], sym: Symbol, kind_word: str) -> Optional[str]:
    """"Kết luận liên ngành Tư pháp Trung ương số 23/KL-LNTPTW", "Quyết định UBND
    tỉnh số 12/QĐ-UBND": the issuer written between the kind and "số". Taken
    only when the words are a whole body's name that the symbol's body code
    abbreviates, or a known body."""
    if kind_word in _NAMED_BY_SUBJECT or _implied_kind(sym) in _NAMED_BY_SUBJECT or not sym.body:
        return None
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    issuer, stop = read_issuer(text, start, end)
    if issuer is None or text[stop:end].strip():
        return None
    iv = _issuers()
    known = any(fold_for_match(issuer) == fold for fold, _ in iv.bodies)
    code = sym.body.split("-")[0].upper().replace("Đ", "D")
    initials = _initials(issuer)
    if not (known or initials.startswith(code) or (len(initials) >= 3 and code.startswith(initials))):
        return None
    return issuer[:1].upper() + issuer[1:]


def _implied_kind(sym: Symbol) -> Optional[str]:
    kv = _kinds()
    if sym.kind is None:
        return "Công văn"
    table = kv.party_kind if sym.form == "party" else kv.symbol_kind
    return table.get(sym.kind)


def _mask_quotes(text: str) -> str:
    """Blank out quoted titles so cue words inside them do not count.

    A scan, not one pattern: a regex retried at every opening quote of a text
    with none closed would rescan to the end each time (quadratic)."""
    parts: list[str] = []
    pos = 0
    while (opening := _QUOTE_OPEN.search(text, pos)) and (closing := _QUOTE_CLOSE.search(text, opening.end())):
        parts += [text[pos:opening.start()], " " * (closing.end() - opening.start())]
        pos = closing.end()
    parts.append(text[pos:])
    return "".join(parts)


def _quote_depth(text: str) -> int:
    return max(0, text.count("“") - text.count("”")) + text.count('"') % 2


def relation_of(text: str, start: int, end: int) -> Optional[str]:
    """The relation stated by cue words in ``text[start:end]``; None when there is none."""
    return _relation_in(text[start:end])


# Sentences of the same wording recur across documents (≈80% repeats).
@functools.lru_cache(maxsize=4096)
def _relation_in(span: str) -> Optional[str]:
    cue_re, cue_rel, passive_re, ignore_re = _relations()
    window = fold_for_match(_mask_quotes(span))
    ignored = [(m.start(), m.end()) for m in ignore_re.finditer(window)]
    best: Optional[tuple[int, int, str]] = None  # (end, length, relation)
    reviews_at: Optional[int] = None
    for m in cue_re.finditer(window, overlapped=True):
        if passive_re.search(window[max(0, m.start() - 12):m.start()]) or _overlaps(m.start(), m.end(), ignored):
            continue
        rel, _ = cue_rel[_SPACES.sub(" ", m.group(0))]
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
    return _SPACES.sub("", fold_for_match(key))


def _complete(sym: Symbol, issuer: Optional[str]) -> Optional[Symbol]:
    """"Chỉ thị số 03-CT của Bộ Chính trị" → 03-CT/TW; None if it cannot be told."""
    iv = _issuers()
    if issuer and any(fold_for_match(issuer).startswith(b) for b in iv.central_bodies):
        return sym.with_body(iv.central_code)
    return None


class Alias(NamedTuple):
    """An alias definition: the parenthesis, the citation it renames ("" when it
    only restates one) and the alias as written."""

    start: int
    end: int
    key: str
    alias: str


def _bare_aliases(text: str, block: Block, syms: list[Symbol], taken: list[tuple[int, int]]) -> list[tuple[int, int, str, Optional[str]]]:
    """Parentheses right after a reference that name it again without "sau đây gọi
    tắt là": "… (Nghị quyết số 163/2024/QH15)" restates the number; "… phê duyệt
    Bộ chỉ số … (Bộ chỉ số 766)" defines a short name carrying the number.
    Returns (start, end, alias, number of the citation it renames or None)."""
    kv = _kinds()
    out: list[tuple[int, int, str, Optional[str]]] = []
    for m in _BARE_PAREN.finditer(text, block.start, block.end):
        if _overlaps(m.start(), m.end(), taken):
            continue
        alias = m.group("alias").strip()
        before = [s for s in syms if s.end <= m.start() and not _SENTENCE_BREAK.search(text, s.end, m.start())]
        inner = find_symbols(alias)
        if inner:
            prefix = alias[:inner[0].start].strip()
            restates = len(inner) == 1 and not alias[inner[0].end:].strip() and (
                prefix in ("", "số") or kv.word_re.fullmatch(prefix) is not None
            )
            if restates and any(fold_key(s.key) == fold_key(inner[0].key) for s in before):
                out.append((m.start(), m.end(), alias, None))
            continue
        named = _NUMBERED_ALIAS.fullmatch(alias)
        if named and any(s.number == named.group("num").lower() for s in before):
            out.append((m.start(), m.end(), alias, named.group("num").lower()))
    return out


def _alias_number(alias: str) -> Optional[str]:
    """The number an alias carries ("Kết luận 96"), which tells whose alias it is."""
    m = _NUMBERED_ALIAS.fullmatch(alias.strip())
    return m.group("num").lower() if m else None


def full_mentions(doc: ParsedDocument, own: set[str]) -> tuple[list[Mention], list[Alias]]:
    """Mentions by số ký hiệu, and the alias definitions attached to them."""
    text = doc.text
    kv = _kinds()
    mentions: list[Mention] = []
    aliases: list[Alias] = []
    for i_block, block in enumerate(doc.document.blocks):
        syms = find_symbols(text, block.start, block.end)
        if not syms and "(" not in block.text:
            continue  # no reference and no alias definition: most blocks
        if _ANNEX_CAPTION.match(block.text):
            continue
        alias_spans = [
            (block.start + m.start(), block.start + m.end(), m.group("alias").strip(), _alias_number(m.group("alias")))
            for m in _ALIAS.finditer(block.text)
        ]
        alias_spans += _bare_aliases(text, block, syms, [(a, b) for a, b, _, _ in alias_spans])
        block_mentions: list[Mention] = []
        for sym in syms:
            if any(a <= sym.start < b for a, b, _, _ in alias_spans):
                continue
            if sym.kind in kv.not_citable:
                continue
            kind_word, kstart, name_span = _kind_before(text, sym.start, _kind_floor(doc, i_block))
            if kind_word is None and _NUMBER_LINE.search(text[max(0, sym.start - 16):sym.start]):
                continue  # "Số: 300/KH-TLĐ", "Số hiệu:": the number of this document or of a copy
            date, issuer, title, attrs_end = read_attributes(text, sym.end, _attribute_limit(doc, i_block))
            issuer_before = False
            if issuer is None and name_span is not None and kind_word is not None:
                issuer = _issuer_in_name(text, name_span, sym, kind_word)
            if issuer is None:
                issuer = _issuer_before(text, kstart, block.start)
                issuer_before = issuer is not None
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
                    title=title, attrs_end=attrs_end, issuer_before=issuer_before,
                    name=_law_name(text, name_span, kind_word),
                    kinds=frozenset([sym.kind]) if sym.kind else frozenset(),
                )
            )
        _share_list_attributes(text, block_mentions)
        _set_relations(doc, text, block, block_mentions)
        for a, b, alias, number in alias_spans:
            owner = _alias_owner(text, a, block_mentions, number)
            if owner is not None and _distinctive_alias(alias):
                aliases.append(Alias(a, b, owner.key, alias))
            else:
                aliases.append(Alias(a, b, "", alias))  # a restatement or a generic name: only its span matters
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
    if find_symbols(alias) or _OR_AND_COMMA.search(alias):
        return False
    bare = fold_for_match(_ALIAS_TAIL.sub("", alias.strip()))
    return bare not in _kinds().word_canon and len(bare.split()) >= 2


def _same_series(a: Mention, b: Mention) -> bool:
    """Two members of a list that can share a date and issuer stated once: the same
    issuing body in the symbol (…/CĐ-TTg, …/CĐ-TTg) or the same kind. A law and a
    nghị định in one list ("Luật … số 41/2024/QH15 và Nghị định số … của Chính
    phủ") are issued by different bodies."""
    if a.symbol is not None and b.symbol is not None and a.symbol.body and a.symbol.body == b.symbol.body:
        return True
    return bool(a.kinds & b.kinds) or bool(a.kind_word and a.kind_word == b.kind_word and a.kinds == b.kinds)


_SEMICOLON_GAP = regex.compile(r"^\s*;\s*(?:số\s*)?$", regex.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _plural_intro_re() -> regex.Pattern:
    """"Các Công điện: số …": one plural kind word that opens a list of numbers."""
    words = sorted(set(_kinds().word_canon.values()), key=len, reverse=True)
    alt = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)
    return regex.compile(rf"(?<!\p{{L}})(?:các|những)\s+(?:{alt})\s*:\s*(?:s[ốỐ]\s*)?$", regex.IGNORECASE)


def _plural_list_semicolons(text: str, ms: list[Mention]) -> set[int]:
    """Indices ``i`` whose ";" before ``ms[i + 1]`` still separates members of one
    list: the list opened by one plural kind ("Các Công điện: số 007/CĐ-UBND …, số
    008/CĐ-UBND …; số 010/CĐ-UBND … của UBND tỉnh"). Elsewhere ";" separates
    references that do not share what follows (dev convention)."""
    out: set[int] = set()
    j = 0
    while j < len(ms):
        if not _plural_intro_re().search(text[max(0, ms[j].start - 80) : ms[j].start]):
            j += 1
            continue
        k = j
        while k + 1 < len(ms) and _same_series(ms[k], ms[k + 1]):
            gap = text[ms[k].attrs_end : ms[k + 1].start]
            if _SEMICOLON_GAP.match(gap):
                out.add(k)
            elif not _LIST_GAP.match(gap):
                break
            k += 1
        j = k + 1
    return out


def _share_list_attributes(text: str, ms: list[Mention]) -> None:
    """Members of a list take the date, issuer and title stated after the last one,
    and an issuer named before the list ("các công điện của Thủ tướng Chính phủ,
    đặc biệt là Công điện số …, Công điện số …")."""
    semicolons = _plural_list_semicolons(text, ms)
    for i in range(len(ms) - 2, -1, -1):
        cur, nxt = ms[i], ms[i + 1]
        if not _same_series(cur, nxt):
            continue
        if cur.attrs_end != cur.end:
            # It states its own date: only a missing issuer comes from the next
            # member ("Báo cáo số 116/BC-BPC ngày … và Báo cáo số 122/BC-BPC ngày … của Ban Pháp chế").
            if cur.issuer is None and (i in semicolons or _LIST_GAP.match(text[cur.attrs_end:nxt.start])):
                cur.issuer = nxt.issuer
                cur.issuer_before = nxt.issuer_before
            continue
        if i not in semicolons and not _LIST_GAP.match(text[cur.end:nxt.start]):
            continue
        # A state number carries its year (06/2021/NĐ-CP): a date of another year
        # after the list belongs to the last member only.
        year = cur.symbol.year if cur.symbol is not None else None
        if nxt.date and not (year and not nxt.date.startswith(year)):
            cur.date = cur.date or nxt.date
        if cur.issuer is None:
            cur.issuer, cur.issuer_before = nxt.issuer, nxt.issuer_before
        cur.title = cur.title or nxt.title
    for prev, cur in zip(ms, ms[1:]):
        if cur.issuer is None and prev.issuer_before and _same_series(prev, cur):
            if _LIST_GAP.match(text[prev.attrs_end:cur.start]):
                cur.issuer, cur.issuer_before = prev.issuer, True


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


def _alias_owner(text: str, paren_start: int, ms: list[Mention], number: Optional[str] = None) -> Optional[Mention]:
    """The citation an alias definition right after it renames: the one whose
    number the alias carries, else the last one before it."""
    kv = _kinds()
    before = [m for m in ms if m.end <= paren_start]
    if number is not None:
        owners = [m for m in before if m.number == number]
        if owners:
            return owners[-1]
    if not before:
        return None
    owner = before[-1]
    gap = _mask_quotes(text[owner.attrs_end:paren_start])
    if _compiled(kv.word_re.pattern.replace("$", ""), regex.IGNORECASE).search(gap):
        return None  # another (unnumbered) document is named in between
    return owner


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def short_mentions(
    doc: ParsedDocument, full: list[Mention], aliases: list[Alias], own_symbols: list[Symbol]
) -> list[Mention]:
    """"Nghị quyết 02 của Bộ Chính trị", "Nghị quyết số 20" and aliases, resolved to full citations."""
    text = doc.text
    kv = _kinds()
    taken = [(m.start, m.end) for m in full] + [(a.start, a.end) for a in aliases]
    out: list[Mention] = []
    by_key = {m.key: m for m in full}
    # Aliases first: "(sau đây gọi tắt là Nghị quyết 02 của Bộ Chính trị)".
    for a, b, key, alias in aliases:
        if not key:
            continue
        pattern = _compiled(r"(?<!\p{L})" + regex.escape(alias).replace(r"\ ", r"\s+") + r"(?!\p{L})", regex.IGNORECASE)
        for m in pattern.finditer(text, b):
            if _overlaps(m.start(), m.end(), taken):
                continue
            out.append(_derived(doc, by_key[key], m.start(), m.end(), "alias", None))
            taken.append((m.start(), m.end()))
    for m in _short_matches(text):
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
    out.extend(_named_by_number(doc, full, taken))
    out.extend(_laws_by_name(doc, full, taken))
    return out


_LETTER_RUN = regex.compile(r"\p{L}+")
# Where a short mention can end: its number, after a blank, ":" or "số".
_SHORT_NUMBER_END = regex.compile(r"(?<=[\s:ốỐ])" + _SHORT_NUMBER, regex.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _short_reach() -> int:
    """Most words a short mention has before its number: the longest kind word, and "số"."""
    return max(len(_LETTER_RUN.findall(w)) for w in _kinds().word_canon.values()) + 1


@functools.lru_cache(maxsize=None)
def _words_before(reach: int) -> regex.Pattern:
    """Up to ``reach`` words (and what separates them) that end where the match
    ends, matched backwards: ``.starts(1)`` are where they start."""
    return regex.compile(rf"(?r)(?:(\p{{L}}+)\P{{L}}*){{1,{reach}}}")


def _word_starts_before(text: str, numbers: Iterable[int], reach: int) -> list[int]:
    """Where the ``reach`` words before each number (a position) start, in text order."""
    words_before = _words_before(reach)
    candidates: set[int] = set()
    for at in numbers:
        m = words_before.match(text, 0, at)
        if m is not None:
            candidates.update(m.starts(1))
    return sorted(candidates)


def _short_matches(text: str) -> Iterator[regex.Match]:
    """The matches of ``short_re.finditer(text)``, found without scanning the whole
    text with that large case-insensitive pattern: a short mention ends in a
    number that is no date, decimal or symbol, right after a kind word's last
    word (and "số"), so it can only start at one of the few words before such a
    number. The pattern is tried there, left to right, as ``finditer`` would."""
    short_re = _kinds().short_re
    words_before = _words_before(_short_reach())
    candidates: set[int] = set()
    for number in _SHORT_NUMBER_END.finditer(text):
        words = words_before.match(text, 0, number.start())
        if words is not None and _after_kind_word(text, words):
            candidates.update(words.starts(1))
    pos = 0
    for start in sorted(candidates):
        if start < pos:
            continue
        m = short_re.match(text, start)
        if m is not None:
            yield m
            pos = m.end()


_SO_WORD = regex.compile(r"s[ốỐ]|S[ốỐ]", regex.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _kind_last_word() -> Optional[regex.Pattern]:
    """The last word of any kind word, as ``short_re`` matches it; None when a kind
    word does not end in a word of letters (then any word may come before "số")."""
    last = {w.split(" ")[-1] for w in _kinds().word_canon.values()}
    if not all(w.isalpha() for w in last):
        return None
    return regex.compile("|".join(regex.escape(w) for w in sorted(last, key=len, reverse=True)), regex.IGNORECASE)


def _after_kind_word(text: str, words: regex.Match) -> bool:
    """Whether the words before a number (``words``, nearest first) end in a kind
    word, maybe followed by "số": only blanks, ":" and "số" separate a short
    mention's kind word from its number."""
    last_word = _kind_last_word()
    if last_word is None:
        return True
    starts, ends = words.starts(1), words.ends(1)
    if last_word.fullmatch(text, starts[0], ends[0]):
        return True
    return len(starts) > 1 and _SO_WORD.fullmatch(text, starts[0], ends[0]) is not None and (
        last_word.fullmatch(text, starts[1], ends[1]) is not None
    )


def in_description(text: str, pos: int, described: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies in what a numbered reference says its document is or
    does: "Nghị định số 145/2020/NĐ-CP … quy định chi tiết … của Bộ luật Lao động",
    "Quyết định số 1644/QĐ-BXD … ban hành Chiến lược …". ``described`` holds
    (end of the attributes after a reference, end of its block); the words right
    after the attributes must describe ("quy định", "về", "phê duyệt", …) and the
    clause must not have ended before ``pos``."""
    for attrs_end, limit in described:
        if not attrs_end <= pos <= min(limit, attrs_end + _DESCRIPTION_CHARS):
            continue
        if _DESCRIBES.match(text, attrs_end) and not _SENTENCE_BREAK.search(text, attrs_end, pos):
            return True
    return False


def _laws_by_name(doc: ParsedDocument, full: list[Mention], taken: list[tuple[int, int]]) -> list[Mention]:
    """"Luật Công đoàn năm 2024" or "Luật Công đoàn" after "Luật Công đoàn số
    50/2024/QH15": the numbered law named again by its name. A stated year must be
    the law's; an amendment still to come ("Luật Công đoàn (sửa đổi)") and a
    draft are other documents."""
    text = doc.text
    out: list[Mention] = []
    seen: set[tuple[str, str]] = set()
    described = [(f.attrs_end, _block_end(doc, f.start)) for f in full]
    for f in full:
        if not f.name or not f.kind_word or (f.kind_word, f.name.lower()) in seen:
            continue
        seen.add((f.kind_word, f.name.lower()))
        year = f.symbol.year if f.symbol is not None and f.symbol.year else (f.date or "")[:4] or None
        words = r"\s+".join(regex.escape(w) for w in f.name.split())
        kind = regex.escape(f.kind_word).replace(r"\ ", r"\s+")
        pattern = _compiled(rf"(?<!\p{{L}}){kind}\s+(?i:{words})(?:\s+năm\s+(?P<year>(?:19|20)\d\d))?(?!\p{{L}}|\d)")
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken) or (m.group("year") and m.group("year") != year):
                continue
            if not _LAW_NAME_END.match(text, m.end()) or _AMENDED_LAW.match(text, m.end()):
                continue
            if _DRAFT_BEFORE.search(text[max(0, m.start() - 30):m.start()]) or in_description(text, m.start(), described):
                continue  # a draft, or words of another document's title
            out.append(_derived(doc, f, m.start(), m.end(), "short", f.kind_word))
            taken.append((m.start(), m.end()))
    return out


def _description(text: str, m: Mention, limit: int) -> str:
    """What a full mention says its document is or does, up to the end of the clause
    ("… phê duyệt Bộ chỉ số chỉ đạo, điều hành …")."""
    limit = min(limit, m.attrs_end + _DESCRIPTION_CHARS)
    brk = _SENTENCE_BREAK.search(text, m.attrs_end, limit)
    return text[m.attrs_end:brk.start() if brk else limit]


def _block_end(doc: ParsedDocument, offset: int) -> int:
    block = doc.document.block_at(offset)
    return block.end if block is not None else len(doc.text)


def _named_by_number(doc: ParsedDocument, full: list[Mention], taken: list[tuple[int, int]]) -> list[Mention]:
    """"theo Bộ chỉ số 766" after "Quyết định số 766/QĐ-TTg … phê duyệt Bộ chỉ số
    …": a short name made of words the full mention gave its document and the
    number. Only a number first written with its full symbol, of at least two
    characters, whose head words (two or more) are in that mention's description."""
    text = doc.text
    out: list[Mention] = []
    by_number: dict[str, list[Mention]] = {}
    for f in full:
        if f.number and len(f.number) >= 2:
            by_number.setdefault(f.number, []).append(f)
    if not by_number:
        return out
    for m in _numbered_names(text, by_number):
        if _overlaps(m.start(), m.end(), taken) or _COUNTED_NOUN.match(text, m.end()):
            continue
        # "Theo Bộ chỉ số 766": the name may start at any capitalised word of the head.
        found: Optional[tuple[int, Mention]] = None
        for w in _CAPITALISED_WORD.finditer(m.group("head")):
            words = _WORDS.findall(fold_for_match(m.group("head")[w.start():]))
            if len(words) < 2:
                break
            # In the description the name is capitalised, as a name: "phê duyệt Bộ chỉ số …".
            first = m.group("head")[w.start():w.end()]
            head_re = _compiled(
                r"(?<!\p{L})" + regex.escape(first) + "".join(r"\s+(?i:" + regex.escape(x) + ")" for x in words[1:]) + r"(?!\p{L})"
            )
            cands = [
                f for f in by_number[m.group("num").lower()]
                if f.start < m.start() and head_re.search(_description(text, f, _block_end(doc, f.start)))
            ]
            if cands:
                found = (m.start("head") + w.start(), cands[-1])
                break
        if found is None:
            continue
        out.append(_derived(doc, found[1], found[0], m.end(), "short", None))
        taken.append((m.start(), m.end()))
    return out


# A short name and a number ("Bộ chỉ số 766"): up to four words, then "số".
_NAMED_NUMBER_BODY = r"(?P<num>\d{1,5}[a-zđ]?)(?![\p{L}\p{N}]|[.,/\-–]\s*\d|\s*%)"
_NAMED_NUMBER = regex.compile(
    r"(?<!\p{L})(?P<head>\p{Lu}\p{Ll}*(?:\s+\p{L}+){1,3}?)\s+(?:số\s+)?" + _NAMED_NUMBER_BODY
)
_NAMED_NUMBER_END = regex.compile(r"(?<=\s)" + _NAMED_NUMBER_BODY)
_NAMED_NUMBER_REACH = 5


def _numbered_names(text: str, by_number: dict[str, list[Mention]]) -> Iterator[regex.Match]:
    """The matches of ``_NAMED_NUMBER`` whose number is one of ``by_number``, as
    ``finditer`` over the text with the numbers spelt out in the pattern would
    give them (no pattern compiled per document). Every way the pattern reads
    from a start reaches the same first number, so a start matches with those
    numbers exactly when it matches with any number and the number is one of
    them; such a start is one of the five words before that number."""
    numbers = (m.start() for m in _NAMED_NUMBER_END.finditer(text) if m.group("num") in by_number)
    pos = 0
    for start in _word_starts_before(text, numbers, _NAMED_NUMBER_REACH):
        if start < pos:
            continue
        m = _NAMED_NUMBER.match(text, start)
        if m is not None and m.group("num") in by_number:
            yield m
            pos = m.end()


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
