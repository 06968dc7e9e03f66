"""Accuracy on documents outside the five dev texts, scored like ``make eval``.

- ``tests/data/heldout``, ``tests/data/heldout2``: nine real provincial and
  ministerial documents from the wild corpus, annotated by hand from the text
  before the pipeline's output was looked at;
- ``tests/data/genre``, ``tests/data/genre2``: seven trade-union and Party
  documents written for the purpose, with their gold.

The first measurements (before any rule was changed for them) are in the README;
the rules have since been generalised against what they showed, so these bars,
set a little under today's scores, guard against losing that generality.
"""

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate
from pipeline.runner import run

DATA = Path(__file__).resolve().parent / "data"
SETS = ["heldout", "heldout2", "genre", "genre2"]

# (field, measure) -> bar, the same for every set unless overridden below.
BARS = {
    ("sections", "f1"): 0.95,
    ("sections", "title"): 0.95,
    ("citations", "f1"): 0.95,
    ("citations", "issuer"): 0.9,
    ("citations", "mentions_exact"): 0.9,
    ("named_citations", "f1"): 0.85,
    ("targets", "f1"): 0.9,
    ("deadlines", "f1"): 0.9,
    ("responsibilities", "f1"): 0.9,
    ("document", "issuer"): 0.9,
    ("document", "title"): 0.9,
}
OVERRIDES = {
    ("genre2", "responsibilities", "f1"): 0.85,
}


@pytest.fixture(scope="module", params=SETS)
def measured(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    summary = run(DATA / request.param / "docs", out, quiet=True)
    assert not summary["failed"]
    return request.param, evaluate(out, DATA / request.param)["formats"]["all"]


def test_generalisation_bars(measured):
    name, scores = measured
    low = []
    for (field, measure), bar in BARS.items():
        bar = OVERRIDES.get((name, field, measure), bar)
        value = scores[field][measure]
        if value is not None and value < bar:
            low.append(f"{field} {measure} = {value} < {bar}")
    assert not low, f"{name}: " + "; ".join(low)
