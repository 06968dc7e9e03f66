"""The fast paths of responsibilities, units, identity, deadlines and sentences
give what the plain computations gave.

Each test puts a fast path next to the plain computation it replaced (a loop of
``startswith``, a scan of the whole sentence, a linear section lookup, a fold
of the whole string), on the real documents of ``corpus/`` and on edge cases
made to break it (tone pairs and Σ at the cut, sections out of order).
"""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Optional

import pytest
import regex

from extractors import responsibilities as resp
from extractors import timeexpr, units
from extractors.units import fold, fold_prefix
from pipeline.document import Document, ParsedDocument, Section
from pipeline.process import parse
from pipeline.readers import read_document
from pipeline.sentences import _BOUNDARY, split_block

REPO = Path(__file__).resolve().parents[1]
FILES = sorted((REPO / "corpus" / "txt").glob("*.txt")) + sorted((REPO / "corpus" / "docx").glob("*.docx"))[:2]

# Strings made to break a cut fold: old-style tone pairs ("hoà" folds, "hoàn"
# does not), Σ (its lower case depends on what follows), İ (lower() lengthens it).
EDGE_TEXTS = [
    "",
    "hoàn thành",
    "hoà",
    "Phối hợp với Sở Y tế; chủ trì hoàn thành",
    "chủ trì, phối hợp chặt chẽ với hoà",
    "thuỷ lợi phối hợp hoàn toàn khoẻ",
    "ΣΣΣ chủ trì ΣΑΣ phối hợp Σ",
    "İİ chủ trì İstanbul phối hợp",
    "Căn cứ Nghị quyết, Ban Tuyên giáo chủ trì",
    "  \t chủ trì",
    "đồng thời giao Ban Tổ chức chủ trì",
]


@functools.lru_cache(maxsize=None)
def _parsed(path: Path) -> ParsedDocument:
    return parse(read_document(path, path.name))


def _sentences() -> list[str]:
    return [s.text for p in FILES for s in _parsed(p).sentences]


def _windows(text: str, n: int = 400, seed: int = 5) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a = rng.randrange(0, max(1, len(text)))
        out.append((a, min(len(text), a + rng.randrange(0, 120))))
    return out


# ---------------------------------------------------------------- folds


def _texts_with_cuts() -> list[str]:
    texts = list(EDGE_TEXTS)
    for p in FILES[:3]:
        text = _parsed(p).text
        texts += [text[a:b] for a, b in _windows(text, 300)]
    return texts


@pytest.mark.parametrize("size", [0, 3, 8, 20])
def test_a_folded_opening_is_the_opening_of_the_whole_fold(size: int) -> None:
    for text in _texts_with_cuts():
        whole = fold(text)
        assert fold_prefix(text, size)[: size + 1] == whole[: size + 1], text
        assert fold_prefix("«" + text + "»", size, 1, len(text) + 1)[: size + 1] == whole[: size + 1], text


@pytest.mark.parametrize("size", [0, 3, 8, 20])
def test_a_folded_ending_is_the_ending_of_the_whole_fold(size: int) -> None:
    for text in _texts_with_cuts():
        whole = fold(text)
        tail = resp._fold_ending(text, size)
        if len(whole) > size:
            assert tail[len(tail) - (size + 1) :] == whole[len(whole) - (size + 1) :], text
        else:
            assert tail == whole, text


# ---------------------------------------------------------------- phrase tests


def _plain_starts_with_phrase(folded: str, phrases: list[str]) -> Optional[str]:
    for p in phrases:
        if folded.startswith(p) and not regex.match(r"[\p{L}\p{N}]", folded[len(p) : len(p) + 1] or " "):
            return p
    return None


def test_an_opener_pattern_finds_the_phrase_the_loop_found() -> None:
    phrases = sorted((fold(p) for p in ["chủ trì", "chủ trì, phối hợp", "là cơ quan thường trực", "căn cứ", "là"]), key=len, reverse=True)
    pattern = resp._opener_re(phrases)
    texts = [fold(t) for t in _sentences() + EDGE_TEXTS] + ["là", "làm", "chủ trìx", "chủ trì,", "chủ trì, phối hợpz", "là1"]
    for text in texts:
        for start in range(0, min(len(text), 40), 3):
            assert resp._starts_with_phrase(text[start:], pattern) == _plain_starts_with_phrase(text[start:], phrases)


def test_marker_prefilter_finds_what_the_whole_scan_found() -> None:
    roles = resp._roles()
    texts = [fold(t) for t in _sentences() + EDGE_TEXTS] + ["giao", "xgiao cho Ban", "phối hợpvới", "cùng với  Ban"]
    for key in ("coord_re", "assign_re", "request_re", "direct_re", "handover_re"):
        markers = roles[key]
        for text in texts:
            assert [m.span() for m in markers.finditer(text)] == [m.span() for m in markers.pattern.finditer(text)], (key, text)


def test_a_lead_after_a_position_is_what_the_predicate_tells() -> None:
    for p in FILES:
        doc = _parsed(p)
        for s in doc.sentences[:150]:
            for pos in range(s.start, s.end, 7):
                assert resp._lead_after(doc.text, pos, s.end) == (resp._predicate(doc.text, pos, s.end) == "lead")
    for text in EDGE_TEXTS:
        for pos in range(len(text) + 1):
            assert resp._lead_after(text, pos, len(text)) == (resp._predicate(text, pos, len(text)) == "lead")


# ---------------------------------------------------------------- units


def _plain_plural_at(text: str, pos: int) -> int:
    fw = fold(text[pos : pos + 8])
    for p in units._gazetteer()["plural"]:
        if fw.startswith(p + " "):
            return pos + len(p) + 1
    return pos


def _plain_continuation_at(text: str, pos: int) -> int:
    fw = fold(text[pos : pos + 40])
    for c in units._gazetteer()["continuations"]:
        if fw.startswith(c) and not regex.match(r"[\p{L}\p{N}]", fw[len(c) : len(c) + 1] or " "):
            return pos + len(c)
    return pos


def _plain_head_at(text: str, pos: int, after_plural: bool = False):
    """head_at with the two whole patterns (before the patterns by opening)."""
    g = units._gazetteer()
    window = text[pos : pos + 60]
    fw = fold(window)
    m = g["abbr_re"].match(fw)
    if m and m.group(0) in g["head_abbrevs"] and units._is_upper_abbrev(window[: m.end()]):
        return g["head_abbrevs"][m.group(0)], pos + m.end()
    m = g["head_re"].match(fw)
    if not m:
        return None
    head = g["by_folded"][m.group(0)]
    if window[: m.end()][:1].islower() and not head.lower and not after_plural:
        return None
    rest = fw[m.end() :].lstrip()
    for word in head.not_before:
        if rest.startswith(word) and not regex.match(r"[\p{L}\p{N}]", rest[len(word) : len(word) + 1] or " "):
            return None
    return head, pos + m.end()


def _word_starts(text: str) -> list[int]:
    return [m.start() for m in regex.finditer(r"(?<![\p{L}\p{N}])\S", text)]


def test_unit_word_tests_agree_with_their_loops() -> None:
    extra = "các Ban, những sở, mỗi Huyện; tỉnh và tương đương, trực thuộc, LĐLĐ tỉnh, Ban Tuyên giáo Tỉnh ủy, Bộ Y tế"
    for text in [_parsed(p).text for p in FILES] + EDGE_TEXTS + [extra]:
        for pos in _word_starts(text):
            assert units._plural_at(text, pos) == _plain_plural_at(text, pos)
            assert units._continuation_at(text, pos) == _plain_continuation_at(text, pos)
            for after_plural in (False, True):
                assert units.head_at(text, pos, after_plural) == _plain_head_at(text, pos, after_plural), text[pos : pos + 30]


# ---------------------------------------------------------------- sections


def _section(start: int, end: int, path: str, parent: Optional[str] = None) -> Section:
    return Section(path.split("/")[-1], path, "", path.count("/") + 1, "arabic", start, end, start, start, parent=parent)


def _check_sections(doc: ParsedDocument, offsets: list[int]) -> None:
    index = resp._Sections(doc)
    for offset in offsets:
        assert index.at(offset) is doc.section_at(offset), offset
    for s in doc.sections:
        assert index.by_path[s.path] is next(x for x in doc.sections if x.path == s.path)


def test_section_index_finds_the_sections_the_scan_found() -> None:
    for p in FILES:
        doc = _parsed(p)
        _check_sections(doc, list(range(-1, len(doc.text) + 2, 5)))


def test_section_index_on_sections_out_of_order_and_repeated_paths() -> None:
    document = Document("x", "txt", "x" * 200, [])
    sections = [
        _section(10, 100, "1"),
        _section(20, 50, "1/1", "1"),
        _section(5, 30, "2"),  # starts before the one above: the scan stops early
        _section(60, 60, "3"),
        _section(40, 150, "1/1", "1"),  # the same path again
        _section(150, 200, "4"),
        _section(120, 130, "4/a", "4"),
    ]
    doc = ParsedDocument(document, sections, [])
    _check_sections(doc, list(range(-2, 205)))
    _check_sections(ParsedDocument(document, [], []), [0, 5])


# ---------------------------------------------------------------- deadlines and sentences


def _plain_time_exprs(text: str) -> list:
    taken: list = []
    out = []
    for kind, pattern in timeexpr._PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            bounds = timeexpr._bounds(kind, m)
            if bounds is None:
                continue
            taken.append((s, e))
            out.append((s, e, bounds))
    return sorted(out, key=lambda t: t[0])


def test_time_expressions_and_deadlines_as_before() -> None:
    texts = _sentences() + [
        "Hoàn thành trước ngày 30/6/2025 và trong quý III năm 2025, từ năm 2024 đến năm 2026.",
        "đã hoàn thành trong năm 2023",
        "hoàn thành trong tháng 7",  # no year: no expression, whatever else
    ]
    for text in texts:
        fast = [(t.start, t.end, (t.kind if not t.end_only else "year_end", t.first, t.last)) for t in timeexpr._time_exprs_at_zero(text)]
        plain = [(s, e, b) for s, e, b in _plain_time_exprs(text)]
        assert fast == plain
        if not timeexpr._ANY_YEAR.search(text):
            assert timeexpr.deadlines_in(text) == []


@pytest.mark.parametrize("text", ["a b c", "một hai ba bốn năm sáu bảy tám chín mười mười một mười hai mười ba mười bốn", "x " * 14, "x " * 15, "  ", ""])
def test_a_short_word_count_tells_long_lines_as_a_full_split(text: str) -> None:
    n = 14
    assert (len(text.split(None, n)) > n) == (len(text.split()) > n)


def _plain_split_block(text: str, offset: int) -> list:
    """split_block without the test for a stop."""
    from pipeline.sentences import _ABBREV, _LABEL_ONLY

    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if _ABBREV.search(text[start:end]) or _LABEL_ONLY.match(text[start : m.start()]):
            continue
        seg = text[start:end].strip()
        if seg:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            out.append((offset + start + lead, offset + start + lead + len(seg), seg))
        start = end
    seg = text[start:].strip()
    if seg:
        lead = len(text[start:]) - len(text[start:].lstrip())
        out.append((offset + start + lead, offset + start + lead + len(seg), seg))
    return out


def test_blocks_split_as_before() -> None:
    blocks = [b.text for p in FILES for b in _parsed(p).document.blocks]
    blocks += ["Không có dấu chấm", "Kết thúc… Mở đầu", "A! B? C. D", "  ", "", "TP. Hà Nội. Ngày mới"]
    for text in blocks:
        assert [(s.start, s.end, s.text) for s in split_block(text, 7)] == _plain_split_block(text, 7)


def test_responsibilities_of_the_real_documents_are_stable() -> None:
    """The extractor end to end keeps finding lead units on the corpus (a
    guard that the fast paths are wired in, not only equal in isolation)."""
    found = [r for p in FILES for r in resp.extract(_parsed(p), {})]
    assert any(r["role"] == "lead" for r in found)
    assert all(r["span"][0] < r["span"][1] for r in found)


def test_a_block_passed_over_has_no_boundary() -> None:
    """Every short string over the characters that matter: when the test for a
    stop says no, the boundary pattern finds nothing either."""
    from itertools import product

    from pipeline.sentences import _may_have_boundary

    alphabet = ["a", "A", "1", ".", "…", "!", '"', "”", "“", ")", "(", " ", "\t", "-"]
    for n in range(1, 5):
        for chars in product(alphabet, repeat=n):
            text = "".join(chars)
            if not _may_have_boundary(text):
                assert _BOUNDARY.search(text) is None, text


def test_clean_skips_only_what_its_substitutions_would_not_change() -> None:
    import sys

    from extractors import identity

    every_space = set(regex.findall(r"\s", "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)))
    assert every_space == set(identity._OTHER_SPACES) | {" "}
    cases = ["**Nơi nhận:**", "a  b", "a\u00a0b", "# Tiêu đề", "[bookmark:x] Điều 1", "plain text", " a ", "a\u3000b", "a_b|c`d"]
    cases += [b.text for p in FILES for b in _parsed(p).document.blocks]
    for text in cases:
        identity._clean.cache_clear()
        assert identity._clean(text) == identity._SPACES.sub(" ", identity._MD_NOISE.sub(" ", text)).strip()


def test_an_abbreviation_is_found_in_the_last_characters_of_a_head() -> None:
    from pipeline.sentences import _ABBREV, _ABBREV_REACH

    heads = [b.text[: i + 1] for p in FILES for b in _parsed(p).document.blocks for i, c in enumerate(b.text) if c == "."]
    heads += ["TP.", " TP.", "xTP.", "a Th.S.", "Th.S.", "đi TP. ", "v.v.", "a v.v.", "NXB.", "aNXB.", "Tp.\u00a0"]
    for head in heads:
        assert bool(_ABBREV.search(head, max(0, len(head) - _ABBREV_REACH))) == bool(_ABBREV.search(head)), head


def test_the_first_sentence_is_the_first_of_the_split() -> None:
    from pipeline.sentences import first_sentence

    texts = [b.text for p in FILES for b in _parsed(p).document.blocks] + ["", "  ", "TP. Hà Nội. Hai", "1.1. Một. Hai"]
    for text in texts:
        whole = split_block(text, 0)
        assert first_sentence(text) == (whole[0] if whole else None)
