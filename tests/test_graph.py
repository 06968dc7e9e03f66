"""The corpus graph: renditions, key matching, date splits, metadata matches, chains.

The hand-written results follow the per-document JSON schema of the helper brief
exactly (citations with occurrences carrying span, sentence and sentence_span), and
mirror how the real genre cites: Party form ``02-NQ/TW``, trade-union form
``02/CTr-BCH``, a ``10b/NQ-BCH`` reused by two terms, a programme without its own
number.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from pipeline.graph import (
    build_corpus,
    build_graph,
    fold_key,
    group_renditions,
    implementation_chain,
    issuer_similarity,
    kind_similarity,
    parse_symbol,
    title_similarity,
)

REPO = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- fixture builder


def doc_result(
    source: str,
    document: dict[str, Any] | None,
    paragraphs: list[tuple[str | None, str]],
    cites: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A per-document result: text from ``paragraphs`` (section path, sentence), and
    citations whose occurrences are found in the text.

    Each cite: ``key``, optional ``find`` (the printed form, default the key),
    ``nth`` (which printed occurrence), and the occurrence fields date, issuer,
    doc_type, title, relation.
    """
    text = "\n".join(p for _, p in paragraphs)
    sentences, pos = [], 0
    for section, sentence in paragraphs:
        sentences.append((section, sentence, pos, pos + len(sentence)))
        pos += len(sentence) + 1
    entries: dict[str, dict[str, Any]] = {}
    for c in cites:
        find = c.get("find", c["key"])
        start = -1
        for _ in range(c.get("nth", 0) + 1):
            start = text.index(find, start + 1)
        end = start + len(find)
        section, sentence, s0, s1 = next(s for s in sentences if s[2] <= start < s[3])
        occ = {
            "span": [start, end],
            "text": find,
            "form": "full" if "/" in find else "short",
            "relation": c.get("relation", "mentions"),
            "date": c.get("date"),
            "issuer": c.get("issuer"),
            "doc_type": c.get("doc_type"),
            "title": c.get("title"),
            "section": section,
            "sentence": sentence,
            "sentence_span": [s0, s1],
        }
        entry = entries.setdefault(
            c["key"],
            {"key": c["key"], "doc_type": c.get("doc_type"), "date": c.get("date"), "issuer": c.get("issuer"),
             "title": c.get("title"), "mentions": 0, "relations": [], "occurrences": []},
        )
        entry["occurrences"].append(occ)
        entry["mentions"] += 1
        if occ["relation"] not in entry["relations"]:
            entry["relations"].append(occ["relation"])
    fmt = source.split("/")[0] if source.startswith("pdf-scanned") else source.rsplit(".", 1)[-1]
    result = {
        "source": source,
        "format": "pdf-ocr" if fmt == "pdf-scanned" else fmt,
        "pipeline_version": "test",
        "error": None,
        "document": document,
        "sections": [],
        "citations": list(entries.values()),
        "named_citations": [],
        "targets": [],
        "deadlines": [],
        "responsibilities": [],
        "pages": None,
        "warnings": [],
        "meta": {},
        "text": text,
        "blocks": [],
        "timings": {},
    }
    result.update(extra or {})
    return result


TLD_PROGRAMME = {
    "doc_type": "Chương trình hành động",
    "number": None,
    "date": None,
    "issuer": "Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam",
    "title": "Thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng và Nghị quyết số 02-NQ/TW, "
    "ngày 12/6/2021 của Bộ Chính trị về “Đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới”",
}
RESOLUTION_02 = {
    "doc_type": "Nghị quyết",
    "number": "02-NQ/TW",
    "date": "2021-06-12",
    "issuer": "Bộ Chính trị",
    "title": "về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới",
}
PROVINCE_PROGRAMME = {
    "doc_type": "Chương trình hành động",
    "number": None,
    "date": None,
    "issuer": "Ban Chấp hành Liên đoàn Lao động tỉnh Lai Châu",
    "title": "Thực hiện Nghị quyết Đại hội XIII Công đoàn Việt Nam, nhiệm kỳ 2023 - 2028",
}
REVIEW_PLAN = {
    "doc_type": "Kế hoạch",
    "number": "300/KH-TLĐ",
    "date": "2023-03-23",
    "issuer": "Tổng Liên đoàn Lao động Việt Nam",
    "title": "Tổng kết 15 năm triển khai Chương trình hành động thực hiện Nghị quyết số 20-NQ/TW",
}


def tld_programme(source: str) -> dict[str, Any]:
    return doc_result(
        source,
        TLD_PROGRAMME,
        [
            (None, "CHƯƠNG TRÌNH HÀNH ĐỘNG Thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng và "
             "Nghị quyết số 02-NQ/TW, ngày 12/6/2021 của Bộ Chính trị"),
            ("I/1", "Chương trình hành động nhằm cụ thể hóa Nghị quyết 02 của Bộ Chính trị."),
        ],
        [
            {"key": "02-NQ/TW", "date": "2021-06-12", "issuer": "Bộ Chính trị", "doc_type": "Nghị quyết", "relation": "implements"},
            {"key": "02-NQ/TW", "find": "Nghị quyết 02", "relation": "implements"},
        ],
    )


def resolution_02(source: str) -> dict[str, Any]:
    return doc_result(
        source,
        RESOLUTION_02,
        [(None, "NGHỊ QUYẾT Số 02-NQ/TW về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới")],
        [],
    )


def province_programme(source: str) -> dict[str, Any]:
    return doc_result(
        source,
        PROVINCE_PROGRAMME,
        [
            (None, "Thực hiện Chương trình số 04/CTr-BCH ngày 17/5/2024 của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam "
             "về thực hiện Nghị quyết Đại hội XIII Công đoàn Việt Nam nhiệm kỳ 2023 - 2028."),
            ("IV/1", "Tiếp tục thực hiện Kết luận số 07/KL-BCH, ngày 06/01/2023 của Ban Chấp hành Tổng LĐLĐ Việt Nam về việc "
             "tiếp tục thực hiện Nghị quyết số 10b/NQ-BCH, ngày 12/01/2017 của Ban Chấp hành Tổng LĐLĐ Việt Nam."),
            ("IV/3", "- Tiếp tục triển khai thực hiện Nghị quyết số 02-NQ/TW, ngày 12/6/2021 của Bộ Chính trị; "
             "Chương trình hành động số 12-CTr/TU, ngày 28/9/2021 của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 02-NQ/TW; "
             "Chương trình hành động số 02/CTr-BCH, ngày 20/7/2021 của Ban Chấp hành Tổng LĐLĐ Việt Nam thực hiện Nghị quyết "
             "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng và Nghị quyết số 02-NQ/TW, ngày 12/6/2021 của Bộ Chính trị; "
             "Nghị quyết số 10b/NQ-BCH, ngày 12/12/2020 của BCH Tổng LĐLĐ Việt Nam (khoá XII) về đào tạo, bồi dưỡng cán bộ."),
            ("V/2", "Các cấp công đoàn tổ chức sơ kết việc thực hiện Nghị quyết 10b/NQ-BCH về đào tạo cán bộ."),
        ],
        [
            {"key": "04/CTr-BCH", "date": "2024-05-17", "issuer": "Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam",
             "doc_type": "Chương trình", "relation": "implements"},
            {"key": "07/KL-BCH", "date": "2023-01-06", "issuer": "Ban Chấp hành Tổng LĐLĐ Việt Nam", "doc_type": "Kết luận",
             "relation": "continues"},
            {"key": "10b/NQ-BCH", "date": "2017-01-12", "issuer": "Ban Chấp hành Tổng LĐLĐ Việt Nam", "doc_type": "Nghị quyết",
             "relation": "continues"},
            {"key": "02-NQ/TW", "date": "2021-06-12", "issuer": "Bộ Chính trị", "doc_type": "Nghị quyết", "relation": "continues"},
            {"key": "12-CTr/TU", "date": "2021-09-28", "issuer": "Ban Thường vụ Tỉnh ủy", "doc_type": "Chương trình hành động"},
            {"key": "02-NQ/TW", "nth": 1, "doc_type": "Nghị quyết", "relation": "implements"},
            {"key": "02/CTr-BCH", "date": "2021-07-20", "issuer": "Ban Chấp hành Tổng LĐLĐ Việt Nam",
             "doc_type": "Chương trình hành động"},
            {"key": "02-NQ/TW", "nth": 2, "date": "2021-06-12", "issuer": "Bộ Chính trị", "doc_type": "Nghị quyết",
             "relation": "implements"},
            {"key": "10b/NQ-BCH", "nth": 1, "date": "2020-12-12", "issuer": "BCH Tổng LĐLĐ Việt Nam", "doc_type": "Nghị quyết"},
            # undated short mention, in the sentence after the 2020 one
            {"key": "10b/NQ-BCH", "nth": 2, "doc_type": "Nghị quyết", "relation": "reviews"},
        ],
    )


def review_plan(source: str) -> dict[str, Any]:
    return doc_result(
        source,
        REVIEW_PLAN,
        [
            (None, "Tổng kết 15 năm thực hiện Nghị quyết số 20-NQ/TW ngày 28/01/2008 của Ban Chấp hành Trung ương Đảng và "
             "10 năm thực hiện Kết luận số 79-KL/TW ngày 25/12/2013 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết 20-NQ/TW."),
            ("III/1/1.1", "Kết quả 02 năm thực hiện chương trình hành động số 02/CTr-BCH của Ban chấp hành Tổng Liên đoàn "
             "về thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng và Nghị quyết số 02-NQ/TW."),
        ],
        [
            {"key": "20-NQ/TW", "date": "2008-01-28", "issuer": "Ban Chấp hành Trung ương Đảng", "doc_type": "Nghị quyết",
             "relation": "reviews"},
            {"key": "79-KL/TW", "date": "2013-12-25", "issuer": "Bộ Chính trị", "doc_type": "Kết luận", "relation": "reviews"},
            {"key": "20-NQ/TW", "find": "Nghị quyết 20-NQ/TW", "relation": "continues"},
            {"key": "02/CTr-BCH", "issuer": "Ban chấp hành Tổng Liên đoàn", "doc_type": "Chương trình hành động",
             "relation": "reviews"},
            {"key": "02-NQ/TW", "doc_type": "Nghị quyết", "relation": "implements"},
        ],
    )


def fixture_results() -> list[dict[str, Any]]:
    """Five documents in nine renditions, plus one file that failed."""
    return [
        tld_programme("txt/000_a.txt"),
        tld_programme("docx/000_a.docx"),
        tld_programme("pdf/000_a.pdf"),
        province_programme("txt/001_b.txt"),
        province_programme("pdf/001_b.pdf"),
        resolution_02("txt/002_c.txt"),
        resolution_02("docx/002_c.docx"),
        resolution_02("pdf-scanned/002_c.pdf"),
        review_plan("docx/003_d.docx"),
        {"source": "txt/broken.txt", "format": "txt", "error": "ReadError: not UTF-8", "document": None, "sections": []},
    ]


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(fixture_results())


def node_of(corpus, source: str) -> str:
    return corpus.node_of_source()[source]


# ---------------------------------------------------------------- keys and parts


def test_fold_key_folds_spelling_variants_only():
    assert fold_key("02 - NQ/TW") == fold_key("02-NQ/TW") == fold_key("2-nq/tư")
    assert fold_key("07/CTr-LĐLD") == fold_key("07/CTr-LĐLĐ")
    assert fold_key("399/CTR-TLĐ") == fold_key("399/CTr-TLĐ")
    assert fold_key("10b/NQ-BCH") != fold_key("10c/NQ-BCH")
    assert fold_key("1729/QĐ-TTg") != fold_key("179/QĐ-TTg")


def test_parse_symbol_party_state_and_union_forms():
    assert parse_symbol("02-NQ/TW") == parse_symbol("02-NQ/TW").__class__("02", "NQ", "TW")
    s = parse_symbol("191/2013/NĐ-CP")
    assert (s.number, s.kind, s.body) == ("191", "NĐ", "CP")
    s = parse_symbol("02/CTr-BCH")
    assert (s.number, s.kind, s.body) == ("02", "CTr", "BCH")
    s = parse_symbol("12/2012/QH13")
    assert (s.kind, s.body) == (None, "QH")


def test_issuer_similarity_expands_abbreviations_and_separates_bodies():
    full = "Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam"
    assert issuer_similarity(full, "Ban Chấp hành Tổng LĐLĐ Việt Nam (khóa XII)") == 1.0
    assert issuer_similarity(full, "BCH Tổng LĐLĐ Việt Nam") == 1.0
    assert 0 < issuer_similarity(full, "Ban chấp hành Tổng Liên đoàn") < 1.0
    # a province's union is not the national one, nor is its Đoàn Chủ tịch the Ban Chấp hành
    assert issuer_similarity(full, "Ban Chấp hành Liên đoàn Lao động tỉnh Lai Châu") == 0.0
    assert issuer_similarity(full, "Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam") == 0.0
    assert issuer_similarity(full, None) is None


def test_kind_similarity_treats_chuong_trinh_as_one_family():
    assert kind_similarity("Chương trình hành động", "Chương trình") > 0.5
    assert kind_similarity("Chương trình hành động", "Nghị quyết") == 0.0


def test_title_similarity_reads_the_citing_context():
    ctx = ", ngày 20/7/2021 của Ban Chấp hành Tổng LĐLĐ Việt Nam thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII"
    assert title_similarity(TLD_PROGRAMME["title"], ctx) > 0.3
    assert title_similarity(TLD_PROGRAMME["title"], "về công tác pháp luật của tổ chức Công đoàn") < 0.1


# ---------------------------------------------------------------- renditions


def test_renditions_of_one_document_are_one_node(corpus):
    g = corpus.graph
    assert len({node_of(corpus, s) for s in ("txt/000_a.txt", "docx/000_a.docx", "pdf/000_a.pdf")}) == 1
    n002 = node_of(corpus, "pdf-scanned/002_c.pdf")
    assert n002 == node_of(corpus, "txt/002_c.txt") == "02-NQ/TW"
    assert sorted(g.nodes[n002]["sources"]) == ["docx/002_c.docx", "pdf-scanned/002_c.pdf", "txt/002_c.txt"]
    assert g.graph["documents"] == 4 and g.graph["renditions"] == 9  # the failed file is skipped


def test_same_stem_with_different_own_numbers_stays_apart():
    a = doc_result("2020/ke-hoach.txt", {"doc_type": "Kế hoạch", "number": "15/KH-LĐLĐ", "date": "2020-03-01"}, [(None, "x")], [])
    b = doc_result("2021/ke-hoach.txt", {"doc_type": "Kế hoạch", "number": "27/KH-LĐLĐ", "date": "2021-03-01"}, [(None, "y")], [])
    c = doc_result("2021/ke-hoach.docx", {"doc_type": "Kế hoạch", "number": "27/KH-LĐLĐ", "date": "2021-03-01"}, [(None, "y")], [])
    groups = group_renditions([a, b, c])
    assert sorted(len(g.renditions) for g in groups) == [1, 2]


def test_edges_count_mentions_once_not_once_per_rendition(corpus):
    g = corpus.graph
    n000 = node_of(corpus, "txt/000_a.txt")
    data = g.edges[n000, "02-NQ/TW"]
    assert data["mentions"] == 2
    assert data["source"] == "docx/000_a.docx"  # the most faithful rendition gives the edge
    assert [m["section"] for m in data["mention_list"]] == [None, "I/1"]
    assert data["sentences"][1].startswith("Chương trình hành động nhằm cụ thể hóa")


# ---------------------------------------------------------------- matching


def test_own_number_match(corpus):
    attrs = corpus.graph.nodes["02-NQ/TW"]
    assert attrs["in_corpus"] and attrs["match_method"] == "own_number"
    assert attrs["match_confidence"] == 1.0
    assert attrs["date"] == "2021-06-12" and attrs["issuer"] == "Bộ Chính trị"
    # 000, 001 and 003 cite it; 001 says 12-CTr/TU implements it
    assert set(corpus.graph.predecessors("02-NQ/TW")) == {
        node_of(corpus, "txt/000_a.txt"), node_of(corpus, "txt/001_b.txt"), "300/KH-TLĐ", "12-CTr/TU"}


def test_metadata_match_of_programme_without_number(corpus):
    g = corpus.graph
    n000 = node_of(corpus, "txt/000_a.txt")
    assert n000 == "02/CTr-BCH"
    attrs = g.nodes[n000]
    assert attrs["match_method"] == "metadata" and attrs["in_corpus"]
    assert 0.6 <= attrs["match_confidence"] <= 1.0
    assert attrs["number_stated"] is False
    assert attrs["date"] == "2021-07-20"  # known from the citations only
    assert attrs["kind"] == "Chương trình hành động"
    assert "2-nq/tw" in attrs["match_evidence"]["shared_implemented"]
    # both citing documents point at the corpus document
    assert set(g.predecessors(n000)) == {node_of(corpus, "txt/001_b.txt"), "300/KH-TLĐ"}


def test_metadata_match_rejects_other_issuers_and_similar_titles(corpus):
    """04/CTr-BCH has nearly the province programme's title, but its issuer is the
    national Ban Chấp hành: the province programme stays unmatched."""
    g = corpus.graph
    n001 = node_of(corpus, "txt/001_b.txt")
    assert n001.startswith("doc:")
    assert g.nodes[n001]["match_method"] is None
    assert not g.nodes["04/CTr-BCH"]["in_corpus"]


def test_metadata_match_needs_the_title_not_just_kind_and_issuer():
    other = copy.deepcopy(TLD_PROGRAMME)
    other["title"] = "về công tác an toàn, vệ sinh lao động trong các doanh nghiệp"
    results = [doc_result("txt/x.txt", other, [(None, "Nội dung.")], [])] + fixture_results()[3:5]
    g = build_graph(results)
    assert not g.nodes["02/CTr-BCH"]["in_corpus"]


def test_renumbered_key_splits_by_date(corpus):
    g = corpus.graph
    assert "10b/NQ-BCH" not in g
    assert {"10b/NQ-BCH@2017-01-12", "10b/NQ-BCH@2020-12-12"} <= set(g)
    assert g.nodes["10b/NQ-BCH@2017-01-12"]["date"] == "2017-01-12"
    # the keys that are not reused keep their plain id
    assert "07/KL-BCH" in g and "02-NQ/TW" in g


def test_undated_mention_joins_the_nearest_dated_one_of_its_document(corpus):
    undated = [o for o in corpus.occurrences if o.key == "10b/NQ-BCH" and o.date is None]
    assert len(undated) == 2  # one per rendition
    for o in undated:
        assert o.node == "10b/NQ-BCH@2020-12-12"
        assert o.date_inferred and o.inferred_by == "same_document_nearest"
    g = corpus.graph
    n001 = node_of(corpus, "txt/001_b.txt")
    assert g.edges[n001, "10b/NQ-BCH@2020-12-12"]["mentions"] == 2
    assert g.edges[n001, "10b/NQ-BCH@2017-01-12"]["mentions"] == 1


def test_undated_mention_from_another_document_joins_the_most_cited():
    extra = doc_result(
        "txt/005_e.txt",
        {"doc_type": "Kế hoạch", "number": "33/KH-LĐLĐ", "date": "2021-05-05", "issuer": "Liên đoàn Lao động tỉnh Hà Giang"},
        [("I", "Triển khai Nghị quyết 10b/NQ-BCH của Ban Chấp hành Tổng Liên đoàn.")],
        [{"key": "10b/NQ-BCH", "doc_type": "Nghị quyết", "relation": "implements"}],
    )
    corpus = build_corpus(fixture_results() + [extra])
    o = next(o for o in corpus.occurrences if o.source == "txt/005_e.txt")
    assert o.date_inferred and o.inferred_by == "most_cited"
    assert o.node == "10b/NQ-BCH@2020-12-12"  # 2 mentions against 1


def test_single_dated_node_takes_undated_mentions_without_inference():
    g = build_corpus(fixture_results()).graph
    # 20-NQ/TW is dated once and mentioned once without a date: no split
    assert "20-NQ/TW" in g and g.nodes["20-NQ/TW"]["date"] == "2008-01-28"
    assert g.edges["300/KH-TLĐ", "20-NQ/TW"]["mentions"] == 2


# ---------------------------------------------------------------- relations and chains


def test_edges_carry_relations_sections_and_sentences(corpus):
    g = corpus.graph
    data = g.edges["300/KH-TLĐ", "79-KL/TW"]
    assert data["relations"] == ["reviews"]
    assert data["mention_list"][0]["sentence"].startswith("Tổng kết 15 năm")
    assert data["sections"] == [None]


def test_list_under_one_verb_implements_each_item(corpus):
    """'Tiếp tục triển khai thực hiện A; B; C' — the extractor finds no cue in B's
    clause, the graph reads the verb that opens the list."""
    g = corpus.graph
    n001 = node_of(corpus, "txt/001_b.txt")
    assert g.edges[n001, "02/CTr-BCH"]["chain"]
    assert "continues" in g.edges[n001, "02/CTr-BCH"]["relations"]


def test_stated_edges_between_cited_documents(corpus):
    g = corpus.graph
    data = g.edges["12-CTr/TU", "02-NQ/TW"]
    assert data["derived"] and data["relations"] == ["implements"]
    assert data["stated_by"] == [node_of(corpus, "txt/001_b.txt")]
    assert g.edges["07/KL-BCH", "10b/NQ-BCH@2017-01-12"]["relations"] == ["continues"]
    assert g.edges["79-KL/TW", "20-NQ/TW"]["chain"]
    # "15 năm thực hiện A … và 10 năm thực hiện B": the plan reviews both, A does not implement B
    assert not g.has_edge("20-NQ/TW", "79-KL/TW")


def test_implementation_chain_reaches_the_central_resolution(corpus):
    g = corpus.graph
    n001 = node_of(corpus, "txt/001_b.txt")
    assert g.nodes[n001]["implementation_chain"] == [n001, "02/CTr-BCH", "02-NQ/TW"]
    assert g.nodes[n001]["implementation_root"] == "02-NQ/TW"
    assert implementation_chain(g, "02/CTr-BCH") == ["02/CTr-BCH", "02-NQ/TW"]
    assert g.nodes["02-NQ/TW"]["implementation_chain"] == []
    assert g.nodes["300/KH-TLĐ"]["implementation_root"] in {"20-NQ/TW", "02-NQ/TW"}


def test_metrics(corpus):
    g = corpus.graph
    ranks = {v: a["pagerank"] for v, a in g.nodes(data=True)}
    assert abs(sum(ranks.values()) - 1.0) < 1e-3
    assert max(ranks, key=ranks.get) == "02-NQ/TW"
    assert g.nodes["02-NQ/TW"]["in_degree"] == g.in_degree("02-NQ/TW")
    assert g.nodes[node_of(corpus, "txt/001_b.txt")]["out_degree"] >= 7


def test_self_reference_is_not_an_edge():
    own = doc_result(
        "txt/003.txt",
        REVIEW_PLAN,
        [("PL", "(Kèm theo Kế hoạch số 300/KH-TLĐ ngày 23 tháng 3 năm 2023)")],
        [{"key": "300/KH-TLĐ", "date": "2023-03-23", "doc_type": "Kế hoạch"}],
    )
    g = build_graph([own])
    assert list(g.nodes) == ["300/KH-TLĐ"] and g.number_of_edges() == 0


def test_empty_corpus_gives_an_empty_graph():
    g = build_graph([])
    assert g.number_of_nodes() == 0


# ---------------------------------------------------------------- the real corpus


@pytest.mark.slow
def test_real_corpus_links(corpus_outputs):
    from pipeline.graph import build_corpus, load_results

    corpus = build_corpus(load_results(corpus_outputs))
    g = corpus.graph
    nodes = corpus.node_of_source()
    by_stem: dict[str, set[str]] = {}
    for source, node in nodes.items():
        by_stem.setdefault(Path(source).stem, set()).add(node)
    # every document's renditions are one node
    assert all(len(v) == 1 for v in by_stem.values()), by_stem
    n000, n001, n002, n003 = (next(iter(by_stem[s])) for s in (
        "000_87603f58eecd4578", "001_6aebd239dd393bed", "002_66fc0c121fd6263f", "003_1daefe2fb569c266"))
    assert fold_key(n000) == fold_key("02/CTr-BCH")
    assert fold_key(n002) == fold_key("02-NQ/TW")
    assert g.has_edge(n001, n000) and g.has_edge(n000, n002)
    assert g.nodes[n001]["implementation_chain"][:3] == [n001, n000, n002]
    targets = {fold_key(v.split("@")[0]) for v in g.successors(n003)}
    assert {fold_key("20-NQ/TW"), fold_key("79-KL/TW")} <= targets
    assert len(g.nodes[n002]["sources"]) == 4


def test_local_numbers_are_scoped_by_place():
    """"15/2021/QĐ-UBND" of Lai Châu and of Hà Giang are two documents; a mention
    naming no place belongs to the citing document's province."""
    def plan(source: str, number: str, province: str, sentence: str, issuer: str | None) -> dict:
        return doc_result(
            source,
            {"doc_type": "Kế hoạch", "number": number, "date": "2022-03-01", "issuer": f"Ủy ban nhân dân tỉnh {province}"},
            [("I", sentence)],
            [{"key": "15/2021/QĐ-UBND", "date": None, "issuer": issuer, "doc_type": "Quyết định", "relation": "implements"}],
        )

    results = [
        plan("a.md", "20/KH-UBND", "Lai Châu", "Thực hiện Quyết định số 15/2021/QĐ-UBND của UBND tỉnh.", "UBND tỉnh"),
        plan("b.md", "31/KH-UBND", "Hà Giang", "Thực hiện Quyết định số 15/2021/QĐ-UBND của UBND tỉnh.", "UBND tỉnh"),
        plan("c.md", "44/KH-UBND", "Hà Giang", "Căn cứ Quyết định số 15/2021/QĐ-UBND của UBND tỉnh Lai Châu.",
             "UBND tỉnh Lai Châu"),
    ]
    corpus = build_corpus(results)
    cited = {o.source: o.node for o in corpus.occurrences}
    assert cited["a.md"] == cited["c.md"] == "15/2021/QĐ-UBND@Lai Châu"
    assert cited["b.md"] == "15/2021/QĐ-UBND@Hà Giang"
    assert corpus.graph.nodes[cited["b.md"]]["label"] == "15/2021/QĐ-UBND (Hà Giang)"
    # a central number is never split by place
    central = [
        doc_result(f"{p}.md", {"doc_type": "Kế hoạch", "number": f"{i}/KH-UBND", "date": "2022-01-01", "issuer": f"UBND tỉnh {p}"},
                   [("I", "Thực hiện Nghị quyết số 02-NQ/TW.")], [{"key": "02-NQ/TW", "relation": "implements"}])
        for i, p in enumerate(["Lai Châu", "Hà Giang"], start=1)
    ]
    assert [o.node for o in build_corpus(central).occurrences] == ["02-NQ/TW", "02-NQ/TW"]


def test_same_stem_unnumbered_drafts_with_different_titles_stay_apart():
    def draft(source: str, title: str) -> dict:
        return doc_result(source, {"doc_type": "Kế hoạch", "number": None, "date": None, "title": title}, [(None, "x")], [])

    groups = group_renditions([
        draft("2020/ke-hoach.docx", "Tổ chức Tháng Công nhân năm 2020"),
        draft("2021/ke-hoach.docx", "Tuyên truyền pháp luật về bảo hiểm xã hội cho người lao động"),
        draft("2021/ke-hoach.pdf", "Tuyên truyền pháp luật về bảo hiểm xã hội cho người lao động"),
    ])
    assert sorted(len(g.renditions) for g in groups) == [1, 2]


def test_date_contradicting_the_year_in_the_number_is_not_a_new_document():
    """"Nghị định số 06/2021/NĐ-CP; Thông tư … ngày 26/01/2025": a date read for a
    number that carries another year belongs to something else."""
    doc = doc_result(
        "x.md",
        {"doc_type": "Quyết định", "number": "5/QĐ-UBND", "date": "2025-03-01", "issuer": "UBND tỉnh Gia Lai"},
        [("I", "Căn cứ Nghị định số 06/2021/NĐ-CP ngày 26/01/2021 của Chính phủ."),
         ("II", "Theo Nghị định số 06/2021/NĐ-CP và Thông tư số 3/2025/TT-BXD ngày 26/01/2025.")],
        [{"key": "06/2021/NĐ-CP", "date": "2021-01-26", "doc_type": "Nghị định", "relation": "based_on"},
         {"key": "06/2021/NĐ-CP", "nth": 1, "date": "2025-01-26", "doc_type": "Nghị định"}],
    )
    corpus = build_corpus([doc])
    assert [o.node for o in corpus.occurrences] == ["06/2021/NĐ-CP", "06/2021/NĐ-CP"]
    assert [o.date_conflict for o in corpus.occurrences] == [False, True]
    assert corpus.graph.edges["5/QĐ-UBND", "06/2021/NĐ-CP"]["mentions"] == 2


def test_two_files_of_one_number_share_the_node_and_its_sources():
    """A copy whose header lost the date still is the document of its number."""
    dated = resolution_02("docx/nq02.docx")
    copy_ = resolution_02("scans/ban-sao-nq02.txt")
    copy_["document"] = dict(RESOLUTION_02, date=None)
    citing = tld_programme("txt/000_a.txt")
    corpus = build_corpus([dated, copy_, citing])
    g = corpus.graph
    assert {d.node for d in corpus.docs if d.number} == {"02-NQ/TW"}
    assert sorted(g.nodes["02-NQ/TW"]["sources"]) == ["docx/nq02.docx", "scans/ban-sao-nq02.txt"]
    assert g.nodes["02-NQ/TW"]["date"] == "2021-06-12"
    assert g.number_of_edges() == 1
