"""Build small .docx files in tests: python-docx for the package, hand-written
``numbering.xml``, styles and footnotes injected as Word writes them.

Word's automatic numbering lives only in ``word/numbering.xml``; python-docx has no
API to write it, so a test states the definitions as XML (``lvl``,
``abstract_num``, ``num``) and numbers paragraphs with ``numPr``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence, Union
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_DECL = f'xmlns:w="{W_NS}"'
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

Cell = Union[str, Sequence[str]]  # one paragraph, or several


def lvl(
    ilvl: int,
    fmt: str,
    text: str,
    start: int = 1,
    restart: Optional[int] = None,
    legal: bool = False,
    pstyle: Optional[str] = None,
    bold: bool = False,
) -> str:
    """One ``w:lvl`` of an abstract numbering definition."""
    parts = [f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>']
    if restart is not None:
        parts.append(f'<w:lvlRestart w:val="{restart}"/>')
    if pstyle:
        parts.append(f'<w:pStyle w:val="{pstyle}"/>')
    if legal:
        parts.append("<w:isLgl/>")
    parts.append(f'<w:suff w:val="space"/><w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/><w:lvlJc w:val="left"/>')
    if bold:
        parts.append("<w:rPr><w:b/></w:rPr>")
    parts.append("</w:lvl>")
    return "".join(parts)


def abstract_num(aid: int, levels: Sequence[str], num_style_link: Optional[str] = None, style_link: Optional[str] = None) -> str:
    inner = ""
    if style_link:
        inner += f'<w:styleLink w:val="{style_link}"/>'
    if num_style_link:
        inner += f'<w:numStyleLink w:val="{num_style_link}"/>'
    return f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>{inner}{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, start_overrides: Optional[dict[int, int]] = None) -> str:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (start_overrides or {}).items()
    )
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def numbering_xml(abstracts: Sequence[str], nums: Sequence[str]) -> str:
    # Schema order: every abstractNum before any num.
    return f"<w:numbering {_NS_DECL}>{''.join(abstracts)}{''.join(nums)}</w:numbering>"


class DocxFactory:
    """A .docx under construction; ``save`` writes it."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self._footnotes: dict[int, str] = {}

    def set_numbering(self, xml: str) -> "DocxFactory":
        self.doc.part.numbering_part._element = parse_xml(xml)
        return self

    def add_style(self, xml: str) -> "DocxFactory":
        """Append a ``w:style`` (written with the ``w:`` prefix) to styles.xml."""
        self.doc.part.styles.element.append(parse_xml(xml.replace("<w:style ", f"<w:style {_NS_DECL} ", 1)))
        return self

    def para(
        self,
        text: str,
        numbering: Optional[tuple[int, int]] = None,
        *,
        ilvl_only: Optional[int] = None,
        style: Optional[str] = None,
        bold: bool = False,
        center: bool = False,
        footnote: Optional[tuple[int, str]] = None,
    ) -> "DocxFactory":
        """A paragraph; ``numbering`` = (numId, ilvl); ``footnote`` = (id, note text)
        places a footnote reference after ``text``."""
        p = self.doc.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold = bold or None
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ppr = p._p.get_or_add_pPr()
        if numbering is not None:
            nid, ilvl = numbering
            ppr.append(parse_xml(f'<w:numPr {_NS_DECL}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{nid}"/></w:numPr>'))
        elif ilvl_only is not None:
            ppr.append(parse_xml(f'<w:numPr {_NS_DECL}><w:ilvl w:val="{ilvl_only}"/></w:numPr>'))
        if footnote is not None:
            fid, note = footnote
            self._footnotes[fid] = note
            p._p.append(parse_xml(f'<w:r {_NS_DECL}><w:footnoteReference w:id="{fid}"/></w:r>'))
            p.add_run(" tiếp theo")
        return self

    def table(self, rows: Sequence[Sequence[Cell]]) -> "DocxFactory":
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                lines = [cell] if isinstance(cell, str) else list(cell)
                target = table.cell(r, c)
                target.paragraphs[0].text = lines[0] if lines else ""
                for line in lines[1:]:
                    target.add_paragraph(line)
        return self

    def merged_table(self, header: Sequence[str], spanning: str) -> "DocxFactory":
        """A data table whose second row is one cell merged across the width."""
        table = self.doc.add_table(rows=2, cols=len(header))
        for c, text in enumerate(header):
            table.cell(0, c).text = text
        merged = table.cell(1, 0).merge(table.cell(1, len(header) - 1))
        merged.text = spanning
        return self

    def save(self, path: Path) -> Path:
        if self._footnotes:
            self._attach_footnotes()
        self.doc.save(str(path))
        return path

    def _attach_footnotes(self) -> None:
        notes = "".join(
            f'<w:footnote w:id="{fid}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
            for fid, text in sorted(self._footnotes.items())
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {_NS_DECL}>'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f"{notes}</w:footnotes>"
        )
        part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, xml.encode("utf-8"), self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
