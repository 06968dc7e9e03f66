"""The fast paths of the extractors give what the plain ones gave.

Speed work replaced whole-text scans and repeated work by cheaper equivalents:
short citations ("Nghị quyết 02") are matched only at the words before a
number, unit names are word-tokenized on a prefix of the line, and per-string
results are cached. Each test here puts a fast path next to the plain
computation it stands for, on the real documents and on edge cases.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import pytest

from extractors import run_extractors
from extractors import units
from extractors.citations import _kinds, _short_matches
from pipeline.process import parse
from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]
TXT = sorted((REPO / "corpus" / "txt").glob("*.txt"))


@functools.lru_cache(maxsize=None)
def _text(path: Path) -> str:
    return read_document(path, path.name).text


def _short_finditer(text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in _kinds().short_re.finditer(text)]


def _short_fast(text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in _short_matches(text)]


SHORT_CASES = [
    "Thực hiện Nghị quyết 02 của Bộ Chính trị và Nghị quyết số 20.",
    "NGHỊ QUYẾT SỐ 5 và nghị quyết số: 7, Kế hoạch 123a, Chỉ thị 05-CT/TW.",
    "Chương trình hành động   \n  số :  12 của Ban Chấp hành.",
    "12 Nghị quyết 3 Kế hoạch 4",
    "Kết luận 1,5 và Kết luận 2.3 và Kết luận 07",
    "Nghị quyết liên tịch 01 và Thông tư liên tịch số 02",
    "Quyết định" + " " * 300 + "45 của Thủ tướng",
    "số 9 Nghị quyết",
    "",
]


@pytest.mark.parametrize("text", SHORT_CASES)
def test_short_mentions_found_near_numbers_are_those_of_a_whole_scan(text: str) -> None:
    assert _short_fast(text) == _short_finditer(text)


@pytest.mark.parametrize("path", TXT, ids=lambda p: p.name[:3])
def test_short_mentions_in_real_documents_are_those_of_a_whole_scan(path: Path) -> None:
    text = _text(path)
    assert _short_fast(text) == _short_finditer(text)


def _unit_starts(text: str, limit: int = 60) -> list[int]:
    """Where unit names start in ``text`` (where the extractors tokenize a line)."""
    return [u.start for u in units.find_units(text)][:limit]


@pytest.mark.parametrize("path", TXT[:2], ids=lambda p: p.name[:3])
def test_words_of_a_line_prefix_are_those_of_the_whole_line(path: Path) -> None:
    text = _text(path)
    starts = _unit_starts(text)
    assert starts, "the document names units"
    checked = 0
    for start in starts:
        words = units._Words(text, start)
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        whole = [(start + s, start + e) for s, e in units._tokenize(text[start : min(end, start + 220)])]
        trusted = words._trusted
        assert [words.get(i) for i in range(trusted)] == whole[:trusted]
        # Reading past the trusted words tokenizes the whole line.
        assert [words.get(i) for i in range(len(whole) + 1)] == whole + [None]
        checked += 1
    assert checked == len(starts)


def test_a_long_line_is_first_tokenized_on_a_prefix() -> None:
    line = "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với " + "các sở, ban, ngành " * 20
    words = units._Words(line, 0)
    assert 0 < words._trusted < len(units._tokenize(line))
    assert words.get(0) == (0, 3)


def test_a_short_line_is_tokenized_whole() -> None:
    line = "Ban Tuyên giáo Tỉnh ủy chủ trì"
    words = units._Words(line, 0)
    assert [words.get(i) for i in range(words._trusted)] == list(units._tokenize(line))


def _records(result: dict) -> list[dict]:
    return [r for records in result.values() if isinstance(records, list) for r in records if isinstance(r, dict)]


def test_cached_results_are_not_shared_between_documents() -> None:
    """Caches keyed by strings give the same records on a second pass, in any
    order, and a caller changing a record does not change what the next gets."""
    docs = [read_document(p, p.name) for p in TXT[:3]]
    first = [run_extractors(parse(d)) for d in docs]
    expected = copy.deepcopy(first)
    for result in first:
        for r in _records(result):
            r["changed by a caller"] = True
    again = [run_extractors(parse(d)) for d in reversed(docs)][::-1]
    assert again == expected


def test_folding_is_the_same_cached_or_not() -> None:
    for s in ["Liên đoàn Lao động", "HOÀ BÌNH", "thuỷ lợi", "Đảng ủy", ""]:
        assert units.fold(s) == units.fold.__wrapped__(s)
