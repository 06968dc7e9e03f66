"""Hostile input: every file here is built to cost memory or time, or to leak a file.

Each one must come back from :func:`pipeline.process.process_file` as an error with
the right ``error_kind``, without decompressing what it declares (peak Python
memory is measured with tracemalloc) and without crashing. The bombs are generated
here, small on disk; limits are patched small where a real-size file would be GBs.
"""

from __future__ import annotations

import dataclasses
import io
import json
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from pipeline import safety
from pipeline.process import process_file
from pipeline.readers import ReadError, read_document

REPO = Path(__file__).resolve().parents[1]
CORPUS_DOCX = sorted((REPO / "corpus" / "docx").glob("*.docx"))
CORPUS_PDF = sorted((REPO / "corpus" / "pdf").glob("*.pdf"))
SCANNED_PDF = REPO / "corpus" / "pdf-scanned" / "002_66fc0c121fd6263f.pdf"
MB = 1 << 20
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def processed(path: Path) -> tuple[dict, int]:
    """The result of ``process_file`` and the peak of Python memory it allocated."""
    tracemalloc.start()
    try:
        result = process_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def limited(monkeypatch, **changes) -> None:
    """Run with some limits of models/limits.yaml replaced."""
    patched = dataclasses.replace(safety.limits(), **changes)
    monkeypatch.setattr(safety, "limits", lambda: patched)


# --- building packages -------------------------------------------------------------

def _template_parts() -> dict[str, bytes]:
    document = docx.Document()
    document.add_paragraph("Nghị quyết số 02-NQ/TW về đổi mới tổ chức Công đoàn.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


_TEMPLATE = _template_parts()  # built before any test patches python-docx


def base_parts() -> dict[str, bytes]:
    """The parts of a small real .docx (python-docx's template and one paragraph)."""
    return dict(_TEMPLATE)


def write_docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def raw_zip(entries: list[dict]) -> bytes:
    """A ZIP written field by field, so that declared sizes, names, flags and offsets
    can say anything. Entry keys: ``name``, ``data`` (uncompressed), optional
    ``declared`` (uncompressed size written), ``flags``, ``offset_of`` (index of an
    earlier entry whose data this entry's directory record points to)."""
    out, central, offsets = bytearray(), bytearray(), []
    for entry in entries:
        name = entry["name"].encode()
        data = entry["data"]
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        payload = packer.compress(data) + packer.flush()
        crc, declared, flags = zlib.crc32(data), entry.get("declared", len(data)), entry.get("flags", 0)
        if "offset_of" in entry:
            offset = offsets[entry["offset_of"]]
        else:
            offset = len(out)
            out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, 8, 0, 0x21, crc, len(payload),
                               declared, len(name), 0) + name + payload
        offsets.append(offset)
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, 8, 0, 0x21, crc,
                               len(payload), declared, len(name), 0, 0, 0, 0, 0, offset) + name
    at = len(out)
    out += central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), at, 0)
    return bytes(out)


def raw_docx(path: Path, overrides: dict[str, dict]) -> Path:
    """A real small .docx written with :func:`raw_zip`, some entries' fields overridden."""
    entries = [{"name": name, "data": data, **overrides.get(name, {})} for name, data in base_parts().items()]
    entries += [{"name": name, **spec} for name, spec in overrides.items() if name not in base_parts()]
    path.write_bytes(raw_zip(entries))
    return path


def assert_error(result: dict, kind: str) -> None:
    assert result["error"], result
    assert result["error_kind"] == kind, (result["error_kind"], result["error"])
    assert result["stage"] == "read"
    assert result["remedy"]


# --- the real documents still read, and read the same ------------------------------

def test_a_generated_docx_reads(tmp_path):
    doc = read_document(write_docx(tmp_path / "ok.docx", base_parts()))
    assert "02-NQ/TW" in doc.text


@pytest.mark.parametrize("path", CORPUS_DOCX, ids=lambda p: p.stem)
def test_corpus_docx_read_identically_through_the_checked_package(path, monkeypatch):
    import pipeline.readers.docx as reader
    from tests.test_speed_docx import python_docx_parts

    checked = read_document(path).to_dict()
    monkeypatch.setattr(reader, "open_docx", python_docx_parts)  # python-docx on the file itself
    direct = read_document(path).to_dict()
    assert json.dumps(checked, sort_keys=True, default=str) == json.dumps(direct, sort_keys=True, default=str)


def test_corpus_docx_are_far_from_every_zip_limit():
    lim = safety.limits()
    for path in CORPUS_DOCX:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
        assert len(infos) < lim.zip_max_entries / 100
        worst = max(i.file_size / max(i.compress_size, 1) for i in infos)
        assert worst < lim.zip_max_ratio / 10, (path.name, worst)


# --- zip bombs -----------------------------------------------------------------------

def test_high_ratio_entry_of_zeros_is_refused_before_decompressing(tmp_path):
    parts = base_parts()
    parts["word/media/image1.png"] = bytes(60 * MB)  # deflates ≈ 1,000×
    path = write_docx(tmp_path / "ratio.docx", parts)
    assert path.stat().st_size < MB
    result, peak = processed(path)
    assert_error(result, "zip_bomb")
    assert "compression ratio" in result["error"]
    assert peak < 20 * MB  # the 60 MB were never decompressed


def test_declared_sizes_too_large_are_refused(tmp_path):
    path = raw_docx(tmp_path / "declared.docx", {"word/media/big.bin": {"data": b"x", "declared": 0xFFFFFFF0}})
    result, _ = processed(path)
    assert_error(result, "zip_bomb")
    assert "declares" in result["error"]


def test_total_declared_size_is_refused(tmp_path, monkeypatch):
    limited(monkeypatch, zip_max_total_mb=1.0)
    parts = base_parts()
    parts.update({f"word/media/image{i}.bin": bytes(range(256)) * 1200 for i in range(5)})  # 5 × 0.3 MB
    result, _ = processed(write_docx(tmp_path / "total.docx", parts))
    assert_error(result, "zip_bomb")
    assert "in all" in result["error"]


def test_xml_part_over_its_limit_is_refused_before_decompressing(tmp_path, monkeypatch):
    limited(monkeypatch, xml_max_part_mb=0.05)
    parts = base_parts()
    parts["word/document.xml"] = document_xml(paragraph("Điều 1. Nội dung") * 5000)  # 264 KB
    path = write_docx(tmp_path / "part.docx", parts)
    inflate = safety._inflate

    def only_content_types(fh, info, cap):
        assert info.filename == "[Content_Types].xml", f"{info.filename} was decompressed"
        return inflate(fh, info, cap)

    monkeypatch.setattr(safety, "_inflate", only_content_types)
    result, _ = processed(path)
    assert_error(result, "too_large")
    assert "'word/document.xml' is 264 KB; the limit is 51 KB" in result["error"]


def test_xml_parts_over_their_total_limit_are_refused(tmp_path, monkeypatch):
    limited(monkeypatch, xml_max_total_mb=0.3)
    parts = base_parts()  # the template's styles.xml alone is ≈ 0.2 MB
    parts["word/document.xml"] = document_xml(paragraph("Điều 1. Nội dung") * 4000)
    result, _ = processed(write_docx(tmp_path / "total.docx", parts))
    assert_error(result, "too_large")
    assert "XML parts of the package declare" in result["error"]


def test_too_many_entries_are_refused_from_the_end_record(tmp_path, monkeypatch):
    parts = base_parts()
    parts.update({f"customXml/item{i}.bin": b"" for i in range(safety.limits().zip_max_entries + 1)})
    path = write_docx(tmp_path / "entries.docx", parts)

    def never(*args, **kwargs):
        raise AssertionError("the central directory must be refused before zipfile parses it")

    monkeypatch.setattr(safety.zipfile, "ZipFile", never)
    result, _ = processed(path)
    assert_error(result, "zip_bomb")
    assert "entries" in result["error"]


def test_lying_declared_size_stops_at_the_declared_size(tmp_path):
    big = document_xml(paragraph("Điều 1.") * 200_000)  # ≈ 7 MB of XML, declared as 1 KB
    path = raw_docx(tmp_path / "lying.docx", {"word/document.xml": {"data": big, "declared": 1024}})
    result, peak = processed(path)
    assert_error(result, "zip_bomb")
    assert "lying size" in result["error"]
    assert peak < 5 * MB


def test_overlapping_entries_are_refused(tmp_path):
    parts = base_parts()
    entries = [{"name": name, "data": data} for name, data in parts.items()]
    entries += [{"name": f"word/media/copy{i}.xml", "data": parts["word/document.xml"], "offset_of": 0}
                for i in range(3)]
    path = tmp_path / "overlap.docx"
    path.write_bytes(raw_zip(entries))
    result, _ = processed(path)
    assert_error(result, "zip_bomb")
    assert "overlaps" in result["error"]


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "/etc/passwd", "C:/Windows/evil.xml",
                                  "word/../../outside.xml"])
def test_entry_names_that_leave_the_package_are_refused(tmp_path, name):
    path = raw_docx(tmp_path / "traversal.docx", {name: {"data": b"<x/>"}})
    result, _ = processed(path)
    assert_error(result, "zip_bomb")
    assert repr(name) in result["error"]


def test_password_protected_zip_entry_is_encrypted(tmp_path):
    path = raw_docx(tmp_path / "zipcrypto.docx", {"word/document.xml": {"data": document_xml(paragraph("x")),
                                                                       "flags": 1}})
    result, _ = processed(path)
    assert_error(result, "encrypted")


def test_truncated_docx(tmp_path):
    data = CORPUS_DOCX[0].read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    result, _ = processed(path)
    assert_error(result, "truncated")


# --- XML attacks -------------------------------------------------------------------

BILLION_LAUGHS = "<!DOCTYPE w:document [<!ENTITY lol \"lol\">" + "".join(
    f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + "]>"


@pytest.fixture
def python_docx_never_called(monkeypatch):
    """python-docx's own lxml parser must never see a refused part."""
    def never(*args, **kwargs):
        raise AssertionError("a hostile part reached python-docx")

    monkeypatch.setattr(docx, "Document", never)


def test_billion_laughs_is_refused_unexpanded(tmp_path, python_docx_never_called):
    parts = base_parts()
    parts["word/document.xml"] = document_xml(paragraph("&lol9;"), BILLION_LAUGHS)
    result, peak = processed(write_docx(tmp_path / "laughs.docx", parts))
    assert_error(result, "unsafe_xml")
    assert "DOCTYPE" in result["error"]
    assert peak < 5 * MB


def test_external_entity_never_leaks_the_file(tmp_path, python_docx_never_called):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT-KHẨU-4711")
    parts = base_parts()
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    parts["word/document.xml"] = document_xml(paragraph("&xxe;"), prolog)
    result, _ = processed(write_docx(tmp_path / "xxe.docx", parts))
    assert_error(result, "unsafe_xml")
    assert "MẬT-KHẨU-4711" not in json.dumps(result, ensure_ascii=False)


def test_entity_declared_in_another_part_is_refused(tmp_path, python_docx_never_called):
    parts = base_parts()
    styles = parts["word/styles.xml"]
    parts["word/styles.xml"] = styles.replace(b"?>", b'?><!DOCTYPE w:styles [<!ENTITY e "x">]>', 1)
    result, _ = processed(write_docx(tmp_path / "styles.docx", parts))
    assert_error(result, "unsafe_xml")
    assert "word/styles.xml" in result["error"]


def test_a_hostile_part_the_reader_never_reads_is_never_inflated_or_parsed(tmp_path, monkeypatch):
    """Parts are inflated and checked when the reader asks for them: a billion
    laughs in the theme (which no extractor needs) is never expanded, so the
    document reads; the same bytes in a part the reader reads are refused."""
    parts = base_parts()
    theme = next(name for name in parts if name.startswith("word/theme/"))
    parts[theme] = document_xml(paragraph("&lol9;"), BILLION_LAUGHS)
    inflated: list[str] = []
    original = safety.Package.xml

    def recording(self, name, *args, **kwargs):
        inflated.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(safety.Package, "xml", recording)
    result, _ = processed(write_docx(tmp_path / "theme.docx", parts))
    assert result["error"] is None and "02-NQ/TW" in result["text"]
    assert theme not in inflated and "word/document.xml" in inflated
    parts = base_parts()
    parts["word/numbering.xml"] = document_xml(paragraph("&lol9;"), BILLION_LAUGHS)
    result, _ = processed(write_docx(tmp_path / "numbering.docx", parts))
    assert_error(result, "unsafe_xml")


def test_utf16_doctype_is_seen(tmp_path, python_docx_never_called):
    parts = base_parts()
    text = document_xml(paragraph("&lol9;"), BILLION_LAUGHS).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    parts["word/document.xml"] = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    result, _ = processed(write_docx(tmp_path / "utf16.docx", parts))
    assert_error(result, "unsafe_xml")


def test_encoding_word_never_writes_is_refused(tmp_path, python_docx_never_called):
    parts = base_parts()
    parts["word/document.xml"] = document_xml(paragraph("x")).replace(b'encoding="UTF-8"', b'encoding="UTF-7"')
    result, _ = processed(write_docx(tmp_path / "utf7.docx", parts))
    assert_error(result, "unsafe_xml")


def test_100k_deep_nesting_is_too_deep(tmp_path):
    depth = 100_000
    body = "<w:sdt><w:sdtContent>" * depth + paragraph("x") + "</w:sdtContent></w:sdt>" * depth
    parts = base_parts()
    parts["word/document.xml"] = document_xml(body)
    result, _ = processed(write_docx(tmp_path / "deep.docx", parts))
    assert_error(result, "too_deep")


def test_nesting_past_the_limit_but_within_libxml2_is_too_deep(tmp_path):
    depth = safety.limits().xml_max_depth  # + document and body: two levels over the limit
    body = "<w:customXml>" * depth + paragraph("x") + "</w:customXml>" * depth
    parts = base_parts()
    parts["word/document.xml"] = document_xml(body)
    result, _ = processed(write_docx(tmp_path / "deep.docx", parts))
    assert_error(result, "too_deep")


def test_nesting_just_within_the_limit_reads_without_recursion_error(tmp_path):
    # Nested tables recurse deepest in the reader: w:tbl/w:tr/w:tc per level.
    levels = (safety.limits().xml_max_depth - 4) // 3
    cell = paragraph("Điều 1. Ô trong cùng")
    for _ in range(levels):
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc><w:tc>{paragraph('b')}</w:tc></w:tr></w:tbl>"
    parts = base_parts()
    parts["word/document.xml"] = document_xml(cell)
    result, _ = processed(write_docx(tmp_path / "nested.docx", parts))
    assert result["error"] is None, result["error"]
    assert "Ô trong cùng" in result["text"]


# --- huge files ----------------------------------------------------------------------

def test_huge_file_is_refused_by_its_size_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:  # sparse: 620 MB on paper, nothing on disk
        fh.truncate(620 * MB)

    def never(*args, **kwargs):
        raise AssertionError("a file over the size limit must not be opened")

    monkeypatch.setattr(Path, "open", never)
    monkeypatch.setattr(Path, "read_bytes", never)
    result, _ = processed(path)
    assert_error(result, "too_large")
    assert result["error"] == "huge.pdf is 620 MB; the limit for .pdf is 500 MB (models/limits.yaml)"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
def test_every_format_has_its_size_limit(tmp_path, monkeypatch, suffix):
    limited(monkeypatch, max_file_mb={**safety.limits().max_file_mb, suffix: 0.01})
    path = tmp_path / f"big{suffix}"
    path.write_bytes(b"Nghi quyet " * 2000)  # 22 KB
    result, _ = processed(path)
    assert_error(result, "too_large")
    assert f"the limit for {suffix} is 10 KB" in result["error"]


# --- PDF -----------------------------------------------------------------------------

def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF from its objects (1 = catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def flate(data: bytes, layers: int = 1) -> bytes:
    for _ in range(layers):
        data = zlib.compress(data, 9)
    filters = b" ".join([b"/FlateDecode"] * layers)
    return b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def text_pdf(pages: int = 1, content: bytes | None = None) -> bytes:
    stream = content or b"<< /Length 52 >>\nstream\nBT /F1 12 Tf 72 720 Td (Nghi quyet so 02-NQ/TW) Tj ET\nendstream"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", stream]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents 4 0 R >>"] * pages
    return pdf_file(objects)


def test_a_generated_pdf_reads(tmp_path):
    path = tmp_path / "ok.pdf"
    path.write_bytes(text_pdf())
    assert "02-NQ/TW" in read_document(path).text


def test_encrypted_pdf_is_reported_as_encrypted_never_as_a_scan(tmp_path, monkeypatch):
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    import pipeline.readers.ocr as ocr

    def never(*args, **kwargs):
        raise AssertionError("an encrypted PDF must not go to OCR")

    monkeypatch.setattr(ocr, "ocr_runs", never)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Nghi quyet so 02-NQ/TW")
    pdf.set_encryption(owner_password="owner", user_password="user", encryption_method=EncryptionMethod.AES_128)
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    result, _ = processed(path)
    assert_error(result, "encrypted")


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_read_with_a_warning_or_reported(tmp_path, fraction):
    data = CORPUS_PDF[0].read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    result, _ = processed(path)
    if result["error"]:
        assert result["error_kind"] in ("truncated", "no_text"), result["error"]
    else:
        assert any("truncated" in w for w in result["warnings"])


def test_pdf_cut_before_its_end_is_repaired_with_a_warning_or_reported_truncated(tmp_path):
    whole = text_pdf(pages=3)
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: whole.rindex(b"startxref")])  # pdfium rebuilds the table
    result, _ = processed(path)
    assert result["error"] is None and result["pages"] == 3
    assert any("truncated" in w for w in result["warnings"])
    path.write_bytes(whole[: whole.rindex(b"trailer")])  # no trailer: beyond repair
    result, _ = processed(path)
    assert_error(result, "truncated")


def test_broken_cross_reference_table_is_repaired_or_reported(tmp_path):
    data = bytearray(CORPUS_PDF[1].read_bytes())
    xref = data.rfind(b"startxref")
    data[xref + 10:xref + 16] = b"999999"  # startxref points nowhere
    for at in range(0, len(data) - 20):  # every xref entry offset shifted
        if data[at:at + 5] == b"xref\n":
            data[at + 40:at + 48] = b"00000017"
    path = tmp_path / "xref.pdf"
    path.write_bytes(bytes(data))
    result, _ = processed(path)
    if result["error"]:
        assert result["error_kind"] in ("corrupt", "truncated"), result["error"]
    else:
        assert len(result["text"]) > 1000


def test_page_count_over_the_limit_is_too_large(tmp_path, monkeypatch):
    limited(monkeypatch, pdf_max_pages=50)
    path = tmp_path / "pages.pdf"
    path.write_bytes(text_pdf(pages=51))
    result, _ = processed(path)
    assert_error(result, "too_large")
    assert "51 pages; the limit for .pdf is 50 pages" in result["error"]


@pytest.mark.parametrize("count", [1, 1_000_000])
def test_endless_page_tree_is_bounded(tmp_path, count):
    # The page tree's kid is the tree itself: a cycle pdfium must not follow forever;
    # with a huge /Count the page limit refuses it first.
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count %d >>" % count,
               b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count %d >>" % count]
    path = tmp_path / "cycle.pdf"
    path.write_bytes(pdf_file(objects))
    result, _ = processed(path)
    assert_error(result, "too_large" if count > safety.limits().pdf_max_pages else "corrupt")


@pytest.mark.parametrize("layers", [1, 2], ids=["flate", "flate-of-flate"])
def test_decompression_bomb_stream_is_refused_before_pdfium(tmp_path, monkeypatch, layers):
    limited(monkeypatch, pdf_max_stream_mb=4.0)
    content = b"BT /F1 12 Tf 72 720 Td (Nghi quyet) Tj ET" + b" " * (24 * MB)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(text_pdf(content=flate(content, layers)))
    assert path.stat().st_size < MB
    import pypdfium2

    def never(*args, **kwargs):
        raise AssertionError("pdfium must not open a decompression bomb")

    monkeypatch.setattr(pypdfium2, "PdfDocument", never)
    result, peak = processed(path)
    assert_error(result, "zip_bomb")
    assert "decodes to more than 4.0 MB" in result["error"]
    assert peak < 8 * MB


def test_many_streams_are_bounded_together(tmp_path, monkeypatch):
    limited(monkeypatch, pdf_max_stream_mb=3.0, pdf_max_total_stream_mb=5.0)
    pieces = [flate(b"BT /F1 12 Tf 72 720 Td (Dieu) Tj ET" + b" " * (2 * MB)) for _ in range(3)]  # 2 MB each
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
               b"/Contents [5 0 R 6 0 R 7 0 R] >>", *pieces]
    path = tmp_path / "streams.pdf"
    path.write_bytes(pdf_file(objects))
    result, _ = processed(path)
    assert_error(result, "zip_bomb")
    assert "5.0 MB in all" in result["error"]
    limited(monkeypatch, pdf_max_stream_mb=3.0, pdf_max_total_stream_mb=7.0)
    assert processed(path)[0]["error"] is None  # 6 MB in all: read


def test_corpus_pdf_streams_are_within_the_limit():
    for path in [*CORPUS_PDF, SCANNED_PDF]:
        safety.check_pdf_streams(path)  # raises if a stream passes pdf.max_stream_mb


def test_scanned_pdf_over_the_ocr_page_limit_is_too_large(monkeypatch):
    import pipeline.readers.ocr as ocr

    def never(*args, **kwargs):
        raise AssertionError("no page may be OCRed past the limit")

    monkeypatch.setattr(ocr, "run_tesseract", never)
    limited(monkeypatch, ocr_max_pages=2)
    result, _ = processed(SCANNED_PDF)
    assert_error(result, "too_large")
    assert "OCR is limited to 2 pages" in result["error"]


def test_huge_page_is_rendered_within_the_pixel_limit(tmp_path):
    import pypdfium2

    from pipeline.readers.ocr import DPI, page_dpi

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>",  # 200 × 200 inches
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]  # A4
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf_file(objects))
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        huge = page_dpi(pdf, 0)
        assert (200 * huge) ** 2 <= safety.limits().ocr_max_megapixels * 1e6
        assert page_dpi(pdf, 1) == DPI
    finally:
        pdf.close()


def test_limits_are_data(monkeypatch):
    lim = safety.limits()
    assert lim.file_limit_mb(".pdf") == 500 and lim.file_limit_mb(".docx") == 100
    assert lim.file_limit_mb(".TXT") == 50 and lim.file_limit_mb(".xyz") == lim.max_file_mb["default"]
    with pytest.raises(ReadError) as caught:
        safety.check_xml("word/x.xml", b'<?xml version="1.0"?><!DOCTYPE x><x/>')
    assert caught.value.kind == "unsafe_xml"
