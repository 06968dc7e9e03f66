"""Citations by số ký hiệu: symbol forms, attributes at a mention, relations,
short forms and aliases, exclusions — on hand-written sentences of the genre and
on the five dev documents against their gold."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest

from extractors import citations
from extractors.symbols import canonical_code, find_symbols
from pipeline.evaluate import fold_key
from pipeline.process import parse
from pipeline.readers import read_document

from .helpers import GOLD_DIR, REPO, parsed




def cite(*paragraphs: str, own: Optional[str] = None) -> dict[str, dict[str, Any]]:
    records = citations.extract(parsed(*paragraphs), {"document": {"number": own}})
    return {r["key"]: r for r in records}


# --------------------------------------------------------------------------- symbol forms

SYMBOL_FORMS = [
    # (sentence, expected canonical keys)
    ("Quán triệt Chỉ thị số 15-CT/TW ngày 10/8/2017 của Ban Bí thư.", ["15-CT/TW"]),
    ("Thực hiện Quy định số 37-QĐi/TW của Ban Chấp hành Trung ương.", ["37-QĐi/TW"]),
    ("Triển khai Kế hoạch số 112-KH/TU của Ban Thường vụ Tỉnh ủy.", ["112-KH/TU"]),
    ("Theo Chương trình hành động số 45-CTr/TU của Tỉnh ủy.", ["45-CTr/TU"]),
    ("Thông báo số 264-TB/TW kết luận của Bộ Chính trị.", ["264-TB/TW"]),
    ("Hướng dẫn số 12-HD/BTCTW của Ban Tổ chức Trung ương.", ["12-HD/BTCTW"]),
    ("Căn cứ Nghị định số 135/2020/NĐ-CP của Chính phủ;", ["135/2020/NĐ-CP"]),
    ("Căn cứ Luật Công đoàn số 50/2024/QH15;", ["50/2024/QH15"]),
    ("Quyết định số 2239/QĐ-TTg của Thủ tướng Chính phủ.", ["2239/QĐ-TTg"]),
    ("Nghị quyết số 17/2023/NQ-HĐND của Hội đồng nhân dân tỉnh.", ["17/2023/NQ-HĐND"]),
    ("Thông tư số 10/2020/TT-BLĐTBXH của Bộ Lao động - Thương binh và Xã hội.", ["10/2020/TT-BLĐTBXH"]),
    ("Thông tư liên tịch số 03/2016/TTLT-BLĐTBXH-BTC hướng dẫn thực hiện.", ["03/2016/TTLT-BLĐTBXH-BTC"]),
    ("Công văn số 215/SGD&ĐT-KHTC về việc tuyển sinh.", ["215/SGD&ĐT-KHTC"]),
    ("Công văn số 9120/VPCP-KGVX truyền đạt ý kiến.", ["9120/VPCP-KGVX"]),
    ("Nghị quyết số 09c/NQ-BCH của Ban Chấp hành Tổng Liên đoàn.", ["09c/NQ-BCH"]),
    ("Kết luận số 2013b/KL-TLĐ của Đoàn Chủ tịch.", ["2013b/KL-TLĐ"]),
    ("Chương trình số 11/CTr-BCH của Ban Chấp hành.", ["11/CTr-BCH"]),
    ("Nghị quyết số 5a/NQ-TLĐ về công tác nữ công.", ["5a/NQ-TLĐ"]),
    # printed variants of one key
    ("Nghị quyết số 23 – NQ/TW ngày 22/3/2018 của Bộ Chính trị.", ["23-NQ/TW"]),
    ("Chỉ thị số 42 - CT/TW của Ban Bí thư.", ["42-CT/TW"]),
    ("Nghị quyết số 18-NQ/TƯ của Ban Chấp hành Trung ương.", ["18-NQ/TW"]),
    ("Thực hiện Quyết định số99-QĐ/TW của Ban Chấp hành Trung ương.", ["99-QĐ/TW"]),
    ("Kế hoạch số 56/KH-LĐLD của LĐLD tỉnh.", ["56/KH-LĐLĐ"]),
    ("Căn cứ Nghị định số 12/2022/NĐCP của Chính phủ.", ["12/2022/NĐ-CP"]),
    ("Quyết định số 87 /2025/QĐ- UBND của Ủy ban nhân dân tỉnh.", ["87/2025/QĐ-UBND"]),
    ("TRIỂN KHAI CHƯƠNG TRÌNH SỐ 87/CTR-TLĐ", ["87/CTr-TLĐ"]),
    ("CHỈ THỊ SỐ 32/CT-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ", ["32/CT-TTg"]),
    # a Bộ Chính trị chỉ thị printed without its body
    ("Học tập theo Chỉ thị số 27-CT của Bộ Chính trị khóa XI.", ["27-CT/TW"]),
    # things that are not symbols
    ("Hội nghị tổ chức ngày 12/6/2021 tại Hà Nội.", []),
    ("Phát triển thêm 1.500 đoàn viên trong năm.", []),
    ("Theo quy định tại khoản 2 Điều 5 của Luật.", []),
    ("Có ít nhất 2/3 số thành viên tán thành.", []),
    ("Đạt quy chuẩn QCVN 01:2021/BYT về nước sạch.", []),
    ("Phòng chống dịch COVID-19 và trực 24/7.", []),
    ("Chỉ thị số 27-CT của Ủy ban nhân dân xã.", []),  # no central Party issuer: body unknown
]


@pytest.mark.parametrize("sentence, keys", SYMBOL_FORMS)
def test_symbol_forms(sentence: str, keys: list[str]) -> None:
    assert list(cite(sentence)) == keys


def test_symbol_codes_take_their_official_case() -> None:
    assert canonical_code("CTR") == "CTr"
    assert canonical_code("QĐI") == "QĐi"
    assert canonical_code("LĐLD") == "LĐLĐ"
    assert canonical_code("HD") == "HD"  # Hướng dẫn, not folded into HĐ (Hợp đồng)
    assert canonical_code("HĐ") == "HĐ"
    assert canonical_code("Part") is None


def test_trailing_word_after_a_spaced_dash_is_not_part_of_the_symbol() -> None:
    (sym,) = find_symbols("Chương trình số 02/CTr-BCH - Phần hai")
    assert sym.key == "02/CTr-BCH"
    assert sym.text == "02/CTr-BCH"


# --------------------------------------------------------------------------- attributes at a mention

ATTRIBUTES = [
    # (sentence, key, doc_type, date, issuer, title)
    (
        "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII về “Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy”.",
        "18-NQ/TW", "Nghị quyết", "2017-10-25", "Ban Chấp hành Trung ương Đảng",
        "Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy",
    ),
    (
        "Căn cứ Nghị định số 135/2020/NĐ-CP ngày 18 tháng 11 năm 2020 của Chính phủ quy định về tuổi nghỉ hưu;",
        "135/2020/NĐ-CP", "Nghị định", "2020-11-18", "Chính phủ", None,
    ),
    (
        "Triển khai Kế hoạch số 56/KH-LĐLD, ngày 02/3/2023 của LĐLD tỉnh về công tác tuyên truyền.",
        "56/KH-LĐLĐ", "Kế hoạch", "2023-03-02", "LĐLĐ tỉnh", None,
    ),
    (
        "Thông tư số 10/2020/TT-BLĐTBXH ngày 12/11/2020 của Bộ Lao động - Thương binh và Xã hội hướng dẫn thi hành.",
        "10/2020/TT-BLĐTBXH", "Thông tư", "2020-11-12", "Bộ Lao động - Thương binh và Xã hội", None,
    ),
    (
        "Chương trình hành động số 07/CTr-BCH, ngày 5/8/2022 của Ban Chấp hành Tổng Liên đoàn Lao động (LĐLĐ) Việt Nam về “Nâng cao chất lượng đoàn viên”.",
        "07/CTr-BCH", "Chương trình hành động", "2022-08-05", "Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam",
        "Nâng cao chất lượng đoàn viên",
    ),
    (
        "Thực hiện Kết luận số 11/KH-TLĐ ngày 20/2/2022 của Tổng LĐLĐ Việt Nam.",  # the word wins over the symbol
        "11/KH-TLĐ", "Kết luận", "2022-02-20", "Tổng LĐLĐ Việt Nam", None,
    ),
    (
        "Các nghị quyết, 33/NQ-BCH của Ban Chấp hành, đều được quán triệt.",  # no kind word: implied by the symbol
        "33/NQ-BCH", "Nghị quyết", None, "Ban Chấp hành", None,
    ),
    (
        "Công đoàn tham gia theo chỉ đạo của Bộ Chính trị tại Thông báo số 210-TB/TW ngày 9/5/2019.",  # issuer before
        "210-TB/TW", "Thông báo", "2019-05-09", "Bộ Chính trị", None,
    ),
    (
        "Theo Quyết định số 88/QĐ-UBND ngày 3/3/2021 của Ủy ban nhân dân tỉnh Lào Cai chi tiết một số nội dung.",
        "88/QĐ-UBND", "Quyết định", "2021-03-03", "Ủy ban nhân dân tỉnh Lào Cai", None,
    ),
    (
        "Căn cứ Luật Tổ chức Quốc hội số 57/2014/QH13 ngày 20 tháng 11 năm 2014;",
        "57/2014/QH13", "Luật", "2014-11-20", None, None,
    ),
    (
        "Quyết định số 450/QĐ-TLĐ ngày 8/4/2021 của Đoàn Chủ tịch Tổng Liên đoàn, đã triển khai.",
        "450/QĐ-TLĐ", "Quyết định", "2021-04-08", "Đoàn Chủ tịch Tổng Liên đoàn", None,
    ),
    (
        "Nghị quyết số 04-NQ/TW của Bộ chính trị ngày 5/1/2019 về công tác dân vận.",  # issuer before the date
        "04-NQ/TW", "Nghị quyết", "2019-01-05", "Bộ Chính trị", None,
    ),
]


@pytest.mark.parametrize("sentence, key, doc_type, date, issuer, title", ATTRIBUTES)
def test_attributes_at_the_mention(sentence, key, doc_type, date, issuer, title) -> None:
    rec = cite(sentence)[key]
    assert (rec["doc_type"], rec["date"], rec["issuer"], rec["title"]) == (doc_type, date, issuer, title)
    occ = rec["occurrences"][0]
    assert occ["span"][0] < occ["span"][1]
    assert key.split("/")[0].split("-")[0] in occ["text"]


# --------------------------------------------------------------------------- relations

RELATIONS = [
    ("Tiếp tục thực hiện Kết luận số 05/KL-BCH của Ban Chấp hành.", "05/KL-BCH", "continues"),
    ("Cụ thể hóa Nghị quyết số 06/NQ-BCH của Ban Chấp hành.", "06/NQ-BCH", "implements"),
    ("Quán triệt Chỉ thị số 15-CT/TW của Ban Bí thư.", "15-CT/TW", "implements"),
    ("Sửa đổi, bổ sung Quyết định số 1213/QĐ-TLĐ của Đoàn Chủ tịch.", "1213/QĐ-TLĐ", "amends"),
    ("Quyết định này thay thế Quyết định số 270/QĐ-TLĐ ngày 4/3/2016.", "270/QĐ-TLĐ", "replaces"),
    ("Sơ kết 5 năm thực hiện Nghị quyết số 09c/NQ-BCH của Ban Chấp hành.", "09c/NQ-BCH", "reviews"),
    ("Căn cứ Nghị định số 191/2013/NĐ-CP của Chính phủ;", "191/2013/NĐ-CP", "based_on"),
    ("Báo cáo số 25/BC-TLĐ đã nêu rõ những tồn tại.", "25/BC-TLĐ", "mentions"),
]


@pytest.mark.parametrize("sentence, key, relation", RELATIONS)
def test_relation_stated_by_the_sentence(sentence: str, key: str, relation: str) -> None:
    rec = cite(sentence)[key]
    assert rec["occurrences"][0]["relation"] == relation
    assert relation in rec["relations"]


def test_passive_amendment_does_not_make_this_document_amend() -> None:
    recs = cite("Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 được sửa đổi, bổ sung bởi Luật số 47/2019/QH14;")
    assert recs["77/2015/QH13"]["relations"] == ["based_on"]
    assert recs["47/2019/QH14"]["relations"] == ["based_on"]


def test_a_document_named_inside_another_title_is_only_mentioned() -> None:
    recs = cite("Thực hiện Quyết định số 100/QĐ-TTg của Thủ tướng Chính phủ về “Sửa đổi Quyết định số 90/QĐ-TTg về đầu tư thiết chế”.")
    assert recs["100/QĐ-TTg"]["relations"] == ["implements"]
    assert recs["90/QĐ-TTg"]["relations"] == ["mentions"]


# --------------------------------------------------------------------------- lists, short forms, aliases

def test_a_list_shares_the_date_and_issuer_stated_after_it() -> None:
    recs = cite("Thực hiện Quyết định số 101-QĐ/TW, Quyết định số 102-QĐ/TW, ngày 15/11/2017 của Ban Chấp hành Trung ương về công tác kiểm tra.")
    for key in ("101-QĐ/TW", "102-QĐ/TW"):
        assert (recs[key]["date"], recs[key]["issuer"]) == ("2017-11-15", "Ban Chấp hành Trung ương")
        assert recs[key]["relations"] == ["implements"]


def test_a_list_joined_by_and_shares_them_too() -> None:
    recs = cite("Quán triệt Nghị quyết số 5a/NQ-BCH và Nghị quyết số 5b/NQ-BCH ngày 10/1/2019 của Ban Chấp hành Tổng Liên đoàn.")
    assert recs["5a/NQ-BCH"]["date"] == recs["5b/NQ-BCH"]["date"] == "2019-01-10"


def test_own_attributes_are_not_overwritten_by_the_next_member() -> None:
    recs = cite("Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, Kết luận số 01-KL/TW ngày 18/5/2021 của Ban Bí thư.")
    assert recs["05-CT/TW"]["issuer"] == "Bộ Chính trị"
    assert recs["01-KL/TW"]["issuer"] == "Ban Bí thư"


def test_short_forms_count_as_mentions_of_the_full_citation() -> None:
    recs = cite(
        "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương.",
        "Tổ chức học tập Nghị quyết 18 trong toàn hệ thống.",
        "Sơ kết việc thực hiện Nghị quyết số 18 của Ban Chấp hành Trung ương.",
    )
    rec = recs["18-NQ/TW"]
    assert rec["mentions"] == 3
    assert [o["form"] for o in rec["occurrences"]] == ["full", "short", "short"]
    assert rec["occurrences"][2]["relation"] == "reviews"


def test_a_short_form_needs_a_full_citation_of_that_kind() -> None:
    recs = cite("Thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương.", "Phấn đấu hoàn thành Kế hoạch 18 trong năm.")
    assert recs["18-NQ/TW"]["mentions"] == 1


def test_a_short_form_goes_to_the_citation_with_the_same_issuer() -> None:
    recs = cite(
        "Thực hiện Nghị quyết số 02-NQ/TW của Bộ Chính trị và Nghị quyết số 02/NQ-BCH của Ban Chấp hành Tổng Liên đoàn.",
        "Nghị quyết 02 của Bộ Chính trị được quán triệt sâu rộng.",
    )
    assert recs["02-NQ/TW"]["mentions"] == 2
    assert recs["02/NQ-BCH"]["mentions"] == 1


def test_alias_mentions_count_but_the_definition_does_not() -> None:
    recs = cite(
        "Thực hiện Quyết định số 1729/QĐ-TTg ngày 4/11/2020 của Thủ tướng Chính phủ (sau đây gọi tắt là Đề án Thiết chế công đoàn).",
        "Các địa phương bố trí quỹ đất theo Đề án Thiết chế công đoàn.",
    )
    rec = recs["1729/QĐ-TTg"]
    assert rec["mentions"] == 2
    assert [o["form"] for o in rec["occurrences"]] == ["full", "alias"]


def test_symbols_restated_in_an_alias_definition_are_not_counted() -> None:
    recs = cite(
        "Tổng kết Chương trình hành động số 399/CTr-TLĐ ngày 7/3/2008 của Ban Chấp hành Tổng Liên đoàn (sau đây gọi tắt là Chương trình hành động số 399/CTr-TLĐ)."
    )
    assert recs["399/CTr-TLĐ"]["mentions"] == 1


def test_one_number_for_two_documents_keeps_each_date() -> None:
    recs = cite(
        "Tiếp tục thực hiện Nghị quyết số 7b/NQ-BCH ngày 3/1/2015 của Ban Chấp hành về công tác pháp luật.",
        "Thực hiện Nghị quyết số 7b/NQ-BCH ngày 9/12/2019 của Ban Chấp hành về đào tạo cán bộ.",
    )
    rec = recs["7b/NQ-BCH"]
    assert rec["mentions"] == 2
    assert rec["date"] == "2015-01-03"
    assert [o["date"] for o in rec["occurrences"]] == ["2015-01-03", "2019-12-09"]


# --------------------------------------------------------------------------- exclusions

def test_own_number_is_not_a_citation() -> None:
    recs = cite("Kế hoạch số 300/KH-TLĐ triển khai Nghị quyết số 02-NQ/TW của Bộ Chính trị.", own="300/KH-TLĐ")
    assert list(recs) == ["02-NQ/TW"]


def test_annex_caption_and_placeholder_are_self_references() -> None:
    recs = cite(
        "(Ban hành kèm theo Kế hoạch số 88/KH-TLĐ ngày 2 tháng 3 năm 2023)",
        "(Kèm theo Kế hoạch số……../KH-TLĐ ngày… tháng … năm 2023)",
    )
    assert recs == {}


def test_header_number_line_and_copy_stamp_are_not_citations() -> None:
    assert cite("Số: 45/KH-LĐLĐ", "Số 12-BS/VPTU", "SAO LỤC") == {}


# --------------------------------------------------------------------------- the dev documents

def _gold(stem: str) -> dict:
    return json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))


STEMS = sorted(p.stem for p in (REPO / "corpus" / "txt").glob("*.txt"))


@pytest.mark.parametrize("stem", STEMS)
def test_dev_documents_match_gold(stem: str) -> None:
    gold = _gold(stem)
    doc = parse(read_document(REPO / "corpus" / "txt" / f"{stem}.txt"))
    got = {fold_key(r["key"]): r for r in citations.extract(doc, {"document": gold["document"]})}
    want = {fold_key(c["key"]): c for c in gold["citations"]}
    assert set(got) == set(want)
    for k, g in want.items():
        p = got[k]
        assert (p["mentions"], p["date"]) == (g["mentions"], g["date"]), g["key"]
        for o in p["occurrences"]:
            assert doc.text[o["span"][0]:o["span"][1]] == o["text"]


def test_own_number_found_without_identity() -> None:
    """002 is 02-NQ/TW itself and 003's annex names 300/KH-TLĐ: neither is cited
    even when the identity extractor found nothing."""
    doc = parse(read_document(REPO / "corpus" / "txt" / "002_66fc0c121fd6263f.txt"))
    assert citations.extract(doc, {}) == []
    doc = parse(read_document(REPO / "corpus" / "txt" / "003_1daefe2fb569c266.txt"))
    assert "300/KH-TLĐ" not in {r["key"] for r in citations.extract(doc, {})}


def test_dev_upper_case_heading_counts_for_the_mixed_case_key() -> None:
    doc = parse(read_document(REPO / "corpus" / "txt" / "003_1daefe2fb569c266.txt"))
    rec = next(r for r in citations.extract(doc, {}) if r["key"] == "399/CTr-TLĐ")
    assert any(o["text"].endswith("399/CTR-TLĐ") for o in rec["occurrences"])
    assert rec["doc_type"] == "Chương trình hành động"


def test_a_generic_alias_is_not_counted() -> None:
    recs = cite(
        "Thực hiện Chương trình hành động số 02/CTr-BCH ngày 20/7/2021 của Ban Chấp hành (sau đây gọi tắt là Chương trình hành động).",
        "Các cấp công đoàn xây dựng Chương trình hành động của cấp mình.",
    )
    assert recs["02/CTr-BCH"]["mentions"] == 1


def test_a_semicolon_list_does_not_share_dates() -> None:
    recs = cite("Căn cứ Nghị định số 227/2025/NĐ-CP; Nghị định số 58/2024/NĐ-CP ngày 24/5/2024 của Chính phủ;")
    assert recs["227/2025/NĐ-CP"]["date"] is None
    assert recs["58/2024/NĐ-CP"]["date"] == "2024-05-24"


def test_a_list_of_bare_numbers_after_one_kind_word() -> None:
    recs = cite("Các Công điện: số 007/CĐ-UBND ngày 17/11/2025, số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025 của UBND tỉnh.")
    assert [recs[k]["date"] for k in ("007/CĐ-UBND", "008/CĐ-UBND", "009/CĐ-UBND")] == ["2025-11-17", "2025-11-19", "2025-11-19"]
    assert recs["008/CĐ-UBND"]["doc_type"] == "Công điện"


def test_a_list_under_one_plural_kind_shares_the_issuer_across_semicolons() -> None:
    recs = cite("Căn cứ các Thông báo: số 21/TB-UBND ngày 03/4/2024; số 35/TB-UBND và số 36/TB-UBND ngày 10/5/2024 "
                "của Ủy ban nhân dân huyện về kết luận của Chủ tịch;")
    assert {recs[k]["issuer"] for k in ("21/TB-UBND", "35/TB-UBND", "36/TB-UBND")} == {"Ủy ban nhân dân huyện"}
    assert recs["21/TB-UBND"]["date"] == "2024-04-03"
    # Without the plural kind opening the list, ";" separates references.
    recs = cite("Căn cứ Thông báo số 21/TB-UBND ngày 03/4/2024; Thông báo số 35/TB-UBND ngày 10/5/2024 của Ủy ban nhân dân huyện;")
    assert recs["21/TB-UBND"]["issuer"] is None


def test_a_sentence_broken_by_hard_wrapped_lines() -> None:
    recs = cite("Căn cứ Thông tư số 10/2024/TT-BTC ngày", "05/02/2024 của Bộ trưởng Bộ Tài chính; Nghị định số", "255/2025/NĐ-CP ngày 29 tháng 9 năm 2025.")
    assert recs["10/2024/TT-BTC"]["date"] == "2024-02-05"
    assert recs["10/2024/TT-BTC"]["issuer"] == "Bộ trưởng Bộ Tài chính"
    assert recs["255/2025/NĐ-CP"]["doc_type"] == "Nghị định"
    assert recs["255/2025/NĐ-CP"]["date"] == "2025-09-29"


def test_a_catalogue_record_number_is_not_a_citation() -> None:
    assert cite("Số hiệu:", "80/2025/NQ-HĐND", "Loại văn bản:", "Nghị quyết") == {}


def test_a_shared_date_of_another_year_stays_with_the_last_member() -> None:
    recs = cite("Căn cứ Nghị định số 06/2021/NĐ-CP, Nghị định số 12/2025/NĐ-CP ngày 26/01/2025 của Chính phủ;")
    assert recs["06/2021/NĐ-CP"]["date"] is None
    assert recs["06/2021/NĐ-CP"]["issuer"] == "Chính phủ"
    assert recs["12/2025/NĐ-CP"]["date"] == "2025-01-26"


# --------------------------------------------------------------------------- restatements, numbered short names, issuers of lists

def test_a_number_restated_in_brackets_after_its_reference_is_not_counted() -> None:
    recs = cite(
        "Thực hiện Nghị quyết số 12/2023/NQ-HĐND ngày 5/7/2023 của Hội đồng nhân dân tỉnh quy định chính sách hỗ trợ"
        " (Nghị quyết số 12/2023/NQ-HĐND), Kế hoạch số 45/KH-UBND ngày 1/8/2023 của Ủy ban nhân dân tỉnh triển khai"
        " Nghị quyết số 12/2023/NQ-HĐND về hỗ trợ đào tạo nghề (Kế hoạch số 45/KH-UBND)."
    )
    assert recs["12/2023/NQ-HĐND"]["mentions"] == 2  # its reference and the one in the title of 45/KH-UBND
    assert recs["45/KH-UBND"]["mentions"] == 1


def test_a_bracketed_reference_standing_alone_is_a_mention() -> None:
    recs = cite("Duy trì nền nếp học tập và làm theo tấm gương đạo đức (Chỉ thị số 05-CT/TW) trong đoàn viên.")
    assert recs["05-CT/TW"]["mentions"] == 1


def test_a_short_name_carrying_the_number_counts_after_its_definition() -> None:
    recs = cite(
        "Thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt Đề án phát triển ứng dụng"
        " dữ liệu về dân cư giai đoạn 2022 - 2025 (Đề án 06).",
        "Các sở, ngành đẩy mạnh triển khai Đề án 06 trên địa bàn.",
    )
    rec = recs["06/QĐ-TTg"]
    assert rec["mentions"] == 2
    assert [o["form"] for o in rec["occurrences"]] == ["full", "alias"]


def test_a_short_name_from_the_description_counts_without_a_definition() -> None:
    recs = cite(
        "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ phê duyệt Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ.",
        "Hằng quý đánh giá theo Bộ chỉ số 766 trên Cổng Dịch vụ công quốc gia.",
        "Phấn đấu đạt 766 điểm; Kế hoạch 766 chưa được xây dựng; xây dựng 766 kênh.",
    )
    rec = recs["766/QĐ-TTg"]
    assert [(o["form"], o["text"]) for o in rec["occurrences"]] == [("full", "Quyết định số 766/QĐ-TTg"), ("short", "Bộ chỉ số 766")]


def test_a_numbered_alias_belongs_to_the_reference_with_that_number() -> None:
    recs = cite(
        "Thực hiện Kết luận số 96-KL/TW ngày 10/9/2024 của Ban Bí thư về tiếp tục thực hiện Chỉ thị số 37-CT/TW của Ban Bí thư"
        " khóa XII (sau đây gọi tắt là Kết luận 96), Ban Thường vụ ban hành Kế hoạch.",
        "Các cấp ủy quán triệt Kết luận 96 đến đảng viên.",
    )
    assert recs["96-KL/TW"]["mentions"] == 2
    assert recs["37-CT/TW"]["mentions"] == 1


def test_a_list_shares_the_issuer_when_each_member_states_its_date() -> None:
    recs = cite(
        "Xét Báo cáo thẩm tra số 15/BC-BDT ngày 3 tháng 4 năm 2025 và Báo cáo thẩm tra số 18/BC-BDT ngày 9 tháng 4 năm 2025"
        " của Ban Dân tộc Hội đồng nhân dân tỉnh;"
    )
    for key, date in (("15/BC-BDT", "2025-04-03"), ("18/BC-BDT", "2025-04-09")):
        assert (recs[key]["date"], recs[key]["issuer"], recs[key]["doc_type"]) == (date, "Ban Dân tộc Hội đồng nhân dân tỉnh", "Báo cáo")


def test_an_issuer_named_before_a_list_goes_to_every_member() -> None:
    recs = cite(
        "Tiếp tục thực hiện các chỉ thị của Ban Thường vụ Tỉnh ủy, nhất là Chỉ thị số 12-CT/TU ngày 1/3/2022,"
        " Chỉ thị số 20-CT/TU ngày 5/9/2023 và Chỉ thị số 25-CT/TU ngày 2/2/2024."
    )
    assert {recs[k]["issuer"] for k in ("12-CT/TU", "20-CT/TU", "25-CT/TU")} == {"Ban Thường vụ Tỉnh ủy"}


def test_the_subject_of_ban_hanh_is_the_issuer() -> None:
    recs = cite(
        "Ủy ban nhân dân tỉnh đã ban hành Kế hoạch số 88/KH-UBND ngày 2/3/2024 và Kế hoạch số 91/KH-UBND ngày 9/3/2024.",
        "Công đoàn ngành phối hợp với Sở Nội vụ tham mưu Ủy ban nhân dân tỉnh ban hành Quyết định số 310/QĐ-UBND ngày 4/4/2024.",
    )
    for key in ("88/KH-UBND", "91/KH-UBND", "310/QĐ-UBND"):
        assert recs[key]["issuer"] == "Ủy ban nhân dân tỉnh"


def test_a_law_and_a_decree_in_one_list_do_not_share_the_decree_issuer() -> None:
    recs = cite("Căn cứ Luật Việc làm số 74/2025/QH15 và Nghị định số 28/2015/NĐ-CP ngày 12/3/2015 của Chính phủ quy định chi tiết;")
    assert (recs["74/2025/QH15"]["issuer"], recs["74/2025/QH15"]["date"]) == (None, None)
    assert recs["28/2015/NĐ-CP"]["issuer"] == "Chính phủ"


@pytest.mark.parametrize(
    "sentence, key, issuer",
    [
        (
            "Căn cứ Kế hoạch số 05-KH/BCĐ ngày 10/4/2025 của Ban Chỉ đạo về phòng, chống tham nhũng, lãng phí, tiêu cực tỉnh ban hành quy chế;",
            "05-KH/BCĐ", "Ban Chỉ đạo về phòng, chống tham nhũng, lãng phí, tiêu cực tỉnh",
        ),
        ("Thực hiện Thông báo số 14-TB/BCĐ của Ban Chỉ đạo Trung ương ngày 3/5/2024.", "14-TB/BCĐ", "Ban Chỉ đạo Trung ương"),
        ("Căn cứ Nghị định số 115/2024/NĐ-CP của Chính phủ Quy định chi tiết một số điều.", "115/2024/NĐ-CP", "Chính phủ"),
        (
            "Bãi bỏ Quyết định số 52/2020/QĐ-UBND ngày 4/5/2020 của Ủy ban nhân dân tỉnh Bình Phước Thành lập Trung tâm Y tế.",
            "52/2020/QĐ-UBND", "Ủy ban nhân dân tỉnh Bình Phước",
        ),
        ("Căn cứ Quyết định số 18/2021/QĐ-UBND của Ủy ban nhân dân tỉnh Lào Cai chi tiết một số điều.", "18/2021/QĐ-UBND", "Ủy ban nhân dân tỉnh Lào Cai"),
        # parts of one name joined by "và", a dash or a comma; another body or document ends it
        ("Thực hiện Công văn số 1383/SGDĐT-KHTC ngày 30/9/2025 của Sở Giáo dục và Đào tạo về mua sắm.", "1383/SGDĐT-KHTC", "Sở Giáo dục và Đào tạo"),
        ("Xét Báo cáo số 98/BC-KTNS ngày 4/11/2025 của Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh;", "98/BC-KTNS", "Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh"),
        ("Thông tư số 08/2011/TT-BVHTTDL của Bộ Văn hóa, Thể thao và Du lịch Quy định về nếp sống.", "08/2011/TT-BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("Thông tư số 02/2017/TT-VPCP của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn nghiệp vụ.", "02/2017/TT-VPCP", "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"),
        ("Thông tư số 11/2024/TT-BTC của Bộ Tài chính và Bộ Nội vụ về định mức.", "11/2024/TT-BTC", "Bộ Tài chính"),
        ("Quyết định số 466/QĐ-CTHADS của Cục trưởng Cục Thi hành án dân sự tỉnh Nam Định.", "466/QĐ-CTHADS", "Cục trưởng Cục Thi hành án dân sự tỉnh Nam Định"),
        ("Nghị quyết số 08-NQ/TU của Tỉnh ủy và Kế hoạch số 20/KH-UBND của Ủy ban nhân dân tỉnh.", "08-NQ/TU", "Tỉnh ủy"),
        ("Thực hiện Quyết định UBND tỉnh số 1250/QĐ-UBND ngày 3/6/2024 về kiện toàn.", "1250/QĐ-UBND", "UBND tỉnh"),
        (
            "Triển khai Hướng dẫn liên ngành Tư pháp Trung ương số 04/HD-LNTPTW ngày 2/8/2023 về trình tự.",
            "04/HD-LNTPTW", "Liên ngành Tư pháp Trung ương",
        ),
        ("Căn cứ Luật Thanh tra số 11/2022/QH15 ngày 14/11/2022;", "11/2022/QH15", None),  # a law is named by its subject
        ("Xét Báo cáo thẩm tra số 20/BC-KTNS ngày 5/5/2025;", "20/BC-KTNS", None),
    ],
)
def test_issuer_forms(sentence: str, key: str, issuer: Optional[str]) -> None:
    assert cite(sentence)[key]["issuer"] == issuer


def test_a_numbered_law_named_again_by_its_name_is_a_mention() -> None:
    recs = cite(
        "Căn cứ Luật Việc làm số 74/2025/QH15 ngày 16/6/2025;",
        "Tuyên truyền Luật Việc làm năm 2025 đến người lao động; hướng dẫn thực hiện Luật Việc làm tại doanh nghiệp.",
        "Luật Việc làm năm 2013 hết hiệu lực; góp ý dự thảo Luật Việc làm (sửa đổi).",
        "Căn cứ Nghị định số 12/2026/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Việc làm;",
    )
    rec = recs["74/2025/QH15"]
    assert [o["text"] for o in rec["occurrences"]] == ["Luật Việc làm số 74/2025/QH15", "Luật Việc làm năm 2025", "Luật Việc làm"]


# --------------------------------------------------------------------------- held-out wild documents

HELDOUT = REPO / "tests" / "data" / "heldout"


@pytest.mark.parametrize("stem", sorted(p.name.removesuffix(".gold.json") for p in HELDOUT.glob("*.gold.json")))
def test_heldout_documents_match_gold(stem: str) -> None:
    gold = json.loads((HELDOUT / f"{stem}.gold.json").read_text(encoding="utf-8"))
    doc = parse(read_document(HELDOUT / "docs" / f"{stem}.md"))
    got = {fold_key(r["key"]): r for r in citations.extract(doc, {"document": gold["document"]})}
    want = {fold_key(c["key"]): c for c in gold["citations"]}
    assert set(got) == set(want)
    for k, g in want.items():
        p = got[k]
        assert (p["mentions"], p["date"], p["issuer"]) == (g["mentions"], g["date"], g["issuer"]), g["key"]
