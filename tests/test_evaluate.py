"""The scorer follows the gold guide's matching rules; gold scored against itself is perfect."""

import copy
import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, fold_key, score_document, texts_overlap

GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"


def gold(stem="001_6aebd239dd393bed"):
    path = GOLD_DIR / f"{stem}.gold.json"
    if not path.exists():
        pytest.skip("gold files not beside the repository")
    return json.loads(path.read_text(encoding="utf-8"))


def summaries(g, p):
    counts, details = score_document(g, p)
    return {f: c.summary() for f, c in counts.items()}, details


def test_gold_against_itself_is_perfect():
    g = gold()
    s, _ = summaries(g, copy.deepcopy(g))
    for field in ("sections", "citations", "named_citations", "targets", "deadlines", "responsibilities"):
        assert s[field]["f1"] == 1.0, field


def test_key_folding_spaces_case_and_d():
    assert fold_key("07/CTr-LĐLD") == fold_key("07/ctr-lđlđ")
    assert fold_key("02 - NQ/TW") == fold_key("02-NQ/TW")
    assert fold_key("02-NQ/TW") != fold_key("20-NQ/TW")


def test_citation_attributes_scored_on_matches_only():
    g = {"citations": [{"key": "02-NQ/TW", "doc_type": "Nghị quyết", "date": "2021-06-12", "issuer": "Bộ Chính trị", "mentions": 4}]}
    p = {"citations": [{"key": "02 - nq/tw", "doc_type": "Nghị quyết", "date": "2021-06-13", "issuer": "bộ chính trị", "mentions": 3},
                       {"key": "79-KL/TW", "mentions": 1}]}
    s, _ = summaries(g, p)
    c = s["citations"]
    assert (c["tp"], c["fp"], c["fn"]) == (1, 1, 0)
    assert c["date"] == 0.0 and c["issuer"] == 1.0 and c["mentions_mae"] == 1.0 and c["mentions_exact"] == 0.0


def test_targets_need_value_unit_class_and_deadline():
    g = {"targets": [{"value": 70, "unit": "%", "comparator": ">=", "deadline": "annual", "indicator": "đoàn viên được học tập nghị quyết", "section": "II/1"},
                     {"value": 13500000, "unit": "đoàn viên", "comparator": "=", "deadline": 2025, "indicator": "đoàn viên công đoàn", "section": "II/2"}]}
    p = {"targets": [{"value": 70.0, "unit": "%", "comparator": "=", "deadline": "annual", "indicator": "đoàn viên được học tập", "section": "II/1"},
                     {"value": 13500000, "unit": "đoàn viên", "comparator": "=", "deadline": 2030, "indicator": "đoàn viên", "section": "II/2"}]}
    s, d = summaries(g, p)
    t = s["targets"]
    assert (t["tp"], t["fp"], t["fn"]) == (1, 1, 1)
    assert t["comparator"] == 0.0 and t["indicator"] == 1.0 and t["section"] == 1.0
    assert d["targets"]["missed"][0]["deadline"] == 2025


def test_deadlines_need_same_end_and_overlapping_text():
    g = {"deadlines": [{"text": "trong quý II năm 2024", "kind": "quarter", "start": "2024-04-01", "end": "2024-06-30", "section": "VI"}]}
    assert summaries(g, {"deadlines": [{"text": "quý II năm 2024", "end": "2024-06-30"}]})[0]["deadlines"]["f1"] == 1.0
    assert summaries(g, {"deadlines": [{"text": "quý II năm 2024", "end": "2024-06-29"}]})[0]["deadlines"]["f1"] == 0.0
    assert not texts_overlap("trước 30/12/2023", "tháng 7/2024")


def test_responsibility_unit_words_and_role():
    g = {"responsibilities": [{"unit": "Ban Tuyên giáo Tổng Liên đoàn Lao động Việt Nam", "role": "lead", "section": "III/1"}]}
    ok = {"responsibilities": [{"unit": "Ban Tuyên giáo Tổng Liên đoàn Lao động Việt Nam", "role": "lead", "section": "III/2"}]}
    wrong_role = {"responsibilities": [{"unit": "Ban Tuyên giáo Tổng Liên đoàn Lao động Việt Nam", "role": "coordinate"}]}
    too_short = {"responsibilities": [{"unit": "Ban Tuyên giáo", "role": "lead"}]}
    assert summaries(g, ok)[0]["responsibilities"]["f1"] == 1.0
    assert summaries(g, ok)[0]["responsibilities"]["section"] == 0.0
    assert summaries(g, wrong_role)[0]["responsibilities"]["f1"] == 0.0
    assert summaries(g, too_short)[0]["responsibilities"]["f1"] == 0.0


def test_duplicate_prediction_is_a_false_positive():
    g = {"sections": [{"path": "I", "title": "MỤC ĐÍCH"}]}
    p = {"sections": [{"path": "I", "title": "Mục đích"}, {"path": "I", "title": "MỤC ĐÍCH"}]}
    s, _ = summaries(g, p)
    assert (s["sections"]["tp"], s["sections"]["fp"]) == (1, 1) and s["sections"]["title"] == 1.0


def test_evaluate_groups_by_format_directory(tmp_path):
    g = gold("004_9cab99cc97ae365a")
    for group in ("txt", "pdf"):
        out = tmp_path / "documents" / group / f"004_9cab99cc97ae365a.{group}.json"
        out.parent.mkdir(parents=True)
        pred = copy.deepcopy(g)
        pred["source"] = f"{group}/004_9cab99cc97ae365a.{group}"
        if group == "pdf":
            pred["sections"] = pred["sections"][:-2]
        out.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    report = evaluate(tmp_path, GOLD_DIR)
    assert report["formats"]["txt"]["sections"]["f1"] == 1.0
    assert report["formats"]["pdf"]["sections"]["fn"] == 2
    assert report["formats"]["all"]["sections"]["tp"] == 2 * len(g["sections"]) - 2
