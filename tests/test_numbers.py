"""Vietnamese number notation: decimal comma, thousands dot, scale words, ranges, %."""

import pytest

from extractors.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("13,5", 13.5),
        ("24.500", 24500),
        ("1.500", 1500),
        ("1.500.000", 1500000),
        ("01", 1),
        ("07", 7),
        ("12.5", 12.5),  # typed with an English keyboard: not three digits after the dot
        ("0,8", 0.8),
        ("100", 100),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, value_max, percent)
        ("Phấn đấu có 13,5 triệu đoàn viên", [(13500000, None, False)]),
        ("có 24.500 đoàn viên", [(24500, None, False)]),
        ("tăng thêm 650 nghìn đoàn viên", [(650000, None, False)]),
        ("tăng thêm 650 ngàn đoàn viên", [(650000, None, False)]),
        ("huy động 2 tỷ đồng", [(2000000000, None, False)]),
        ("huy động 1,2 tỉ đồng", [(1200000000, None, False)]),
        ("xây dựng 01 kênh truyền hình", [(1, None, False)]),
        ("tổ chức 2 - 3 đoàn khảo sát", [(2, 3, False)]),
        ("làm việc với 10 -15 tỉnh", [(10, 15, False)]),
        ("mở từ 2 đến 3 lớp", [(2, 3, False)]),
        ("đạt 70%", [(70, None, True)]),
        ("đạt 70 %", [(70, None, True)]),
        ("tăng 12,5%", [(12.5, None, True)]),
        ("từ 70 - 80% doanh nghiệp", [(70, 80, True)]),
        ("đạt 12,5 phần trăm", [(12.5, None, True)]),
        ("tỷ lệ 80% số hộ", [(80, None, True)]),  # "tỷ lệ" is not the scale word "tỷ"
    ],
)
def test_find_quantities(text, expected):
    got = [(q.value, q.value_max, q.percent) for q in find_quantities(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết số 02-NQ/TW",
        "Quyết định số 1729/QĐ-TTg",
        "Luật số 12/2012/QH13",
        "Nghị quyết 10b/NQ-BCH",
        "ngày 12/6/2021",
        "số điện thoại 0912.820.510",
        "đoàn viên, CCVCLĐ1 được tham gia",  # a footnote mark glued to a word
    ],
)
def test_symbols_dates_and_marks_are_not_quantities(text):
    assert find_quantities(text) == []


def test_spans_point_into_the_text():
    text = "Phấn đấu có 13,5 triệu đoàn viên và 70 % doanh nghiệp"
    qs = find_quantities(text, offset=100)
    assert [text[q.start - 100:q.end - 100] for q in qs] == ["13,5 triệu", "70 %"]


def test_falling_pair_is_not_a_range():
    # "2023 - 15" would be a range falling from 2023 to 15: keep the first number alone.
    qs = find_quantities("năm 2023 - 15 đơn vị")
    assert qs[0].value == 2023 and qs[0].value_max is None
