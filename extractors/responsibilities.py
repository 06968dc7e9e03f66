"""Who is charged with what: units named as responsible, with their role.

Roles (``models/roles.yaml``, gold guide ``responsibilities``):

- ``lead`` — the unit that chủ trì (leads), "là cơ quan thường trực", "là đầu
  mối", or that a "Giao/Đề nghị/chỉ đạo … chủ trì" clause makes lead, anywhere
  in the text (also a unit heading "b) Bộ Công Thương:" over "- Chủ trì …");
- ``coordinate`` — the units after "phối hợp (với) …" when the acting unit is
  stated (a lead, the subject, or a unit heading above) or the sentence is in
  the implementation section, and the bullets under "Chủ trì, phối hợp:";
- ``assigned`` — units the implementation section charges: the units a heading
  names ("1. Ban Tuyên giáo", "2.9. Đề nghị Liên đoàn Lao động tỉnh", "5. LĐLĐ
  các huyện; Công đoàn ngành" → one entry per unit), the subject of a sentence
  there ("Các ban, đơn vị … căn cứ chức năng, nhiệm vụ …"), the units a request
  there names ("Đề nghị …", "… yêu cầu …"), the units of an explicit "Giao …"
  anywhere, and the subjects of "chịu trách nhiệm thi hành" anywhere.

The implementation section is the one titled so (Tổ chức thực hiện, Phân công
trách nhiệm …); a document without one (a Chỉ thị) charges units in numbered
headings that name them ("2. Sở Khoa học và Công nghệ"), and those sections are
its implementation part.

Units in content sections doing things ("Công đoàn chủ động phối hợp với Mặt
trận Tổ quốc …"), addressees ("báo cáo Bộ Chính trị") and generic partners
("các cơ quan chức năng") are not responsibilities. One record per distinct
(unit, role, section).
"""

from __future__ import annotations

import bisect
import functools
from typing import Any, Iterator, Optional

import regex

from extractors import register
from extractors.units import Unit, fold, fold_prefix, read_unit_list
from pipeline import vocab
from pipeline.document import Block, ParsedDocument, Section, Sentence

# Bullets and section labels at the start of a sentence ("- ", "1.1. ", "IV- ").
# (?<!\d): a number starts a label only at its first digit (linear on long digit runs).
_LABEL = regex.compile(r"(?:\s*(?:[-+*•–]|(?:[IVXLC]+|(?<!\d)\d+(?:\s?\.\s?\d+)*|[a-zđ])\s?[.)\-/:])\s*)+")
_MEANWHILE = fold("đồng thời")  # "…, đồng thời giao …" opens a clause too


@functools.lru_cache(maxsize=1)
def _roles() -> dict[str, Any]:
    r = vocab.load("roles")

    def phrases(key: str) -> list[str]:
        return sorted((fold(p) for p in r[key]), key=len, reverse=True)

    layout = vocab.load("layout")
    end_marks = [fold(m) for m in layout["recipients"]] + [fold(m) for m in layout["signature_authority"]]
    return {
        "impl": _opener_re(phrases("implementation_titles")),
        "lead": _opener_re(phrases("lead_predicates")),
        "coord_re": _Markers(phrases("coordinate_markers"), sort=False),
        "assign_re": _marker_re(phrases("assign_markers")),
        "request_re": _marker_re(phrases("request_markers")),
        "direct_re": _marker_re(phrases("direct_markers")),
        "handover_re": _marker_re(phrases("assign_markers") + phrases("request_markers")),
        "execution": _opener_re(phrases("execution_predicates")),
        "partner_intros": phrases("partner_list_intros"),
        "descriptions": _opener_re(phrases("unit_descriptions")),
        "passive_charge_re": regex.compile(
            r"(?<![\p{L}])(?:" + "|".join(regex.escape(p) for p in phrases("passive_then_charge")) + r")(?![\p{L}])"
        ),
        "intro": _opener_re(phrases("intro_clauses")),
        "intro_len": max(map(len, phrases("intro_clauses"))),
        "lead_len": max(map(len, phrases("lead_predicates"))),
        "partner_len": max(map(len, phrases("partner_list_intros"))),
        "not_pred": set(phrases("not_predicates")),
        "end_marks": _opener_re(end_marks),
    }


class _Markers:
    """Any of ``phrases`` (folded) as whole words, followed by a space.

    Scanning a sentence with the pattern costs about ten times a few substring
    tests, and most sentences hold none of the phrases: ``finditer`` first asks
    whether any phrase occurs at all (a phrase that contains another needs no
    test of its own)."""

    def __init__(self, phrases: list[str], sort: bool = True):
        alternatives = sorted(phrases, key=len, reverse=True) if sort else phrases
        self.pattern = regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(p) for p in alternatives) + r")\s+")
        self.anchors = tuple(p for p in phrases if not any(q != p and q in p for q in phrases))

    def finditer(self, folded: str) -> Iterator[Any]:
        for anchor in self.anchors:  # a plain loop: any() and its generator cost more than the tests
            if anchor in folded:
                return self.pattern.finditer(folded)
        return iter(())

    def match(self, folded: str) -> Any:
        return self.pattern.match(folded)


def _marker_re(phrases: list[str]) -> _Markers:
    return _Markers(phrases)


_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_FIRST_WORD = regex.compile(r"[\p{L}]+")


def _opener_re(phrases: list[str]) -> regex.Pattern:
    """Matches the first of ``phrases`` (in list order) that opens a string as
    whole words: one match call where a loop of ``startswith`` was."""
    return regex.compile("(?:" + "|".join(regex.escape(p) for p in phrases) + r")(?![\p{L}\p{N}])")


# A tone pair's fold looks at most four letters before it; lower() is per
# character except for Σ, whose form depends on what follows. So the end of a
# string folds like the end of the whole (the opening: units.fold_prefix).
_FOLD_LOOKBACK = 5


def _fold_ending(raw: str, size: int) -> str:
    """``fold(raw)`` as far as its last ``size`` + 1 characters go (a closing
    phrase and the character before it)."""
    width = size + 1 + _FOLD_LOOKBACK
    if len(raw) <= width or "Σ" in raw:
        return fold(raw)
    return fold(raw[-width:])


def _starts_with_phrase(folded: str, phrases: regex.Pattern) -> Optional[str]:
    """The phrase of ``phrases`` (an :func:`_opener_re`) that ``folded`` opens with
    (as whole words)."""
    m = phrases.match(folded)
    return m.group(0) if m else None


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
    if out:
        return out
    # No implementation section: the numbered headings that name units charge
    # them (a Chỉ thị: "1. Thủ trưởng các sở, ban, ngành; …", "2. Sở Nội vụ").
    for s in doc.sections:
        if any(a <= s.start < b for a, b, _ in out):
            continue
        if _title_units(doc.text, s.title_start, s.title_end):
            out.append((s.start, min(s.end, _body_end(doc, s.title_end)), s))
    return out


def _in(ranges: list[tuple[int, int, Optional[Section]]], pos: int) -> bool:
    return any(a <= pos < b for a, b, _ in ranges)


def _content_start(text: str, start: int, end: int) -> int:
    """Offset after the bullet or section label at ``start``."""
    m = _LABEL.match(text, start, end)
    return m.end() if m else start


# ---------------------------------------------------------------- section lookups


class _Sections:
    """``ParsedDocument.section_at`` by bisection, and sections by path.

    The plain lookup scans the sections up to the first that starts after the
    offset and keeps the last that holds it; here the first index that starts
    after the offset is found by bisection (over running maxima of the starts,
    so any order gives the same answer) and the scan runs backwards from it."""

    def __init__(self, doc: ParsedDocument):
        self.sections = doc.sections
        self._max_starts: list[int] = []
        highest = -1
        for s in doc.sections:
            highest = max(highest, s.start)
            self._max_starts.append(highest)
        self.by_path: dict[str, Section] = {}
        for s in doc.sections:
            self.by_path.setdefault(s.path, s)  # the first of a path, as a forward search finds

    def at(self, offset: int) -> Optional[Section]:
        sections = self.sections
        for j in range(bisect.bisect_right(self._max_starts, offset) - 1, -1, -1):
            if offset < sections[j].end:
                return sections[j]
        return None

    def path_at(self, offset: int) -> Optional[str]:
        s = self.at(offset)
        return s.path if s else None


# ---------------------------------------------------------------- records


class _Collector:
    """Records keyed by (folded unit, role, section): one entry for each."""

    def __init__(self, doc: ParsedDocument, sections: _Sections):
        self.doc = doc
        self.sections = sections
        self.records: dict[tuple[str, str, Optional[str]], dict[str, Any]] = {}

    def add(self, unit: Unit, role: str, at: Optional[int] = None) -> None:
        """Record ``unit`` in ``role``; ``at`` is where the role is stated when the
        unit is named elsewhere (a heading's unit made lead by a bullet under it)."""
        if unit.generic or unit.bare:
            return
        section = self.sections.path_at(unit.start if at is None else at)
        key = (fold(unit.text), role, section)
        if key in self.records:
            return  # the provenance of a repeat is not needed
        prov = self.doc.provenance(unit.start, unit.end)
        prov["section"] = section
        self.records[key] = {"unit": unit.text, "unit_expanded": unit.expanded, "role": role, **prov}


# ---------------------------------------------------------------- sentences


def _subject(text: str, pos: int, end: int) -> tuple[list[Unit], int]:
    """Units that open the sentence whose content (after its label) starts at
    ``pos`` (after an intro clause "Căn cứ …, ") and the offset where the
    predicate starts; ``[]`` when the sentence has no unit subject."""
    roles = _roles()
    f = fold_prefix(text, roles["intro_len"], pos, end)
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
    return _folded_predicate(fold(text[pos:end]))


def _folded_predicate(folded: str) -> Optional[str]:
    """:func:`_predicate` of the folded words from the predicate's position."""
    roles = _roles()
    f = folded.lstrip()
    if not f.strip(" .:;,"):
        return None
    if _starts_with_phrase(f, roles["lead"]):
        return "lead"
    first = _FIRST_WORD.match(f)
    if not first or first.group(0) in roles["not_pred"]:
        return None
    return "other"


def _lead_after(text: str, pos: int, end: int) -> bool:
    """A lead predicate ("chủ trì", "là đầu mối chủ trì") at ``pos``: what
    ``_predicate(text, pos, end) == "lead"`` tells, from the opening words only
    (a lead phrase has letters, so the predicate is not empty then)."""
    while pos < end and text[pos].isspace():  # the lstrip() of _folded_predicate
        pos += 1
    roles = _roles()
    return _starts_with_phrase(fold_prefix(text, roles["lead_len"], pos, end), roles["lead"]) is not None


def _clause_lead(text: str, pos: int, end: int) -> bool:
    """A lead predicate opening the predicate at ``pos`` or any later clause of
    the same subject after ";" ("Phối hợp với Công an tỉnh …; chủ trì tiến hành
    kiểm định …")."""
    if _lead_after(text, pos, end):
        return True
    semi = text.find(";", pos, end)
    while semi >= 0:
        if _lead_after(text, semi + 1, end):
            return True
        semi = text.find(";", semi + 1, end)
    return False


def _title_units(text: str, start: int, end: int) -> list[Unit]:
    """The units of a heading that is nothing but units ("1.1. Ban Tuyên giáo",
    "2.9. Đề nghị Liên đoàn Lao động tỉnh", "b) Bộ Công Thương:"); ``[]`` for a
    numbered paragraph that goes on with a predicate (read as a sentence)."""
    roles = _roles()
    pos = _content_start(text, start, end)
    # A request or assignment verb may open the heading ("Đề nghị …", "Giao …").
    m = roles["handover_re"].match(fold(text[pos:end]))
    if m:
        pos += m.end()
    units = [u for u in read_unit_list(text, pos, semicolons=True) if u.end <= end]
    if not units or all(u.generic or u.bare for u in units):
        return []
    after = units[-1].end
    if _predicate(text, after, end) is not None:
        return []
    return units


def _heading_units(doc: ParsedDocument, impl: list[tuple[int, int, Optional[Section]]]) -> dict[str, list[Unit]]:
    """Units named by headings that are nothing but units, by section path.

    In the implementation section they are charged (assigned); anywhere they are
    the unstated subject of the bullets under them ("- Chủ trì …")."""
    out: dict[str, list[Unit]] = {}
    roots = {s.path for _, _, s in impl if s is not None and not _title_units(doc.text, s.title_start, s.title_end)}
    for s in doc.sections:
        if s.path in roots:
            continue
        units = _title_units(doc.text, s.title_start, s.title_end)
        if not units and _in(impl, s.start):
            units = _described_unit(doc, s)
        if units:
            out[s.path] = units
    return out


def _described_unit(doc: ParsedDocument, s: Section) -> list[Unit]:
    """A heading of the implementation section that names a unit with a
    description ("7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng … trên
    địa bàn Tỉnh"): the whole heading is the unit. Only a heading line (no
    closing period, tasks below it) whose words after the unit neither lead nor
    hand over nor name partners."""
    roles = _roles()
    text = doc.text
    title = text[s.title_start : s.title_end].rstrip(" :*")
    block = doc.document.block_at(s.title_start)
    line = block.text.rstrip(" *") if block is not None else title
    if not title or line.endswith((".", ";")) or s.end <= s.title_end + 1:
        return []
    pos = _content_start(text, s.title_start, s.title_end)
    units = read_unit_list(text, pos)
    if len(units) != 1 or units[0].end >= s.title_start + len(title):
        return []
    start = units[0].end
    rest = fold(text[start : s.title_start + len(title)])
    if not _starts_with_phrase(rest.lstrip(), roles["descriptions"]):
        return []
    for marker_re in (roles["coord_re"], roles["handover_re"], roles["direct_re"]):
        if any(read_unit_list(text, start + m.end()) for m in marker_re.finditer(rest)):
            return []
    name = text[pos : s.title_start + len(title)]
    return [Unit(name, pos, pos + len(name), units[0].head)]


def _enclosing_heading_units(sections: _Sections, heads: dict[str, list[Unit]], pos: int) -> list[Unit]:
    section = sections.at(pos)
    while section is not None:
        if section.path in heads:
            return heads[section.path]
        parent = section.parent
        section = sections.by_path.get(parent) if parent else None
    return []


def _sentence_block(doc: ParsedDocument, sentence: Sentence) -> Optional[Block]:
    return doc.document.block_at(sentence.start)


@register("responsibilities")
def extract(doc: ParsedDocument, found: dict) -> list[dict[str, Any]]:
    text = doc.text
    roles = _roles()
    impl = implementation_ranges(doc)
    heads = _heading_units(doc, impl)
    sections = _Sections(doc)
    out = _Collector(doc, sections)

    # Headings of the implementation section charge the units they name.
    for units in heads.values():
        for u in units:
            if _in(impl, u.start):
                out.add(u, "assigned")

    partners_in: Optional[str] = None  # section whose bullets list partners
    actor_in: Optional[str] = None  # section whose points an intro names the actor of
    for sentence in doc.sentences:
        block = _sentence_block(doc, sentence)
        if block is None or block.kind == "footnote" or block.region in ("signature", "recipients", "header"):
            continue
        section = sections.path_at(sentence.start) or ""
        is_bullet = _BULLET.match(text, sentence.start, sentence.end) is not None
        if partners_in is not None and (section != partners_in or not is_bullet):
            partners_in = None
        if actor_in is not None and not (section == actor_in or section.startswith(actor_in + "/")):
            actor_in = None
        names_actor = _sentence(
            text, sentence.start, sentence.end, _in(impl, sentence.start), sections, heads, out, roles,
            partners_in is not None, actor_in is not None,
        )
        if _introduces_partners(text, sentence.start, sentence.end, roles):
            partners_in = section
        elif names_actor and _line_ends_with_colon(text, sentence.start, sentence.end):
            # "Bộ Tài chính chỉ đạo Bảo hiểm xã hội Việt Nam:" over points a), b).
            actor_in = section
    return sorted(out.records.values(), key=lambda r: r["span"][0])


_BULLET = regex.compile(r"\s*[-+*•–]\s")


_PASSIVE = fold("được ")


def _passive_then_charged(rest: str, roles: dict[str, Any]) -> bool:
    """"được phân công chủ trì …, có trách nhiệm xây dựng …": the passive clause
    describes the subject and the charge follows."""
    return rest.lstrip().startswith(_PASSIVE) and roles["passive_charge_re"].search(rest) is not None


def _line_ends_with_colon(text: str, s: int, e: int) -> bool:
    line_end = text.find("\n", s)
    line_end = len(text) if line_end < 0 else line_end
    return text[s : max(e, line_end)].rstrip(" *").endswith(":")


def _introduces_partners(text: str, s: int, e: int, roles: dict[str, Any]) -> bool:
    """"b) Chủ trì, phối hợp:" — a line that ends with the partner marker: the
    bullets that follow name the partners."""
    line_end = text.find("\n", s)
    line_end = len(text) if line_end < 0 else line_end
    # The colon is often left out ("b) Chủ trì, phối hợp" over its bullets).
    f = _fold_ending(text[s : max(e, line_end)].rstrip(" :"), roles["partner_len"])
    return any(f.endswith(p) and not _WORD_CHAR.match(f[-len(p) - 1 : -len(p)] or " ") for p in roles["partner_intros"])


def _sentence(
    text: str,
    s: int,
    e: int,
    in_impl: bool,
    sections: _Sections,
    heads: dict[str, list[Unit]],
    out: _Collector,
    roles: dict[str, Any],
    partner_bullet: bool = False,
    actor_known: bool = False,
) -> bool:
    """Record the responsibilities of the sentence ``text[s:e]``; True when it
    names the unit that acts (its subject, a lead, or the units it charges)."""
    has_lead = False
    content = _content_start(text, s, e)
    # 1. The subject: "Ban Tổ chức Trung ương chủ trì, …", "Các ban, … căn cứ …".
    subjects, after = _subject(text, content, e)
    # The predicate after the subject, folded once for the checks below.
    rest = fold(text[after:e]) if subjects else ""
    pred = _folded_predicate(rest) if subjects else None
    # A named unit that acts here ("Bộ Quốc phòng … chỉ đạo …"), not one that
    # "đã" did something (a report of the past) or is described.
    stated = [u for u in subjects if not (u.generic or u.bare)] if pred else []
    # "Ban Thường vụ … giao Ban Tuyên giáo …", "Chính phủ trân trọng đề nghị …":
    # the subject hands the task on.
    handed = roles["handover_re"].match(rest) if subjects else None
    delegates = bool(handed) and bool(read_unit_list(text, after + handed.end()))
    executes = bool(subjects) and _starts_with_phrase(rest, roles["execution"]) is not None
    if subjects and partner_bullet:
        # "- Sở Tài chính và …" under "Chủ trì, phối hợp:": the partners.
        for u in subjects:
            out.add(u, "coordinate")
    elif subjects and text[after : after + 1] == ":":
        # "1. Ban Tuyên giáo LĐLĐ tỉnh: Chủ trì, phối hợp …": a heading that names
        # the units, then their tasks.
        lead = _clause_lead(text, after + 1, e)
        for u in subjects:
            if in_impl:
                out.add(u, "assigned")
            if lead:
                has_lead = True
                out.add(u, "lead")
    elif subjects and not delegates:
        if pred is None and _passive_then_charged(rest, roles):
            pred = "other"
        if pred == "lead":
            has_lead = True
            for u in subjects:
                out.add(u, "lead")
        elif pred == "other" and (in_impl or executes):
            # "Sở Y tế phối hợp …; chủ trì …": a later clause of the subject leads.
            has_lead = _clause_lead(text, after, e)
            for u in subjects:
                out.add(u, "assigned")
                if has_lead:
                    out.add(u, "lead")
    else:
        # A bullet under a heading that names the unit: "- Là cơ quan thường trực …",
        # "b) Bộ Công Thương: / - Chủ trì, làm việc trực tiếp …".
        if _clause_lead(text, content, e):
            units = _enclosing_heading_units(sections, heads, content)
            if units:
                has_lead = True
                for u in units:
                    out.add(u, "lead", at=content)

    # 2. Explicit assignment: "Giao Văn phòng … là đầu mối chủ trì", "Giao … cho
    # Trường …"; requests "Đề nghị …" and "chỉ đạo … chủ trì".
    ftext = fold(text[s:e])
    label_end = content - s
    handed_to = False
    for kind, marker_re in (("assign", roles["assign_re"]), ("request", roles["request_re"]), ("direct", roles["direct_re"])):
        for m in marker_re.finditer(ftext):
            # An assignment opens its clause ("Giao …", "…: Giao …", "; giao …"); inside
            # a clause "giao cho" is a transfer ("ngân sách … giao cho Công an") and
            # "được giao" a passive.
            before = ftext[label_end : m.start()].rstrip()
            # … or follows the unit that delegates: "Ban Thường vụ LĐLĐ tỉnh giao Ban Tuyên giáo …".
            by_subject = bool(subjects) and s + m.start() == after
            if before and before[-1] not in ":;,." and not before.endswith(_MEANWHILE) and not by_subject:
                continue
            units = [u for u in read_unit_list(text, s + m.end(), semicolons=kind != "direct") if u.end <= e]
            if not units:
                continue
            after_units = units[-1].end
            while after_units < e and text[after_units] == " ":
                after_units += 1
            handed_to = handed_to or any(not (u.generic or u.bare) for u in units)
            if _lead_after(text, after_units, e):
                role = "lead"
            elif kind == "assign" or (kind == "request" and in_impl):
                role = "assigned"
            else:
                continue
            has_lead = has_lead or role == "lead"
            for u in units:
                out.add(u, role)

    # 3. Partners: "phối hợp (với) …" of a stated unit, or anywhere in the
    # implementation section; not of an unstated subject in a content section.
    actor = bool(has_lead or stated or handed_to)
    partners = roles["coord_re"].finditer(ftext)
    # The heading lookup is asked only when the sentence names partners at all.
    first = next(partners, None)
    if first is not None and (actor or actor_known or in_impl or _enclosing_heading_units(sections, heads, s)):
        for m in (first, *partners):
            units = [u for u in read_unit_list(text, s + m.end()) if u.end <= e]
            for u in units:
                out.add(u, "coordinate")
    return actor
