"""The extractors as spaCy components: spans over the normalised text."""

import pytest

from pipeline.nlp import DISPLACY_OPTIONS, PALETTE, load_nlp, render

TEXT = """## **II. NHIỆM VỤ**
1. Tiếp tục thực hiện Nghị quyết số 23 - NQ/TƯ ngày 12/6/2021 của Bộ Chính trị. Phấn đấu đến năm 2025 có 80% trở lên doanh nghiệp ký kết thoả ước lao động tập thể.
"""


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_doc_text_is_the_normalised_text(nlp):
    doc = nlp(TEXT)
    assert "**" not in doc.text and "##" not in doc.text
    assert "thỏa ước" in doc.text  # one tone-placement convention
    assert doc.text.startswith("II. NHIỆM VỤ\n1. ")


def test_components_fill_span_groups(nlp):
    doc = nlp(TEXT)
    citations = [s.text for s in doc.spans["citations"]]
    assert any("23 - NQ/TƯ" in c for c in citations)
    assert doc.spans["citations"][0].label_ == "continues"
    targets = doc.spans["targets"]
    assert len(targets) == 1 and targets[0].text.startswith("80%") and targets[0].label_ == "%"
    assert [s.label_ for s in doc.spans["facts"]].count("CITATION") == len(citations)
    assert doc.user_data["vnres"]["citations"][0]["key"] == "23-NQ/TW"


def test_units_and_deadlines(nlp):
    doc = nlp("III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo chủ trì, phối hợp với Văn phòng xây dựng kế hoạch, hoàn thành trước ngày 30/12/2024.")
    assert ("Ban Tuyên giáo", "lead") in [(s.text, s.label_) for s in doc.spans["units"]]
    deadlines = doc.spans["deadlines"]
    assert len(deadlines) == 1 and "30/12/2024" in deadlines[0].text and deadlines[0].label_ == "date"


def test_components_can_be_chosen(nlp):
    only = load_nlp(["vnres_deadlines"])
    assert only.pipe_names == ["vnres_deadlines"]
    doc = only("Hoàn thành trong quý II năm 2024.")
    assert "citations" not in doc.spans and len(doc.spans["deadlines"]) == 1


def test_render_uses_the_palette(nlp):
    html = render(nlp(TEXT), jupyter=False)
    assert PALETTE["CITATION"] in html and PALETTE["TARGET"] in html
    assert DISPLACY_OPTIONS["spans_key"] == "facts"
