"""Benchmark machinery on a tiny generated corpus (no timing is asserted)."""

from __future__ import annotations

import hashlib
import random
import zipfile
from pathlib import Path

import pytest

from pipeline import bench, benchcorpus
from pipeline.benchcorpus import Varier, change, generate


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    generate(out, n=10, processes=1)
    return out


def test_mix_and_every_document_distinct(tiny):
    files = sorted(p for p in tiny.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert [p.suffix for p in files].count(".pdf") == 4
    assert [p.suffix for p in files].count(".docx") == 4
    assert [p.suffix for p in files].count(".txt") == 2
    assert len({sha(p) for p in files}) == 10


def test_generated_pdf_has_vietnamese_text_and_page_numbers(tiny):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(tiny / "pdf" / "pdf-00000.pdf")
    first = pdf[0].get_textpage().get_text_range()
    assert len(pdf) > 3
    assert "CHƯƠNG TRÌNH HÀNH ĐỘNG" in first or "NGHỊ QUYẾT" in first.upper()
    assert "#" not in first and "**" not in first  # the txt's Markdown is not printed
    assert first.rstrip().splitlines()[-1].strip() == "1"


def test_generated_docx_keeps_structure_and_varies_text(tiny):
    import docx

    source = sorted((benchcorpus.SOURCE_CORPUS / "docx").glob("*.docx"))[0]
    made = tiny / "docx" / "docx-00000.docx"
    original, varied = docx.Document(source), docx.Document(made)
    assert len(varied.paragraphs) == len(original.paragraphs)
    assert len(varied.tables) == len(original.tables)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(made) as b:
        assert a.namelist() == b.namelist()
        assert a.read("word/numbering.xml") == b.read("word/numbering.xml")
    assert [p.text for p in varied.paragraphs] != [p.text for p in original.paragraphs]


def test_varier_changes_numbers_dates_symbols_but_keeps_section_numbers():
    text = ("II. NHIỆM VỤ\n2.1. Phấn đấu 85,5% đoàn viên; Nghị quyết số 02-NQ/TW ngày 12/6/2021, "
            "Quyết định 1729/QĐ-TTg, ngày 15 tháng 3 năm 2023, giai đoạn 2023-2028, tăng cường 24.500 người")
    varied = Varier(random.Random(7)).vary(text)
    assert varied.startswith("II. NHIỆM VỤ\n2.1. ")
    assert varied != text
    assert "02-NQ/TW" not in varied and "-NQ/TW" in varied
    assert "1729/QĐ-TTg" not in varied and "/QĐ-TTg" in varied
    import regex

    day, month, year = map(int, regex.search(r"ngày (\d+)/(\d+)/(\d{4})", varied).groups())
    assert 1 <= day <= 28 and 1 <= month <= 12 and year != 2021
    start, end = map(int, regex.search(r"giai đoạn (\d{4})-(\d{4})", varied).groups())
    assert end - start == 5  # one shift for the whole document keeps ranges consistent


def test_generation_is_skipped_when_present_and_change_is_reversible(tiny):
    pdf = tiny / "pdf" / "pdf-00001.pdf"
    before, mtime = sha(pdf), pdf.stat().st_mtime_ns
    generate(tiny, n=10, processes=1)
    assert pdf.stat().st_mtime_ns == mtime
    change(tiny, ["pdf/pdf-00001.pdf", "txt/txt-00000.txt"], variant=1)
    assert sha(pdf) != before
    change(tiny, ["pdf/pdf-00001.pdf", "txt/txt-00000.txt"], variant=0)
    assert sha(pdf) == before


@pytest.mark.slow
def test_bench_report_on_a_tiny_corpus(tmp_path, tiny):
    corpus = tmp_path / "corpus"
    import shutil

    shutil.copytree(tiny, corpus)
    # Asking for 5 documents shrinks the copied corpus of 10: 2 pdf, 2 docx, 1 txt.
    report = bench.bench(corpus, tmp_path / "run", docs=5, workers=2, naive_sample=2,
                         profile_sample=2, json_path=tmp_path / "bench.json")
    assert (tmp_path / "bench.json").exists()
    assert len(list((corpus / "pdf").glob("*.pdf"))) == 2
    for name in ("pipeline", "floor"):
        assert report[name]["documents"] == 5
        assert report[name]["pages"] >= 5
        assert report[name]["peak_memory_mb"] > 0
    assert report["floor"]["pages"] >= 2 * 4  # the two PDFs have several pages each
    assert report["naive"]["documents"] == 2 and report["naive"]["sampled"]
    profile = report["step_profile_ms_per_document"]
    assert sum(v["documents"] for v in profile.values()) == 2
    assert any(k.startswith("extract:") for v in profile.values() for k in v)
    assert report["warm"]["changed_documents"] == 1
    assert report["warm"]["changed_processed"] == 1
    assert set(report["pipeline"]["stages"]["worker_seconds"]) == set(bench.STAGES)
    assert set(report["targets"]) == set(bench.TARGETS) | set(bench.FIGURES)
    assert report["targets"]["warm_changed_vs_cold"]["met"] is None  # reported, not a bar
    assert "| pipeline |" in bench.table(report)
    # The corpus was restored after the 1% change.
    assert sha(corpus / "pdf" / "pdf-00000.pdf") == sha(tiny / "pdf" / "pdf-00000.pdf")
