"""The section tree: numbering styles, nesting, titles, spans, lines that look
numbered but are not headings, and the five real documents against gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.builder import DocumentBuilder
from pipeline.document import Style
from pipeline.normalize import fold_tones
from pipeline.readers import read_document
from pipeline.sections import build_sections, parse_label

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"


def doc_of(*lines, **defaults):
    """A Document from lines; a line is text or (text, {block fields})."""
    b = DocumentBuilder("t.txt", "txt")
    for line in lines:
        text, extra = (line, {}) if isinstance(line, str) else line
        fields = {**defaults, **extra}
        bold = fields.pop("bold", None)
        b.add(text, fields.pop("kind", "paragraph"), style=Style(bold=bold), **fields)
    return b.build()


def paths(*lines, **defaults) -> list[str]:
    return [s.path for s in build_sections(doc_of(*lines, **defaults))]


# --- parse_label -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, number",
    [
        ("I. MỤC ĐÍCH, YÊU CẦU", "roman", "I"),
        ("II- QUAN ĐIỂM CHỈ ĐẠO", "roman", "II"),
        ("III/ NHIỆM VỤ", "roman", "III"),
        ("XIV. KIẾN NGHỊ", "roman", "XIV"),
        ("1. Mục đích", "arabic", "1"),
        ("2) Yêu cầu", "arabic", "2"),
        ("12. Tổ chức thực hiện", "arabic", "12"),
        ("1.1. Ban Tuyên giáo", "dotted", "1.1"),
        ("3.2.1 Thu ngân sách", "dotted", "3.2.1"),
        ("3. 2. Nâng cao hiệu quả", "dotted", "3.2"),
        ("a) Mục tiêu tổng quát", "letter", "a"),
        ("b. Mục tiêu cụ thể", "letter", "b"),
        ("đ) Không cử nhạc tang", "letter", "đ"),
        ("PHẦN THỨ NHẤT", "part", "PHẦN THỨ NHẤT"),
        ("Phần thứ hai: Phương hướng", "part", "Phần thứ hai"),
        ("Phần I. Đánh giá", "part", "Phần I"),
        ("Chương II", "chapter", "Chương II"),
        ("CHƯƠNG III. TỔ CHỨC THỰC HIỆN", "chapter", "CHƯƠNG III"),
        ("Mục 1. NẾP SỐNG VĂN MINH", "subchapter", "Mục 1"),
        ("Điều 5. Tổ chức việc cưới", "article", "Điều 5"),
        ("Điều 12a. Sửa đổi", "article", "Điều 12a"),
        ("PHỤ LỤC II", "appendix", "PHỤ LỤC II"),
        ("Phụ lục số 02: Biểu tổng hợp", "appendix", "Phụ lục số 02"),
        ("Chương IICHÍNH SÁCH HỖ TRỢ", "chapter", "Chương II"),  # break lost in conversion
        ("1 . Hàng hóa đề nghị", "arabic", "1"),
        ("1- Quán triệt sâu sắc", "arabic", "1"),  # Party style
        ("a- Mục tiêu tổng quát", "letter", "a"),
        ("I.MỤC ĐÍCH", "roman", "I"),
    ],
)
def test_parse_label_styles(text, kind, number):
    label = parse_label(text)
    assert label is not None and (label.kind, label.number) == (kind, number)


@pytest.mark.parametrize(
    "text",
    [
        "2023 là năm bản lề của nhiệm kỳ",
        "12/6/2021 Bộ Chính trị ban hành Nghị quyết",
        "12.6.2021 Bộ Chính trị ban hành Nghị quyết",
        "1.500 đoàn viên được kết nạp",
        "2.500. Số liệu",
        "2025. Năm hoàn thành",
        "- Tổ chức học tập",
        "Mục tiêu tổng quát",
        "Phần lớn người lao động",
        "Chương trình hành động",
        "Điều lệ Công đoàn Việt Nam",
        "V.I. Lênin đã chỉ ra",
        "Chương Ia",
        "PHỤ LỤC SỐ LIỆU",
        "Phụ lục kèm theo",
        "151/KH-UBND ngày 06/3/2025 của UBND tỉnh",
        "28/CT-TTg ngày 18/9/2025",
        "2023 - 2025 là giai đoạn",
        "1-2 năm tới",
        "5 . tỷ đồng",
        "Trong đó: 1. Mục đích",
    ],
)
def test_not_section_numbers(text):
    assert parse_label(text) is None


# --- numbering styles and nesting -----------------------------------------------------


def test_roman_arabic_dotted_letters_nest():
    assert paths(
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "1.1. Tuyên truyền",
        "a) Học tập",
        "b) Quán triệt",
        "1.2. Kiểm tra",
        "2. Yêu cầu",
        "II. NHIỆM VỤ",
        "1. Nhiệm vụ chung",
    ) == ["I", "I/1", "I/1/1.1", "I/1/1.1/a", "I/1/1.1/b", "I/1/1.2", "I/2", "II", "II/1"]


def test_dotted_number_nests_under_the_number_it_extends():
    # 2.1 goes under 2, not under the 1.2 open before it; 2.1.1 under 2.1.
    assert paths("1. A", "1.1. B", "1.2. C", "2. D", "2.1. E", "2.1.1. F", "2.2. G") == [
        "1",
        "1/1.1",
        "1/1.2",
        "2",
        "2/2.1",
        "2/2.1/2.1.1",
        "2/2.2",
    ]


def test_dotted_with_stray_spaces_and_without_parent():
    assert paths("III. NỘI DUNG", "3. 1. Thứ nhất", "3. 2. Thứ hai") == ["III", "III/3.1", "III/3.2"]


def test_style_seen_outer_stays_outer():
    # Letters first at the top level, arabic under them; a later letter is a sibling.
    assert paths("a) Mục tiêu tổng quát", "1) Một", "2) Hai", "b) Mục tiêu cụ thể") == ["a", "a/1", "a/2", "b"]


def test_roman_never_nests_under_arabic():
    assert paths("1. Căn cứ", "I. MỤC TIÊU", "1. Chung") == ["1", "I", "I/1"]


def test_legal_units_nest_with_khoan_and_diem():
    assert paths(
        "Chương I",
        ("QUY ĐỊNH CHUNG", {"kind": "heading"}),
        "Điều 1. Phạm vi điều chỉnh",
        "1. Quy định này áp dụng cho cơ quan.",
        "a) Cơ quan nhà nước;",
        "b) Tổ chức chính trị - xã hội.",
        "2. Đối tượng áp dụng.",
        "Điều 2. Giải thích từ ngữ",
        "Chương II",
        ("QUY ĐỊNH CỤ THỂ", {"kind": "heading"}),
        "Mục 1. VIỆC CƯỚI",
        "Điều 3. Đăng ký kết hôn",
        "Mục 2. VIỆC TANG",
        "Điều 4. Tổ chức lễ tang",
    ) == [
        "Chương I",
        "Chương I/Điều 1",
        "Chương I/Điều 1/1",
        "Chương I/Điều 1/1/a",
        "Chương I/Điều 1/1/b",
        "Chương I/Điều 1/2",
        "Chương I/Điều 2",
        "Chương II",
        "Chương II/Mục 1",
        "Chương II/Mục 1/Điều 3",
        "Chương II/Mục 2",
        "Chương II/Mục 2/Điều 4",
    ]


def test_part_heading_resets_tree_and_takes_following_title():
    doc = doc_of(
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "PHẦN THỨ NHẤT",
        ("ĐÁNH GIÁ TÌNH HÌNH TRIỂN KHAI", {"kind": "heading"}),
        ("XÂY DỰNG GIAI CẤP CÔNG NHÂN", {"kind": "heading"}),
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "1. Khái quát",
        "1.1. Tham mưu",
        "PHẦN THỨ HAI",
        ("PHƯƠNG HƯỚNG", {"kind": "heading"}),
        "I. DỰ BÁO",
    )
    secs = build_sections(doc)
    assert [s.path for s in secs] == [
        "I",
        "I/1",
        "PHẦN THỨ NHẤT",
        "PHẦN THỨ NHẤT/I",
        "PHẦN THỨ NHẤT/I/1",
        "PHẦN THỨ NHẤT/I/1/1.1",
        "PHẦN THỨ HAI",
        "PHẦN THỨ HAI/I",
    ]
    part = secs[2]
    assert part.title == "ĐÁNH GIÁ TÌNH HÌNH TRIỂN KHAI XÂY DỰNG GIAI CẤP CÔNG NHÂN"
    assert doc.text[part.title_start : part.title_end] == "ĐÁNH GIÁ TÌNH HÌNH TRIỂN KHAI\nXÂY DỰNG GIAI CẤP CÔNG NHÂN"
    assert (part.level, part.kind, part.parent) == (1, "part", None)
    assert secs[5].level == 4 and secs[5].parent == "PHẦN THỨ NHẤT/I/1"


def test_list_restarting_inside_an_item_nests_under_it():
    assert paths("7. Tên thủ tục", "a) Nội dung:", "1. Gia hạn", "2. Cấp lại", "b) Lý do", "8. Tên thủ tục") == [
        "7",
        "7/a",
        "7/a/1",
        "7/a/2",
        "7/b",
        "8",
    ]


def test_capital_letter_groups_only_on_heading_lines():
    assert paths(
        "II. NỘI DUNG",
        ("A. LĨNH VỰC VIỆC LÀM", {"kind": "heading"}),
        "1. Cấp giấy phép",
        ("B. LĨNH VỰC TIỀN LƯƠNG", {"kind": "heading"}),
        "1. Đăng ký nội quy",
        "A. Nguyễn Văn B là người được giao.",
    ) == ["II", "II/A", "II/A/1", "II/B", "II/B/1"]


# --- titles -------------------------------------------------------------------------


def test_title_is_the_first_sentence_of_a_long_numbered_paragraph():
    doc = doc_of(
        "4.1. Tập trung mọi nguồn lực phát triển đoàn viên và thành lập công đoàn cơ sở. Đối với công tác "
        "đoàn viên, cần triển khai đồng bộ các giải pháp.",
        "II- QUAN ĐIỂM CHỈ ĐẠO:",
        "2. Mục tiêu; nhiệm vụ và giải pháp: phát triển",
    )
    secs = build_sections(doc)
    assert [s.title for s in secs] == [
        "Tập trung mọi nguồn lực phát triển đoàn viên và thành lập công đoàn cơ sở",
        "QUAN ĐIỂM CHỈ ĐẠO",
        "Mục tiêu; nhiệm vụ và giải pháp: phát triển",
    ]
    for s in secs:
        assert doc.text[s.title_start : s.title_end] == s.title


def test_bare_number_without_title_is_not_a_section():
    # A cell of a flattened table ("1.1" alone, then its text as a plain line).
    assert paths("I. CHỈ TIÊU", "1.1", "Ban hành văn bản chỉ đạo") == ["I"]


def test_article_with_run_in_text_and_bare_article():
    doc = doc_of(("Điều 1.", {"bold": True}), "Thông qua nội dung báo cáo.", "Điều 2. Quyết định này có hiệu lực.")
    secs = build_sections(doc)
    assert [(s.path, s.title) for s in secs] == [("Điều 1", ""), ("Điều 2", "Quyết định này có hiệu lực")]


# --- lines that look numbered but are not sections ----------------------------------


def test_bullets_tables_and_regions_are_not_sections():
    assert paths(
        ("Số: 87/2025/QĐ-UBND", {"region": "header"}),
        ("1. UBND TỈNH", {"region": "header"}),
        "I. MỤC TIÊU",
        ("- 1. gạch đầu dòng", {"kind": "list_item"}),
        ("1.1 Ban hành văn bản chỉ đạo", {"kind": "table_row", "cells": ["1.1 Ban hành văn bản chỉ đạo"]}),
        "2023 là năm bản lề.",
        "1.500 đoàn viên được kết nạp mới.",
        "12/6/2021 Bộ Chính trị ban hành.",
        ("1. Như Điều 3;", {"region": "recipients"}),
        ("KT. CHỦ TỊCH", {"region": "signature"}),
    ) == ["I"]


def test_article_reference_opening_a_sentence_is_not_a_section():
    assert paths("- Tại Điều 11 Luật thuế quy định:", "Điều 11 Luật thuế thu nhập cá nhân quy định thu nhập chịu thuế") == []


def test_rows_of_a_flattened_data_appendix_are_not_sections():
    assert paths(
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Ban Tuyên giáo",
        ("PHỤ LỤC SỐ LIỆU", {"kind": "heading"}),
        "TT Nội dung Đơn vị tính Số liệu",
        "1.1 Ban hành văn bản chỉ đạo",
        "2.1 Số CĐCS tổ chức hoạt động văn hóa",
        "PHỤ LỤC II",
        "I. KẾ HOẠCH",
    ) == ["III", "III/1", "PHỤ LỤC II", "PHỤ LỤC II/I"]


def test_numbers_inside_a_quoted_passage_are_not_sections():
    # An amending decision quotes the new wording of a khoản of another text.
    assert paths(
        "Điều 1. Sửa đổi, bổ sung khoản 2 Điều 12 của Quy định như sau:",
        "“2. Tỷ lệ vốn đối ứng của ngân sách địa phương:",
        "a) Tỷ lệ vốn đối ứng theo Bảng sau;",
        "b) Các trường hợp khác.”",
        "Điều 2. Tổ chức thực hiện",
        "1. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện.",
    ) == ["Điều 1", "Điều 2", "Điều 2/1"]


def test_flattened_table_mid_document_ends_at_the_next_own_number():
    # A data table flattened into lines (PDF) inside section 1; "2." continues
    # the document's own numbering and ends the table.
    assert paths(
        "I. KẾT QUẢ",
        "1. Chỉ tiêu chủ yếu",
        "TT Chỉ tiêu Đơn vị tính Kết quả",
        "1.1 Số đoàn viên kết nạp mới",
        "1.2 Số công đoàn cơ sở thành lập",
        "2. Đánh giá chung",
        "2.1. Ưu điểm",
    ) == ["I", "I/1", "I/2", "I/2/2.1"]


def test_numbered_appendices_are_outermost_units():
    # Each annex repeats I, II …; "PHỤ LỤC I" keeps them apart and takes its
    # title from the heading line after it. A reference in a sentence is not one.
    doc = doc_of(
        "Điều 1. Quy định nội dung chi (tại Phụ lục I kèm theo Nghị quyết này).",
        "Phụ lục I ban hành kèm theo Nghị quyết này gồm hai mục.",
        ("PHỤ LỤC I", {"kind": "heading"}),
        ("NỘI DUNG CHI, MỨC CHI HỖ TRỢ", {"kind": "heading"}),
        "(Kèm theo Nghị quyết số 77/2025/NQ-HĐND)",
        "I. Hỗ trợ chi phí chuyển trả kết quả.",
        ("PHỤ LỤC II", {"kind": "heading"}),
        ("MỨC CHI THUÊ CHUYÊN GIA", {"kind": "heading"}),
        "I. Nội dung chi theo tháng",
        "1. Mức 1, không quá 40.000.000 đồng/tháng.",
    )
    secs = build_sections(doc)
    assert [s.path for s in secs] == ["Điều 1", "PHỤ LỤC I", "PHỤ LỤC I/I", "PHỤ LỤC II", "PHỤ LỤC II/I", "PHỤ LỤC II/I/1"]
    assert secs[1].title == "NỘI DUNG CHI, MỨC CHI HỖ TRỢ" and secs[1].kind == "appendix"


def test_annex_after_signature_starts_its_own_tree():
    assert paths(
        "Điều 1. Ban hành Quy định.",
        "Điều 4. Chánh Văn phòng chịu trách nhiệm thi hành.",
        ("TM. ỦY BAN NHÂN DÂN", {"region": "signature"}),
        ("QUY ĐỊNH", {"kind": "heading"}),
        "I. DANH MỤC",
        "II. NỘI DUNG",
        "1. Tên thủ tục",
    ) == ["Điều 1", "Điều 4", "I", "II", "II/1"]


def test_restarted_numbering_keeps_the_printed_path():
    # Paths are the numbers as printed; a plan with two "IV." has two "IV" sections.
    got = paths("Điều 1. Ban hành.", "Điều 2. Hiệu lực.", "Điều 1. Phạm vi.", "1. Khoản một.")
    assert got == ["Điều 1", "Điều 2", "Điều 1", "Điều 1/1"]


# --- spans and levels -------------------------------------------------------------------


def test_spans_cover_until_next_sibling_or_shallower_and_stop_at_signature():
    doc = doc_of(
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "- Quán triệt.",
        "2. Yêu cầu",
        "II. NHIỆM VỤ",
        "Nội dung.",
        ("TM. ĐOÀN CHỦ TỊCH", {"region": "signature"}),
    )
    secs = {s.path: s for s in build_sections(doc)}
    text = doc.text
    assert text[secs["I"].start : secs["I"].end].rstrip() == "I. MỤC ĐÍCH\n1. Mục đích\n- Quán triệt.\n2. Yêu cầu"
    assert text[secs["I/1"].start : secs["I/1"].end].rstrip() == "1. Mục đích\n- Quán triệt."
    assert text[secs["II"].start : secs["II"].end].rstrip() == "II. NHIỆM VỤ\nNội dung."
    assert [secs[p].level for p in ("I", "I/1", "I/2", "II")] == [1, 2, 2, 1]
    assert secs["I/2"].parent == "I" and secs["I"].parent is None
    assert secs["I"].to_dict()["span"] == [secs["I"].start, secs["I"].end]


# --- the real documents against gold -------------------------------------------------------


def _title40(text: str) -> str:
    # The normaliser writes tones the new way ("ủy"); the gold keeps the source's "uỷ".
    return "".join(fold_tones(text).casefold().split())[:40]


@pytest.mark.parametrize("stem", sorted(p.stem for p in (REPO / "corpus" / "txt").glob("*.txt")))
def test_real_document_sections_match_gold(stem):
    gold_path = GOLD_DIR / f"{stem}.gold.json"
    if not gold_path.exists():
        pytest.skip("gold not available")
    gold = {s["path"]: s["title"] for s in json.loads(gold_path.read_text(encoding="utf-8"))["sections"]}
    doc = read_document(REPO / "corpus" / "txt" / f"{stem}.txt")
    secs = build_sections(doc)
    pred = {s.path: s.title for s in secs}
    tp = len(gold.keys() & pred.keys())
    precision, recall = tp / len(pred), tp / len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.97, (stem, sorted(gold.keys() ^ pred.keys()))
    titles_ok = sum(_title40(gold[p]) == _title40(pred[p]) for p in gold.keys() & pred.keys())
    assert titles_ok / tp >= 0.95
    for s in secs:
        assert doc.text[s.title_start : s.title_end].replace("\n", " ") == s.title
        assert s.start <= s.title_start <= s.title_end <= s.end


@pytest.mark.parametrize("stem", ["000_87603f58eecd4578", "003_1daefe2fb569c266"])
def test_hard_wrapped_plain_text_gives_the_same_sections(tmp_path, stem):
    """The PDF's text layer saved as .txt (hard-wrapped lines, page numbers on
    lines of their own, a flattened data table) reads into the gold tree too."""
    pdfium = pytest.importorskip("pypdfium2")
    gold_path = GOLD_DIR / f"{stem}.gold.json"
    if not gold_path.exists():
        pytest.skip("gold not available")
    pdf = pdfium.PdfDocument(str(REPO / "corpus" / "pdf" / f"{stem}.pdf"))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r\n", "\n")
    path = tmp_path / f"{stem}.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    assert doc.meta["hard_wrapped"] is True
    gold = [s["path"] for s in json.loads(gold_path.read_text(encoding="utf-8"))["sections"]]
    assert [s.path for s in build_sections(doc)] == gold


def test_real_003_annex_and_data_appendix():
    doc = read_document(REPO / "corpus" / "txt" / "003_1daefe2fb569c266.txt")
    secs = build_sections(doc)
    by_path = {s.path: s for s in secs}
    assert by_path["PHẦN THỨ NHẤT"].title.startswith("ĐÁNH GIÁ TÌNH HÌNH TRIỂN KHAI THỰC HIỆN NHIỆM VỤ XÂY DỰNG")
    assert "PHẦN THỨ NHẤT/II/1/1.1" in by_path
    assert not any(s.path.endswith("4.8") for s in secs)  # the PHỤ LỤC SỐ LIỆU rows


# --- held-out documents (gold under tests/data) ---------------------------------------

HELDOUT2 = REPO / "tests" / "data" / "heldout2"


@pytest.mark.skipif(not (HELDOUT2 / "docs").exists(), reason="held-out set not available")
def test_heldout_annexes_run_into_tables_match_gold():
    """A resolution whose annex titles the converter ran into the tables around
    them (after the signature, after the previous annex's figures)."""
    gold = json.loads((HELDOUT2 / "d5f01e57dbf5a890.gold.json").read_text(encoding="utf-8"))
    secs = build_sections(read_document(HELDOUT2 / "docs" / "d5f01e57dbf5a890.md"))
    assert [s.path for s in secs] == [g["path"] for g in gold["sections"]]
    for s, g in zip(secs, gold["sections"]):
        assert fold_tones(s.title[:40]).lower() == fold_tones(g["title"][:40]).lower(), s.path
    assert [s.path for s in secs if s.kind == "appendix"] == ["PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC III", "PHỤ LỤC IV", "PHỤ LỤC V"]
