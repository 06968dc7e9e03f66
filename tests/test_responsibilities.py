"""Responsibilities (extractors/responsibilities.py) and unit names
(extractors/units.py): hand-written sentences of the genre and the real documents."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from extractors.responsibilities import extract
from extractors.units import expand, is_generic, read_unit_list
from pipeline.builder import DocumentBuilder
from pipeline.document import ParsedDocument
from pipeline.evaluate import Counts, score_responsibilities
from pipeline.process import parse
from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"

CONTENT = ["KẾ HOẠCH", "Triển khai thực hiện Chỉ thị của Ban Bí thư", "I. NHIỆM VỤ TRỌNG TÂM"]
IMPL = ["II. TỔ CHỨC THỰC HIỆN"]


def build(lines: list[str]) -> ParsedDocument:
    b = DocumentBuilder("test.txt", "txt")
    for line in lines:
        b.add(line, "heading" if line.isupper() else "paragraph")
    return parse(b.build())


def found(lines: list[str]) -> set[tuple[str, str, str]]:
    return {(r["unit"], r["role"], r["section"]) for r in extract(build(lines), {})}


CASES = [
    pytest.param(
        IMPL + ["1. Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Tài chính, Công an tỉnh triển khai Kế hoạch."],
        {("Sở Lao động - Thương binh và Xã hội", "lead", "II/1"), ("Sở Tài chính", "coordinate", "II/1"),
         ("Công an tỉnh", "coordinate", "II/1")},
        id="lead-and-partners",
    ),
    pytest.param(
        IMPL + ["1. Văn phòng UBND tỉnh", "- Là cơ quan đầu mối tham mưu tổng hợp kết quả thực hiện."],
        {("Văn phòng UBND tỉnh", "assigned", "II/1"), ("Văn phòng UBND tỉnh", "lead", "II/1")},
        id="heading-unit-then-subjectless-lead",
    ),
    pytest.param(
        IMPL + ["2. Ban Tổ chức, Ban Tuyên giáo Tỉnh ủy"],
        {("Ban Tổ chức", "assigned", "II/2"), ("Ban Tuyên giáo Tỉnh ủy", "assigned", "II/2")},
        id="multi-unit-heading",
    ),
    pytest.param(
        IMPL + ["2. Các ban, Văn phòng Tổng Liên đoàn"],
        {("Các ban Tổng Liên đoàn", "assigned", "II/2"), ("Văn phòng Tổng Liên đoàn", "assigned", "II/2")},
        id="bare-parts-take-the-owner",
    ),
    pytest.param(
        IMPL + ["- Giao Ủy ban Kiểm tra LĐLĐ tỉnh chủ trì kiểm tra, giám sát việc thực hiện."],
        {("Ủy ban Kiểm tra LĐLĐ tỉnh", "lead", "II")},
        id="giao-chu-tri",
    ),
    pytest.param(
        CONTENT + ["- Công đoàn các cấp chủ động phối hợp với các cơ quan chức năng tổ chức tuyên truyền."],
        set(),
        id="content-section-union-subject-and-generic-partner",
    ),
    pytest.param(
        CONTENT + ["- Giao Trung tâm Tư vấn pháp luật Công đoàn tỉnh tổ chức tư vấn miễn phí cho người lao động."],
        {("Trung tâm Tư vấn pháp luật Công đoàn tỉnh", "assigned", "I")},
        id="explicit-assignment-outside-implementation",
    ),
    pytest.param(
        IMPL + ["- Các sở, ban, ngành, UBND các huyện, thành phố căn cứ chức năng, nhiệm vụ xây dựng kế hoạch thực hiện."],
        {("Các sở, ban, ngành", "assigned", "II"), ("UBND các huyện, thành phố", "assigned", "II")},
        id="subject-list-with-continuations",
    ),
    pytest.param(
        IMPL + ["- Định kỳ báo cáo kết quả về Ủy ban nhân dân tỉnh, Bộ Nội vụ."],
        set(),
        id="addressees-are-not-charged",
    ),
    pytest.param(
        IMPL + ["3. Đảng đoàn Quốc hội lãnh đạo, chỉ đạo việc sửa đổi Luật Công đoàn."],
        {("Đảng đoàn Quốc hội", "assigned", "II/3")},
        id="party-subject",
    ),
    pytest.param(
        IMPL + ["4. Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Ban Tuyên giáo Tỉnh ủy và các cơ quan liên quan theo dõi, "
                "định kỳ báo cáo Ban Thường vụ Tỉnh ủy."],
        {("Ban Dân vận Tỉnh ủy", "lead", "II/4"), ("Ban Tuyên giáo Tỉnh ủy", "coordinate", "II/4")},
        id="generic-partner-and-addressee-dropped",
    ),
    pytest.param(
        IMPL + ["- Ban hành kế hoạch triển khai trong tháng 7/2024."],
        set(),
        id="ban-hanh-is-a-verb",
    ),
    pytest.param(
        IMPL + ["- Các cấp công đoàn tổ chức quán triệt Chương trình hành động."],
        set(),
        id="generic-subject",
    ),
    pytest.param(
        CONTENT + ["- Hoàn thành tốt các nhiệm vụ được giao cho Văn phòng theo quy định."],
        set(),
        id="passive-duoc-giao-is-no-assignment",
    ),
    pytest.param(
        IMPL + ["- Căn cứ Kế hoạch này, UBND các xã, phường xây dựng kế hoạch cụ thể."],
        {("UBND các xã, phường", "assigned", "II")},
        id="subject-after-intro-clause",
    ),
    pytest.param(
        IMPL + ["1. Viện Công nhân và Công đoàn", "- Phối hợp với Ban Tuyên giáo tổ chức hội thảo khoa học."],
        {("Viện Công nhân và Công đoàn", "assigned", "II/1"), ("Ban Tuyên giáo", "coordinate", "II/1")},
        id="gazetteer-name-with-conjunction",
    ),
    pytest.param(
        IMPL + ["- Ban Thường vụ Tỉnh đoàn tăng cường phối hợp hoạt động với Hội Liên hiệp Phụ nữ tỉnh."],
        {("Ban Thường vụ Tỉnh đoàn", "assigned", "II"), ("Hội Liên hiệp Phụ nữ tỉnh", "coordinate", "II")},
        id="coordinate-with-inserted-word",
    ),
    pytest.param(
        CONTENT + ["- Tổng Liên đoàn Lao động Việt Nam chủ trì, phối hợp với Bộ Lao động - Thương binh và Xã hội xây dựng đề án."],
        {("Tổng Liên đoàn Lao động Việt Nam", "lead", "I"), ("Bộ Lao động - Thương binh và Xã hội", "coordinate", "I")},
        id="lead-in-content-section-keeps-partners",
    ),
    pytest.param(
        IMPL + ["- Ban Thường vụ LĐLĐ tỉnh giao Ban Tuyên giáo chủ trì, phối hợp với Văn phòng LĐLĐ tỉnh tổng hợp kết quả."],
        {("Ban Tuyên giáo", "lead", "II"), ("Văn phòng LĐLĐ tỉnh", "coordinate", "II")},
        id="delegating-subject-is-not-charged",
    ),
    pytest.param(
        IMPL + ["3. Ủy ban Kiểm tra Tổng Liên đoàn có trách nhiệm kiểm tra việc thực hiện Chương trình."],
        {("Ủy ban Kiểm tra Tổng Liên đoàn", "assigned", "II/3")},
        id="co-trach-nhiem",
    ),
    pytest.param(
        ["KẾ HOẠCH", "Tuyên truyền Luật Công đoàn năm 2024", "Nội dung tuyên truyền gồm các điều mới.", "TỔ CHỨC THỰC HIỆN",
         "Các công đoàn ngành, công đoàn cơ sở trực thuộc xây dựng kế hoạch tuyên truyền."],
        {("Các công đoàn ngành", "assigned", None), ("công đoàn cơ sở", "assigned", None)},
        id="unnumbered-implementation-heading",
    ),
    pytest.param(
        IMPL + ["1. Ban Tuyên giáo LĐLĐ tỉnh: Chủ trì, phối hợp với các ban, Văn phòng LĐLĐ tỉnh hướng dẫn thực hiện.",
                "2. Công đoàn cơ sở: Tổ chức quán triệt đến đoàn viên."],
        {("Ban Tuyên giáo LĐLĐ tỉnh", "assigned", "II/1"), ("Ban Tuyên giáo LĐLĐ tỉnh", "lead", "II/1"),
         ("các ban LĐLĐ tỉnh", "coordinate", "II/1"), ("Văn phòng LĐLĐ tỉnh", "coordinate", "II/1"),
         ("Công đoàn cơ sở", "assigned", "II/2")},
        id="unit-colon-tasks",
    ),
]


@pytest.mark.parametrize("lines,expected", CASES)
def test_sentences(lines, expected):
    assert found(lines) == expected


def test_records_carry_provenance_and_expansion():
    parsed = build(IMPL + ["- Giao Văn phòng LĐLĐ tỉnh là đầu mối chủ trì tổng hợp kết quả."])
    [record] = extract(parsed, {})
    s, e = record["span"]
    assert parsed.text[s:e] == "Văn phòng LĐLĐ tỉnh"
    assert record["unit_expanded"] == "Văn phòng Liên đoàn Lao động tỉnh"
    assert record["role"] == "lead"
    assert record["sentence"].startswith("- Giao Văn phòng")


@pytest.mark.parametrize(
    "text,units",
    [
        ("LĐLĐ các huyện, thành phố, Công đoàn Ngành, Công đoàn Viên chức tỉnh xây dựng",
         ["LĐLĐ các huyện, thành phố", "Công đoàn Ngành", "Công đoàn Viên chức tỉnh"]),
        ("Văn phòng và các ban của Tổng Liên đoàn theo dõi", ["Văn phòng của Tổng Liên đoàn", "các ban của Tổng Liên đoàn"]),
        ("Học viện Chính trị quốc gia Hồ Chí Minh chủ trì", ["Học viện Chính trị quốc gia Hồ Chí Minh"]),
        ("Ban cán sự đảng Chính phủ lãnh đạo", ["Ban cán sự đảng Chính phủ"]),
        ("Thường trực Đoàn Chủ tịch, các Ban của Tổng Liên đoàn chủ động triển khai",
         ["Thường trực Đoàn Chủ tịch", "các Ban của Tổng Liên đoàn"]),
        ("Báo cáo kết quả thực hiện", []),
        ("Phòng học, phòng thí nghiệm", []),
        ("Sở Y tế căn cứ Danh mục thủ tục hành chính", ["Sở Y tế"]),
        ("Sở Nông nghiệp và Môi trường, Ủy ban nhân dân cấp xã tổ chức", ["Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân cấp xã"]),
        ("Trung tâm Tư vấn pháp luật Công đoàn tỉnh tổ chức", ["Trung tâm Tư vấn pháp luật Công đoàn tỉnh"]),
        ("Ban Tuyên giáo tham mưu Ban Thường vụ", ["Ban Tuyên giáo"]),
        ("Bộ luật Lao động năm 2019", []),
    ],
)
def test_unit_lists(text, units):
    assert [u.text for u in read_unit_list(text, 0)] == units


@pytest.mark.parametrize(
    "name,expanded",
    [
        ("Ban Thường vụ LĐLD tỉnh", "Ban Thường vụ Liên đoàn Lao động tỉnh"),  # OCR D for Đ
        ("Tổng LĐLĐ Việt Nam", "Tổng Liên đoàn Lao động Việt Nam"),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("các ban của Tổng Liên đoàn", "các ban của Tổng Liên đoàn Lao động Việt Nam"),
        ("Ban Tuyên giáo", "Ban Tuyên giáo"),
    ],
)
def test_expand(name, expanded):
    assert expand(name) == expanded


def test_generic_names():
    assert is_generic("các cơ quan chức năng")
    assert is_generic("Công đoàn các cấp")
    assert not is_generic("Công đoàn ngành Giao thông vận tải")


# ---------------------------------------------------------------- real documents

STEMS = sorted(p.name.split(".")[0] for p in GOLD_DIR.glob("*.gold.json"))
FORMATS = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf"}


@functools.lru_cache(maxsize=None)
def real(fmt: str, stem: str) -> ParsedDocument:
    return parse(read_document(REPO / "corpus" / fmt / f"{stem}{FORMATS[fmt]}"))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_real_documents_f1(fmt):
    tp = fp = fn = 0
    for stem in STEMS:
        gold = json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))["responsibilities"]
        pairs, missed, spurious = score_responsibilities(gold, extract(real(fmt, stem), {}), Counts())
        tp, fp, fn = tp + len(pairs), fp + len(spurious), fn + len(missed)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.8, (fmt, tp, fp, fn)


def test_politburo_resolution_implementation_section():
    records = extract(real("txt", "002_66fc0c121fd6263f"), {})
    got = {(r["unit"], r["role"], r["section"]) for r in records}
    assert ("Ban Tổ chức Trung ương", "lead", "IV/4") in got
    assert ("Tổng Liên đoàn Lao động Việt Nam", "coordinate", "IV/3") in got
    # Section III's policy directions ("Chính phủ, các bộ, ngành … phối hợp với công đoàn") charge no one.
    assert not any(r["section"].startswith("III") for r in records)
    # Bộ Chính trị and Ban Bí thư only receive reports.
    assert not any(r["unit"] in ("Bộ Chính trị", "Ban Bí thư") for r in records)


def test_annex_and_recipients_are_not_responsibilities():
    records = extract(real("docx", "003_1daefe2fb569c266"), {})
    assert all(not r["section"].startswith("PHẦN") for r in records)
    assert not any("TLĐ" in r["unit"] for r in records)  # "Văn phòng và các Ban thuộc TLĐ;" is a recipient
