"""Old and disguised formats: content sniffing, HTML (plain and Word "Save as Web
Page"), single-file web pages (.mht), RTF, Word 97-2003 .doc, and files whose
extension lies. Documents are written by the tests, except the .doc fixture
(``tests/data/formats/ke_hoach_word97.doc``: a .docx written with python-docx and
saved as "MS Word 97" by LibreOffice 7.4)."""

from __future__ import annotations

import base64
import quopri
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from pipeline.legacy_text import to_cp1258
from pipeline.process import parse, process_file, result_for
from pipeline.readers import ReadError, read_document, supported_suffixes
from pipeline.readers import doc as doc_reader
from pipeline.readers.sniff import ole_entries, sniff

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
DOC_FIXTURE = REPO / "tests" / "data" / "formats" / "ke_hoach_word97.doc"
STEM = "004_9cab99cc97ae365a"

# One plan, as a reader of the .txt sees it: (role, number, text).
PLAN = [
    ("title", None, "KẾ HOẠCH"),
    ("title", None, "Thực hiện Nghị quyết số 02-NQ/TW của Bộ Chính trị"),
    ("heading", "I.", "MỤC TIÊU"),
    ("heading", "1.", "Mục tiêu chung"),
    ("item", "a)", "Đến năm 2025, phấn đấu 90% công nhân, viên chức, lao động được tuyên truyền, quán triệt "
                    "Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị."),
    ("item", "b)", "Kết nạp mới 1.000 đoàn viên công đoàn."),
    ("heading", "2.", "Mục tiêu cụ thể"),
    ("body", None, "Tổ chức hội nghị quán triệt trước ngày 30/6/2022."),
    ("heading", "II.", "TỔ CHỨC THỰC HIỆN"),
    ("body", None, "Ban Tuyên giáo chủ trì, phối hợp với Văn phòng theo dõi, đôn đốc thực hiện."),
]


def _line(number: str | None, text: str) -> str:
    return f"{number} {text}" if number else text


PLAN_TEXT = "\n".join(_line(n, t) for _, n, t in PLAN) + "\n"


def facts(document) -> dict:
    """What the extractors make of a document: sections, citations, targets."""
    result = result_for(parse(document))
    return {
        "sections": [(s["path"], s["title"]) for s in result["sections"]],
        "citations": sorted((c["key"], c["mentions"]) for c in result["citations"]),
        "targets": [(t["value"], t["unit"], t["deadline"]) for t in result["targets"]],
    }


@pytest.fixture(scope="module")
def txt_facts(tmp_path_factory):
    path = tmp_path_factory.mktemp("txt") / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    found = facts(read_document(path))
    # The equivalence below is only worth something if the .txt yields facts.
    assert [p for p, _ in found["sections"]] == ["I", "I/1", "I/1/a", "I/1/b", "I/2", "II"]
    assert found["citations"] == [("02-NQ/TW", 2)]
    assert found["targets"] and found["targets"][0][:2] == (90, "%")
    return found


# --- sniffing ------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


_XLSX_MEMBERS = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}


@pytest.mark.parametrize(
    "content,kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\r\n%PDF-1.4\n", "pdf"),  # junk before the header, as readers accept
        (b"{\\rtf1\\ansi\\ansicpg1258 x}", "rtf"),
        (b"\xef\xbb\xbf{\\rtf1 x}", "rtf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"<html xmlns:w=\"urn:schemas-microsoft-com:office:word\"><body>x</body></html>", "html"),
        ("<html><body>Nghị quyết</body></html>".encode("utf-16"), "html"),
        (b"<?xml version=\"1.0\"?><!DOCTYPE html><html><body/></html>", "html"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n", "mht"),
        (b"From: <Saved by Windows Internet Explorer 8>\r\nSubject: KH\r\nMIME-Version: 1.0\r\n"
         b"Content-Type: multipart/related;\r\n\tboundary=\"b\"\r\n", "mht"),
        (b"<?xml version=\"1.0\"?><w:wordDocument xmlns:w=\"http://schemas.microsoft.com/office/word/2003/wordml\"/>",
         "xml"),
        ("Nghị quyết số 02-NQ/TW\n".encode(), "text"),
        ("Nghị quyết số 02-NQ/TW\n".encode("cp1258", errors="replace"), "text"),
        ("Nghị quyết".encode("utf-16-le"), "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_sniffed_kind_from_first_bytes(tmp_path, content, kind):
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    assert sniff(path).kind == kind


def test_every_corpus_file_is_what_its_extension_says():
    """So the corpus is read by the same readers as before content sniffing."""
    files = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".md", ".docx", ".pdf")]
    assert len(files) >= 15
    expected = {".txt": "text", ".md": "text", ".docx": "docx", ".pdf": "pdf"}
    assert [(p.name, sniff(p).kind) for p in files] == [(p.name, expected[p.suffix]) for p in files]


def test_sniffed_zip_packages_by_their_members(tmp_path):
    assert sniff(CORPUS / "docx" / f"{STEM}.docx").kind == "docx"
    xlsx = sniff(_zip(tmp_path / "a.zip", _XLSX_MEMBERS))
    assert (xlsx.kind, xlsx.description) == ("office", "an Excel workbook (.xlsx)")
    odt = sniff(_zip(tmp_path / "b.zip", {"mimetype": "application/vnd.oasis.opendocument.text"}))
    assert odt.description == "an OpenDocument text (.odt)"
    images = sniff(_zip(tmp_path / "c.zip", {"scan1.jpg": b"\xff\xd8\xff", "scan2.jpg": b"\xff\xd8\xff"}))
    assert images.kind == "zip" and "scan1.jpg" in images.description
    (tmp_path / "d.zip").write_bytes((CORPUS / "docx" / f"{STEM}.docx").read_bytes()[:3000])
    assert sniff(tmp_path / "d.zip").kind == "zip_damaged"


def test_ole_directory_names_the_word_stream():
    names = {e.name for e in ole_entries(DOC_FIXTURE)}
    assert {"Root Entry", "WordDocument"} <= names
    assert sniff(DOC_FIXTURE).kind == "doc"


def test_new_suffixes_are_discovered():
    assert {".doc", ".rtf", ".html", ".htm", ".mht", ".mhtml"} <= set(supported_suffixes())


# --- HTML ------------------------------------------------------------------------------


def plain_html() -> str:
    body = []
    for role, number, text in PLAN:
        line = _line(number, text)
        if role == "title":
            body.append(f"<p align=center><b>{line}</b></p>")
        elif role == "heading":
            body.append(f"<h2>{line}</h2>" if number in ("I.", "II.") else f"<p><strong>{line}</strong></p>")
        else:
            body.append(f"<p>{line}</p>")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Không phải nội dung</title>"
        "<style>p { margin: 0 }</style><script>document.write('I. KHÔNG ĐỌC');</script></head>\n<body>\n"
        "<!-- II. bình luận không đọc -->\n" + "\n".join(body) + "\n</body></html>\n"
    )


def word_html(charset: str = "windows-1258") -> str:
    """Word 2003 "Save as Web Page": numbers drawn in mso-list spans, Word markup around."""
    levels = {"I.": 1, "II.": 1, "1.": 2, "2.": 2, "a)": 3, "b)": 3}
    body = []
    for role, number, text in PLAN:
        if role == "title":
            body.append(f"<p class=MsoNormal align=center style='text-align:center'><b>{text}<o:p></o:p></b></p>")
        elif number:
            bold = role == "heading"
            label = (f"<![if !supportLists]><span style='mso-list:Ignore'>{number}"
                     f"<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>")
            inner = f"<b>{label}{text}</b>" if bold else f"{label}{text}"
            body.append(f"<p class=MsoNormal style='margin-left:.5in;text-indent:-.25in;"
                        f"mso-list:l0 level{levels[number]} lfo1'>{inner}</p>")
        else:
            body.append(f"<p class=MsoNormal style='text-align:justify'>{text}</p>")
    body.insert(5, "<p class=MsoNormal style='display:none;mso-hide:all'>III. VĂN BẢN ẨN</p>")
    return (
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"\nxmlns:o=\"urn:schemas-microsoft-com:office:office\"\n"
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\"\nxmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n"
        f"<meta http-equiv=Content-Type content=\"text/html; charset={charset}\">\n"
        "<meta name=Generator content=\"Microsoft Word 11\">\n"
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->\n"
        "<style><!-- @list l0:level1 {mso-level-text:\"%1\\.\";} --></style>\n</head>\n"
        "<body lang=VI style='tab-interval:.5in'><div class=Section1>\n" + "\n".join(body) + "\n</div></body></html>\n"
    )


def test_plain_html_gives_the_facts_of_the_txt(tmp_path, txt_facts):
    path = tmp_path / "plan.html"
    path.write_text(plain_html(), encoding="utf-8")
    document = read_document(path)
    assert document.format == "html" and not document.warnings
    assert "KHÔNG ĐỌC" not in document.text and "bình luận" not in document.text and "Không phải" not in document.text
    assert facts(document) == txt_facts


def test_word_html_in_windows_1258_keeps_drawn_numbers_as_labels(tmp_path, txt_facts):
    path = tmp_path / "plan.htm"
    path.write_bytes(to_cp1258(word_html()))
    document = read_document(path)
    assert document.meta["word_html"] is True
    numbered = [b for b in document.blocks if b.label]
    assert [(b.label, b.label_source) for b in numbered] == [(n, "auto") for _, n, _ in PLAN if n]
    assert "VĂN BẢN ẨN" not in document.text  # display:none
    assert "Nghị quyết số 02-NQ/TW ngày 12/6/2021" in document.text  # cp1258 tone marks recomposed
    assert facts(document) == txt_facts


def test_word_html_lists_tables_and_footnotes(tmp_path):
    html = (
        "<html><head><meta charset=utf-8></head><body>"
        "<table><tr><td><p>TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM</p><p>Số: 12/KH-TLĐ</p></td>"
        "<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Hà Nội, ngày 5 tháng 3 năm 2024</p></td></tr></table>"
        "<p class=MsoNormal style='mso-list:l1 level1 lfo2'><![if !supportLists]><span style='font-family:Symbol'>"
        "<span style='mso-list:Ignore'>·<span>&nbsp;&nbsp; </span></span></span><![endif]>Quán triệt Nghị quyết"
        "<a style='mso-footnote-id:ftn1' href='#_ftn1' name='_ftnref1'><span>[1]</span></a>;</p>"
        "<p class=MsoNormal style='mso-list:l1 level2 lfo2'><![if !supportLists]><span style='font-family:"
        "\"Courier New\"'><span style='mso-list:Ignore'>o<span>&nbsp; </span></span></span><![endif]>Sơ kết</p>"
        "<ol type=a start=3><li>thứ ba</li><li>thứ tư</li></ol>"
        "<table border=1><thead><tr><th>Chỉ tiêu</th><th>Năm</th></tr></thead>"
        "<tbody><tr><td>Kết nạp đoàn viên</td><td>2025</td></tr></tbody></table>"
        "<div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1><p>"
        "<a href='#_ftnref1' name='_ftn1'>[1]</a> Ngày 12/6/2021.</p></div></div>"
        "</body></html>"
    )
    path = tmp_path / "lists.html"
    path.write_text(html, encoding="utf-8")
    document = read_document(path)
    header = [b.text for b in document.blocks if b.region == "header"]
    assert header == ["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "Số: 12/KH-TLĐ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Hà Nội, ngày 5 tháng 3 năm 2024"]
    bullet = next(b for b in document.blocks if "Quán triệt" in b.text)
    assert (bullet.kind, bullet.label, bullet.text, bullet.footnote_refs) == (
        "list_item", "•", "• Quán triệt Nghị quyết;", ["1"])
    courier = next(b for b in document.blocks if "Sơ kết" in b.text)
    assert (courier.kind, courier.label, courier.level) == ("list_item", "◦", 1)
    assert [b.text for b in document.blocks if b.text.startswith(("c.", "d."))] == ["c. thứ ba", "d. thứ tư"]
    rows = [b.cells for b in document.blocks if b.kind == "table_row"]
    assert rows == [["Chỉ tiêu", "Năm"], ["Kết nạp đoàn viên", "2025"]]
    assert [(b.footnote_id, b.text) for b in document.blocks if b.kind == "footnote"] == [("1", "Ngày 12/6/2021.")]


def test_mht_single_file_web_page(tmp_path, txt_facts):
    html = word_html("utf-8").encode("utf-8")
    mht = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01D\"\r\n\r\n"
        b"This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
        b"------=_NextPart_01D\r\nContent-Location: file:///C:/plan.htm\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n"
        + quopri.encodestring(html) + b"\r\n\r\n"
        b"------=_NextPart_01D\r\nContent-Location: file:///C:/plan_files/image001.png\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\n"
        + base64.encodebytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32) + b"\r\n------=_NextPart_01D--\r\n"
    )
    path = tmp_path / "plan.mht"
    path.write_bytes(mht)
    document = read_document(path)
    assert document.format == "mht"
    assert facts(document) == txt_facts


def test_html_without_declared_charset_in_a_legacy_code_page(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes(to_cp1258("<html><body><p>Nghị quyết về công tác dân vận của Đảng trong tình hình mới</p>"
                               "<p>Tăng cường sự lãnh đạo của cấp ủy đối với tổ chức công đoàn</p></body></html>"))
    document = read_document(path)
    assert document.text.startswith("Nghị quyết về công tác dân vận")
    assert any("no charset declared" in w for w in document.warnings)


def test_html_entities_are_never_expanded_nor_fetched(tmp_path):
    path = tmp_path / "xxe.html"
    path.write_text('<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "AAAA">'
                    '<!ENTITY b "&a;&a;&a;&a;">]><html><body><p>Trước &xxe; giữa &b; sau</p></body></html>',
                    encoding="utf-8")
    assert read_document(path).text == "Trước &xxe; giữa &b; sau"


# --- RTF -------------------------------------------------------------------------------


def rtf_escape_bytes(text: str) -> str:
    """``text`` in cp1258 with every byte above 127 as ``\\'hh``."""
    out = []
    for b in to_cp1258(text):
        c = chr(b)
        out.append(f"\\'{b:02x}" if b > 127 else ("\\" + c if c in "\\{}" else c))
    return "".join(out)


def rtf_escape_unicode(text: str) -> str:
    """``text`` with ``\\uN`` for non-ASCII characters, each followed by a ``?`` fallback."""
    out = []
    for c in text:
        n = ord(c)
        out.append(f"\\u{n if n < 32768 else n - 65536}?" if n > 127 else ("\\" + c if c in "\\{}" else c))
    return "".join(out)


def plan_rtf() -> str:
    paragraphs = []
    for k, (role, number, text) in enumerate(PLAN):
        escape = rtf_escape_bytes if k % 2 == 0 else rtf_escape_unicode
        props = "\\pard\\plain\\qc\\b " if role == "title" else "\\pard\\plain\\b " if role == "heading" else "\\pard\\plain "
        if role == "heading" and number in ("1.", "2."):
            label = f"{{\\listtext\\pard\\plain\\b {number}\\tab}}"  # Word's list number
            paragraphs.append(f"{label}{props}{escape(text)}\\par")
        else:
            paragraphs.append(f"{props}{escape(_line(number, text))}\\par")
    return (
        "{\\rtf1\\ansi\\ansicpg1258\\uc1\\deff0{\\fonttbl{\\f0\\froman\\fcharset163 Times New Roman;}"
        "{\\f1\\fnil\\fcharset2 Symbol;}}\n{\\colortbl;\\red0\\green0\\blue0;}\n"
        "{\\stylesheet{\\ql Normal;}{\\s1\\outlinelevel0 heading 1;}}\n"
        "{\\info{\\title " + rtf_escape_bytes("II. KHÔNG ĐỌC") + "}{\\author A}}\n"
        "{\\*\\generator Microsoft Word 11;}{\\header \\pard Trang 1\\par}\n"
        + "\n".join(paragraphs)
        + "\n{\\pict\\wmetafile8\\picw10\\pich10 0100090000}\n}"
    )


def test_rtf_text_equals_the_unicode_original(tmp_path, txt_facts):
    path = tmp_path / "plan.rtf"
    path.write_text(plan_rtf(), encoding="ascii")
    document = read_document(path)
    assert document.format == "rtf" and document.meta["codepage"] == 1258
    assert [b.text for b in document.blocks] == [_line(n, t) for _, n, t in PLAN]
    assert [(b.label, b.label_source) for b in document.blocks if b.label in ("1.", "2.")] == [("1.", "auto"), ("2.", "auto")]
    assert facts(document) == txt_facts


def test_rtf_tables_lists_footnotes_and_skipped_groups(tmp_path):
    u = rtf_escape_unicode
    rtf = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}{\\f1\\fcharset2 Symbol;}"
        "{\\f2\\fcharset163 Arial;}}\n"
        "\\pard " + u("Quán triệt") + "{\\super\\chftn}{\\footnote\\pard\\plain{\\super\\chftn} "
        + u("Nghị quyết số 02-NQ/TW.") + "} xong.\\par\n"
        "{\\listtext\\pard\\plain\\f1 \\'b7\\tab}\\pard " + u("Tổ chức học tập;") + "\\par\n"
        # cp1258 through the font's \fcharset163, not the document's \ansicpg1252:
        "\\pard\\f2 \\'d0o\\'e0n vi\\'ean Nghi\\'f2\\par\n"
        "\\trowd\\cellx2000\\cellx4000\\pard\\intbl " + u("Chỉ tiêu") + "\\cell " + u("Năm") + "\\cell\\row\n"
        "\\trowd\\cellx2000\\cellx4000\\pard\\intbl A\\cell 2025\\cell\\row\n"
        "\\pard {\\*\\bkmkstart x}{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt " + u("Liên kết")
        + "}}{\\v " + u("ẩn") + "}\\par\n"
        "{\\pict\\picw1\\bin4 {}{}\\par}\n}"
    )
    path = tmp_path / "mixed.rtf"
    path.write_text(rtf, encoding="ascii")
    document = read_document(path)
    body = [(b.kind, b.text) for b in document.blocks if b.kind != "footnote"]
    assert body == [
        ("paragraph", "Quán triệt xong."),
        ("list_item", "• Tổ chức học tập;"),
        ("paragraph", "Đoàn viên Nghị"),
        ("table_row", "Chỉ tiêu | Năm"),
        ("table_row", "A | 2025"),
        ("paragraph", "Liên kết"),
    ]
    assert document.blocks[0].footnote_refs == ["1"]
    assert [(b.footnote_id, b.text) for b in document.blocks if b.kind == "footnote"] == [
        ("1", "Nghị quyết số 02-NQ/TW.")]


def test_rtf_in_a_legacy_font_is_converted(tmp_path):
    from pipeline.legacy_text import encode

    raw = encode("Nghị quyết số 02-NQ/TW của Bộ Chính trị", "tcvn3")
    escaped = "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in raw)
    path = tmp_path / "vntime.rtf"
    path.write_text("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fswiss .VnTime;}}\\f0 " + escaped + "\\par}",
                    encoding="ascii")
    assert read_document(path).text == "Nghị quyết số 02-NQ/TW của Bộ Chính trị"


# --- Word 97-2003 ----------------------------------------------------------------------


def _doc_facts_expected(document) -> None:
    assert document.format == "doc"
    header = [b.text for b in document.blocks if b.region == "header"]
    assert "Số: 15/KH-TLĐ" in header and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "a) Đến năm 2025, phấn đấu 90% công nhân, viên chức, lao động được tuyên truyền, quán triệt " \
           "Nghị quyết số 02-NQ/TW." in document.text
    assert [b.cells for b in document.blocks if b.kind == "table_row"] == [["Chỉ tiêu", "Năm"], ["Đoàn viên mới", "2025"]]
    assert [b.text for b in document.blocks if b.region == "recipients"] == ["Nơi nhận:", "- Như trên;", "- Lưu VT."]
    result = result_for(parse(document))
    assert [s["path"] for s in result["sections"]] == ["I", "I/1", "I/1/a", "I/1/b", "I/2", "II"]
    assert [c["key"] for c in result["citations"]] == ["02-NQ/TW"]
    assert (result["document"]["number"], result["document"]["date"]) == ("15/KH-TLĐ", "2021-09-10")


@pytest.mark.parametrize("name", ["antiword", "libreoffice"])
def test_doc_fixture_through_each_converter(name):
    converter = next(c for c in doc_reader.converters() if c.name == name)
    if converter.path() is None:
        pytest.skip(f"{converter.program} is not installed (Debian package {converter.debian})")
    document = doc_reader._BACKENDS[name](DOC_FIXTURE, DOC_FIXTURE.name, converter.path(), converter.timeout_s)
    assert document.meta["converter"] == name
    _doc_facts_expected(document)


def test_doc_fixture_through_read_document():
    if doc_reader.available_converter() is None:
        pytest.skip("neither antiword nor LibreOffice is installed (make system-deps installs antiword)")
    _doc_facts_expected(read_document(DOC_FIXTURE))


def test_without_a_converter_the_error_names_the_packages(monkeypatch):
    monkeypatch.setenv("PATH", "")
    result = process_file(DOC_FIXTURE)
    assert result["error_kind"] == "converter_missing"
    assert "antiword" in result["error"] and "libreoffice-writer-nogui" in result["error"]


def test_encrypted_doc_is_reported_as_encrypted(tmp_path, monkeypatch):
    data = bytearray(DOC_FIXTURE.read_bytes())
    entry = next(e for e in ole_entries(DOC_FIXTURE) if e.name == "WordDocument")
    sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
    fib = (entry.start + 1) * sector_size
    data[fib + 11] |= 0x01  # the FIB flags at offset 10: fEncrypted is bit 8
    path = tmp_path / "locked.doc"
    path.write_bytes(bytes(data))
    monkeypatch.setenv("PATH", "")  # decided from the header: no converter is run
    with pytest.raises(ReadError, match="password-protected") as info:
        read_document(path)
    assert info.value.kind == "encrypted"


# --- extensions that lie ------------------------------------------------------------------


def test_pdf_named_docx_is_read_as_a_pdf_with_a_warning(tmp_path):
    path = tmp_path / "plan.docx"
    shutil.copy(CORPUS / "pdf" / f"{STEM}.pdf", path)
    document = read_document(path)
    assert document.format == "pdf"
    assert document.text == read_document(CORPUS / "pdf" / f"{STEM}.pdf").text
    assert document.warnings == ["extension .docx but the content is a PDF"]


def test_docx_named_pdf_and_pdf_named_txt(tmp_path):
    docx_path = tmp_path / "plan.pdf"
    shutil.copy(CORPUS / "docx" / f"{STEM}.docx", docx_path)
    document = read_document(docx_path)
    assert document.format == "docx" and document.warnings == ["extension .pdf but the content is a Word document (.docx)"]
    assert document.text == read_document(CORPUS / "docx" / f"{STEM}.docx").text
    txt_path = tmp_path / "plan.txt"
    shutil.copy(CORPUS / "pdf" / f"{STEM}.pdf", txt_path)
    assert read_document(txt_path).format == "pdf"


def test_html_and_rtf_named_doc_are_read_as_what_they_are(tmp_path, txt_facts):
    html = tmp_path / "web.doc"
    html.write_bytes(to_cp1258(word_html()))
    document = read_document(html)
    assert document.format == "html"
    assert document.warnings == ['extension .doc but the content is an HTML page (Word "Save as Web Page")']
    assert facts(document) == txt_facts
    rtf = tmp_path / "rich.doc"
    rtf.write_text(plan_rtf(), encoding="ascii")
    document = read_document(rtf)
    assert document.format == "rtf" and document.warnings == ["extension .doc but the content is an RTF document"]
    assert facts(document) == txt_facts


def test_renamed_file_result_carries_the_warning(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_text(plan_rtf(), encoding="ascii")
    result = process_file(path)
    assert result["error"] is None and result["format"] == "rtf"
    assert result["warnings"] == ["extension .docx but the content is an RTF document"]


def _xls(path: Path) -> Path:
    """An OLE file whose directory holds an Excel "Workbook" stream (the .doc's layout, renamed streams)."""
    data = DOC_FIXTURE.read_bytes().replace("WordDocument".encode("utf-16-le"), "Workbook\0\0\0\0".encode("utf-16-le"))
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make,kind,message",
    [
        (lambda p: _zip(p, _XLSX_MEMBERS), "unsupported_format", r"an Excel workbook \(\.xlsx\), not a Word document"),
        (lambda p: _zip(p, {"p1.jpg": b"\xff\xd8\xff\xe0", "p2.jpg": b"\xff\xd8\xff\xe0"}), "unsupported_format",
         r"a ZIP archive of 2 files \(p1\.jpg, p2\.jpg\), with no Word document parts"),
        (lambda p: (p.write_bytes(bytes(range(256)) * 8), p)[1], "corrupt",
         r"not a Word document \(\.docx\): unrecognised binary data \(first bytes 00 01 02 03\)"),
        (lambda p: (p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64), p)[1], "unsupported_format",
         r"a PNG image \(binary data\), not a Word document"),
        (lambda p: (p.write_text("Biên bản họp chi bộ", encoding="utf-8"), p)[1], "wrong_extension",
         r"not a Word document \(\.docx\): the file is not a ZIP package but is plain text; .*rename it to \.txt"),
    ],
    ids=["xlsx", "zip-of-images", "random-bytes", "png", "text"],
)
def test_content_no_reader_exists_for_is_named(tmp_path, make, kind, message):
    path = make(tmp_path / "bad.docx")
    with pytest.raises(ReadError, match=message) as info:
        read_document(path)
    assert info.value.kind == kind


def test_excel_97_named_doc_is_named(tmp_path):
    path = _xls(tmp_path / "sheet.doc")
    with pytest.raises(ReadError, match=r"an Excel 97-2003 workbook \(\.xls\), not a Word 97-2003 document") as info:
        read_document(path)
    assert info.value.kind == "unsupported_format"


def test_a_format_without_a_sniff_signature_is_read_by_its_suffix(tmp_path, monkeypatch):
    """Adding a format is one module and one registration: the content sniffer
    need not know it."""
    from pipeline import readers
    from pipeline.builder import DocumentBuilder

    def read_plain(path, source):
        builder = DocumentBuilder(source, "xyz")
        builder.add(Path(path).read_text(encoding="utf-8"), "paragraph")
        return builder.build()

    monkeypatch.setitem(readers._READER_MODULES, ".xyz", __name__)
    monkeypatch.setitem(readers._READERS, ".xyz", read_plain)
    path = tmp_path / "plan.xyz"
    path.write_text("I. MỤC TIÊU", encoding="utf-8")
    document = read_document(path)
    assert document.text == "I. MỤC TIÊU"
    assert document.warnings == []
