"""The fast .docx reader against the plain one it replaced.

The reader parses each part it needs once (the tree :func:`pipeline.safety.check_xml`
built), finds the parts through the package relationships itself, never decompresses a
part it does not read, and cuts the table formatting it never reads out of styles.xml
before parsing. Each shortcut is compared here with the plain computation: python-docx
opening the file itself and handing over whole, unpruned parts.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree

import pipeline.readers.docx as reader
from pipeline import safety
from pipeline.readers import ReadError, read_document

from .docx_factory import DocxFactory, abstract_num, lvl, num, numbering_xml

REPO = Path(__file__).resolve().parents[1]
CORPUS_DOCX = sorted((REPO / "corpus" / "docx").glob("*.docx"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def python_docx_parts(path: Path) -> reader._Parts:
    """The parts as python-docx finds them in the file itself, each parsed whole."""
    document = docx.Document(str(path))
    part = document.part

    def related(reltype: str):
        try:
            target = part.part_related_by(reltype)
        except KeyError:
            return None
        element = getattr(target, "element", None)
        return element if element is not None else etree.fromstring(target.blob, safety.xml_parser())

    return reader._Parts(document.element.body, related(reader.RT_STYLES), related(reader.RT_NUMBERING),
                         related(reader.RT_FOOTNOTES), related(reader.RT_ENDNOTES))


def as_json(path: Path) -> str:
    return json.dumps(read_document(path).to_dict(), sort_keys=True, ensure_ascii=False, default=str)


def rich_docx(path: Path) -> Path:
    """Numbering with overrides, a heading style, a character style, bold and centred
    lines, a table, hidden text and a footnote."""
    factory = DocxFactory().set_numbering(numbering_xml(
        [abstract_num(1, [lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%2."), lvl(2, "lowerLetter", "%3)")]),
         abstract_num(2, [lvl(0, "bullet", "-")])],
        [num(1, 1), num(2, 1, {0: 3}), num(3, 2)]))
    factory.add_style('<w:style w:type="character" w:styleId="Nhan"><w:name w:val="Nhấn"/>'
                      '<w:rPr><w:b/><w:i/></w:rPr></w:style>')
    factory.para("NGHỊ QUYẾT", bold=True, center=True)
    factory.para("Về đổi mới tổ chức", center=True)
    factory.para("Mục tiêu", numbering=(1, 0), bold=True)
    factory.para("Tăng đoàn viên", numbering=(1, 1), footnote=(1, "Theo Điều lệ."))
    factory.para("Phát triển", numbering=(1, 2))
    factory.para("Nhiệm vụ", numbering=(2, 0))
    factory.para("Tuyên truyền", numbering=(3, 0))
    factory.para("Chương 2", style="Heading 1")
    factory.table([["Chỉ tiêu", "Năm 2025"], ["Đoàn viên", ["1.000.000", "tăng 5%"]]])
    paragraph = factory.doc.add_paragraph()
    paragraph.add_run("Hiện ")
    paragraph.add_run("ẩn ").font.hidden = True
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="Nhan"/></w:rPr><w:t>nhấn</w:t></w:r>'))
    return factory.save(path)


# --- the whole document ----------------------------------------------------------------

@pytest.mark.parametrize("path", CORPUS_DOCX, ids=lambda p: p.stem)
def test_corpus_docx_read_as_through_python_docx(path, monkeypatch):
    fast = as_json(path)
    monkeypatch.setattr(reader, "open_docx", python_docx_parts)
    assert fast == as_json(path)


def test_generated_docx_reads_as_through_python_docx(tmp_path, monkeypatch):
    path = rich_docx(tmp_path / "rich.docx")
    fast = as_json(path)
    assert "Tăng đoàn viên" in fast and "Theo Điều lệ" in fast
    monkeypatch.setattr(reader, "open_docx", python_docx_parts)
    assert fast == as_json(path)


# --- parts read lazily -----------------------------------------------------------------

def test_parts_never_read_are_never_decompressed(monkeypatch):
    inflated: list[str] = []
    original = safety._inflate

    def recording(fh, info, cap):
        inflated.append(info.filename)
        return original(fh, info, cap)

    monkeypatch.setattr(safety, "_inflate", recording)
    read_document(CORPUS_DOCX[0])
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} <= set(inflated)
    with zipfile.ZipFile(CORPUS_DOCX[0]) as z:
        unread = {n for n in z.namelist() if n.endswith(("theme1.xml", "settings.xml", "fontTable.xml"))}
    assert unread and not unread & set(inflated)
    assert len(inflated) == len(set(inflated))  # each part once


def rewritten(source: Path, target: Path, change) -> Path:
    """``source`` with each entry passed through ``change(name, data)`` → (name, data) or None."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            changed = change(name, zin.read(name))
            if changed is not None:
                zout.writestr(*changed)
    return target


def test_a_damaged_part_never_read_does_not_stop_the_reader(tmp_path):
    source = CORPUS_DOCX[1]
    path = rewritten(source, tmp_path / "theme.docx",
                     lambda n, d: (n, b"\x00garbage" * 50) if n.endswith("theme1.xml") else (n, d))
    assert read_document(path, "x").to_dict() == read_document(source, "x").to_dict()


# --- relationships ---------------------------------------------------------------------

def test_main_part_found_by_its_relationship_wherever_it_is(tmp_path, monkeypatch):
    """A main part named word/main.xml, reached by an absolute target, reads as python-docx finds it."""
    def rename(name: str, data: bytes):
        if name == "word/document.xml":
            return "word/main.xml", data
        if name == "word/_rels/document.xml.rels":
            return "word/_rels/main.xml.rels", data.replace(b'Target="styles.xml"', b'Target="../word/styles.xml"')
        if name in ("[Content_Types].xml", "_rels/.rels"):
            return name, data.replace(b'"/word/document.xml"', b'"/word/main.xml"').replace(
                b'"word/document.xml"', b'"/word/main.xml"')
        return name, data

    path = rewritten(CORPUS_DOCX[2], tmp_path / "main.docx", rename)
    fast = as_json(path)
    monkeypatch.setattr(reader, "open_docx", python_docx_parts)
    assert fast == as_json(path)
    assert json.loads(fast)["text"] == read_document(CORPUS_DOCX[2]).text


def refused(path: Path) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_document(path)
    return caught.value


def test_package_structure_errors(tmp_path):
    source = CORPUS_DOCX[4]
    missing = rewritten(source, tmp_path / "nonum.docx", lambda n, d: None if n == "word/numbering.xml" else (n, d))
    error = refused(missing)
    assert error.kind == "corrupt" and "word/numbering.xml" in str(error)

    macro = rewritten(source, tmp_path / "macro.docx", lambda n, d: (n, d.replace(
        MAIN_CT.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml")))
    error = refused(macro)
    assert error.kind == "wrong_extension" and str(error).startswith("not a Word document: macro.docx")

    def twice(name: str, data: bytes):
        second = f'<Relationship Id="rIdTwice" Type="{reader.RT_OFFICE_DOCUMENT}" Target="word/document.xml"/>'
        return name, data.replace(b"</Relationships>", second.encode() + b"</Relationships>") if name == "_rels/.rels" else data

    error = refused(rewritten(source, tmp_path / "twice.docx", twice))
    assert error.kind == "corrupt" and "officeDocument" in str(error)

    no_body = rewritten(source, tmp_path / "nobody.docx", lambda n, d: (n, (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"/>').encode())
        if n == "word/document.xml" else (n, d))
    error = refused(no_body)
    assert error.kind == "corrupt" and "w:body" in str(error)


# --- styles.xml pruned before parsing ----------------------------------------------------

def styles_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/styles.xml")


def template_styles() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return styles_xml(buffer)  # type: ignore[arg-type]


def resolved(sheet: reader.StyleSheet, ids: list[str]) -> list:
    return [sheet.doc_defaults, sheet.default_paragraph] + [
        (sheet.paragraph(i), sheet.character(i), sheet.numbering_of(i)) for i in ids]


@pytest.mark.parametrize("path", CORPUS_DOCX[:2] + ["template"], ids=lambda p: getattr(p, "stem", p))
def test_pruned_styles_resolve_as_the_whole_part(path):
    data = template_styles() if path == "template" else styles_xml(path)
    pruned = reader.prune_styles(data)
    assert len(pruned) < len(data) / 2  # the table formatting is most of the part
    whole = etree.fromstring(data)
    ids = [s.get(f"{{{W_NS}}}styleId") for s in whole.iter(f"{{{W_NS}}}style")]
    assert len(ids) > 50
    sheet = reader.StyleSheet(safety.check_xml("styles.xml", data, reader.prune_styles))
    assert resolved(sheet, ids) == resolved(reader.StyleSheet(whole), ids)


def styles(body: str, head: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>') -> bytes:
    return f'{head}<w:styles xmlns:w="{W_NS}">{body}</w:styles>'.encode()


TABLE_STYLE = ('<w:style w:type="table" w:styleId="Luoi"><w:name w:val="Lưới"/><w:rPr><w:b/></w:rPr>'
               '<w:tblPr><w:tblBorders><w:top w:val="single"/></w:tblBorders></w:tblPr><w:trPr/>'
               '<w:tcPr><w:shd w:fill="auto"/></w:tcPr>'
               '<w:tblStylePr w:type="firstRow"><w:rPr><w:i/></w:rPr><w:tcPr/></w:tblStylePr></w:style>')


def test_prune_cuts_whole_unread_elements_only():
    data = styles('<w:latentStyles w:count="2"><w:lsdException w:name="Normal"/></w:latentStyles>' + TABLE_STYLE)
    pruned = reader.prune_styles(data)
    assert pruned == styles('<w:style w:type="table" w:styleId="Luoi"><w:name w:val="Lưới"/>'
                            "<w:rPr><w:b/></w:rPr></w:style>")
    kept = styles('<w:style w:type="paragraph" w:styleId="A"><w:tblPrEx/><w:name w:val="A"/></w:style>')
    assert reader.prune_styles(kept) is kept  # a longer tag name is not cut; nothing cut: the same object


@pytest.mark.parametrize("hiding", ["<!-- <w:tblPr> -->", "<![CDATA[<w:tcPr>]]>", "<?pi <w:trPr>?>"])
def test_nothing_is_pruned_where_a_tag_could_hide(hiding):
    data = styles(TABLE_STYLE.replace("<w:name", f"{hiding}<w:name"))
    assert reader.prune_styles(data) is data


def test_a_cut_that_leaves_malformed_xml_parses_the_whole_part():
    # Tracked changes nest a w:tblPr in a w:tblPr: the cut stops at the inner end tag.
    nested = TABLE_STYLE.replace("<w:tblBorders>", "<w:tblPrChange><w:tblPr><w:jc/></w:tblPr></w:tblPrChange>"
                                                    "<w:tblBorders>")
    data = styles(nested)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(reader.prune_styles(data))
    tree = safety.check_xml("word/styles.xml", data, reader.prune_styles)
    assert etree.tostring(tree) == etree.tostring(etree.fromstring(data))


def test_declarations_are_refused_on_the_whole_part_before_pruning():
    def never(data: bytes) -> bytes:
        raise AssertionError("pruned before the declarations were refused")

    data = styles(TABLE_STYLE, head='<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY e "x">]>')
    with pytest.raises(ReadError) as caught:
        safety.check_xml("word/styles.xml", data, never)
    assert caught.value.kind == "unsafe_xml"


def test_nesting_left_after_pruning_is_still_too_deep():
    depth = safety.limits().xml_max_depth
    deep = "<w:pPr>" * depth + "</w:pPr>" * depth
    data = styles(TABLE_STYLE + f'<w:style w:type="paragraph" w:styleId="S">{deep}</w:style>')
    with pytest.raises(ReadError) as caught:
        safety.check_xml("word/styles.xml", data, reader.prune_styles)
    assert caught.value.kind == "too_deep"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_declarations_are_seen_in_every_encoding_word_writes(encoding):
    # The scan is skipped when no "!" byte is present, which every encoding of "<!" has.
    text = styles(TABLE_STYLE, head='<?xml version="1.0"?><!DOCTYPE w:styles>').decode()
    data = ("\ufeff" if encoding != "utf-8" else "").encode(encoding) + text.encode(encoding)
    with pytest.raises(ReadError) as caught:
        safety.check_xml("word/styles.xml", data)
    assert caught.value.kind == "unsafe_xml" and "without parsing" in str(caught.value)  # the byte scan saw it


def test_a_greater_than_sign_in_an_attribute_never_makes_a_cut_that_loses_a_style():
    # The tag "<w:tblPr w:x="a>b"/>" seems to end at the first ">", so a cut would run to a
    # later "</w:tblPr>" and take the styles between with it while the XML stays well-formed.
    data = styles('<w:style w:type="paragraph" w:styleId="A"><w:tblPr w:x="a>b"/></w:style>'
                  '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/></w:style>'
                  + TABLE_STYLE)
    pruned = reader.prune_styles(data)
    assert pruned.count(b"<w:style ") == data.count(b"<w:style ") == 3
    whole = etree.fromstring(data)
    sheet = reader.StyleSheet(safety.check_xml("styles.xml", data, reader.prune_styles))
    assert resolved(sheet, ["A", "B", "Luoi"]) == resolved(reader.StyleSheet(whole), ["A", "B", "Luoi"])
