"""Every notebook runs top to bottom, headless, on the outputs of an extraction of corpus/."""

import pytest

from pipeline.notebooks import execute, notebooks

NOTEBOOKS = notebooks()


def test_there_are_notebooks_for_each_question():
    names = " ".join(p.name for p in NOTEBOOKS)
    assert len(NOTEBOOKS) >= 3
    for topic in ("targets", "graph", "responsibilities"):
        assert topic in names


def _outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if kind(o)]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, corpus_outputs):
    nb = execute(path, corpus_outputs)  # raises on the first failing cell
    assert not _outputs(nb, lambda o: o.get("output_type") == "error")
    assert _outputs(nb, lambda o: "image/png" in o.get("data", {})), "no figure drawn"
