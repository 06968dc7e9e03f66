"""The fast paths of the .pdf reader give what the plain computations gave.

Speed work in ``pipeline/readers/pdf.py`` replaced library helpers and repeated
work by cheaper equivalents: text rectangles and page objects read through raw
pdfium calls, a segment's extent and style computed once, the nearest run of a
line found by an inlined loop, blanks collapsed without a regex for plain text,
``Counter.most_common`` replaced by a dict scan. Each test puts a fast path
next to the plain computation it stands for, on the real documents and on
hand-written edge cases.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import regex

from pipeline.readers import pdf as reader
from pipeline.readers.pdf import Run, Segment

REPO = Path(__file__).resolve().parents[1]
PDFS = sorted((REPO / "corpus" / "pdf").glob("*.pdf"))


@functools.lru_cache(maxsize=None)
def _page_runs(path: Path) -> tuple[tuple[Run, ...], ...]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(tuple(reader.text_runs(page, textpage)))
            textpage.close()
            page.close()
        return tuple(pages)
    finally:
        pdf.close()


def _all_runs() -> list[Run]:
    return [run for path in PDFS for page in _page_runs(path) for run in page]


# --- plain computations, as the reader first wrote them ------------------------


def _plain_weighted_size(runs: list[Run]) -> float:
    total: Counter = Counter()
    for r in runs:
        if r.size > 0:
            total[round(r.size, 1)] += max(1, len(r.text.strip()))
    return total.most_common(1)[0][0] if total else 0.0


def _plain_weighted_flag(runs: list[Run], name: str) -> Optional[bool]:
    yes = no = 0
    for r in runs:
        value = getattr(r, name)
        n = len(r.text.strip())
        if value is None:
            continue
        if value:
            yes += n
        else:
            no += n
    if yes == no == 0:
        return None
    return yes > no


def _plain_segment(runs: list[Run]) -> tuple:
    return (
        min(r.x0 for r in runs),
        max(r.x1 for r in runs),
        min(r.top for r in runs),
        max(r.bottom for r in runs),
        _plain_weighted_size(runs),
        _plain_weighted_flag(runs, "bold"),
        _plain_weighted_flag(runs, "italic"),
    )


def _fast_segment(runs: list[Run]) -> tuple:
    s = Segment(runs, 1)
    return (s.x0, s.x1, s.top, s.bottom, s.size, s.bold, s.italic)


def _plain_group_lines(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.top + r.bottom) / 2):
        placed = False
        for members in reversed(lines[-3:]):
            near = min(members, key=lambda m: max(m.x0 - run.x1, run.x0 - m.x1, 0.0))
            overlap = min(near.bottom, run.bottom) - max(near.top, run.top)
            if overlap > 0.5 * min(near.height, run.height):
                members.append(run)
                placed = True
                break
        if not placed:
            lines.append([run])
    return [sorted(m, key=lambda r: r.x0) for m in lines]


def _plain_split(runs: list[Run], body_size: float, width: float) -> list[list[Run]]:
    band = (0.4 * width, 0.6 * width)
    segments: list[list[Run]] = []
    current: list[Run] = []
    for run in runs:
        if current:
            left_end = max(r.x1 for r in current)
            gap = run.x0 - left_end
            size = max(run.size, current[-1].size, 0.6 * body_size)
            if gap > 1.4 * size and left_end < band[1] and run.x0 > band[0]:
                segments.append(current)
                current = []
        current.append(run)
    if current:
        segments.append(current)
    return segments


def _plain_join_runs(runs: list[Run], body_size: float) -> tuple[str, list[str]]:
    parts: list[str] = []
    refs: list[str] = []
    prev: Optional[Run] = None
    main = [r for r in runs if r.size >= 0.8 * body_size] or runs
    baseline = statistics.median(r.bottom for r in main)
    main_size = _plain_weighted_size(main) or body_size
    for run in runs:
        text = run.text
        if (
            prev is not None
            and regex.match(r"^\s*(\d{1,2}|\*{1,3})\s*$", text)
            and 0 < run.size < 0.75 * main_size
            and run.bottom < baseline - 0.15 * main_size
            and run.x0 - prev.x1 < 0.5 * main_size
        ):
            refs.append(text.strip())
            prev = run
            continue
        if parts and prev is not None:
            gap = run.x0 - prev.x1
            if gap > 0.2 * max(run.size, 1.0) and not parts[-1].endswith(" ") and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        prev = run
    return regex.sub(r"\s+", " ", "".join(parts)).strip(), refs


def _run(text: str, x0: float, x1: float, top: float = 100.0, bottom: float = 112.0, size: float = 12.0,
         bold: Optional[bool] = None, italic: Optional[bool] = None) -> Run:
    return Run(text, x0, top, x1, bottom, size, bold, italic)


# --- raw pdfium calls -----------------------------------------------------------


def test_text_rects_equal_get_rect():
    for path in PDFS:
        pdf = pdfium.PdfDocument(str(path))
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            plain = [textpage.get_rect(i) for i in range(textpage.count_rects())]
            assert reader._text_rects(textpage) == plain
            textpage.close()
            page.close()
        pdf.close()


def test_ruled_equals_get_objects():
    seen = set()
    for path in PDFS:
        pdf = pdfium.PdfDocument(str(path))
        for index in range(len(pdf)):
            page = pdf[index]
            paths = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=1))
            assert reader._ruled(page) == (paths >= 6)
            seen.add(paths >= 6)
            page.close()
        pdf.close()
    assert seen == {True, False}  # the corpus has pages of both kinds


def test_font_style_equals_regexes():
    for font in ["", "TimesNewRomanPS-BoldMT", "Arial,Bold", "Arial-BoldItalic", "Times-Italic", "ArialMT",
                 "Calibri,BoldItalic", "Foo-b", "Foo,i", "Oblique", "Semibold", "Heavy-I"]:
        expected = (None, None)
        if font:
            expected = (bool(reader._BOLD_FONT.search(font)), bool(reader._ITALIC_FONT.search(font)))
        assert reader._font_style(font) == expected
        assert reader._font_style(font) == expected  # from the cache


# --- layout ------------------------------------------------------------------------


def test_segment_attributes_equal_plain_formulas_on_corpus():
    runs = _all_runs()
    assert len(runs) > 500
    for run in runs:
        assert _fast_segment([run]) == _plain_segment([run])
    for path in PDFS:
        for page in _page_runs(path):
            for line in reader.group_lines(list(page)):
                assert _fast_segment(line) == _plain_segment(line)


@pytest.mark.parametrize(
    "runs",
    [
        [_run("   ", 10, 20, bold=True)],  # blank text: no weight, no style
        [_run("", 10, 20, size=0.0, bold=False, italic=True)],
        [_run("a", 10, 20, size=-1.0, bold=False)],
        [_run("x", 10, 20, size=11.96, bold=True, italic=False)],
        [_run("ab", 10, 20, size=12.0, bold=True), _run("cd", 30, 40, size=9.0, bold=False)],  # tie: first size
        [_run(" ", 10, 20, bold=True), _run("  ", 30, 40, bold=False)],
        [_run("abc", 50, 70, top=90, bottom=120, bold=None), _run("d", 5, 9, top=95, bottom=100, italic=True)],
    ],
)
def test_segment_attributes_edge_cases(runs):
    assert _fast_segment(runs) == _plain_segment(runs)


def test_group_lines_and_split_equal_plain_on_corpus():
    for path in PDFS:
        pages = _page_runs(path)
        body = reader.body_font_size([list(p) for p in pages])
        for page in pages:
            lines = reader.group_lines(list(page))
            assert lines == _plain_group_lines(list(page))
            for line in lines:
                fast = reader.split_segments(line, 1, body, 595.0)
                assert [s.runs for s in fast] == _plain_split(line, body, 595.0)
                for seg in fast:
                    reader._join_runs(seg, body)
                    assert (seg.text, seg.footnote_refs) == _plain_join_runs(seg.runs, body)


def test_group_lines_edge_cases():
    # Equal distances (the first member wins), overlapping runs, a tall run beside a line.
    runs = [
        _run("a", 10, 20), _run("b", 30, 40), _run("c", 20, 30, top=104, bottom=116),
        _run("d", 300, 320, top=90, bottom=140, size=30), _run("e", 40, 50, top=101, bottom=111),
        _run("f", 10, 20, top=130, bottom=142), _run("g", 10, 20, top=130, bottom=142),
    ]
    assert reader.group_lines(runs) == _plain_group_lines(runs)
    assert reader.group_lines([]) == []


def test_split_and_join_edge_cases():
    runs = [
        _run("Nơi nhận:", 50, 200), _run("1", 201, 205, top=98, bottom=104, size=7),  # a raised mark
        _run("TM. BAN", 400, 500), _run("CHẤP HÀNH", 300, 360),  # a run that ends left of the last end
        _run("\u00a0x\ty\u2028 z", 520, 560),
    ]
    fast = reader.split_segments(runs, 1, 12.0, 595.0)
    assert [s.runs for s in fast] == _plain_split(runs, 12.0, 595.0)
    for seg in fast:
        reader._join_runs(seg, 12.0)
        assert (seg.text, seg.footnote_refs) == _plain_join_runs(seg.runs, 12.0)


@pytest.mark.parametrize(
    "text",
    ["", " ", "a  b", " a b ", "a\tb", "a\u00a0b", "a\u2028b", "a\x1cb", "\x1c a \x1f", "a\u3000 b", "a\xadb",
     "Điều 1.  Mục tiêu", "a\u200bb", "\x85a", "a\r\nb", "plain text, nothing to do"],
)
def test_collapse_spaces_equals_regex(text):
    assert reader.collapse_spaces(text) == regex.sub(r"\s+", " ", text).strip()


def test_collapse_spaces_on_corpus_runs():
    for run in _all_runs():
        assert reader.collapse_spaces(run.text) == regex.sub(r"\s+", " ", run.text).strip()


@pytest.mark.parametrize(
    "counts",
    [{}, {12.0: 3}, {12.0: 3, 9.0: 3}, {9.0: 1, 12.0: 5, 13.0: 5}, {1: 0, 2: 0}, {5: 2, 6: 7, 7: 7, 8: 1}],
)
def test_most_common_equals_counter(counts):
    expected = Counter(counts).most_common(1)[0][0] if counts else "default"
    assert reader._most_common(counts, "default") == expected


def test_join_lines_tail_search_equals_full_search():
    def plain(left: str, right: str) -> str:
        left, right = left.rstrip(), right.lstrip()
        if reader._SYMBOL_HYPHEN_END.search(left) and right[:1] and not right[:1].isspace():
            return left + right
        return left + " " + right

    lefts = ["Kết luận số 79-", "79-  ", "-", "a -", "x", "", " ", "399/CTr-\u00a0", "a.-", "đ-\t", "--", "a-b"]
    rights = ["KL/TW", " KL/TW", "", "  ", "\u00a0x", "b"]
    for left in lefts:
        for right in rights:
            assert reader.join_lines(left, right) == plain(left, right)
