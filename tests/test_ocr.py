"""OCR of scanned PDFs: the real scan of 002 (needs tesseract + vie) and the parts
that do not need tesseract — post-OCR fixes, TSV parsing, a clear error when
tesseract or its Vietnamese data is missing."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

import pipeline.readers.ocr as ocr
from pipeline.normalize import normalize_inline
from pipeline.readers import ReadError, read_document
from tests.test_reader_pdf import make_pdf, write_pdf

REPO = Path(__file__).resolve().parents[1]
SCANNED = REPO / "corpus" / "pdf-scanned" / "002_66fc0c121fd6263f.pdf"
TXT = REPO / "corpus" / "txt" / "002_66fc0c121fd6263f.txt"
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"


def _tesseract_problem() -> str | None:
    ocr._tesseract_status.cache_clear()
    return ocr._tesseract_status()[1]


# ---------------------------------------------------------------------------
# The real scan


@pytest.fixture(scope="module")
def scanned():
    problem = _tesseract_problem()
    if problem:
        pytest.skip(f"OCR unavailable: {problem}")
    return read_document(SCANNED, "pdf-scanned/002_66fc0c121fd6263f.pdf")


@pytest.mark.ocr
def test_scan_read_through_ocr(scanned):
    assert scanned.format == "pdf-ocr"
    assert scanned.pages == 9
    assert scanned.meta["ocr_pages"] == list(range(1, 10))
    assert all(b.page is not None for b in scanned.blocks)


@pytest.mark.ocr
def test_scan_text_close_to_txt_rendition(scanned):
    reference = normalize_inline(re.sub(r"[*#\\]", " ", TXT.read_text(encoding="utf-8")))
    ours = re.sub(r"[*]", " ", scanned.text)
    ratio = difflib.SequenceMatcher(None, reference.split(), ours.split(), autojunk=False).ratio()
    assert ratio > 0.97, ratio


@pytest.mark.ocr
def test_scan_symbol_and_header(scanned):
    assert "02-NQ/TW" in scanned.text
    header = [b.text for b in scanned.blocks if b.region == "header"]
    assert "Số 02-NQ/TW" in header
    assert header.index("BAN CHẤP HÀNH TRUNG ƯƠNG") < header.index("Số 02-NQ/TW")
    # No page number survives as a block of its own.
    assert not any(re.fullmatch(r"\d{1,2}", b.text) for b in scanned.blocks)
    # Paragraphs are re-joined: the first point of I is one block.
    first = next(b for b in scanned.blocks if b.text.startswith("1. Trải qua hơn 90 năm"))
    assert first.text.endswith("khối đại đoàn kết toàn dân tộc.")
    assert first.label == "1."


@pytest.mark.ocr
@pytest.mark.skipif(not GOLD_DIR.is_dir(), reason="gold files not beside the repository")
def test_scan_sections_equal_gold(scanned):
    from pipeline.sections import build_sections

    gold = json.loads((GOLD_DIR / "002_66fc0c121fd6263f.gold.json").read_text(encoding="utf-8"))["sections"]
    assert [s.path for s in build_sections(scanned)] == [g["path"] for g in gold]


# ---------------------------------------------------------------------------
# Without tesseract


def test_missing_tesseract_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr._tesseract_status.cache_clear()
    path = write_pdf(tmp_path, "scan.pdf", make_pdf([{"image": True}]))
    try:
        with pytest.raises(ReadError, match="make system-deps") as info:
            read_document(path)
        assert "tesseract-ocr-vie" in str(info.value)
    finally:
        ocr._tesseract_status.cache_clear()


def test_missing_vietnamese_data_says_how_to_install(tmp_path, monkeypatch):
    class Listing:
        stdout = "List of available languages (2):\neng\nosd\n"
        stderr = ""

    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: Listing())
    ocr._tesseract_status.cache_clear()
    path = write_pdf(tmp_path, "scan.pdf", make_pdf([{"image": True}]))
    try:
        with pytest.raises(ReadError, match="Vietnamese"):
            read_document(path)
    finally:
        ocr._tesseract_status.cache_clear()


def test_post_ocr_fixes_inside_symbols_only():
    fix = ocr.fix_text
    assert fix("theo Quyết định số 1729/QD-TTg ngày 04/11/2020") == "theo Quyết định số 1729/QĐ-TTg ngày 04/11/2020"
    assert fix("Nghị định 191/2013/ND-CP") == "Nghị định 191/2013/NĐ-CP"
    assert fix("Quy định số 08-QDi/TW") == "Quy định số 08-QĐi/TW"
    assert fix("Nghị quyết số 02—NQ/TW") == "Nghị quyết số 02-NQ/TW"
    assert fix("Nghị quyết số 02-NQ/TVV") == "Nghị quyết số 02-NQ/TW"
    assert fix("Kết luận 79-KL/ TW") == "Kết luận 79-KL/TW"
    assert fix("Chương trình 02/CTr-BCH và 1500b/KL-TLD") == "Chương trình 02/CTr-BCH và 1500b/KL-TLĐ"
    # Outside a symbol nothing changes: words, dates, amounts, a bare "QD".
    for text in ("QD là viết tắt", "ngày 12/6/2021", "13,5 triệu", "xứng đáng", "ND", "LĐLD tỉnh"):
        assert fix(text) == text


def test_post_ocr_phrase_fixes_are_whole_words():
    fix = ocr.fix_text
    assert fix("ĐÁNG CỘNG SẢN VIỆT NAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert fix("về đối mới tổ chức") == "về đổi mới tổ chức"
    assert fix("TỐNG BÍ THƯ") == "TỔNG BÍ THƯ"
    assert fix("đối mớii") == "đối mớii"  # not a whole-word match
    assert fix("xứng đáng với") == "xứng đáng với"


def test_tsv_words_become_runs():
    tsv = "\n".join(
        [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "4\t1\t1\t1\t1\t0\t300\t1000\t900\t60\t-1\t",
            "5\t1\t1\t1\t1\t1\t300\t1005\t60\t50\t96\t1.",
            "5\t1\t1\t1\t1\t2\t380\t1000\t200\t55\t95\tNghị",
            "5\t1\t1\t1\t1\t3\t600\t1000\t200\t55\t95\tquyết",
            "5\t1\t1\t1\t1\t4\t820\t1020\t10\t8\t70\t~",  # a speck of dirt
            "5\t1\t1\t1\t1\t5\t850\t1000\t20\t6\t0\t>x",  # no confidence
        ]
    )
    runs = ocr.tsv_runs(tsv, dpi=300)
    assert [r.text for r in runs] == ["1. ", "Nghị ", "quyết "]
    first = runs[0]
    assert first.x0 == pytest.approx(300 * 72 / 300)
    assert first.size == pytest.approx(60 * 72 / 300, abs=0.1)
