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
    # ---- lists: every unit of a list, whatever separates them
    pytest.param(
        IMPL + ["3. Đài Phát thanh và Truyền hình tỉnh, Báo Nhân dân, Thông tấn xã Việt Nam, các cơ quan báo chí của tỉnh đưa tin kịp thời."],
        {("Đài Phát thanh và Truyền hình tỉnh", "assigned", "II/3"), ("Báo Nhân dân", "assigned", "II/3"),
         ("Thông tấn xã Việt Nam", "assigned", "II/3"), ("các cơ quan báo chí của tỉnh", "assigned", "II/3")},
        id="long-list-all-units",
    ),
    pytest.param(
        IMPL + ["4. Liên đoàn Lao động các quận, huyện; Công đoàn Viên chức thành phố; Công đoàn các Khu kinh tế tỉnh",
                "- Xây dựng kế hoạch thực hiện."],
        {("Liên đoàn Lao động các quận, huyện", "assigned", "II/4"), ("Công đoàn Viên chức thành phố", "assigned", "II/4"),
         ("Công đoàn các Khu kinh tế tỉnh", "assigned", "II/4")},
        id="heading-units-split-at-semicolons",
    ),
    pytest.param(
        IMPL + ["2. Giao Thường trực Hội đồng nhân dân tỉnh, các Ban của Hội đồng nhân dân tỉnh và các Tổ đại biểu, đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết."],
        {("Thường trực Hội đồng nhân dân tỉnh", "assigned", "II/2"), ("các Ban của Hội đồng nhân dân tỉnh", "assigned", "II/2"),
         ("các Tổ đại biểu", "assigned", "II/2"), ("đại biểu Hội đồng nhân dân tỉnh", "assigned", "II/2")},
        id="hdnd-supervisors-all-assigned",
    ),
    pytest.param(
        IMPL + ["1. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thị xã", "- Quán triệt Chỉ thị."],
        {("Thủ trưởng các sở, ban, ngành tỉnh", "assigned", "II/1"), ("Chủ tịch Ủy ban nhân dân các huyện, thị xã", "assigned", "II/1")},
        id="office-holders-stand-for-their-bodies",
    ),
    pytest.param(
        IMPL + ["1. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương khẩn trương triển khai Nghị quyết."],
        {("Bộ trưởng", "assigned", "II/1"), ("Thủ trưởng cơ quan ngang bộ", "assigned", "II/1"),
         ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "assigned", "II/1")},
        id="office-holder-list-of-the-government",
    ),
    # ---- requests and directions
    pytest.param(
        IMPL + ["5. Đề nghị Hội Nông dân tỉnh", "- Chủ trì, phối hợp với Sở Công Thương tuyên truyền cho hội viên."],
        {("Hội Nông dân tỉnh", "assigned", "II/5"), ("Hội Nông dân tỉnh", "lead", "II/5"), ("Sở Công Thương", "coordinate", "II/5")},
        id="request-heading-charges-the-unit",
    ),
    pytest.param(
        IMPL + ["6. Ủy ban nhân dân tỉnh đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội vận động Nhân dân tham gia."],
        {("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "assigned", "II/6"), ("các tổ chức chính trị - xã hội", "assigned", "II/6")},
        id="requesting-subject-is-not-charged",
    ),
    pytest.param(
        CONTENT + ["- Đề nghị Hội Cựu chiến binh tỉnh phối hợp tuyên truyền."],
        set(),
        id="request-outside-implementation-charges-no-one",
    ),
    pytest.param(
        IMPL + ["3. Đảng đoàn Hội đồng nhân dân tỉnh lãnh đạo Hội đồng nhân dân tỉnh ban hành nghị quyết; chỉ đạo Sở Nội vụ chủ trì, phối hợp với Ban Tổ chức Tỉnh ủy hướng dẫn thực hiện."],
        {("Đảng đoàn Hội đồng nhân dân tỉnh", "assigned", "II/3"), ("Sở Nội vụ", "lead", "II/3"), ("Ban Tổ chức Tỉnh ủy", "coordinate", "II/3")},
        id="directed-unit-that-leads",
    ),
    pytest.param(
        IMPL + ["4. Ban Tuyên giáo Tỉnh ủy chỉ đạo các cơ quan báo chí của tỉnh mở chuyên mục."],
        {("Ban Tuyên giáo Tỉnh ủy", "assigned", "II/4")},
        id="directed-unit-without-lead-is-not-recorded",
    ),
    # ---- no "Tổ chức thực hiện": a Chỉ thị and the closing article of a Quyết định
    pytest.param(
        ["CHỈ THỊ", "Về tăng cường công tác phòng cháy", "1. Công an tỉnh", "a) Chủ trì, phối hợp với Sở Xây dựng kiểm tra an toàn.",
         "2. Sở Xây dựng", "a) Rà soát các công trình."],
        {("Công an tỉnh", "assigned", "1"), ("Công an tỉnh", "lead", "1/a"), ("Sở Xây dựng", "coordinate", "1/a"),
         ("Sở Xây dựng", "assigned", "2")},
        id="directive-unit-headings-are-the-implementation",
    ),
    pytest.param(
        ["QUYẾT ĐỊNH", "Điều 1. Phê duyệt Đề án.", "Điều 2. Quyết định này có hiệu lực từ ngày ký.",
         "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này."],
        {("Chánh Văn phòng Ủy ban nhân dân tỉnh", "assigned", "Điều 3"), ("Giám đốc Sở Nội vụ", "assigned", "Điều 3")},
        id="executing-article-of-a-decision",
    ),
    pytest.param(
        IMPL + ["2. Căn cứ Kế hoạch này, các sở, ngành và Ủy ban nhân dân các huyện được giao chủ trì nhiệm vụ có trách nhiệm xây dựng kế hoạch chi tiết."],
        {("các sở, ngành", "assigned", "II/2"), ("Ủy ban nhân dân các huyện", "assigned", "II/2")},
        id="passive-description-then-charge",
    ),
    pytest.param(
        IMPL + ["- Các sở, ngành được giao nhiệm vụ tại Kế hoạch này."],
        set(),
        id="passive-without-charge",
    ),
    # ---- partners
    pytest.param(
        IMPL + ["2. Sở Tư pháp", "- Phối hợp Công an tỉnh và các đơn vị liên quan tổ chức tuyên truyền."],
        {("Sở Tư pháp", "assigned", "II/2"), ("Công an tỉnh", "coordinate", "II/2")},
        id="coordinate-without-voi",
    ),
    pytest.param(
        IMPL + ["3. Sở Y tế", "a) Chủ trì, phối hợp:", "- Sở Tài chính bố trí kinh phí.", "- Bảo hiểm xã hội tỉnh hướng dẫn thủ tục.",
                "b) Kiểm tra việc thực hiện."],
        {("Sở Y tế", "assigned", "II/3"), ("Sở Y tế", "lead", "II/3/a"), ("Sở Tài chính", "coordinate", "II/3/a"),
         ("Bảo hiểm xã hội tỉnh", "coordinate", "II/3/a")},
        id="partners-listed-in-bullets",
    ),
    pytest.param(
        IMPL + ["- Sở Giáo dục và Đào tạo chủ trì, phối hợp với các bộ, cơ quan liên quan và các cơ quan, đơn vị chức năng tổ chức thực hiện."],
        {("Sở Giáo dục và Đào tạo", "lead", "II")},
        id="generic-partners-excluded",
    ),
    pytest.param(
        CONTENT + ["b) Bộ Y tế:", "- Chủ trì, hướng dẫn các địa phương xử lý môi trường sau lũ;", "- Phối hợp với Bộ Quốc phòng cấp phát thuốc."]
        + IMPL + ["1. Sở Tài chính bố trí kinh phí."],
        {("Bộ Y tế", "lead", "I/b"), ("Bộ Quốc phòng", "coordinate", "I/b"), ("Sở Tài chính", "assigned", "II/1")},
        id="content-heading-unit-over-lead-bullet",
    ),
    pytest.param(
        CONTENT + ["- Phối hợp với Bộ Quốc phòng cấp phát thuốc."],
        set(),
        id="partner-of-unstated-subject-in-content",
    ),
    # ---- unit names
    pytest.param(
        IMPL + ["2. Ban Quản lý các khu công nghiệp tỉnh chủ trì kiểm tra doanh nghiệp.",
                "3. Trung tâm Kiểm soát bệnh tật tỉnh phối hợp với Ban Quản lý các khu kinh tế tỉnh giám sát dịch."],
        {("Ban Quản lý các khu công nghiệp tỉnh", "lead", "II/2"), ("Trung tâm Kiểm soát bệnh tật tỉnh", "assigned", "II/3"),
         ("Ban Quản lý các khu kinh tế tỉnh", "coordinate", "II/3")},
        id="lower-case-words-inside-names",
    ),
    pytest.param(
        IMPL + ["3. Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo Ủy ban nhân dân tỉnh xây dựng kế hoạch."],
        {("Ban cán sự đảng Ủy ban nhân dân tỉnh", "assigned", "II/3")},
        id="name-stops-before-verb",
    ),
    pytest.param(
        IMPL + ["4. Các công đoàn cấp trên trực tiếp cơ sở, công đoàn cơ sở trực thuộc tổ chức quán triệt."],
        {("Các công đoàn cấp trên trực tiếp cơ sở", "assigned", "II/4"), ("công đoàn cơ sở trực thuộc", "assigned", "II/4")},
        id="name-ending-in-truc-thuoc",
    ),
    pytest.param(
        IMPL + ["6. Các hợp tác xã, doanh nghiệp hoạt động trong lĩnh vực nông nghiệp trên địa bàn tỉnh", "- Tham gia chuỗi liên kết."],
        set(),
        id="descriptive-heading-without-a-unit-head",
    ),
    pytest.param(
        IMPL + ["6. Các doanh nghiệp hoạt động trong lĩnh vực logistics trên địa bàn tỉnh", "- Ứng dụng công nghệ số."],
        {("Các doanh nghiệp hoạt động trong lĩnh vực logistics trên địa bàn tỉnh", "assigned", "II/6")},
        id="descriptive-heading-is-the-unit",
    ),
    pytest.param(
        IMPL + ["3. Ủy ban Kiểm tra Tổng Liên đoàn có trách nhiệm kiểm tra việc thực hiện Chương trình."],
        {("Ủy ban Kiểm tra Tổng Liên đoàn", "assigned", "II/3")},
        id="co-trach-nhiem",
    ),
    pytest.param(
        ["KẾ HOẠCH", "Tuyên truyền Luật Công đoàn năm 2024", "Nội dung tuyên truyền gồm các điều mới.", "TỔ CHỨC THỰC HIỆN",
         "Các công đoàn ngành, công đoàn cơ sở trực thuộc xây dựng kế hoạch tuyên truyền."],
        # "trực thuộc" closes the name: the units under the issuer (genre g3 gold).
        {("Các công đoàn ngành", "assigned", None), ("công đoàn cơ sở trực thuộc", "assigned", None)},
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
    # ---- lists of bodies outside the issuer's administration, opening clauses
    pytest.param(
        IMPL + ["3. Đề nghị Cục Thuế tỉnh, Thuế thành phố, Kiểm toán Nhà nước khu vực IV, Kho bạc Nhà nước khu vực 12, "
                "Chi cục Hải quan khu vực III phối hợp thực hiện tốt công tác quản lý thu."],
        {("Cục Thuế tỉnh", "assigned", "II/3"), ("Thuế thành phố", "assigned", "II/3"),
         ("Kiểm toán Nhà nước khu vực IV", "assigned", "II/3"), ("Kho bạc Nhà nước khu vực 12", "assigned", "II/3"),
         ("Chi cục Hải quan khu vực III", "assigned", "II/3")},
        id="regional-offices-keep-the-list-going",
    ),
    pytest.param(
        IMPL + ["2. Trên cơ sở nội dung Kế hoạch, Giám đốc các Sở, Thủ trưởng các ban, ngành, cơ quan cấp tỉnh, "
                "Chủ tịch UBND các huyện, các đơn vị có liên quan chủ động xây dựng kế hoạch triển khai."],
        {("Giám đốc các Sở", "assigned", "II/2"), ("Thủ trưởng các ban, ngành, cơ quan cấp tỉnh", "assigned", "II/2"),
         ("Chủ tịch UBND các huyện", "assigned", "II/2")},
        id="units-after-an-opening-clause",
    ),
    pytest.param(
        IMPL + ["4. Công an tỉnh", "- Tăng cường tuyên truyền, phối hợp với Sở Y tế rà soát các cơ sở; chủ trì kiểm tra việc chấp hành."],
        {("Công an tỉnh", "assigned", "II/4"), ("Công an tỉnh", "lead", "II/4"), ("Sở Y tế", "coordinate", "II/4")},
        id="lead-in-a-later-clause",
    ),
    pytest.param(
        IMPL + ["5. Sở Tài chính phối hợp với Kho bạc Nhà nước tỉnh bố trí kinh phí; chủ trì thẩm định dự toán."],
        {("Sở Tài chính", "assigned", "II/5"), ("Sở Tài chính", "lead", "II/5"), ("Kho bạc Nhà nước tỉnh", "coordinate", "II/5")},
        id="subject-leads-in-a-later-clause",
    ),
    pytest.param(
        IMPL + ["6. Văn phòng HĐND và UBND huyện, Văn phòng Huyện ủy và Ban Dân vận Huyện ủy theo dõi việc thực hiện."],
        {("Văn phòng HĐND và UBND huyện", "assigned", "II/6"), ("Văn phòng Huyện ủy", "assigned", "II/6"),
         ("Ban Dân vận Huyện ủy", "assigned", "II/6")},
        id="one-office-of-two-bodies",
    ),
    pytest.param(
        IMPL + ["7. Đề nghị các ngân hàng thương mại (Agribank, Vietcombank và các ngân hàng khác):", "- Giãn nợ cho khách hàng."],
        {("các ngân hàng thương mại", "assigned", "II/7")},
        id="bracketed-examples-belong-to-the-unit",
    ),
    pytest.param(
        IMPL + ["8. Sở Văn hóa, Thể thao và Du lịch, Đài Phát thanh và Truyền hình tỉnh, Cổng Thông tin điện tử tỉnh và hệ thống truyền thanh cơ sở",
                "- Tuyên truyền rộng rãi Kế hoạch."],
        {("Sở Văn hóa, Thể thao và Du lịch", "assigned", "II/8"), ("Đài Phát thanh và Truyền hình tỉnh", "assigned", "II/8"),
         ("Cổng Thông tin điện tử tỉnh", "assigned", "II/8"), ("hệ thống truyền thanh cơ sở", "assigned", "II/8")},
        id="heading-list-keeps-every-unit",
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
        # a lower-case head with a name of its own is the next unit; a place is not
        ("Chi cục Kiểm lâm, đơn vị Biên phòng và Ủy ban nhân dân cấp xã tuần tra",
         ["Chi cục Kiểm lâm", "đơn vị Biên phòng", "Ủy ban nhân dân cấp xã"]),
        ("các Bộ, ngành Trung ương hướng dẫn", ["các Bộ, ngành Trung ương"]),
        # "thuộc" goes on only into a unit or a name: "Chi cục thuộc cục" is a common noun
        ("Chi cục thuộc cục được thành lập", []),
        ("Sở Tài chính và sở, ngành có liên quan thẩm định", ["Sở Tài chính", "sở, ngành có liên quan"]),
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
