"""Every messy real document of ``shared/corpus/wild`` (Word converted to
Markdown: broken header tables, hard-wrapped lines, stray emphasis marks) reads
and gives a plausible section tree."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from pipeline.readers import read_document
from pipeline.sections import build_sections

WILD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
FILES = sorted(WILD.glob("*.md")) if WILD.exists() else []

pytestmark = pytest.mark.skipif(not FILES, reason="wild corpus not available")

# Independent of the reader: raw lines that plainly open an article or a
# Roman-numbered heading ("**Điều 1.", "## II. NHIỆM VỤ").
_OBVIOUS = regex.compile(r"^[#*_\s]*(?:Điều\s+\d+\s*\.|(?:I|II|III|IV|V)\.\s+\p{Lu}{2,})", regex.MULTILINE)


@pytest.fixture(scope="module")
def parsed():
    out = {}
    for path in FILES:
        doc = read_document(path)
        out[path.name] = (path, doc, build_sections(doc))
    return out


def test_all_wild_files_read(parsed):
    assert len(parsed) == len(FILES) == 120
    for name, (_, doc, _) in parsed.items():
        assert doc.blocks, name
        for b in doc.blocks:
            assert doc.text[b.start : b.end] == b.text, name
            assert "**" not in b.text and "[bookmark" not in b.text, (name, b.text[:60])


def test_wild_trees_are_well_formed(parsed):
    for name, (_, doc, secs) in parsed.items():
        seen: dict[str, object] = {}  # path -> the latest section printed with it
        for s in secs:
            if s.parent is None:
                assert s.level == 1, (name, s.path)
            else:
                parent = seen.get(s.parent)
                assert parent is not None, (name, s.path)
                assert s.level == parent.level + 1, (name, s.path)
                assert s.path.startswith(parent.path + "/"), (name, s.path)
                assert parent.start <= s.start and s.end <= parent.end, (name, s.path)
            assert s.start <= s.title_start <= s.title_end <= s.end, (name, s.path)
            block = doc.block_at(s.start)
            assert block is not None and block.region == "body" and block.kind != "table_row", (name, s.path)
            seen[s.path] = s


def test_no_wild_section_number_is_a_year_or_quantity(parsed):
    for name, (_, _, secs) in parsed.items():
        for s in secs:
            if s.kind == "arabic":
                assert int(s.number) < 200, (name, s.number)
            if s.kind == "dotted":
                assert all(len(p) <= 2 for p in s.number.split(".")), (name, s.number)


def test_documents_with_obvious_headings_have_sections(parsed):
    checked = 0
    for name, (path, _, secs) in parsed.items():
        raw = path.read_text(encoding="utf-8")
        if len(_OBVIOUS.findall(raw)) >= 2:
            checked += 1
            assert secs, name
            assert any(s.kind in ("article", "roman") for s in secs), name
    assert checked >= 60


def test_wild_header_tables_are_header_region(parsed):
    # Converted documents open with the issuer / quốc hiệu / Số / date table.
    checked = 0
    for name, (path, doc, _) in parsed.items():
        head = "\n".join(path.read_text(encoding="utf-8").split("\n")[:120])
        if "|" not in head or "CỘNG HÒA XÃ" not in head.replace("\n", " "):
            continue
        checked += 1
        header = [b.text for b in doc.blocks if b.region == "header"]
        assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t for t in header), name
        assert any(regex.match(r"^Số\s*:?\s*\d", t) for t in header), name
        assert not any(b.region == "header" for b in doc.blocks if b.kind == "heading"), name
    assert checked >= 90
