"""What a file really is, from its first bytes (and a ZIP's or OLE file's directory).

Archives rename files freely: a "Save as Web Page" document kept as ``.doc``, a
PDF downloaded as ``.docx``, an Excel sheet among the Word files. The reader is
chosen by content; the suffix only says what the file claims to be.

Signatures, in the order they are tried (first match wins):

======================================================  ==========================
first bytes / directory                                 kind
======================================================  ==========================
``%PDF-`` in the first 1 KB                             ``pdf``
``PK\\3\\4`` + ``word/document.xml``                      ``docx``
``PK\\3\\4`` + ``xl/`` / ``ppt/`` / ODF ``mimetype`` …    ``office`` (not readable)
``PK\\3\\4`` + ``word/`` parts but no main part          ``docx_damaged``
``PK\\3\\4`` other members; unreadable directory          ``zip`` / ``zip_damaged``
OLE2 ``D0 CF 11 E0`` + stream ``WordDocument``          ``doc`` (Word 97–2003)
OLE2 + ``EncryptedPackage``                              ``encrypted_ooxml``
OLE2 + ``Workbook`` / ``PowerPoint Document`` / other   ``ole`` (not readable)
``{\\rtf``                                               ``rtf``
``MIME-Version:`` + ``multipart/related`` (text head)   ``mht``
``<!DOCTYPE html`` / ``<html`` / Word's HTML namespace   ``html``
``<?xml`` (Word 2003 XML, Flat OPC, other XML)          ``xml`` (not readable)
PNG, JPEG, GIF, TIFF, 7z, RAR, gzip, executables …      ``binary`` (named)
text (UTF-8, UTF-16, or 8-bit without control bytes)    ``text``
anything else                                           ``binary``
======================================================  ==========================
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

HEAD_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_HTML_NAMESPACE = b"urn:schemas-microsoft-com:office:word"

# Kinds a reader exists for, and the reader (by registered suffix) that reads them.
READER_OF_KIND = {
    "pdf": ".pdf",
    "docx": ".docx",
    "doc": ".doc",
    "rtf": ".rtf",
    "html": ".html",
    "mht": ".mht",
    "text": ".txt",
}
# What each suffix promises, as a sniffed kind.
KIND_OF_SUFFIX = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".rtf": "rtf",
    ".html": "html",
    ".htm": "html",
    ".mht": "mht",
    ".mhtml": "mht",
    ".txt": "text",
    ".md": "text",
}
# How a kind is named in messages ("the content is a PDF").
KIND_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "doc": "a Word 97-2003 document (.doc)",
    "rtf": "an RTF document",
    "html": "an HTML page",
    "mht": "a single-file web page (.mht)",
    "text": "plain text",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x01\x00", "an icon"),
)
# OLE2 streams that name the application (Word 97-2003 and its siblings).
_OLE_STREAMS = (
    ("WordDocument", "doc", "a Word 97-2003 document (.doc)"),
    ("EncryptedPackage", "encrypted_ooxml", "a password-protected (encrypted) Office document"),
    ("Workbook", "ole", "an Excel 97-2003 workbook (.xls)"),
    ("Book", "ole", "an Excel 5.0/95 workbook (.xls)"),
    ("PowerPoint Document", "ole", "a PowerPoint 97-2003 presentation (.ppt)"),
    ("VisioDocument", "ole", "a Visio drawing (.vsd)"),
    ("__substg1.0_0037001F", "ole", "an Outlook message (.msg)"),
)
# OOXML and OpenDocument packages by a member only they have.
_ZIP_MEMBERS = (
    ("word/document.xml", "docx", "a Word document (.docx)"),
    ("xl/workbook.xml", "office", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "office", "a PowerPoint presentation (.pptx)"),
    ("visio/document.xml", "office", "a Visio drawing (.vsdx)"),
)
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    "application/epub+zip": "an EPUB e-book",
}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>])",
                         re.I | re.S)
_HTML_TAG = re.compile(rb"<(?:html|head|body|meta|title|p|div|table|h[1-6])[\s>]", re.I)
_MIME_HEADER = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?MIME-Version:", re.I)
_MULTIPART_RELATED = re.compile(rb"Content-Type:\s*multipart/related", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True)
class Sniffed:
    """What the content is: a ``kind`` (see the module table) and how to name it."""

    kind: str
    description: str
    word_html: bool = False  # HTML written by Word ("Save as Web Page")

    @property
    def reader_suffix(self) -> Optional[str]:
        """The registered suffix of the reader for this content (None: no reader)."""
        return READER_OF_KIND.get(self.kind)


def sniff(path: Path) -> Sniffed:
    """Classify ``path`` by its content."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    return sniff_bytes(head, path)


def sniff_bytes(head: bytes, path: Optional[Path] = None) -> Sniffed:
    """Classify the first bytes of a file (``path`` lets ZIP and OLE files be opened)."""
    if not head:
        return Sniffed("empty", "an empty file")
    if b"%PDF-" in head[:1024]:
        return Sniffed("pdf", "a PDF")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path) if path is not None else Sniffed("zip", "a ZIP archive")
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(head, path)
    text_head = _text_head(head)
    stripped = text_head.lstrip()
    if stripped.startswith(b"{\\rtf"):
        return Sniffed("rtf", "an RTF document")
    if _MIME_HEADER.match(stripped) and _MULTIPART_RELATED.search(text_head):
        return Sniffed("mht", "a single-file web page (.mht)")
    word_html = WORD_HTML_NAMESPACE in text_head
    if _XML_DECL.match(stripped):
        after = stripped[_XML_DECL.match(stripped).end():]
        if _HTML_START.match(after) or word_html:
            return Sniffed("html", "an HTML page", word_html=word_html)
        return _sniff_xml(stripped)
    if _HTML_START.match(stripped) or (word_html and _HTML_TAG.search(text_head)):
        return Sniffed("html", "an HTML page", word_html=word_html)
    text_like = _looks_like_text(head)
    for magic, name in _MAGIC:
        # Two-byte signatures ("BM", "MZ") also start ordinary words: binary data only.
        if head.startswith(magic) and (len(magic) >= 3 or not text_like):
            return Sniffed("binary", f"{name} (binary data)")
    if text_like:
        return Sniffed("text", "plain text")
    return Sniffed("binary", f"unrecognised binary data (first bytes {head[:4].hex(' ')})")


# --- text -----------------------------------------------------------------------------


def _text_head(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes: UTF-16 (with or without BOM) re-encoded."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(codec, errors="ignore").encode("utf-8", errors="ignore")
    if head.startswith(codecs.BOM_UTF8):
        return head[3:]
    codec = utf16_without_bom(head)
    if codec:
        return head.decode(codec, errors="ignore").encode("utf-8", errors="ignore")
    return head


def utf16_without_bom(head: bytes) -> Optional[str]:
    sample = head[:1024]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < odd * 0.1:
        return "utf-16-le"
    if even > half * 0.3 and odd < even * 0.1:
        return "utf-16-be"
    return None


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26, 27))


def _looks_like_text(head: bytes) -> bool:
    """UTF-8/UTF-16 text, or 8-bit text in a legacy code page (no control bytes)."""
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
        return True
    if b"\x00" in head:
        return False
    return _control_bytes(head) <= len(head) // 100


def _control_bytes(head: bytes) -> int:
    """How many bytes of ``head`` are control bytes text never holds (one pass)."""
    return len(head) - len(head.translate(None, _CONTROL))


def _sniff_xml(head: bytes) -> Sniffed:
    if b"schemas.microsoft.com/office/word/2003/wordml" in head or b"<w:wordDocument" in head:
        return Sniffed("xml", "a Word 2003 XML document")
    if b"<pkg:package" in head and b"wordprocessingml" in head:
        return Sniffed("xml", "a Word XML (Flat OPC) document")
    if b"<office:document" in head:
        return Sniffed("xml", "an OpenDocument flat XML file (.fodt)")
    if b"<svg" in head:
        return Sniffed("xml", "an SVG image")
    return Sniffed("xml", "an XML file")


# --- ZIP packages -------------------------------------------------------------------------


def _sniff_zip(path: Path) -> Sniffed:
    from .. import safety

    safety.check_zip_directory(path)  # millions of records: refused before zipfile parses them
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            # Streamed and cut at 100 bytes: a "mimetype" entry can be a zip bomb.
            mimetype = _read_head(z, "mimetype", 100).decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError):
        return Sniffed("zip_damaged", "a damaged ZIP archive (a truncated or corrupt .docx?)")
    members = set(names)
    for member, kind, name in _ZIP_MEMBERS:
        if member in members:
            return Sniffed(kind, name)
    if mimetype in _ODF_MIMETYPES:
        return Sniffed("office", _ODF_MIMETYPES[mimetype])
    if any(n.startswith("word/") for n in names) or "[Content_Types].xml" in members:
        return Sniffed("docx_damaged", "a damaged Word document (.docx) without its main part")
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    what = f"a ZIP archive of {len(names)} file{'s' if len(names) != 1 else ''}" + (f" ({shown})" if names else "")
    return Sniffed("zip", what)


def _read_head(z: zipfile.ZipFile, name: str, n: int) -> bytes:
    import zlib

    try:
        with z.open(name) as member:
            return member.read(n)
    except zlib.error:  # a damaged entry: the package reader reports it
        return b""


# --- OLE2 compound files ----------------------------------------------------------------------

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_DIRECTORY_SECTORS = 4096


@dataclass(frozen=True)
class OleEntry:
    name: str
    start: int  # first sector
    size: int


def ole_entries(path: Path) -> list[OleEntry]:
    """The directory of an OLE2 compound file (stream and storage names), or [] if unreadable.

    A small reader of the format's header, FAT and directory chain: enough to
    name the streams; streams themselves are read by :func:`ole_stream_head`.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(512)
            if len(header) < 512 or not header.startswith(OLE_MAGIC):
                return []
            shift = struct.unpack_from("<H", header, 30)[0]
            if shift not in (9, 12):
                return []
            size = 1 << shift
            n_fat, first_dir = struct.unpack_from("<I", header, 44)[0], struct.unpack_from("<I", header, 48)[0]
            fat_sectors = [s for s in struct.unpack_from("<109I", header, 76)[: min(n_fat, 109)] if s < _END_OF_CHAIN]
            fat: list[int] = []
            for sector in fat_sectors:
                fh.seek((sector + 1) * size)
                data = fh.read(size)
                fat.extend(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))
            entries: list[OleEntry] = []
            sector, seen = first_dir, 0
            while sector < _END_OF_CHAIN and seen < _MAX_DIRECTORY_SECTORS:
                fh.seek((sector + 1) * size)
                data = fh.read(size)
                for off in range(0, len(data) - 127, 128):
                    name_len = struct.unpack_from("<H", data, off + 64)[0]
                    if 2 <= name_len <= 64:
                        name = data[off : off + name_len - 2].decode("utf-16-le", errors="replace").split("\0")[0]
                        start, low = struct.unpack_from("<II", data, off + 116)
                        entries.append(OleEntry(name, start, low))
                seen += 1
                sector = fat[sector] if sector < len(fat) else _END_OF_CHAIN
            return entries
    except (OSError, struct.error):
        return []


def ole_stream_head(path: Path, entry: OleEntry, n: int = 512) -> bytes:
    """The first ``n`` bytes of a stream stored in regular sectors (≥ 4096 bytes)."""
    if entry.size < 4096:
        return b""
    with path.open("rb") as fh:
        shift = struct.unpack_from("<H", fh.read(512), 30)[0]
        fh.seek((entry.start + 1) * (1 << shift))
        return fh.read(min(n, 1 << shift))


def _sniff_ole(head: bytes, path: Optional[Path]) -> Sniffed:
    names = {e.name for e in ole_entries(path)} if path is not None else set()
    if not names:  # directory unreadable: the stream names may still be in the first bytes
        names = {name for name, _, _ in _OLE_STREAMS if name.encode("utf-16-le") in head}
    for stream, kind, description in _OLE_STREAMS:
        if stream in names:
            return Sniffed(kind, description)
    return Sniffed("ole", "an OLE compound file of another application")
