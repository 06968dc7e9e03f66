"""Helpers shared by the test modules: paths, gold files, documents from sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.builder import DocumentBuilder
from pipeline.document import ParsedDocument
from pipeline.process import parse

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO.parent / "shared" / "gold" / "dev"


def parsed(*paragraphs: str) -> ParsedDocument:
    """A parsed document whose blocks are the given paragraphs, in order."""
    builder = DocumentBuilder("case.txt", "txt")
    for paragraph in paragraphs:
        builder.add(paragraph)
    return parse(builder.build())


def dev_gold(stem: str) -> dict[str, Any]:
    return json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))
