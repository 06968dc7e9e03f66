"""Every notebook runs top to bottom, headless, on the outputs of an extraction of corpus/."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_for_each_question():
    names = " ".join(p.name for p in NOTEBOOKS)
    assert len(NOTEBOOKS) >= 3
    for topic in ("targets", "graph", "responsibilities"):
        assert topic in names


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, corpus_outputs, monkeypatch):
    monkeypatch.setenv("VNRES_OUTPUTS", str(corpus_outputs))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    # Plots were drawn: at least one cell produced an image.
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "no figure produced"
