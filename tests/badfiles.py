"""A corpus of bad, old and hostile input files, generated on demand.

:func:`build_bad_corpus` writes, under a directory, every kind of file a
researcher's folder really holds besides clean documents: empty and truncated
copies, damaged or foreign ZIP packages, XML attacks and zip bombs, encrypted
files, random bytes, legacy Vietnamese encodings (TCVN3, VNI, cp1258), Word 97
``.doc``, HTML and RTF saved under Word names, special files (symbolic links,
a FIFO, a directory named like a file). Most are mutations of the real
documents in ``corpus/``; the rest are written from scratch here. Each file
comes with what ``make extract`` must do with it (:class:`BadFile`).

Legacy encoders are written here from the published tables, independently of
the pipeline's decoders, so that a wrong table in either shows up as a test
failure instead of agreeing with itself.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import struct
import subprocess
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from .helpers import pdf_from_objects

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

TXT = sorted((CORPUS / "txt").glob("*.txt"))
DOCX = sorted((CORPUS / "docx").glob("*.docx"))
PDF = sorted((CORPUS / "pdf").glob("*.pdf"))

# The good set of the acceptance test; the bad files never reuse these bytes
# (except the deliberate duplicate), so that no bad file is a duplicate of one.
GOOD_FILES: list[Path] = [*TXT, *DOCX[:2], *PDF[:1]]

# The .txt size limit the acceptance test sets (models/limits.yaml
# ``max_file_mb``), far above every good .txt, and a file over it.
TEST_TXT_LIMIT_MB = 1
TOO_LARGE_CHARS = 1_300_000


class Outcome(Enum):
    FAILS = "fails"  # exactly one row in errors.csv, with one of `kinds`
    READS = "reads"  # no row in errors.csv; a result with text (and sections)
    READS_OR_FAILS = "reads or fails"  # either, but a failure has one of `kinds`
    DUPLICATE = "duplicate"  # no error; a row in duplicates.csv with `same_as`
    IGNORED = "ignored"  # neither an error nor a document (a directory)


@dataclass(frozen=True)
class BadFile:
    rel: str  # path under the corpus directory, POSIX
    description: str
    outcome: Outcome
    kinds: frozenset[str] = frozenset()  # acceptable error kinds (FAILS, READS_OR_FAILS)
    # The corpus document this file renders: most of its words must come out.
    origin: Optional[Path] = None
    min_sections: int = 1  # for READS
    same_as: Optional[str] = None  # for DUPLICATE: the good file it copies
    # For READS: the text must be the origin's, up to case and the punctuation
    # 8-bit fonts lack (an encoding or line-ending change loses nothing else).
    same_text: bool = False
    # For READS: the section tree must be the origin's (same numbers and titles).
    same_sections: bool = False


# --- environment probes ------------------------------------------------------


def tesseract_vie() -> bool:
    """tesseract with the Vietnamese model (OCR of scanned pages)."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in (out.stdout + out.stderr).split()


def doc_converter() -> bool:
    """antiword or LibreOffice, either of which reads a Word 97 .doc."""
    return any(shutil.which(name) for name in ("antiword", "soffice", "libreoffice"))


# --- legacy Vietnamese encoders ----------------------------------------------

_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook", "\u0323": "dot"}
_MODIFIERS = {"\u0302": "circumflex", "\u0306": "breve", "\u031b": "horn"}
# Punctuation the 8-bit fonts lack, as a typist of the time wrote it.
_ASCII_PUNCT = {"\u2013": "-", "\u2014": "-", "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                "\u2026": "...", "\xa0": " "}


def _split_letter(ch: str) -> tuple[str, Optional[str], Optional[str]]:
    """A Vietnamese letter as (base ASCII letter or đ/Đ, modifier, tone)."""
    if ch in "đĐ":
        return ch, None, None
    decomposed = unicodedata.normalize("NFD", ch)
    base, modifier, tone = decomposed[0], None, None
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _MODIFIERS:
            modifier = _MODIFIERS[mark]
        else:
            raise ValueError(f"no legacy form for {ch!r}")
    return base, modifier, tone


# TCVN3 (TCVN 5712:1993, the ".Vn" ABC fonts): one byte per lower-case letter;
# capitals with a tone exist only in the separate upper-case fonts (.VnTimeH),
# which use the lower-case codes, so they are written with those codes.
_TCVN3_LOWER = {
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        ch = _ASCII_PUNCT.get(ch, ch)
        if len(ch) > 1 or ord(ch) < 0x80:
            out += ch.encode("ascii")
        elif ch in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[ch])
        elif ch in _TCVN3_LOWER:
            out.append(_TCVN3_LOWER[ch])
        elif ch.lower() in _TCVN3_LOWER:  # "Ế": a capital with a tone has no code of its own
            out.append(_TCVN3_LOWER[ch.lower()])
        else:
            raise ValueError(f"no TCVN3 code for {ch!r}")
    return bytes(out)


# VNI-Windows: an ASCII base letter followed by a mark byte (two for a
# circumflex or breve with a tone); a few letters have a byte of their own.
_VNI_SINGLE = {"đ": 0xF1, "Đ": 0xD1, "ơ": 0xF4, "Ơ": 0xD4, "ư": 0xF6, "Ư": 0xD6,
               "í": 0xED, "ì": 0xEC, "ỉ": 0xE6, "ĩ": 0xF3, "ị": 0xF2,
               "Í": 0xCD, "Ì": 0xCC, "Ỉ": 0xC6, "Ĩ": 0xD3, "Ị": 0xD2, "ỵ": 0xEE, "Ỵ": 0xCE}
# (lower, upper) mark bytes by (modifier, tone).
_VNI_MARKS = {
    (None, "acute"): (0xF9, 0xD9), (None, "grave"): (0xF8, 0xD8), (None, "hook"): (0xFB, 0xDB),
    (None, "tilde"): (0xF5, 0xD5), (None, "dot"): (0xEF, 0xCF),
    ("circumflex", None): (0xE2, 0xC2), ("circumflex", "acute"): (0xE1, 0xC1),
    ("circumflex", "grave"): (0xE0, 0xC0), ("circumflex", "hook"): (0xE5, 0xC5),
    ("circumflex", "tilde"): (0xE3, 0xC3), ("circumflex", "dot"): (0xE4, 0xC4),
    ("breve", None): (0xEA, 0xCA), ("breve", "acute"): (0xE9, 0xC9), ("breve", "grave"): (0xE8, 0xC8),
    ("breve", "hook"): (0xFA, 0xDA), ("breve", "tilde"): (0xFC, 0xDC), ("breve", "dot"): (0xEB, 0xCB),
}


def encode_vni(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        ch = _ASCII_PUNCT.get(ch, ch)
        if len(ch) > 1 or ord(ch) < 0x80:
            out += ch.encode("ascii")
            continue
        if ch in _VNI_SINGLE:
            out.append(_VNI_SINGLE[ch])
            continue
        base, modifier, tone = _split_letter(ch)
        upper = base.isupper()
        if modifier == "horn":  # ơ/ư carrying a tone: the letter's byte, then the tone
            out.append(_VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")])
            modifier = None
        else:
            out += base.encode("ascii")
        out.append(_VNI_MARKS[(modifier, tone)][upper])
    return bytes(out)


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Word wrote it: â ê ô ă ơ ư đ precomposed, tones as combining marks."""
    pieces: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80 or ch in "đĐ":
            pieces.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        modifiers = "".join(m for m in decomposed[1:] if m in _MODIFIERS)
        tones = "".join(m for m in decomposed[1:] if m in _TONES)
        if len(modifiers) + len(tones) != len(decomposed) - 1:
            pieces.append(ch)
            continue
        pieces.append(unicodedata.normalize("NFC", decomposed[0] + modifiers) + tones)
    return "".join(pieces).encode("cp1258")


# --- ZIP and OLE containers --------------------------------------------------


def zip_entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def write_zip(path: Path, entries: Iterable[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)


def replace_entry(entries: list[tuple[str, bytes]], name: str, data: Optional[bytes]) -> list[tuple[str, bytes]]:
    """Entries with ``name`` replaced (or removed when ``data`` is None)."""
    assert any(n == name for n, _ in entries), name
    return [(n, data if n == name else d) for n, d in entries if not (n == name and data is None)]


_SECTOR = 512
_ENDOFCHAIN, _FATSECT, _FREESECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


def write_ole(path: Path, streams: dict[str, bytes]) -> None:
    """An OLE compound file (CFB version 3) holding ``streams`` in its root storage.

    Every stream is padded to at least 4096 bytes so that none belongs in the
    mini stream; readers take the stream size from the directory.
    """
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # CFB directory order
    data = {n: streams[n] + b"\0" * max(0, 4096 - len(streams[n])) for n in names}
    sectors: list[bytes] = []
    starts: dict[str, int] = {}
    chains: list[tuple[int, int]] = []  # (first sector, count)
    for n in names:
        blob = data[n] + b"\0" * (-len(data[n]) % _SECTOR)
        starts[n] = len(sectors)
        chains.append((len(sectors), len(blob) // _SECTOR))
        sectors += [blob[i:i + _SECTOR] for i in range(0, len(blob), _SECTOR)]

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    links: dict[int, tuple[int, int]] = {}  # directory id -> (left, right): a balanced tree

    def link(lo: int, hi: int) -> int:
        if lo > hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        links[mid] = (link(lo, mid - 1), link(mid + 1, hi))
        return mid

    root_child = link(1, len(names))
    directory = entry("Root Entry", 5, _NOSTREAM, _NOSTREAM, root_child, _ENDOFCHAIN, 0)
    for i, n in enumerate(names, start=1):
        left, right = links[i]
        directory += entry(n, 2, left, right, _NOSTREAM, starts[n], len(data[n]))
    directory += b"\0" * (-len(directory) % _SECTOR)
    dir_start = len(sectors)
    dir_count = len(directory) // _SECTOR
    chains.append((dir_start, dir_count))
    sectors += [directory[i:i + _SECTOR] for i in range(0, len(directory), _SECTOR)]

    fat_count = 1
    while (len(sectors) + fat_count) > fat_count * 128:
        fat_count += 1
    fat = [_FREESECT] * (fat_count * 128)
    for first, count in chains:
        for k in range(count):
            fat[first + k] = first + k + 1 if k < count - 1 else _ENDOFCHAIN
    fat_start = len(sectors)
    for k in range(fat_count):
        fat[fat_start + k] = _FATSECT
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [fat_bytes[i:i + _SECTOR] for i in range(0, len(fat_bytes), _SECTOR)]

    difat = [fat_start + k for k in range(fat_count)] + [_FREESECT] * (109 - fat_count)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_count, dir_start, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == _SECTOR
    path.write_bytes(header + b"".join(sectors))


def word97_doc(text: str) -> dict[str, bytes]:
    """The streams of a minimal Word 97 binary document holding ``text``.

    One piece of UTF-16 text described by the piece table (CLX) in the
    ``1Table`` stream; no styles or formatting, which readers supply by default.
    """
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n")]
    body = "\r".join(paragraphs).rstrip("\r") + "\r"
    text_offset = 0x800
    text_bytes = body.encode("utf-16-le")
    ccp = len(body)
    clx = b"\x02" + struct.pack("<I", 16) + struct.pack("<II", 0, ccp) + struct.pack("<HIH", 0, text_offset, 0)
    fib = bytearray(0x800)
    struct.pack_into("<HHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x042A)  # wIdent, nFib, unused, lid (Vietnamese)
    struct.pack_into("<H", fib, 0x0A, 0x0200 | 0x1000)  # fWhichTblStm (1Table), fExtChar
    struct.pack_into("<H", fib, 0x0C, 0x00BF)  # nFibBack
    struct.pack_into("<II", fib, 0x18, text_offset, text_offset + len(text_bytes))  # fcMin, fcMac (antiword reads them)
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<I", fib, 0x40, len(fib) + len(text_bytes))  # cbMac
    struct.pack_into("<I", fib, 0x4C, ccp)  # ccpText
    struct.pack_into("<H", fib, 0x98, 93)  # cbRgFcLcb (Word 97)
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx
    return {"WordDocument": bytes(fib) + text_bytes, "1Table": clx}


# --- documents written from scratch -------------------------------------------


_MARKDOWN = re.compile(r"^#+\s*|\[bookmark:[^\]]*\]|\[footnoteRef:\s*\w+\]|\\(?=\*)|(?<!\\)\*+|(?<!\w)__|__(?!\w)")


def _paragraphs(path: Path) -> list[str]:
    """The paragraphs of a corpus .txt as a word processor holds them: one a line,
    without the Markdown marks (``##``, ``**``, ``\\*``) the conversion left."""
    lines = (_MARKDOWN.sub("", line).strip() for line in path.read_text(encoding="utf-8-sig").splitlines())
    return [line for line in lines if any(ch.isalnum() for ch in line)]


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def word_html(path: Path) -> bytes:
    """A document saved by Word as "Web Page" (what many .doc files on portals are)."""
    paras = []
    for line in _paragraphs(path):
        style = "text-align:center;font-weight:bold" if line.isupper() else "text-align:justify"
        paras.append(f"<p class=MsoNormal style='{style}'><span lang=VI>{_html_escape(line)}</span></p>")
    return (
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"\n"
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n"
        "<head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">\n"
        "<meta name=ProgId content=Word.Document><meta name=Generator content=\"Microsoft Word 11\">\n"
        "<style>p.MsoNormal{margin:0cm;font-size:14.0pt;font-family:\"Times New Roman\"}</style>\n"
        "</head>\n<body lang=EN-US style='tab-interval:36.0pt'>\n<div class=Section1>\n"
        + "\n".join(paras) + "\n</div>\n</body>\n</html>\n"
    ).encode("utf-8")


def _rtf_escape(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 0x80:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\u{code if code < 0x8000 else code - 0x10000}?")
    return "".join(out)


def word_rtf(path: Path) -> bytes:
    """A document saved by Word as Rich Text (Vietnamese letters as ``\\uN?``)."""
    body = []
    for line in _paragraphs(path):
        if line.isupper():
            body.append(r"\pard\qc\b " + _rtf_escape(line) + r"\b0\par")
        else:
            body.append(r"\pard\qj " + _rtf_escape(line) + r"\par")
    return ("{\\rtf1\\ansi\\ansicpg1258\\deff0\\uc1{\\fonttbl{\\f0\\froman\\fcharset163 Times New Roman;}}\n"
            "{\\info{\\title Nghi quyet}}\\viewkind4\\f0\\fs28\n" + "\n".join(body) + "\n}\n").encode("ascii")


def _pdf_objects(objects: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (1 is the catalog), with a correct xref."""
    return pdf_from_objects(objects)


def pdf_without_pages() -> bytes:
    return _pdf_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_blank_page() -> bytes:
    return _pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ])


def pdf_many_pages(count: int) -> bytes:
    """Blank pages that all share one content stream: a tiny file, a huge page count."""
    kids = " ".join(f"{4 + k} 0 R" for k in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << >> >>"
    return _pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Length 0 >>\nstream\n\nendstream",
        *[page] * count,
    ])


def pdf_stream_bomb(megabytes: int) -> bytes:
    """One page whose Flate content stream inflates to ``megabytes`` of blanks."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return _pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode() + packed + b"\nendstream",
    ])


def pdf_encrypted() -> bytes:
    """A text PDF that opens only with a user password."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in ("NGHI QUYET", "Ve tang cuong cong tac cong doan", "1. Muc tieu: den nam 2030 ..."):
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_image_only(source: Path, dpi: int = 150) -> bytes:
    """The first page of a text PDF rendered to an image: a one-page scan."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(source))
    try:
        image = doc[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, "PDF", resolution=dpi)
    return buf.getvalue()


def pdf_broken_xref(source: Path) -> bytes:
    """A PDF whose ``startxref`` points into the middle of the file."""
    data = source.read_bytes()
    at = data.rindex(b"startxref")
    tail = data[at:]
    number = tail.split()[1]
    return data[:at] + tail.replace(number, str(int(number) // 2).encode(), 1)


# --- hostile .docx ------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f"<w:document {_W}><w:body>{body}</w:body></w:document>").encode("utf-8")


_PARA = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"

BILLION_LAUGHS = (
    '<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
)
EXTERNAL_ENTITY = '<!DOCTYPE w:document [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'


def deep_document(depth: int) -> bytes:
    opening = "<w:sdt><w:sdtContent>" * depth
    closing = "</w:sdtContent></w:sdt>" * depth
    return _document_xml(opening + _PARA.format("Sâu") + closing)


def write_ratio_bomb(path: Path, base: list[tuple[str, bytes]], megabytes: int) -> None:
    """A .docx whose document.xml inflates from ~0.1% of its size: ``megabytes`` of blanks."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body><w:p><w:r><w:t xml:space="preserve">'
    tail = "</w:t></w:r></w:p></w:body></w:document>"
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in base:
            if name != "word/document.xml":
                zf.writestr(name, data)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            fh.write(head.encode())
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(tail.encode())


def write_many_entries(path: Path, base: list[tuple[str, bytes]], count: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in base:
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        for k in range(count):
            zf.writestr(f"z/{k}", b"")


def lie_about_size(path: Path, name: str, declared: int) -> None:
    """Rewrite the uncompressed size of ``name`` in its local header and central directory."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, declared)
    encoded = name.encode()
    central = 0
    while True:
        central = data.index(b"PK\x01\x02", central)
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, central + 24, declared)
            break
        central += 4
    path.write_bytes(bytes(data))


_OOXML = "http://schemas.openxmlformats.org"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def xlsx_like() -> list[tuple[str, bytes]]:
    """The parts of a one-sheet Excel workbook."""
    content_types = (
        f'{_XML_DECL}<Types xmlns="{_OOXML}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_CT}.worksheet+xml"/>'
        "</Types>"
    )
    rels = (
        f'{_XML_DECL}<Relationships xmlns="{_OOXML}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_OOXML}/officeDocument/2006/relationships/officeDocument"'
        ' Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (f'{_XML_DECL}<workbook xmlns="{_OOXML}/spreadsheetml/2006/main">'
                '<sheets><sheet name="Chỉ tiêu" sheetId="1"/></sheets></workbook>')
    sheet = (f'{_XML_DECL}<worksheet xmlns="{_OOXML}/spreadsheetml/2006/main"><sheetData><row r="1">'
             '<c r="A1" t="inlineStr"><is><t>Tỷ lệ đoàn viên</t></is></c></row></sheetData></worksheet>')
    return [("[Content_Types].xml", content_types.encode()), ("_rels/.rels", rels.encode()),
            ("xl/workbook.xml", workbook.encode()), ("xl/worksheets/sheet1.xml", sheet.encode())]


def images_zip() -> list[tuple[str, bytes]]:
    from PIL import Image

    entries = []
    for k in range(3):
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), (40 * k, 90, 160)).save(buf, "PNG")
        entries.append((f"scan_{k + 1}.png", buf.getvalue()))
    return entries


def strict_ooxml(xml: bytes) -> bytes:
    """A part as Word writes it in ISO 29500 Strict: other namespace and relationship URIs."""
    return (xml.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                        b"http://purl.oclc.org/ooxml/wordprocessingml/main")
               .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                        b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def random_bytes(seed: int, n: int) -> bytes:
    return random.Random(seed).randbytes(n)


RUSSIAN = (
    "ПОСТАНОВЛЕНИЕ\nо мерах по развитию профсоюзного движения\n"
    "1. Утвердить прилагаемую программу действий на 2025–2030 годы.\n"
    "2. Поручить областным комитетам обеспечить её выполнение до 31 декабря 2026 года.\n"
) * 20


# --- the corpus ----------------------------------------------------------------


def build_bad_corpus(root: Path) -> list[BadFile]:
    """Write the bad, old and hostile files under ``root``; return what each must give."""
    root.mkdir(parents=True, exist_ok=True)
    files: list[BadFile] = []

    def add(rel: str, description: str, outcome: Outcome, kinds: Iterable[str] = (),
            write: Optional[Callable[[Path], None]] = None, data: Optional[bytes] = None,
            **extra: Any) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        elif write is not None:
            write(path)
        files.append(BadFile(rel, description, outcome, frozenset(kinds), **extra))

    fails, reads = Outcome.FAILS, Outcome.READS
    txt0, txt1, txt2, txt3, txt4 = TXT
    docx_good = zip_entries(DOCX[0])  # parts of a real .docx to mutate
    docx_bytes = DOCX[2].read_bytes()
    pdf_bytes = PDF[3].read_bytes()

    # Empty and blank.
    add("empty/zero.txt", "0-byte .txt", fails, {"empty"}, data=b"")
    add("empty/zero.docx", "0-byte .docx", fails, {"empty"}, data=b"")
    add("empty/zero.pdf", "0-byte .pdf", fails, {"empty"}, data=b"")
    add("empty/blank.txt", "only spaces, tabs and line breaks", fails, {"empty", "no_text"},
        data=b"  \r\n\t\n   \n\n \t \r\n")

    # Interrupted copies.
    for label, cut in (("10pct", len(docx_bytes) // 10), ("half", len(docx_bytes) // 2),
                       ("tail", len(docx_bytes) - 300)):
        add(f"truncated/docx_{label}.docx", f".docx cut at byte {cut} of {len(docx_bytes)}", fails,
            {"truncated", "corrupt"}, data=docx_bytes[:cut])
    for label, cut in (("10pct", len(pdf_bytes) // 10), ("half", len(pdf_bytes) // 2),
                       ("tail", len(pdf_bytes) - 300)):
        add(f"truncated/pdf_{label}.pdf", f".pdf cut at byte {cut} of {len(pdf_bytes)}", fails,
            {"truncated", "corrupt"}, data=pdf_bytes[:cut])
    add("truncated/pdf_header_only.pdf", "a PDF header and %%EOF, nothing between", fails,
        {"truncated", "corrupt", "empty"}, data=b"%PDF-1.7\n%%EOF\n")

    # Damaged or foreign ZIP packages.
    damaged = bytearray(DOCX[3].read_bytes())
    middle = len(damaged) // 2
    damaged[middle:middle + 2048] = random_bytes(1, 2048)
    add("zip/corrupt.docx", ".docx with 2 KB of garbage over its compressed data", fails, {"corrupt"},
        data=bytes(damaged))
    add("zip/spreadsheet.docx", "an .xlsx workbook named .docx", fails,
        {"wrong_extension", "unsupported_format", "corrupt"}, write=lambda p: write_zip(p, xlsx_like()))
    add("zip/images.docx", "a ZIP of PNG images named .docx", fails,
        {"wrong_extension", "unsupported_format", "corrupt"}, write=lambda p: write_zip(p, images_zip()))
    add("docx/no_document_xml.docx", ".docx without word/document.xml", fails, {"corrupt"},
        write=lambda p: write_zip(p, replace_entry(docx_good, "word/document.xml", None)))
    add("docx/no_content_types.docx", ".docx without [Content_Types].xml", fails, {"corrupt"},
        write=lambda p: write_zip(p, replace_entry(docx_good, "[Content_Types].xml", None)))
    original_xml = dict(docx_good)["word/document.xml"]
    add("docx/malformed_xml.docx", "document.xml cut in the middle of a tag", fails, {"corrupt"},
        write=lambda p: write_zip(p, replace_entry(docx_good, "word/document.xml",
                                                   original_xml[: len(original_xml) // 2])))

    # Word packages python-docx does not open as they are: macro-enabled, template, ISO Strict.
    main_ct = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = dict(docx_good)["[Content_Types].xml"]
    for rel, other_ct, what in (
        ("docx/macro_enabled.docx", b"application/vnd.ms-word.document.macroEnabled.main+xml",
         "a macro-enabled document (.docm) named .docx"),
        ("docx/template.docx", b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
         "a Word template (.dotx) named .docx"),
    ):
        add(rel, what, Outcome.READS_OR_FAILS, {"unsupported_format", "wrong_extension"}, origin=txt0,
            write=lambda p, ct=other_ct: write_zip(p, replace_entry(docx_good, "[Content_Types].xml",
                                                                      types.replace(main_ct, ct))))
    add("docx/strict_ooxml.docx", 'saved by Word as "Strict Open XML Document" (ISO 29500 Strict namespaces)',
        Outcome.READS_OR_FAILS, {"unsupported_format", "corrupt"}, origin=txt0,
        write=lambda p: write_zip(p, [(n, strict_ooxml(d) if n.endswith((".xml", ".rels")) else d)
                                      for n, d in docx_good]))

    # XML attacks.
    add("hostile/billion_laughs.docx", "document.xml declares nested entities (billion laughs)", fails,
        {"unsafe_xml"}, write=lambda p: write_zip(p, replace_entry(
            docx_good, "word/document.xml", _document_xml(_PARA.format("&lol9;"), BILLION_LAUGHS))))
    add("hostile/external_entity.docx", "document.xml pulls file:///etc/passwd as an entity (XXE)", fails,
        {"unsafe_xml"}, write=lambda p: write_zip(p, replace_entry(
            docx_good, "word/document.xml", _document_xml(_PARA.format("&xxe;"), EXTERNAL_ENTITY))))
    styles = dict(docx_good)["word/styles.xml"]
    evil_styles = styles.replace(b"?>", b"?>\n" + BILLION_LAUGHS.replace("w:document", "w:styles").encode(), 1)
    add("hostile/doctype_in_styles.docx", "styles.xml (not document.xml) carries a DOCTYPE with entities",
        fails, {"unsafe_xml"}, write=lambda p: write_zip(p, replace_entry(docx_good, "word/styles.xml", evil_styles)))
    add("hostile/deep_xml.docx", "content controls nested 20,000 deep", fails, {"too_deep"},
        write=lambda p: write_zip(p, replace_entry(docx_good, "word/document.xml", deep_document(20_000))))

    # Zip bombs.
    add("hostile/bomb_ratio.docx", "document.xml inflates to 200 MB of blanks (ratio ~1000:1)", fails,
        {"zip_bomb"}, write=lambda p: write_ratio_bomb(p, docx_good, 200))
    add("hostile/bomb_entries.docx", "a .docx with 6,000 extra empty ZIP entries", fails, {"zip_bomb"},
        write=lambda p: write_many_entries(p, docx_good, 6_000))

    def lying(declared: int) -> Callable[[Path], None]:
        def write(p: Path) -> None:
            write_zip(p, docx_good)
            lie_about_size(p, "word/document.xml", declared)
        return write

    add("hostile/bomb_declares_4gb.docx", "document.xml declares 4 GB uncompressed", fails,
        {"zip_bomb", "corrupt"}, write=lying(0xFFFF0000))
    add("hostile/bomb_understates.docx", "document.xml declares 100 bytes but inflates to far more", fails,
        {"zip_bomb", "corrupt"}, write=lying(100))

    # Encrypted.
    add("encrypted/password.pdf", "PDF with a user password (RC4)", fails, {"encrypted"}, data=pdf_encrypted())
    add("encrypted/password.docx", "Word-encrypted .docx (an OLE file with EncryptionInfo/EncryptedPackage)",
        fails, {"encrypted"}, write=lambda p: write_ole(p, {
            "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version=\"1.0\"?><encryption/>",
            "EncryptedPackage": struct.pack("<Q", 40000) + random_bytes(2, 40000)}))

    # PDF structure.
    # pdfium refuses an empty page tree outright, so "corrupt" is as right as "empty".
    add("pdf/no_pages.pdf", "a PDF whose page tree is empty (zero pages)", fails, {"empty", "no_text", "corrupt"},
        data=pdf_without_pages())
    add("pdf/blank_page.pdf", "one blank page, no text, no image", fails, {"no_text", "empty"},
        data=pdf_blank_page())
    add("pdf/broken_xref.pdf", "startxref points into the middle of the file (repairable)",
        Outcome.READS_OR_FAILS, {"corrupt"}, data=pdf_broken_xref(PDF[2]), origin=TXT[2])
    if tesseract_vie():
        add("pdf/image_only.pdf", "first page of a resolution as a 150 dpi image, no text layer", reads,
            data=pdf_image_only(PDF[4]), min_sections=0)
    else:
        add("pdf/image_only.pdf", "image-only PDF, tesseract not installed", fails, {"image_only"},
            data=pdf_image_only(PDF[4]))

    add("hostile/pdf_stream_bomb.pdf", "a page whose content stream inflates to 300 MB of blanks", fails,
        {"zip_bomb", "too_large"}, data=pdf_stream_bomb(300))
    add("hostile/pdf_3000_pages.pdf", "3,000 blank pages in 400 KB", fails, {"too_large"},
        data=pdf_many_pages(3000))

    # Random bytes and foreign text.
    add("binary/random.txt", "4 KB of random bytes named .txt", fails, {"binary", "mis_encoded"},
        data=random_bytes(3, 4096))
    add("binary/random.pdf", "4 KB of random bytes named .pdf", fails,
        {"corrupt", "binary", "wrong_extension", "unsupported_format"}, data=random_bytes(4, 4096))
    add("binary/random.docx", "4 KB of random bytes named .docx", fails,
        {"corrupt", "binary", "wrong_extension", "unsupported_format"}, data=random_bytes(5, 4096))
    add("encoding/russian_cp1251.txt", "Russian text in cp1251: 8-bit, not Vietnamese", fails,
        {"mis_encoded"}, data=RUSSIAN.encode("cp1251"))

    # Size limit (lowered to TEST_TXT_LIMIT_MB in the models copy the test runs with).
    big = (txt4.read_text(encoding="utf-8") + "\n") * (TOO_LARGE_CHARS // txt4.stat().st_size + 1)
    add("limits/too_large.txt", f"{TOO_LARGE_CHARS // 1000}k characters of text, over a {TEST_TXT_LIMIT_MB} MB limit",
        fails, {"too_large"}, data=big[:TOO_LARGE_CHARS].encode("utf-8"))

    # Special files.
    (root / "links").mkdir(exist_ok=True)
    os.symlink("does-not-exist.txt", root / "links/dangling.txt")
    files.append(BadFile("links/dangling.txt", "symbolic link to a file that does not exist", fails,
                         frozenset({"missing", "unreadable"})))
    os.symlink("loop_b.txt", root / "links/loop_a.txt")
    os.symlink("loop_a.txt", root / "links/loop_b.txt")
    for name in ("loop_a.txt", "loop_b.txt"):
        files.append(BadFile(f"links/{name}", "two symbolic links pointing at each other", fails,
                             frozenset({"symlink_loop"})))
    os.symlink("..", root / "links/loop_dir")
    files.append(BadFile("links/loop_dir", "directory link to its own ancestor (an endless tree)", fails,
                         frozenset({"symlink_loop"})))
    (root / "special").mkdir(exist_ok=True)
    os.mkfifo(root / "special/pipe.txt")
    files.append(BadFile("special/pipe.txt", "a FIFO named .txt (opening it would block)", fails,
                         frozenset({"special_file", "unreadable"})))
    # A name written by an old system in VNI bytes ("Nghò quyeát.txt"): not valid UTF-8.
    legacy_name = os.fsdecode(b"Ngh\xf2 quye\xe1t.txt")
    (root / "names").mkdir(exist_ok=True)
    (root / "names" / legacy_name).write_bytes(
        "NGHỊ QUYẾT\n\n1. Tăng cường công tác tuyên truyền.\n2. Hoàn thành trước năm 2030.\n".encode("utf-8"))
    files.append(BadFile(f"names/{legacy_name}", "UTF-8 text under a file name in VNI bytes (not UTF-8)",
                         Outcome.READS_OR_FAILS, frozenset({"bad_file_name"}), min_sections=0))
    (root / "special/x.pdf").mkdir()
    files.append(BadFile("special/x.pdf", "a directory named x.pdf", Outcome.IGNORED))
    add("special/x.pdf/note.txt", "a text file inside the directory named x.pdf", reads,
        data=("Ghi chú\n\nI. MỤC ĐÍCH\n1. Công đoàn các cấp tổ chức quán triệt nghị quyết.\n"
              "2. Hoàn thành trước ngày 31/12/2026.\n").encode("utf-8"))

    # Old encodings and line endings: must read.
    add("legacy/tcvn3.txt", "TCVN3 (ABC, .VnTime) text of a corpus document", reads,
        data=encode_tcvn3(txt0.read_text(encoding="utf-8-sig")), origin=txt0, same_text=True, same_sections=True)
    add("legacy/vni.txt", "VNI-Windows text of a corpus document", reads,
        data=encode_vni(txt1.read_text(encoding="utf-8-sig")), origin=txt1, same_text=True, same_sections=True)
    add("legacy/cp1258.txt", "Windows-1258 text (combining tones) of a corpus document", reads,
        data=encode_cp1258(txt2.read_text(encoding="utf-8-sig")), origin=txt2, same_text=True, same_sections=True)
    add("legacy/utf16le_nobom.txt", "UTF-16 LE without a byte-order mark", reads,
        data=txt3.read_text(encoding="utf-8-sig").encode("utf-16-le"), origin=txt3, same_text=True, same_sections=True)
    add("legacy/utf16be_nobom.txt", "UTF-16 BE without a byte-order mark", reads,
        data=txt4.read_text(encoding="utf-8-sig").encode("utf-16-be"), origin=txt4, same_text=True, same_sections=True)
    nfd = unicodedata.normalize("NFD", txt0.read_text(encoding="utf-8-sig"))
    add("legacy/nfd.txt", "UTF-8 in decomposed form (NFD, as macOS writes names)", reads,
        data=nfd.encode("utf-8"), origin=txt0, same_text=True, same_sections=True)
    mixed = "".join(line + ("\r\n", "\r", "\n")[k % 3]
                    for k, line in enumerate(txt1.read_text(encoding="utf-8-sig").splitlines()))
    add("legacy/mixed_eol.txt", "line endings mixed: CRLF, CR and LF", reads,
        data=mixed.encode("utf-8"), origin=txt1, same_text=True, same_sections=True)

    # Formats in disguise.
    add("disguised/web_page.doc", "HTML saved by Word as a web page, named .doc", reads,
        data=word_html(txt2), origin=txt2, same_sections=True)
    add("disguised/resolution.rtf", "Rich Text Format saved by Word", reads, data=word_rtf(txt3), origin=txt3,
        same_sections=True)
    add("disguised/rtf_named.doc", "Rich Text Format named .doc", reads, data=word_rtf(txt4), origin=txt4,
        same_sections=True)
    add("disguised/pdf_named.docx", "a PDF named .docx", reads, data=PDF[1].read_bytes(), origin=TXT[1])
    add("disguised/docx_named.pdf", "a .docx named .pdf", reads, data=DOCX[3].read_bytes(), origin=TXT[3])
    add("disguised/docx_named.doc", "a .docx named .doc (renamed by hand)", reads, data=DOCX[4].read_bytes(),
        origin=TXT[4])
    add("disguised/pdf_named.txt", "a PDF named .txt", reads, data=PDF[4].read_bytes(), origin=TXT[4])
    doc_text = "\n".join(_paragraphs(txt4))
    if doc_converter():
        add("legacy/word97.doc", "Word 97-2003 binary .doc (OLE)", reads,
            write=lambda p: write_ole(p, word97_doc(doc_text)), origin=txt4, same_sections=True)
    else:
        add("legacy/word97.doc", "Word 97-2003 binary .doc, no antiword/LibreOffice", fails,
            {"converter_missing"}, write=lambda p: write_ole(p, word97_doc(doc_text)))

    # A second copy of a good file, under another name.
    rel_good = f"txt/{txt0.name}"
    add("vault/old_copy.txt", f"byte-identical copy of {rel_good}", Outcome.DUPLICATE,
        data=txt0.read_bytes(), same_as=rel_good)
    return files


def build_good_corpus(root: Path) -> list[str]:
    """Copies of the good documents under ``root`` (``txt/…``, ``docx/…``, ``pdf/…``)."""
    rels = []
    for path in GOOD_FILES:
        rel = f"{path.parent.name}/{path.name}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, root / rel)
        rels.append(rel)
    return rels
