"""Reader for Rich Text Format (.rtf), with a small tokenizer of its own.

RTF is groups (``{…}``), control words (``\\par``, ``\\b0``, ``\\u7871``) and
text. What this reader keeps:

- text decoded as Word wrote it: ``\\'hh`` bytes in the code page of the run's
  font (``\\fcharset``: 163 is Vietnamese, cp1258) or of the document
  (``\\ansicpg1258``, ``\\ansicpg1252`` …); ``\\uN`` characters, skipping the
  ``\\ucN`` fallback characters after each; text in a legacy Vietnamese font
  (``.VnTime`` = TCVN3, ``VNI-Times`` = VNI) converted to Unicode;
- paragraphs (``\\par``; ``\\line`` is a line break inside one), with bold share,
  alignment and heading level (``\\outlinelevel``, or a "heading N" style);
- Word's list numbers, written as ``{\\listtext 1.\\tab}`` (``{\\pntext …}`` in
  older files), as the paragraph's label (``label_source="auto"``);
- tables: ``\\intbl`` paragraphs, ``\\cell`` and ``\\row`` give rows of cells
  (then :class:`~pipeline.readers.flow.FlowWriter` tells header, signature and
  data tables apart);
- footnotes (``{\\footnote …}``, referenced by ``\\chftn``) as footnote blocks.

Skipped: ignorable destinations ``{\\*\\…}``, the font, colour and style tables
(read for fonts and heading styles only), ``\\info``, pictures, objects, page
headers and footers, field instructions (the field's shown result is kept) and
hidden text (``\\v``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..builder import DocumentBuilder
from ..document import Document, Style
from ..legacy_text import bytes_to_font_text, convert_font_text, font_encoding
from . import ReadError, register_reader
from .flow import SYMBOL_BULLETS, FlowItem, FlowParagraph, FlowTable, FlowWriter

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word with its parameter
    rb"|\\'([0-9a-fA-F]{2})"  # a byte in the current code page
    rb"|\\([^a-zA-Z'])"  # control symbol
    rb"|([{}])"
    rb"|([^\\{}\r\n]+)"  # text
    rb"|[\r\n]+"
    rb"|\\$"
)

# Word nests groups a few dozen deep; thousands is a broken or hostile file.
_MAX_DEPTH = 5000
# Destinations whose text is not the document's.
_SKIP = frozenset(
    "colortbl info pict object header headerl headerr headerf footer footerl footerr footerf "
    "fldinst themedata colorschememapping datastore latentstyles xmlnstbl listtable listoverridetable "
    "revtbl rsidtbl generator filetbl pgdsctbl mmathPr bkmkstart bkmkend annotation atnid atnauthor "
    "template nonshppict shppict blipuid userprops docvar private xe tc rxe pnseclvl1 pnseclvl2 "
    "pnseclvl3 pnseclvl4 pnseclvl5 pnseclvl6 pnseclvl7 pnseclvl8 pnseclvl9 pntxta pntxtb ftnsep "
    "ftnsepc ftncn aftnsep aftnsepc aftncn upr".split()
)
_CHARSET_CODEPAGE = {
    0: 1252, 1: None, 2: None, 77: 10000, 128: 932, 129: 949, 134: 936, 136: 950, 161: 1253,
    162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
}
_SYMBOL_CHARSET = 2
_HEADING_STYLE = re.compile(r"^(?:heading|title|tiêu đề|chapter)\s*(\d*)", re.I)
_ALIGN = {"qc": "center", "qj": "justify", "ql": "left", "qr": "right", "qd": "justify"}
_SPECIAL = {
    b"~": "\u00a0", b"_": "\u2011", b"-": "", b"\\": "\\", b"{": "{", b"}": "}",
    b"\n": "\n", b"\r": "\n", b":": "",
}
_WORD_CHARS = {
    "tab": "\t", "emdash": "—", "endash": "–", "emspace": " ", "enspace": " ", "qmspace": " ",
    "bullet": "•", "lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”", "zwj": "", "zwnj": "",
}


@dataclass
class _State:
    """Group-scoped state (copied on ``{``, restored on ``}``)."""

    dest: str = "body"  # body | skip | fonttbl | font | stylesheet | style | listtext | footnote
    uc: int = 1
    font: Optional[int] = None
    bold: bool = False
    hidden: bool = False


@dataclass
class _Font:
    name: str = ""
    charset: Optional[int] = None


@dataclass
class _Para:
    """Paragraph properties (reset by ``\\pard``) and the runs collected so far."""

    runs: list[tuple[str, Optional[int], bool]] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    align: Optional[str] = None
    outline: Optional[int] = None
    style: int = 0
    in_table: bool = False


class _RtfReader:
    def __init__(self, data: bytes):
        self.data = data
        self.codepage = 1252
        self.fonts: dict[int, _Font] = {}
        self.style_names: dict[int, str] = {}
        self.style_outline: dict[int, int] = {}
        self.default_font: Optional[int] = None
        self.state = _State()
        self.stack: list[_State] = []
        self.pending: bytearray = bytearray()  # \'hh bytes not yet decoded
        self.skip_chars = 0  # \uN fallback characters still to skip
        self.para = _Para()
        self.items: list[FlowItem] = []
        self.row: list[list[FlowParagraph]] = []
        self.cell: list[FlowParagraph] = []
        self.table: list[list[list[FlowParagraph]]] = []
        self.footnotes: list[tuple[str, str]] = []
        self.note_text: list[str] = []
        self.refs_made = 0
        self.notes_made = 0
        self.style_def: Optional[int] = None
        self.style_text: list[str] = []
        self.font_def: Optional[int] = None
        self.font_text: list[str] = []
        self.group_start = False  # the token after "{" may name a destination

    # --- the token loop ---------------------------------------------------------

    def parse(self) -> None:
        data, pos, end = self.data, 0, len(self.data)
        match = _TOKEN.match
        while pos < end:
            m = match(data, pos)
            if m is None:  # a stray byte: take it as text in the document's code page
                self.byte(data[pos])
                pos += 1
                continue
            pos = m.end()
            word, param, hexbyte, symbol, brace, text = m.groups()
            if word is not None:
                if word == b"bin":
                    self.flush_bytes()
                    pos += max(0, int(param or 0))  # raw binary data (inside a picture)
                    continue
                self.control(word.decode("ascii"), int(param) if param is not None else None)
            elif hexbyte is not None:
                self.group_start = False
                if self.skip_chars:
                    self.skip_chars -= 1
                    continue
                self.byte(int(hexbyte, 16))
            elif symbol is not None:
                self.symbol(symbol)
            elif brace is not None:
                self.flush_bytes()
                self.skip_chars = 0
                if brace == b"{":
                    if len(self.stack) >= _MAX_DEPTH:
                        raise ReadError(f"RTF groups nested too deep (over {_MAX_DEPTH})", kind="too_deep")
                    self.stack.append(self.state)
                    self.state = _State(**vars(self.state))
                    self.group_start = True
                else:
                    self.close_group()
            elif text is not None:
                self.group_start = False
                chunk = text
                if self.skip_chars:
                    cut = min(self.skip_chars, len(chunk))
                    self.skip_chars -= cut
                    chunk = chunk[cut:]
                # Decoded with the \'hh bytes around it (8-bit bytes outside escapes
                # are in the same code page).
                self.pending.extend(chunk)
        self.flush_bytes()
        self.end_paragraph()
        self.close_table()

    def close_group(self) -> None:
        state = self.state
        self.state = self.stack.pop() if self.stack else _State()
        self.group_start = False
        if state.dest == "font" and self.state.dest != "font":
            self.define_font()
        elif state.dest == "style" and self.state.dest != "style":
            self.define_style()
        elif state.dest == "footnote" and self.state.dest != "footnote":
            text = " ".join("".join(self.note_text).split())
            if text:
                self.footnotes.append((str(self.notes_made), text))
            self.note_text = []

    def symbol(self, symbol: bytes) -> None:
        if symbol == b"*":  # an ignorable destination: skipped (none of them holds body text)
            if self.group_start:
                self.state.dest = "skip"
            return
        self.group_start = False
        if symbol in (b"\n", b"\r"):
            self.flush_bytes()
            self.end_paragraph()
            return
        char = _SPECIAL.get(symbol)
        if char is None:
            return
        if self.skip_chars:
            self.skip_chars -= 1
            return
        self.flush_bytes()
        self.text(char)

    def control(self, word: str, param: Optional[int]) -> None:
        state = self.state
        first = self.group_start
        self.group_start = False
        if word != "u" and self.pending:
            self.flush_bytes()
        if first and self.destination(word):
            return
        if state.dest == "skip":
            return
        if state.dest in ("fonttbl", "font"):
            if word == "f" and param is not None:
                if self.font_def is not None:  # a font table written without subgroups
                    self.define_font()
                state.dest = "font"
                self.font_def, self.font_text = param, []
                self.fonts.setdefault(param, _Font())
            elif word == "fcharset" and self.font_def is not None and param is not None:
                self.fonts[self.font_def].charset = param
            return
        if state.dest in ("stylesheet", "style"):
            if word == "s" and param is not None and state.dest == "style":
                self.style_def = param
            elif word == "outlinelevel" and param is not None and self.style_def is not None:
                self.style_outline[self.style_def] = param
            return
        if word == "u" and param is not None:
            self.flush_bytes()
            self.text(chr(param + 65536 if param < 0 else param))
            self.skip_chars = state.uc
            return
        handler = _HANDLERS.get(word)
        if handler is not None:
            handler(self, param)
        elif word in _PARAGRAPH_HANDLERS:
            if state.dest == "body":  # not the \pard of a list number or a footnote
                _PARAGRAPH_HANDLERS[word](self, param)
        elif word in _WORD_CHARS:
            self.text(_WORD_CHARS[word])

    def destination(self, word: str) -> bool:
        """A control word opening a group: switch destination if it is one."""
        state = self.state
        if state.dest == "skip":
            return True
        if word in _SKIP:
            state.dest = "skip"
        elif word == "fonttbl":
            state.dest = "fonttbl"
        elif word == "stylesheet":
            state.dest = "stylesheet"
        elif state.dest == "stylesheet" and word == "s":
            state.dest = "style"
            self.style_def, self.style_text = None, []
            return False  # \sN is the style's number: handled as a control word
        elif state.dest == "stylesheet":
            state.dest = "style"  # the default paragraph style (no \s)
            self.style_def, self.style_text = 0, []
            return False
        elif word in ("listtext", "pntext"):
            state.dest = "listtext"
            self.para.label = []
        elif word == "footnote":
            state.dest = "footnote"
            self.notes_made += 1
            self.note_text = []
        else:
            return False
        return True

    # --- text ---------------------------------------------------------------------

    def byte(self, value: int) -> None:
        self.pending.append(value)

    def codepage_of(self, font: Optional[int]) -> Optional[int]:
        spec = self.fonts.get(font) if font is not None else None
        if spec is not None and spec.charset is not None:
            if spec.charset == _SYMBOL_CHARSET:
                return None
            if spec.charset not in (0, 1):  # 0 (ANSI) and 1 (default): the document's code page
                return _CHARSET_CODEPAGE.get(spec.charset, self.codepage)
        return self.codepage

    def flush_bytes(self) -> None:
        if not self.pending:
            return
        raw = bytes(self.pending)
        self.pending.clear()
        cp = self.codepage_of(self.state.font)
        if cp is None or cp == 1252:
            text = bytes_to_font_text(raw)  # lossless for legacy-font text and Symbol glyphs
        else:
            try:
                text = raw.decode("mac_roman" if cp == 10000 else f"cp{cp}", errors="replace")
            except LookupError:
                text = bytes_to_font_text(raw)
        self.text(text)

    def text(self, text: str) -> None:
        state = self.state
        if state.dest == "body":
            if not state.hidden:
                self.para.runs.append((text, state.font, state.bold))
        elif state.dest == "listtext":
            self.para.label.append(self.font_text_to_unicode(text, state.font))
        elif state.dest == "footnote":
            if not state.hidden:
                self.note_text.append(self.font_text_to_unicode(text, state.font))
        elif state.dest == "font":
            self.font_text.append(text)
        elif state.dest == "style":
            self.style_text.append(text)

    def font_text_to_unicode(self, text: str, font: Optional[int]) -> str:
        spec = self.fonts.get(font) if font is not None else None
        encoding = font_encoding(spec.name) if spec is not None else None
        return convert_font_text(text, encoding) if encoding else text

    def define_font(self) -> None:
        if self.font_def is not None:
            name = "".join(self.font_text).split(";")[0].strip()
            self.fonts[self.font_def].name = name
        self.font_def, self.font_text = None, []

    def define_style(self) -> None:
        if self.style_def is not None:
            self.style_names[self.style_def] = "".join(self.style_text).split(";")[0].strip()
        self.style_def, self.style_text = None, []

    # --- paragraphs and tables ------------------------------------------------------

    def paragraph_text(self) -> tuple[str, Optional[bool]]:
        pieces: list[str] = []
        chars = bold = 0
        first = True
        for text, font, is_bold in self.para.runs:
            spec = self.fonts.get(font) if font is not None else None
            encoding = font_encoding(spec.name) if spec is not None else None
            if encoding:
                text = convert_font_text(text, encoding, sentence_start=first)
            if text.strip():
                first = False
            pieces.append(text)
            n = len(text) - sum(map(str.isspace, text))
            chars += n
            bold += n if is_bold else 0
        return "".join(pieces), (bold * 2 > chars if chars else None)

    def end_paragraph(self, cell: bool = False) -> None:
        para = self.para
        text, bold = self.paragraph_text()
        label = "".join(para.label).replace("\t", " ").strip() or None
        if label is not None and (label in SYMBOL_BULLETS or not any(c.isalnum() for c in label)):
            label = SYMBOL_BULLETS.get(label, label)
        heading = None
        if para.outline is not None and 0 <= para.outline < 9:
            heading = para.outline + 1
        else:
            name = self.style_names.get(para.style, "")
            m = _HEADING_STYLE.match(name)
            if m and para.style:
                heading = int(m.group(1)) if m.group(1) else 1
            elif para.style in self.style_outline and 0 <= self.style_outline[para.style] < 9:
                heading = self.style_outline[para.style] + 1
        flow = FlowParagraph(
            text=text,
            style=Style(bold=bold, align=para.align, upper=(text.upper() == text) if text.lower() != text else None),
            label=label,
            heading=heading,
            footnote_refs=list(para.refs),
        )
        # Paragraph properties persist until \pard; the runs, label and refs do not.
        self.para = _Para(align=para.align, outline=para.outline, style=para.style, in_table=para.in_table)
        if not text.strip():
            return
        if para.in_table or cell:
            self.cell.append(flow)
        else:
            self.close_table()
            self.items.append(flow)

    def end_cell(self) -> None:
        self.end_paragraph(cell=True)
        self.row.append(self.cell)
        self.cell = []

    def end_row(self) -> None:
        if self.cell:
            self.row.append(self.cell)
            self.cell = []
        if self.row:
            self.table.append(self.row)
        self.row = []

    def close_table(self) -> None:
        if self.cell or self.row:
            self.end_row()
        if self.table:
            self.items.append(FlowTable(self.table))
            self.table = []


def _set_codepage(r: _RtfReader, p: Optional[int]) -> None:
    if p:
        r.codepage = p


def _deff(r: _RtfReader, p: Optional[int]) -> None:
    r.default_font = p
    r.state.font = p


def _font(r: _RtfReader, p: Optional[int]) -> None:
    r.state.font = p


def _bold(r: _RtfReader, p: Optional[int]) -> None:
    r.state.bold = p != 0


def _hidden(r: _RtfReader, p: Optional[int]) -> None:
    r.state.hidden = p != 0


def _plain(r: _RtfReader, p: Optional[int]) -> None:
    r.state.bold = False
    r.state.hidden = False
    r.state.font = r.default_font


def _uc(r: _RtfReader, p: Optional[int]) -> None:
    if p is not None and p >= 0:
        r.state.uc = p


def _pard(r: _RtfReader, p: Optional[int]) -> None:
    r.para.align = None
    r.para.outline = None
    r.para.style = 0
    r.para.in_table = False


def _style(r: _RtfReader, p: Optional[int]) -> None:
    r.para.style = p or 0


def _outline(r: _RtfReader, p: Optional[int]) -> None:
    r.para.outline = p


def _intbl(r: _RtfReader, p: Optional[int]) -> None:
    r.para.in_table = p != 0


def _par(r: _RtfReader, p: Optional[int]) -> None:
    if r.state.dest == "footnote":
        r.note_text.append(" ")
    elif r.state.dest == "body":
        r.end_paragraph()


def _line(r: _RtfReader, p: Optional[int]) -> None:
    r.text("\n")


def _cell(r: _RtfReader, p: Optional[int]) -> None:
    if r.state.dest == "body":
        r.end_cell()


def _row(r: _RtfReader, p: Optional[int]) -> None:
    if r.state.dest == "body":
        r.end_row()


def _chftn(r: _RtfReader, p: Optional[int]) -> None:
    if r.state.dest == "body":
        r.refs_made += 1
        r.para.refs.append(str(r.refs_made))


def _align(word: str):
    def handler(r: _RtfReader, p: Optional[int]) -> None:
        r.para.align = _ALIGN[word]

    return handler


def _codepage(cp: int):
    def handler(r: _RtfReader, p: Optional[int]) -> None:
        r.codepage = cp

    return handler


# Character and document properties: in every destination (group-scoped state).
_HANDLERS = {
    "ansicpg": _set_codepage, "deff": _deff, "f": _font, "b": _bold, "v": _hidden, "plain": _plain,
    "uc": _uc, "par": _par, "sect": _par, "line": _line, "cell": _cell, "nestcell": _par, "row": _row,
    "chftn": _chftn, "mac": _codepage(10000), "pc": _codepage(437), "pca": _codepage(850),
}
# Paragraph properties: only in the body.
_PARAGRAPH_HANDLERS = {
    "pard": _pard, "s": _style, "outlinelevel": _outline, "intbl": _intbl,
    **{w: _align(w) for w in _ALIGN},
}


def read_rtf_bytes(data: bytes, source: str) -> Document:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ReadError(f"{source}: not an RTF document (no {{\\rtf header)", kind="wrong_extension")
    reader = _RtfReader(data)
    reader.parse()
    builder = DocumentBuilder(source, "rtf")
    writer = FlowWriter(builder)
    writer.write(reader.items)
    for note_id, body in reader.footnotes:
        builder.add_footnote(note_id, body)
    if not builder.blocks:
        raise ReadError(f"{source}: no text in the RTF document", kind="no_text")
    builder.meta.update({"auto_labels": writer.auto_labels, "tables": writer.tables, "codepage": reader.codepage})
    return builder.build()


@register_reader(".rtf")
def read_rtf(path: Path, source: str) -> Document:
    return read_rtf_bytes(path.read_bytes(), source)
