"""Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) read like their Unicode originals.

The legacy files are written here from the real Unicode documents with the
encoders of :mod:`pipeline.legacy_text` (the inverse of the tables in
``models/legacy_encodings.yaml``), then extracted end to end.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from pathlib import Path

import pytest

from pipeline.errors import ReadError
from pipeline.legacy_text import (
    decode_bytes,
    encode,
    font_encoding,
    from_tcvn3,
    from_vni,
    is_syllable,
    to_tcvn3,
    to_vni,
)
from pipeline.process import process_file
from pipeline.readers import read_document

from .docx_factory import DocxFactory

REPO = Path(__file__).resolve().parents[1]
CORPUS_TXT = sorted((REPO / "corpus" / "txt").glob("*.txt"))
WILD = REPO.parent / "shared" / "corpus" / "wild"
NOT_COMPARED = {"source", "format", "timings", "meta", "warnings"}


def comparable(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in NOT_COMPARED}


@functools.lru_cache(maxsize=None)
def _unicode_result(path: Path) -> dict:
    return comparable(process_file(path))


def assert_same_extraction(got: dict, want: dict) -> None:
    assert got.get("error") is None, got.get("error")
    assert got["text"] == want["text"]
    assert set(got) == set(want)
    for key in want:
        assert got[key] == want[key], key


# --- the five real documents ------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
@pytest.mark.parametrize("path", CORPUS_TXT, ids=lambda p: p.stem[:3])
def test_legacy_bytes_extract_like_the_unicode_original(tmp_path, path, encoding):
    legacy = tmp_path / path.name
    legacy.write_bytes(encode(path.read_text(encoding="utf-8"), encoding))
    assert legacy.read_bytes() != path.read_bytes()
    result = process_file(legacy)
    assert result["meta"]["encoding"] == encoding
    assert_same_extraction(comparable(result), _unicode_result(path))


@pytest.mark.parametrize("encoder,name", [(to_tcvn3, "tcvn3"), (to_vni, "vni")])
@pytest.mark.parametrize("path", CORPUS_TXT[:2], ids=lambda p: p.stem[:3])
def test_legacy_font_text_saved_as_utf8_is_converted(tmp_path, path, encoder, name):
    """Typed in a .VnTime/VNI-Times font, saved as Unicode: "Ngh\u00de quy\u00d5t"."""
    legacy = tmp_path / path.name
    legacy.write_text(encoder(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = process_file(legacy)
    assert result["meta"]["encoding"] == f"{name} in utf-8"
    assert_same_extraction(comparable(result), _unicode_result(path))


# --- .docx runs in legacy fonts -------------------------------------------------------------

_LEGACY_STYLE = (
    '<w:style w:type="paragraph" w:styleId="VnBody"><w:name w:val="VnBody"/>'
    '<w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style>'
)


def _docx_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and "|" not in line]


def _build_docx(lines: list[str], path: Path, legacy: bool) -> Path:
    """One paragraph per line. The legacy twin sets capitals lines in .VnTimeH,
    others in three runs (Unicode, .VnTime, VNI-Times) or, every fourth line, in a
    paragraph style whose font is .VnTime."""
    factory = DocxFactory().add_style(_LEGACY_STYLE)
    doc = factory.doc
    for k, line in enumerate(lines):
        if not legacy:
            doc.add_paragraph().add_run(line).font.name = "Times New Roman"
            continue
        if line.isupper() and any(c in line for c in "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỊỈỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸÁÀÃÉÈÍÌĨÓÒÕÚÙŨÝ"):
            doc.add_paragraph().add_run(to_tcvn3(line.lower())).font.name = ".VnTimeH"
            continue
        if k % 4 == 3:
            doc.add_paragraph(style="VnBody").add_run(to_tcvn3(line))
            continue
        words = line.split(" ")
        third = max(1, len(words) // 3)
        pieces = [" ".join(words[:third]), " ".join(words[third : 2 * third]), " ".join(words[2 * third :])]
        paragraph = doc.add_paragraph()
        for piece, (font, encoder) in zip(
            pieces, [("Times New Roman", str), (".VnTime", to_tcvn3), ("VNI-Times", to_vni)]
        ):
            if piece:
                text = piece + " " if piece is not pieces[-1] else piece
                paragraph.add_run(encoder(text)).font.name = font
    return factory.save(path)


@pytest.mark.parametrize("path", [CORPUS_TXT[0], CORPUS_TXT[4]], ids=lambda p: p.stem[:3])
def test_docx_runs_in_tcvn3_and_vni_fonts_extract_like_unicode(tmp_path, path):
    lines = _docx_lines(path)
    unicode_docx = _build_docx(lines, tmp_path / "unicode.docx", legacy=False)
    legacy_docx = _build_docx(lines, tmp_path / "legacy.docx", legacy=True)
    want = comparable(process_file(unicode_docx))
    got = process_file(legacy_docx)
    assert got["meta"]["encoding"] == "tcvn3+vni"
    assert_same_extraction(comparable(got), want)


def _closing_tables_docx(path: Path, legacy: bool) -> Path:
    """Header table, two paragraphs, then the Nơi nhận | signature table; the
    legacy twin has every run in .VnTime (header and closing tables are found by
    their text, which must be converted first)."""
    factory = DocxFactory()
    factory.table([["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM"], ["Số 02-NQ/TW", "Hà Nội, ngày 12 tháng 6 năm 2021"]])
    factory.para("NGHỊ QUYẾT", bold=True, center=True)
    factory.para("1. Ủy ban nhân dân tỉnh chỉ đạo thực hiện.")
    factory.table([[["Nơi nhận:", "- Các tỉnh ủy, thành ủy,", "- Lưu Văn phòng Trung ương."], ["T/M BAN CHẤP HÀNH", "TỔNG BÍ THƯ", "Nguyễn Văn A"]]])
    if legacy:
        paragraphs = list(factory.doc.paragraphs)
        for table in factory.doc.tables:
            paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
        for paragraph in paragraphs:
            for run in paragraph.runs:
                run.text, run.font.name = to_tcvn3(run.text), ".VnTime"
    return factory.save(path)


def test_docx_header_and_closing_tables_in_tcvn3_read_like_unicode(tmp_path):
    want = comparable(process_file(_closing_tables_docx(tmp_path / "u.docx", legacy=False)))
    got = process_file(_closing_tables_docx(tmp_path / "l.docx", legacy=True))
    assert got["meta"]["encoding"] == "tcvn3"
    assert [b["region"] for b in got["blocks"]][-4:] == ["recipients", "signature", "signature", "signature"]
    assert_same_extraction(comparable(got), want)


def test_docx_unicode_text_left_in_a_vntime_font_is_not_converted(tmp_path):
    """Documents converted to Unicode often keep .VnTime as the font name."""
    factory = DocxFactory()
    for text in ("Nghị quyết về công tác công đoàn", "công", "Các cấp công đoàn có trách nhiệm"):
        factory.doc.add_paragraph().add_run(text).font.name = ".VnTime"
    doc = read_document(factory.save(tmp_path / "u.docx"))
    assert [b.text for b in doc.blocks] == ["Nghị quyết về công tác công đoàn", "công", "Các cấp công đoàn có trách nhiệm"]
    assert "encoding" not in doc.meta


def test_docx_vntimeh_run_is_capitals(tmp_path):
    factory = DocxFactory()
    paragraph = factory.doc.add_paragraph()
    paragraph.add_run(to_tcvn3("nghị quyết")).font.name = ".VnTimeH"
    paragraph.add_run(" về công đoàn").font.name = "Times New Roman"
    doc = read_document(factory.save(tmp_path / "h.docx"))
    assert doc.blocks[0].text == "NGHỊ QUYẾT về công đoàn"


# --- every letter, every encoding ------------------------------------------------------------

LOWER = "ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẻ ẽ ế ề ể ễ ệ ỉ ĩ ị ỏ õ ọ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ủ ũ ụ ứ ừ ử ữ ự ỳ ỷ ỹ ỵ đ"
LETTERS = (
    "à á ạ ã ả â ầ ấ ậ ẫ ẩ ă ằ ắ ặ ẵ ẳ è é ẹ ẽ ẻ ê ề ế ệ ễ ể ì í ị ĩ ỉ ò ó ọ õ ỏ ô ồ ố ộ ỗ ổ "
    "ơ ờ ớ ợ ỡ ở ù ú ụ ũ ủ ư ừ ứ ự ữ ử ỳ ý ỵ ỹ ỷ đ"
)
SENTENCES = [
    "Nghị quyết về tăng cường sự lãnh đạo của Đảng đối với công tác công đoàn.",
    "Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành thực hiện. Ứng dụng mạnh mẽ công nghệ số.",
    "Người lao động được hưởng quyền lợi chính đáng, khuyến khích tuyển dụng.",
    "QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH CHƯƠNG TRÌNH HÀNH ĐỘNG Ở CƠ SỞ",
    f"Các chữ: {LOWER}.",
    f"Chữ đủ dấu: {LETTERS}.",
]
# Capitals with every tone, in words typed in capitals (what .VnTime writers do).
CAPITALS = "CHỮ HOA: " + " ".join(f"X{c.upper()}" for c in LETTERS.split())


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
@pytest.mark.parametrize("text", [*SENTENCES, CAPITALS], ids=range(len(SENTENCES) + 1))
def test_every_tone_on_every_vowel_round_trips(text, encoding):
    decoded = decode_bytes(encode(text, encoding))
    assert decoded.encoding == encoding
    expected = text if encoding != "tcvn3" else text.replace("Ủy", "Uỷ")  # old tone placement, folded by normalize
    assert decoded.text == expected


def test_vni_writes_every_capital_and_tcvn3_only_seven():
    capitals = "".join(c.upper() for c in LETTERS.split())
    assert from_vni(to_vni(capitals)) == capitals
    assert to_tcvn3("ĂÂÊÔƠƯĐ") == "¡¢£¤¥¦§"
    # A lone capital with a tone has no TCVN3 code: the lower-case code stands in.
    assert from_tcvn3(to_tcvn3("Ứ"), sentence_start=False) == "ứ"
    assert from_tcvn3(to_tcvn3("ĐẢNG"), upper_font=False) == "ĐẢNG"
    assert from_tcvn3(to_tcvn3("đảng"), upper_font=True) == "ĐẢNG"


def test_known_legacy_spellings():
    assert from_tcvn3("Ngh\u00de quy\u00d5t") == "Nghị quyết"
    assert from_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert from_tcvn3("C«ng ®oµn") == "Công đoàn"
    assert from_vni("Ngh\u00f2 quye\u00e1t") == "Nghị quyết"
    assert from_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert decode_bytes("Nghị quyết về công đoàn".encode("cp1258", errors="replace")).encoding == "cp1258"


# --- what must not change ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Labour Code, chapter 3: trade unions and collective bargaining.\n",
        "Meeting notes — café, naïve résumé, Zürich, São Paulo.\n",
        "Bà mê cá.\n",  # Vietnamese that fits in cp1252: its TCVN3 reading ("Bà mờ cỏ") is as valid
        "Hòa\n",
        "Cà phê\n",
    ],
)
def test_ascii_english_and_short_ambiguous_text_is_untouched(text):
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize("path", CORPUS_TXT, ids=lambda p: p.stem[:3])
def test_genuine_utf8_is_never_converted(path):
    raw = path.read_bytes()
    decoded = decode_bytes(raw)
    assert decoded.encoding in ("utf-8", "utf-8-sig")
    assert decoded.text == unicodedata.normalize("NFC", raw.decode("utf-8-sig")).replace("\r\n", "\n")


@pytest.mark.skipif(not WILD.is_dir(), reason="the wild corpus is not in this checkout")
def test_wild_documents_are_read_as_utf8_unchanged():
    for path in sorted(WILD.glob("*.md")):
        raw = path.read_bytes()
        decoded = decode_bytes(raw, path.name)
        assert decoded.encoding in ("utf-8", "utf-8-sig"), path.name
        assert decoded.text == unicodedata.normalize("NFC", raw.decode("utf-8-sig")).replace("\r\n", "\n").replace("\r", "\n")


# --- Unicode forms, UTF-16, line ends ----------------------------------------------------------


def _mixed_forms(text: str) -> str:
    """Every other line decomposed (NFD), line ends alternating \\r\\n, \\r and \\n."""
    lines = text.split("\n")
    ends = ["\r\n", "\r", "\n"]
    return "".join(
        (unicodedata.normalize("NFD", line) if k % 2 else line) + (ends[k % 3] if k < len(lines) - 1 else "")
        for k, line in enumerate(lines)
    )


@pytest.mark.parametrize("path", CORPUS_TXT[:2], ids=lambda p: p.stem[:3])
def test_mixed_normalisation_and_line_ends_give_the_same_document(tmp_path, path):
    messy = tmp_path / path.name
    messy.write_bytes(_mixed_forms(path.read_text(encoding="utf-8")).encode("utf-8"))
    assert b"\r" in messy.read_bytes()
    assert read_document(messy).text == read_document(path).text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_with_or_without_bom(tmp_path, codec, bom):
    path = CORPUS_TXT[4]
    text = path.read_text(encoding="utf-8")
    raw = text.encode(codec)
    if bom:
        raw = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + raw
    target = tmp_path / path.name
    target.write_bytes(raw)
    doc = read_document(target)
    assert doc.meta["encoding"] == codec
    assert doc.text == read_document(path).text


# --- what cannot be read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Постановление о профсоюзах и коллективных договорах".encode("cp1251"),
        "労働組合に関する決議と団体交渉について".encode("shift_jis"),
    ],
    ids=["cp1251", "shift-jis"],
)
def test_undecodable_text_is_mis_encoded_and_says_what_was_tried(tmp_path, raw):
    with pytest.raises(ReadError) as info:
        decode_bytes(raw, "x.txt")
    assert info.value.kind == "mis_encoded"
    message = str(info.value)
    assert "not UTF-8" in message and "cp1258" in message and "tcvn3" in message and "vni" in message
    path = tmp_path / "x.txt"
    path.write_bytes(raw)
    result = process_file(path)
    assert result["error_kind"] == "mis_encoded" and result["stage"] == "read"


def test_nul_bytes_outside_utf16_are_binary():
    with pytest.raises(ReadError) as info:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert info.value.kind == "binary"


# --- pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["nghiêng", "quyết", "khuya", "giữ", "gì", "thuyền", "người", "hoạch", "Ủy", "ĐẢNG"])
def test_valid_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["NghÞ", "c¸c", "cỏc", "hoạk", "ngườii", "bàá", "café", "Vieät", "tp"])
def test_invalid_syllables(word):
    assert not is_syllable(word)


@pytest.mark.parametrize(
    "font,encoding",
    [(".VnTime", "tcvn3"), (".VnArial", "tcvn3"), (".VnTimeH", "tcvn3_upper"), (".VnArialH", "tcvn3_upper"),
     ("VNI-Times", "vni"), ("VNI-Helve", "vni"), ("Times New Roman", None), (None, None)],
)
def test_font_names(font, encoding):
    assert font_encoding(font) == encoding
