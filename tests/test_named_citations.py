"""Documents named without a number: congress resolutions, laws and charters,
titled and issuer-and-subject documents; and what is not one (generic plurals,
campaigns, drafts, numbered documents)."""

from __future__ import annotations

import json

import pytest

from extractors import citations, named_citations
from pipeline.evaluate import Counts, score_named
from pipeline.process import parse
from pipeline.readers import read_document

from .helpers import GOLD_DIR, REPO, parsed




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
    # strategies, programmes and plans named by subject and horizon
    (
        "Triển khai Chiến lược quốc gia về bình đẳng giới giai đoạn 2021 - 2030 trong công nhân lao động.",
        ["Chiến lược quốc gia về bình đẳng giới giai đoạn 2021 - 2030"],
    ),
    (
        "Lồng ghép với Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi"
        " giai đoạn 2021 - 2030, tầm nhìn đến năm 2045; bố trí vốn đối ứng.",
        ["Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi giai đoạn 2021 - 2030, tầm nhìn đến năm 2045"],
    ),
    (
        "Bám sát Quy hoạch tỉnh Lâm Đồng thời kỳ 2021 - 2030, tầm nhìn đến năm 2050 khi lập dự án.",
        ["Quy hoạch tỉnh Lâm Đồng thời kỳ 2021 - 2030, tầm nhìn đến năm 2050"],
    ),
    (
        "Thực hiện Kế hoạch triển khai thực hiện Chỉ thị số 21-CT/TW ngày 20/1/2023 của Ban Bí thư trong khối doanh nghiệp.",
        ["Kế hoạch triển khai thực hiện Chỉ thị số 21-CT/TW"],
    ),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", ["Luật Tổ chức chính quyền địa phương"]),
    ("Căn cứ Luật Tổ chức Quốc hội ngày 18 tháng 01 năm 2025;", ["Luật Tổ chức Quốc hội"]),
    (
        "Căn cứ Quy chế làm việc của Ban Chấp hành Công đoàn Giáo dục Việt Nam khóa XIV;",
        ["Quy chế làm việc của Ban Chấp hành Công đoàn Giáo dục Việt Nam khóa XIV"],
    ),
    ("Thực hiện Nghị quyết Đại hội XIII Công đoàn Dệt May Việt Nam, nhiệm kỳ 2023 - 2028.", ["Nghị quyết Đại hội XIII Công đoàn Dệt May Việt Nam"]),
    # a place word goes on with the name, though "thành" alone would end it
    (
        "Gắn với Nghị quyết Đại hội đại biểu Đảng bộ thành phố lần thứ XVIII và Chương trình hành động của Thành ủy.",
        ["Nghị quyết Đại hội đại biểu Đảng bộ thành phố lần thứ XVIII"],
    ),
    ("Quán triệt Nghị quyết Đại hội XV Công đoàn thành phố Đà Nẵng, nhiệm kỳ 2023 - 2028.", ["Nghị quyết Đại hội XV Công đoàn thành phố Đà Nẵng"]),
    ("Cụ thể hóa Nghị quyết Đại hội Đảng bộ thị xã lần thứ VI thành chương trình công tác.", ["Nghị quyết Đại hội Đảng bộ thị xã lần thứ VI"]),
    # a charter, then "và" and another kind: two documents
    ("Căn cứ Điều lệ Đảng và Quy định số 22-QĐ/TW ngày 28/7/2021 của Ban Chấp hành Trung ương;", ["Điều lệ Đảng"]),
    ("Hoạt động theo Điều lệ Hội Cựu chiến binh Việt Nam và Hướng dẫn số 05-HD/TW.", ["Điều lệ Hội Cựu chiến binh Việt Nam"]),
    # a one-year plan identified by its issuer
    (
        "Huy động hàng theo Kế hoạch ứng phó sự cố tràn dầu năm 2026 của Sở Nông nghiệp và Môi trường; báo cáo kết quả.",
        ["Kế hoạch ứng phó sự cố tràn dầu năm 2026 của Sở Nông nghiệp và Môi trường"],
    ),
    ("Các đơn vị xây dựng Kế hoạch công tác năm 2026 của đơn vị mình.", []),
    # the council committee's review report in a resolution's preamble
    (
        "Xét Tờ trình số 95/TTr-UBND ngày 10 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh; Báo cáo thẩm tra của Ban Kinh tế - Ngân sách"
        " Hội đồng nhân dân tỉnh; ý kiến thảo luận của đại biểu Hội đồng nhân dân tỉnh tại kỳ họp.",
        ["Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh"],
    ),
    ("Xét Báo cáo thẩm tra của Ban Pháp chế số 41/BC-HĐND ngày 2/12/2025.", []),
    # a quoted activity programme is not a document
    ("Mở rộng Chương trình “Phúc lợi cho đoàn viên và người lao động” theo hướng số hóa.", []),
    ("Tổ chức Chương trình “Tết Sum vầy - Xuân chia sẻ năm 2026” tại các khu công nghiệp.", []),
    # an amending law named without its number; the law it amends is another document
    (
        "Rà soát quy chế cho phù hợp với Luật sửa đổi, bổ sung một số điều của Luật Đất đai và các văn bản hướng dẫn.",
        ["Luật sửa đổi, bổ sung một số điều của Luật Đất đai"],
    ),
    ("Tuyên truyền Luật Đất đai; triển khai Luật sửa đổi, bổ sung Luật Đất đai.", ["Luật Đất đai", "Luật sửa đổi, bổ sung Luật Đất đai"]),
    (
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Chứng khoán, Luật Kế toán, Luật Kiểm toán độc lập số 56/2024/QH15;",
        [],
    ),
    # … and what is none
    ("Lồng ghép các chương trình, kế hoạch phát triển kinh tế - xã hội giai đoạn 2021 - 2025 của địa phương.", []),
    ("Các huyện xây dựng Kế hoạch thực hiện Chương trình đến năm 2030 phù hợp thực tế.", []),
    ("Bố trí từ nguồn Kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025 và nguồn tăng thu.", []),
    ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển du lịch tỉnh giai đoạn 2026 - 2030.", []),
    ("Căn cứ Luật Phí và lệ phí số 97/2015/QH13;", []),
    ("Tổ chức thi hành ngay sau khi Luật Bảo hiểm xã hội (sửa đổi) được Quốc hội thông qua.", []),
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


def named_with_citations(*paragraphs: str) -> list[dict]:
    """Named citations as the pipeline finds them: after the numbered citations."""
    doc = parsed(*paragraphs)
    return named_citations.extract(doc, {"citations": citations.extract(doc, {})})


def test_a_name_given_only_in_a_numbered_documents_description_is_not_listed() -> None:
    text = (
        "Thực hiện Quyết định số 1331/QĐ-TTg ngày 24/7/2021 của Thủ tướng Chính phủ ban hành Chiến lược phát triển"
        " thanh niên Việt Nam giai đoạn 2021 - 2030;"
    )
    assert named_with_citations(text) == []
    recs = named_with_citations(text, "Các cấp công đoàn bám sát Chiến lược phát triển thanh niên Việt Nam giai đoạn 2021 - 2030.")
    assert [r["name"] for r in recs] == ["Chiến lược phát triển thanh niên Việt Nam giai đoạn 2021 - 2030"]


def test_a_bracketed_abbreviation_makes_a_described_name_a_document_referred_to() -> None:
    recs = named_with_citations(
        "Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu quốc gia giảm nghèo"
        " bền vững giai đoạn 2021 - 2025 (Chương trình MTQG).",
        "Lồng ghép nguồn vốn của Chương trình MTQG với các chính sách của tỉnh.",
    )
    assert [(r["name"], r["mentions"]) for r in recs] == [
        ("Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025", 2)
    ]
    assert recs[0]["occurrences"][1]["text"] == "Chương trình MTQG"


def test_a_congress_resolution_a_numbered_programme_implements_is_listed() -> None:
    # The reader joins the wrapped "Nghị\nquyết"; what the numbered programme
    # implements is another document (dev 001 lists such names).
    recs = named_with_citations(
        "Căn cứ Chương trình số 03/CTr-BCH ngày 15/01/2024 của Ban Chấp hành Công đoàn Giao thông vận tải Việt Nam thực hiện Nghị\n"
        "quyết Đại hội XIII Công đoàn Việt Nam;"
    )
    assert [r["name"] for r in recs] == ["Nghị quyết Đại hội XIII Công đoàn Việt Nam"]


def test_a_name_approved_by_a_numbered_decision_stays_that_decision_though_implemented_elsewhere() -> None:
    recs = named_with_citations(
        "Quyết định số 12/QĐ-UBND ngày 04/01/2024 của Ủy ban nhân dân tỉnh về việc phê duyệt đề án phát triển mạng lưới y tế cơ sở vùng biên giới.",
        "Quyết định số 40/QĐ-UBND ngày 06/3/2024 của Ủy ban nhân dân tỉnh về việc thành lập Ban chỉ đạo thực hiện đề án phát triển mạng lưới y tế cơ sở vùng biên giới.",
    )
    assert recs == []


def test_a_law_cited_with_its_number_is_not_a_named_one_in_a_description() -> None:
    recs = named_with_citations(
        "Căn cứ Bộ luật Lao động số 45/2019/QH14 và Nghị định số 145/2020/NĐ-CP ngày 14/12/2020 của Chính phủ quy định chi tiết"
        " và hướng dẫn thi hành một số điều của Bộ luật Lao động về điều kiện lao động;",
        "Phổ biến Bộ luật Lao động đến người lao động.",
    )
    assert recs == []


def test_the_law_a_decree_details_is_listed_only_when_its_whole_name_is_read() -> None:
    recs = named_with_citations(
        "Căn cứ Nghị định số 66/2021/NĐ-CP ngày 06/7/2021 của Chính phủ quy định chi tiết thi hành một số điều của Luật Phòng, chống thiên tai;"
    )
    assert [r["name"] for r in recs] == ["Luật Phòng, chống thiên tai"]
    # "Luật Phí và lệ phí" would be read as "Luật Phí": not listed
    assert named_with_citations(
        "Căn cứ Nghị định số 120/2016/NĐ-CP ngày 23/8/2016 của Chính phủ quy định chi tiết và hướng dẫn thi hành một số điều của Luật Phí và lệ phí;"
    ) == []


def test_a_plan_named_by_what_it_implements_that_is_a_numbered_citation_is_not_listed() -> None:
    recs = named_with_citations(
        "Thực hiện Kế hoạch số 77/KH-UBND ngày 2/3/2023 của Ủy ban nhân dân tỉnh thực hiện Chỉ thị số 21-CT/TW ngày 20/1/2023 của Ban Bí thư.",
        "Sơ kết Kế hoạch thực hiện Chỉ thị số 21-CT/TW vào quý IV.",
    )
    assert recs == []


def test_a_numbered_law_named_again_is_a_citation_not_a_named_one() -> None:
    recs = named_with_citations("Căn cứ Luật Việc làm số 74/2025/QH15;", "Tuyên truyền Luật Việc làm năm 2025 đến người lao động.")
    assert recs == []


def test_a_document_does_not_name_itself() -> None:
    doc = parsed("Ủy ban nhân dân tỉnh triển khai như sau.", "Định kỳ đánh giá Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững đến năm 2030.")
    ident = {"doc_type": "Kế hoạch", "title": "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững đến năm 2030 trên địa bàn tỉnh"}
    recs = named_citations.extract(doc, {"document": ident, "citations": []})
    assert [r["name"] for r in recs] == ["Chương trình mục tiêu quốc gia giảm nghèo bền vững đến năm 2030"]


HELDOUT = REPO / "tests" / "data" / "heldout"


def test_heldout_documents_named_citations() -> None:
    counts = Counts()
    for gold_path in sorted(HELDOUT.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = parse(read_document(HELDOUT / "docs" / gold_path.name.replace(".gold.json", ".md")))
        found = {"document": gold["document"], "citations": citations.extract(doc, {"document": gold["document"]})}
        pairs, missed, spurious = score_named(gold["named_citations"], named_citations.extract(doc, found), Counts())
        counts.tp, counts.fn, counts.fp = counts.tp + len(pairs), counts.fn + len(missed), counts.fp + len(spurious)
    assert counts.summary()["f1"] >= 0.9


STEMS = sorted(p.stem for p in (REPO / "corpus" / "txt").glob("*.txt"))


@pytest.mark.parametrize("stem", STEMS)
def test_dev_documents_named_citations_f1(stem: str) -> None:
    gold = json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))
    doc = parse(read_document(REPO / "corpus" / "txt" / f"{stem}.txt"))
    found = {"document": gold["document"], "citations": citations.extract(doc, {"document": gold["document"]})}
    recs = named_citations.extract(doc, found)
    counts = Counts()
    pairs, missed, spurious = score_named(gold["named_citations"], recs, counts)
    counts.tp, counts.fn, counts.fp = len(pairs), len(missed), len(spurious)
    assert counts.summary()["f1"] >= 0.8, (missed, [s["name"] for s in spurious])
    for r in recs:
        for o in r["occurrences"]:
            assert doc.text[o["span"][0]:o["span"][1]] == o["text"]
