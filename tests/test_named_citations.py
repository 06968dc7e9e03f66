"""Documents named without a number: congress resolutions, laws and charters,
titled and issuer-and-subject documents; and what is not one (generic plurals,
campaigns, drafts, numbered documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import named_citations
from pipeline.builder import DocumentBuilder
from pipeline.document import ParsedDocument
from pipeline.evaluate import Counts, score_named
from pipeline.process import parse
from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"


def parsed(*paragraphs: str) -> ParsedDocument:
    builder = DocumentBuilder("case.txt", "txt")
    for paragraph in paragraphs:
        builder.add(paragraph)
    return parse(builder.build())


def names(*paragraphs: str) -> list[str]:
    return [r["name"] for r in named_citations.extract(parsed(*paragraphs), {})]


NAMED = [
    # (sentence, expected names)
    (
        "Quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng đến toàn thể đoàn viên.",
        ["Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"],
    ),
    ("Thực hiện Nghị quyết Đại hội XII Công đoàn Việt Nam, nhiệm kỳ 2018 - 2023.", ["Nghị quyết Đại hội XII Công đoàn Việt Nam"]),
    ("Học tập Nghị quyết Trung ương 5 (khóa XII) về hoàn thiện thể chế kinh tế.", ["Nghị quyết Trung ương 5 (khóa XII)"]),
    (
        "Quán triệt Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về xây dựng Đảng.",
        ["Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII"],
    ),
    ("Thực hiện Nghị quyết Hội nghị Trung ương 8 khóa XIII.", ["Nghị quyết Hội nghị Trung ương 8 khóa XIII"]),
    ("Tuyên truyền Luật Công đoàn năm 2024 và các văn bản hướng dẫn.", ["Luật Công đoàn năm 2024"]),
    ("Giám sát việc thi hành Bộ luật Lao động tại doanh nghiệp.", ["Bộ luật Lao động"]),
    ("Hoạt động theo Điều lệ Công đoàn Việt Nam.", ["Điều lệ Công đoàn Việt Nam"]),
    ("Phổ biến Luật Khoa học và Công nghệ cho cán bộ.", ["Luật Khoa học và Công nghệ"]),
    ("Tham gia thực hiện Luật Phòng, chống tham nhũng trong cơ quan.", ["Luật Phòng, chống tham nhũng"]),
    ("Nắm chắc chính sách (Luật BHXH, BHYT, Luật Việc làm) để tư vấn.", ["Luật BHXH", "Luật BHYT", "Luật Việc làm"]),
    ("Bảo đảm quyền theo Hiến pháp năm 2013.", ["Hiến pháp năm 2013"]),
    (
        "Triển khai Chương trình “Nâng cao kỹ năng nghề cho công nhân lao động giai đoạn 2024 - 2028” tại cơ sở.",
        ["Chương trình “Nâng cao kỹ năng nghề cho công nhân lao động giai đoạn 2024 - 2028”"],
    ),
    (
        "Cụ thể hóa Nghị quyết của Ban Chấp hành Tổng Liên đoàn về “Nâng cao hiệu quả công tác đối ngoại công đoàn”.",
        ["Nghị quyết của Ban Chấp hành Tổng Liên đoàn về “Nâng cao hiệu quả công tác đối ngoại công đoàn”"],
    ),
    (
        "Thực hiện Đề án của Tổng LĐLĐ Việt Nam về phát triển nhà ở cho công nhân khu công nghiệp; tăng cường kiểm tra.",
        ["Đề án của Tổng LĐLĐ Việt Nam về phát triển nhà ở cho công nhân khu công nghiệp"],
    ),
    (
        "Gắn với Kế hoạch của Tổng Liên đoàn thực hiện Chỉ thị số 37-CT/TW ngày 6/9/2019 của Ban Bí thư.",
        ["Kế hoạch của Tổng Liên đoàn thực hiện Chỉ thị số 37-CT/TW"],
    ),
    ("Triển khai đề án nâng cao năng lực đội ngũ cán bộ công đoàn cơ sở.", ["Đề án nâng cao năng lực đội ngũ cán bộ công đoàn cơ sở"]),
    ("Thực hiện Chương trình công tác năm 2025, Ban Thường vụ ban hành kế hoạch.", ["Chương trình công tác năm 2025"]),
    # not named citations
    ("Xây dựng các chương trình, kế hoạch, đề án của Tổng Liên đoàn.", []),
    ("Duy trì Chương trình “Tết Sum vầy” và “Tháng Công nhân”.", []),
    ("Tham gia góp ý dự thảo Luật Công đoàn (sửa đổi).", []),
    ("Kiến nghị đề xuất ban hành Luật Tiền lương tối thiểu.", []),
    ("Căn cứ Luật Công đoàn số 12/2012/QH13;", []),
    ("Thực hiện Nghị quyết Đại hội công đoàn các cấp.", []),
    ("Quán triệt Nghị quyết Trung ương về công tác cán bộ.", []),
    ("Ký kết thỏa ước có lợi hơn Luật cho người lao động.", []),
    ("Theo dõi trang Dân Luật Việt Nam để cập nhật.", []),
    (
        "Thực hiện Quyết định số 1729/QĐ-TTg về “Phê duyệt Đề án xây dựng các thiết chế của công đoàn tại các khu công nghiệp”.",
        [],
    ),
]


@pytest.mark.parametrize("sentence, expected", NAMED)
def test_named_citations(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


def test_mentions_of_one_law_are_merged_under_its_fullest_common_name() -> None:
    recs = named_citations.extract(
        parsed("Sửa đổi Luật Việc làm năm 2013 cho phù hợp.", "Giám sát thực hiện Luật Việc làm năm 2013.", "Tuyên truyền Luật Việc làm."),
        {},
    )
    assert [(r["name"], r["mentions"]) for r in recs] == [("Luật Việc làm năm 2013", 3)]


def test_an_alias_names_the_record_and_its_definition_is_not_a_mention() -> None:
    recs = named_citations.extract(
        parsed(
            "Thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng (sau đây gọi tắt là Nghị quyết Đại hội XIV của Đảng).",
            "Cụ thể hóa Nghị quyết Đại hội XIV của Đảng trong công đoàn.",
        ),
        {},
    )
    assert [(r["name"], r["mentions"]) for r in recs] == [("Nghị quyết Đại hội XIV của Đảng", 2)]
    occ = recs[0]["occurrences"][1]
    assert occ["relation"] == "implements"
    assert occ["span"][1] > occ["span"][0]


STEMS = sorted(p.stem for p in (REPO / "corpus" / "txt").glob("*.txt"))


@pytest.mark.parametrize("stem", STEMS)
def test_dev_documents_named_citations_f1(stem: str) -> None:
    gold = json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))
    doc = parse(read_document(REPO / "corpus" / "txt" / f"{stem}.txt"))
    recs = named_citations.extract(doc, {})
    counts = Counts()
    pairs, missed, spurious = score_named(gold["named_citations"], recs, counts)
    counts.tp, counts.fn, counts.fp = len(pairs), len(missed), len(spurious)
    assert counts.summary()["f1"] >= 0.8, (missed, [s["name"] for s in spurious])
    for r in recs:
        for o in r["occurrences"]:
            assert doc.text[o["span"][0]:o["span"][1]] == o["text"]
