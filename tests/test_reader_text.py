"""The .txt/.md reader: encodings, Markdown and conversion artefacts, paragraph
reflow, header/signature/recipients regions, on hand-written cases and on the
real documents of ``corpus/txt``."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.readers import ReadError, read_document

REPO = Path(__file__).resolve().parents[1]
TXT = REPO / "corpus" / "txt"
WILD = REPO.parent / "shared" / "corpus" / "wild"

SAMPLE = "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Quán triệt Nghị quyết số 02-NQ/TW của Bộ Chính trị.\n"


def write(tmp_path: Path, text: str | bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def read_text(tmp_path: Path, text: str, name: str = "doc.md"):
    return read_document(write(tmp_path, text, name))


def assert_offsets(doc) -> None:
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text


# --- encodings --------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        SAMPLE.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "crlf"],
)
def test_encodings_give_the_same_document(tmp_path, encoded):
    doc = read_document(write(tmp_path, encoded))
    assert [b.text for b in doc.blocks] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Quán triệt Nghị quyết số 02-NQ/TW của Bộ Chính trị.",
    ]
    assert not doc.text.startswith("\ufeff")


# Legacy Vietnamese encodings (cp1258, TCVN3, VNI) are read: tests/test_legacy_encodings.py.
def test_non_vietnamese_8bit_text_is_refused_as_mis_encoded(tmp_path):
    raw = "Ã©tÃ© café".encode("latin-1")
    with pytest.raises(ReadError, match="mis-encoded"):
        read_document(write(tmp_path, raw))


def test_utf16_without_bom_is_read(tmp_path):
    doc = read_document(write(tmp_path, SAMPLE.encode("utf-16-le")))
    assert doc.blocks[0].text == "I. MỤC ĐÍCH, YÊU CẦU"


def test_binary_file_is_refused(tmp_path):
    with pytest.raises(ReadError, match="binary|mis-encoded"):
        read_document(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"))


@pytest.mark.parametrize("content", ["   \n\t\n  ", "\ufeff\n\n", "-----\n***\n"])
def test_empty_or_markup_only_file_is_refused(tmp_path, content):
    with pytest.raises(ReadError, match="empty"):
        read_document(write(tmp_path, content.encode("utf-8")))


# --- Markdown marks ---------------------------------------------------------


def test_markdown_heading_keeps_number_style_and_level(tmp_path):
    doc = read_text(tmp_path, "## **II. MỤC TIÊU**\n\n#### **2.1. Chỉ tiêu hằng năm**\n\nNội dung.\n")
    head, sub, para = doc.blocks
    assert (head.kind, head.text, head.label, head.label_source, head.level) == ("heading", "II. MỤC TIÊU", "II.", "markdown", 2)
    assert head.style.bold
    assert (sub.text, sub.label, sub.label_source, sub.level) == ("2.1. Chỉ tiêu hằng năm", "2.1.", "markdown", 4)
    assert para.kind == "paragraph" and para.label is None


def test_escaped_star_is_text_and_italics_are_not(tmp_path):
    doc = read_text(tmp_path, "*\\* Đến năm 2025:*\n\n- Phấn đấu có *13,5 triệu* đoàn viên.\n")
    star, item = doc.blocks
    assert (star.kind, star.text, star.label) == ("list_item", "* Đến năm 2025:", "*")
    assert (item.kind, item.text, item.label) == ("list_item", "- Phấn đấu có 13,5 triệu đoàn viên.", "-")


def test_markdown_star_bullet_is_a_list_item(tmp_path):
    doc = read_text(tmp_path, "Các nhiệm vụ:\n\n* Tuyên truyền;\n* Kiểm tra.\n")
    assert [(b.kind, b.text) for b in doc.blocks[1:]] == [("list_item", "* Tuyên truyền;"), ("list_item", "* Kiểm tra.")]


def test_bookmarks_rules_and_footnotes_are_presentation(tmp_path):
    text = (
        "[bookmark: _GoBack]I. MỤC TIÊU\n"
        "--------\n"
        "- Phấn đấu 70% đoàn viên, CCVCLĐ[footnoteRef:1] được học tập.[1:  Công chức, viên chức, người lao động] \n"
    )
    doc = read_text(tmp_path, text, "doc.txt")
    body = [b for b in doc.blocks if b.kind != "footnote"]
    assert [b.text for b in body] == ["I. MỤC TIÊU", "- Phấn đấu 70% đoàn viên, CCVCLĐ được học tập."]
    assert body[1].footnote_refs == ["1"]
    (note,) = [b for b in doc.blocks if b.kind == "footnote"]
    assert (note.footnote_id, note.text, note.region) == ("1", "Công chức, viên chức, người lao động", "footnotes")
    assert note.start > body[-1].end  # footnotes come after the body
    assert_offsets(doc)


def test_bracket_without_footnote_reference_is_kept(tmp_path):
    doc = read_text(tmp_path, "Theo khoản [2: xem dưới] của văn bản.\n", "doc.txt")
    assert doc.blocks[0].text == "Theo khoản [2: xem dưới] của văn bản."


def test_markdown_table_rows_have_cells(tmp_path):
    text = "Bảng chỉ tiêu\n\n| TT | Chỉ tiêu | Đơn vị |\n|---|---|---|\n| 1 | Đoàn viên mới | người |\n"
    doc = read_text(tmp_path, text)
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [["TT", "Chỉ tiêu", "Đơn vị"], ["1", "Đoàn viên mới", "người"]]
    assert rows[0].table == rows[1].table
    assert all("|" not in b.text or b.kind == "table_row" for b in doc.blocks)


# --- paragraph reflow --------------------------------------------------------

WRAPPED = """**Điều 2.
Hiệu lực thi hành**

1. Quyết định này có hiệu lực
từ ngày 01 tháng 12 năm 2025.
2. Quyết định này thay thế
Quyết định số 15/2014/QĐ-UBND ngày 02 tháng 7 năm 2014 của Ủy ban nhân dân tỉnh
về nếp sống văn minh trong việc cưới, việc tang và lễ hội; Quyết
định số 22/2019/QĐ-UBND ngày 13 tháng 9 năm 2019 của
Ủy ban nhân dân tỉnh.

**Điều
3. Trách nhiệm tổ chức thực hiện**

Chánh Văn phòng Ủy ban nhân
dân tỉnh chịu trách nhiệm thi hành Quyết định này./.
"""


def test_hard_wrapped_markdown_is_reflowed_into_paragraphs(tmp_path):
    doc = read_text(tmp_path, WRAPPED)
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "Điều 2. Hiệu lực thi hành",
        "1. Quyết định này có hiệu lực từ ngày 01 tháng 12 năm 2025.",
        "2. Quyết định này thay thế Quyết định số 15/2014/QĐ-UBND ngày 02 tháng 7 năm 2014 của Ủy ban nhân dân "
        "tỉnh về nếp sống văn minh trong việc cưới, việc tang và lễ hội; Quyết định số 22/2019/QĐ-UBND ngày 13 "
        "tháng 9 năm 2019 của Ủy ban nhân dân tỉnh.",
        "Điều 3. Trách nhiệm tổ chức thực hiện",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh chịu trách nhiệm thi hành Quyết định này./.",
    ]
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].label == "Điều 2."
    assert doc.blocks[3].label == "Điều 3."
    assert doc.meta["hard_wrapped"] is True


def test_markdown_with_one_line_per_paragraph(tmp_path):
    text = "I. MỤC ĐÍCH\n1. Mục đích\n- Quán triệt nghị quyết của\nBộ Chính trị.\n**II. NHIỆM VỤ**\nTăng cường công tác\ntuyên truyền.\n"
    doc = read_text(tmp_path, text)
    assert [b.text for b in doc.blocks] == [
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "- Quán triệt nghị quyết của Bộ Chính trị.",
        "II. NHIỆM VỤ",
        "Tăng cường công tác tuyên truyền.",
    ]


def test_page_break_inside_a_sentence_is_repaired(tmp_path):
    text = (
        "- Ban Chấp hành, Ban Thường vụ LĐLĐ tỉnh tập trung xây dựng các chương trình của Ban Chấp\n\n"
        "hành trong nhiệm kỳ 2023-2028 bằng các kế hoạch cụ thể.\n\n"
        "- Tập trung chỉ đạo rà soát.\n\n"
        "a) Mục tiêu tổng quát\n"
    )
    doc = read_text(tmp_path, text, "doc.txt")
    assert [b.text for b in doc.blocks] == [
        "- Ban Chấp hành, Ban Thường vụ LĐLĐ tỉnh tập trung xây dựng các chương trình của Ban Chấp "
        "hành trong nhiệm kỳ 2023-2028 bằng các kế hoạch cụ thể.",
        "- Tập trung chỉ đạo rà soát.",
        "a) Mục tiêu tổng quát",  # a label in lower case is not a continuation
    ]


def test_one_paragraph_per_line_text_keeps_lines(tmp_path):
    doc = read_text(tmp_path, SAMPLE + "2. Yêu cầu\n- Việc tổ chức phải quyết liệt.\n", "doc.txt")
    assert len(doc.blocks) == 5
    assert doc.meta["hard_wrapped"] is False
    assert [b.kind for b in doc.blocks] == ["heading", "heading", "list_item", "heading", "list_item"]


# --- converted Word tables: header, signature, recipients -----------------------

HEADER_AND_SIGNATURE = """|
**ỦY BAN NHÂN
DÂN **
TỈNH LAI CHÂU
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
87/2025/QĐ-UBND
|
*Lai Châu, ngày
19 tháng 11 năm 2025*
|


**QUYẾT ĐỊNH**

**Điều 1. **Ban
hành kèm theo Quyết định này Quy định thực hiện nếp sống văn minh.

|
*Nơi nhận:*
- Như Điều 3;
- Bộ Văn hóa, Thể thao và Du lịch;
- Lưu: VT, VX2.
|
**TM. ỦY BAN
NHÂN DÂN**
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Tống Thanh Hải**
|
"""


def test_broken_header_table_becomes_header_blocks(tmp_path):
    doc = read_text(tmp_path, HEADER_AND_SIGNATURE)
    header = [b.text for b in doc.blocks if b.region == "header"]
    assert header == [
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Số: 87/2025/QĐ-UBND",
        "Lai Châu, ngày 19 tháng 11 năm 2025",
    ]
    body = [b.text for b in doc.blocks if b.region == "body"]
    assert body == [
        "QUYẾT ĐỊNH",
        "Điều 1. Ban hành kèm theo Quyết định này Quy định thực hiện nếp sống văn minh.",
    ]


def test_signature_and_recipients_regions(tmp_path):
    doc = read_text(tmp_path, HEADER_AND_SIGNATURE)
    recipients = [b.text for b in doc.blocks if b.region == "recipients"]
    signature = [b.text for b in doc.blocks if b.region == "signature"]
    assert recipients == ["Nơi nhận:", "- Như Điều 3;", "- Bộ Văn hóa, Thể thao và Du lịch;", "- Lưu: VT, VX2."]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Tống Thanh Hải"]
    assert all(b.kind != "heading" for b in doc.blocks if b.region != "body")


def test_data_table_cells_are_table_rows(tmp_path):
    text = "Bảng số liệu như sau:\n\n|\nTT\n|\nChỉ tiêu\n|\n|\n1\n|\nTổng sản phẩm trong nước\n|\n\nGhi chú cuối bảng.\n"
    doc = read_text(tmp_path, text)
    cells = [b for b in doc.blocks if b.kind == "table_row"]
    assert [c.text for c in cells] == ["TT", "Chỉ tiêu", "1", "Tổng sản phẩm trong nước"]
    assert all(c.region == "body" and c.cells == [c.text] for c in cells)
    assert doc.blocks[-1].text == "Ghi chú cuối bảng." and doc.blocks[-1].kind == "paragraph"


def test_bold_numbered_heading_in_a_layout_table_is_a_heading(tmp_path):
    layout = (
        "Cục Hải quan thông báo như sau:\n|\n**1. Hàng hóa đề nghị xác định trước mã số:**\n|\n"
        "Tên thương mại: Dây hàn\n|\n\nNội dung tiếp theo.\n"
    )
    doc = read_text(tmp_path, layout)
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["1. Hàng hóa đề nghị xác định trước mã số:"] == "heading"
    assert kinds["Tên thương mại: Dây hàn"] == "table_row"
    data = "Bảng:\n\n|\n1\n|\n**1. Tổng sản phẩm trong nước tăng**\n|\n8,00\n|\n\nHết.\n"
    doc = read_text(tmp_path, data, "data.md")
    assert all(b.kind == "table_row" for b in doc.blocks if "Tổng sản phẩm" in b.text)


# --- the real documents ------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_docs():
    return {p.stem[:3]: read_document(p) for p in sorted(TXT.glob("*.txt"))}


def test_real_documents_carry_no_markup(corpus_docs):
    assert len(corpus_docs) == 5
    for doc in corpus_docs.values():
        assert_offsets(doc)
        for marker in ("**", "[bookmark", "[footnoteRef", "\\*", "\t", "##"):
            assert marker not in doc.text, (doc.source, marker)


def test_real_footnote_of_000(corpus_docs):
    doc = corpus_docs["000"]
    (note,) = [b for b in doc.blocks if b.kind == "footnote"]
    assert note.text == "Công chức, viên chức, người lao động"
    (cited,) = [b for b in doc.blocks if b.footnote_refs]
    assert "CCVCLĐ được tham gia học tập" in cited.text


def test_real_title_lines_of_000_are_one_block(corpus_docs):
    doc = corpus_docs["000"]
    assert doc.blocks[0].text == "CHƯƠNG TRÌNH HÀNH ĐỘNG"
    assert doc.blocks[1].text.startswith("Thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng và Nghị quyết số 02-NQ/TW")
    assert doc.blocks[1].text.endswith("trong tình hình mới”")


def test_real_markdown_headings_of_001(corpus_docs):
    doc = corpus_docs["001"]
    by_text = {b.text: b for b in doc.blocks}
    head = by_text["II. MỤC TIÊU"]
    assert (head.kind, head.label, head.label_source, head.style.bold) == ("heading", "II.", "markdown", True)
    assert by_text["3. 2. Nâng cao hiệu quả công tác tuyên truyền, truyền thông, vận động trong đoàn viên, CNVCLĐ"].label == "3. 2."


def test_real_signature_table_of_003(corpus_docs):
    doc = corpus_docs["003"]
    regions = {b.text: b.region for b in doc.blocks}
    assert regions["TM. ĐOÀN CHỦ TỊCH"] == "signature"
    assert regions["PHÓ CHỦ TỊCH"] == "signature"
    assert regions["Nơi nhận:"] == "recipients"
    assert regions["- Ban Dân vận Trung ương;"] == "recipients"
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert any(b.text == "1.1" for b in rows)  # the data appendix's numbered rows


@pytest.mark.skipif(not WILD.exists(), reason="wild corpus not available")
def test_wild_decision_header_and_body():
    doc = read_document(WILD / "01bf9d04a5b9e2c8.md")
    header = [b.text for b in doc.blocks if b.region == "header"]
    assert "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU" in header
    assert "Số: 87/2025/QĐ-UBND" in header
    assert "Lai Châu, ngày 19 tháng 11 năm 2025" in header
    texts = [b.text for b in doc.blocks]
    assert "Điều 2. Hiệu lực thi hành" in texts
    assert "Chương I" in texts and "QUY ĐỊNH CHUNG" in texts
    assert_offsets(doc)


# --- annex headings run into tables, headings cut short in wrapped Markdown ----

# A converted decision whose tables touch: no blank line anywhere, cells between
# lone pipes; the annex titles sit in the pipe stretches after the signature
# table and after the previous annex's figures.
_ANNEXED = """\
**Điều 1. Phạm vi điều chỉnh**
Nghị quyết này quy định nội dung chi và mức chi để tổ chức các kỳ thi trên địa
bàn tỉnh và các cuộc thi, hội thi trong lĩnh vực giáo dục và đào tạo của tỉnh.
|
Nơi nhận:
- Như Điều 1;
- Lưu: VT.
|
**TM. HỘI ĐỒNG NHÂN DÂN**
**CHỦ TỊCH**
Nguyễn Văn An
|
**PHỤ LỤC I**
NỘI DUNG CHI VÀ MỨC CHI
ĐỂ TỔ CHỨC CÁC KỲ THI CẤP TRUNG HỌC PHỔ THÔNG
*(Ban hành kèm theo Nghị quyết số 22/2025/NQ-HĐND)*
|
**Số TT**
|
**Nội dung chi**
|
1
|
Ra đề thi
|
**PHỤ LỤC II**
NỘI DUNG CHI VÀ MỨC
CHI KHEN THƯỞNG CÁC KỲ THI CHỌN HỌC SINH GIỎI
*(Ban hành kèm theo Nghị quyết số 22/2025/NQ-HĐND)*
|
**Số TT**
|
**Mức chi**
|
1
|
500
|
"""


def test_annex_heading_run_into_a_table_heads_the_annex(tmp_path):
    from pipeline.sections import build_sections

    doc = read_text(tmp_path, _ANNEXED)
    assert_offsets(doc)
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["CHỦ TỊCH"].region == "signature"  # the signature table still closes the text
    annexes = [b for b in doc.blocks if b.text.startswith("PHỤ LỤC")]
    assert [(b.region, b.kind) for b in annexes] == [("body", "heading"), ("body", "heading")]
    assert by_text["Ra đề thi"].kind == "table_row"  # the annex's own table stays a table
    secs = {s.path: s for s in build_sections(doc)}
    assert list(secs) == ["Điều 1", "PHỤ LỤC I", "PHỤ LỤC II"]
    assert secs["PHỤ LỤC I"].title == "NỘI DUNG CHI VÀ MỨC CHI ĐỂ TỔ CHỨC CÁC KỲ THI CẤP TRUNG HỌC PHỔ THÔNG"
    # A title in capitals runs on in capitals even across a short line.
    assert secs["PHỤ LỤC II"].title == "NỘI DUNG CHI VÀ MỨC CHI KHEN THƯỞNG CÁC KỲ THI CHỌN HỌC SINH GIỎI"


def test_numbered_headings_nest_under_an_annex_run_into_a_table(tmp_path):
    from pipeline.sections import build_sections

    text = _ANNEXED.replace(
        "**PHỤ LỤC II**",
        "**PHỤ LỤC II**\nQUY ĐỊNH MỨC CHI\n\nI. NỘI DUNG CHI\n\n1. Chi ra đề thi và coi thi\n\n**PHỤ LỤC III**",
    )
    secs = [s.path for s in build_sections(read_text(tmp_path, text))]
    assert secs == ["Điều 1", "PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC II/I", "PHỤ LỤC II/I/1", "PHỤ LỤC III"]


def test_unnumbered_data_annex_in_a_table_is_not_a_heading(tmp_path):
    from pipeline.sections import build_sections

    text = _ANNEXED.replace("**PHỤ LỤC I**", "**PHỤ LỤC SỐ LIỆU**")
    doc = read_text(tmp_path, text)
    assert all(b.kind != "heading" for b in doc.blocks if b.text.startswith("PHỤ LỤC SỐ LIỆU"))
    assert "PHỤ LỤC SỐ LIỆU" not in [s.number for s in build_sections(doc)]


# Hard-wrapped Markdown whose converter cut each paragraph's first line early
# (long lines around it fix the wrap width at about 80).
_WRAPPED_ARTICLE = """\
**Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng**
1. Phạm vi điều
chỉnh
a) Nghị quyết này quy định
nội dung chi và mức chi để tổ chức các kỳ thi, cuộc thi, hội thi trong lĩnh vực
giáo dục và đào tạo trên địa bàn tỉnh.
2. Đối tượng áp dụng
Các cơ quan quản lý nhà
nước về giáo dục và đào tạo tỉnh, xã, phường; các cơ sở giáo dục; các cơ quan,
đơn vị, cá nhân có liên quan được giao nhiệm vụ tổ chức các kỳ thi, cuộc thi.
3. Sở Văn hóa, Thể thao và
Du lịch
4. Sở Giáo dục và Đào tạo chủ trì
Tổ chức triển khai; hướng dẫn các cơ sở giáo dục thực hiện theo đúng quy định hiện
hành của Bộ Giáo dục và Đào tạo về tổ chức các kỳ thi.
5. Nguồn kinh phí thực hiện
Kinh phí thực hiện chính sách miễn, giảm, hỗ trợ học
phí và chi phí học tập quy định tại Nghị quyết này do ngân sách nhà nước bảo đảm.
"""


def test_short_numbered_heading_does_not_absorb_the_next_paragraph(tmp_path):
    from pipeline.sections import build_sections

    doc = read_text(tmp_path, _WRAPPED_ARTICLE)
    assert_offsets(doc)
    titles = {s.path: s.title for s in build_sections(doc)}
    assert titles["Điều 1/1"] == "Phạm vi điều chỉnh"  # a lower-case line goes on
    assert titles["Điều 1/2"] == "Đối tượng áp dụng"
    assert titles["Điều 1/5"] == "Nguồn kinh phí thực hiện"
    texts = [b.text for b in doc.blocks]
    assert any(t.startswith("Các cơ quan quản lý nhà nước về giáo dục") for t in texts)
    # A heading cut before a proper noun, and a line whose next line is full
    # (not a paragraph's early-cut first line), still continue.
    assert titles["Điều 1/3"] == "Sở Văn hóa, Thể thao và Du lịch"
    assert titles["Điều 1/4"].startswith("Sở Giáo dục và Đào tạo chủ trì Tổ chức triển khai")


def test_wrap_width_ignores_table_cells(tmp_path):
    from pipeline.readers.text import _wrap_width

    cells = ["|", "1", "|", "Chi ra đề", "|", "500", "|"] * 40
    prose = [
        "Nghị quyết này quy định nội dung chi và mức chi để tổ chức các kỳ thi, cuộc",
        "thi, hội thi trong lĩnh vực giáo dục và đào tạo trên địa bàn tỉnh Vĩnh Long và",
    ] * 12
    assert _wrap_width(prose + cells) >= 75


def test_item_text_after_its_colon_stays_in_the_item(tmp_path):
    from pipeline.sections import build_sections

    text = _WRAPPED_ARTICLE + (
        "a) Phạm vi, đối tượng hỗ trợ:\n"
        "Người dân, người lao động, người yếu thế, hộ kinh doanh, hợp tác xã, doanh nghiệp\n"
        "tại các địa bàn bị ảnh hưởng bởi bão số 12 và mưa lũ tháng 10 năm 2025.\n"
    )
    titles = {s.path: s.title for s in build_sections(read_text(tmp_path, text))}
    assert titles["Điều 1/5/a"].startswith("Phạm vi, đối tượng hỗ trợ: Người dân, người lao động")
