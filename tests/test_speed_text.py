"""The fast paths of the .txt/.md reader, the builder's normalisation and the
sniffer give what the plain computations gave.

Speed work there skips a regex where a literal look shows it cannot match,
skips cleaning steps whose mark is absent, memoises line questions for one
document, and finds old-style tone pairs with a character class. Each test puts
a fast path next to the plain computation it stands for, on the real documents
and on hand-written edge cases.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

import pipeline.readers.text as text_reader
from pipeline import normalize
from pipeline.readers import sniff
from pipeline.sections import match_label
from pipeline.sections import parse_label as sections_parse_label

REPO = Path(__file__).resolve().parents[1]
TXT = sorted((REPO / "corpus" / "txt").glob("*.txt"))
WILD = sorted(Path("/work/shared/corpus/wild").glob("*.md"))[:30]


def _lines() -> list[str]:
    lines: list[str] = []
    for path in TXT + WILD:
        lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    return lines


LINES = _lines()
EDGE = [
    "",
    " ",
    "**Điều 1.** Thông qua",
    "* item with *italics* and \\* star",
    "__bold__ and _emph_ and snake_case_word",
    "CHÍNH PHỦ_______ Số: 172/2025/NĐ-CP",
    "a -_-_- b",
    "\ue001a1\ue002 footnote \ue001x\ue002",
    "abc\ue001b\ue002",
    "\u00a0lead and trail\u00a0",
    "tab\there\x1cfile-sep",
    "two  spaces",
    "  ## **II. MỤC TIÊU**",
    "Nơi nhận:",
    "NƠI NHẬN:",
    "TM. BAN CHẤP HÀNH",
    "K/T CHỦ TỊCH",
    "- - -",
    "\x1c---",
    "  =====  ",
    "# heading",
    "#hashtag",
]


def _plain_clean_inline(raw: str) -> tuple[str, bool, bool, list[str]]:
    """The reader's cleaning before its fast paths (every step always run)."""
    t = text_reader
    s = t._MD_BULLET.sub(lambda m: m.group(1) + t._STAR, raw, count=1)
    s = t._ESCAPE.sub(lambda m: t._STAR if m.group(1) == "*" else m.group(1), s)
    lead = t._LEAD_MARKS.match(s).group(0)
    markdown = any(c in lead for c in "#*_")
    inside = total = 0
    for k, piece in enumerate(t._BOLD.split(s)):
        n = sum(map(str.isalnum, piece))
        total += n
        if k % 2 == 1:
            inside += n
    s = t._BOLD.sub("", s)
    s = t._EMPHASIS.sub("", s)
    refs = t._REF_MARK.findall(s)
    s = t._REF_MARK.sub("", s)
    s = s.replace(t._STAR, "*")
    s = t._INLINE_RULE.sub(" ", s)
    return " ".join(s.split()), total > 0 and inside / total >= 0.6, markdown, refs


def _fast_clean_inline(raw: str) -> tuple[str, bool, bool, list[str]]:
    got = text_reader._clean_inline(raw)
    return got.text, got.bold, got.markdown, list(got.refs)


def test_clean_inline_matches_plain_cleaning() -> None:
    assert len(LINES) > 1000
    for line in LINES + EDGE + [" ".join(LINES[k : k + 3]) for k in range(0, 600, 3)]:
        assert _fast_clean_inline(line) == _plain_clean_inline(line), line


def test_upper_before_cleaning_matches_cleaned_test() -> None:
    cases = LINES + EDGE + ["MỤC ĐÍCH\ue001abc\ue002", "MỤC ĐÍCH\ue001ABC\ue002", "**I. MỤC TIÊU**", "I. Mục tiêu", "AB"]
    for line in cases:
        plain = text_reader._is_upper(text_reader._clean_inline(line).text)
        assert text_reader._upper_before_cleaning(line) == plain, line
    assert any(text_reader._upper_before_cleaning(l) for l in LINES)  # the test sees both answers


def test_squeeze_is_split_join() -> None:
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    cases = LINES + EDGE + [f"a{c}b" for c in spaces] + [f"{c}a" for c in spaces] + ["a\u200bb", "a\ue000b"]
    for s in cases:
        assert text_reader._squeeze(s) == " ".join(s.split()), repr(s)


def test_whitespace_is_never_printable() -> None:
    """``_squeeze`` relies on it: ``isprintable()`` rules out every whitespace but the space."""
    assert not [c for c in map(chr, range(0x110000)) if c.isspace() and c != " " and c.isprintable()]


def test_bold_marks_counts_like_the_pattern() -> None:
    for line in LINES + EDGE + ["***", "****", "_**_", "**__**", "___", "a**b__c**"]:
        assert text_reader._bold_marks(line) == len(text_reader._BOLD.findall(line)), line


def test_open_bold_counts_the_last_three_lines() -> None:
    for k in range(len(LINES)):
        window = LINES[max(0, k - 4) : k + 1]
        plain = sum(len(text_reader._BOLD.findall(l)) for l in window[-3:]) % 2 == 1
        assert text_reader._open_bold(window) == plain, window


def _plain_wrap_width(lines: list[str]) -> int:
    t = text_reader
    wrapped = sorted(
        len(a.strip())
        for a, b in zip(lines, lines[1:])
        if a.strip() not in ("", "|") and not a.strip().endswith(t._TERMINAL) and t._LOWER_START.match(b)
    )
    lengths = wrapped if len(wrapped) >= t._MIN_WRAPPED_LINES else sorted(len(l.strip()) for l in lines if l.strip())
    if not lengths:
        return 80
    return max(40, lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0])


def test_wrap_width_and_segments_without_pipes() -> None:
    for path in TXT + WILD:
        lines = path.read_text(encoding="utf-8").split("\n")
        assert text_reader._wrap_width(lines) == _plain_wrap_width(lines)
        no_pipes = [l.replace("|", "/") for l in lines]
        fast = text_reader._segments(no_pipes)
        # What the general path gives: one unbounded segment of every line.
        assert [(s.lines, s.bounded, s.table_row) for s in fast] == [(no_pipes, False, None)]


def test_literal_guards_match_their_patterns() -> None:
    t = text_reader
    for line in LINES + EDGE:
        assert t._recipients_start(line) == bool(t._RECIPIENTS_START.match(line)), line
        assert t._signature_start(line) == bool(t._SIGNATURE_START.match(line)), line
        assert t._is_rule(line) == bool(t._RULE.match(line)), line
        plain = t._HEADING_MARK.match(line)
        fast = t._heading_mark(line)
        assert (fast and fast.group(0)) == (plain and plain.group(0)), line


def test_space_pattern_is_a_subset_of_isspace() -> None:
    """``_is_rule`` relies on it (lstrip() strips at least what ``\\s*`` skips)."""
    space = regex.compile(r"\s")
    assert not [c for c in map(chr, range(0x3001)) if space.match(c) and not c.isspace()]


# Templates around a first character: every label style of sections.parse_label.
_LABEL_TAILS = ["hụ lục II", "hần thứ nhất", "hương II", "ục 1.", "iều 5.", ". Mục tiêu", ") nội dung", "/ x", "- x",
                "– x", "I. MỤC", "1. Mục", ".1. Tham", " . Hàng", "ụ lục II", "ần I", "ương II"]


def test_label_prefilter_never_hides_a_label() -> None:
    chars = [chr(c) for c in range(0x3000)] + ["٣", "߃", "١", "𝟏"]
    cases = [c + tail for c in chars for tail in _LABEL_TAILS]
    cases += LINES + [l.lstrip("*_ #") for l in LINES] + EDGE
    found = 0
    for text in cases:
        expected = match_label(text)
        assert sections_parse_label(text) == expected, text
        assert text_reader.parse_label(text) == expected, text
        found += expected is not None
    assert found > 100


def test_memos_are_per_document() -> None:
    """A document read after another gives what it gives alone, and nothing is kept."""
    first, second = (p.read_text(encoding="utf-8") for p in TXT[:2])
    alone = text_reader.read_string(second, "b", "txt").to_dict()
    text_reader.read_string(first, "a", "txt")
    assert text_reader.read_string(second, "b", "txt").to_dict() == alone
    assert all(not memo for memo in text_reader._MEMOS)


def test_footnote_refs_are_not_shared_between_blocks() -> None:
    """Cleaning results are memoised: joining blocks must not grow a cached list."""
    md = "[footnoteRef:1] Một đoạn văn\n\ntiếp tục [footnoteRef:1] một đoạn\n\n[1: Chú thích]\n"
    doc = text_reader.read_string(md, "n", "md")
    again = text_reader.read_string(md, "n", "md")
    assert doc.to_dict() == again.to_dict()


# --- normalisation ------------------------------------------------------------


_OLD_PAIR_RE = regex.compile(
    "(?:" + "|".join(map(regex.escape, sorted(normalize.TONE_FOLD, key=len, reverse=True))) + r")(?![\p{L}\p{M}])"
)


def _plain_fold_tones(text: str) -> str:
    out = list(text)
    for m in _OLD_PAIR_RE.finditer(text):
        start, onset = m.start(), 0
        while start - onset - 1 >= 0 and normalize._LETTER.match(text[start - onset - 1]):
            onset += 1
            if onset > 3:
                break
        if onset > 3 or (onset and text[start - 1] in "qQ" and m.group(0)[0] in "uU"):
            continue
        out[start : m.end()] = normalize.TONE_FOLD[m.group(0)]
    return "".join(out)


def test_fold_tones_matches_the_pair_pattern() -> None:
    rnd = random.Random(5)
    alphabet = "qQhHtTnNgG \u0301\u0300x1-aăâeêioôơuưy" + "".join(normalize.TONE_FOLD)
    cases = LINES + EDGE + ["hoà", "Hoà", "HOÀ", "thuỷ", "quý", "hoàn", "nghoè", "oàa", "hoà\u0301", "xoè-xoè"]
    cases += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 10))) for _ in range(20000)]
    folded = 0
    for text in cases:
        expected = _plain_fold_tones(text)
        assert normalize.fold_tones.__wrapped__(text) == expected, text
        folded += expected != text
    assert folded > 100


def test_translate_check_finds_every_character() -> None:
    for code in normalize._TRANSLATE:
        assert normalize._NEEDS_TRANSLATE.search(f"a{chr(code)}b")
    assert normalize.normalize_inline("a\u00a0b\u200bc\u2011d\ufffee") == "a bc-d-e"


# --- sniffing -------------------------------------------------------------------


@pytest.mark.parametrize("head", [b"", b"plain text\n", bytes(range(256)) * 4, b"\x01\x02abc" * 100, b"a\x1b\x1a\x0c" * 50])
def test_control_byte_count(head: bytes) -> None:
    plain = sum(head.count(bytes([c])) for c in sniff._CONTROL)
    assert sniff._control_bytes(head) == plain
    if b"\x00" not in head:
        assert sniff._looks_like_text(head) == (plain <= len(head) // 100)
