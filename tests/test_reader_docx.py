"""The .docx reader: Word automatic numbering, footnotes, header/signature tables,
data tables, style hints and bad input.

Real documents: the five ``corpus/docx`` files against the oracle of what Word
shows (``shared/corpus/expected``) and the gold section paths. Edge cases: small
.docx files built here with python-docx and hand-written ``numbering.xml`` the way
Word writes Vietnamese lists (``I.`` / ``1.`` / ``1.1.``, ``a)``, ``-`` bullets).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.normalize import normalize_inline
from pipeline.readers import ReadError, read_document
from pipeline.readers.docx_numbering import format_number, to_letter, to_roman
from tests.docx_factory import DocxFactory, abstract_num, lvl, num, numbering_xml

REPO = Path(__file__).resolve().parents[1]
CORPUS_DOCX = REPO / "corpus" / "docx"
SHARED = Path(__file__).resolve().parents[2] / "shared"
EXPECTED = SHARED / "corpus" / "expected"
GOLD = SHARED / "gold" / "dev"
STEMS = sorted(p.stem for p in CORPUS_DOCX.glob("*.docx"))

needs_oracle = pytest.mark.skipif(not EXPECTED.is_dir(), reason="shared/corpus/expected not checked out")


@pytest.fixture(scope="module")
def corpus() -> dict[str, Document]:
    return {stem: read_document(CORPUS_DOCX / f"{stem}.docx") for stem in STEMS}


def oracle(stem: str) -> dict:
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))


def body(doc: Document) -> list:
    return [b for b in doc.blocks if b.region == "body" and b.kind not in ("footnote", "table_row")]


def texts(doc: Document, region: str) -> list[str]:
    return [b.text for b in doc.blocks if b.region == region]


# --- the real documents ----------------------------------------------------------


def test_corpus_has_five_docx():
    assert len(STEMS) == 5


@needs_oracle
@pytest.mark.parametrize("stem", STEMS)
def test_numbers_match_what_word_shows(corpus, stem):
    """Every paragraph's number (auto or typed) is the one Word displays, in order."""
    blocks = body(corpus[stem])
    i = 0
    checked = 0
    for rec in oracle(stem)["records"]:
        if "shown_number" not in rec:
            continue
        target = normalize_inline(rec["text_in_docx"])
        while i < len(blocks) and not blocks[i].text.endswith(target):
            i += 1
        assert i < len(blocks), f"paragraph not found: {target[:60]}"
        block = blocks[i]
        if rec["numbering"] == "auto":
            assert (block.label, block.label_source) == (rec["shown_number"], "auto"), target[:60]
            assert block.text == f"{rec['shown_number']} {target}"
            checked += 1
        else:
            assert block.label_source != "auto"
        assert block.style.bold == rec["bold"], target[:60]
        i += 1
    assert checked == sum(1 for r in oracle(stem)["records"] if r.get("numbering") == "auto")


@needs_oracle
def test_all_169_auto_numbers_recovered(corpus):
    auto = sum(1 for doc in corpus.values() for b in doc.blocks if b.label_source == "auto")
    assert auto == 169


@needs_oracle
@pytest.mark.parametrize("stem", STEMS)
def test_visible_text_is_what_word_shows(corpus, stem):
    """Same characters as the oracle's visible text (line breaks inside a paragraph
    and inside table cells become spaces in a block)."""
    doc = corpus[stem]
    mine = normalize_inline(" ".join(b.text for b in doc.blocks if b.kind != "footnote"))
    shown = normalize_inline((EXPECTED / f"{stem}.txt").read_text(encoding="utf-8").replace("\n", " "))
    assert mine == shown


def test_000_continues_count_on_second_num(corpus):
    """000 switches to a second w:num of the same abstractNum at III.6: Word goes on
    counting 6, 7 (a per-numId count would restart at 1)."""
    blocks = body(corpus["000_87603f58eecd4578"])
    start = next(i for i, b in enumerate(blocks) if b.label == "III.")
    end = next(i for i, b in enumerate(blocks) if b.label == "IV.")
    level1 = [b.label for b in blocks[start:end] if b.level == 1]
    assert level1 == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]


def test_000_footnote_kept_as_footnote(corpus):
    doc = corpus["000_87603f58eecd4578"]
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [(n.footnote_id, n.text, n.region) for n in notes] == [("1", "Công chức, viên chức, người lao động", "footnotes")]
    citing = [b for b in doc.blocks if b.footnote_refs]
    assert len(citing) == 1 and citing[0].footnote_refs == ["1"]
    assert "CCVCLĐ được tham gia" in citing[0].text  # no mark glued to the word
    assert doc.blocks[-1].kind == "footnote"  # notes after the body


@needs_oracle
@pytest.mark.parametrize("stem", STEMS)
def test_header_table_in_reading_order(corpus, stem):
    header = [normalize_inline(c) for c in oracle(stem)["records"][0]["cells"]]
    mine = texts(corpus[stem], "header")
    assert mine[: len(header)] == [c for c in header if c]
    assert corpus[stem].blocks[0].region == "header"


def test_002_copy_header_after_signature(corpus):
    """A sao lục (certified copy) adds a second header block after the signature."""
    header = texts(corpus["002_66fc0c121fd6263f"], "header")
    assert header[5:] == ["TỈNH ỦY ĐIỆN BIÊN", "VĂN PHÒNG", "*", "Số 25-BS/VPTU", "ĐẢNG CỘNG SẢN VIỆT NAM", "SAO LỤC", "Điện Biên, ngày 11 tháng 8 năm 2021"]


def test_title_lines_are_headings(corpus):
    first_body = body(corpus["002_66fc0c121fd6263f"])[:2]
    assert [(b.kind, b.text) for b in first_body] == [
        ("heading", "NGHỊ QUYẾT CỦA BỘ CHÍNH TRỊ"),
        ("heading", "về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới"),
    ]
    assert first_body[0].style.align == "center" and first_body[0].style.upper


def test_signature_and_recipients(corpus):
    doc = corpus["001_6aebd239dd393bed"]
    assert texts(doc, "signature") == ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Hoàng Thọ Trung"]
    recipients = texts(doc, "recipients")
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, VP." and len(recipients) == 10
    # Recipient dashes are not list items of the body.
    assert all(b.kind == "paragraph" for b in doc.blocks if b.region in ("signature", "recipients"))


@needs_oracle
def test_003_annex_table_rows(corpus):
    doc = corpus["003_1daefe2fb569c266"]
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    expected = [r for r in oracle("003_1daefe2fb569c266")["records"] if r["kind"] == "appendix_table"][0]["rows"]
    assert len(rows) == len(expected) == 51
    assert [[normalize_inline(c) for c in b.cells] for b in rows] == [[normalize_inline(c) for c in r] for r in expected]
    assert rows[0].text == "TT | Nội dung | Đơn vị tính | Số liệu"
    assert rows[1].cells == ["CÔNG TÁC CHỈ ĐẠO"]  # one cell merged across the row, once
    assert len({b.table for b in rows}) == 1
    # Numbered rows of a data table are not headings.
    assert not any(b.label for b in rows)


def test_typed_numbers_are_typed(corpus):
    doc = corpus["001_6aebd239dd393bed"]
    labelled = [b for b in body(doc) if b.label]
    assert labelled and all(b.label_source == "typed" for b in labelled)
    assert "3. 2." in [b.label for b in labelled]  # the stray space Word kept
    roman = [b for b in labelled if b.label == "II."][0]
    assert roman.kind == "heading" and roman.style.bold


def test_kinds(corpus):
    doc = corpus["000_87603f58eecd4578"]
    by_label = {}
    for b in body(doc):
        by_label.setdefault(b.label, b.kind)
    assert by_label["I."] == "heading"
    assert by_label["-"] == "list_item"
    assert by_label["1.1."] == "paragraph"  # not bold: a numbered paragraph


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared/gold not checked out")
@pytest.mark.parametrize("stem", STEMS)
def test_sections_from_docx_equal_gold(corpus, stem):
    from pipeline.sections import build_sections

    gold = [s["path"] for s in json.loads((GOLD / f"{stem}.gold.json").read_text(encoding="utf-8"))["sections"]]
    assert [s.path for s in build_sections(corpus[stem])] == gold


# --- Word numbering, built here ------------------------------------------------------

ROMAN_DECIMAL_DOTTED = [
    lvl(0, "upperRoman", "%1.", bold=True),
    lvl(1, "decimal", "%2."),
    lvl(2, "decimal", "%2.%3."),
]


def build(tmp_path: Path, factory: DocxFactory, name: str = "t.docx") -> Document:
    return read_document(factory.save(tmp_path / name))


def labels(doc: Document) -> list[str]:
    return [b.label for b in doc.blocks if b.label_source == "auto"]


def test_multilevel_roman_decimal_dotted(tmp_path):
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, ROMAN_DECIMAL_DOTTED)], [num(5, 1)]))
    for text, level in [("MỤC ĐÍCH", 0), ("Mục đích", 1), ("Tham mưu", 2), ("Chủ trì", 2), ("Yêu cầu", 1), ("NHIỆM VỤ", 0), ("Tuyên truyền", 1), ("Tham gia", 2)]:
        f.para(text, (5, level), bold=level < 2)
    doc = build(tmp_path, f)
    assert labels(doc) == ["I.", "1.", "1.1.", "1.2.", "2.", "II.", "1.", "1.1."]
    assert doc.blocks[2].text == "1.1. Tham mưu" and doc.blocks[2].level == 2
    assert [b.kind for b in doc.blocks[:3]] == ["heading", "heading", "paragraph"]


def test_two_nums_share_one_abstract_counter(tmp_path):
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, ROMAN_DECIMAL_DOTTED)], [num(5, 1), num(6, 1)]))
    f.para("A", (5, 0)).para("a1", (5, 1)).para("a2", (5, 1)).para("a3", (6, 1)).para("B", (6, 0)).para("b1", (5, 1))
    assert labels(build(tmp_path, f)) == ["I.", "1.", "2.", "3.", "II.", "1."]


def test_start_override_restarts_shared_counter_once(tmp_path):
    """002's pattern: each Roman section starts a new num with startOverride 1."""
    nums = [num(10, 1), num(11, 1, {0: 1}), num(12, 1, {0: 1}), num(13, 1)]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, [lvl(0, "decimal", "%1."), lvl(1, "lowerLetter", "%2)")])], nums))
    f.para("x", (10, 0)).para("x", (10, 0)).para("x", (10, 0))
    f.para("y", (11, 0)).para("y", (11, 0)).para("ya", (11, 1))
    f.para("z", (12, 0)).para("z", (12, 0))
    f.para("w", (13, 0))  # no override: continues the shared count
    f.para("z again", (12, 0))  # a num's override applies only on its first use
    assert labels(build(tmp_path, f)) == ["1.", "2.", "3.", "1.", "2.", "a)", "1.", "2.", "3.", "4."]


def test_start_value_and_override_value(tmp_path):
    nums = [num(1, 1), num(2, 1, {0: 5})]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, [lvl(0, "decimal", "%1.", start=3)])], nums))
    f.para("a", (1, 0)).para("b", (1, 0)).para("c", (2, 0)).para("d", (2, 0))
    assert labels(build(tmp_path, f)) == ["3.", "4.", "5.", "6."]


def test_lvl_restart(tmp_path):
    levels = [
        lvl(0, "upperRoman", "%1."),
        lvl(1, "decimal", "%2.", restart=0),  # never restarts: counts through the whole list
        lvl(2, "lowerLetter", "%3)", restart=1),  # restarts only when level 0 is used
    ]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, levels)], [num(1, 1)]))
    for text, level in [("A", 0), ("1", 1), ("a", 2), ("b", 2), ("2", 1), ("c", 2), ("B", 0), ("3", 1), ("a", 2)]:
        f.para(text, (1, level))
    assert labels(build(tmp_path, f)) == ["I.", "1.", "a)", "b)", "2.", "c)", "II.", "3.", "a)"]


def test_formats(tmp_path):
    levels = [
        lvl(0, "upperLetter", "%1."),
        lvl(1, "lowerRoman", "%2)"),
        lvl(2, "decimalZero", "%3."),
        lvl(3, "decimal", "Điều %4."),
        lvl(4, "lowerLetter", "(%5)"),
    ]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, levels)], [num(1, 1)]))
    for level in (0, 1, 1, 1, 1, 2, 3, 4, 4):
        f.para("nội dung", (1, level))
    assert labels(build(tmp_path, f)) == ["A.", "i)", "ii)", "iii)", "iv)", "01.", "Điều 1.", "(a)", "(b)"]


def test_is_lgl_shows_parent_in_arabic(tmp_path):
    levels = [lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%1.%2.", legal=True)]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, levels)], [num(1, 1)]))
    f.para("A", (1, 0)).para("B", (1, 0)).para("b1", (1, 1))
    assert labels(build(tmp_path, f)) == ["I.", "II.", "2.1."]


def test_bullets(tmp_path):
    levels = [lvl(0, "bullet", "-"), lvl(1, "bullet", "\uf0b7"), lvl(2, "bullet", "+"), lvl(3, "bullet", "o")]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, levels)], [num(1, 1)]))
    for level in range(4):
        f.para("Phấn đấu có 70% đoàn viên", (1, level))
    doc = build(tmp_path, f)
    assert labels(doc) == ["-", "•", "+", "•"]
    assert all(b.kind == "list_item" for b in doc.blocks)
    assert doc.blocks[0].text == "- Phấn đấu có 70% đoàn viên"


def test_nested_bullet_does_not_disturb_numbers(tmp_path):
    abstracts = [abstract_num(1, ROMAN_DECIMAL_DOTTED), abstract_num(2, [lvl(0, "bullet", "-")])]
    f = DocxFactory().set_numbering(numbering_xml(abstracts, [num(1, 1), num(2, 2)]))
    f.para("A", (1, 0)).para("a", (1, 1)).para("item", (2, 0)).para("item", (2, 0)).para("b", (1, 1))
    assert labels(build(tmp_path, f)) == ["I.", "1.", "-", "-", "2."]


_LIST_STYLE = (
    '<w:style w:type="paragraph" w:styleId="MucLon"><w:name w:val="Muc lon"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:numPr><w:numId w:val="7"/></w:numPr><w:jc w:val="both"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
)
_DERIVED_STYLE = (
    '<w:style w:type="paragraph" w:styleId="MucLonDo"><w:name w:val="Muc lon do"/><w:basedOn w:val="MucLon"/>'
    "<w:rPr><w:i/></w:rPr></w:style>"
)


def test_numbering_through_paragraph_style(tmp_path):
    """numPr on the style (and on a style it is based on), the level from the
    paragraph or from the abstract level bound to the style (w:pStyle)."""
    levels = [lvl(0, "upperRoman", "%1.", pstyle="MucLon"), lvl(1, "decimal", "%2.")]
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, levels)], [num(7, 1)]))
    f.add_style(_LIST_STYLE).add_style(_DERIVED_STYLE)
    f.para("MỤC ĐÍCH", style="Muc lon")
    f.para("Mục đích", style="Muc lon", ilvl_only=1)
    f.para("YÊU CẦU", style="Muc lon do")
    f.para("Không đánh số", style="Muc lon", numbering=(0, 0))  # numId 0: numbering removed
    doc = build(tmp_path, f)
    assert [(b.label, b.label_source) for b in doc.blocks] == [("I.", "auto"), ("1.", "auto"), ("II.", "auto"), (None, "none")]
    assert doc.blocks[0].style.bold and doc.blocks[0].kind == "heading"  # bold from the style
    assert doc.blocks[2].style.italic and doc.blocks[2].style.bold  # inherited through basedOn
    assert doc.blocks[0].style.align == "justify"


def test_num_style_link(tmp_path):
    """A list style: abstract 2 defers to the definition behind numbering style 'DanhSach'."""
    style = (
        '<w:style w:type="numbering" w:styleId="DanhSach"><w:name w:val="Danh sach"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    abstracts = [abstract_num(1, [lvl(0, "lowerLetter", "%1)")], style_link="DanhSach"), abstract_num(2, [], num_style_link="DanhSach")]
    f = DocxFactory().set_numbering(numbering_xml(abstracts, [num(1, 1), num(2, 2)])).add_style(style)
    f.para("x", (2, 0)).para("y", (2, 0)).para("z", (1, 0))
    assert labels(build(tmp_path, f)) == ["a)", "b)", "c)"]


def test_empty_numbered_paragraph_still_counts(tmp_path):
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, [lvl(0, "decimal", "%1.")])], [num(1, 1)]))
    f.para("một", (1, 0)).para("", (1, 0)).para("ba", (1, 0))
    doc = build(tmp_path, f)
    assert [b.text for b in doc.blocks] == ["1. một", "3. ba"]


def test_undefined_num_is_plain_text(tmp_path):
    f = DocxFactory().set_numbering(numbering_xml([abstract_num(1, [lvl(0, "decimal", "%1.")])], [num(1, 1)]))
    f.para("Số lạ", (99, 0)).para("1. Đánh số tay", None)
    doc = build(tmp_path, f)
    assert [(b.text, b.label, b.label_source) for b in doc.blocks] == [("Số lạ", None, "none"), ("1. Đánh số tay", "1.", "typed")]


@pytest.mark.parametrize(
    "text,label",
    [
        ("I. MỤC ĐÍCH", "I."),
        ("II- QUAN ĐIỂM", "II-"),
        ("3. 2. Nâng cao", "3. 2."),
        ("1.1. Ban Tuyên giáo", "1.1."),
        ("a) Mục tiêu tổng quát", "a)"),
        ("đ) Nội dung", "đ)"),
        ("- Phấn đấu", "-"),
        ("+ Số lượng", "+"),
        ("* Đến năm 2025:", "*"),
        ("PHẦN THỨ NHẤT", "PHẦN THỨ NHẤT"),
        ("Điều 5. Hiệu lực", "Điều 5."),
        ("1.500 đoàn viên được kết nạp", None),
        ("2023 là năm bản lề", None),
        ("Mục tiêu tổng quát", None),
    ],
)
def test_typed_labels(tmp_path, text, label):
    doc = build(tmp_path, DocxFactory().para(text))
    assert doc.blocks[0].label == label
    assert doc.blocks[0].label_source == ("typed" if label else "none")


def test_number_formatting():
    assert to_roman(1994) == "MCMXCIV" and to_roman(4) == "IV"
    assert to_letter(1) == "A" and to_letter(26) == "Z" and to_letter(27) == "AA"
    assert format_number(7, "decimalZero") == "07" and format_number(12, "decimalZero") == "12"
    assert format_number(3, "lowerRoman") == "iii"
    assert format_number(5, "vietnameseCounting") == "năm"
    assert format_number(4, "someUnknownFormat") == "4"


# --- layout, notes, tables, built here -------------------------------------------------


def test_header_signature_and_body_regions(tmp_path):
    f = DocxFactory()
    f.table([[["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]],
             ["Số: 12/QĐ-UBND", "Lai Châu, ngày 5 tháng 3 năm 2024"]])
    f.para("QUYẾT ĐỊNH", bold=True, center=True)
    f.para("Về việc ban hành Kế hoạch", bold=True, center=True)
    f.para("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.", bold=False)
    f.table([[["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT."], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn A"]]])
    doc = build(tmp_path, f)
    assert texts(doc, "header") == [
        "ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 12/QĐ-UBND", "Lai Châu, ngày 5 tháng 3 năm 2024",
    ]
    assert [b.kind for b in body(doc)] == ["heading", "heading", "paragraph"]
    assert body(doc)[2].label == "Điều 1."
    assert texts(doc, "recipients") == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT."]
    assert texts(doc, "signature") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]
    assert not any(b.kind == "table_row" for b in doc.blocks)


def test_signature_table_with_a_row_per_line(tmp_path):
    f = DocxFactory().para("Nội dung.")
    f.table([["Nơi nhận:", "TM. BAN THƯỜNG VỤ"], ["- Như trên;", "BÍ THƯ"], ["- Lưu VP.", ""], ["", "Lò Văn C"]])
    doc = build(tmp_path, f)
    assert texts(doc, "recipients") == ["Nơi nhận:", "- Như trên;", "- Lưu VP."]
    assert texts(doc, "signature") == ["TM. BAN THƯỜNG VỤ", "BÍ THƯ", "Lò Văn C"]


def test_header_signature_and_recipients_as_paragraphs(tmp_path):
    """Without tables: a tab-separated header line, then Nơi nhận and signature lines."""
    f = DocxFactory()
    f.para("UBND TỈNH LAI CHÂU\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    f.para("Số: 25/KH-UBND\tLai Châu, ngày 5 tháng 3 năm 2024")
    f.para("KẾ HOẠCH", bold=True, center=True)
    f.para("I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    f.para("- Triển khai kịp thời, đồng bộ các nhiệm vụ được giao.")
    f.para("Nơi nhận:")
    f.para("- Như trên;")
    f.para("- Lưu: VT.")
    f.para("TM. ỦY BAN NHÂN DÂN", bold=True, center=True)
    f.para("CHỦ TỊCH", bold=True, center=True)
    f.para("Nguyễn Văn B", bold=True, center=True)
    doc = build(tmp_path, f)
    assert texts(doc, "header") == [
        "UBND TỈNH LAI CHÂU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 25/KH-UBND Lai Châu, ngày 5 tháng 3 năm 2024",
    ]
    assert [b.kind for b in body(doc)] == ["heading", "heading", "list_item"]
    assert texts(doc, "recipients") == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert texts(doc, "signature") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn B"]


def test_text_box_content_read_after_its_paragraph(tmp_path):
    from docx.oxml import parse_xml

    f = DocxFactory().para("Trước").para("Sau")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"'
    box = f'<w:r {ns}><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
    f.doc.paragraphs[0]._p.append(parse_xml(box))
    assert [b.text for b in build(tmp_path, f).blocks] == ["Trước", "DỰ THẢO", "Sau"]


def test_data_table_rows_and_merged_cell(tmp_path):
    f = DocxFactory().para("Phụ lục chỉ tiêu").merged_table(["TT", "Chỉ tiêu", "Đơn vị"], "I. CÔNG TÁC TUYÊN TRUYỀN")
    f.table([["1", "Số đoàn viên", "người"], ["2", ["Tỷ lệ", "- khu vực nhà nước"], "%"], ["", "", ""], ["3", "", "%"]])
    doc = build(tmp_path, f)
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [b.cells for b in rows] == [
        ["TT", "Chỉ tiêu", "Đơn vị"],
        ["I. CÔNG TÁC TUYÊN TRUYỀN"],
        ["1", "Số đoàn viên", "người"],
        ["2", "Tỷ lệ - khu vực nhà nước", "%"],
        ["3", "", "%"],
    ]
    assert rows[3].text == "2 | Tỷ lệ - khu vực nhà nước | %"
    assert rows[4].text == "3 | | %"
    assert [b.table for b in rows] == [0, 0, 1, 1, 1]


def test_table_of_officials_is_data_not_signature(tmp_path):
    f = DocxFactory().para("Danh sách Ban chỉ đạo:")
    f.table([["TT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn A", "Chủ tịch"], ["2", "Trần Thị B", "Phó Chủ tịch"]])
    f.table([["Chủ tịch", "Nguyễn Văn A"], ["Phó Chủ tịch", "Trần Thị B"], ["Ủy viên", "Lê Văn C"]])
    doc = build(tmp_path, f)
    assert [b.text for b in doc.blocks if b.kind == "table_row"][-2:] == ["Phó Chủ tịch | Trần Thị B", "Ủy viên | Lê Văn C"]
    assert sum(b.kind == "table_row" for b in doc.blocks) == 6
    assert not texts(doc, "signature")


def test_single_column_table_reads_as_paragraphs(tmp_path):
    f = DocxFactory().para("Mở đầu")
    f.table([["I. MỤC TIÊU"], ["1. Nâng cao chất lượng"]])
    doc = build(tmp_path, f)
    assert [(b.kind, b.text, b.label) for b in doc.blocks[1:]] == [("paragraph", "I. MỤC TIÊU", "I."), ("paragraph", "1. Nâng cao chất lượng", "1.")]


def test_footnotes_built(tmp_path):
    f = DocxFactory().para("Đoàn viên, CCVCLĐ", footnote=(1, "Công chức, viên chức, lao động")).para("Tiếp", footnote=(2, "Ghi chú hai"))
    doc = build(tmp_path, f)
    assert doc.blocks[0].text == "Đoàn viên, CCVCLĐ tiếp theo"
    assert doc.blocks[0].footnote_refs == ["1"] and doc.blocks[1].footnote_refs == ["2"]
    notes = [(b.footnote_id, b.text) for b in doc.blocks if b.kind == "footnote"]
    assert notes == [("1", "Công chức, viên chức, lao động"), ("2", "Ghi chú hai")]
    assert doc.text.endswith("Công chức, viên chức, lao động\nGhi chú hai")


def test_page_header_and_footer_stay_out(tmp_path):
    f = DocxFactory().para("Nội dung chính")
    section = f.doc.sections[0]
    section.header.paragraphs[0].text = "Tiêu đề trang lặp lại"
    section.footer.paragraphs[0].text = "Trang 1"
    doc = build(tmp_path, f)
    assert doc.text == "Nội dung chính"


def test_hidden_and_deleted_text_not_read(tmp_path):
    from docx.oxml import parse_xml

    f = DocxFactory().para("Giữ lại")
    p = f.doc.paragraphs[-1]._p
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p.append(parse_xml(f'<w:r {ns}><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> ẩn</w:t></w:r>'))
    p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="a"><w:r><w:delText> đã xóa</w:delText></w:r></w:del>'))
    p.append(parse_xml(f'<w:ins {ns} w:id="2" w:author="a"><w:r><w:t xml:space="preserve"> thêm</w:t></w:r></w:ins>'))
    assert build(tmp_path, f).text == "Giữ lại thêm"


# --- bad input ------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _ole(path: Path, stream: str) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    path.write_bytes(header + stream.encode("utf-16-le") + b"\0" * 256)
    return path


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda p: (p.write_bytes(b"This is not a Word file"), p)[1], "not a ZIP"),
        (lambda p: (p.write_bytes((CORPUS_DOCX / f"{STEMS[4]}.docx").read_bytes()[:4000]), p)[1], "not a ZIP"),
        (lambda p: _zip(p, {"readme.txt": "hello"}), "no Word document parts"),
        (lambda p: _ole(p, "EncryptedPackage"), "password-protected"),
        (lambda p: _ole(p, "WordDocument"), "legacy Word 97-2003"),
    ],
    ids=["text", "truncated", "plain-zip", "encrypted", "legacy-doc"],
)
def test_bad_files_raise_read_error(tmp_path, make, message):
    path = make(tmp_path / "bad.docx")
    with pytest.raises(ReadError, match=message):
        read_document(path)


def test_xlsx_renamed_docx(tmp_path):
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    path = _zip(tmp_path / "book.docx", {"[Content_Types].xml": ct, "_rels/.rels": rels, "xl/workbook.xml": "<workbook/>"})
    with pytest.raises(ReadError, match="not a Word"):
        read_document(path)


def test_damaged_members(tmp_path):
    src = CORPUS_DOCX / f"{STEMS[4]}.docx"
    truncated_xml = tmp_path / "xml.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(truncated_xml, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    with pytest.raises(ReadError, match="malformed XML"):
        read_document(truncated_xml)
    flipped = bytearray(src.read_bytes())
    for k in range(2000, 2100):
        flipped[k] ^= 0xFF
    (tmp_path / "crc.docx").write_bytes(bytes(flipped))
    with pytest.raises(ReadError, match="corrupt|malformed"):
        read_document(tmp_path / "crc.docx")


def test_bad_file_gives_error_result_not_exception(tmp_path):
    from pipeline.process import process_file

    path = _ole(tmp_path / "locked.docx", "EncryptedPackage")
    result = process_file(path)
    assert result["error"].startswith("password-protected") and result.get("traceback") is None
