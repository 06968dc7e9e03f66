"""Shared fixtures: the real corpus extracted once per test session."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
GOLD_DIR = REPO.parent / "shared" / "gold" / "dev"


@pytest.fixture(scope="session")
def corpus_outputs(tmp_path_factory) -> Path:
    """``make extract`` over ``corpus/`` into a temporary OUTPUT directory."""
    from pipeline.runner import run

    out = tmp_path_factory.mktemp("outputs")
    run(CORPUS, out, quiet=True)
    return out
