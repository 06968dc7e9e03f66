"""The fast paths of the targets extractor give what the plain computations gave.

Speed work put a cheap screen (a case-folded substring or suffix test) before
the extractor's patterns, stripped junk with str methods instead of patterns
anchored at the end, asked ``has_quantities`` instead of building quantities, and
looked cited titles up by bisection. Each test puts a fast path next to the plain
computation it stands for, on the real documents and on edge cases (upper case,
odd blanks, a trailing newline, every vocabulary phrase).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest
import regex

from extractors import numbers, run_extractors, targets
from extractors.timeexpr import citation_anchors, cited_title_spans
from pipeline.process import parse
from pipeline.readers import read_document
from pipeline.vocab import load

REPO = Path(__file__).resolve().parents[1]
TXT = sorted((REPO / "corpus" / "txt").glob("*.txt"))

SCREENED = {name: value for name, value in vars(targets).items() if isinstance(value, targets._Screened)}
SCREENED.update({f"_SCOPE_RES[{name}]": rx for name, rx in targets._SCOPE_RES})
BLANK_VARIANTS = [" ", "\t\u00a0 \u3000", "\n"]


@functools.lru_cache(maxsize=None)
def _parsed(path: Path):
    return parse(read_document(path, path.name))


def _vocabulary_phrases() -> list[str]:
    """Every phrase of models/targets.yaml, plus the words written in the patterns."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                out.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        else:
            out.append(str(node))

    walk(load("targets"))
    out += targets._DANGLING_WORDS + targets._TRAILING_CUE_WORDS + targets._TERM_WORDS + ["là", "mức", "có", "từ", "và", ","]
    return sorted(set(out))


@functools.lru_cache(maxsize=None)
def _edge_texts() -> tuple[str, ...]:
    """Each phrase alone, in upper case, with odd blanks between its words, inside
    and at the end of a sentence, before a number and a trailing newline."""
    texts = set()
    for phrase in _vocabulary_phrases():
        for form in (phrase, phrase.upper()):
            for blank in BLANK_VARIANTS:
                spaced = blank.join(form.split())
                texts |= {
                    spaced,
                    f"doanh nghiệp có {spaced}{blank}",
                    f"Tỷ lệ {spaced} một đoàn viên, 70% và\n",
                    f"({spaced})”, {spaced} và",
                }
    return tuple(sorted(texts))


@functools.lru_cache(maxsize=None)
def _document_texts() -> tuple[str, ...]:
    """Sentences of the real documents, and each one cut before each of its digits
    (the text before a number that most patterns look at), and after each digit."""
    texts = []
    for path in TXT:
        for sentence in _parsed(path).sentences:
            t = sentence.text
            texts.append(t)
            for m in regex.finditer(r"\d+", t):
                texts += [t[: m.start()], t[max(0, m.start() - 40) : m.start()], t[m.end() :]]
    return tuple(sorted(set(texts)))


def _plain(rx: targets._Screened, method: str, text: str):
    if method == "sub":
        return rx.pattern.sub(" ", text)
    if method == "finditer":
        return [m.span() for m in rx.pattern.finditer(text)]
    m = getattr(rx.pattern, method)(text)
    return m.span() if m else None


def _fast(rx: targets._Screened, method: str, text: str):
    if method == "sub":
        return rx.sub(" ", text)
    if method == "finditer":
        return [m.span() for m in rx.finditer(text)]
    m = getattr(rx, method)(text)
    return m.span() if m else None


@pytest.mark.parametrize("name", sorted(SCREENED))
def test_a_screen_never_hides_a_match_in_edge_cases(name: str) -> None:
    rx = SCREENED[name]
    for text in _edge_texts():
        for method in ("search", "finditer", "sub") if name != "_CMP_AFTER_RE" else ("search", "match", "finditer", "sub"):
            assert _fast(rx, method, text) == _plain(rx, method, text), (name, method, text)


@pytest.mark.parametrize("name", sorted(SCREENED))
def test_a_screen_never_hides_a_match_in_real_documents(name: str) -> None:
    rx = SCREENED[name]
    hits = 0
    for text in _document_texts():
        plain = _plain(rx, "finditer", text)
        assert _fast(rx, "finditer", text) == plain, (name, text)
        assert _fast(rx, "search", text) == _plain(rx, "search", text), (name, text)
        hits += bool(plain)
    assert hits or name in NOT_IN_CORPUS, f"{name} never matches: the comparison says nothing"


# Patterns the five corpus documents never trigger (the edge cases cover them).
NOT_IN_CORPUS = {
    "_NUMBER_WORD_RE", "_RULE", "_CUE_EXCEPTIONS", "_CONDITION_MARKER", "_TRAILING_FROM", "_NORM_VERB_BEFORE",
    "_FLOOR_BEFORE", "_TABLE_TARGET_HEADER", "_COMMA_CUE", "_DANGLING", "_SPACE_AFTER_OPENING", "_SPACE_BEFORE_CLOSING",
    "_TRAILING_CUES", "_TRAILING_JOINER", "_MEASURE_END", "_NON_TARGET_SECTION", "_TARGET_SECTION",
}  # fmt: skip


def test_a_screen_from_a_position_sees_what_lies_after_it() -> None:
    text = "Phấn đấu đến năm 2025 đạt 70%, phấn đấu tăng 5%"
    for pos in range(len(text) + 1):
        assert [m.span() for m in targets._CUES.finditer(text, pos)] == [m.span() for m in targets._CUES.pattern.finditer(text, pos)]


def test_the_blanks_are_those_the_patterns_call_blanks() -> None:
    blank = regex.compile(r"\s")
    assert set(targets._BLANKS) == {c for c in map(chr, range(sys.maxunicode + 1)) if blank.match(c)}


# The patterns _strip and the junk trimming replaced.
_LEADING_JUNK_RE = regex.compile(r"^[\s\-–+*•·,:;.()]+")
_TRAILING_JUNK_RE = regex.compile(r"(?<![\s,;:.\-–(])[\s,;:.\-–(]+$")
JUNK_CASES = [
    "",
    " ",
    "- 70% đoàn viên, ",
    "(a) tỷ lệ;\n",
    "•· đạt trên.\n\n",
    "\u00a0\u3000chỉ tiêu\u2009 :",
    "\x1c chữ \x1f",
    "– (",
    "kết quả (",
    "a\n",
    "…, “xã” …",
]


@pytest.mark.parametrize("text", JUNK_CASES + list(_document_texts()[:200]))
def test_junk_is_stripped_as_the_patterns_stripped_it(text: str) -> None:
    assert text.lstrip(targets._LEADING_JUNK) == _LEADING_JUNK_RE.sub("", text)
    assert text.rstrip(targets._TRAILING_JUNK) == _TRAILING_JUNK_RE.sub("", text)
    assert targets._strip(text) == _TRAILING_JUNK_RE.sub("", _LEADING_JUNK_RE.sub("", text)).strip()


@pytest.mark.parametrize("text", ["", "không có số", "năm", "Điều 5", "CCVCLĐ1", "12/6/2021", "70 %", "từ 2 đến 3 lớp", "02-NQ/TW"])
def test_has_quantities_is_whether_there_are_quantities(text: str) -> None:
    assert numbers.has_quantities(text) == bool(numbers.find_quantities(text))


def test_has_quantities_on_real_sentences() -> None:
    for text in _document_texts():
        assert numbers.has_quantities(text) == bool(numbers.find_quantities(text)), text


@pytest.mark.parametrize("path", TXT, ids=lambda p: p.name[:3])
def test_context_lookups_are_the_plain_ones(path: Path) -> None:
    doc = _parsed(path)
    found = run_extractors(doc, only=["document", "citations", "named_citations"])
    ctx = targets._Context(doc, found)
    cited = cited_title_spans(doc.text, citation_anchors(found))
    for sentence in doc.sentences:
        plain = sorted(s for s in cited if s[0] < sentence.end and sentence.start < s[1])
        assert sorted(ctx.cited_titles_in(sentence.start, sentence.end)) == plain
        chain_titles = [s.title for s in ctx.chain(sentence.start)]
        assert ctx.chain_kind(sentence.start) == next((k for k in map(targets._section_kind, chain_titles) if k), None)
        assert ctx.section_at(sentence.start) is doc.section_at(sentence.start)
    for i, block in enumerate(ctx.blocks):
        assert ctx.is_lead_in(i) == targets._is_lead_in(block)


def _mentions_plain(text: str, number: str, unit: str) -> int:
    phrase = regex.escape(number) + r"\s+" + regex.escape(unit).replace(r"\ ", r"\s+")
    return len(regex.findall(r"(?<![\p{L}\p{N}])" + phrase + r"(?!\p{L})", text))


MENTION_CASES = [
    ("Xây dựng 02 công trình dự án. Hoàn thành 02 công trình\ndự án và 02 công trình dự án.", "02", "công trình dự án"),
    ("02 công trình dự án; 102 công trình dự án; 02 công trìnhh", "02", "công trình"),
    ("01 kênh YouTube, 01 kênh YouTube", "01", "kênh YouTube"),
    ("5 lớp 5 lớp5 lớp", "5", "lớp"),
    ("", "3", "hội nghị"),
]


@pytest.mark.parametrize("text, number, unit", MENTION_CASES)
def test_mentions_are_counted_as_the_plain_pattern_counts_them(text: str, number: str, unit: str) -> None:
    q = numbers.Quantity(0, len(number), 0, None, False, number)
    for times in (1, 2, 3):
        assert targets._mentioned_again(text, q, unit, times) == (_mentions_plain(text, number, unit) >= times)


def test_mentions_in_a_real_document_are_counted_as_the_plain_pattern_counts_them() -> None:
    text = _parsed(TXT[0]).text
    pairs = {(q.text, w) for q in numbers.find_quantities(text)[:80] for w in ("người", "đoàn viên", "năm", "công đoàn cơ sở")}
    for number, unit in sorted(pairs):
        q = numbers.Quantity(0, len(number), 0, None, False, number)
        for times in (2, 3):
            assert targets._mentioned_again(text, q, unit, times) == (_mentions_plain(text, number, unit) >= times), (number, unit)
