"""Document identity (extractors/identity.py): hand-written headers of the genre
and the real documents of ``corpus/`` in every rendition."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Optional

import pytest

from extractors.identity import extract
from pipeline.builder import DocumentBuilder
from pipeline.document import ParsedDocument
from pipeline.evaluate import _fold_field, fold_key
from pipeline.process import parse
from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"

QUOC_HIEU = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
BODY = ["I. MỤC ĐÍCH, YÊU CẦU", "1. Quán triệt đầy đủ nội dung của văn bản."]


def build(lines: list[str], regions: Optional[dict[int, str]] = None) -> ParsedDocument:
    """A document with one block per line; ``regions`` marks layout regions by line."""
    b = DocumentBuilder("test.txt", "txt")
    for i, line in enumerate(lines):
        kind = "heading" if line.isupper() else "paragraph"
        b.add(line, kind, region=(regions or {}).get(i, "body"))
    return parse(b.build())


CASES = [
    pytest.param(
        ["ĐẢNG BỘ TỈNH QUẢNG NINH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN", "*", "Số 05-NQ/ĐUK", "ĐẢNG CỘNG SẢN VIỆT NAM",
         "Hạ Long, ngày 10 tháng 3 năm 2025", "NGHỊ QUYẾT", "CỦA BAN CHẤP HÀNH ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
         "về tăng cường công tác dân vận trong các cơ quan thuộc Khối", *BODY],
        {"doc_type": "Nghị quyết", "number": "05-NQ/ĐUK", "date": "2025-03-10",
         "issuer": "Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh Quảng Ninh",
         "title": "về tăng cường công tác dân vận trong các cơ quan thuộc Khối"},
        id="party-resolution-of-a-bloc-committee",
    ),
    pytest.param(
        ["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 45-NQ/TW", "Hà Nội, ngày 30 tháng 11 năm 2023",
         "NGHỊ QUYẾT", "CỦA BỘ CHÍNH TRỊ", "về tiếp tục xây dựng và phát huy vai trò của đội ngũ trí thức", *BODY],
        {"doc_type": "Nghị quyết", "number": "45-NQ/TW", "date": "2023-11-30", "issuer": "Bộ Chính trị",
         "title": "về tiếp tục xây dựng và phát huy vai trò của đội ngũ trí thức", "place": "Hà Nội"},
        id="party-resolution-of-politburo",
    ),
    pytest.param(
        ["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 79 - KL/TW", "Hà Nội, ngày 25 tháng 12 năm 2013",
         "KẾT LUẬN CỦA BỘ CHÍNH TRỊ", "về đẩy mạnh thực hiện Nghị quyết số 20-NQ/TW", *BODY],
        {"doc_type": "Kết luận", "number": "79-KL/TW", "date": "2013-12-25", "issuer": "Bộ Chính trị"},
        id="party-conclusion-spaced-symbol",
    ),
    pytest.param(
        ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", *QUOC_HIEU, "Số: 15/2024/QĐ-UBND", "Bắc Ninh, ngày 05 tháng 3 năm 2024",
         "QUYẾT ĐỊNH", "Ban hành Quy chế phối hợp giữa các cơ quan trên địa bàn tỉnh",
         "ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "Căn cứ Luật Tổ chức chính quyền địa phương;", *BODY],
        {"doc_type": "Quyết định", "number": "15/2024/QĐ-UBND", "date": "2024-03-05",
         "issuer": "Ủy ban nhân dân tỉnh Bắc Ninh", "title": "Ban hành Quy chế phối hợp giữa các cơ quan trên địa bàn tỉnh",
         "place": "Bắc Ninh"},
        id="state-decision-two-line-issuer",
    ),
    pytest.param(
        ["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "BAN CHẤP HÀNH", *QUOC_HIEU, "Số: 12/CTr-BCH", "Hà Nội, ngày 8 tháng 9 năm 2022",
         "CHƯƠNG TRÌNH HÀNH ĐỘNG", "Thực hiện Nghị quyết Đại hội XIII Công đoàn Việt Nam", *BODY],
        {"doc_type": "Chương trình hành động", "number": "12/CTr-BCH", "date": "2022-09-08",
         "issuer": "Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam",
         "title": "Thực hiện Nghị quyết Đại hội XIII Công đoàn Việt Nam"},
        id="union-header-part-of-body",
    ),
    pytest.param(
        ["LIÊN ĐOÀN LAO ĐỘNG TỈNH THÁI BÌNH", *QUOC_HIEU, "Số:      /KH-LĐLĐ", "Thái Bình, ngày    tháng    năm 2024",
         "KẾ HOẠCH", "Tổ chức Tháng Công nhân năm 2024", *BODY],
        {"doc_type": "Kế hoạch", "number": None, "date": None, "place": "Thái Bình",
         "issuer": "Liên đoàn Lao động tỉnh Thái Bình"},
        id="blank-draft-number-and-date",
    ),
    pytest.param(
        ["KẾ HOẠCH", "Tuyên truyền kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam",
         "Thực hiện Chương trình công tác năm 2024, Ban Thường vụ LĐLĐ tỉnh Nam Định ban hành Kế hoạch như sau:", *BODY],
        {"doc_type": "Kế hoạch", "number": None, "date": None,
         "issuer": "Ban Thường vụ Liên đoàn Lao động tỉnh Nam Định",
         "title": "Tuyên truyền kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam"},
        id="enacting-sentence-abbreviation-expanded",
    ),
    pytest.param(
        ["ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", *QUOC_HIEU, "Số: 0124/KH-UBND", "Đắk Lắk, ngày 18 tháng 11 năm 2025", "KẾ HOẠCH",
         "Phát động đợt thi đua lập thành tích chào mừng Đại hội",
         "Thực hiện Quyết định số 2437/QĐ-TTg ngày 04/11/2025 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai đợt thi đua, "
         "Ủy ban nhân dân tỉnh xây dựng Kế hoạch như sau:", *BODY],
        {"issuer": "Ủy ban nhân dân tỉnh Đắk Lắk", "number": "0124/KH-UBND"},
        id="cited-issuer-is-not-the-issuer",
    ),
    pytest.param(
        ["KẾ HOẠCH", "Sơ kết 5 năm thực hiện Chỉ thị số 09-CT/TW", *BODY, "TM. ĐOÀN CHỦ TỊCH", "PHÓ CHỦ TỊCH",
         "ĐỀ CƯƠNG BÁO CÁO", "(Ban hành kèm theo Kế hoạch số 45/KH-TLĐ ngày 10 tháng 5 năm 2022)", "PHẦN THỨ NHẤT"],
        {"doc_type": "Kế hoạch", "number": "45/KH-TLĐ", "date": "2022-05-10"},
        id="annex-self-reference",
    ),
    pytest.param(
        ["KẾ HOẠCH", "Sơ kết công tác nữ công", *BODY, "PHỤ LỤC SỐ LIỆU",
         "(Kèm theo Kế hoạch số……../KH-TLĐ ngày… tháng … năm 2023)"],
        {"number": None, "date": None},
        id="annex-placeholder-is-blank",
    ),
    pytest.param(
        ["CHƯƠNG TRÌNH HÀNH ĐỘNG", "THỰC HIỆN NGHỊ QUYẾT SỐ 02-NQ/TW CỦA BỘ CHÍNH TRỊ",
         "Thực hiện Nghị quyết số 02-NQ/TW của Bộ Chính trị, Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam "
         "xây dựng Chương trình hành động như sau:", *BODY],
        {"doc_type": "Chương trình hành động", "title": "Thực hiện Nghị quyết số 02-NQ/TW của Bộ Chính trị",
         "issuer": "Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam"},
        id="upper-case-title-recased",
    ),
    pytest.param(
        ["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", *QUOC_HIEU, "Số: 1234/LĐTBXH-VP", "V/v hướng dẫn thực hiện chế độ",
         "Hà Nội, ngày 02 tháng 4 năm 2024", "Kính gửi: Sở Lao động - Thương binh và Xã hội các tỉnh"],
        {"doc_type": None, "number": "1234/LĐTBXH-VP", "date": "2024-04-02",
         "issuer": "Bộ Lao động - Thương binh và Xã hội", "title": "hướng dẫn thực hiện chế độ"},
        id="official-letter-without-kind",
    ),
    pytest.param(
        ["TỈNH ỦY HÀ TĨNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 12-CTr/TU", "Hà Tĩnh, ngày 3 tháng 8 năm 2021",
         "CHƯƠNG TRÌNH HÀNH ĐỘNG", "thực hiện Nghị quyết số 02-NQ/TW của Bộ Chính trị", *BODY],
        {"number": "12-CTr/TU", "date": "2021-08-03", "issuer": "Tỉnh ủy Hà Tĩnh", "place": "Hà Tĩnh"},
        id="provincial-party-committee",
    ),
    pytest.param(
        ["BỘ TÀI CHÍNH CỤC THUẾ", *QUOC_HIEU, "Số: 5253/CT-CS", "V/v chính sách thuế", "Hà Nội, ngày 17 tháng 11 năm 2025",
         "Kính gửi: Thuế tỉnh Lai Châu"],
        {"number": "5253/CT-CS", "issuer": "Cục Thuế", "date": "2025-11-17"},
        id="joined-two-line-header",
    ),
    pytest.param(
        ["LĐLĐ TỈNH NGHỆ AN", "BAN THƯỜNG VỤ", *QUOC_HIEU, "Số: 45/NQ-LĐLĐ", "Nghệ An, ngày 2 tháng 10 năm 2023",
         "NGHỊ QUYẾT", "Về nâng cao chất lượng hoạt động công đoàn cơ sở", *BODY],
        {"issuer": "Ban Thường vụ Liên đoàn Lao động tỉnh Nghệ An", "number": "45/NQ-LĐLĐ", "doc_type": "Nghị quyết"},
        id="abbreviated-union-header",
    ),
    pytest.param(
        ["THỦ TƯỚNG CHÍNH PHỦ", *QUOC_HIEU, "Số: 12/CT-TTg", "Hà Nội, ngày 3 tháng 4 năm 2024",
         "NGHỊ QUYẾT", "VỀ MỘT SỐ GIẢI PHÁP PHÁT TRIỂN THỊ TRƯỜNG LAO ĐỘNG", "CHÍNH PHỦ",
         "Căn cứ Luật Tổ chức Chính phủ;", *BODY],
        {"title": "về một số giải pháp phát triển thị trường lao động"},
        id="issuer-line-under-the-title-is-not-title",
    ),
    pytest.param(
        ["ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH", *QUOC_HIEU, "Số: 40/QĐ-UBND", "Nam Định, ngày 9 tháng 1 năm 2024",
         "QUYẾT ĐỊNH", "VỀ VIỆC THÀNH LẬP TỔ CÔNG TÁC LIÊN NGÀNH", "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH",
         "Căn cứ Luật Tổ chức chính quyền địa phương;", *BODY],
        {"title": "về việc thành lập tổ công tác liên ngành", "issuer": "Ủy ban nhân dân tỉnh Nam Định"},
        id="header-repeated-under-the-title",
    ),
    pytest.param(
        ["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", *QUOC_HIEU, "Số: 210/BC-TLĐ", "Hà Nội, ngày 5 tháng 7 năm 2023",
         "BÁO CÁO", "Kết quả 5 năm thực hiện Chỉ thị số 13-CT/TW",
         "Thực hiện Chỉ thị số 13-CT/TW của Ban Bí thư, Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam báo cáo kết quả như sau:",
         *BODY],
        {"issuer": "Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam", "doc_type": "Báo cáo"},
        id="report-names-its-organ-in-the-opening",
    ),
    pytest.param(
        ["TỈNH ỦY THÁI BÌNH", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 120-KH/TU", "Thái Bình, ngày 4 tháng 5 năm 2024",
         "KẾ HOẠCH", "thực hiện Chỉ thị số 31-CT/TW của Ban Bí thư",
         "Thực hiện Chỉ thị số 31-CT/TW, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch thực hiện như sau:", *BODY],
        {"issuer": "Ban Thường vụ Tỉnh ủy Thái Bình"},
        id="organ-completed-with-the-header-body",
    ),
    pytest.param(
        ["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "CÔNG ĐOÀN GIAO THÔNG VẬN TẢI VIỆT NAM", *QUOC_HIEU, "Số: 03/NQ-BCH",
         "Hà Nội, ngày 15 tháng 1 năm 2025", "NGHỊ QUYẾT", "Về công tác phát triển đoàn viên giai đoạn 2025 - 2028",
         "BAN CHẤP HÀNH CÔNG ĐOÀN GIAO THÔNG VẬN TẢI VIỆT NAM", "Căn cứ Điều lệ Công đoàn Việt Nam;", *BODY],
        {"issuer": "Ban Chấp hành Công đoàn Giao thông vận tải Việt Nam"},
        id="organ-under-the-title-says-more-than-the-header",
    ),
    pytest.param(
        ["ỦY BAN NHÂN DÂN", "TỈNH HÀ NAM", *QUOC_HIEU, "Số: 88/QĐ-UBND", "Hà Nam, ngày 9 tháng 2 năm 2024",
         "QUYẾT ĐỊNH", "Về việc phê duyệt kế hoạch lựa chọn nhà thầu", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ NAM",
         "Căn cứ Luật Tổ chức chính quyền địa phương;", *BODY],
        {"issuer": "Ủy ban nhân dân tỉnh Hà Nam"},
        id="office-holder-under-the-title-is-not-the-issuer",
    ),
]


@pytest.mark.parametrize("lines,expected", CASES)
def test_header_fields(lines, expected):
    record = extract(build(lines), {})
    for field, value in expected.items():
        got = record[field]
        if field == "number":
            assert (got and fold_key(got)) == (value and fold_key(value)), (field, got)
        else:
            assert _fold_field(got) == _fold_field(value), (field, got)


def test_layout_regions_are_used():
    lines = ["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", *QUOC_HIEU, "Số: 87/2025/QĐ-UBND", "Lai Châu, ngày 19 tháng 11 năm 2025",
             "QUYẾT ĐỊNH", "Quy định thực hiện nếp sống văn minh", "Căn cứ Luật Tổ chức chính quyền địa phương;",
             "Điều 1. Ban hành kèm theo Quyết định này Quy định."]
    record = extract(build(lines, {i: "header" for i in range(5)}), {})
    assert record["number"] == "87/2025/QĐ-UBND"
    assert record["date"] == "2025-11-19"
    assert record["issuer"] == "Ủy ban nhân dân tỉnh Lai Châu"
    assert record["title"] == "Quy định thực hiện nếp sống văn minh"


def test_signature_and_recipients():
    lines = ["QUYẾT ĐỊNH", "Về việc thành lập Ban Chỉ đạo", *BODY, "Nơi nhận:", "- Như Điều 3;", "- Thường trực Tỉnh ủy;",
             "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    record = extract(build(lines), {})
    assert record["signer"] == "Nguyễn Văn An"
    assert record["recipients"] == ["Như Điều 3", "Thường trực Tỉnh ủy"]


def test_party_signature_slash_form():
    lines = ["NGHỊ QUYẾT", "về công tác cán bộ", *BODY, "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Trần Văn Bình"]
    record = extract(build(lines), {})
    assert record["signer"] == "Trần Văn Bình"
    # No header and no enacting sentence: the signature names the issuing organ.
    assert record["issuer"] == "Ban Thường vụ"


def test_no_signer_when_the_signature_is_unsigned():
    lines = ["KẾ HOẠCH", "Tổng kết công tác", *BODY, "TM. ĐOÀN CHỦ TỊCH", "PHÓ CHỦ TỊCH",
             "ĐỀ CƯƠNG BÁO CÁO", "Tổng kết 15 năm triển khai Chương trình hành động số 399/CTr-TLĐ"]
    assert extract(build(lines), {})["signer"] is None


def test_provenance_points_at_the_text():
    parsed = build(["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "Số: 300/KH-TLĐ", "Hà Nội, ngày 23 tháng 3 năm 2023", "KẾ HOẠCH",
                    "Tổng kết công tác", *BODY])
    record = extract(parsed, {})
    s, e = record["provenance"]["number"]
    assert parsed.text[s:e] == "300/KH-TLĐ"
    s, e = record["provenance"]["doc_type"]
    assert parsed.text[s:e] == "KẾ HOẠCH"


# ---------------------------------------------------------------- real documents

STEMS = sorted(p.name.split(".")[0] for p in GOLD_DIR.glob("*.gold.json"))
FORMATS = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf"}



@functools.lru_cache(maxsize=None)
def real(fmt: str, stem: str) -> ParsedDocument:
    return parse(read_document(REPO / "corpus" / fmt / f"{stem}{FORMATS[fmt]}"))


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("stem", STEMS)
def test_real_documents_match_gold(fmt, stem):
    gold = json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))["document"]
    record = extract(real(fmt, stem), {})
    for field in ("doc_type", "date", "issuer", "title"):
        assert _fold_field(record[field]) == _fold_field(gold[field]), (field, record[field])
    assert fold_key(record["number"]) == fold_key(gold["number"])


def test_own_number_of_a_plan_comes_from_its_annex_in_plain_text():
    # 003 as .txt has no header: "(Ban hành kèm theo Kế hoạch số 300/KH-TLĐ ngày 23 tháng 3 năm 2023)".
    parsed = real("txt", "003_1daefe2fb569c266")
    record = extract(parsed, {})
    s, e = record["provenance"]["number"]
    assert parsed.text[s:e] == "300/KH-TLĐ"
    assert parsed.text[s - 30 : s].endswith("kèm theo Kế hoạch số ")


def test_politburo_resolution_signature_and_recipients():
    record = extract(real("txt", "002_66fc0c121fd6263f"), {})
    assert record["signer"] == "Nguyễn Phú Trọng"
    assert record["recipients"][0] == "Các tỉnh ủy, thành ủy"
    # The certified copy's own list (sao lục) is not the resolution's.
    assert not any("Mường Lay" in r for r in record["recipients"])


def test_blank_draft_header_in_docx():
    # "Số: /CTr-BCH" and "Hà Nội, ngày tháng năm": a draft without number or date.
    record = extract(real("docx", "000_87603f58eecd4578"), {})
    assert record["number"] is None and record["date"] is None
    assert record["place"] == "Hà Nội"


def test_issuer_line_joined_to_the_title_by_the_text_reader(tmp_path):
    """A .txt reader joins "CỦA BAN CHẤP HÀNH … TỈNH" and the lower-case trích yếu
    under it into one block: the capitals are the issuer, the rest the title."""
    path = tmp_path / "nq.txt"
    path.write_text(
        "ĐẢNG BỘ TỈNH QUẢNG NINH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN\n*\nSố 05-NQ/ĐUK\n\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Hạ Long, ngày 10 tháng 3 năm 2025\n\nNGHỊ QUYẾT\nCỦA BAN CHẤP HÀNH ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH\n"
        "về tăng cường công tác dân vận trong các cơ quan thuộc Khối\n-----\n\n"
        "Ngày 05/3/2025, Hội nghị Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh quyết nghị:\n\n"
        "I. MỤC TIÊU\n1. Nâng cao chất lượng công tác dân vận.\n",
        encoding="utf-8",
    )
    record = extract(parse(read_document(path)), {})
    assert record["issuer"] == "Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh Quảng Ninh"
    assert record["title"] == "về tăng cường công tác dân vận trong các cơ quan thuộc Khối"
    assert record["number"] == "05-NQ/ĐUK" and record["date"] == "2025-03-10"
