"""Targets (chỉ tiêu): the quantities a document commits to reach.

A target is a number in a commitment context: a section titled chỉ tiêu /
mục tiêu (target / objective), a sentence with a commitment cue (phấn đấu =
strive to, đạt = reach, bảo đảm = ensure …; a floor on a share, "không dưới 20%
công đoàn cơ sở", also commits), or a task that plans a count of outputs ("xây
dựng 01 kênh YouTube", "tổ chức 2 - 3 đoàn khảo sát"). One record per quantity:
"90% trở lên doanh nghiệp nhà nước và 70% trở lên doanh nghiệp ngoài khu vực nhà
nước …" gives two.

Not targets: dates, document and section numbers, durations and history ("hơn 90
năm", "15 năm triển khai", "đã đạt 95%", a year before the document's date),
thresholds inside a condition ("doanh nghiệp có 25 công nhân, lao động trở lên",
"xã đạt dưới 15 tiêu chí"; but in "Tỷ lệ doanh nghiệp có từ 30 lao động trở lên
… đạt trên 70%" the 70% is the ratio's value), spending norms ("hỗ trợ 100% chi
phí", "không quá 40.000.000 đồng/tháng"), counts repeated through the text that
name the things it is about ("02 công trình dự án" three times), the structure
of an organisation ("công đoàn 4 cấp"), table cells with only a unit.

Each record: ``value``, ``value_max`` (ranges), ``unit`` (``"%"`` or the counted
noun, shortest form), ``comparator``, ``deadline`` (``"annual"``, a year or
None: the time phrase that governs the number — its own phrase after it, else
the nearest before it in its clause, never one in the title of a cited document
— else a lead-in line such as "Đến năm 2025:", else a section title such as
"Chỉ tiêu hằng năm" / "Chỉ tiêu nhiệm kỳ"; see :func:`_deadline_for`),
``indicator`` (what is counted and the condition: the noun phrase after the
number, or, in "<indicator> đạt X", the phrase before "đạt" — bounded by the
clause), ``scope`` (khu vực nhà nước / ngoài nhà nước …) and provenance.
Vocabulary: ``models/targets.yaml``, ``models/time_words.yaml``.
"""

from __future__ import annotations

import bisect
import functools
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Optional

import regex

from extractors import register
from extractors.numbers import Quantity, find_quantities, has_quantities
from extractors.timeexpr import (
    TargetDeadline,
    citation_anchors,
    cited_title_spans,
    clause_breaks,
    find_time_exprs,
    target_deadlines,
    term_end_year,
)
from pipeline.document import Block, ParsedDocument, Section, Sentence
from pipeline.vocab import load

_V = load("targets")
_FLAGS = regex.IGNORECASE | regex.VERSION1


def _alt(phrases) -> str:
    ordered = sorted({str(p).strip() for p in phrases}, key=len, reverse=True)
    return "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered)


# --- screens ----------------------------------------------------------------
# Most texts hold none of a pattern's words, and a case-folded substring test says
# so many times faster than the pattern (IGNORECASE | VERSION1 folds full case at
# every position). A screen may pass a text the pattern then rejects, never reject
# one it would match: a case-insensitive match folds to the words it matched, and
# the patterns' \s is a subset of str.isspace (tests/test_speed_targets.py).


class _Phrases:
    """Passes a text that holds one of ``phrases``, both case-folded and with each
    run of blanks made one space (the patterns join the words with ``\\s+``)."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases = tuple({" ".join(str(p).casefold().split()) for p in phrases})
        # The longest word of each phrase, looked for first: most texts lack them all.
        self.words = tuple({max(p.split(), key=len) for p in self.phrases})

    def __call__(self, text: str) -> bool:
        folded = text.casefold()
        if not any(map(folded.__contains__, self.words)):
            return False
        return any(map(" ".join(folded.split()).__contains__, self.phrases))


class _Ending:
    """Passes a text that, without its trailing blanks, ends with one of ``words``
    (case-folded): the screen of a pattern anchored at the end (``…\\s*$``)."""

    def __init__(self, words: Iterable[str]):
        self.words = tuple({str(w).casefold() for w in words})
        # A stretch of text that folds to a word is no longer than the word.
        self.reach = max(map(len, self.words))

    def __call__(self, text: str) -> bool:
        return text.rstrip()[-self.reach :].casefold().endswith(self.words)


def _last_words(phrases: Iterable[str]) -> list[str]:
    return [str(p).split()[-1] for p in phrases]


def _both(first: Callable[[str], bool], second: Callable[[str], bool]) -> Callable[[str], bool]:
    """A screen that passes what both screens pass."""
    return lambda text: first(text) and second(text)


@dataclass(frozen=True)
class _Screened:
    """A compiled pattern that asks its screen before it scans. A match from ``pos``
    lies in ``text[pos:]``, which is all the screen needs to see; an ``endpos``
    cannot be given: it would move the end an ``_Ending`` screen looks at."""

    pattern: regex.Pattern
    screen: Callable[[str], bool]

    def search(self, text: str, pos: int = 0) -> Optional[regex.Match]:
        return self.pattern.search(text, pos) if self.screen(text[pos:] if pos else text) else None

    def match(self, text: str, pos: int = 0) -> Optional[regex.Match]:
        return self.pattern.match(text, pos) if self.screen(text[pos:] if pos else text) else None

    def finditer(self, text: str, pos: int = 0) -> Iterator[regex.Match]:
        return self.pattern.finditer(text, pos) if self.screen(text[pos:] if pos else text) else iter(())

    def sub(self, repl: str, text: str) -> str:
        return self.pattern.sub(repl, text) if self.screen(text) else text


def _phrase_re(phrases) -> _Screened:
    phrases = list(phrases)
    return _Screened(regex.compile(r"(?<![\p{L}\p{N}])(?:" + _alt(phrases) + r")(?![\p{L}\p{N}])", _FLAGS), _Phrases(phrases))


_CMP_BEFORE = [(op, w) for op, words in _V["comparators"]["before"].items() for w in words]
_CMP_BEFORE_RE = _Screened(
    regex.compile(r"(?<![\p{L}])(?P<w>" + _alt(w for _, w in _CMP_BEFORE) + r")\s*(?:là\s+|mức\s+)?$", _FLAGS),
    _Ending(_last_words(w for _, w in _CMP_BEFORE) + ["là", "mức"]),
)
_CMP_BEFORE_OP = {" ".join(w.split()): op for op, w in _CMP_BEFORE}
_CMP_AFTER = [(op, w) for op, words in _V["comparators"]["after"].items() for w in words]
_CMP_AFTER_RE = _Screened(
    regex.compile(r"(?<![\p{L}])(?P<w>" + _alt(w for _, w in _CMP_AFTER) + r")(?!\p{L})", _FLAGS), _Phrases(w for _, w in _CMP_AFTER)
)
_CMP_AFTER_OP = {" ".join(w.split()): op for op, w in _CMP_AFTER}
_RATING_END = regex.compile(r"(?<!\p{L})(?:" + _alt(_V["rating_words"]) + r")\s*$", _FLAGS)

_CUES = _phrase_re(_V["commitment_cues"])
_CUE_EXCEPTIONS = _phrase_re(_V["cue_exceptions"])
_REPORT_TYPES = {t.lower() for t in _V["report_doc_types"]}
# At most three words between the cue and the number, and no comma: "đạt tỷ lệ
# trên 70%", but not "giảm nghèo, 45 xã".
_NEAR_CUE = _Screened(
    regex.compile(r"(?<!\p{L})(?:" + _alt(_V["near_cues"]) + r")(?!\p{L})(?:\s+[^\s,;:()]+){0,3}\s*$", _FLAGS), _Phrases(_V["near_cues"])
)
_RULE = _phrase_re(_V["rule_markers"])
_TARGET_SECTION = _phrase_re(_V["target_section_words"])
_NON_TARGET_SECTION = _phrase_re(_V["non_target_section_words"])
_PAST = _phrase_re(_V["past_markers"])
_OUTPUT_VERB_BEFORE = regex.compile(
    r"(?<!\p{L})(?:" + _alt(_V["output_verbs"]) + r")\s+(?:(?:" + _alt(w for _, w in _CMP_BEFORE) + r")\s+)?(?:từ\s+)?$", _FLAGS
)
_EXCLUDED_UNIT = regex.compile(r"^(?:" + _alt(_V["excluded_units"] + _V["not_counted_nouns"]) + r")(?!\p{L})", _FLAGS)
_LABEL_BEFORE = _Screened(
    regex.compile(r"(?<!\p{L})(?:" + _alt(_V["label_before"]) + r")\s*$", _FLAGS), _Ending(_last_words(_V["label_before"]))
)
# "doanh nghiệp có 25 lao động trở lên", "xã đạt dưới 15 tiêu chí": a class of
# units picked by a threshold. A unit named inside a prepositional phrase is not
# ("Thu nhập bình quân của người lao động trong các doanh nghiệp đạt trên 9,5 triệu đồng").
_CONDITION_HAS = _Screened(
    regex.compile(
        r"(?<!\p{L})(?:(?:" + _alt(_V["condition_heads"]) + r")\s+(?:\S+\s+){0,2}?"
        r"có\s+(?:(?:" + _alt(w for _, w in _CMP_BEFORE) + r"|từ)\s+)?"
        r"|(?<!(?:trong|tại|của|ở|thuộc)\s+(?:(?:các|những)\s+)?)(?:" + _alt(_V["condition_heads"]) + r")\s+(?:\S+\s+){0,2}?(?P<reached>đạt\s+(?:dưới|trên|từ)\s+))$",
        _FLAGS,
    ),
    _both(_Ending(_last_words(w for _, w in _CMP_BEFORE) + ["có", "từ", "dưới", "trên"]), _Phrases(_V["condition_heads"])),
)
# "Tỷ lệ doanh nghiệp … thành lập công đoàn cơ sở đạt trên 70%": a ratio still
# waiting for its value takes the percentage after "đạt"; the units it counts
# are not a class picked by that number.
_RATIO = _phrase_re(_V["ratio_heads"])
# "kiểm tra tài chính tại không dưới 20% công đoàn cơ sở": a floor set for a
# share is a commitment even without "phấn đấu" or "đạt".
_ENTITLED = regex.compile(r"(?<!\p{L})được(?!\p{L})", _FLAGS)
_FLOOR_BEFORE = _Screened(
    regex.compile(r"(?<!\p{L})(?:" + _alt(_V["floor_cues"]) + r")\s*(?:là\s+)?$", _FLAGS), _Ending(_last_words(_V["floor_cues"]) + ["là"])
)
_ARTICLE_KINDS = set(_V["article_kinds"])
_MONEY = regex.compile(r"^(?:" + _alt(_V["money_units"]) + r")(?!\p{L})", _FLAGS)
_PER_YEAR = regex.compile(r"\s*/\s*năm(?!\p{L})", _FLAGS)
# "02 lần/ngày", "03 đợt/năm": a frequency set by a rule.
_PER_TIME = regex.compile(r"^\s*/\s*(?:ngày|tuần|tháng|quý|năm|giờ|kỳ)(?!\p{L})", _FLAGS)
_CONDITION_MARKER = _phrase_re(_V["condition_markers"])
_COMMIT_BEFORE_HAS = regex.compile(r"(?:phấn\s+đấu|đạt|bảo\s+đảm|đảm\s+bảo)\s+(?:\S+\s+){0,1}có\s+$", _FLAGS)
_HEADS = sorted({h.lower() for h in _V["counted_noun_heads"]}, key=len, reverse=True)
_HEADS_RE = regex.compile(r"^(?:" + _alt(_HEADS) + r")(?!\p{L})", _FLAGS)
_SCOPES = [s.lower() for s in _V["scopes"]]
_SCOPE_RES = [(s, _phrase_re([s])) for s in _SCOPES]
_STOPS = _Screened(regex.compile(r"(?<![\p{L}])(?:" + _alt(_V["indicator_stops"]) + r")(?!\p{L})", _FLAGS), _Phrases(_V["indicator_stops"]))
_NUMBER_WORDS = {k.lower(): v for k, v in _V["number_words"].items()}
_FLOOR_OR_CEILING = _V["comparators"]["before"][">="] + _V["comparators"]["before"]["<="]
_NUMBER_WORD_RE = _Screened(
    regex.compile(r"(?<!\p{L})(?P<cmp>" + _alt(_FLOOR_OR_CEILING) + r")\s+(?P<n>" + _alt(_NUMBER_WORDS) + r")\s+(?=\p{L})", _FLAGS),
    _both(_Phrases(_FLOOR_OR_CEILING), _Phrases(_NUMBER_WORDS)),
)
# The blanks of the patterns' \s (all below U+3001): junk around a phrase is
# stripped with str methods, many times faster than a pattern anchored at the end.
_BLANKS = "".join(c for c in map(chr, range(0x3001)) if regex.match(r"\s", c))
_LEADING_JUNK = _BLANKS + "-–+*•·,:;.()"
_TRAILING_JUNK = _BLANKS + ",;:.-–("
_LEADING_CUES = regex.compile(
    r"^(?:(?:phấn\s+đấu|đạt|bảo\s+đảm|đảm\s+bảo|có|là|và|được|với|từ|tỷ\s+lệ\s+đạt|tỉ\s+lệ\s+đạt)(?!\p{L})[\s,:]*)+", _FLAGS
)
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_YEAR_START = regex.compile(r"(?:19|20)\d\d")
_QUOTED_NAME = regex.compile(r"[“\"‘«]([^”\"’»]{1,60})[”\"’»]")
_LETTER = regex.compile(r"\p{L}")
_CAPITALISED_NAME = regex.compile(r"\s+(\p{Lu}[\p{L}\p{N}]*)")
_NOUN_END = regex.compile(r"[,;:.()/]|\s(?:và|của|tại|cho|được|có|để|với|trong|theo|đến|từ|mỗi|hằng|hàng)\s")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_COMMA_OR_SEMICOLON = regex.compile(r"[,;]")
_SPACE_AFTER_OPENING = _Screened(regex.compile(r"([“‘(])\s+"), lambda text: "“" in text or "‘" in text or "(" in text)
_CLAUSE_MARK_AT_END = regex.compile(r"[,;:]\s*$")
_CLAUSE_MARK = regex.compile(r"[,;:]")
_PER_UNIT = regex.compile(r"^(?:\s*/\s*\p{L}+)+")
_TRAILING_JOINER = _Screened(regex.compile(r"(?:\s+|,)\s*(?:và|,)?\s*$"), lambda text: text[-1:].isspace() or text.endswith((",", "và")))
_BARE_YEAR = regex.compile(r"(?:cả\s+)?năm\s", _FLAGS)
_SPACE_BEFORE_CLOSING = _Screened(regex.compile(r"\s+([)”])"), lambda text: ")" in text or "”" in text)
_SEMICOLON_OR_COLON = regex.compile(r"[;:]")
_TRAILING_FROM = _Screened(regex.compile(r"(?<!\p{L})từ\s*$", _FLAGS), _Ending(["từ"]))
# "<indicator> đạt 8%": the measured thing stands before these words.
_MEASURE_END = _Screened(
    regex.compile(r"(?<!\p{L})(?:" + _alt(_V["measure_cues"]) + r")\s*$", _FLAGS), _Ending(_last_words(_V["measure_cues"]))
)
# Words left hanging when a time phrase is taken out ("cả [năm 2025]", "ngay [trong năm 2026]").
_DANGLING_WORDS = ["cả", "riêng", "trong", "vào", "của", "ngay"]
_DANGLING = _Screened(regex.compile(r"(?<!\p{L})(?:" + _alt(_DANGLING_WORDS) + r")\s*$", _FLAGS), _Ending(_DANGLING_WORDS))
_TIME_PREPOSITION = regex.compile(r"(?<!\p{L})(?:ngay\s+)?(?:vào|cả|ngay)\s+$", _FLAGS)
_MEASURE_HEAD = regex.compile(r"\s*(?:" + _alt(_V["measure_heads"]) + r")(?!\p{L})", _FLAGS)
# Where a list of quantities joins: "8% và năm 2026 đạt 10%", "…, 70% …".
_CONNECTOR = regex.compile(r"[,;]|(?<!\p{L})và(?!\p{L})", _FLAGS)
# ", tăng bình quân hằng năm … đạt 10 - 13%": a new predicate after a comma.
_COMMA_CUE = _Screened(
    regex.compile(r",\s*(?:" + _alt(_V["near_cues"]) + r")(?!\p{L})", _FLAGS),
    _both(lambda text: "," in text, _Phrases(_V["near_cues"])),
)
# Words that may stand between a time phrase and the number it fronts ("năm 2026 đạt từ 10%").
_FRONTING_GAP = regex.compile(
    r"^(?:\s|,|(?<!\p{L})(?:" + _alt(list(_V["measure_cues"]) + [w for _, w in _CMP_BEFORE] + ["từ", "có", "là", "mức"]) + r")(?!\p{L}))*$",
    _FLAGS,
)
# Spending norms: "hỗ trợ 100% chi phí", "miễn 50% học phí" set what is paid, not a level to reach.
_NORM_VERB_BEFORE = _Screened(
    regex.compile(r"(?<!\p{L})(?:" + _alt(_V["norm_verbs"]) + r")(?:\s+\S+){0,2}\s*$", _FLAGS), _Phrases(_V["norm_verbs"])
)
_COST_NOUN = regex.compile(r"^\s*(?:" + _alt(_V["cost_nouns"]) + r")(?!\p{L})", _FLAGS)
_OPEN_QUOTES = "“\"'‘«"
_LABEL = regex.compile(r"^[(]?(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])(?:[.)\-–/]+\s*|$)")
_TRAILING_CUE_WORDS = ["có", "đạt", "là", "bằng", "được", "từ", "đạt mức"]
_TRAILING_CUES = _Screened(
    regex.compile(r"(?<!\p{L})(?:" + _alt(_TRAILING_CUE_WORDS) + r")\s*$", _FLAGS), _Ending(_last_words(_TRAILING_CUE_WORDS))
)
_MAX_LEAD_WORDS = 15
_MAX_MEASURE_WORDS = 20
_KNOWN_SET_MENTIONS = 3
_MAX_INDICATOR_WORDS = 30


@dataclass
class _Found:
    """A target found in a clause, before its record is written."""

    quantity: Quantity
    unit: str
    comparator: str
    cmp_start: int  # where the comparator words ("ít nhất", "trên") start
    np_end: int  # end of the counted noun
    deadline: Any = None
    indicator: str = ""
    # Words of the indicator: "lead" (clause words before the number), "np" (its
    # own noun phrase), "predicate" (what is done), "carries_predicate".
    extra: dict = field(default_factory=dict)


# --- context ----------------------------------------------------------------


class _Context:
    """Per-document lookups: section by path, blocks, the term of office."""

    def __init__(self, doc: ParsedDocument, found: dict):
        self.doc = doc
        self.by_path: dict[str, Section] = {s.path: s for s in doc.sections}
        self.blocks = [b for b in doc.document.blocks if b.kind != "footnote"]
        self.block_starts = [b.start for b in self.blocks]
        self.term_end = self._term_end(found)
        identity = (found or {}).get("document") or {}
        doc_type = (identity.get("doc_type") or "").strip().lower()
        self.is_report = doc_type in _REPORT_TYPES
        date = identity.get("date") or ""
        self.year = int(date[:4]) if _YEAR_START.match(date) else None
        # Years in the title of a cited document date that document, not a target.
        self.cited_titles = sorted(cited_title_spans(doc.text, citation_anchors(found or {})))
        self._cited_starts = [s for s, _ in self.cited_titles]
        self._cited_reach = max((e - s for s, e in self.cited_titles), default=0)
        # Many sentences share a block and a section: their lead-in lines, context
        # kind and inherited deadline are looked up once; every step of a sentence
        # asks for its section and chain, also looked up once.
        self._lead_ins: dict[tuple, list[str]] = {}
        self._kinds: dict[tuple, Optional[str]] = {}
        self._inherited: dict[tuple, Any] = {}
        self._sections: dict[int, Optional[Section]] = {}
        self._chains: dict[int, list[Section]] = {}
        self._chain_kinds: dict[int, Optional[str]] = {}
        self._lead_in_flags: list[Optional[bool]] = [None] * len(self.blocks)

    def _term_end(self, found: dict) -> Optional[int]:
        title = ((found or {}).get("document") or {}).get("title") or ""
        year = term_end_year(title)
        if year:
            return year
        first = self.doc.sections[0].start if self.doc.sections else min(len(self.doc.text), 3000)
        return term_end_year(self.doc.text[:first]) or term_end_year(self.doc.text)

    def section_at(self, offset: int) -> Optional[Section]:
        """The innermost section holding ``offset``."""
        if offset not in self._sections:
            self._sections[offset] = self.doc.section_at(offset)
        return self._sections[offset]

    def chain(self, offset: int) -> list[Section]:
        """The sections holding ``offset``, innermost first (a shared list: read only)."""
        sec = self.section_at(offset)
        key = id(sec)
        if key not in self._chains:
            out = []
            while sec is not None:
                out.append(sec)
                sec = self.by_path.get(sec.parent) if sec.parent else None
            self._chains[key] = out
        return self._chains[key]

    def chain_kind(self, offset: int) -> Optional[str]:
        """The kind named by the nearest section title holding ``offset`` that names one."""
        key = id(self.section_at(offset))
        if key not in self._chain_kinds:
            self._chain_kinds[key] = next(filter(None, map(_section_kind, (s.title for s in self.chain(offset)))), None)
        return self._chain_kinds[key]

    def cited_titles_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The cited titles that overlap ``[start, end)``."""
        lo = bisect.bisect_left(self._cited_starts, start - self._cited_reach)
        hi = bisect.bisect_left(self._cited_starts, end)
        return [(s, e) for s, e in self.cited_titles[lo:hi] if start < e]

    def block_index(self, offset: int) -> int:
        return bisect.bisect_right(self.block_starts, offset) - 1

    def lead_ins(self, offset: int, limit: int = 60) -> list[str]:
        """Short unnumbered lines before ``offset`` inside its section ("* Đến năm 2025:")."""
        sec = self.section_at(offset)
        key = (self.block_index(offset), id(sec), limit)
        if key not in self._lead_ins:
            self._lead_ins[key] = self._find_lead_ins(sec, key[0], limit)
        return self._lead_ins[key]

    def is_lead_in(self, index: int) -> bool:
        """Whether block ``index`` is a short unnumbered line (asked once per block)."""
        flag = self._lead_in_flags[index]
        if flag is None:
            flag = self._lead_in_flags[index] = _is_lead_in(self.blocks[index])
        return flag

    def _find_lead_ins(self, sec: Optional[Section], index: int, limit: int) -> list[str]:
        floor = sec.title_end if sec else -1
        out: list[str] = []
        i = index - 1
        while i >= 0 and limit > 0:
            b = self.blocks[i]
            if b.end <= floor or (sec is None and b.region != "body"):
                break
            if self.is_lead_in(i):
                out.append(b.text)
            i -= 1
            limit -= 1
        return out


def _is_lead_in(block: Block) -> bool:
    return _is_lead_in_text(block.text)


@functools.lru_cache(maxsize=8192)
def _is_lead_in_text(text: str) -> bool:
    text = text.strip()
    words = _WORD.findall(text)
    if not words or len(words) > 14:
        return False
    if text.endswith(":"):
        return True
    return not text.endswith((".", ";", ",")) and not find_quantities(text)


@functools.lru_cache(maxsize=8192)
def _section_kind(title: str) -> Optional[str]:
    """A title names a kind of section when it opens with its words or is short
    ("Chỉ tiêu hằng năm", "TÌNH HÌNH VÀ NGUYÊN NHÂN"); a long task title that
    mentions "tình hình" in passing says nothing about its numbers."""
    title = title.lstrip(_LEADING_JUNK)
    short = len(_WORD.findall(title)) <= 8
    for kind, rx in (("target", _TARGET_SECTION), ("non-target", _NON_TARGET_SECTION)):
        m = rx.search(title)
        if m and (m.start() == 0 or short):
            return kind
    return None


def _context_kind(ctx: _Context, offset: int) -> Optional[str]:
    """"target" / "non-target" / None from lead-in lines and section titles, nearest first."""
    key = (ctx.block_index(offset), id(ctx.section_at(offset)))
    if key not in ctx._kinds:
        ctx._kinds[key] = _find_context_kind(ctx, offset)
    return ctx._kinds[key]


def _find_context_kind(ctx: _Context, offset: int) -> Optional[str]:
    for line in ctx.lead_ins(offset, limit=12):
        kind = _section_kind(line)
        if kind:
            return kind
    return ctx.chain_kind(offset)


# --- one clause -------------------------------------------------------------


_SEMICOLON = regex.compile(r"(;)")


def _clauses(sentence: Sentence) -> list[tuple[int, str]]:
    """Clauses of a sentence split at ";" (offsets absolute)."""
    out, pos = [], 0
    for part in _SEMICOLON.split(sentence.text):
        if part == ";":
            pos += 1
            continue
        out.append((sentence.start + pos, part))
        pos += len(part)
    return out


def _number_word_quantities(text: str, offset: int) -> list[Quantity]:
    return [Quantity(offset + s, offset + e, value, None, False, word) for s, e, value, word in _number_words(text)]


@functools.lru_cache(maxsize=8192)
def _number_words(text: str) -> tuple[tuple[int, int, int, str], ...]:
    """Counts written as words after a comparator ("ít nhất một"), offsets in
    ``text``; cached: a one-clause sentence is read as a sentence and as its clause."""
    return tuple(
        (m.start("n"), m.end("n"), _NUMBER_WORDS[m.group("n").lower()], m.group("n")) for m in _NUMBER_WORD_RE.finditer(text)
    )


@functools.lru_cache(maxsize=8192)
def _states_rule(sentence: str) -> bool:
    """A rule or a rate in the sentence ("mức trợ cấp", "định mức"); cached: asked
    for every quantity of the sentence."""
    return _RULE.search(sentence) is not None


@functools.lru_cache(maxsize=8192)
def _has_cue(sentence: str) -> bool:
    """A commitment cue in the sentence, outside the phrases that only look like one."""
    return bool(_CUES.search(_CUE_EXCEPTIONS.sub(" ", sentence)))


def _counted_noun(after: str) -> Optional[str]:
    """The counted noun right after a count, shortest form ("đoàn viên", "kênh YouTube").

    A known head from ``counted_noun_heads`` wins; otherwise the first word
    (underthesea's word segmentation joins "dự án" into one word), with the
    next one when the first is a one-syllable classifier ("vùng dự án").
    """
    after = after.lstrip()
    quoted = _QUOTED_NAME.match(after)
    if quoted and len(quoted.group(1).split()) <= 6:
        return quoted.group(1).strip()  # 15 “Nhà văn hóa công nhân”: the name is the unit
    after = after.lstrip(_OPEN_QUOTES)
    if not after or not _LETTER.match(after):
        return None
    m = _HEADS_RE.match(after)
    if m:
        head = m.group(0)
        rest = after[m.end():]
        # "kênh YouTube", "App Mobile": a capitalised name right after a one-word head.
        nm = _CAPITALISED_NAME.match(rest)
        if nm and len(head.split()) == 1 and head.lower() == head:
            return head + " " + nm.group(1)
        return head
    phrase = _NOUN_END.split(after, maxsplit=1)[0]
    phrase = " ".join(phrase.split()[:5])
    if not phrase:
        return None
    tokens = _word_tokens(phrase)
    if not tokens:
        return None
    if len(tokens) > 1 and " " not in tokens[0] and tokens[0].islower():
        return tokens[0] + " " + tokens[1]
    return tokens[0]


@functools.lru_cache(maxsize=4096)
def _word_tokens(phrase: str) -> tuple[str, ...]:
    """underthesea's words of a short phrase, punctuation left out (cached: the
    same nouns follow numbers again and again)."""
    from underthesea import word_tokenize

    return tuple(t for t in word_tokenize(phrase) if _WORD_CHAR.match(t))


def _comparator(text: str, clause_start: int, q: Quantity, seg_end_rel: int) -> tuple[str, int]:
    """The comparator of a quantity and where its words start."""
    rel = q.start - clause_start
    m = _CMP_BEFORE_RE.search(text[max(0, rel - 30):rel])
    if m:
        op = _CMP_BEFORE_OP[" ".join(m.group("w").lower().split())]
        return op, q.start - (len(text[max(0, rel - 30):rel]) - m.start())
    seg = text[q.end - clause_start:seg_end_rel]
    for am in _CMP_AFTER_RE.finditer(seg):
        between = seg[: am.start()]
        if _RATING_END.search(between):
            continue
        if len(_WORD.findall(between)) <= 4 and not _COMMA_OR_SEMICOLON.search(between):
            return _CMP_AFTER_OP[" ".join(am.group("w").lower().split())], q.start
        break
    return "=", q.start


def _is_norm(before: str, after: str, q: Quantity) -> bool:
    """A spending norm, not a target: a share of a cost that is paid or waived
    ("hỗ trợ 100% chi phí", "miễn 50% học phí"), or a rate of money that is not
    reached by a commitment ("không quá 40.000.000 đồng/tháng", "hỗ trợ 50.000
    đồng/người/ngày"; but "thu nhập … đạt trên 9,5 triệu đồng/người/tháng" is one)."""
    if q.percent:
        return bool(_NORM_VERB_BEFORE.search(before[-40:]) and _COST_NOUN.match(after))
    money = _MONEY.match(after.lstrip())
    if not money or not after.lstrip()[money.end():].lstrip().startswith("/"):
        return False
    return not _MEASURE_END.search(_CMP_BEFORE_RE.sub("", before[-40:]))


def _floor_commitment(before: str, q: Quantity) -> bool:
    """A share given a floor ("tại không dưới 20% công đoàn cơ sở"), unless the
    clause grants it ("công đoàn cơ sở được sử dụng tối thiểu 75% số thu"): an
    entitlement is a rule, not a level to reach."""
    return q.percent and bool(_FLOOR_BEFORE.search(before[-30:])) and not _ENTITLED.search(before)


def _mentioned_again(text: str, q: Quantity, unit: str, times: int = 2) -> bool:
    """"02 công trình dự án" said again elsewhere (``times`` in all) names a known
    set, not a plan."""
    # Each mention holds the number and the unit's first word, apart from the
    # other mentions: fewer of either in the text and the whole text need not be read.
    if text.count(q.text) < times or text.count((unit.split() or [unit])[0]) < times:
        return False
    return len(_mention_re(q.text, unit).findall(text)) >= times


@functools.lru_cache(maxsize=1024)
def _mention_re(number: str, unit: str) -> regex.Pattern:
    phrase = regex.escape(number) + r"\s+" + regex.escape(unit).replace(r"\ ", r"\s+")
    return regex.compile(r"(?<![\p{L}\p{N}])" + phrase + r"(?!\p{L})")


_NUMBER_LABEL = regex.compile(r"(?<!\d)\d+\s*[.)]")  # from a number's first digit: linear on digit runs


def _is_label(text: str, rel: int, block_start_rel: int) -> bool:
    before = text[max(0, rel - 25):rel]
    if _LABEL_BEFORE.search(before):
        return True
    # A number opening a block and followed by "." or ")" is a list label.
    return rel <= block_start_rel + 1 and bool(_NUMBER_LABEL.match(text[rel:rel + 6]))


def _label_or_past(clause: str, rel: int, block_start_rel: int) -> bool:
    """A list label, a document number, or a number after a word of the past ("đã đạt 95%")."""
    return _is_label(clause, rel, block_start_rel) or bool(_PAST.search(clause[:rel]))


def _strip(s: str) -> str:
    return s.lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK).strip()


def _split_predicate(segment: str, max_words: int = 14) -> tuple[str, str]:
    """Split "doanh nghiệp nhà nước tổ chức đối thoại …" into noun phrase and predicate.

    The predicate starts at the first verb after a noun (underthesea's POS tags);
    only the first ``max_words`` words are tagged: the noun phrase is short.
    """
    words = list(_WORD.finditer(segment))
    head = segment[: words[max_words - 1].end()] if len(words) > max_words else segment
    tags = _pos_tag(head)
    pos, seen_noun = 0, False
    for word, tag in tags:
        idx = head.find(word, pos)
        if idx < 0:
            continue
        if tag.startswith("N"):
            seen_noun = True
        elif tag == "V" and seen_noun:
            return segment[:idx].strip(), segment[idx:].strip()
        pos = idx + len(word)
    return segment, ""


@functools.lru_cache(maxsize=4096)
def _pos_tag(text: str) -> tuple[tuple[str, str], ...]:
    from underthesea import pos_tag

    return tuple(tuple(t) for t in pos_tag(text))


def _trim_indicator(text: str) -> str:
    text = _SPACE_AFTER_OPENING.sub(r"\1", text)  # parts joined inside a quoted name
    m = _STOPS.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    text = _strip(text)
    words = list(_WORD.finditer(text))
    if len(words) > _MAX_INDICATOR_WORDS:
        text = text[: words[_MAX_INDICATOR_WORDS - 1].end()]
    return _strip(text)


def _np_span_end(text: str, start: int, f: _Found) -> int:
    """End of a quantity's noun phrase in the text: where its words, as kept for the
    indicator, end; else (words taken out of it: "… vào năm 2030 …") the end of
    the stretch they were read from."""
    phrase = f.extra.get("np", "")
    if not phrase:
        return start
    idx = text.find(phrase, start, start + 40 + len(phrase))
    return idx + len(phrase) if idx >= 0 else f.extra["np_end"]


_ANY_SCOPE = _Phrases(_SCOPES)


def _scope(indicator: str) -> Optional[str]:
    if not _ANY_SCOPE(indicator):  # one screen for all: most indicators name no scope
        return None
    for name, rx in _SCOPE_RES:
        if rx.search(indicator):
            return name
    return None


_TERM_WORDS = ["nhiệm kỳ", "giai đoạn", "khóa", "khoá"]
_TERM_NUMBERS = _Screened(regex.compile(r"(?:" + _alt(_TERM_WORDS) + r")\s*[\p{N}\s\-–—]+", _FLAGS), _Phrases(_TERM_WORDS))


def _masked_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans = [(t.start, t.end) for t in find_time_exprs(text, offset)]
    for m in _TERM_NUMBERS.finditer(text):
        spans.append((offset + m.start(), offset + m.end()))
    return spans


class _SentenceState:
    """What the clauses of one sentence share: its context kind, commitment cue,
    deadline phrases, those already taken by a quantity ("20% xã … năm 2025, …"),
    where its first target starts.

    The shared facts are worked out when first asked: most numbers of a sentence
    are list labels or dates, and a sentence without a target needs none of them.
    """

    def __init__(self, ctx: _Context, sentence: Sentence):
        self.ctx, self.sentence = ctx, sentence
        self.claimed: set = set()
        self.first_target: Optional[int] = None

    @functools.cached_property
    def context(self) -> Optional[str]:
        return _context_kind(self.ctx, self.sentence.start)

    @functools.cached_property
    def cue(self) -> bool:
        return _has_cue(self.sentence.text)

    @functools.cached_property
    def in_article(self) -> bool:
        return any(sec.kind in _ARTICLE_KINDS for sec in self.ctx.chain(self.sentence.start))

    @functools.cached_property
    def candidates(self) -> list[TargetDeadline]:
        ctx, sentence = self.ctx, self.sentence
        dates = [(t.start, t.end) for t in find_time_exprs(sentence.text, sentence.start) if t.kind == "date"]
        blocked = dates + ctx.cited_titles_in(sentence.start, sentence.end)
        return [
            d
            for d in target_deadlines(sentence.text, ctx.term_end, sentence.start)
            if not any(d.start < e and s < d.end for s, e in blocked)
        ]


def _deadline_for(
    ctx: _Context,
    sentence: Sentence,
    clause_start: int,
    clause: str,
    breaks: list[int],
    f: _Found,
    quantities: list[Quantity],
    state: _SentenceState,
) -> Any:
    """The deadline of one quantity: the time phrase nearest to it that governs it.

    0. A yearly rate ("05 - 06%/năm") is annual.
    1. A phrase after the number in its own stretch (up to the next number, the
       next commitment cue, a comma that opens a new predicate (", tăng bình quân
       …"), a clause break, or ";"): "đạt 20% xã, phường … năm
       2025, bảo đảm …" → 2025; unless it fronts the next number ("8% và năm
       2026 đạt từ 10%": 2026 is the 10%'s).
    2. The nearest phrase before it in its clause, not taken by an earlier number;
       from an earlier clause of the sentence only one that fronts the whole list
       ("Đến năm 2025: 90% …; 70% …").
    3. A lead-in line ("* Đến năm 2025:"), then the titles of the sections holding it.
    """
    text = ctx.doc.text
    q = f.quantity
    clause_end = clause_start + len(clause)
    stops = [x.start for x in quantities if x.start > q.start]
    stops += [clause_start + b for b in breaks if clause_start + b >= q.end]
    stops += [clause_start + m.start() for m in _CUES.finditer(clause, q.end - clause_start)]
    stops += [clause_start + m.start() for m in _COMMA_CUE.finditer(clause, q.end - clause_start)]
    window_end = min(stops + [clause_end])
    next_number = min((x.start for x in quantities if x.start > q.start), default=None)
    if _PER_YEAR.match(text, f.np_end if f.unit != "%" else q.end):
        return "annual"  # "tốc độ tăng bình quân 05 - 06%/năm": a yearly rate
    for d in state.candidates:
        if d.start < q.end or d.end > window_end:
            continue
        if next_number is not None and _FRONTING_GAP.match(text[d.end:next_number]):
            break  # "… và năm 2026 đạt từ 10%": it belongs to the next number
        state.claimed.add(d.start)
        return d.value
    before = [
        d
        for d in state.candidates
        if d.end <= f.cmp_start
        and d.start not in state.claimed
        and (d.start >= clause_start or state.first_target is None or d.end <= state.first_target)
    ]
    if before:
        return before[-1].value
    return _inherited_deadline(ctx, sentence.start)


def _inherited_deadline(ctx: _Context, offset: int) -> Any:
    """The deadline set above ``offset``: by a lead-in line, else a section title."""
    key = (ctx.block_index(offset), id(ctx.section_at(offset)))
    if key not in ctx._inherited:
        ctx._inherited[key] = _find_inherited_deadline(ctx, offset)
    return ctx._inherited[key]


def _find_inherited_deadline(ctx: _Context, offset: int) -> Any:
    for line in ctx.lead_ins(offset):
        found = target_deadlines(line, ctx.term_end)
        if found:
            return found[0].value
    for sec in ctx.chain(offset):
        title = sec.title
        found = target_deadlines(title, ctx.term_end)
        if not found:
            continue
        # A long task title mentions years in passing; a title that opens with
        # one ("Đến năm 2028 (hết nhiệm kỳ Đại hội XIII …)") or names targets sets it.
        opens = not _WORD.findall(title[: found[0].start])
        if len(_WORD.findall(title)) > 10 and not _TARGET_SECTION.search(title) and not opens:
            continue
        return found[0].value
    return None


def _clause_targets(ctx: _Context, sentence: Sentence, clause_start: int, clause: str, block: Block, state: _SentenceState) -> list[_Found]:
    text = ctx.doc.text
    quantities = find_quantities(clause, clause_start) + _number_word_quantities(clause, clause_start)
    # Labels and numbers after a word of the past are never targets, whatever
    # else the clause holds; most clauses hold nothing else and need no more work.
    open_ids = {id(q) for q in quantities if not _label_or_past(clause, q.start - clause_start, block.start - clause_start)}
    if not open_ids:
        return []
    masked = _masked_spans(clause, clause_start)
    if masked:
        quantities = [q for q in quantities if not any(q.start < e and s < q.end for s, e in masked)]
    quantities.sort(key=lambda q: q.start)
    clause_end = clause_start + len(clause)
    breaks = clause_breaks(clause)
    kept: list[_Found] = []
    planned_before = False
    for i, q in enumerate(quantities):
        if id(q) not in open_ids:
            continue
        rel = q.start - clause_start
        before_text = clause[:rel]
        # Cheap tests first: conditions, sections that describe the past, rules.
        condition = _CONDITION_HAS.search(before_text[-60:])
        if condition and not _COMMIT_BEFORE_HAS.search(before_text[-40:]):
            valued_end = kept[-1].quantity.end - clause_start if kept else 0
            if not (condition.group("reached") and q.percent and _RATIO.search(before_text, valued_end)):
                continue
        context = state.context
        if context == "non-target":
            continue
        near = verb_before = False
        if context != "target":
            if _CONDITION_MARKER.search(text[sentence.start:q.start]) or _states_rule(sentence.text):
                continue
            sentence_cue = state.cue
            if state.in_article and not sentence_cue:
                continue
            if ctx.is_report and not sentence_cue:
                continue
            near = bool(_NEAR_CUE.search(before_text[-40:])) or _floor_commitment(before_text, q)
            verb_before = not q.percent and (bool(_OUTPUT_VERB_BEFORE.search(before_text[-40:])) or planned_before)
            if not (sentence_cue or near or verb_before):
                continue
        seg_end = quantities[i + 1].start if i + 1 < len(quantities) else clause_end
        after = text[q.end:seg_end]
        if _is_norm(before_text, after, q):
            continue
        rate_or_money = False
        if q.percent:
            unit = "%"
        else:
            skip = _CMP_AFTER_RE.match(after.lstrip())
            noun_text = after.lstrip()[skip.end():] if skip else after
            unit = _counted_noun(noun_text)
            if not unit or _EXCLUDED_UNIT.match(unit):
                continue
            rest = noun_text.lstrip().lstrip(_OPEN_QUOTES)[len(unit):]
            if _PER_TIME.match(rest):
                continue
            # A rate ("đồng/ha", "người/năm") or an amount of money is no planned output.
            rate_or_money = rest.lstrip().startswith("/") or bool(_MONEY.match(unit))
        # A planned count of outputs: "xây dựng 01 kênh YouTube và 01 App Mobile".
        planned = verb_before and not rate_or_money
        if context != "target":
            if not (sentence_cue or near or planned):
                continue
            if planned and not (sentence_cue or near) and _mentioned_again(text, q, unit):
                continue
            # A count repeated through the text ("02 công trình dự án" five times)
            # names the things the text is about, whatever verb stands before it.
            if unit != "%" and _mentioned_again(text, q, unit, times=_KNOWN_SET_MENTIONS):
                continue
        planned_before = planned
        comparator, cmp_start = _comparator(clause, clause_start, q, seg_end - clause_start)
        if unit != "%":
            np_end = q.end + len(after) - len(after.lstrip()) + len(unit)
        else:  # "9% trở lên": the comparator words right after it belong to the span
            cmp_after = _CMP_AFTER_RE.match(after.lstrip())
            np_end = q.end + (len(after) - len(after.lstrip()) + cmp_after.end() if cmp_after else 0)
        kept.append(_Found(q, unit, comparator, cmp_start, np_end))
    if not kept:
        return []
    _phrases(ctx, clause_start, clause, breaks, kept)
    out = []
    for f in kept:
        f.deadline = _deadline_for(ctx, sentence, clause_start, clause, breaks, f, quantities, state)
        if isinstance(f.deadline, int) and ctx.year and f.deadline < ctx.year:
            continue  # a year before the document was issued: a result, not a target
        if state.first_target is None:
            state.first_target = f.cmp_start
        out.append(f)
    return out


def _phrases(ctx: _Context, clause_start: int, clause: str, rel_breaks: list[int], kept: list[_Found]) -> None:
    """Split each quantity's words into the clause lead, its noun phrase and its predicate.

    A comma that opens a new clause ("…, đảm bảo …", "…, Chính phủ yêu cầu …")
    bounds them. Where the measured thing stands before the number ("tăng trưởng
    kinh tế cả năm 2025 đạt trên 8% và năm 2026 đạt từ 10%"), that phrase is kept
    apart as the quantity's ``measure``.
    """
    text = ctx.doc.text
    clause_end = clause_start + len(clause)
    breaks = [clause_start + b for b in rel_breaks]
    lead_start = max((b for b in breaks if b < kept[0].cmp_start), default=clause_start)
    raw_lead = text[lead_start:kept[0].cmp_start]
    kept[0].extra["measure"] = _first_measure(raw_lead)
    kept[0].extra["own_start"] = None
    lead = _blank_deadlines(raw_lead)
    lead = _strip(_LABEL.sub("", " ".join(lead.split()).lstrip(_LEADING_JUNK)))
    lead = _strip(_DANGLING.sub("", _CMP_BEFORE_RE.sub("", lead)))
    # What comes before the last "phấn đấu" is circumstance ("Để khắc phục …,
    # phấn đấu tăng trưởng 8%") unless nothing but the number follows it and no
    # comma parts them ("Tổng sản phẩm xuất khẩu phấn đấu đạt 46.200 tấn").
    cues = list(_CUES.finditer(lead))
    if cues:
        after_cue = _clean_lead(lead[cues[-1].end():])
        before_cue = lead[: cues[-1].start()]
        if len(_WORD.findall(after_cue)) >= 2 or _CLAUSE_MARK_AT_END.search(before_cue):
            lead = after_cue
        else:
            lead = _clean_lead(_CLAUSE_MARK.split(before_cue)[-1])
    else:
        lead = _clean_lead(lead)
    words = list(_WORD.finditer(lead))
    if len(words) > _MAX_LEAD_WORDS:
        lead = lead[words[-_MAX_LEAD_WORDS].start():]
    # Between two quantities: "… 8% | và năm 2026 đạt từ | 10%": the words after the
    # last connector before "đạt" are the next quantity's measure.
    for k in range(1, len(kept)):
        region_start = kept[k - 1].quantity.end
        region = _strip_comparator(text[region_start:kept[k].cmp_start])
        kept[k].extra["measure"], kept[k].extra["own_start"] = "", None
        m = _MEASURE_END.search(region)
        if not m:
            # "đạt" left out after a measured quantity: "… đạt trên 8% và năm 2026 từ
            # 10%" (only a time), "… đạt 48,3 triệu USD, tốc độ tăng bình quân 05%/năm"
            # (a measure noun after the connector).
            connectors = list(_CONNECTOR.finditer(region))
            if not kept[k - 1].extra["measure"] or not connectors:
                continue
            headed = [c for c in connectors if _MEASURE_HEAD.match(region, c.end())]
            tail = region[connectors[-1].end():]
            if headed:
                kept[k].extra["own_start"] = region_start + headed[-1].start()
                kept[k].extra["measure"] = _clean_lead(" ".join(region[headed[-1].end():].split()))
            elif _WORD.search(tail) and not _WORD.search(_without_time(tail)):
                kept[k].extra["own_start"] = region_start + connectors[-1].start()
                kept[k].extra["measure"] = " ".join(_strip(tail).split())
            continue
        connectors = list(_CONNECTOR.finditer(region, 0, m.start()))
        # "…, giá trị hàng công nghiệp, tiểu thủ công nghiệp đạt 5%": the measure
        # starts at a measure noun where one follows a connector.
        headed = [c for c in connectors if _MEASURE_HEAD.match(region, c.end())]
        connectors = headed or connectors
        if connectors:
            kept[k].extra["own_start"] = region_start + connectors[-1].start()
            measure = _clean_lead(" ".join(region[connectors[-1].end():m.start()].split()))
            # "…, bảo đảm đến hết năm 2030 đạt 50% địa bàn": only a time, and no
            # measure before it to repeat: the noun phrase after the number tells.
            if _WORD.search(_without_time(measure)) or kept[k - 1].extra["measure"]:
                kept[k].extra["measure"] = measure
    for k, f in enumerate(kept):
        # Up to the next target: a threshold between them ("90% doanh nghiệp có từ 50
        # lao động trở lên tổ chức đối thoại") is part of what is counted.
        nxt = [g.quantity.start for g in kept[k + 1:]]
        end = min([nxt[0] if nxt else clause_end] + [b for b in breaks if b >= f.quantity.end])
        if k + 1 < len(kept) and kept[k + 1].extra["own_start"] is not None:
            end = min(end, kept[k + 1].extra["own_start"])
        seg = text[f.quantity.end:end]
        # The next quantity's comparator words belong to it, not to this segment.
        m = _CMP_BEFORE_RE.search(seg)
        if m and nxt:
            seg = seg[: m.start()]
        f.extra["np_end"] = f.quantity.end + len(seg.rstrip(_TRAILING_JUNK))
        seg = _CMP_AFTER_RE.sub(" ", _blank_deadlines(seg))  # "20% xã … năm 2025": the year is its deadline
        seg = _PER_UNIT.sub("", seg)  # "3,5 - 4%/năm"
        seg = _TRAILING_JOINER.sub("", seg)
        seg = _DANGLING.sub("", _strip(seg))  # "… nâng cao ngay [trong năm 2026]"
        seg = " ".join(_strip(seg).split())
        f.extra["lead"] = lead
        # Only the last quantity of a clause carries the predicate; those listed
        # before it are bare noun phrases sharing it.
        f.extra["np"], f.extra["predicate"] = seg, ""
        f.extra["carries_predicate"] = bool(seg) and k == len(kept) - 1


def _blank_deadlines(text: str, keep_bare_years: bool = False) -> str:
    """Blank the time phrases of a lead: "đến năm 2025" says when, not what is
    counted; "bình quân mỗi năm" does say what is counted. With ``keep_bare_years``
    a bare year inside a measure stays ("tăng trưởng kinh tế cả năm 2025")."""
    for d in target_deadlines(text):
        if d.value == "annual":
            continue
        if keep_bare_years and _BARE_YEAR.match(text[d.start:d.end]) and _WORD.search(text[: d.start]):
            continue
        start = d.start
        lead = _TIME_PREPOSITION.search(text, 0, start)  # "vào [năm 2030]", "ngay [trong năm 2026]"
        if lead:
            start = lead.start()
        text = text[:start] + " " * (d.end - start) + text[d.end:]
    return _SPACE_BEFORE_CLOSING.sub(r"\1", text)


def _first_measure(raw: str) -> str:
    """The measured thing before the first quantity's "đạt", after the last
    commitment cue or colon: "…, phấn đấu tăng trưởng kinh tế cả năm 2025 đạt"."""
    raw = _strip_comparator(raw)
    m = _MEASURE_END.search(raw)
    if not m:
        return ""
    head = raw[: m.start()]
    # Commas also join the nouns of a measure ("giá trị sản phẩm nông sản, thực
    # phẩm tham gia xuất khẩu"): only a cue or a colon bounds it.
    cut = max([c.end() for c in _CUES.finditer(head)] + [c.end() for c in _SEMICOLON_OR_COLON.finditer(head)] + [0])
    head = _LEADING_CUES.sub("", _strip(_LABEL.sub("", head[cut:].lstrip(_LEADING_JUNK))))
    head = _strip(" ".join(_blank_deadlines(head, keep_bare_years=True).split()))
    words = list(_WORD.finditer(head))
    if len(words) > _MAX_MEASURE_WORDS:  # the measure noun opens the phrase: keep its start
        head = head[: words[_MAX_MEASURE_WORDS - 1].end()]
    return head


def _strip_comparator(text: str) -> str:
    """Text before a number without its comparator words ("đạt từ", "đạt trên")."""
    return _TRAILING_FROM.sub("", _CMP_BEFORE_RE.sub("", text))




def _without_time(measure: str) -> str:
    """A measure without its time phrases: "tăng trưởng kinh tế cả năm 2025" →
    "tăng trưởng kinh tế"."""
    out = " ".join(_blank_deadlines(measure).split())
    return _strip(_DANGLING.sub("", out))


def _clean_lead(lead: str) -> str:
    lead = _LEADING_CUES.sub("", _strip(lead))
    return _strip(_TRAILING_CUES.sub("", _strip(_CMP_BEFORE_RE.sub("", lead))))


def _compose_indicators(founds: list[_Found]) -> None:
    """Indicators of a sentence's targets: lead + noun phrase + predicate.

    Quantities listed before a shared predicate take it ("90% … doanh nghiệp nhà
    nước và 70% … ngoài khu vực nhà nước tổ chức đối thoại"), also across ";";
    an elliptical quantity ("đến năm 2023 đạt tỉ lệ trên 70%") takes the noun
    phrase and predicate of the one before it.
    """
    if len(founds) > 1:
        # Only where quantities share words is the predicate worth finding.
        for f in founds:
            if f.extra["carries_predicate"]:
                f.extra["np"], f.extra["predicate"] = _split_predicate(f.extra["np"])
    previous, previous_measure = "", ""
    for i, f in enumerate(founds):
        measure = f.extra.get("measure", "")
        if measure or (f.extra.get("own_start") is not None and previous_measure):
            # "<indicator> đạt X": the phrase before "đạt" is the indicator; a bare
            # time ("và năm 2026 đạt từ 10%") repeats the previous measure.
            if not _WORD.search(_without_time(measure)):
                measure = " ".join(p for p in (_without_time(previous_measure), measure) if p)
            else:
                measure = _shared_subject(previous_measure, measure) + measure
            f.indicator = _trim_indicator(" ".join(p for p in (measure, _counted_rest(f)) if p))
            previous_measure = measure
            continue
        np_, predicate = f.extra["np"], f.extra["predicate"]
        if np_ and not predicate:
            predicate = ""
            for g in founds[i + 1:]:
                if g.extra.get("own_start") is not None:
                    break  # "đạt 20% xã …, bảo đảm … đạt 50% địa bàn": a predicate of its own
                if g.extra["predicate"]:
                    predicate = g.extra["predicate"]
                    break
        own = " ".join(p for p in (np_, predicate) if p)
        if not own:
            own = previous
        f.indicator = _trim_indicator(" ".join(p for p in (f.extra["lead"], own) if p))
        previous = own or previous


def _shared_subject(previous: str, measure: str) -> str:
    """The subject a measure leaves out because the previous one states it: in
    "tỷ lệ lao động trong độ tuổi tham gia bảo hiểm xã hội đạt 60%, tham gia bảo
    hiểm thất nghiệp đạt 45%" the second shares "tỷ lệ lao động trong độ tuổi"."""
    if not previous or _MEASURE_HEAD.match(measure):
        return ""
    first = _WORD.findall(measure)[:2]
    if len(first) < 2:
        return ""
    m = regex.search(r"(?<!\p{L})" + r"\s+".join(map(regex.escape, first)) + r"(?!\p{L})", previous, _FLAGS)
    return previous[: m.start()] if m and m.start() > 0 else ""


def _counted_rest(f: _Found) -> str:
    """What follows a measured quantity ("đạt 90% trở lên so với số phải thu"),
    without its unit: "46.200 tấn" adds nothing to the measure."""
    np_ = " ".join(p for p in (f.extra.get("np", ""), f.extra.get("predicate", "")) if p)
    if f.unit != "%" and np_.lower().startswith(f.unit.lower()):
        np_ = np_[len(f.unit):]
    return _strip(_PER_UNIT.sub("", np_))  # "đồng/người/tháng", "%/năm"


# --- tables of targets --------------------------------------------------------

_TABLE_UNIT_HEADER = regex.compile(r"^(?:" + _alt(_V["table_unit_headers"]) + r")$", _FLAGS)
_TABLE_NUMBER_HEADER = regex.compile(r"^(?:" + _alt(_V["table_number_headers"]) + r")$", _FLAGS)
_TABLE_TARGET_HEADER = _phrase_re(_V["table_target_headers"])
_CELL_QUANTITY = regex.compile(
    r"^(?P<cmp>(?:" + _alt(w for _, w in _CMP_BEFORE) + r")\s*)?(?P<q>.+?)\s*(?P<after>" + _alt(w for _, w in _CMP_AFTER) + r")?\s*$",
    _FLAGS,
)


def _cell_offsets(block: Block) -> list[int]:
    """Start offset of each cell's text inside the block's text (-1 when not found)."""
    out, pos = [], 0
    for cell in block.cells or []:
        idx = block.text.find(cell, pos) if cell else -1
        out.append(block.start + idx if idx >= 0 else -1)
        if idx >= 0:
            pos = idx + len(cell)
    return out


def _cell_quantity(cell: str) -> Optional[tuple[Quantity, str]]:
    """A cell that holds only a number ("80", "≥ 80%", "trên 1.500", "2 - 3")."""
    m = _CELL_QUANTITY.match(cell.strip())
    if not m:
        return None
    qs = find_quantities(m.group("q"))
    if len(qs) != 1 or qs[0].text.strip() != m.group("q").strip():
        return None
    op = "="
    if m.group("cmp"):
        op = _CMP_BEFORE_OP[" ".join(m.group("cmp").strip().lower().split())]
    elif m.group("after"):
        op = _CMP_AFTER_OP[" ".join(m.group("after").lower().split())]
    return qs[0], op


def _table_targets(ctx: _Context, block: Block, header: Optional[Block]) -> list[dict]:
    """Targets of one row of a table of targets: number cells, with the unit column
    and the row's description; a year in a column header is the cell's deadline."""
    cells = block.cells or []
    head = header.cells if header is not None and header is not block and header.cells else []
    context = _context_kind(ctx, block.start)
    if context == "non-target":
        return []
    if context != "target" and not any(_TABLE_TARGET_HEADER.search(h) for h in head):
        return []
    unit_col = next((j for j, h in enumerate(head) if _TABLE_UNIT_HEADER.match(h.strip())), None)
    skip_cols = {j for j, h in enumerate(head) if _TABLE_NUMBER_HEADER.match(h.strip())}
    numbers = []
    for j, cell in enumerate(cells):
        if j in skip_cols or j == unit_col or not cell.strip():
            continue
        found = _cell_quantity(cell)
        if found:
            numbers.append((j, *found))
    texts = [c for j, c in enumerate(cells) if j not in skip_cols and j != unit_col and c.strip() and not _cell_quantity(c)]
    if not numbers or not texts:
        return []
    indicator = _trim_indicator(max(texts, key=len))
    unit_text = cells[unit_col].strip() if unit_col is not None and unit_col < len(cells) else ""
    if unit_col is None:
        short = [c.strip() for c in texts if c.strip() != max(texts, key=len).strip() and len(_WORD.findall(c)) <= 3]
        unit_text = short[0] if short else ""
    offsets = _cell_offsets(block)
    row_deadline = None
    for sec_line in ctx.lead_ins(block.start):
        found = target_deadlines(sec_line, ctx.term_end)
        if found:
            row_deadline = found[0].value
            break
    if row_deadline is None:
        for sec in ctx.chain(block.start):
            found = target_deadlines(sec.title, ctx.term_end)
            if found:
                row_deadline = found[0].value
                break
    out = []
    for j, q, op in numbers:
        percent = q.percent or unit_text == "%"
        unit = "%" if percent else (unit_text or _counted_noun(indicator) or "")
        if not unit or (not percent and _EXCLUDED_UNIT.match(unit)):
            continue
        col_deadline = target_deadlines(head[j], ctx.term_end) if j < len(head) else []
        start = offsets[j] if j < len(offsets) and offsets[j] >= 0 else block.start
        end = start + len(cells[j]) if offsets[j] >= 0 else block.end
        record = {
            "value": q.value,
            "value_max": q.value_max,
            "unit": unit,
            "comparator": op,
            "deadline": col_deadline[0].value if col_deadline else row_deadline,
            "indicator": indicator,
            "scope": _scope(indicator),
            "text": ctx.doc.text[start:end],
        }
        record.update(ctx.doc.provenance(start, end))
        out.append(record)
    return out


# --- document ---------------------------------------------------------------

_CACHE: "weakref.WeakKeyDictionary[ParsedDocument, tuple[tuple, list[dict]]]" = weakref.WeakKeyDictionary()


def find_targets(doc: ParsedDocument, found: Optional[dict] = None) -> list[dict]:
    """All target records of a document.

    Cached per document (the deadline extractor asks first, to leave the time
    phrases of targets to them) and per identity, which ``found`` may carry.
    """
    identity = (found or {}).get("document") or {}
    key = (identity.get("doc_type"), identity.get("title"))
    cached = _CACHE.get(doc)
    if cached is not None and cached[0] == key:
        return cached[1]
    ctx = _Context(doc, found or {})
    records: list[dict] = []
    headers: dict[int, Block] = {}
    for block in doc.document.blocks:
        if block.kind == "table_row" and block.region == "body" and block.table is not None:
            header = headers.setdefault(block.table, block)
            records.extend(_table_targets(ctx, block, header))
    for sentence in doc.sentences:
        block = doc.document.block_at(sentence.start)
        if block is None or block.kind in ("footnote", "table_row") or block.region not in ("body", None):
            continue
        if not has_quantities(sentence.text) and not _number_words(sentence.text):
            continue
        state = _SentenceState(ctx, sentence)
        founds = [f for clause_start, clause in _clauses(sentence) for f in _clause_targets(ctx, sentence, clause_start, clause, block, state)]
        _compose_indicators(founds)
        for f in founds:
            q = f.quantity
            span_end = max(q.end, f.np_end, _np_span_end(doc.text, q.end, f))
            record = {
                "value": q.value,
                "value_max": q.value_max,
                "unit": f.unit,
                "comparator": f.comparator,
                "deadline": f.deadline,
                "indicator": f.indicator,
                "scope": _scope(f.indicator),
                "text": doc.text[f.cmp_start:span_end],
            }
            record.update(doc.provenance(f.cmp_start, span_end))
            records.append(record)
    records.sort(key=lambda r: r["span"][0])
    _CACHE[doc] = (key, records)
    return records


@register("targets")
def extract(doc: ParsedDocument, found: dict) -> list[dict]:
    return list(find_targets(doc, found))
