"""Refuse hostile files before they cost memory or time.

A document collection is untrusted input: a .docx is a ZIP of XML parts, a PDF a
program-like structure of compressed streams. Every check here reads only what it
needs to decide, and a file beyond a limit of ``models/limits.yaml`` is refused with
a :class:`~pipeline.errors.ReadError` whose kind names the case:

- ``too_large`` — the file is bigger than the limit for its suffix (``stat`` only), an
  XML part or all of them declare more than the XML limits, a PDF has too many pages;
- ``zip_bomb`` — the ZIP central directory declares too many entries, too large or
  too compressible entries, entries that overlap or point outside the archive, or
  an entry decompresses to more than it declares (the central directory is read
  before anything is decompressed, and decompression stops at the cap);
- ``unsafe_xml`` — an XML part declares a DOCTYPE or entities (billion laughs,
  external entities) or an encoding Word never writes: refused, never parsed;
- ``too_deep`` — an XML part nests elements deeper than any real document;
- ``corrupt`` / ``truncated`` / ``encrypted`` — a package that is damaged, cut off
  or password-protected.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator, Optional

from lxml import etree

from .errors import ReadError
from .vocab import load

MB = 1 << 20
_CHUNK = 1 << 16
_OUTPUT_CHUNK = 1 << 20  # decoded bytes held at once while a stream is measured


@dataclass(frozen=True)
class Limits:
    """``models/limits.yaml`` as typed values (sizes in MB)."""

    max_file_mb: dict[str, float]
    zip_max_entries: int
    zip_max_total_mb: float
    zip_max_entry_mb: float
    zip_max_ratio: float
    zip_ratio_min_entry_mb: float
    xml_max_part_mb: float
    xml_max_total_mb: float
    xml_max_depth: int
    pdf_max_pages: int
    pdf_max_stream_mb: float
    pdf_max_total_stream_mb: float
    ocr_max_pages: int
    ocr_max_megapixels: float

    def file_limit_mb(self, suffix: str) -> float:
        return self.max_file_mb.get(suffix.lower(), self.max_file_mb["default"])


@functools.lru_cache(maxsize=1)
def limits() -> Limits:
    data: dict[str, Any] = load("limits")
    z, x, p, o = data["zip"], data["xml"], data["pdf"], data["ocr"]
    return Limits(
        max_file_mb={k.lower(): float(v) for k, v in data["max_file_mb"].items()},
        zip_max_entries=int(z["max_entries"]),
        zip_max_total_mb=float(z["max_total_mb"]),
        zip_max_entry_mb=float(z["max_entry_mb"]),
        zip_max_ratio=float(z["max_ratio"]),
        zip_ratio_min_entry_mb=float(z["ratio_min_entry_mb"]),
        xml_max_part_mb=float(x["max_part_mb"]),
        xml_max_total_mb=float(x["max_total_mb"]),
        xml_max_depth=int(x["max_depth"]),
        pdf_max_pages=int(p["max_pages"]),
        pdf_max_stream_mb=float(p["max_stream_mb"]),
        pdf_max_total_stream_mb=float(p["max_total_stream_mb"]),
        ocr_max_pages=int(o["max_pages"]),
        ocr_max_megapixels=float(o["max_megapixels"]),
    )


def human_size(n: float) -> str:
    """A byte count as people read it: "4.0 GB", "620 MB", "1.5 MB", "12 KB", "300 bytes"."""
    if n >= 1024 * MB:
        return f"{n / (1024 * MB):.1f} GB"
    if n >= 10 * MB:
        return f"{n / MB:.0f} MB"
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{int(n)} bytes"


# --- file size ---------------------------------------------------------------------

def check_size(path: Path) -> None:
    """Refuse a file bigger than the limit for its suffix (``stat`` only, nothing is read)."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    limit = limits().file_limit_mb(suffix) * MB
    if size > limit:
        kind_of_file = suffix if suffix in limits().max_file_mb else "this file type"
        raise ReadError(f"{path.name} is {human_size(size)}; the limit for {kind_of_file} is "
                        f"{human_size(limit)} (models/limits.yaml)", kind="too_large")


# --- XML ---------------------------------------------------------------------------

def xml_parser(**options: Any) -> etree.XMLParser:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, **options)


# The XML spec's encoding detection (appendix F): a byte-order mark or the bytes of "<?".
_UTF16_STARTS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be", b"<\x00?\x00": "utf-16-le",
                 b"\x00<\x00?": "utf-16-be"}
_DECLARED_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_WORD_ENCODINGS = frozenset(("utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii"))
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def _encoding(data: bytes) -> str:
    for start, name in _UTF16_STARTS.items():
        if data.startswith(start):
            return name
    return "utf-8"


@functools.lru_cache(maxsize=4)
def _below_depth(max_depth: int) -> etree.XPath:
    """Elements below the deepest level allowed (compiled once: compiling costs as much as running)."""
    return etree.XPath("/*" + "/*" * max_depth)


def check_xml(name: str, data: bytes, prune: Optional[Callable[[bytes], bytes]] = None) -> etree._Element:
    """Refuse an XML part that declares a DOCTYPE or entities, an encoding Word never
    writes, or nesting deeper than ``xml.max_depth``; the checked tree (nothing expanded),
    so that a reader never parses the part a second time.

    ``prune`` (optional) cuts out of the bytes elements the reader never looks at, once the
    declarations are refused on the whole part: only the rest is parsed. A cut that left
    malformed XML is the pruner's mistake, not damage: the whole part is parsed instead."""
    _refuse_declarations(name, data)
    if prune is not None:
        pruned = prune(data)
        if pruned is not data:
            try:
                return _parse_checked(name, pruned)
            except ReadError as exc:
                if exc.kind != "corrupt":
                    raise  # too deep: the whole part, which holds the same nesting and more, is too
    return _parse_checked(name, data)


def _refuse_declarations(name: str, data: bytes) -> None:
    encoding = _encoding(data)
    if encoding == "utf-8":
        if not data[:512].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<"):
            # Garbage here is far more often damage than an attack; refused either way.
            raise ReadError(f"{name}: the XML part does not start as XML in UTF-8 or UTF-16, the "
                            "encodings Word writes (the part is damaged)", kind="corrupt")
        declared = _DECLARED_ENCODING.match(data[:256])
        if declared and declared.group(1).decode("ascii").lower() not in _WORD_ENCODINGS:
            raise ReadError(f"{name}: the XML declares the encoding {declared.group(1).decode('ascii')!r}, "
                            "which Word never writes (an XML attack hides declarations that way)",
                            kind="unsafe_xml")
    if b"!" not in data:  # both declarations start with "<!": one byte search rules them out
        return
    for needle in _DECLARATIONS:
        if needle.decode("ascii").encode(encoding) in data:
            what = "a DOCTYPE" if needle == b"<!DOCTYPE" else "an ENTITY"
            raise ReadError(f"{name}: the XML contains {what} declaration (entity expansion or an "
                            "external file reference); refused without parsing it", kind="unsafe_xml")


def _parse_checked(name: str, data: bytes) -> etree._Element:
    max_depth = limits().xml_max_depth
    try:
        # A tree in C is ≈ 3× faster than counting depth in Python callbacks; libxml2
        # itself stops at 256 levels, so a 100,000-deep part fails in microseconds.
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise ReadError(f"{name}: XML nested too deep ({exc})", kind="too_deep") from exc
        raise ReadError(f"damaged .docx: malformed XML in {name} ({exc})", kind="corrupt") from exc
    if root.getroottree().docinfo.doctype:  # second line of defence: the byte scan comes first
        raise ReadError(f"{name}: the XML declares a DOCTYPE", kind="unsafe_xml")
    if _below_depth(max_depth)(root):
        raise ReadError(f"{name}: XML nested too deep (more than {max_depth} levels; real documents "
                        "have about 10)", kind="too_deep")
    return root


# --- ZIP packages ------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_LOCAL_HEADER = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30
_CD_RECORD_MAX = 1024  # bytes a central-directory record may take (46 + name + extra, generously)


def _directory_size(fh: Any, size: int) -> Optional[tuple[int, int]]:
    """(entries, bytes) the end-of-central-directory record declares; None without one."""
    tail_size = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    entries, cd_size = struct.unpack("<xxxxxxxxxxHI", tail[at:at + 16])
    locator = at - 20
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0 and tail[locator:locator + 4] == _ZIP64_LOCATOR:
        (record_at,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        fh.seek(record_at)
        record = fh.read(56)
        if len(record) == 56:
            entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def _check_directory_size(entries: int, cd_size: int) -> None:
    cap = limits().zip_max_entries
    if entries > cap or cd_size > cap * _CD_RECORD_MAX:
        raise ReadError(f"zip bomb: the package declares {entries:,} entries in a {human_size(cd_size)} "
                        f"directory; the limit is {cap:,} entries (models/limits.yaml)", kind="zip_bomb")


def check_zip_directory(path: Path) -> None:
    """Refuse a ZIP whose central directory declares too many records, reading only its
    end record: call it before :class:`zipfile.ZipFile`, which builds an object for each
    record. A file without an end record passes (zipfile then says it is damaged)."""
    with path.open("rb") as fh:
        declared = _directory_size(fh, path.stat().st_size)
    if declared is not None:
        _check_directory_size(*declared)


def _bad_name(name: str) -> Optional[str]:
    if "\x00" in name:
        return "contains a NUL character"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return "climbs out of the package (..)"
    return None


def _check_entries(infos: list[zipfile.ZipInfo], archive_size: int, directory_at: int) -> None:
    """Everything the central directory declares, before a byte is decompressed."""
    lim = limits()
    if len(infos) > lim.zip_max_entries:
        raise ReadError(f"zip bomb: {len(infos):,} entries; the limit is {lim.zip_max_entries:,} "
                        "(models/limits.yaml)", kind="zip_bomb")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        problem = _bad_name(name)
        if problem:
            raise ReadError(f"zip bomb or tampered package: the entry name {name!r} {problem}", kind="zip_bomb")
        if name.lower() in seen:
            raise ReadError(f"damaged .docx: the entry {name!r} appears twice in the ZIP package", kind="corrupt")
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise ReadError(f"encrypted .docx: the ZIP entry {name!r} is password-protected", kind="encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReadError(f"damaged .docx: the entry {name!r} uses ZIP compression method "
                            f"{info.compress_type}, which Word never writes", kind="corrupt")
        declared = info.file_size
        total += declared
        if declared > lim.zip_max_entry_mb * MB:
            raise ReadError(f"zip bomb: the entry {name!r} declares {human_size(declared)} uncompressed; the "
                            f"limit is {human_size(lim.zip_max_entry_mb * MB)} (models/limits.yaml)", kind="zip_bomb")
        ratio = declared / max(info.compress_size, 1)
        if declared >= lim.zip_ratio_min_entry_mb * MB and ratio > lim.zip_max_ratio:
            raise ReadError(f"zip bomb: the entry {name!r} has a compression ratio of {ratio:,.0f}× "
                            f"({human_size(info.compress_size)} → {human_size(declared)}); real documents stay "
                            f"under {lim.zip_max_ratio:g}× (models/limits.yaml)", kind="zip_bomb")
    if total > lim.zip_max_total_mb * MB:
        raise ReadError(f"zip bomb: the entries declare {human_size(total)} uncompressed in all; the limit is "
                        f"{human_size(lim.zip_max_total_mb * MB)} (models/limits.yaml)", kind="zip_bomb")
    # Entries whose data overlap share bytes: the trick of bombs that reach 10⁶× or more.
    spans = sorted((i.header_offset, i.header_offset + _LOCAL_HEADER_SIZE + _stored_name_size(i) + i.compress_size,
                    i.filename) for i in infos)
    limit_at = min(directory_at, archive_size)
    for (start, end, name), following in zip(spans, [s[0] for s in spans[1:]] + [limit_at]):
        if end > following:
            raise ReadError(f"zip bomb or damaged package: the data of entry {name!r} overlaps the next "
                            "entry or the directory", kind="zip_bomb")


def _check_xml_size(info: zipfile.ZipInfo, cap: int) -> None:
    if info.file_size > cap:
        raise ReadError(f"the XML part {info.filename!r} is {human_size(info.file_size)}; the limit is "
                        f"{human_size(cap)} (models/limits.yaml, xml.max_part_mb)", kind="too_large")


def _stored_name_size(info: zipfile.ZipInfo) -> int:
    """Bytes of the entry's name as stored: UTF-8 if flagged so, else code page 437."""
    return len(info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace"))


def _inflate(fh: Any, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The entry's bytes, decompressed in chunks from its local header, stopped as soon as
    they pass the declared size or ``cap``: a declared size can lie."""
    if info.header_offset < 0:  # bytes missing before the directory: offsets point before the file
        raise ReadError(f"damaged .docx: the entry {info.filename!r} is corrupt (its offset lies outside the file)",
                        kind="corrupt")
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL_HEADER_SIZE)
    if len(header) < _LOCAL_HEADER_SIZE or header[:4] != _LOCAL_HEADER:
        raise ReadError(f"damaged .docx: the entry {info.filename!r} is corrupt (no local header)", kind="corrupt")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + _LOCAL_HEADER_SIZE + name_len + extra_len)
    limit = min(cap, info.file_size)
    remaining = info.compress_size
    pieces: list[bytes] = []  # joined once at the end (a whole part is one piece most often)
    produced = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while remaining > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            chunk = inflater.unconsumed_tail
        else:
            chunk = fh.read(min(_CHUNK, remaining))
            if not chunk:
                raise ReadError(f"truncated .docx: the entry {info.filename!r} is cut off", kind="truncated")
            remaining -= len(chunk)
        try:
            piece = inflater.decompress(chunk, limit + 1 - produced) if inflater is not None else chunk[:limit + 1 - produced]
        except zlib.error as exc:
            raise ReadError(f"damaged .docx: the entry {info.filename!r} is corrupt and does not decompress ({exc})",
                            kind="corrupt") from exc
        pieces.append(piece)
        produced += len(piece)
        if produced > limit:
            if produced > info.file_size:
                raise ReadError(f"zip bomb: the entry {info.filename!r} decompresses to more than the "
                                f"{human_size(info.file_size)} it declares (a lying size)", kind="zip_bomb")
            raise ReadError(f"the XML part {info.filename!r} is larger than {human_size(cap)} "
                            "(models/limits.yaml, xml.max_part_mb)", kind="too_large")
        if inflater is not None and inflater.eof:
            break
    out = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise ReadError(f"damaged .docx: the entry {info.filename!r} is corrupt (its size or checksum does not match)",
                        kind="corrupt")
    return out


_XML_SUFFIXES = (".xml", ".rels")
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CONTENT_TYPES = "[Content_Types].xml"


class _ContentTypes:
    """``[Content_Types].xml``: a part's content type by its name (``Override``), else by
    its extension (``Default``); both looked up without regard to case, as OPC says."""

    def __init__(self, root: etree._Element):
        self.defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(_CT + "Default")}
        self.overrides = {o.get("PartName", "").lstrip("/").lower(): o.get("ContentType", "")
                          for o in root.iter(_CT + "Override")}

    def of(self, name: str) -> Optional[str]:
        override = self.overrides.get(name.lower())
        if override is not None:
            return override
        extension = posixpath.splitext("/" + name)[1][1:]  # "" for "_rels/.rels", as OPC counts it
        return self.defaults.get(extension.lower())

    def is_xml(self, name: str) -> bool:
        """XML by its suffix or its content type (by name, else by suffix)."""
        if name.lower().endswith(_XML_SUFFIXES):
            return True
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return self.overrides.get(name.lower(), self.defaults.get(suffix, "")).endswith("xml")


class Package:
    """A checked Office Open XML package, open for reading (see :func:`open_package`).

    Every entry's directory record and declared size were checked when it was opened.
    An XML part is inflated (stopped at its declared size: sizes can lie), checked with
    :func:`check_xml` and parsed the first time it is asked for, once; a part nobody asks
    for (images, themes, settings…) is never decompressed."""

    def __init__(self, fh: Any, entries: dict[str, zipfile.ZipInfo], content_types: _ContentTypes,
                 part_cap: int, trees: dict[str, etree._Element]):
        self._fh = fh
        self._entries = entries
        self._types = content_types
        self._part_cap = part_cap
        self._trees = trees

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def content_type(self, name: str) -> Optional[str]:
        """The part's content type; None when ``[Content_Types].xml`` gives it none."""
        return self._types.of(name)

    def xml(self, name: str, prune: Optional[Callable[[bytes], bytes]] = None) -> etree._Element:
        """The part's checked tree (:class:`KeyError` if the package has no such entry);
        ``prune`` as in :func:`check_xml`, the first time the part is asked for."""
        tree = self._trees.get(name)
        if tree is None:
            info = self._entries[name]
            if not self._types.is_xml(name):
                raise ReadError(f"damaged .docx: the part {name!r} should be XML but its content type is "
                                f"{self._types.of(name)!r}", kind="corrupt")
            tree = self._trees[name] = check_xml(name, _inflate(self._fh, info, self._part_cap), prune)
        return tree


@contextlib.contextmanager
def open_package(path: Path) -> Iterator[Package]:
    """Open a .docx (any OOXML) package defensively, for the time of a ``with`` block;
    see the module docstring and :class:`Package`."""
    lim = limits()
    size = path.stat().st_size
    with path.open("rb") as fh:
        declared = _directory_size(fh, size)
        if declared is None:
            fh.seek(0)
            if fh.read(4) == _LOCAL_HEADER:
                raise ReadError("truncated .docx: the end of the file is missing, so it is not a ZIP package "
                                "that can be opened (an interrupted copy or download)", kind="truncated")
            raise ReadError("not a .docx: the file is not a ZIP package (damaged, or another format renamed)",
                            kind="corrupt")
        _check_directory_size(*declared)
        try:
            archive = zipfile.ZipFile(fh)  # closing it leaves fh open: parts are read later
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, OSError) as exc:
            raise ReadError(f"damaged .docx: the ZIP package is corrupt ({exc})", kind="corrupt") from exc
        with archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            _check_entries(infos, size, getattr(archive, "start_dir", size))
        by_name = {i.filename: i for i in infos}
        if CONTENT_TYPES not in by_name:
            raise ReadError("not a .docx: the ZIP package has no Word document parts (no "
                            "[Content_Types].xml: a plain ZIP archive, or a damaged document)", kind="corrupt")
        part_cap, total_cap = int(lim.xml_max_part_mb * MB), int(lim.xml_max_total_mb * MB)
        _check_xml_size(by_name[CONTENT_TYPES], part_cap)
        types_root = check_xml(CONTENT_TYPES, _inflate(fh, by_name[CONTENT_TYPES], part_cap))
        types = _ContentTypes(types_root)
        xml_infos = [i for i in infos if types.is_xml(i.filename)]
        for info in xml_infos:
            _check_xml_size(info, part_cap)
        declared_xml = sum(i.file_size for i in xml_infos)
        if declared_xml > total_cap:  # decompression stops at each declared size: the total holds
            raise ReadError(f"the XML parts of the package declare {human_size(declared_xml)} together; the "
                            f"limit is {human_size(total_cap)} (models/limits.yaml, xml.max_total_mb)",
                            kind="too_large")
        yield Package(fh, by_name, types, part_cap, {CONTENT_TYPES: types_root})


# --- PDF streams -------------------------------------------------------------------

# A stream's data starts after the "stream" keyword and its end of line ("endstream" is
# not a start: checked apart, a look-behind would make the search 20× slower).
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_MAX_FILTER_CHAIN = 4  # /Filter [/FlateDecode /FlateDecode …]: bombs chain them


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and (data[0] << 8 | data[1]) % 31 == 0


class _StreamMeter:
    """Inflate a chain of zlib layers as the data comes, counting the innermost bytes."""

    def __init__(self, cap: int):
        self.cap = cap
        self.layers = [zlib.decompressobj()]
        self.pending = b""  # first bytes of the innermost output: another zlib layer?
        self.undecided = True
        self.size = 0  # decoded bytes of the innermost layer

    @property
    def done(self) -> bool:
        return self.layers[0].eof

    def feed(self, data: bytes, level: int = 0) -> None:
        inflater = self.layers[level]
        while data and not inflater.eof:
            out = inflater.decompress(data, _OUTPUT_CHUNK)
            data = inflater.unconsumed_tail
            if out:
                self.emit(out, level)

    def emit(self, out: bytes, level: int) -> None:
        if level + 1 < len(self.layers):
            try:
                self.feed(out, level + 1)
                return
            except zlib.error:  # the zlib-looking start was a coincidence: plain data
                del self.layers[level + 1:]
                self.undecided = False
        if self.undecided:
            self.pending += out
            if len(self.pending) < 2:
                return
            out, self.pending, self.undecided = self.pending, b"", False
            if _zlib_header(out) and len(self.layers) < _MAX_FILTER_CHAIN:
                self.layers.append(zlib.decompressobj())
                self.undecided = True
                self.emit(out, level)
                return
        self.size += len(out)
        if self.size > self.cap:
            raise OverflowError


def check_pdf_streams(path: Path) -> None:
    """Refuse a PDF with a compressed stream that decodes to more than
    ``pdf.max_stream_mb``, or streams that decode to more than ``pdf.max_total_stream_mb``
    together (pdfium would decode each whole). Each Flate stream is inflated in chunks
    and dropped; chained Flate layers are followed; other data is skipped."""
    lim = limits()
    cap, total_cap = int(lim.pdf_max_stream_mb * MB), int(lim.pdf_max_total_stream_mb * MB)
    total = 0
    with path.open("rb") as fh:
        if path.stat().st_size == 0:
            return
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            scanned_to = 0  # a "stream" inside data already inflated is not a stream start
            for match in _STREAM_START.finditer(data):
                start = match.end()
                if start < scanned_to or data[match.start() - 3:match.start()] == b"end":
                    continue
                if not _zlib_header(data[start:start + 2]):
                    continue
                meter = _StreamMeter(min(cap, total_cap - total))
                position = start
                try:
                    while not meter.done and position < len(data):
                        chunk = data[position:position + _CHUNK]
                        meter.feed(chunk)
                        position += len(chunk)
                    scanned_to = position - len(meter.layers[0].unused_data)
                except zlib.error:
                    continue  # not zlib after all, or damaged: pdfium decides
                except OverflowError:
                    if meter.size > cap:
                        raise ReadError(f"{path.name}: a compressed stream at byte {start:,} decodes to more than "
                                        f"{human_size(cap)} (a decompression bomb; models/limits.yaml)",
                                        kind="zip_bomb") from None
                    raise ReadError(f"{path.name}: its compressed streams decode to more than "
                                    f"{human_size(total_cap)} in all (a decompression bomb; models/limits.yaml)",
                                    kind="zip_bomb") from None
                total += meter.size
