"""The .pdf reader on the five real documents and on hand-written PDFs.

The real files are Word exports of Vietnamese resolutions: hard-wrapped lines,
a page number as the last line of every page, a footnote mark glued to its word,
borderless two-column header/signature blocks, and a ruled annex table (003).
The same document as .txt is the reference for the re-joined paragraphs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.normalize import normalize_inline
from pipeline.readers import ReadError, read_document

from .helpers import pdf_from_objects

REPO = Path(__file__).resolve().parents[1]
PDF_DIR = REPO / "corpus" / "pdf"
TXT_DIR = REPO / "corpus" / "txt"
GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"
STEMS = sorted(p.stem for p in PDF_DIR.glob("*.pdf"))


# ---------------------------------------------------------------------------
# A minimal PDF writer (pypdfium2 and pdfplumber cannot write PDFs)


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[dict], *, encrypt: bool = False, size: tuple[int, int] = (595, 842)) -> bytes:
    """A PDF whose pages hold Helvetica text lines and/or one grey image.

    ``pages``: ``[{"lines": [(x, y, font_size, "text"), ...], "image": bool}]``;
    y is measured from the bottom as PDF does. ``encrypt`` adds a standard
    security handler whose user password is not empty, so the file needs one.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        ops = []
        resources = f"/Font << /F1 {font} 0 R >>"
        for x, y, fsize, text in page.get("lines", []):
            ops.append(f"BT /F1 {fsize} Tf {x} {y} Td {_pdf_string(text)} Tj ET")
        if page.get("image"):
            pixels = bytes((i * 37) % 256 for i in range(64))
            image = add(
                b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 64 >>\nstream\n" + pixels + b"\nendstream"
            )
            resources += f" /XObject << /Im1 {image} 0 R >>"
            ops.append("q 400 0 0 500 90 200 cm /Im1 Do Q")
        content = "\n".join(ops).encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
                f"/Resources << {resources} >> /Contents {stream} 0 R >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    trailer_extra = ""
    if encrypt:
        enc = add(
            b"<< /Filter /Standard /V 1 /R 2 /P -44 "
            b"/O <" + b"a1" * 32 + b"> /U <" + b"b2" * 32 + b"> >>"
        )
        trailer_extra = f" /Encrypt {enc} 0 R /ID [<{'c3' * 16}> <{'c3' * 16}>]"
    return pdf_from_objects(objects, root=catalog, trailer_extra=trailer_extra)


def write_pdf(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------
# The five real documents


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {stem: read_document(PDF_DIR / f"{stem}.pdf", f"pdf/{stem}.pdf") for stem in STEMS}


def _txt_lines(stem: str) -> list[str]:
    raw = (TXT_DIR / f"{stem}.txt").read_text(encoding="utf-8")
    raw = re.sub(r"\[bookmark:[^\]]*\]|\[footnoteRef:\d+\]|\[\d+:[^\]]*\]", "", raw)
    lines = [normalize_inline(re.sub(r"[*#\\]", "", line)) for line in raw.split("\n")]
    return [line for line in lines if len(line) > 25]


def test_five_documents_are_read(docs):
    assert len(docs) == 5
    for stem, doc in docs.items():
        assert doc.format == "pdf"
        assert doc.pages and doc.pages > 1
        assert all(b.page is not None and 1 <= b.page <= doc.pages for b in doc.blocks), stem
        assert unicodedata.normalize("NFC", doc.text) == doc.text
        assert "\ufffe" not in doc.text and "\x02" not in doc.text


def test_no_page_numbers_in_text(docs):
    for stem, doc in docs.items():
        for block in doc.blocks:
            if block.kind == "table_row":
                continue
            assert not re.fullmatch(r"\d{1,3}", block.text), (stem, block)
            # A page number glued to the end of a paragraph would show as " 12" after a full stop.
            assert not re.search(r"[.;:] \d{1,2}$", block.text), (stem, block.text[-60:])


def test_paragraphs_rejoined_like_the_txt_rendition(docs):
    """Every paragraph line of the .txt rendition lies inside one block of the PDF."""
    for stem, doc in docs.items():
        texts = [re.sub(r"[*#\\]", "", b.text) for b in doc.blocks]
        lines = _txt_lines(stem)
        missing = [line for line in lines if not any(line in t for t in texts)]
        # 002's .txt carries the e-signature stamp and a filing note that the PDF does not print.
        allowed = {"Email: bochintri@vptw.dcs.vn", "VĂN PHÒNG TỈNH ỦY ĐIỆN BIÊN"}
        missing = [m for m in missing if not any(m.startswith(a) for a in allowed)]
        assert not missing, (stem, missing[:3])


def test_known_sentence_in_one_block(docs):
    doc = docs["000_87603f58eecd4578"]
    sentence = (
        "- Chương trình hành động là cơ sở để các liên đoàn lao động tỉnh, thành phố, công đoàn ngành "
        "Trung ương và tương đương, công đoàn tổng công ty trực thuộc Tổng Liên đoàn Lao động Việt Nam "
        "xây dựng Chương trình hành động tại cấp mình và chỉ đạo xây dựng văn bản thực hiện ở cấp dưới."
    )
    assert any(b.text == sentence for b in doc.blocks)


def test_symbols_broken_at_hyphen_are_whole(docs):
    for stem in ("000_87603f58eecd4578", "003_1daefe2fb569c266", "004_9cab99cc97ae365a"):
        text = docs[stem].text
        assert "79-KL/TW" in text, stem
        assert not re.search(r"79-\s+KL/TW|79\s+-KL", text), stem
    text = docs["003_1daefe2fb569c266"].text
    assert "số 399/CTr-TLĐ và Nghị quyết số 20-NQ/TW" in text  # pdfium's U+FFFE hyphen
    assert not re.search(r"399/CTr\s+TLĐ|399/CTr-\s+TLĐ", text)


def test_footnote_separated_from_body(docs):
    doc = docs["000_87603f58eecd4578"]
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [(n.footnote_id, n.text, n.region) for n in notes] == [("1", "Công chức, viên chức, người lao động", "footnotes")]
    body = [b for b in doc.blocks if b.kind != "footnote"]
    assert not any("CCVCLĐ1" in b.text for b in body)
    assert not any("Công chức, viên chức, người lao động" in b.text for b in body)
    cited = [b for b in body if b.footnote_refs]
    assert len(cited) == 1 and "70% trở lên đoàn viên, CCVCLĐ được tham gia" in cited[0].text
    # Footnotes come after the body, so body offsets do not depend on them.
    assert doc.blocks[-1].kind == "footnote"


def test_header_cells_in_reading_order(docs):
    doc = docs["002_66fc0c121fd6263f"]
    header = [b.text for b in doc.blocks if b.region == "header"]
    assert header[0] == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header
    assert header.index("BAN CHẤP HÀNH TRUNG ƯƠNG") < header.index("Số 02-NQ/TW")
    assert header.index("ĐẢNG CỘNG SẢN VIỆT NAM") < header.index("Hà Nội, ngày 12 tháng 6 năm 2021")
    assert header.index("Số 02-NQ/TW") < header.index("Hà Nội, ngày 12 tháng 6 năm 2021")
    # Nothing interleaved: no block mixes the issuer column with the quốc hiệu column.
    for stem, d in docs.items():
        for b in d.blocks:
            if b.region == "header":
                assert not ("Số" in b.text and "ngày" in b.text), (stem, b.text)
                assert not ("CỘNG" in b.text and "LIÊN ĐOÀN" in b.text), (stem, b.text)
    first_body = next(b for b in doc.blocks if b.region == "body")
    assert first_body.text == "NGHỊ QUYẾT"


def test_signature_and_recipients_regions(docs):
    doc = docs["001_6aebd239dd393bed"]
    recipients = [b.text for b in doc.blocks if b.region == "recipients"]
    signature = [b.text for b in doc.blocks if b.region == "signature"]
    assert recipients[0] == "Nơi nhận:"
    assert "- Ủy ban TW Mặt trận Tổ quốc và các đoàn thể - chính trị tỉnh;" in recipients
    assert recipients[-1] == "- Lưu: VT, VP."
    assert signature == ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Hoàng Thọ Trung"]
    # The body ends before the signature block.
    last_body = [b for b in doc.blocks if b.region == "body"][-1]
    assert last_body.text.startswith("Trên đây là Chương trình hành động")


def test_ruled_table_rows(docs):
    doc = docs["003_1daefe2fb569c266"]
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert rows and all(b.cells and len(b.cells) == 4 for b in rows)
    header = ["TT", "Nội dung", "Đơn vị tính", "Số liệu"]
    assert rows[0].cells == header
    assert sum(1 for b in rows if b.cells == header) == 1  # repeated header on page 11 dropped
    by_number = {b.cells[0]: b for b in rows if b.cells[0]}
    assert by_number["4.7"].cells[1].startswith("Số cán bộ chủ chốt công đoàn các cấp được bồi dưỡng, tập huấn")
    assert by_number["7.2"].page == 11
    # The table's text is not also read as running paragraphs.
    assert not any(b.kind != "table_row" and "Số cán bộ chủ chốt công đoàn" in b.text for b in doc.blocks)


def test_labels_and_styles(docs):
    doc = docs["000_87603f58eecd4578"]
    by_text = {b.text[:25]: b for b in doc.blocks}
    roman = by_text["I. MỤC ĐÍCH, YÊU CẦU"]
    assert (roman.label, roman.label_source, roman.style.bold, roman.kind) == ("I.", "typed", True, "heading")
    dotted = next(b for b in doc.blocks if b.text.startswith("1.1. Tham mưu"))
    assert (dotted.label, dotted.label_source, dotted.style.bold) == ("1.1.", "typed", False)
    bullet = next(b for b in doc.blocks if b.text.startswith("- Phấn đấu bình quân mỗi năm"))
    assert (bullet.kind, bullet.label) == ("list_item", "-")
    assert doc.pages == 14
    party = docs["002_66fc0c121fd6263f"]
    assert any(b.label == "I-" and b.text == "I- TÌNH HÌNH VÀ NGUYÊN NHÂN" for b in party.blocks)


def test_offsets_point_into_text(docs):
    for doc in docs.values():
        for b in doc.blocks:
            assert doc.text[b.start : b.end] == b.text


@pytest.mark.skipif(not GOLD_DIR.is_dir(), reason="gold files not beside the repository")
def test_section_paths_equal_gold(docs):
    from pipeline.sections import build_sections

    for stem, doc in docs.items():
        gold = json.loads((GOLD_DIR / f"{stem}.gold.json").read_text(encoding="utf-8"))["sections"]
        paths = [s.path for s in build_sections(doc)]
        assert paths == [g["path"] for g in gold], stem


# ---------------------------------------------------------------------------
# Hand-written PDFs: the rules on the genre's patterns, and broken files


def _body_page(lines: list[str], number: int, top: int = 780, indent_first: bool = True) -> dict:
    out = []
    y = top
    for i, text in enumerate(lines):
        out.append((72 + (30 if indent_first and i == 0 else 0), y, 12, text))
        y -= 16
    out.append((290, 40, 11, str(number)))  # page number as the last line
    return {"lines": out}


def test_synthetic_wrapping_symbols_and_page_numbers(tmp_path):
    page1 = _body_page(
        [
            "Thuc hien Ket luan so 79-",
            "KL/TW ngay 25/12/2013 cua Bo Chinh tri va Quyet dinh so 1729/QD-",
            "TTg cua Thu tuong Chinh phu ve viec xay dung cac thiet che cong doan.",
        ],
        1,
    )
    page1["lines"] += [(72, 690, 12, "1. Muc dich"), (72, 674, 12, "- Dam bao thuc hien nghiem tuc.")]
    page2 = _body_page(["Noi dung trang hai cua van ban nay."], 2)
    path = write_pdf(tmp_path, "wrap.pdf", make_pdf([page1, page2]))
    doc = read_document(path)
    texts = [b.text for b in doc.blocks]
    assert texts[0] == (
        "Thuc hien Ket luan so 79-KL/TW ngay 25/12/2013 cua Bo Chinh tri va Quyet dinh so "
        "1729/QD-TTg cua Thu tuong Chinh phu ve viec xay dung cac thiet che cong doan."
    )
    label = next(b for b in doc.blocks if b.text == "1. Muc dich")
    assert (label.label, label.label_source) == ("1.", "typed")
    assert "- Dam bao thuc hien nghiem tuc." in texts
    assert "1" not in texts and "2" not in texts
    assert [b.page for b in doc.blocks] == [1, 1, 1, 2]
    assert doc.pages == 2


def test_synthetic_two_column_header(tmp_path):
    page = {
        "lines": [
            (80, 780, 12, "TONG LIEN DOAN LAO DONG VIET NAM"),
            (340, 780, 12, "CONG HOA XA HOI CHU NGHIA VIET NAM"),
            (120, 764, 12, "DOAN CHU TICH"),
            (360, 764, 12, "Doc lap - Tu do - Hanh phuc"),
            (120, 740, 12, "So: 12/CTr-TLD"),
            (350, 740, 12, "Ha Noi, ngay 3 thang 6 nam 2024"),
            (250, 700, 14, "CHUONG TRINH"),
            (102, 670, 12, "Than bai: van ban co noi dung day du va dai hon mot dong de thu."),
            (290, 40, 11, "1"),
        ]
    }
    doc = read_document(write_pdf(tmp_path, "header.pdf", make_pdf([page])))
    header = [b.text for b in doc.blocks if b.region == "header"]
    assert header == [
        "TONG LIEN DOAN LAO DONG VIET NAM",
        "DOAN CHU TICH",
        "CONG HOA XA HOI CHU NGHIA VIET NAM",
        "Doc lap - Tu do - Hanh phuc",
        "So: 12/CTr-TLD",
        "Ha Noi, ngay 3 thang 6 nam 2024",
    ]
    assert [b.text for b in doc.blocks if b.region == "body"][0] == "CHUONG TRINH"


def test_encrypted_pdf_is_reported_not_ocred(tmp_path, monkeypatch):
    import pipeline.readers.ocr as ocr

    def fail(*args, **kwargs):
        raise AssertionError("an encrypted file must not go to OCR")

    monkeypatch.setattr(ocr, "ocr_runs", fail)
    path = write_pdf(tmp_path, "locked.pdf", make_pdf([{"image": True}], encrypt=True))
    with pytest.raises(ReadError, match="encrypted"):
        read_document(path)


def test_corrupt_pdf(tmp_path):
    path = write_pdf(tmp_path, "broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n garbage")
    with pytest.raises(ReadError, match="corrupt"):
        read_document(path)
    not_pdf = write_pdf(tmp_path, "text.pdf", "Nghị quyết số 02-NQ/TW".encode())
    with pytest.raises(ReadError):
        read_document(not_pdf)


def test_empty_and_blank_pdf(tmp_path):
    with pytest.raises(ReadError, match="empty"):
        read_document(write_pdf(tmp_path, "zero.pdf", b""))
    with pytest.raises(ReadError, match="no text"):
        read_document(write_pdf(tmp_path, "blank.pdf", make_pdf([{"lines": []}])))


def test_mixed_pdf_ocrs_only_image_pages(tmp_path, monkeypatch):
    import pipeline.readers.ocr as ocr
    from pipeline.readers.pdf import Run

    asked: list[list[int]] = []

    def fake_ocr(pdf, indices):
        asked.append(list(indices))
        runs = []
        lines = [(102.0, ["Trang", "quet", "so", "02-NQ/TW", "cua", "Bo", "Chinh", "tri"]), (72.0, ["ngay", "12/6/2021."])]
        for y, (x, words) in zip((100.0, 118.0), lines):  # a first-line indent, then the margin
            for w in words:
                runs.append(Run(w + " ", x, y, x + 40, y + 14, 14.0))
                x += 45
        return {i: runs for i in indices}

    monkeypatch.setattr(ocr, "ocr_runs", fake_ocr)
    text_lines = ["Trang mot co lop chu that su, dong nay dai gan het chieu rong cua trang giay.", "Dong cuoi."]
    pages = [_body_page(text_lines, 1), {"image": True}]
    doc = read_document(write_pdf(tmp_path, "mixed.pdf", make_pdf(pages)))
    assert asked == [[1]]
    assert doc.format == "pdf"  # not every page was scanned
    assert doc.meta["ocr_pages"] == [2]
    assert [b.text for b in doc.blocks] == [" ".join(text_lines), "Trang quet so 02-NQ/TW cua Bo Chinh tri ngay 12/6/2021."]
    assert [b.page for b in doc.blocks] == [1, 2]


def test_running_header_and_footer_removed(tmp_path):
    pages = []
    for n in range(1, 4):
        page = _body_page([f"Noi dung rieng cua trang {n}, mot doan van dai hon mot dong", "va ket thuc o day."], n, top=760)
        page["lines"] += [(200, 800, 9, f"Ke hoach so {n}00/KH-TLD - ban du thao"), (72, 60, 9, "Tong Lien doan Lao dong Viet Nam")]
        pages.append(page)
    doc = read_document(write_pdf(tmp_path, "running.pdf", make_pdf(pages)))
    expected = [f"Noi dung rieng cua trang {n}, mot doan van dai hon mot dong va ket thuc o day." for n in (1, 2, 3)]
    assert [b.text for b in doc.blocks] == expected


def test_signature_without_recipients_column(tmp_path):
    lines = [
        (102, 780, 12, "Tren day la Ke hoach cua Ban Thuong vu, de nghi cac don vi trien khai"),
        (72, 764, 12, "thuc hien nghiem tuc."),
        (360, 730, 12, "TM. BAN THUONG VU"),
        (385, 714, 12, "CHU TICH"),
        (370, 660, 12, "Nguyen Van An"),
        (290, 40, 11, "3"),
    ]
    doc = read_document(write_pdf(tmp_path, "sign.pdf", make_pdf([{"lines": lines}])))
    assert [(b.region, b.text) for b in doc.blocks] == [
        ("body", "Tren day la Ke hoach cua Ban Thuong vu, de nghi cac don vi trien khai thuc hien nghiem tuc."),
        ("signature", "TM. BAN THUONG VU"),
        ("signature", "CHU TICH"),
        ("signature", "Nguyen Van An"),
    ]
