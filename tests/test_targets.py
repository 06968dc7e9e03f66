"""Targets (chỉ tiêu): hand-written sentences of the genre, then the real documents.

Each case is a small document (a heading or two and a sentence) built with
DocumentBuilder and parsed by the pipeline, so sections, lead-in lines and the
title's term of office play their real part.
"""

from pathlib import Path

import pytest

from extractors.targets import find_targets
from pipeline.builder import DocumentBuilder
from pipeline.evaluate import Counts, score_targets, share, words
from pipeline.process import parse
from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"

TITLE = "CHƯƠNG TRÌNH HÀNH ĐỘNG thực hiện Nghị quyết Đại hội Công đoàn tỉnh, nhiệm kỳ 2025 - 2030"
TARGETS = ["II. MỤC TIÊU", "2. Chỉ tiêu cụ thể"]  # a section of targets
TASKS = ["III. NHIỆM VỤ, GIẢI PHÁP", "1. Công tác tuyên truyền"]  # a section of tasks


def parsed(*lines: str):
    builder = DocumentBuilder("case.txt", "txt")
    builder.add(TITLE)
    for line in lines:
        builder.add(line)
    return parse(builder.build())


def targets(*lines: str) -> list[dict]:
    return find_targets(parsed(*lines), {})


def brief(records: list[dict]) -> list[tuple]:
    return [(r["value"], r["value_max"], r["unit"], r["comparator"], r["deadline"]) for r in records]


# (lines, [(value, value_max, unit, comparator, deadline), ...])
CASES = [
    # number formats
    (TARGETS + ["- Phấn đấu có 13,5 triệu đoàn viên công đoàn."], [(13500000, None, "đoàn viên", "=", None)]),
    (TARGETS + ["- Phấn đấu kết nạp mới 1.500 đoàn viên."], [(1500, None, "đoàn viên", "=", None)]),
    (TARGETS + ["- Phấn đấu tăng thêm 650 ngàn đoàn viên."], [(650000, None, "đoàn viên", "=", None)]),
    (TARGETS + ["- Phấn đấu đạt 2,5 triệu lượt người tham gia các hoạt động."], [(2500000, None, "lượt", "=", None)]),
    (TARGETS + ["- Vận động 2 tỷ đồng ủng hộ Quỹ Xã hội Công đoàn."], [(2000000000, None, "đồng", "=", None)]),
    (TARGETS + ["- Phấn đấu 12,5% doanh nghiệp có bữa ăn ca đạt chuẩn."], [(12.5, None, "%", "=", None)]),
    (TARGETS + ["- Phấn đấu 85 % hộ gia đình đạt danh hiệu gia đình văn hóa."], [(85, None, "%", "=", None)]),
    # comparators
    (TARGETS + ["- Phấn đấu có 95% trở lên hộ gia đình đạt danh hiệu gia đình văn hóa."], [(95, None, "%", ">=", None)]),
    (TARGETS + ["- Phấn đấu có từ 60% trở lên công nhân được khám sức khỏe định kỳ."], [(60, None, "%", ">=", None)]),
    (TARGETS + ["- Thành lập mới ít nhất 05 công đoàn cơ sở."], [(5, None, "công đoàn cơ sở", ">=", None)]),
    (TARGETS + ["- Tối thiểu 80% cán bộ công đoàn chuyên trách được bồi dưỡng nghiệp vụ."], [(80, None, "%", ">=", None)]),
    (TARGETS + ["- Không dưới 60% hội viên tham gia sinh hoạt thường xuyên."], [(60, None, "%", ">=", None)]),
    (TARGETS + ["- Trên 85% người lao động được ký hợp đồng lao động."], [(85, None, "%", ">", None)]),
    (TARGETS + ["- Thu kinh phí công đoàn vượt 10% kế hoạch được giao."], [(10, None, "%", ">", None)]),
    (TARGETS + ["- Tỷ lệ hộ nghèo giảm bình quân hơn 1,5% mỗi năm."], [(1.5, None, "%", ">", "annual")]),
    (TARGETS + ["- Tỷ lệ tai nạn lao động nặng không quá 2% số vụ."], [(2, None, "%", "<=", None)]),
    (TARGETS + ["- Tỷ lệ lao động không có việc làm dưới 3%."], [(3, None, "%", "<", None)]),
    (TARGETS + ["- Phấn đấu 20% số hội viên trở lên được vay vốn ưu đãi."], [(20, None, "%", ">=", None)]),
    # "trở lên" that grades a rating, not the number
    (
        TARGETS + ["- 90% công đoàn cơ sở được xếp loại hoàn thành tốt nhiệm vụ trở lên."],
        [(90, None, "%", "=", None)],
    ),
    # ranges and planned counts of outputs in a task section
    (TASKS + ["- Tổ chức từ 3 đến 5 lớp tập huấn cho cán bộ công đoàn cơ sở."], [(3, 5, "lớp tập huấn", "=", None)]),
    (TASKS + ["- Biên soạn 02 - 03 tài liệu hướng dẫn nghiệp vụ."], [(2, 3, "tài liệu", "=", None)]),
    (TASKS + ["- Xây dựng 01 trang thông tin điện tử và 01 bản tin nội bộ."], [(1, None, "trang thông tin", "=", None), (1, None, "bản tin", "=", None)]),
    # deadlines
    (TARGETS + ["- Đến năm 2027, phấn đấu 90% doanh nghiệp có tổ chức công đoàn."], [(90, None, "%", "=", 2027)]),
    (TARGETS + ["- Hết nhiệm kỳ, phấn đấu có 30.000 đoàn viên."], [(30000, None, "đoàn viên", "=", 2030)]),
    (TARGETS + ["- Hằng năm, phấn đấu 100% công đoàn cơ sở tổ chức Hội nghị người lao động."], [(100, None, "%", "=", "annual")]),
    (TARGETS + ["- Phấn đấu bình quân mỗi năm phát triển 2.000 đoàn viên."], [(2000, None, "đoàn viên", "=", "annual")]),
    (TARGETS + ["- Phấn đấu trong năm 2026 có 75% lao động qua đào tạo."], [(75, None, "%", "=", 2026)]),
    (
        ["II. CHỈ TIÊU", "1. Chỉ tiêu hằng năm", "- 98% đoàn viên được học tập, quán triệt nghị quyết."],
        [(98, None, "%", "=", "annual")],
    ),
    (
        ["II. CHỈ TIÊU", "2. Chỉ tiêu nhiệm kỳ", "- 85% doanh nghiệp ký kết được thỏa ước lao động tập thể."],
        [(85, None, "%", "=", 2030)],
    ),
    (
        ["II. CHỈ TIÊU", "2. Chỉ tiêu giai đoạn 2024 - 2029", "- 70% công nhân được tham gia học tập nâng cao tay nghề."],
        [(70, None, "%", "=", 2029)],
    ),
    (
        TARGETS + ["* Đến năm 2026:", "- Phấn đấu 80% xã có thiết chế văn hóa.", "* Đến năm 2028:", "- Phấn đấu 95% xã có thiết chế văn hóa."],
        [(80, None, "%", "=", 2026), (95, None, "%", "=", 2028)],
    ),
    # an inline year overrides the lead-in; an elliptical second quantity
    (
        TARGETS + ["* Đến năm 2030:", "- Phấn đấu 90% hợp tác xã có công đoàn; đến năm 2027 đạt trên 60%."],
        [(90, None, "%", "=", 2030), (60, None, "%", ">", 2027)],
    ),
    # one sentence, several quantities
    (
        TARGETS
        + ["- Phấn đấu 100% công đoàn cơ sở khu vực nhà nước và 70% trở lên công đoàn cơ sở ngoài khu vực nhà nước tổ chức đối thoại định kỳ."],
        [(100, None, "%", "=", None), (70, None, "%", ">=", None)],
    ),
    # a commitment cue outside a section of targets
    (TASKS + ["- Tăng cường tuyên truyền, phấn đấu 100% cán bộ, đảng viên được quán triệt nghị quyết."], [(100, None, "%", "=", None)]),
    (TASKS + ["- Nâng tỷ lệ doanh nghiệp có thỏa ước lao động tập thể đạt 75%."], [(75, None, "%", "=", None)]),
    (TASKS + ["- Phấn đấu có ít nhất một sáng kiến được công nhận mỗi năm."], [(1, None, "sáng kiến", ">=", "annual")]),
]


@pytest.mark.parametrize("lines, expected", CASES, ids=[c[0][-1][:50] for c in CASES])
def test_targets(lines, expected):
    assert brief(targets(*lines)) == expected


NOTHING = [
    # history and the present
    ["I. TÌNH HÌNH", "Trải qua hơn 95 năm xây dựng và phát triển, tổ chức công đoàn ngày càng lớn mạnh."],
    TASKS + ["- Năm 2023, toàn tỉnh đã kết nạp 5.200 đoàn viên, đạt 104% kế hoạch."],
    ["I. KẾT QUẢ THỰC HIỆN", "- Tỷ lệ doanh nghiệp ký thỏa ước lao động tập thể đạt 65%."],
    TASKS + ["- Sau 10 năm thực hiện Chỉ thị, nhận thức của cấp ủy có chuyển biến."],
    # dates and document numbers
    TASKS + ["- Quán triệt Nghị quyết số 15-NQ/TW ngày 05/8/2022 của Bộ Chính trị."],
    TASKS + ["- Thực hiện Quyết định số 1729/QĐ-TTg ngày 04/11/2020 và Luật số 12/2012/QH13."],
    TASKS + ["- Triển khai khoản 2 Điều 5 Nghị định 191/2013/NĐ-CP."],
    # organisation structure and conditions
    TASKS + ["- Công đoàn Việt Nam được tổ chức theo hệ thống 4 cấp."],
    TARGETS + ["- Đối với doanh nghiệp có từ 30 lao động trở lên thì thành lập công đoàn cơ sở."],
    TARGETS + ["- Hầu hết doanh nghiệp có 50 công nhân trở lên có tổ chức công đoàn."],
    # rules with amounts
    ["Điều 5. Mức phạt", "1. Phạt tiền từ 5.000.000 đồng đến 10.000.000 đồng đối với hành vi vi phạm."],
    TASKS + ["- Mỗi học viên được hỗ trợ 50.000 đồng/ngày trong thời gian tập huấn."],
    ["Điều 7. Học viên", "Học viên phải tham dự tối thiểu 80% số tiết học của chương trình."],
    # a cue word inside a name
    TASKS + ["- Thực hiện Chương trình mục tiêu quốc gia về giảm nghèo, 45 xã được hưởng chính sách."],
    # contact details, empty table cells
    TASKS + ["Liên hệ đồng chí Nguyễn Văn A, số điện thoại: 0912.345.678."],
    TARGETS + ["Số lượng", "%"],
]


@pytest.mark.parametrize("lines", NOTHING, ids=[c[-1][:50] for c in NOTHING])
def test_not_targets(lines):
    assert targets(*lines) == []


def test_indicator_scope_section_and_provenance():
    doc = parsed(
        *TARGETS,
        "- Phấn đấu 100% công đoàn cơ sở khu vực nhà nước và 70% trở lên công đoàn cơ sở ngoài khu vực nhà nước tổ chức đối thoại định kỳ.",
    )
    first, second = find_targets(doc, {})
    assert first["indicator"] == "công đoàn cơ sở khu vực nhà nước tổ chức đối thoại định kỳ"
    assert second["indicator"] == "công đoàn cơ sở ngoài khu vực nhà nước tổ chức đối thoại định kỳ"
    assert (first["scope"], second["scope"]) == ("khu vực nhà nước", "ngoài khu vực nhà nước")
    assert first["section"] == second["section"] == "II/2"
    s, e = second["span"]
    assert doc.text[s:e] == second["text"] == "70% trở lên công đoàn cơ sở ngoài khu vực nhà nước"
    assert second["sentence"].startswith("- Phấn đấu 100%")


def test_indicator_keeps_the_verb_before_the_number():
    (record,) = targets(*TARGETS, "- Phấn đấu bình quân mỗi năm tăng thêm 2.000 đoàn viên công đoàn.")
    assert record["indicator"] == "bình quân mỗi năm tăng thêm đoàn viên công đoàn"


# --- the real documents -------------------------------------------------------

STEMS = ["000_87603f58eecd4578", "001_6aebd239dd393bed", "002_66fc0c121fd6263f", "003_1daefe2fb569c266", "004_9cab99cc97ae365a"]


@pytest.fixture(scope="module")
def real():
    import json

    out = {}
    for stem in STEMS:
        doc = parse(read_document(REPO / "corpus" / "txt" / f"{stem}.txt"))
        gold = json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))
        out[stem] = (find_targets(doc, {}), gold)
    return out


@pytest.mark.parametrize("stem", STEMS)
def test_real_documents_match_gold(real, stem):
    pred, gold = real[stem]
    c = Counts()
    pairs, missed, spurious = score_targets(gold["targets"], pred, c)
    tp, fn, fp = len(pairs), len(missed), len(spurious)
    f1 = 1.0 if tp + fn + fp == 0 else 2 * tp / (2 * tp + fn + fp)
    assert f1 >= 0.92, (missed, spurious)
    assert all(g["comparator"] == p["comparator"] for g, p in pairs)
    assert sum(share(words(g["indicator"]), words(p["indicator"])) >= 0.5 for g, p in pairs) >= 0.85 * tp


def test_real_term_deadline_and_thousands_dot(real):
    pred, _ = real["001_6aebd239dd393bed"]
    members = [t for t in pred if t["value"] == 24500]
    assert members and members[0]["deadline"] == 2028 and members[0]["unit"] == "đoàn viên"
    assert {t["deadline"] for t in pred if t["section"] == "II/2/2.1"} == {"annual"}


def test_real_inline_year_overrides_lead_in(real):
    pred, _ = real["002_66fc0c121fd6263f"]
    assert {(t["value"], t["deadline"], t["comparator"]) for t in pred} >= {(12000000, 2023, "="), (70, 2023, ">"), (13500000, 2025, "=")}
    assert all(t["value"] != 25 for t in pred)  # "doanh nghiệp có 25 công nhân, lao động trở lên"


def test_real_planned_ranges(real):
    pred, _ = real["003_1daefe2fb569c266"]
    assert sorted((t["value"], t["value_max"], t["deadline"]) for t in pred) == [(2, 3, None), (10, 15, None)]


def test_real_document_without_targets(real):
    assert real["004_9cab99cc97ae365a"][0] == []


def test_table_of_targets_reads_cells_and_year_columns():
    builder = DocumentBuilder("table.txt", "txt")
    builder.add("KẾ HOẠCH phát triển đoàn viên")
    builder.add("II. CHỈ TIÊU")
    rows = [
        ["TT", "Chỉ tiêu", "ĐVT", "Năm 2025", "Năm 2026"],
        ["1", "Tỷ lệ CĐCS xếp loại hoàn thành tốt nhiệm vụ", "%", "≥ 80", "85"],
        ["2", "Kết nạp đoàn viên mới", "Người", "1.500", "2.000"],
        ["3", "Thành lập công đoàn cơ sở mới", "CĐCS", "", ""],  # empty cells: nothing
    ]
    for row in rows:
        builder.add(" | ".join(row), "table_row", cells=row, table=0)
    doc = parse(builder.build())
    got = [(t["value"], t["unit"], t["comparator"], t["deadline"], t["indicator"]) for t in find_targets(doc, {})]
    assert got == [
        (80, "%", ">=", 2025, "Tỷ lệ CĐCS xếp loại hoàn thành tốt nhiệm vụ"),
        (85, "%", "=", 2026, "Tỷ lệ CĐCS xếp loại hoàn thành tốt nhiệm vụ"),
        (1500, "Người", "=", 2025, "Kết nạp đoàn viên mới"),
        (2000, "Người", "=", 2026, "Kết nạp đoàn viên mới"),
    ]
    for t in find_targets(doc, {}):
        s, e = t["span"]
        assert doc.text[s:e] == t["text"]


def test_table_of_results_is_not_targets():
    builder = DocumentBuilder("table.txt", "txt")
    builder.add("BÁO CÁO")
    builder.add("I. KẾT QUẢ THỰC HIỆN")
    for row in (["TT", "Nội dung", "ĐVT", "Năm 2024"], ["1", "Số đoàn viên kết nạp mới", "Người", "1.200"]):
        builder.add(" | ".join(row), "table_row", cells=row, table=0)
    assert find_targets(parse(builder.build()), {}) == []


def test_a_report_states_results_not_targets():
    lines = [*TASKS, "- Kết nạp 1.200 đoàn viên mới, đạt 120% kế hoạch năm."]
    doc = parsed(*lines)
    assert find_targets(doc, {}) != []  # read as a plan: planned count and "đạt"
    assert find_targets(doc, {"document": {"doc_type": "Báo cáo"}}) == []
