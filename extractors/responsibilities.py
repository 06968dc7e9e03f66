"""Who is charged with what: units named as responsible, with their role.

Roles (``models/roles.yaml``, gold guide ``responsibilities``):

- ``lead`` — the unit that chủ trì (leads), "là cơ quan thường trực", "là đầu
  mối", or that a "Giao … chủ trì" sentence makes lead, anywhere in the text;
- ``coordinate`` — the units after "phối hợp với …" of a lead, and any
  "phối hợp với …" inside the implementation section (Tổ chức thực hiện);
- ``assigned`` — units the implementation section charges: the units a heading
  names ("1. Ban Tuyên giáo", "2. LĐLĐ các huyện, thành phố, Công đoàn Ngành"
  → one entry per unit), the subject of a sentence there ("Các ban, đơn vị …
  căn cứ chức năng, nhiệm vụ …"), and the units of an explicit "Giao …"
  assignment anywhere.

Units in content sections doing things ("Công đoàn chủ động phối hợp với Mặt
trận Tổ quốc …"), addressees ("báo cáo Bộ Chính trị") and generic partners
("các cơ quan chức năng") are not responsibilities. One record per distinct
(unit, role, section).
"""

from __future__ import annotations

import functools
from typing import Any, Iterable, Optional

import regex

from extractors import register
from extractors.units import Unit, fold, read_unit_list
from pipeline import vocab
from pipeline.document import Block, ParsedDocument, Section, Sentence

# Bullets and section labels at the start of a sentence ("- ", "1.1. ", "IV- ").
_LABEL = regex.compile(r"(?:\s*(?:[-+*•–]|(?:[IVXLC]+|\d+(?:\s?\.\s?\d+)*|[a-zđ])\s?[.)\-/:])\s*)+")
_MEANWHILE = fold("đồng thời")  # "…, đồng thời giao …" opens a clause too


@functools.lru_cache(maxsize=1)
def _roles() -> dict[str, Any]:
    r = vocab.load("roles")

    def phrases(key: str) -> list[str]:
        return sorted((fold(p) for p in r[key]), key=len, reverse=True)

    layout = vocab.load("layout")
    return {
        "impl": phrases("implementation_titles"),
        "lead": phrases("lead_predicates"),
        "coord_re": regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(p) for p in phrases("coordinate_markers")) + r")\s+"),
        "assign_re": regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(p) for p in phrases("assign_markers")) + r")\s+"),
        "intro": phrases("intro_clauses"),
        "not_pred": set(phrases("not_predicates")),
        "end_marks": [fold(m) for m in layout["recipients"]] + [fold(m) for m in layout["signature_authority"]],
    }


_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_FIRST_WORD = regex.compile(r"[\p{L}]+")


def _starts_with_phrase(folded: str, phrases: Iterable[str]) -> Optional[str]:
    """The phrase of ``phrases`` that ``folded`` opens with (as whole words)."""
    for p in phrases:
        if folded.startswith(p) and not _WORD_CHAR.match(folded[len(p) : len(p) + 1] or " "):
            return p
    return None


# ---------------------------------------------------------------- sections


def _body_end(doc: ParsedDocument, start: int) -> int:
    """Where the body after ``start`` gives way to signature, Nơi nhận or annex."""
    roles = _roles()
    for block in doc.document.blocks:
        if block.start < start or block.kind == "footnote":
            continue
        if block.region in ("signature", "recipients"):
            return block.start
        if _starts_with_phrase(fold(block.text), roles["end_marks"]):
            return block.start
    return len(doc.text)


def implementation_ranges(doc: ParsedDocument) -> list[tuple[int, int, Optional[Section]]]:
    """Spans of the implementation sections (Tổ chức thực hiện, Tiến độ thực hiện …).

    A numbered section whose title names it, with its subsections; failing that,
    an unnumbered heading line ("TỔ CHỨC THỰC HIỆN") up to the signature."""
    roles = _roles()
    out: list[tuple[int, int, Optional[Section]]] = []
    for s in doc.sections:
        title = fold(s.title).strip(" .:*")
        if len(title) > 80 or not _starts_with_phrase(title, roles["impl"]):
            continue
        if any(a <= s.start < b for a, b, _ in out):
            continue
        out.append((s.start, min(s.end, _body_end(doc, s.title_end)), s))
    if out:
        return out
    for block in doc.document.blocks:
        title = fold(block.text).strip(" .:*")
        if block.kind != "footnote" and len(title) <= 80 and _starts_with_phrase(title, roles["impl"]):
            if block.kind == "heading" or block.text.isupper():
                out.append((block.start, _body_end(doc, block.end), None))
                break
    return out


def _in(ranges: list[tuple[int, int, Optional[Section]]], pos: int) -> bool:
    return any(a <= pos < b for a, b, _ in ranges)


def _content_start(text: str, start: int, end: int) -> int:
    """Offset after the bullet or section label at ``start``."""
    m = _LABEL.match(text, start, end)
    return m.end() if m else start


# ---------------------------------------------------------------- records


class _Collector:
    """Records keyed by (folded unit, role, section): one entry for each."""

    def __init__(self, doc: ParsedDocument):
        self.doc = doc
        self.records: dict[tuple[str, str, Optional[str]], dict[str, Any]] = {}

    def add(self, unit: Unit, role: str, at: Optional[int] = None) -> None:
        """Record ``unit`` in ``role``; ``at`` is where the role is stated when the
        unit is named elsewhere (a heading's unit made lead by a bullet under it)."""
        if unit.generic or unit.bare:
            return
        prov = self.doc.provenance(unit.start, unit.end)
        if at is not None:
            prov["section"] = self.doc.section_path_at(at)
        key = (fold(unit.text), role, prov["section"])
        if key in self.records:
            return
        self.records[key] = {"unit": unit.text, "unit_expanded": unit.expanded, "role": role, **prov}


# ---------------------------------------------------------------- sentences


def _subject(text: str, start: int, end: int) -> tuple[list[Unit], int]:
    """Units that open the sentence (after an intro clause "Căn cứ …, ") and the
    offset where the predicate starts; ``[]`` when the sentence has no unit subject."""
    roles = _roles()
    pos = _content_start(text, start, end)
    f = fold(text[pos:end])
    if _starts_with_phrase(f, roles["intro"]):
        comma = text.find(",", pos, end)
        if comma < 0:
            return [], pos
        pos = comma + 1
        while pos < end and text[pos] == " ":
            pos += 1
    units = read_unit_list(text, pos)
    units = [u for u in units if u.end <= end]
    if not units:
        return [], pos
    after = units[-1].end
    while after < end and text[after] in " ":
        after += 1
    return units, after


def _predicate(text: str, pos: int, end: int) -> Optional[str]:
    """``"lead"`` when the words at ``pos`` make a lead, ``"other"`` for any other
    predicate, None when nothing that charges follows (end, "của", "với" …)."""
    roles = _roles()
    f = fold(text[pos:end]).lstrip()
    if not f.strip(" .:;,"):
        return None
    if _starts_with_phrase(f, roles["lead"]):
        return "lead"
    first = _FIRST_WORD.match(f)
    if not first or first.group(0) in roles["not_pred"]:
        return None
    return "other"


def _lead_after(text: str, pos: int, end: int) -> bool:
    """A lead predicate ("chủ trì", "là đầu mối chủ trì") at ``pos``."""
    return _predicate(text, pos, end) == "lead"


def _heading_units(doc: ParsedDocument, impl: list[tuple[int, int, Optional[Section]]]) -> dict[str, list[Unit]]:
    """Units named by the headings inside the implementation sections, by path."""
    out: dict[str, list[Unit]] = {}
    roots = {s.path for _, _, s in impl if s is not None}
    for s in doc.sections:
        if s.path in roots or not _in(impl, s.start):
            continue
        units, after = _subject(doc.text, s.title_start, s.title_end)
        # Only a title that is nothing but units ("1.1. Ban Tuyên giáo"); a numbered
        # paragraph that goes on with a predicate is read as a sentence.
        if units and _predicate(doc.text, after, s.title_end) is None:
            out[s.path] = units
    return out


def _enclosing_heading_units(doc: ParsedDocument, heads: dict[str, list[Unit]], pos: int) -> list[Unit]:
    section = doc.section_at(pos)
    while section is not None:
        if section.path in heads:
            return heads[section.path]
        parent = section.parent
        section = next((s for s in doc.sections if s.path == parent), None) if parent else None
    return []


def _sentence_block(doc: ParsedDocument, sentence: Sentence) -> Optional[Block]:
    return doc.document.block_at(sentence.start)


@register("responsibilities")
def extract(doc: ParsedDocument, found: dict) -> list[dict[str, Any]]:
    text = doc.text
    roles = _roles()
    impl = implementation_ranges(doc)
    heads = _heading_units(doc, impl)
    out = _Collector(doc)

    # Headings of the implementation section charge the units they name.
    for path, units in heads.items():
        for u in units:
            out.add(u, "assigned")

    for sentence in doc.sentences:
        block = _sentence_block(doc, sentence)
        if block is None or block.kind == "footnote" or block.region in ("signature", "recipients", "header"):
            continue
        _sentence(text, sentence.start, sentence.end, _in(impl, sentence.start), doc, heads, out, roles)
    return sorted(out.records.values(), key=lambda r: r["span"][0])


def _sentence(
    text: str,
    s: int,
    e: int,
    in_impl: bool,
    doc: ParsedDocument,
    heads: dict[str, list[Unit]],
    out: _Collector,
    roles: dict[str, Any],
) -> None:
    has_lead = False
    # 1. The subject: "Ban Tổ chức Trung ương chủ trì, …", "Các ban, … căn cứ …".
    subjects, after = _subject(text, s, e)
    # "Ban Thường vụ … giao Ban Tuyên giáo …": the subject hands the task on.
    handed = roles["assign_re"].match(fold(text[after:e])) if subjects else None
    delegates = bool(handed) and bool(read_unit_list(text, after + handed.end()))
    if subjects and text[after : after + 1] == ":":
        # "1. Ban Tuyên giáo LĐLĐ tỉnh: Chủ trì, phối hợp …": a heading that names
        # the units, then their tasks.
        pred = _predicate(text, after + 1, e)
        for u in subjects:
            if in_impl:
                out.add(u, "assigned")
            if pred == "lead":
                has_lead = True
                out.add(u, "lead")
    elif subjects and not delegates:
        pred = _predicate(text, after, e)
        if pred == "lead":
            has_lead = True
            for u in subjects:
                out.add(u, "lead")
        elif pred == "other" and in_impl:
            for u in subjects:
                out.add(u, "assigned")
    elif in_impl:
        # A bullet under a heading that names the unit: "- Là cơ quan thường trực …".
        pos = _content_start(text, s, e)
        if _lead_after(text, pos, e):
            units = _enclosing_heading_units(doc, heads, pos)
            if units:
                has_lead = True
                for u in units:
                    out.add(u, "lead", at=pos)

    # 2. Explicit assignment: "Giao Văn phòng … là đầu mối chủ trì", "Giao … cho Trường …".
    ftext = fold(text[s:e])
    content = _content_start(text, s, e) - s
    for m in roles["assign_re"].finditer(ftext):
        # An assignment opens its clause ("Giao …", "…: Giao …", "; giao …"); inside
        # a clause "giao cho" is a transfer ("ngân sách … giao cho Công an") and
        # "được giao" a passive.
        before = ftext[content : m.start()].rstrip()
        # … or follows the unit that delegates: "Ban Thường vụ LĐLĐ tỉnh giao Ban Tuyên giáo …".
        by_subject = delegates and s + m.start() == after
        if before and before[-1] not in ":;,." and not before.endswith(_MEANWHILE) and not by_subject:
            continue
        units = [u for u in read_unit_list(text, s + m.end()) if u.end <= e]
        if not units:
            continue
        after_units = units[-1].end
        while after_units < e and text[after_units] == " ":
            after_units += 1
        role = "lead" if _lead_after(text, after_units, e) else "assigned"
        has_lead = has_lead or role == "lead"
        for u in units:
            out.add(u, role)

    # 3. Partners: "phối hợp với …" of a lead, or anywhere in the implementation section.
    if has_lead or in_impl:
        for m in roles["coord_re"].finditer(ftext):
            units = [u for u in read_unit_list(text, s + m.end()) if u.end <= e]
            for u in units:
                out.add(u, "coordinate")
