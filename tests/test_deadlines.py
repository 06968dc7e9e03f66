"""Deadlines of tasks and the time expressions behind them.

Hand-written sentences of the genre (each in a small parsed document), then the
real documents of ``corpus/txt`` against the gold files.
"""


import pytest

from extractors.deadlines import find_deadlines
from extractors.timeexpr import find_time_exprs, target_deadlines, term_end_year
from pipeline.builder import DocumentBuilder
from pipeline.evaluate import Counts, score_deadlines
from pipeline.process import parse

from .helpers import DEV_STEMS, dev_txt_results
from .helpers import parsed as parsed_paragraphs
TASKS = ["IV. TỔ CHỨC THỰC HIỆN", "1. Ban Tổ chức"]


def parsed(*lines: str):
    return parsed_paragraphs("KẾ HOẠCH tổ chức sơ kết công tác công đoàn", *TASKS, *lines)


def deadlines(*lines: str, found: dict | None = None) -> list[tuple]:
    return [(d["text"], d["kind"], d["start"], d["end"]) for d in find_deadlines(parsed(*lines), found or {})]


# (sentence, [(text, kind, start, end)])
CASES = [
    (
        "Các đơn vị gửi báo cáo về Ban Tổ chức trước ngày 15/11/2024.",
        [("trước ngày 15/11/2024", "date", None, "2024-11-15")],
    ),
    ("Gửi kết quả về Thường trực trước 30/9/2025.", [("trước 30/9/2025", "date", None, "2025-09-30")]),
    (
        "Tổng hợp kết quả, hoàn thành trước ngày 15 tháng 3 năm 2025.",
        [("hoàn thành trước ngày 15 tháng 3 năm 2025", "date", None, "2025-03-15")],
    ),
    ("Chậm nhất ngày 20/12/2024, các đơn vị nộp báo cáo.", [("Chậm nhất ngày 20/12/2024", "date", None, "2024-12-20")]),
    (
        "Tổ chức hội nghị sơ kết trong quý III năm 2025.",
        [("trong quý III năm 2025", "quarter", "2025-07-01", "2025-09-30")],
    ),
    ("Ban hành hướng dẫn trong quý 4/2024.", [("trong quý 4/2024", "quarter", "2024-10-01", "2024-12-31")]),
    ("Thời gian thực hiện: trong tháng 10/2024.", [("Thời gian thực hiện: trong tháng 10/2024", "month", "2024-10-01", "2024-10-31")]),
    ("Thời gian: tháng 5 năm 2025.", [("Thời gian: tháng 5 năm 2025", "month", "2025-05-01", "2025-05-31")]),
    ("Thời gian thực hiện năm 2025 - 2026.", [("Thời gian thực hiện năm 2025 - 2026", "range", "2025-01-01", "2026-12-31")]),
    ("Sửa đổi quy chế, hoàn thành xong trong năm 2025.", [("hoàn thành xong trong năm 2025", "year", "2025-01-01", "2025-12-31")]),
    ("Tổ chức sơ kết trong 6 tháng đầu năm 2025.", [("trong 6 tháng đầu năm 2025", "range", "2025-01-01", "2025-06-30")]),
    (
        "Thời gian: từ ngày 01/4 đến ngày 30/6/2025.",
        [("Thời gian: từ ngày 01/4 đến ngày 30/6/2025", "range", "2025-04-01", "2025-06-30")],
    ),
    ("Trình Ban Thường vụ trước quý II/2025.", [("trước quý II/2025", "quarter", None, "2025-03-31")]),
    ("Đây là nhiệm vụ trọng tâm của năm 2025.", [("năm 2025", "year", "2025-01-01", "2025-12-31")]),
    # a timetable item: the period opens the line, a colon follows
    ("- Quý II/2025: Tổ chức hội nghị sơ kết.", [("Quý II/2025", "quarter", "2025-04-01", "2025-06-30")]),
    # two deadlines in one sentence
    (
        "Các đơn vị xây dựng kế hoạch trong tháng 3/2025; báo cáo kết quả trước ngày 30/11/2025.",
        [
            ("trong tháng 3/2025", "month", "2025-03-01", "2025-03-31"),
            ("trước ngày 30/11/2025", "date", None, "2025-11-30"),
        ],
    ),
]


# Forms beyond "trước"/"trong" + date (kinds and bounds as in extractors/timeexpr.py).
CASES += [
    # a from–to range named after the task it times
    (
        "Thời gian thực hiện hỗ trợ lãi suất cho hộ kinh doanh từ ngày 01/7/2025 đến hết ngày 30/6/2026.",
        [
            (
                "Thời gian thực hiện hỗ trợ lãi suất cho hộ kinh doanh từ ngày 01/7/2025 đến hết ngày 30/6/2026",
                "range",
                "2025-07-01",
                "2026-06-30",
            )
        ],
    ),
    (
        "Thời gian tổ chức: từ ngày 15 tháng 4 năm 2026 đến ngày 20 tháng 5 năm 2026.",
        [("Thời gian tổ chức: từ ngày 15 tháng 4 năm 2026 đến ngày 20 tháng 5 năm 2026", "range", "2026-04-15", "2026-05-20")],
    ),
    ("Từ nay đến hết ngày 31/3/2026, các đơn vị rà soát danh sách.", [("Từ nay đến hết ngày 31/3/2026", "date", None, "2026-03-31")]),
    ("Nộp hồ sơ chậm nhất là ngày 10/01/2026.", [("chậm nhất là ngày 10/01/2026", "date", None, "2026-01-10")]),
    # "vào" a month, also with the occasion named in between
    ("Tổ chức Hội nghị sơ kết vào tháng 6/2026.", [("vào tháng 6/2026", "month", "2026-06-01", "2026-06-30")]),
    ("Chi trả trợ cấp một lần vào kỳ lương tháng 01 năm 2026.", [("vào kỳ lương tháng 01 năm 2026", "month", "2026-01-01", "2026-01-31")]),
    ("Trình Ban Chấp hành vào quý IV năm 2026.", [("vào quý IV năm 2026", "quarter", "2026-10-01", "2026-12-31")]),
    ("Ban hành quy chế trong Quý IV/2025.", [("trong Quý IV/2025", "quarter", "2025-10-01", "2025-12-31")]),
    ("Hoàn thành tháng 9/2026.", [("Hoàn thành tháng 9/2026", "month", "2026-09-01", "2026-09-30")]),
    # two years named together are one period
    ("Hoàn thành sắp xếp các công đoàn cơ sở trong năm 2025 và năm 2026.", [("trong năm 2025 và năm 2026", "range", "2025-01-01", "2026-12-31")]),
    # the end and the start of a year
    ("Hoàn thành việc bàn giao trước cuối năm 2025.", [("trước cuối năm 2025", "year", None, "2025-12-31")]),
    ("Đến cuối năm 2026 hoàn thành số hóa hồ sơ đoàn viên.", [("Đến cuối năm 2026", "year", None, "2026-12-31")]),
    ("Triển khai thí điểm phần mềm vào đầu năm 2026.", [("vào đầu năm 2026", "range", "2026-01-01", "2026-03-31")]),
    ("Tổ chức sơ kết trong 9 tháng đầu năm 2026.", [("trong 9 tháng đầu năm 2026", "range", "2026-01-01", "2026-09-30")]),
    # "vào" a bare year after an event (sơ kết, tổng kết, tổ chức hội nghị): when it is due
    (
        "Tổ chức sơ kết 2 năm thực hiện Chỉ thị vào tháng 12/2026 và tổng kết vào năm 2029.",
        [("vào tháng 12/2026", "month", "2026-12-01", "2026-12-31"), ("vào năm 2029", "year", "2029-01-01", "2029-12-31")],
    ),
    ("Ban Tổ chức tham mưu tổ chức hội nghị tổng kết phong trào vào năm 2028.", [("vào năm 2028", "year", "2028-01-01", "2028-12-31")]),
]


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[0][:50] for c in CASES])
def test_deadlines(sentence, expected):
    assert deadlines(sentence) == expected


NOTHING = [
    "Quán triệt Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị.",
    "Xây dựng giai cấp công nhân hiện đại, lớn mạnh đến năm 2030, tầm nhìn đến năm 2045.",
    "Thực hiện Nghị quyết Đại hội Công đoàn tỉnh nhiệm kỳ 2023 - 2028.",
    "Triển khai Chương trình phúc lợi cho đoàn viên giai đoạn 2021 - 2025.",
    "Các đơn vị triển khai ngay sau khi Tổng Liên đoàn ban hành hướng dẫn.",
    "Năm 2023, các đơn vị đã hoàn thành trong tháng 6/2023.",
    "Số liệu báo cáo tính đến ngày 31/12/2024.",
    "Định kỳ hằng năm báo cáo kết quả với Đoàn Chủ tịch.",
    "- Năm 2023: toàn tỉnh kết nạp 5.000 đoàn viên.",  # a bare year opening a line is no timetable
    # a target's year is the target's deadline, not a task deadline
    "Phấn đấu đến năm 2025 có 95% công đoàn cơ sở tổ chức Hội nghị người lao động.",
    "Phấn đấu trong năm 2025 có 95% công đoàn cơ sở tổ chức Hội nghị người lao động.",
]


NOTHING += [
    # a from–to range that says which loans qualify, with no trigger: a condition
    "Các khoản vay phát sinh từ ngày 01/7/2025 đến ngày 30/6/2026 được hỗ trợ lãi suất.",
    # recurring dates without a year
    "Định kỳ trước ngày 20 hằng tháng, các đơn vị báo cáo số liệu.",
    "Báo cáo trước ngày 15 tháng 12 hằng năm.",
    # "vào" a bare year names a horizon or an event
    "Phấn đấu trở thành tỉnh công nghiệp vào năm 2045.",
    "Xây dựng chương trình chuyển đổi số đồng bộ vào năm 2030.",  # "trình" of "chương trình" is no event
    # years in the title of a cited document
    "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 của UBND tỉnh ban hành Chương trình công tác từ nay đến cuối năm 2025.",
    "Triển khai Kế hoạch số 40-KH/TU của Tỉnh ủy về chuyển đổi số trong năm 2025 và năm 2026.",
    # two years that are not one period
    "Số liệu được so sánh giữa năm 2020 và 2025.",
]


@pytest.mark.parametrize("sentence", NOTHING, ids=[c[:50] for c in NOTHING])
def test_not_deadlines(sentence):
    assert deadlines(sentence) == []


def test_deadline_before_the_date_of_issue_is_a_condition():
    sentence = "Cơ sở đưa vào sử dụng trước ngày 04/10/2001 phải bổ sung hồ sơ."
    assert deadlines(sentence) != []
    assert deadlines(sentence, found={"document": {"date": "2024-05-10"}}) == []


def test_a_heading_over_targets_sets_their_deadline_not_a_task_deadline():
    builder = DocumentBuilder("case.txt", "txt")
    builder.add("CHƯƠNG TRÌNH HÀNH ĐỘNG thực hiện Nghị quyết Đại hội Công đoàn tỉnh")
    for line in ("II. MỤC TIÊU", "1. Đến hết năm 2026", "- Phấn đấu 90% doanh nghiệp có tổ chức công đoàn ký thỏa ước lao động tập thể."):
        builder.add(line)
    builder.add("III. NHIỆM VỤ")
    builder.add("1. Rà soát, hoàn thành trước hết năm 2026 việc sắp xếp công đoàn cơ sở.")
    doc = parse(builder.build())
    from extractors.targets import find_targets

    assert [t["deadline"] for t in find_targets(doc, {})] == [2026]
    assert [(d["section"], d["end"]) for d in find_deadlines(doc, {})] == [("III/1", "2026-12-31")]


def test_provenance():
    doc = parsed("Gửi báo cáo trước ngày 15/11/2024.")
    (d,) = find_deadlines(doc, {})
    s, e = d["span"]
    assert doc.text[s:e] == d["text"]
    assert d["section"] == "IV/1"
    assert d["sentence"] == "Gửi báo cáo trước ngày 15/11/2024."


@pytest.mark.parametrize(
    "text, kind, first, last",
    [
        ("30/12/2023", "date", "2023-12-30", "2023-12-30"),
        ("30-12-2023", "date", "2023-12-30", "2023-12-30"),
        ("ngày 15 tháng 3 năm 2025", "date", "2025-03-15", "2025-03-15"),
        ("tháng 7/2024", "month", "2024-07-01", "2024-07-31"),
        ("tháng 2 năm 2024", "month", "2024-02-01", "2024-02-29"),
        ("quý II năm 2024", "quarter", "2024-04-01", "2024-06-30"),
        ("quý IV/2025", "quarter", "2025-10-01", "2025-12-31"),
        ("6 tháng cuối năm 2024", "range", "2024-07-01", "2024-12-31"),
        ("năm 2023 – 2024", "range", "2023-01-01", "2024-12-31"),
        ("từ năm 2023 đến năm 2025", "range", "2023-01-01", "2025-12-31"),
        ("9 tháng đầu năm 2025", "range", "2025-01-01", "2025-09-30"),
        ("3 tháng cuối năm 2025", "range", "2025-10-01", "2025-12-31"),
        ("đầu năm 2026", "range", "2026-01-01", "2026-03-31"),
        ("cuối năm 2025", "year", "2025-01-01", "2025-12-31"),
        ("năm 2025 và năm 2026", "range", "2025-01-01", "2026-12-31"),
        ("các năm 2026, 2027", "range", "2026-01-01", "2027-12-31"),
        ("năm 2024", "year", "2024-01-01", "2024-12-31"),
    ],
)
def test_time_expressions(text, kind, first, last):
    (expr,) = find_time_exprs(text)
    assert (expr.kind, expr.first.isoformat(), expr.last.isoformat()) == (kind, first, last)


def test_impossible_date_is_not_a_date():
    assert [e.kind for e in find_time_exprs("ngày 31/2/2024")] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chỉ tiêu hằng năm", ["annual"]),
        ("Chỉ tiêu hàng năm", ["annual"]),
        ("bình quân mỗi năm tăng thêm", ["annual"]),
        ("Đến năm 2025:", [2025]),
        ("đến hết năm 2026 đạt", [2026]),
        ("năm 2023 đạt", [2023]),
        ("Hết nhiệm kỳ, phấn đấu", [2028]),
        ("Chỉ tiêu nhiệm kỳ", [2028]),
        ("nhiệm kỳ 2025 - 2030", [2030]),
        ("giai đoạn 2021-2025", [2025]),
        ("từ năm 2026 trở đi", []),
        ("tăng 10% so với năm 2020", []),
    ],
)
def test_target_deadline_words(text, expected):
    assert [d.value for d in target_deadlines(text, term_end=2028)] == expected


def test_term_end_year():
    assert term_end_year("Thực hiện Nghị quyết Đại hội XIII Công đoàn Việt Nam, nhiệm kỳ 2023 - 2028") == 2028
    assert term_end_year("Kế hoạch năm 2024") is None


# --- the real documents -------------------------------------------------------

STEMS = DEV_STEMS


@pytest.fixture(scope="module")
def real():
    return dev_txt_results(find_deadlines)


def test_real_documents_match_gold(real):
    tp = fn = fp = 0
    for stem in STEMS:
        pred, gold = real[stem]
        pairs, missed, spurious = score_deadlines(gold["deadlines"], pred, Counts())
        tp, fn, fp = tp + len(pairs), fn + len(missed), fp + len(spurious)
    assert 2 * tp / (2 * tp + fn + fp) >= 0.85


def test_real_plan_deadlines(real):
    pred, _ = real["003_1daefe2fb569c266"]
    assert [(d["kind"], d["start"], d["end"], d["section"]) for d in pred] == [
        ("range", "2023-01-01", "2024-12-31", "II/1"),
        ("quarter", "2024-04-01", "2024-06-30", "II/2"),
        ("range", "2023-01-01", "2024-12-31", "II/2"),
        ("quarter", "2024-04-01", "2024-06-30", "II/3"),
        ("date", None, "2023-12-30", "II/3"),
        ("date", None, "2024-03-30", "III/1/1.2"),
        ("date", None, "2023-12-30", "III/2"),
    ]


def test_real_horizons_terms_and_target_years_are_not_deadlines(real):
    for stem in ("000_87603f58eecd4578", "002_66fc0c121fd6263f", "004_9cab99cc97ae365a"):
        assert real[stem][0] == [], stem
    ends = {d["end"] for d in real["001_6aebd239dd393bed"][0]}
    assert ends == {"2024-07-31", "2024-12-31"}  # no "2028" from "nhiệm kỳ 2023-2028"


def test_deadline_column_of_a_table():
    builder = DocumentBuilder("table.txt", "txt")
    builder.add("KẾ HOẠCH tổ chức Tháng Công nhân")
    builder.add("IV. PHÂN CÔNG THỰC HIỆN")
    rows = [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        ["1", "Tổ chức hội nghị", "Ban Tổ chức", "Quý II/2025"],
        ["2", "Sơ kết", "Văn phòng", "trước 30/11/2025"],
        ["3", "Gặp mặt đoàn viên năm 2024", "Văn phòng", "Tháng 12/2025"],
    ]
    for row in rows:
        builder.add(" | ".join(row), "table_row", cells=row, table=0)
    doc = parse(builder.build())
    got = [(d["text"], d["kind"], d["start"], d["end"], d["section"]) for d in find_deadlines(doc, {})]
    assert got == [
        ("Quý II/2025", "quarter", "2025-04-01", "2025-06-30", "IV"),
        ("trước 30/11/2025", "date", None, "2025-11-30", "IV"),
        ("Tháng 12/2025", "month", "2025-12-01", "2025-12-31", "IV"),
    ]
