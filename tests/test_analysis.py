"""Analyses on hand-made tables and on the real corpus outputs."""

import networkx as nx
import pandas as pd
import pytest

from pipeline import analysis
from pipeline.api import Outputs, load_outputs


def make_outputs(targets=None, responsibilities=None, deadlines=None, chains=None):
    g = nx.DiGraph()
    for node, chain in (chains or {}).items():
        g.add_node(node, kind="Chương trình hành động", number=node, implementation_chain=chain)
    empty = pd.DataFrame()
    tables = {
        "targets": pd.DataFrame(targets or []),
        "responsibilities": pd.DataFrame(responsibilities or []),
        "deadlines": pd.DataFrame(deadlines or []),
    }
    return Outputs(directory=None, tables=tables, graph=g, nodes=empty, edges=empty)


def target(node, value, indicator, deadline=2025, unit="%", scope=None):
    return {"node_id": node, "value": value, "unit": unit, "comparator": ">=", "deadline": deadline, "indicator": indicator, "scope": scope}


def test_same_indicator_written_differently_groups_together():
    df = pd.DataFrame([
        target("A", 80, "doanh nghiệp, đơn vị có tổ chức công đoàn ký kết được thoả ước lao động tập thể"),
        target("B", 85, "các doanh nghiệp có công đoàn cơ sở ký kết thỏa ước lao động tập thể"),
        target("C", 90, "đoàn viên được tuyên truyền, phổ biến pháp luật"),
    ])
    groups = analysis.group_indicators(df)
    assert groups[0] == groups[1] != groups[2]


def test_percentages_counts_and_sectors_never_mix():
    df = pd.DataFrame([
        target("A", 80, "công đoàn cơ sở đạt loại hoàn thành tốt nhiệm vụ", scope="khu vực nhà nước"),
        target("A", 55, "công đoàn cơ sở đạt loại hoàn thành tốt nhiệm vụ", scope="ngoài khu vực nhà nước"),
        target("A", 120, "công đoàn cơ sở đạt loại hoàn thành tốt nhiệm vụ", unit="công đoàn cơ sở"),
    ])
    groups = analysis.group_indicators(df)
    assert len(set(groups)) == 3


def test_compare_with_implemented_follows_the_chain():
    out = make_outputs(
        targets=[
            target("prov", 85, "doanh nghiệp ký kết được thỏa ước lao động tập thể", deadline=2025),
            target("nat", 80, "doanh nghiệp, đơn vị có công đoàn ký kết thỏa ước lao động tập thể", deadline=2025),
            target("other", 99, "doanh nghiệp ký kết thỏa ước lao động tập thể", deadline=2025),
        ],
        chains={"prov": "prov; nat", "nat": "nat", "other": "other"},
    )
    pairs = analysis.compare_with_implemented(out)
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert (row["node_id"], row["implemented_node"], row["difference"], bool(row["same_deadline"])) == ("prov", "nat", 5.0, True)


def test_responsibility_matrix_marks_roles():
    out = make_outputs(responsibilities=[
        {"node_id": "A", "unit": "Ban Tuyên giáo", "unit_expanded": None, "role": "lead", "section": "III/1"},
        {"node_id": "A", "unit": "Ban Tuyên giáo", "unit_expanded": None, "role": "assigned", "section": "III/1"},
        {"node_id": "A", "unit": "Văn phòng", "unit_expanded": None, "role": "coordinate", "section": "III/2"},
    ], chains={"A": "A"})
    m = analysis.responsibility_matrix(out, node_id="A")
    assert m.loc["Ban Tuyên giáo", "III/1"] == "AL"
    assert m.loc["Văn phòng", "III/2"] == "C" and m.loc["Văn phòng", "III/1"] == ""


def test_deadline_timeline_orders_by_end():
    out = make_outputs(deadlines=[
        {"node_id": "A", "text": "trong quý II năm 2024", "kind": "quarter", "start": "2024-04-01", "end": "2024-06-30", "section": "1", "span_start": 5},
        {"node_id": "A", "text": "trước 30/12/2023", "kind": "date", "start": None, "end": "2023-12-30", "section": "2", "span_start": 9},
    ], chains={"A": "A"})
    t = analysis.deadline_timeline(out)
    assert list(t["text"]) == ["trước 30/12/2023", "trong quý II năm 2024"]
    assert t.loc[0, "start"] == t.loc[0, "end"]  # an open start is drawn as a point


@pytest.fixture(scope="module")
def real(corpus_outputs):
    return load_outputs(corpus_outputs)


def test_collective_agreement_targets_meet_across_three_levels(real):
    comparison = analysis.target_comparison(real)
    tuldtt = comparison[comparison["indicator"].str.contains("ước lao động tập thể", na=False)]
    biggest = tuldtt["indicator_group"].value_counts().index[0]
    docs = set(tuldtt.loc[tuldtt["indicator_group"] == biggest, "node_id"])
    assert {"02-NQ/TW", "02/CTr-BCH"} <= docs
    assert len(docs) >= 3  # the Lai Châu programme too


def test_national_programme_targets_match_the_resolution(real):
    pairs = analysis.compare_with_implemented(real)
    same = pairs[(pairs["node_id"] == "02/CTr-BCH") & (pairs["implemented_node"] == "02-NQ/TW") & pairs["same_deadline"]]
    assert {(str(d), v) for d, v in zip(same["deadline"], same["value"])} >= {("2025", 80), ("2025", 13500000), ("2030", 85)}
    assert (same["difference"] == 0).all()
