"""The fast paths of the citation extractors give what the plain ones gave.

Each test puts a fast path of :mod:`extractors.citations`,
:mod:`extractors.named_citations` or :mod:`extractors.symbols` next to the plain
computation it replaced (written out here), on the corpus documents and on
hand-written edge cases:

- short mentions ("Nghị quyết 02") tried only before numbers that follow a kind word;
- short names with a cited number ("Bộ chỉ số 766") without a pattern per document;
- the words before a number found by one backwards match;
- an issuer window folded on a prefix, and known bodies looked up by the
  characters around a cut;
- named citations' finders tried only where their kind words stand;
- cached symbol-code lookups.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import regex

from extractors import citations, named_citations, symbols
from pipeline.document import ParsedDocument
from pipeline.normalize import fold_for_match
from pipeline.process import parse
from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]
TXT = sorted((REPO / "corpus" / "txt").glob("*.txt"))


@functools.lru_cache(maxsize=None)
def _parsed(path: Path) -> ParsedDocument:
    return parse(read_document(path, path.name))


def _spans(matches) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in matches]


# --------------------------------------------------------------------------- short mentions

SHORT_CASES = [
    "Thực hiện Nghị quyết 02 của Bộ Chính trị và Nghị quyết số 20.",
    "NGHỊ QUYẾT SỐ 5 và nghị quyết số: 7, Kế hoạch 123a, Chỉ thị 05-CT/TW.",
    "Chương trình hành động   \n  số :  12 của Ban Chấp hành.",
    "Quyết định số12 và Quyết định số:13 và Quyết định SỐ 14, Sao y 15, Sao lục số 16.",
    "số 9 Nghị quyết, số số 5, Nghị quyết số số 6, Kết luận 1,5 và Kết luận 2.3 và Kết luận 07",
    "Nghị quyết liên tịch 01 và Thông tư liên tịch số 02, Văn bản hợp nhất 3",
    "Quyết định" + " " * 300 + "45 của Thủ tướng",
    "ngày 12/6/2021, 30% và 12 tháng 6 năm 2021 theo Kế hoạch 7",
    "Nghị quyếtx 5, xNghị quyết 6, Nghị quyết 7b, Nghị quyết 8bc",
    "",
]


@pytest.mark.parametrize("text", SHORT_CASES)
def test_short_mentions_tried_after_kind_words_are_those_of_a_whole_scan(text: str) -> None:
    assert _spans(citations._short_matches(text)) == _spans(citations._kinds().short_re.finditer(text))


@pytest.mark.parametrize("path", TXT, ids=lambda p: p.name[:3])
def test_short_mentions_in_real_documents_are_those_of_a_whole_scan(path: Path) -> None:
    text = _parsed(path).text
    assert _spans(citations._short_matches(text)) == _spans(citations._kinds().short_re.finditer(text))


_LETTERS_BACKWARDS = regex.compile(r"(?r)\p{L}+")


def _plain_word_starts(text: str, numbers: list[int], reach: int) -> list[int]:
    out: set[int] = set()
    for at in numbers:
        for k, word in enumerate(_LETTERS_BACKWARDS.finditer(text, 0, at)):
            if k == reach:
                break
            out.add(word.start())
    return sorted(out)


@pytest.mark.parametrize("text", SHORT_CASES + ["12 34", "…, 5", "a" * 50 + " 1"])
def test_words_before_numbers_are_those_of_a_backwards_scan(text: str) -> None:
    numbers = [m.start() for m in regex.finditer(r"(?<!\d)\d", text)]
    for reach in (1, 5):
        assert citations._word_starts_before(text, numbers, reach) == _plain_word_starts(text, numbers, reach)


# --------------------------------------------------------------------------- names with a number


def _plain_numbered_names(text: str, numbers: list[str]) -> list[tuple]:
    """The pattern the extractor built per document, with the numbers spelt out."""
    nums = "|".join(regex.escape(n) for n in sorted(numbers, key=len, reverse=True))
    pattern = regex.compile(
        rf"(?<!\p{{L}})(?P<head>\p{{Lu}}\p{{Ll}}*(?:\s+\p{{L}}+){{1,3}}?)\s+(?:số\s+)?(?P<num>{nums})"
        r"(?![\p{L}\p{N}]|[.,/\-–]\s*\d|\s*%)"
    )
    return _spans(pattern.finditer(text))


NAMED_CASES = [
    ("Quyết định số 766/QĐ-TTg phê duyệt Bộ chỉ số chỉ đạo. Theo Bộ chỉ số 766 trên Cổng.", ["766"]),
    ("Đề án 06 và Đề án 066, Đề án 06b, Bộ chỉ số 76 6, Bộ chỉ số 766%, Bộ chỉ số 766.5", ["06", "066", "06b", "76", "766"]),
    ("Nghị quyết số 02-NQ/TW và Nghị quyết Trung ương số 02 và Chương trình Mục tiêu 02", ["02"]),
    ("Theo Bộ Chỉ Số Năm Nay số 12, Kế hoạch số số 12, Kế Hoạch 12", ["12"]),
]


@pytest.mark.parametrize("text,numbers", NAMED_CASES)
def test_names_with_a_cited_number_are_those_of_the_spelt_out_pattern(text: str, numbers: list[str]) -> None:
    found = _spans(citations._numbered_names(text, dict.fromkeys(numbers)))
    assert found
    assert found == _plain_numbered_names(text, numbers)


@pytest.mark.parametrize("path", TXT, ids=lambda p: p.name[:3])
def test_names_with_a_cited_number_in_real_documents(path: Path) -> None:
    text = _parsed(path).text
    numbers = sorted({s.number for s in symbols.find_symbols(text) if len(s.number) >= 2})
    assert _spans(citations._numbered_names(text, dict.fromkeys(numbers))) == _plain_numbered_names(text, numbers)


# --------------------------------------------------------------------------- issuers


def _windows(text: str, step: int = 37) -> list[str]:
    return [text[i:i + 900] for i in range(0, len(text), step)]


ADVERSARIAL_FOLDS = ["hoà " * 60, "a" + " " * 200 + "b", "x\u200b" * 120, "Thuỷ lợi " * 40, "o\u0300a" * 70, "ß" * 100, "İ" * 100]


@pytest.mark.parametrize("path", TXT[:2], ids=lambda p: p.name[:3])
def test_a_folded_prefix_is_a_prefix_of_the_whole_fold(path: Path) -> None:
    for window in _windows(_parsed(path).text) + ADVERSARIAL_FOLDS:
        whole = fold_for_match(window)
        for need in (1, 20, citations._longest_body(), 150):
            folded = citations._fold_prefix(window, need)
            assert folded == whole or (need < len(folded) < len(whole) and whole.startswith(folded))


def _plain_extend(folded: str, end: int) -> int:
    for fold, _ in citations._issuers().bodies:
        at = folded.find(fold, 0, end + len(fold))
        while at != -1 and at < end:
            after = at + len(fold)
            if (at == 0 or not folded[at - 1].isalpha()) and (after >= len(folded) or not folded[after].isalpha()) and after > end:
                return after
            at = folded.find(fold, at + 1, end + len(fold))
    return end


def test_a_known_body_is_found_over_a_cut_as_by_trying_every_body() -> None:
    iv = citations._issuers()
    phrases = ["bộ khoa học và công nghệ ban hành", "ủy ban nhân dân tỉnh bình dương", "tổng liên đoàn lao động việt nam"]
    phrases += [fold for fold, _ in iv.bodies[:40]]
    for phrase in phrases:
        for end in range(-1, len(phrase) + 2):
            assert citations._extend_to_known_body(phrase, end, iv) == _plain_extend(phrase, end)


def _plain_issuer_at_start(window: str) -> tuple:
    """The issuer reader with the whole window folded and every body tried."""
    real_fold_prefix, real_bodies = citations._fold_prefix, citations._bodies_starting
    citations._fold_prefix = lambda w, need: fold_for_match(w)
    citations._bodies_starting = lambda first: citations._issuers().bodies
    try:
        return citations._issuer_at_start.__wrapped__(window)
    finally:
        citations._fold_prefix, citations._bodies_starting = real_fold_prefix, real_bodies


ISSUER_CASES = [
    "Bộ Khoa học và Công nghệ về việc …",
    "Ban Chấp hành Trung ương Đảng (khóa XIII) về tiếp tục đổi mới",
    "Tổng Liên đoàn Lao động (LĐLĐ) Việt Nam, " + "các cấp công đoàn " * 40,
    "Ủy ban nhân dân tỉnh Bình Dương ban hành " + "x" * 300,
    "Bộ chính trị",
    "Bộ Chính trị",
]


def test_issuers_read_on_a_folded_prefix_are_those_read_on_the_whole_window() -> None:
    windows = list(ISSUER_CASES)
    text = _parsed(TXT[0]).text
    windows += [text[m.end():m.end() + 700] for m in regex.finditer(r"của\s+", text)]
    for window in windows:
        assert citations._issuer_at_start.__wrapped__(window) == _plain_issuer_at_start(window)


# --------------------------------------------------------------------------- named citations


def _plain_block_names(doc: ParsedDocument) -> list[tuple]:
    return [
        (i, finder.__name__, vars(nm))
        for i, block in enumerate(doc.document.blocks)
        for finder in named_citations._FINDERS
        for nm in finder(doc.text, block.start, block.end)
    ]


def _fast_block_names(doc: ParsedDocument) -> list[tuple]:
    heads = named_citations._HeadIndex(doc)
    return [
        (i, finder.__name__, vars(nm))
        for i, block in enumerate(doc.document.blocks)
        for finder, nm in named_citations._block_names(doc.text, block, i, heads)
    ]


@pytest.mark.parametrize("path", TXT, ids=lambda p: p.name[:3])
def test_finders_tried_at_kind_words_find_what_a_scan_of_every_block_finds(path: Path) -> None:
    doc = _parsed(path)
    found = _fast_block_names(doc)
    assert found, "the document names documents without a number"
    assert found == _plain_block_names(doc)


NAMED_TEXT = """Căn cứ Quy chế làm việc của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam khóa XIII;
Căn cứ Luật Công đoàn năm 2012; Bộ luật Lao động, Điều lệ Công đoàn Việt Nam, Hiến pháp năm 2013 và Pháp lệnh Dân số;
Thực hiện Nghị quyết Đại hội XIII Công đoàn Việt Nam và Nghị quyết Trung ương 4 (khóa XI),
Kế hoạch triển khai thực hiện Chỉ thị số 36-CT/TW, Kết luận của Bộ Chính trị về “Tiếp tục đổi mới nội dung, phương thức hoạt động”.
Chương trình “Nâng cao chất lượng hoạt động của công đoàn cơ sở giai đoạn mới” và Chương trình công tác năm 2025.
Chiến lược quốc gia phòng, chống tham nhũng đến năm 2030; đề án nâng cao năng lực cán bộ công đoàn các cấp.
Xét Tờ trình số 12/TTr-UBND; Báo cáo thẩm tra của Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh.
Kếhoạch, Đềán, NghịNghị quyết Đại hội, Quy hoạch tỉnh thời kỳ 2021 - 2030, Kết luận 5 của Hội nghị."""


def test_finders_tried_at_kind_words_on_every_kind_of_name(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text(NAMED_TEXT, encoding="utf-8")
    doc = parse(read_document(path, path.name))
    found = _fast_block_names(doc)
    assert {finder for _, finder, _ in found} >= {"_congress", "_laws", "_titled", "_legal_basis", "_horizon_named", "_review_reports"}
    assert found == _plain_block_names(doc)


def test_every_finder_opens_with_its_head_words() -> None:
    """The words the fast path looks for are the literals each pattern opens with."""
    patterns = {
        named_citations._congress: named_citations._CONGRESS, named_citations._laws: named_citations._LAW,
        named_citations._titled: named_citations._TITLED, named_citations._issued: named_citations._ISSUED,
        named_citations._implementing: named_citations._IMPLEMENTING,
        named_citations._work_programmes: named_citations._WORK_PROGRAMME,
        named_citations._horizon_named: named_citations._HORIZON_KIND, named_citations._projects: named_citations._PROJECT,
        named_citations._review_reports: named_citations._REVIEW_REPORT, named_citations._legal_basis: named_citations._BASIS,
    }
    assert set(patterns) == set(named_citations._FINDERS)
    for finder, pattern in patterns.items():
        for word in named_citations._FINDER_HEADS[finder]:
            written = word if word in pattern.pattern else "[Đđ]" + word[1:]  # "[Đđ]ề": both spellings open it
            assert written in pattern.pattern, (finder.__name__, word)


# --------------------------------------------------------------------------- symbols


def test_cached_symbol_code_lookups_are_those_of_the_plain_functions() -> None:
    tokens = ["NQ", "TW", "TƯ", "QĐ", "QD", "Qđ", "CTR", "CTr", "LĐLD", "NĐCP", "QH13", "UBTVQH15", "KGVX", "Part", "HD", "HĐ", "SGD&ĐT", "x"]
    for token in tokens:
        assert symbols.canonical_code(token) == symbols.canonical_code.__wrapped__(token)
        assert symbols.is_known(token) == symbols.is_known.__wrapped__(token)
        assert symbols._split_glued(token) == (list(symbols._glued_parts.__wrapped__(token) or []) or None)
