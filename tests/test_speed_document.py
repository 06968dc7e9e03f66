"""The hand-written ``to_dict`` of blocks and sections equals the plain ``asdict`` form.

``dataclasses.asdict`` was replaced for speed; these tests keep the two equal,
and fail when a field is added to :class:`Block` or :class:`Section` without
being written out.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from pipeline.document import Block, Section, Style, block_to_dict
from pipeline.process import parse
from pipeline.readers import read_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def plain_block(block: Block) -> dict:
    d = asdict(block)
    d["span"] = [d.pop("start"), d.pop("end")]
    d["style"] = {k: v for k, v in d["style"].items() if v is not None}
    return {k: v for k, v in d.items() if v not in (None, [], {})}


def plain_section(section: Section) -> dict:
    d = asdict(section)
    d["span"] = [d.pop("start"), d.pop("end")]
    d["title_span"] = [d.pop("title_start"), d.pop("title_end")]
    return d


def test_every_field_of_a_full_block_is_written_in_the_plain_order():
    block = Block(kind="table_row", text="1. Một", start=3, end=9, label="1.", label_source="typed",
                  style=Style(bold=True, italic=False, size=13.0, align="center", upper=False), page=2,
                  region="header", footnote_id="4", footnote_refs=["1", "2"], cells=["a", ""], table=0, level=1)
    assert list(block_to_dict(block).items()) == list(plain_block(block).items())
    empty = Block(kind="paragraph", text="")
    assert list(block_to_dict(empty).items()) == list(plain_block(empty).items())


def test_the_written_lists_are_copies():
    block = Block(kind="paragraph", text="x", footnote_refs=["1"], cells=["a"])
    d = block_to_dict(block)
    d["footnote_refs"].append("2")
    d["cells"].append("b")
    assert block.footnote_refs == ["1"] and block.cells == ["a"]


@pytest.mark.parametrize("path", sorted(p for d in ("txt", "docx", "pdf") for p in (CORPUS / d).iterdir()),
                         ids=lambda p: f"{p.parent.name}/{p.name[:3]}")
def test_real_documents_give_the_plain_dicts(path):
    document = read_document(path, path.name)
    for block in document.blocks:
        assert list(block_to_dict(block).items()) == list(plain_block(block).items())
    for section in parse(document).sections:
        assert list(section.to_dict().items()) == list(plain_section(section).items())


# ------------------------------------------------------------------ normalize_inline

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import normalize


def plain_normalize_inline(text: str) -> str:
    import unicodedata

    text = text.translate(normalize._TRANSLATE)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r", " ").replace("\n", " ")
    text = normalize._MULTISPACE.sub(" ", text).strip()
    return normalize.fold_tones(text)


ODD = "a hoà  thuỷ\u00a0\u200b\u00ad\u2011\ufffe\t\r\nLa\u0301\u0300 ĐOÀN  "


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(ODD) + ["x", "\u2003", "\u0301", "Q", "u", "y"]), max_size=40))
def test_normalize_inline_skips_only_steps_with_nothing_to_do(text):
    assert normalize.normalize_inline(text) == plain_normalize_inline(text)


def test_normalize_inline_on_real_lines():
    for path in sorted((CORPUS / "txt").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert normalize.normalize_inline(line) == plain_normalize_inline(line)


def test_every_vocabulary_file_loads_as_the_pure_python_loader_reads_it():
    import yaml

    from pipeline import vocab

    for path in sorted(vocab.MODELS_DIR.glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            assert vocab.load(path.stem) == yaml.safe_load(fh), path.name


# ------------------------------------------------------------------ section_at

from pipeline.document import Document, ParsedDocument


@pytest.mark.parametrize("path", sorted((CORPUS / "txt").glob("*.txt")), ids=lambda p: p.name[:3])
def test_section_at_answers_as_the_scan_at_every_offset(path):
    parsed = parse(read_document(path, path.name))
    assert parsed.sections
    for offset in range(-1, len(parsed.document.text) + 2):
        assert parsed.section_at(offset) is parsed._innermost_section(offset)


def test_section_at_with_sections_out_of_order_empty_and_repeated():
    def section(number: str, start: int, end: int) -> Section:
        return Section(number, number, "", 1, "arabic", start, end, start, start)

    sections = [section("1", 0, 50), section("2", 40, 45), section("3", 30, 35), section("4", 45, 45),
                section("5", 60, 80), section("6", 60, 80), section("7", 10, 20)]
    parsed = ParsedDocument(Document("x", "txt", "x" * 100, []), sections, [])
    for offset in range(-3, 105):
        assert parsed.section_at(offset) is parsed._innermost_section(offset), offset
