"""Property tests (hypothesis) on the text path: normaliser, section labels,
sentence splitter, and the whole read → parse → extract chain on generated text.

Generated documents look like the genre: headings ("II.", "1.2.", "a)",
"PHẦN THỨ NHẤT", "Điều 3."), symbols ("02-NQ/TW", "1729/QĐ-TTg"), numbers,
dates, the words extractors key on ("chủ trì", "trở lên", "Nghị quyết số"),
Markdown marks and newlines, mixed with random text. Properties: nothing raises
(a ``ReadError`` for text that holds nothing is fine), every span lies inside the
text and points at what its record says, section paths refer to sections that
exist, and the result is JSON.

Surrogates: readers only produce valid Unicode (strict UTF-8/UTF-16 decoding, XML,
PDF text), so the pipeline strategies use ``st.text()`` (no surrogates); the
normaliser alone is also checked on strings with lone surrogates, since it must
never raise whatever it is given.

Runs are reproducible (``derandomize=True``) and sized to take seconds.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors import run_extractors
from pipeline.builder import DocumentBuilder
from pipeline.document import Style
from pipeline.normalize import TONE_FOLD, fold_for_match, fold_tones, normalize_inline
from pipeline.process import parse
from pipeline.readers import ReadError
from pipeline.readers.text import read_string
from pipeline.sections import parse_label
from pipeline.sentences import split_block

FAST = settings(derandomize=True, deadline=None, max_examples=400,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PIPELINE = settings(derandomize=True, deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HEADINGS = [
    "I.", "II.", "III/", "IV-", "XIV.", "V.I.", "1.", "2)", "10.", "1/", "3-", "1.2.", "3.2.1", "3. 2.", "12.6.2021",
    "a)", "b.", "đ)", "A.", "B)", "PHẦN THỨ NHẤT", "Phần I", "Chương II", "CHƯƠNG IICHÍNH", "Mục 1", "Điều 3.",
    "Điều 12a.", "PHỤ LỤC II", "PHỤ LỤC SỐ LIỆU", "TT Nội dung Đơn vị tính", "Nơi nhận:", "TM. BAN THƯỜNG VỤ",
    "KT. CHỦ TỊCH", "- ", "+ ", "• ", "* ",
]
SYMBOLS = [
    "02-NQ/TW", "1729/QĐ-TTg", "12/2012/QH13", "151/KH-UBND", "79-KL/TW", "45/2019/QH14", "số 02", "Số: 15/CTr-TLĐ",
    "/TW", "-NQ", "QĐ-", "/QĐ-TTg",
]
NUMBERS = ["13,5", "24.500", "70%", "100%", "1.500", "2023", "0", "5 triệu", "3 tỷ đồng", "1,5 lần", "95 %"]
DATES = [
    "30/12/2023", "12/6/2021", "ngày 12 tháng 6 năm 2021", "quý II năm 2024", "năm 2025", "giai đoạn 2021-2025",
    "đến năm 2030", "trước ngày 31/12", "hằng năm", "6 tháng đầu năm", "tháng 13 năm 0",
]
WORDS = [
    "chủ trì", "phối hợp", "trở lên", "ít nhất", "không dưới", "tối thiểu", "Nghị quyết số", "Kết luận số",
    "Chỉ thị số", "sau đây gọi tắt là", "Ban Chấp hành", "Bộ Chính trị", "Tổng Liên đoàn Lao động Việt Nam",
    "Liên đoàn Lao động tỉnh", "công đoàn cơ sở", "đoàn viên", "phấn đấu", "đạt", "giao", "thực hiện",
    "Luật Công đoàn", "Hiến pháp", "của", "về", "và", "các cấp", "Đại hội XIII", "hoà", "thuỷ", "quý", "MỤC TIÊU",
]
MARKS = [
    "**", "__", "*", "#", "## ", "|", "| |", "\\*", "[bookmark: x]", "[footnoteRef:1]", "[1: chú thích]", "-----",
    "“", "”", "\"", "(", ")", "((((", "a)a)", ".", ",", ";", ":", "…", "!", "?", "–", "—", "/", "\u00a0", "\u200b",
    "\t", "\ufffe", "\u00ad", "\u2060", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u2028", "\x85",
]
SEPARATORS = [" ", " ", " ", "\n", "\n", "\n\n", "\r\n", "  ", ""]

fragment = st.one_of(
    st.sampled_from(HEADINGS + SYMBOLS + NUMBERS + DATES + WORDS + MARKS),
    st.sampled_from(SEPARATORS),
    st.text(max_size=6),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạầấẩẫậềếểễệòóỏõọờớởỡợùúủũụừứửữựỳýỷỹỵ ", max_size=12),
)
genre_text = st.lists(fragment, max_size=60).map("".join)
# Characters the normaliser treats specially, with letters they combine with
# (special ones first: hypothesis draws early characters of an alphabet more often).
TRICKY = "\u200b\u0301\u00ad\u0300\u0323\ufeff\u0303\u0309\u200c\u00a0\u2003\t\n\r\ufffe\u2010aoyuqAOYUQ đàáảòóỏýỷ"
tricky_text = st.text(alphabet=TRICKY, max_size=30)
# Any text, and text rich in lone surrogates, marks, spaces and format characters.
any_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec=None, categories=["Cs", "Mn", "Zs", "Cf", "Cc", "Ll", "Lu"]), max_size=60),
)


# --- normaliser -------------------------------------------------------------


@FAST
@given(st.one_of(any_text, genre_text, tricky_text))
@example("A\u200b\u0300")  # a zero-width space between a letter and its mark: NFC after removing it
@example("UÝ\u0300")  # a second mark after an old-style pair: the word goes on, no fold
def test_normalize_never_raises_and_is_idempotent(text):
    once = normalize_inline(text)
    assert normalize_inline(once) == once
    assert "\n" not in once and once == once.strip()
    assert "  " not in once
    fold_for_match(text)


@FAST
@given(st.one_of(genre_text, tricky_text))
def test_normalize_same_for_composed_and_decomposed(text):
    assert normalize_inline(unicodedata.normalize("NFD", text)) == normalize_inline(unicodedata.normalize("NFC", text))


@FAST
@given(st.one_of(any_text, genre_text, tricky_text))
def test_tone_fold_keeps_length(text):
    # The fold is documented as 1:1 in characters: offsets survive it.
    assert len(fold_tones(text)) == len(text)
    normal = normalize_inline(text)
    assert fold_tones(normal) == normal


def test_tone_fold_table_is_one_to_one():
    for old, new in TONE_FOLD.items():
        assert len(old) == len(new) == 2
        assert unicodedata.is_normalized("NFC", old) and unicodedata.is_normalized("NFC", new)
    assert fold_tones("hoà thuỷ quý hoàn") == "hòa thủy quý hoàn"


# --- section labels and sentences --------------------------------------------


@FAST
@given(genre_text)
def test_parse_label_points_into_its_text(text):
    text = normalize_inline(text)
    label = parse_label(text)
    if label is None:
        return
    assert 0 < label.end <= len(text)
    assert text[: label.end].rstrip().startswith(label.label.rstrip())
    assert label.number
    label.components  # noqa: B018 - integer components must parse


@FAST
@given(genre_text, st.integers(min_value=0, max_value=1000))
def test_sentences_tile_their_block(text, offset):
    text = normalize_inline(text)
    sentences = split_block(text, offset)
    previous_end = offset
    for s in sentences:
        assert previous_end <= s.start < s.end <= offset + len(text)
        assert text[s.start - offset : s.end - offset] == s.text == s.text.strip()
        previous_end = s.end
    # Only whitespace is left out between sentences.
    covered = "".join(s.text for s in sentences)
    assert "".join(covered.split()) == "".join(text.split())


# --- the whole chain ----------------------------------------------------------


def _check_span(text: str, span, claim: str | None = None, what: str = "") -> None:
    start, end = span
    assert 0 <= start <= end <= len(text), (what, span, len(text))
    if claim is not None:
        assert text[start:end] == claim, (what, text[start:end], claim)


def _check_record(text: str, record: dict, field: str | None, what: str) -> None:
    _check_span(text, record["span"], record[field] if field else None, what)
    if record.get("sentence_span") is not None:
        _check_span(text, record["sentence_span"], record["sentence"], what + ".sentence")


def check_result(text: str, result: dict) -> None:
    """Every span of every record lies in ``text`` and holds what the record says."""
    sections = result["sections"]
    paths = {s["path"] for s in sections}
    for s in sections:
        _check_span(text, s["span"], what="section")
        _check_span(text, s["title_span"], what="section.title")
        # A title taken from the heading lines after a bare number is joined with spaces.
        assert text[slice(*s["title_span"])].replace("\n", " ") == s["title"]
        assert s["span"][0] <= s["title_span"][0] and s["title_span"][1] <= s["span"][1]
        if s["parent"] is None:
            assert s["path"] == s["number"]
        else:
            assert s["parent"] in paths and s["path"] == f"{s['parent']}/{s['number']}"
    for citation in result["citations"]:
        for occurrence in citation["occurrences"]:
            _check_record(text, occurrence, "text", "citation")
    for citation in result["named_citations"]:
        for occurrence in citation["occurrences"]:
            _check_record(text, occurrence, "text", "named_citation")
    for target in result["targets"]:
        _check_record(text, target, "text", "target")
    for deadline in result["deadlines"]:
        _check_record(text, deadline, "text", "deadline")
    for responsibility in result["responsibilities"]:
        # ``unit`` may be completed from a shared head ("Các ban … LĐLĐ tỉnh"): bounds only.
        _check_record(text, responsibility, None, "responsibility")
    document = result["document"] or {}
    for field, span in (document.get("provenance") or {}).items():
        _check_span(text, span, what=f"document.{field}")
    json.dumps(result, ensure_ascii=False)


def run_chain(text: str, fmt: str) -> None:
    try:
        document = read_string(text, "fuzz." + fmt, fmt)
    except ReadError:  # nothing left after removing markup
        return
    for block in document.blocks:
        assert document.text[block.start : block.end] == block.text
    parsed = parse(document)
    found = run_extractors(parsed)
    result = {"sections": [s.to_dict() for s in parsed.sections], **found}
    check_result(document.text, result)


@PIPELINE
@given(genre_text, st.sampled_from(["txt", "md"]))
def test_read_parse_extract_never_raises_and_spans_hold(text, fmt):
    run_chain(text, fmt)


@PIPELINE
@given(st.lists(st.one_of(genre_text, st.sampled_from(HEADINGS)), min_size=1, max_size=12), st.booleans())
def test_line_structured_documents(lines, markdown):
    # One heading or paragraph per line, as in text saved from Word.
    run_chain("\n".join(lines), "md" if markdown else "txt")


block = st.tuples(
    st.one_of(genre_text, st.sampled_from(HEADINGS).flatmap(lambda h: genre_text.map(lambda t: h + " " + t))),
    st.sampled_from(["paragraph", "heading", "list_item", "table_row", "footnote"]),
    st.sampled_from(["body", "body", "body", "header", "signature", "recipients"]),
    st.sampled_from([None, True, False]),
    st.sampled_from(["typed", "auto", "markdown", "none"]),
)


@PIPELINE
@given(st.lists(block, min_size=1, max_size=15))
def test_blocks_of_any_kind_region_and_style(blocks):
    # What the .docx and .pdf readers hand over: blocks with kinds, regions and styles.
    builder = DocumentBuilder("fuzz.docx", "docx")
    for text, kind, region, bold, label_source in blocks:
        if kind == "footnote":
            builder.add_footnote(str(len(text)), text)
        else:
            builder.add(text, kind, label_source=label_source, style=Style(bold=bold), region=region,
                        cells=[text] if kind == "table_row" else None)
    document = builder.build()
    parsed = parse(document)
    result = {"sections": [s.to_dict() for s in parsed.sections], **run_extractors(parsed)}
    check_result(document.text, result)


@settings(derandomize=True, deadline=None, max_examples=60)
@given(st.text(max_size=300))
def test_random_unicode_through_the_chain(text):
    run_chain(text, "txt")


REAL = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).resolve().parents[1] / "corpus" / "txt").glob("*.txt"))]


@settings(derandomize=True, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(REAL) - 1), st.integers(0, 10**6), st.integers(1, 5000),
       st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["insert", "delete", "repeat"]),
                          st.sampled_from(HEADINGS + SYMBOLS + NUMBERS + DATES + WORDS + MARKS)), max_size=6))
def test_damaged_windows_of_real_documents(doc, start, length, edits):
    # A window of a real document with fragments inserted and pieces deleted or
    # repeated: the extractors meet real sentences in broken surroundings.
    text = REAL[doc]
    start %= len(text)
    piece = text[start:start + length]
    for pos, op, fragment in edits:
        pos %= len(piece) + 1
        if op == "insert":
            piece = piece[:pos] + fragment + piece[pos:]
        elif op == "delete":
            piece = piece[:pos] + piece[pos + len(fragment) * 3:]
        else:
            piece = piece[:pos] + piece[pos:pos + 200] + piece[pos:]
    run_chain(piece, "txt")
