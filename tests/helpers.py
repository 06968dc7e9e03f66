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


DEV_STEMS = sorted(p.stem for p in (REPO / "corpus" / "txt").glob("*.txt"))


def dev_txt_results(extract) -> dict[str, tuple[Any, dict[str, Any]]]:
    """``extract(parsed, {})`` on each dev .txt document, beside its gold."""
    from pipeline.readers import read_document

    return {
        stem: (extract(parse(read_document(REPO / "corpus" / "txt" / f"{stem}.txt")), {}), dev_gold(stem))
        for stem in DEV_STEMS
    }


def pdf_from_objects(objects: list[bytes], root: int = 1, trailer_extra: str = "") -> bytes:
    """A PDF file from its numbered objects (``root`` is the catalog), with a correct
    cross-reference table; ``trailer_extra`` adds trailer entries (/Encrypt, /ID)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R{trailer_extra} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)

