"""The accuracy bars of the issues, measured with the evaluator on the five documents.

Every rendition (txt, docx, pdf, pdf-scanned) of the corpus is extracted once and
scored against ``../shared/gold/dev`` exactly as ``make eval`` does.
"""

import pytest

from pipeline.evaluate import evaluate

from .conftest import GOLD_DIR

TEXT_FORMATS = ["txt", "docx", "pdf"]

# (field, measure, bar) for each of txt, docx and pdf.
BARS = [
    ("sections", "f1", 0.97),
    ("sections", "title", 0.95),
    ("citations", "f1", 0.97),
    ("citations", "doc_type", 0.9),
    ("citations", "date", 0.9),
    ("citations", "issuer", 0.9),
    ("citations", "mentions_exact", 0.9),
    ("targets", "f1", 0.92),
    ("targets", "comparator", 0.95),
    ("targets", "section", 0.9),
    ("targets", "indicator", 0.85),
    ("named_citations", "f1", 0.8),
    ("deadlines", "f1", 0.85),
    ("responsibilities", "f1", 0.8),
    ("document", "doc_type", 0.9),
    ("document", "number", 0.9),
    ("document", "date", 0.9),
    ("document", "issuer", 0.9),
    ("document", "title", 0.9),
]

SCANNED_BARS = [
    ("sections", "f1", 0.85),
    ("sections", "title", 0.85),
    ("citations", "f1", 0.8),
    ("targets", "f1", 0.8),
]


@pytest.fixture(scope="module")
def report(corpus_outputs):
    if not GOLD_DIR.exists():
        pytest.skip("gold files not beside the repository")
    return evaluate(corpus_outputs, GOLD_DIR)


def test_every_rendition_was_read(report):
    errors = {src: d["error"] for src, d in report["documents"].items() if "error" in d}
    assert not errors


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("field,measure,bar", BARS)
def test_bar(report, fmt, field, measure, bar):
    value = report["formats"][fmt][field][measure]
    assert value is not None and value >= bar, f"{fmt} {field} {measure} = {value} < {bar}"


@pytest.mark.ocr
@pytest.mark.parametrize("field,measure,bar", SCANNED_BARS)
def test_scanned_bar(report, field, measure, bar):
    if "pdf-scanned" not in report["formats"]:
        pytest.fail("pdf-scanned rendition produced no output")
    value = report["formats"]["pdf-scanned"][field][measure]
    assert value is not None and value >= bar, f"pdf-scanned {field} {measure} = {value} < {bar}"
