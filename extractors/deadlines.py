"""Deadlines of tasks: dates and periods by which something must be done.

"trước 30/12/2023" (kind ``date``, start null, end 2023-12-30), "trong quý II năm
2024" (``quarter``), "trong tháng 7/2024" (``month``), "xong trong năm 2024"
(``year``), "Thời gian thực hiện năm 2023 – 2024" (``range``), "6 tháng đầu năm
2024" (``range``), "hoàn thành trước ngày 15 tháng 3 năm 2025", "chậm nhất ngày …".

Also "từ nay đến hết ngày 31/12/2025" (``date``, end only), "vào kỳ chi trả
tháng 12 năm 2025" (``month``), "thời gian thực hiện … từ ngày 01/10/2025 đến hết
ngày 31/12/2025" (``range``), "trong năm 2025 và năm 2026" (``range``), "trước cuối
năm 2025" (``year``, end only), "vào đầu năm 2026" (``range`` over the first quarter);
the kinds and bounds of every form are listed in :mod:`extractors.timeexpr`.

A time expression is a deadline only with a trigger word before it (see
``deadline_triggers`` in ``models/time_words.yaml``). Not deadlines: the
deadlines of targets (reported with the target), also when a heading or lead-in
line ("Đến hết năm 2025:") sets them for the targets under it; planning horizons
("đến năm 2030, tầm nhìn đến năm 2045"), terms and programme periods ("nhiệm kỳ
2023-2028", "giai đoạn 2023 – 2028"), dates of issue and citation dates ("Nghị
quyết số … ngày 12/6/2021"), years in the title of a cited document ("… về Chương
trình … từ nay đến cuối năm 2025"), recurring dates without a year ("định kỳ
trước ngày 15 hằng tháng"), times relative to an event ("ngay sau khi … ban
hành"), and clauses about the past.
"""

from __future__ import annotations

import bisect

import regex

from extractors import register
from extractors.targets import find_targets
from extractors.timeexpr import citation_anchors, cited_title_spans, deadlines_in, may_hold_time, target_deadlines
from pipeline.document import Block, ParsedDocument
from pipeline.vocab import load

_DEADLINE_COLUMN = regex.compile(
    r"^(?:" + "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(load("time_words")["deadline_columns"], key=len, reverse=True)) + r")\b",
    regex.IGNORECASE,
)


_SEMICOLON = regex.compile(r"(;)")


def _clauses(text: str, offset: int) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in _SEMICOLON.split(text):
        if part == ";":
            pos += 1
            continue
        out.append((offset + pos, part))
        pos += len(part)
    return out


def find_deadlines(doc: ParsedDocument, found: dict | None = None) -> list[dict]:
    """Deadline records of a document, without those in clauses that hold targets."""
    found = found or {}
    targets = find_targets(doc, found)
    target_starts = sorted(r["span"][0] for r in targets)
    target_paths = {r["section"] for r in targets if r.get("section")}
    masked = cited_title_spans(doc.text, citation_anchors(found))
    # A deadline cannot fall before the document was issued: such a date is a
    # condition ("cơ sở … trước ngày 04/10/2001") or history.
    issued = ((found.get("document") or {}).get("date")) or ""
    records: list[dict] = []
    headers: dict[int, Block] = {}
    for sentence in doc.sentences:
        block = doc.document.block_at(sentence.start)
        if block is None or block.kind == "footnote" or block.region not in ("body", None):
            continue
        if block.kind == "table_row" and block.table is not None:
            header = headers.setdefault(block.table, block)
            if header is not block and sentence.start == block.start:
                for d in _column_deadlines(block, header):
                    if not (issued and d.last < issued):
                        records.append(_record(doc, d))
        if not may_hold_time(sentence.text):
            continue  # no year in the sentence: none in its clauses either
        if _heads_targets(doc, sentence.start, sentence.text, target_paths, target_starts):
            continue  # "Đến hết năm 2025:" over a list of targets sets their deadline
        for clause_start, clause in _clauses(sentence.text, sentence.start):
            i = bisect.bisect_left(target_starts, clause_start)
            if i < len(target_starts) and target_starts[i] < clause_start + len(clause):
                continue  # a target's time phrase is the target's deadline
            for d in deadlines_in(clause, clause_start, masked=masked):
                if issued and d.last < issued:
                    continue
                records.append(_record(doc, d))
    return _dedupe(records)


_HEADING_WORDS = 14


def _heads_targets(doc: ParsedDocument, start: int, text: str, target_paths: set, target_starts: list) -> bool:
    """A heading or short lead-in line whose time phrase sets the deadline of the
    targets under it: the section it titles (or the rest of the section holding
    it, for a lead-in) holds targets."""
    # split(None, n) stops after n + 1 words: enough to tell a long sentence.
    if len(text.split(None, _HEADING_WORDS)) > _HEADING_WORDS or not target_deadlines(text):
        return False
    sec = doc.section_at(start)
    if sec is not None and sec.title_start <= start < max(sec.title_end, sec.title_start + 1):
        return any(p == sec.path or p.startswith(sec.path + "/") for p in target_paths)
    stripped = text.strip()
    if not stripped.endswith(":") and stripped.endswith((".", ";", ",")):
        return False
    end = sec.end if sec is not None else len(doc.text)
    i = bisect.bisect_right(target_starts, start)
    return i < len(target_starts) and target_starts[i] < end


def _record(doc: ParsedDocument, d) -> dict:
    record = {"text": d.text, "kind": d.kind, "start": d.first, "end": d.last}
    record.update(doc.provenance(d.start, d.end))
    return record


def _dedupe(records: list[dict]) -> list[dict]:
    """One record per span (a table cell is read both as a cell and as text)."""
    seen, out = set(), []
    for r in sorted(records, key=lambda r: r["span"][0]):
        key = (r["span"][1], r["end"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _column_deadlines(block: Block, header: Block) -> list:
    """Deadlines in the cells of a "Thời gian hoàn thành" column of a table."""
    out = []
    pos = 0
    for j, cell in enumerate(block.cells or []):
        idx = block.text.find(cell, pos) if cell else -1
        if idx >= 0:
            pos = idx + len(cell)
        head = (header.cells or [])[j] if j < len(header.cells or []) else ""
        if idx < 0 or not _DEADLINE_COLUMN.match(head.strip()):
            continue
        out.extend(deadlines_in(cell, block.start + idx, assume="within"))
    return out


@register("deadlines")
def extract(doc: ParsedDocument, found: dict) -> list[dict]:
    return find_deadlines(doc, found)
