"""Corpus exports load back: GraphML/GEXF/node-link with networkx, CSV/Parquet/Excel with pandas."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from pipeline.corpus import build_corpus_outputs
from pipeline.exports import NODE_COLUMNS, TABLE_COLUMNS, TABLES, scalar
from pipeline.graph import build_corpus
from pipeline.io import write_json
from tests.test_graph import fixture_results

SECTIONS = [
    {"number": "II", "path": "II", "title": "MỤC TIÊU, CHỈ TIÊU", "level": 1, "kind": "roman", "span": [0, 60],
     "title_span": [4, 22], "label_source": "typed", "parent": None},
    {"number": "1", "path": "II/1", "title": "Chỉ tiêu hằng năm", "level": 2, "kind": "arabic", "span": [23, 60],
     "title_span": [26, 43], "label_source": "auto", "parent": "II"},
]
PROV = {"section": "II/1", "sentence": "Phấn đấu 90% trở lên đoàn viên được học tập; đến năm 2025 có 15 triệu đoàn viên.",
        "sentence_span": [44, 125]}
TARGETS = [
    {"value": 90, "value_max": None, "unit": "%", "comparator": ">=", "deadline": "annual",
     "indicator": "đoàn viên được học tập", "scope": None, "text": "90% trở lên", "span": [53, 64], **PROV},
    {"value": 15000000, "value_max": None, "unit": "đoàn viên", "comparator": "=", "deadline": 2025,
     "indicator": "đoàn viên", "scope": None, "text": "15 triệu đoàn viên", "span": [105, 123], **PROV},
    {"value": 2, "value_max": 3, "unit": "đoàn khảo sát", "comparator": "=", "deadline": None,
     "indicator": "đoàn khảo sát", "scope": None, "text": "2 - 3 đoàn khảo sát", "span": [10, 29], **PROV},
]
DEADLINES = [{"text": "trong quý II năm 2024", "kind": "quarter", "start": "2024-04-01", "end": "2024-06-30",
              "span": [70, 91], **PROV}]
RESPONSIBILITIES = [
    {"unit": "Ban Tuyên giáo", "unit_expanded": "Ban Tuyên giáo Tổng Liên đoàn Lao động Việt Nam", "role": "lead",
     "span": [1, 15], **PROV},
    {"unit": "Văn phòng", "unit_expanded": None, "role": "coordinate", "span": [20, 29], **PROV},
]
NAMED = [{"name": "Luật Công đoàn năm 2012", "doc_type": "Luật", "mentions": 2, "relations": ["mentions"],
          "occurrences": [{"text": "Luật Công đoàn năm 2012", "relation": "mentions", "span": [5, 28], **PROV},
                          {"text": "Luật Công đoàn", "relation": "implements", "span": [90, 104], **PROV}]}]


def rich_results() -> list[dict]:
    results = fixture_results()
    for r in results:
        if r["source"] in ("txt/000_a.txt", "docx/000_a.docx"):
            r.update(sections=SECTIONS, targets=TARGETS, deadlines=DEADLINES, responsibilities=RESPONSIBILITIES,
                     named_citations=NAMED)
    return results


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("out")
    for r in rich_results():
        write_json(out / "documents" / f"{r['source']}.json", r)
    summary = build_corpus_outputs(out)
    return out, summary


@pytest.fixture(scope="module")
def graph():
    return build_corpus(rich_results()).graph


def test_scalar_flattens_for_gephi():
    assert scalar(["a.txt", "b.docx"]) == "a.txt; b.docx"
    assert scalar(None) == ""
    assert scalar(3) == 3 and scalar(True) is True
    assert json.loads(scalar([{"section": "I/1"}])) == [{"section": "I/1"}]


def test_every_file_is_written_atomically(exported):
    out, summary = exported
    for name in ["graph.graphml", "graph.gexf", "graph.json", "nodes.csv", "edges.csv", "graph.html", "tables.xlsx",
                 "corpus.json"]:
        assert (out / name).stat().st_size > 0, name
    for name in TABLES:
        assert (out / "tables" / f"{name}.csv").exists() and (out / "tables" / f"{name}.parquet").exists()
    assert not list(out.rglob("*.tmp"))
    assert summary["skipped_with_error"] == ["txt/broken.txt"]
    assert summary["graph"]["nodes"] == summary["graph"]["in_corpus"] + summary["graph"]["external"]
    assert json.loads((out / "corpus.json").read_text(encoding="utf-8"))["documents"] == 4


def test_graphml_loads_back_with_all_attributes(exported, graph):
    out, _ = exported
    g = nx.read_graphml(out / "graph.graphml")
    assert set(g.nodes) == set(graph.nodes) and set(g.edges) == set(graph.edges)
    for v in g:
        assert set(NODE_COLUMNS[1:]) <= set(g.nodes[v]), v
    n = g.nodes["02/CTr-BCH"]
    assert n["in_corpus"] is True and n["match_method"] == "metadata"
    assert n["sources"].split("; ") == graph.nodes["02/CTr-BCH"]["sources"]
    assert n["implementation_chain"] == "02/CTr-BCH; 02-NQ/TW"
    assert isinstance(n["pagerank"], float) and isinstance(n["in_degree"], int)
    e = g.edges["300/KH-TLĐ", "79-KL/TW"]
    assert e["mentions"] == 1 and e["relations"] == "reviews"
    assert json.loads(e["mention_list"])[0]["sentence"].startswith("Tổng kết 15 năm")


def test_gexf_loads_back_with_scalar_attributes(exported, graph):
    out, _ = exported
    g = nx.read_gexf(out / "graph.gexf")
    assert set(g.nodes) == set(graph.nodes) and g.number_of_edges() == graph.number_of_edges()
    n = g.nodes["02-NQ/TW"]
    assert n["label"] == "02-NQ/TW"
    assert n["kind"] == "Nghị quyết" and n["issuer"] == "Bộ Chính trị" and n["date"] == "2021-06-12"
    assert n["sources"].count("; ") == 2  # three renditions
    assert n["in_corpus"] in (True, "true")
    for v in g:
        assert {"kind", "number", "title", "in_corpus", "sources", "pagerank"} <= set(g.nodes[v])
        assert not any(isinstance(x, (list, dict)) for x in g.nodes[v].values())


def test_node_link_json_keeps_lists(exported, graph):
    out, _ = exported
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    g = nx.node_link_graph(data, edges="edges")
    assert set(g.nodes) == set(graph.nodes) and set(g.edges) == set(graph.edges)
    assert g.nodes["02-NQ/TW"]["sources"] == graph.nodes["02-NQ/TW"]["sources"]
    assert g.edges["300/KH-TLĐ", "20-NQ/TW"]["mentions"] == 2


def test_node_and_edge_csv(exported, graph):
    out, _ = exported
    raw = (out / "nodes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    nodes = pd.read_csv(out / "nodes.csv", encoding="utf-8-sig")
    edges = pd.read_csv(out / "edges.csv", encoding="utf-8-sig")
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert list(nodes.columns) == NODE_COLUMNS
    row = nodes.set_index("id").loc["02/CTr-BCH"]
    assert row["kind"] == "Chương trình hành động" and row["match_method"] == "metadata"


@pytest.mark.parametrize("name", TABLES)
def test_tables_load_back_the_same_from_csv_parquet_and_excel(exported, name):
    out, _ = exported
    raw = (out / "tables" / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    csv = pd.read_csv(out / "tables" / f"{name}.csv", encoding="utf-8-sig")
    parquet = pd.read_parquet(out / "tables" / f"{name}.parquet")
    excel = pd.read_excel(out / "tables.xlsx", sheet_name=name)
    assert list(csv.columns) == list(parquet.columns) == list(excel.columns) == TABLE_COLUMNS[name]
    assert len(csv) == len(parquet) == len(excel)
    assert len(csv) > 0
    # the same cells, compared as text (CSV and Excel do not keep types)
    def cells(df: pd.DataFrame) -> list[list[str]]:
        return [["" if pd.isna(v) else str(v).removesuffix(".0") for v in row] for row in df.itertuples(index=False)]

    assert cells(csv) == cells(parquet) == cells(excel)


def test_citation_table_has_one_row_per_occurrence_with_its_node(exported):
    out, _ = exported
    df = pd.read_parquet(out / "tables" / "citations.parquet")
    occurrences = sum(len(c["occurrences"]) for r in rich_results() if not r.get("error") for c in r["citations"])
    assert len(df) == occurrences
    assert df["cited_node_id"].notna().all() and df["node_id"].notna().all()
    undated = df[(df["key"] == "10b/NQ-BCH") & df["date"].isna()]
    assert set(undated["cited_node_id"]) == {"10b/NQ-BCH@2020-12-12"}
    assert undated["date_inferred"].all()
    row = df[(df["source"] == "txt/001_b.txt") & (df["key"] == "02/CTr-BCH")].iloc[0]
    assert row["cited_node_id"] == "02/CTr-BCH" and row["section"] == "IV/3"
    assert row["sentence"][row["span_start"] - row["sentence_start"]: row["span_end"] - row["sentence_start"]] == "02/CTr-BCH"


def test_target_table_keeps_vietnamese_and_mixed_deadlines(exported):
    out, _ = exported
    df = pd.read_parquet(out / "tables" / "targets.parquet")
    assert len(df) == 2 * len(TARGETS)  # two renditions carry them
    assert set(df["deadline"].dropna()) == {"annual", "2025"}
    assert 15000000 in set(df["value"])
    excel = pd.read_excel(out / "tables.xlsx", sheet_name="targets")
    assert "đoàn viên được học tập" in set(excel["indicator"])
    docs = pd.read_excel(out / "tables.xlsx", sheet_name="documents")
    assert set(docs.loc[docs["source"].str.contains("000_a"), "node_id"]) == {"02/CTr-BCH"}


def test_empty_corpus_writes_tables_with_headers(tmp_path):
    summary = build_corpus_outputs(tmp_path)
    assert summary["graph"]["nodes"] == 0
    df = pd.read_csv(tmp_path / "tables" / "citations.csv", encoding="utf-8-sig")
    assert list(df.columns) == TABLE_COLUMNS["citations"] and df.empty
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() == 0
    assert (tmp_path / "graph.html").exists()


# ---------------------------------------------------------------- tables and graph files written in slices

TRICKY_COLUMNS = ["source", "node_id", "gap_int", "mixed", "flag", "empty", "number", "text"]


def tricky_rows(n: int = 23) -> list[tuple]:
    """Columns whose type depends on the whole table: ints with one gap near the
    end (floats: "3.0"), text and numbers mixed (text), booleans with a gap
    (objects), never filled, ints and floats, Vietnamese text with separators."""
    rows = []
    for i in range(n):
        rows.append((
            f"doc{i % 4}.txt", f"node{i % 3}",
            None if i == n - 2 else i,
            "annual" if i == n - 1 else 2020 + i,
            None if i == 1 else i % 2 == 0,
            None,
            1.5 if i == 7 else i,
            f'Điều {i}, "khoản" {i};\nđến năm 2025' if i % 5 else None,
        ))
    return rows


def whole_frame_files(rows: list[tuple], tmp_path: Path) -> dict[str, bytes]:
    from pipeline.exports import Workbook, _frame, write_csv, write_parquet

    df = _frame(rows, TRICKY_COLUMNS)
    with open(tmp_path / "whole.csv", "wb") as f:
        write_csv(f, df)
    with open(tmp_path / "whole.parquet", "wb") as f:
        write_parquet(f, df)
    with open(tmp_path / "whole.xlsx", "wb") as f:
        wb = Workbook(f)
        wb.add_sheet("tricky", df)
        wb.close()
    return {ext: (tmp_path / f"whole.{ext}").read_bytes() for ext in ("csv", "parquet", "xlsx")}


def test_table_written_in_slices_matches_the_whole_frame(tmp_path, monkeypatch):
    import zipfile

    from pipeline import exports
    from pipeline.exports import TableSource, Workbook

    rows = tricky_rows()
    whole = whole_frame_files(rows, tmp_path)
    monkeypatch.setattr(exports, "TABLE_CHUNK_ROWS", 4)  # the gap and the text fall in late slices
    table = TableSource(TRICKY_COLUMNS, lambda: iter(rows))
    assert len(table) == len(rows)
    with open(tmp_path / "sliced.csv", "wb") as f:
        table.write_csv(f)
    with open(tmp_path / "sliced.parquet", "wb") as f:
        table.write_parquet(f)
    with open(tmp_path / "sliced.xlsx", "wb") as f:
        wb = Workbook(f)
        wb.add_table("tricky", table)
        wb.close()
    assert (tmp_path / "sliced.csv").read_bytes() == whole["csv"]
    assert b"21.0," in whole["csv"] and b",annual," in whole["csv"]  # the whole column's types
    sliced, expected = pd.read_parquet(tmp_path / "sliced.parquet"), pd.read_parquet(tmp_path / "whole.parquet")
    pd.testing.assert_frame_equal(sliced, expected)
    import pyarrow.parquet as pq

    assert pq.read_schema(tmp_path / "sliced.parquet") == pq.read_schema(tmp_path / "whole.parquet")
    assert pq.read_schema(tmp_path / "sliced.parquet").metadata == pq.read_schema(tmp_path / "whole.parquet").metadata
    a, b = zipfile.ZipFile(tmp_path / "sliced.xlsx"), zipfile.ZipFile(tmp_path / "whole.xlsx")
    assert a.namelist() == b.namelist()
    assert all(a.read(name) == b.read(name) for name in a.namelist())


def test_spilled_tables_come_back_in_document_order_with_their_nodes(tmp_path):
    from pipeline.exports import RowSpill, rendition_section_rows

    results = rich_results()
    corpus = build_corpus([json.loads(json.dumps(r)) for r in results])
    node_of = corpus.node_of_source()
    with RowSpill() as spill:
        for r in reversed(results):  # spilled out of order
            spill.add(json.loads(json.dumps(r)))
        got = list(spill.table("sections", corpus).rows())
    order = [r["source"] for d in corpus.docs for r in d.renditions]
    by_source = {r["source"]: r for r in results}
    expected = [tuple(row.values()) for s in order for row in rendition_section_rows(by_source[s], node_of[s])]
    assert got == expected and got


def test_graph_files_with_edges_rendered_on_demand_match_the_scalar_graph(graph):
    import io

    from pipeline.exports import scalar_graph, scalar_nodes, write_gexf, write_graphml

    h, edge_data = scalar_nodes(graph)
    full = scalar_graph(graph)
    assert all(len(data) == 0 for _, _, data in h.edges(data=True))
    for write in (write_graphml, write_gexf):
        lazy, eager = io.BytesIO(), io.BytesIO()
        write(h, lazy, edge_data)
        write(full, eager)
        assert lazy.getvalue() == eager.getvalue()


def test_one_pass_over_a_table_writes_what_the_three_writers_write(tmp_path, monkeypatch):
    """``_write_table_files`` reads the rows once for CSV, Parquet and the sheet."""
    import zipfile

    import pyarrow.parquet as pq

    from pipeline import exports
    from pipeline.exports import TableSource, Workbook, _excel_cell, _excel_column, _write_table_files

    rows = tricky_rows()
    whole = whole_frame_files(rows, tmp_path)
    monkeypatch.setattr(exports, "TABLE_CHUNK_ROWS", 4)
    reads = []

    def source():
        reads.append(1)
        return iter(rows)

    table = TableSource(TRICKY_COLUMNS, source)
    len(table)  # the type scan: its own read
    before = len(reads)
    out = tmp_path / "one_pass"
    out.mkdir()
    with open(tmp_path / "one_pass.xlsx", "wb") as f:
        wb = Workbook(f)
        _write_table_files(table, "tricky", out, wb)
        wb.close()
    assert len(reads) - before == 1
    assert (out / "tricky.csv").read_bytes() == whole["csv"]
    pd.testing.assert_frame_equal(pd.read_parquet(out / "tricky.parquet"), pd.read_parquet(tmp_path / "whole.parquet"))
    assert pq.read_schema(out / "tricky.parquet") == pq.read_schema(tmp_path / "whole.parquet")
    a, b = zipfile.ZipFile(tmp_path / "one_pass.xlsx"), zipfile.ZipFile(tmp_path / "whole.xlsx")
    assert all(a.read(name) == b.read(name) for name in b.namelist())
    values = [v for row in rows for v in row] + ["a<b&c", "", True, 3, 2.5, float("nan"), None]
    assert _excel_column(values) == [_excel_cell(v) for v in values]
