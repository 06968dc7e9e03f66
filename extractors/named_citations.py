"""Named citations: documents referred to by name, without a số ký hiệu.

The ways a Vietnamese resolution names another document without its number:

- congress and plenum resolutions: "Nghị quyết Đại hội đại biểu toàn quốc lần thứ
  XIII của Đảng", "Nghị quyết Đại hội XIII Công đoàn Việt Nam", "Nghị quyết Trung
  ương 4 (khóa XI)";
- laws and charters by their proper name: "Luật Công đoàn năm 2012", "Bộ luật Lao
  động", "Điều lệ Công đoàn Việt Nam", "Luật BHXH, BHYT" (two laws);
- a kind with its quoted title: "Chương trình “Nâng cao chất lượng …”";
- a kind with its issuer and subject: "Nghị quyết của Ban Chấp hành Tổng LĐLĐ Việt
  Nam về “…”", "Kế hoạch của Tổng Liên đoàn thực hiện Kết luận số 79-KL/TW", and
  a đề án (project) by its subject: "đề án nâng cao năng lực …";
- a strategy, programme, plan or quy hoạch by subject and horizon: "Chiến lược
  quốc gia phòng, chống … đến năm 2030", "Chiến lược chuyển đổi số của Bộ Xây
  dựng giai đoạn 2025 - 2030"; a plan by what it implements: "Kế hoạch triển khai
  thực hiện Chỉ thị số 36-CT/TW"; a legal basis: "Căn cứ Quy chế làm việc của …";
  a one-year plan by its issuer: "Kế hoạch dự trữ hàng hóa … năm 2025 của Sở Công
  Thương"; a council committee's "Báo cáo thẩm tra của Ban Kinh tế - Ngân sách …";
- an amending law by the laws it amends: "Luật sửa đổi, bổ sung một số điều của
  Luật Đất đai" (another document than "Luật Đất đai").

Names run through administrative place words ("Nghị quyết Đại hội XI Công đoàn
thành phố Cần Thơ", "Đảng bộ thành phố lần thứ XXII").

A name given only in what a numbered reference says its document is ("Quyết
định số … ban hành Chiến lược …") is that numbered citation, unless the
document is also referred to on its own or by a bracketed abbreviation
("(Chương trình MTQG)"). What a numbered reference implements or details is
another document and is listed ("Chương trình số 01/CTr-BCH … thực hiện Nghị
quyết Đại hội XIII Công đoàn Việt Nam"; "Nghị định số … quy định chi tiết một số
điều của Luật Phòng thủ dân sự;"), unless it is cited by number elsewhere in the
document ("Bộ luật Lao động số 45/2019/QH14").

Names that start inside a numbered citation ("Luật Phí và lệ phí số 97/2015/QH13", "Luật Công đoàn năm 2024" counted as a mention of
50/2024/QH15), a plan that is a numbered one ("Kế hoạch thực hiện Kết luận số
79-KL/TW" when "Kế hoạch số 23/KH-TLĐ … thực hiện Kết luận số 79-KL/TW" is cited),
the document itself, its annexes ("Ban hành kèm theo Quyết định này Kế hoạch …")
and budget plans (``funding_plans`` in ``models/doc_kinds.yaml``) are not listed.

Not citations: generic plurals ("các chương trình, kế hoạch …", "Nghị quyết Đại
hội công đoàn các cấp"), activity programmes and campaigns (a quoted name of a
few words, or one that opens like an activity, ``activity_heads`` in
``models/doc_kinds.yaml``: Chương trình “Phúc lợi cho đoàn viên công đoàn”),
documents still to be produced ("dự thảo Luật …", "đề xuất ban hành Luật …"), names inside another document's quoted
title, and anything carrying a số ký hiệu (those are :mod:`extractors.citations`).

Mentions of one document are merged when the words of one name are all in the
other ("Luật Công đoàn" and "Luật Công đoàn năm 2012"); an alias "(sau đây gọi
tắt là …)" names the record, else its most frequent (then first) form.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Any, Callable, Iterator, NamedTuple, Optional, Sequence

import regex

from extractors import register
from extractors.citations import fold_for_match, fold_key, in_description, read_attributes, read_issuer
from extractors.symbols import find_symbols
from pipeline import vocab
from pipeline.document import Block, ParsedDocument

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_ALIAS = regex.compile(
    r"^\s*\(\s*(?:sau\s+đây|dưới\s+đây)?\s*(?:được\s+)?(?:gọi|viết)(?:\s+(?:tắt|là)){1,3}\s+(?P<alias>[^()]{2,160}?)\s*\)",
    regex.IGNORECASE,
)
# Words before a name that make it not a reference to an existing document.
_NOT_YET = regex.compile(
    r"(?:dự\s+thảo|hoàn\s+thiện|nghiên\s+cứu|đề\s+xuất\s+ban\s+hành|đề\s+nghị\s+ban\s+hành|ban\s+hành|xây\s+dựng|soạn\s+thảo|"
    r"các|những|mọi|một\s+số|cấp\s+mình|"
    # "Ban hành kèm theo Quyết định này Kế hoạch …": the document's own annex.
    r"kèm\s+theo\s+\p{L}+(?:\s+\p{L}+){0,2}\s+này)\s*:?\s*$",
    regex.IGNORECASE,
)
# Where a name stops: punctuation, or a word that starts what is said about it.
_NAME_STOP = (
    r"[,;:.…()“”\"\[\]]|\s[-–]\s(?-i:(?=\p{Ll}))|$|\s(?:về|và|hoặc|đã|theo|gắn|trong|để|thành|vào|cho|ngay|nhằm|đến|tại|là|với|"
    r"nhiệm\s+kỳ|giai\s+đoạn|đề\s+ra|sát|như|này|được|có|phù\s+hợp|dựa|đối\s+với|khóa|khoá|nêu|trên|"
    r"của\s+(?:cấp|các|đơn\s+vị|ngành|địa\s+phương|mình)|thì|mà|do|từ|bằng|hiện\s+hành|số|ngày|"
    r"phát\s+huy|nâng\s+cao|bảo\s+đảm|đảm\s+bảo|tham\s+gia|xây\s+dựng|sửa\s+đổi|bổ\s+sung|trình|lấy|tổ\s+chức)(?!\p{L})"
)
# Stop words stop a name in lower case only: capitalised they are part of it
# ("Luật Tổ chức Chính phủ", "Công đoàn Xây dựng Việt Nam").
_NAME_STOP_RE = regex.compile(_NAME_STOP)
_CONGRESS = regex.compile(
    r"(?<!\p{L})Nghị\s+quyết\s+(?P<head>Đại\s+hội|Hội\s+nghị\s+(?:lần\s+thứ\s+\S+\s+)?(?:Ban\s+Chấp\s+hành\s+)?Trung\s+ương|Trung\s+ương)(?!\p{L})"
)
# "Nghị quyết Trung ương 4 (khóa XI)"; after "Hội nghị lần thứ tư Ban Chấp hành
# Trung ương" the ordinal already says which plenum.
_PLENUM_TERM = regex.compile(r"\s*(?P<n>\d{1,2})?\s*(?:Đảng\s*)?(?:\(\s*kh[óo]a\s+[IVXLC]+\s*\)|,?\s*kh[óo]a\s+[IVXLC]+)")
_LAW = regex.compile(r"(?<![\p{L}])(?P<kind>Bộ\s+luật|Luật|Điều\s+lệ|Hiến\s+pháp|Pháp\s+lệnh)(?=\s+\p{L})")
_AMENDING = regex.compile(
    r"\s+sửa\s+đổi(?:\s*,\s*|\s+)(?:bổ\s+sung\s+)?(?:(?:một\s+số|các)\s+điều\s+(?:của\s+)?)?(?:Bộ\s+luật|Luật|Pháp\s+lệnh)(?=\s+\p{Lu})"
)
_CLAUSE_END = regex.compile(r"[;\n]|\.(?!\d)")
_LISTED_LAW = regex.compile(r"\s*(?:,|và)\s*(?:Bộ\s+luật|Luật)(?=\s+\p{Lu})")
_LAW_YEAR = regex.compile(r"\s+năm\s+(?:19|20)\d\d(?!\d)")
_NOT_A_LAW = regex.compile(
    r"(?:sư|pháp|lệ|gia|này|nêu|trên|và|hoặc|mới|cũ|cho|số|theo|vào|của|các|thuộc|bao\s+gồm|được|đã|có|sửa\s+đổi|\d)(?!\p{L})", regex.IGNORECASE
)
_PAIRED_NAME = regex.compile(
    r",\s+(?!(?:và|các|những|trong|theo|đồng\s+thời|nhất\s+là|pháp\s+luật|quy\s+định|chính\s+sách|nghị|quyết|chỉ|thông|luật)(?!\p{L}))(?-i:\p{Ll})",
    regex.IGNORECASE,
)
# "Dân Luật Việt Nam": the word is part of a longer proper name.
_PROPER_BEFORE = regex.compile(r"(?<![.:;!?]\s*)(?<=\p{L})\s*\p{Lu}\p{Ll}*\s+$")
_MORE_LAWS = regex.compile(r",\s*(?P<acr>\p{Lu}{2,}(?:\s+\p{Lu}{2,})?)(?=\s*[,;.)…]|\s+và\s)")
_KINDS = r"Nghị\s+quyết|Chương\s+trình|Đề\s+án|Kế\s+hoạch|Chỉ\s+thị|Kết\s+luận|Quy\s+chế|Quy\s+định|Dự\s+án|Hướng\s+dẫn|Chiến\s+lược"
# "Luật Khoa học và Công nghệ" goes on after "và"; "Điều lệ Đảng và Quy định số
# 24-QĐ/TW" does not: a kind word after "và" starts another document.
_AND_NAME = regex.compile(
    rf"\s+và\s+(?!(?:Luật|Bộ\s+luật|Nghị|Điều\s+lệ|Hiến|Pháp\s+lệnh|Quyết|Thông|Văn\s+bản|{_KINDS})(?!\p{{L}}))(?=\p{{Lu}})"
)
_TITLED = regex.compile(rf"(?<!\p{{L}})(?P<kind>{_KINDS})\s+[“\"](?P<title>[^”\"]{{3,300}})[”\"]")
_ISSUED = regex.compile(rf"(?<!\p{{L}})(?P<kind>{_KINDS})\s+của\s+")
_PROJECT = regex.compile(
    r"(?<!\p{L})(?P<kind>[Đđ]ề\s+án)\s+(?P<about>về\s+)?(?=\p{Ll})"
    r"(?!(?:trình|để|này|đã|được|của|do|và|theo|cho|với|thì|mà|nêu|trên|đó|có|là|sẽ|phải|cần)(?!\p{L}))"
)
_WORK_PROGRAMME = regex.compile(r"(?<!\p{L})Chương\s+trình\s+công\s+tác\s+năm\s+(?:19|20)\d\d(?!\d)")
# Where a subject ("về …") ends.
_SUBJECT_STOP = regex.compile(
    r"[;.…”\"]|\.\.\.|\s(?:đã|được|sẽ|đang)\s|,\s*(?:nhất\s+là|trong\s+đó|đặc\s+biệt|góp\s+phần|gắn\s+với|tạo|bảo\s+đảm|đảm\s+bảo)(?!\p{L})"
    rf"|\s+và\s+(?:[“\"]|(?:{_KINDS}|đề\s+án|chương\s+trình|nghị\s+quyết|kế\s+hoạch)(?!\p{{L}}))|$",
    regex.IGNORECASE,
)
# A quoted name shorter than this is an activity or a campaign ("Tết Sum vầy").
_MIN_TITLE_WORDS = 5
_MAX_NAME_WORDS = 40
_GENERIC_CONGRESS = regex.compile(r"(?<!\p{L})(?:các\s+cấp|cấp\s+mình|cấp\s+trên|cơ\s+sở|các)(?!\p{L})", regex.IGNORECASE)


_NUMBER_AFTER = regex.compile(r"\s*(?:số\s*:?\s*)?\d|(?:\s+(?:và\s+|,\s*)?(?-i:\p{Ll}+)){1,6}?\s+số\s*:?\s*\d")
# "Luật Công đoàn (sửa đổi)": an amendment still to be passed.
_AMENDMENT_AFTER = regex.compile(r"\s*\(\s*(?:sửa\s+đổi|mới)", regex.IGNORECASE)
# Strategies, programmes and plans named by subject and horizon: "Chiến lược quốc
# gia phòng, chống … đến năm 2030", "Chiến lược chuyển đổi số của Bộ Xây dựng giai
# đoạn 2025 - 2030". The kind is capitalised, as a name.
_HORIZON_KIND = regex.compile(r"(?<!\p{L})(?P<kind>Chiến\s+lược|Chương\s+trình|Kế\s+hoạch|Đề\s+án|Quy\s+hoạch)(?=\s+\p{L})")
_YEAR = r"(?:19|20)\d\d(?!\d)"
_HORIZON = regex.compile(
    rf"\s+(?:(?:giai\s+đoạn|thời\s+kỳ)\s+{_YEAR}\s*[-–]\s*{_YEAR}|đến\s+năm\s+{_YEAR})"
    rf"(?:\s*,?\s*(?:và\s+)?(?:định\s+hướng|tầm\s+nhìn)\s+đến\s+năm\s+{_YEAR})?"
)
_YEAR_OF = regex.compile(rf"\s+năm\s+{_YEAR}\s+của\s+(?=\p{{Lu}})")
_NAME_WORD = regex.compile(r"(?:\s+[-–]\s+|\s+|,\s+(?=\p{Ll}))(?P<w>\p{L}+)(?!\d)")
# Words that end a name of this kind (what is said about the document begins).
_HORIZON_NAME_STOP = frozenset(
    "nhằm để đã được sẽ đang phải cần theo tại là thì mà gắn này đó nêu có với bằng do ngày như".split()
)
_HORIZON_MIN_WORDS = 2
_HORIZON_MAX_WORDS = 30
# "Kế hoạch triển khai thực hiện Chỉ thị số 36-CT/TW": a plan named by what it implements.
_IMPLEMENTING = regex.compile(
    r"(?<!\p{L})(?P<kind>Kế\s+hoạch|Chương\s+trình(?:\s+hành\s+động)?|Đề\s+án)\s+"
    r"(?:triển\s+khai\s+thực\s+hiện|thực\s+hiện|triển\s+khai)\s+(?=\p{Lu})"
)
_DOES = regex.compile(r"\s*,?\s*(?:triển\s+khai\s+thực\s+hiện|thực\s+hiện|triển\s+khai)\s+")
# "Căn cứ Quy chế làm việc của …;": a capitalised kind opening a legal basis, up
# to the end of the basis (";", a date, or the end of the paragraph).
_BASIS = regex.compile(
    r"(?:^|;\s*)\s*Căn\s+cứ\s+(?:vào\s+)?(?P<kind>Quy\s+chế|Quy\s+định|Hướng\s+dẫn|Kế\s+hoạch|Chương\s+trình|Đề\s+án|Chiến\s+lược)"
    r"(?P<name>\s+[^;:()“”\"\n]{3,220}?)(?=\s*(?:;|\.?\s*$)|\s+ngày\s+\d)",
    regex.MULTILINE,
)
_BASIS_MAX_WORDS = 25
# Words before a name in a numbered reference's description that make the name
# another document: what the numbered one implements or must agree with
# ("phù hợp với các nội dung của Luật …").
_IMPLEMENTED_BEFORE = regex.compile(
    r"(?<!\p{L})(?:thực\s+hiện|triển\s+khai|quán\s+triệt|cụ\s+thể\s+hóa|phù\s+hợp\s+với)\s+"
    r"(?:(?:các|những)\s+)?(?:(?:nội\s+dung|quy\s+định)\s+(?:của\s+)?)?$",
    regex.IGNORECASE,
)
# The law a decree details ("Nghị định số 200/2023/NĐ-CP … quy định chi tiết một
# số điều của Luật Phòng thủ dân sự;") is another document too, when its name
# runs to the end of the clause: a name cut short ("Luật Phí" of "Luật Phí và lệ
# phí") or followed by more words ("… được sửa đổi, bổ sung …") is not trusted.
_DETAILED_BEFORE = regex.compile(
    r"(?<!\p{L})(?:quy\s+định\s+chi\s+tiết|hướng\s+dẫn\s+thi\s+hành|hướng\s+dẫn\s+chi\s+tiết)(?:\s+(?:và|,)\s+hướng\s+dẫn\s+thi\s+hành)?"
    r"(?:\s+thi\s+hành)?\s+(?:(?:một\s+số|các)\s+điều\s+)?(?:của\s+)?$",
    regex.IGNORECASE,
)
_CLAUSE_ENDS_HERE = regex.compile(r"\s*(?:[;.]|$)")
_REVIEW_REPORT = regex.compile(r"(?<!\p{L})(?P<kind>Báo\s+cáo\s+thẩm\s+tra)\s+của\s+(?=\p{Lu})")
# A bare alias right after a name: "(Chương trình MTQG)".
_SHORT_ALIAS = regex.compile(r"\s*\(\s*(?P<alias>\p{Lu}[\p{L} ]{2,40}?)\s*\)")


@dataclass
class NamedMention:
    start: int
    end: int
    name: str
    doc_type: str
    alias_of: Optional[int] = None  # index of the mention an alias renames
    # Named only inside what a numbered reference says ("Quyết định số … ban
    # hành Chiến lược …"): not a document referred to on its own.
    described: bool = False
    # Named in such a description as what the numbered document implements
    # ("Chương trình số … thực hiện Nghị quyết Đại hội XIII …"): another document.
    implemented: bool = False
    # An amending law ("Luật sửa đổi, bổ sung Luật …"): another document than the law it amends.
    amends: bool = False


# Names and kinds recur within a document (grouping compares every pair): cached.
@functools.lru_cache(maxsize=1 << 12)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold_for_match(text)))


def _place_words() -> regex.Pattern:
    words = sorted(vocab.load("doc_kinds").get("place_words") or [], key=len, reverse=True)
    alternatives = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)
    return regex.compile(rf"\s(?:{alternatives})(?!\p{{L}})")


# "Công đoàn thành phố Cần Thơ": a place word is part of the name, though
# "thành" alone would end it ("cụ thể hóa thành chương trình").
_PLACE_WORD = _place_words()


def _cut(text: str, start: int, limit: int, stop: regex.Pattern = _NAME_STOP_RE) -> int:
    pos = start
    while True:
        m = stop.search(text, pos, limit)
        if m is None:
            return limit
        place = _PLACE_WORD.match(text, m.start(), limit) if stop is _NAME_STOP_RE else None
        if place is None:
            return m.start()
        pos = place.end()


def _in_quotes(text: str, start: int, floor: int) -> bool:
    before = text[floor:start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _excluded_before(text: str, start: int, floor: int) -> bool:
    return bool(_NOT_YET.search(text[max(floor, start - 45):start]))


def _has_symbol(text: str, end: int, limit: int) -> bool:
    """A number right after the name ("Luật … số 12/2012/QH13"), or after the rest of
    a name cut at a small word ("Luật Phí và lệ phí số 97/2015/QH13"): a numbered citation."""
    return bool(_NUMBER_AFTER.match(text[end:min(limit, end + 80)]))


# Positions where a finder's pattern can start, sorted; None: anywhere.
Starts = Optional[Sequence[int]]
Finder = Callable[..., list["NamedMention"]]


def _scan(pattern: regex.Pattern, text: str, lo: int, hi: int, starts: Starts) -> Iterator[regex.Match]:
    """``pattern.finditer(text, lo, hi)``. Given ``starts`` (every position where a
    match can start), the pattern is only tried there, left to right, as
    ``finditer`` would: a regex scan of every block costs more than finding the
    few words that open names once in the whole text (:class:`_HeadIndex`)."""
    if starts is None:
        yield from pattern.finditer(text, lo, hi)
        return
    pos = lo
    for at in starts:
        if at < pos:
            continue
        m = pattern.match(text, at, hi)
        if m is not None:
            yield m
            pos = m.end()


def _congress(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    out = []
    for m in _scan(_CONGRESS, text, lo, hi, starts):
        start = m.start()
        if _excluded_before(text, start, lo) or _in_quotes(text, start, lo):
            continue
        if "ương" in m.group("head") and "Đại" not in m.group("head"):
            term = _PLENUM_TERM.match(text, m.end(), hi)
            if not term or not (term.group("n") or "lần" in m.group("head")):
                continue  # "Nghị quyết Trung ương" alone: which one is not said
            end = term.end()
        else:
            end = _cut(text, m.end(), hi)
        name = text[start:end].strip()
        rest = name[len(m.group(0)):].strip()
        if not rest or _GENERIC_CONGRESS.search(rest) or len(name.split()) > 16:
            continue
        if _has_symbol(text, end, hi):
            continue
        out.append(NamedMention(start, start + len(name), name, "Nghị quyết"))
    return out


def _law_name_end(text: str, name_from: int, hi: int) -> int:
    """End of a law's proper name that starts at ``name_from`` (after its kind word)."""
    end = _cut(text, name_from, hi)
    # "Luật Khoa học và Công nghệ": "và" and a capitalised word that is not
    # another kind go on with the name.
    while True:
        more = _AND_NAME.match(text, end, hi)
        if not more:
            break
        end = _cut(text, more.end(), hi)
    # "Luật Thi đua, khen thưởng", "Luật Phòng, chống tham nhũng": a short
    # name whose second part follows a comma.
    pair = _PAIRED_NAME.match(text, end, hi)
    if pair and len(text[name_from:end].split()) <= 2:
        end = _cut(text, pair.end(), hi)
    year = _LAW_YEAR.match(text, end, hi)
    return year.end() if year else end


def _laws(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    out = []
    skip_until = lo
    for m in _scan(_LAW, text, lo, hi, starts):
        start = m.start()
        if start < skip_until or _excluded_before(text, start, lo) or _in_quotes(text, start, lo):
            continue
        # "Luật sửa đổi, bổ sung Luật Bảo vệ bí mật nhà nước": an amending law,
        # named by the law it amends.
        amending = _AMENDING.match(text, m.end(), hi)
        name_from = amending.end() if amending else m.end()
        if not amending and _NOT_A_LAW.match(text[m.end():hi].lstrip()):
            continue
        if _PROPER_BEFORE.search(text[max(lo, start - 12):start]):
            continue
        end = _law_name_end(text, name_from, hi)
        # "Luật sửa đổi, bổ sung một số điều của Luật Đấu thầu, Luật Hải quan và
        # Luật …": one amending law for every law listed.
        while amending:
            listed = _LISTED_LAW.match(text, end, hi)
            if not listed:
                break
            end = _law_name_end(text, listed.end(), hi)
        if amending:
            clause = _CLAUSE_END.search(text, end, hi)
            clause_end = clause.start() if clause else hi
            if regex.search(r"(?<!\p{L})số\s*:?\s*\d", text[end:clause_end]):
                skip_until = clause_end  # "Luật sửa đổi … Luật Đấu thầu, Luật …, Luật … số 90/2025/QH15": numbered
                continue
        name = text[start:end].strip()
        if not text[name_from:end].split() or len(name.split()) > 12 + (len(amending.group(0).split()) if amending else 0) or _has_symbol(text, end, hi):
            continue
        if find_symbols(name) or regex.search(r"\d", _LAW_YEAR.sub("", name)):
            continue
        if text[start:start + len(name)].endswith(("(", "-")) or _AMENDMENT_AFTER.match(text, start + len(name)):
            continue
        kind = regex.sub(r"\s+", " ", m.group("kind"))
        out.append(NamedMention(start, start + len(name), name, kind, amends=amending is not None))
        # "Luật BHXH, BHYT": one kind word for two laws.
        more = _MORE_LAWS.match(text, start + len(name), hi)
        if more:
            out.append(NamedMention(more.start("acr"), more.end("acr"), f"{kind} {more.group('acr')}", kind))
    return out


def _activity_heads() -> regex.Pattern:
    heads = sorted(vocab.load("doc_kinds").get("activity_heads") or [], key=len, reverse=True)
    alternatives = "|".join(regex.escape(h).replace(r"\ ", r"\s+") for h in heads)
    return regex.compile(rf"[\s*_]*(?:{alternatives})(?!\p{{L}})", regex.IGNORECASE)


# “Phúc lợi cho đoàn viên công đoàn”: the quoted name of an activity, not a title.
_ACTIVITY_HEAD = _activity_heads()


def _titled(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    out = []
    for m in _scan(_TITLED, text, lo, hi, starts):
        if _excluded_before(text, m.start(), lo) or _in_quotes(text, m.start(), lo):
            continue
        if len(_words(m.group("title"))) < _MIN_TITLE_WORDS or _has_symbol(text, m.end(), hi):
            continue
        if _ACTIVITY_HEAD.match(m.group("title")):
            continue
        kind = regex.sub(r"\s+", " ", m.group("kind"))
        out.append(NamedMention(m.start(), m.end(), text[m.start():m.end()], kind))
    return out


def _subject_end(text: str, start: int, hi: int) -> int:
    """End of a subject: the closing quote of a quoted one, else a stop."""
    lead = regex.match(r"\s*[“\"]", text[start:hi])
    if lead:
        close = regex.search(r"[”\"]", text[start + lead.end():hi])
        return start + lead.end() + close.end() if close else hi
    return _cut(text, start, hi, _SUBJECT_STOP)


def _issued(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    out = []
    for m in _scan(_ISSUED, text, lo, hi, starts):
        start = m.start()
        if _excluded_before(text, start, lo) or _in_quotes(text, start, lo):
            continue
        issuer, issuer_end = read_issuer(text, m.end(), hi)
        if not issuer:
            continue
        link = regex.match(r"\s+(?:(?P<about>về)(?:\s+việc)?|(?P<does>thực\s+hiện|triển\s+khai))\s+", text[issuer_end:hi])
        if not link:
            continue
        subject_start = issuer_end + link.end()
        if link.group("does"):
            syms = [s for s in find_symbols(text, subject_start, min(hi, subject_start + 60))]
            if not syms:
                continue
            end = syms[0].end  # "Kế hoạch của Tổng Liên đoàn thực hiện Kết luận số 79-KL/TW"
        else:
            end = _subject_end(text, subject_start, hi)
            if find_symbols(text, subject_start, end):
                continue
        name = text[start:end].strip().rstrip(",")
        if len(name.split()) > _MAX_NAME_WORDS or end - subject_start < 8:
            continue
        out.append(NamedMention(start, start + len(name), name, regex.sub(r"\s+", " ", m.group("kind"))))
    return out


def _projects(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    """A đề án named by its subject: "Đề án nâng cao năng lực …", "đề án về …"."""
    out = []
    for m in _scan(_PROJECT, text, lo, hi, starts):
        start = m.start()
        after_comma = text[max(lo, start - 3):start].rstrip().endswith(",")
        if _excluded_before(text, start, lo) or _in_quotes(text, start, lo) or after_comma:
            continue  # a draft, a name inside a title, or "kế hoạch, đề án …": a list of kinds
        end = _subject_end(text, m.end(), hi)
        name = text[start:end].strip()
        if len(name.split()) < 5 or len(name.split()) > _MAX_NAME_WORDS or find_symbols(text, start, end):
            continue
        out.append(NamedMention(start, start + len(name), name[0].upper() + name[1:], "Đề án"))
    return out


def _work_programmes(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    return [NamedMention(m.start(), m.end(), m.group(0), "Chương trình") for m in _scan(_WORK_PROGRAMME, text, lo, hi, starts)]


def _horizon_named(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    """A strategy, programme or plan named by its subject and its horizon."""
    out = []
    for m in _scan(_HORIZON_KIND, text, lo, hi, starts):
        start = m.start()
        if _excluded_before(text, start, lo) or _in_quotes(text, start, lo):
            continue
        pos, words = m.end(), 0
        end: Optional[int] = None
        while words <= _HORIZON_MAX_WORDS:
            horizon = _HORIZON.match(text, pos, hi)
            if horizon and words >= _HORIZON_MIN_WORDS:
                end = horizon.end()
                break
            # "Kế hoạch dự trữ hàng hóa phòng, chống thiên tai năm 2025 của Sở Công
            # Thương": a plan of one year is identified by its issuer.
            year_of = _YEAR_OF.match(text, pos, hi) if words >= _HORIZON_MIN_WORDS else None
            if year_of:
                issuer, issuer_end = read_issuer(text, year_of.end(), hi)
                if issuer:
                    end = issuer_end
                break
            w = _NAME_WORD.match(text, pos, hi)
            if w is None or w.group("w") in _HORIZON_NAME_STOP:
                break
            pos, words = w.end(), words + 1
        if end is None or _has_symbol(text, end, hi) or _funding_plan(text[start:end]):
            continue
        out.append(NamedMention(start, end, " ".join(text[start:end].split()), regex.sub(r"\s+", " ", m.group("kind"))))
    return out


def _implementing(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    """A plan or programme named by the numbered document it implements."""
    out = []
    for m in _scan(_IMPLEMENTING, text, lo, hi, starts):
        start = m.start()
        if _excluded_before(text, start, lo) or _in_quotes(text, start, lo):
            continue
        syms = find_symbols(text, m.end(), min(hi, m.end() + 40))
        if not syms or not regex.fullmatch(r"(?:\p{Lu}\p{Ll}*\s+)?(?:\p{Ll}+\s+){0,2}(?:số\s*)?", text[m.end():syms[0].start]):
            continue  # "Kế hoạch thực hiện Chỉ thị số …": the kind word, "số", then the number
        name = " ".join(text[start:syms[0].end].split())
        out.append(NamedMention(start, syms[0].end, name, regex.sub(r"\s+", " ", m.group("kind"))))
    return out


def _funding_plan(name: str) -> bool:
    folded = " ".join(_words(name))
    return any(folded.startswith(" ".join(_words(p))) for p in vocab.load("doc_kinds").get("funding_plans") or [])


def _legal_basis(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    """"Căn cứ Quy chế làm việc của Ban Chấp hành … khóa XIII;": a legal basis is a
    specific document, even named without a number."""
    out = []
    for m in _BASIS.finditer(text, lo, hi):
        start, end = m.start("kind"), m.end("name")
        name = " ".join(text[start:end].split()).rstrip(",")
        if len(name.split()) > _BASIS_MAX_WORDS or find_symbols(name) or _has_symbol(text, end, hi):
            continue
        if regex.search(r"\d", _LAW_YEAR.sub("", name)):
            continue
        out.append(NamedMention(start, end, name, regex.sub(r"\s+", " ", m.group("kind"))))
    return out


def _review_reports(text: str, lo: int, hi: int, starts: Starts = None) -> list[NamedMention]:
    """"Xét Tờ trình số …; Báo cáo thẩm tra của Ban Văn hóa - Xã hội Hội đồng nhân
    dân tỉnh": the review report (báo cáo thẩm tra) of a council committee, named
    by its issuer in the preamble of a council resolution."""
    out = []
    for m in _scan(_REVIEW_REPORT, text, lo, hi, starts):
        if _excluded_before(text, m.start(), lo) or _in_quotes(text, m.start(), lo):
            continue
        issuer, issuer_end = read_issuer(text, m.end(), hi)
        if not issuer or _has_symbol(text, issuer_end, hi):
            continue
        out.append(NamedMention(m.start(), issuer_end, " ".join(text[m.start():issuer_end].split()), "Báo cáo"))
    return out


_FINDERS = (_congress, _laws, _titled, _issued, _implementing, _work_programmes, _legal_basis, _horizon_named, _projects, _review_reports)
_KIND_HEADS = tuple(dict.fromkeys(kind.split("\\s+")[0] for kind in _KINDS.split("|")))  # "Nghị", "Chương", …
# The first word of every match of a finder's pattern (each opens with a kind
# word, as written). The legal basis opens a line or follows ";", so "Căn" only
# tells which blocks can hold one.
_FINDER_HEADS: dict[Finder, tuple[str, ...]] = {
    _congress: ("Nghị",),
    _laws: ("Bộ", "Luật", "Điều", "Hiến", "Pháp"),
    _titled: _KIND_HEADS,
    _issued: _KIND_HEADS,
    _implementing: ("Kế", "Chương", "Đề"),
    _work_programmes: ("Chương",),
    _legal_basis: ("Căn",),
    _horizon_named: ("Chiến", "Chương", "Kế", "Đề", "Quy"),
    _projects: ("Đề", "đề"),
    _review_reports: ("Báo",),
}
_ANYWHERE_IN_BLOCK = frozenset({_legal_basis})


def _finders_by_head() -> dict[str, tuple[Finder, ...]]:
    """Word to look for → the finders whose names can start there. A word that
    starts with another one is found with it ("Kết" where "Kế" is)."""
    words = {w for heads in _FINDER_HEADS.values() for w in heads}
    out: dict[str, list[Finder]] = {}
    for finder in _FINDERS:
        for word in _FINDER_HEADS[finder]:
            found_as = min((w for w in words if word.startswith(w)), key=len)
            if finder not in out.setdefault(found_as, []):
                out[found_as].append(finder)
    return {w: tuple(fs) for w, fs in out.items()}


_FINDERS_BY_HEAD = _finders_by_head()


class _HeadIndex:
    """Where the first words of each finder's names stand in a document, by block:
    one ``str.find`` pass per word over the text costs far less than a regex scan
    of every block by every finder, and most blocks hold none of them."""

    def __init__(self, doc: ParsedDocument) -> None:
        text = doc.text
        blocks = doc.document.blocks
        block_starts = [b.start for b in blocks]  # blocks are in text order (builder)
        # block index → finder → sorted positions
        self._by_block: dict[int, dict[Finder, list[int]]] = {}
        for word, finders in _FINDERS_BY_HEAD.items():
            pos = text.find(word)
            while pos >= 0:
                i = bisect.bisect_right(block_starts, pos) - 1
                if i >= 0 and pos < blocks[i].end:
                    in_block = self._by_block.setdefault(i, {})
                    for finder in finders:
                        in_block.setdefault(finder, []).append(pos)
                pos = text.find(word, pos + 1)
        for in_block in self._by_block.values():
            for starts in in_block.values():
                starts.sort()

    def in_block(self, i: int) -> dict[Finder, list[int]]:
        """Where each finder can find a name in block ``i`` (finders that cannot are absent)."""
        return self._by_block.get(i, {})


def _block_names(text: str, block: Block, i: int, heads: _HeadIndex) -> Iterator[tuple[Finder, NamedMention]]:
    """What each finder finds in a block, in the finders' order."""
    in_block = heads.in_block(i)
    if not in_block:
        return
    for finder in _FINDERS:
        starts = in_block.get(finder)
        if starts is None:
            continue
        for nm in finder(text, block.start, block.end, None if finder in _ANYWHERE_IN_BLOCK else starts):
            yield finder, nm


def find_named(doc: ParsedDocument, citations: Optional[list[dict]] = None, own_title: Optional[str] = None) -> list[NamedMention]:
    """Every name of a document in ``doc``. ``citations`` (the numbered citations
    found) tell which names are a numbered reference or sit in its description."""
    text = doc.text
    numbered = [tuple(o["span"]) for c in citations or [] for o in c.get("occurrences") or []]
    full = _full_references(doc, citations or [])
    described = _descriptions(full)
    implemented = _implemented_by_numbered(text, full)
    numbered_names = _numbered_names(citations or [])
    found: list[NamedMention] = []
    heads = _HeadIndex(doc)
    for i, block in enumerate(doc.document.blocks):
        taken: list[tuple[int, int]] = []
        for finder, nm in _block_names(text, block, i, heads):
            if any(nm.start < e and s < nm.end for s, e in taken):
                continue
            if any(s <= nm.start < e for s, e in numbered) or _is_own_title(nm, own_title):
                continue  # a numbered reference ("Luật Phí và lệ phí số …"), or this document itself
            if _name_key(nm.name) in numbered_names:
                continue  # "Bộ luật Lao động" where "Bộ luật Lao động số 45/2019/QH14" is cited
            if _implements_key(text, nm) in implemented:
                continue  # "Kế hoạch thực hiện Kết luận số 79-KL/TW" is the numbered Kế hoạch số 23/KH-TLĐ that does
            taken.append((nm.start, nm.end))
            # A quoted title is a document of its own even inside a description (dev 000, genre g4).
            # A document the numbered one implements or details ("Chương trình số
            # 01/CTr-BCH … thực hiện Nghị quyết Đại hội XIII …") is another document.
            if finder is not _titled and in_description(text, nm.start, described):
                before = max(block.start, nm.start - 90)
                after_verb = _IMPLEMENTED_BEFORE.search(text, before, nm.start) or (
                    _DETAILED_BEFORE.search(text, before, nm.start) and _CLAUSE_ENDS_HERE.match(text, nm.end, block.end)
                )
                nm.implemented, nm.described = bool(after_verb), not after_verb
            found.append(nm)
    found.extend(_alias_uses(text, found))
    found.sort(key=lambda n: n.start)
    # "(sau đây gọi tắt là …)" right after a name: its mentions are the same document.
    for i, nm in enumerate(found):
        alias = _ALIAS.match(text[nm.end:nm.end + 200])
        if alias:
            a, b = nm.end + alias.start("alias"), nm.end + alias.end("alias")
            for other in found[i + 1:]:
                if other.start >= a and other.end <= b:
                    other.alias_of = i
    return found


class _Described(NamedTuple):
    """A full numbered reference and what follows it in its block."""

    doc_type: Optional[str]
    attrs_end: int  # end of its date, issuer and title
    limit: int  # end of its block


def _full_references(doc: ParsedDocument, citations: list[dict]) -> list[_Described]:
    """Each full occurrence of a numbered citation, with the end of its attributes
    (read once here for both :func:`_descriptions` and :func:`_implemented_by_numbered`)."""
    out = []
    for c in citations:
        for o in c.get("occurrences") or []:
            if o.get("form") != "full":
                continue
            end = o["span"][1]
            block = doc.document.block_at(end - 1)
            limit = block.end if block is not None else len(doc.text)
            out.append(_Described(o.get("doc_type"), read_attributes(doc.text, end, limit)[3], limit))
    return out


def _descriptions(full: list[_Described]) -> list[tuple[int, int]]:
    """(end of the date and issuer, end of the block) after each full numbered reference."""
    return [(f.attrs_end, f.limit) for f in full]


_NUMBER_PART = regex.compile(r"\s+số\s*:?\s*\d.*$", regex.DOTALL)


def _name_key(name: str) -> str:
    """Folded words of a name without its year: "Luật Công đoàn năm 2012" → "luat cong doan"."""
    return " ".join(_words(_LAW_YEAR.sub("", name)))


def _numbered_names(citations: list[dict]) -> set[str]:
    """Names of numbered documents cited with their name before the number
    ("Bộ luật Lao động số 45/2019/QH14" → "Bộ luật Lao động")."""
    out = set()
    for c in citations:
        for o in c.get("occurrences") or []:
            name = _NUMBER_PART.sub("", o.get("text") or "")
            if name != o.get("text"):
                key = _name_key(name)
                if key and key != " ".join(_words(o.get("doc_type") or c.get("doc_type") or "")):
                    out.add(key)
    return out


def _kind_head(kind: str) -> str:
    return " ".join(_words(kind)[:2])


def _implements_key(text: str, nm: NamedMention) -> Optional[tuple[str, str]]:
    """(kind, implemented key) of a name like "Kế hoạch thực hiện Kết luận số 79-KL/TW"."""
    if not _IMPLEMENTING.match(text, nm.start):
        return None
    syms = find_symbols(text, nm.start, nm.end)
    return (_kind_head(nm.doc_type), fold_key(syms[-1].key)) if syms else None


def _implemented_by_numbered(text: str, full: list[_Described]) -> set[tuple[str, str]]:
    """(kind, key) for each numbered citation stated to implement another
    ("Kế hoạch số 23/KH-TLĐ … của Tổng Liên đoàn thực hiện Kết luận số 79-KL/TW")."""
    out: set[tuple[str, str]] = set()
    for f in full:
        if not f.doc_type:
            continue
        does = _DOES.match(text, f.attrs_end, f.limit)
        if does is None:
            continue
        syms = find_symbols(text, does.end(), min(f.limit, does.end() + 40))
        if syms:
            out.add((_kind_head(f.doc_type), fold_key(syms[0].key)))
    return out


def _is_own_title(nm: NamedMention, own_title: Optional[str]) -> bool:
    """"Kế hoạch thực hiện Chương trình … đến năm 2030" in the body of that very plan."""
    if not own_title:
        return False
    so = fold_for_match("số")
    name = [w for w in _words(nm.name)[len(nm.doc_type.split()):] if w != so]
    title = [w for w in _words(own_title) if w != so]
    return len(name) >= 3 and title[:len(name)] == name


def _alias_uses(text: str, found: list[NamedMention]) -> list[NamedMention]:
    """"… Chương trình mục tiêu quốc gia … đến năm 2030 (Chương trình MTQG)": later
    uses of the short name are mentions of the named document."""
    out: list[NamedMention] = []
    for nm in found:
        m = _SHORT_ALIAS.match(text, nm.end)
        if m is None or nm.alias_of is not None:
            continue
        alias = m.group("alias").strip()
        if not regex.search(r"\p{Lu}{2,}", alias) or fold_for_match(alias).split()[0] != fold_for_match(nm.doc_type).split()[0]:
            continue  # the kind and an abbreviation: "Chương trình MTQG"
        pattern = regex.compile(r"(?<!\p{L})" + regex.escape(alias).replace(r"\ ", r"\s+") + r"(?!\p{L})")
        for use in pattern.finditer(text, m.end()):
            if any(o.start <= use.start() < o.end for o in found + out):
                continue
            out.append(NamedMention(use.start(), use.end(), nm.name, nm.doc_type))
    return out


def _group(mentions: list[NamedMention]) -> list[list[int]]:
    """Indices of the mentions of each distinct document."""
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [frozenset(_words(m.name)) for m in mentions]
    for i, m in enumerate(mentions):
        if m.alias_of is not None:
            parent[root(i)] = root(m.alias_of)
    order = sorted(range(len(mentions)), key=lambda i: -len(words[i]))
    for i in order:
        for j in order:
            same_kind = mentions[i].doc_type == mentions[j].doc_type and mentions[i].amends == mentions[j].amends
            if i != j and same_kind and words[j] <= words[i] and root(i) != root(j):
                parent[root(j)] = root(i)
                break
    groups: dict[int, list[int]] = {}
    for i in range(len(mentions)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: min(mentions[i].start for i in g))


def _record_name(mentions: list[NamedMention], idx: list[int]) -> str:
    aliases = [mentions[i].name for i in idx if mentions[i].alias_of is not None]
    if aliases:
        return aliases[0]
    counts: dict[str, int] = {}
    for i in idx:
        key = " ".join(_words(mentions[i].name))
        counts[key] = counts.get(key, 0) + 1
    best = max(idx, key=lambda i: (counts[" ".join(_words(mentions[i].name))], -mentions[i].start))
    return mentions[best].name


@register("named_citations")
def extract(doc: ParsedDocument, found: dict) -> list[dict[str, Any]]:
    from extractors.citations import relation_of

    ident = found.get("document") if isinstance(found.get("document"), dict) else {}
    mentions = find_named(doc, found.get("citations"), (ident or {}).get("title"))
    text = doc.text
    records = []
    for idx in _group(mentions):
        in_descriptions = all(mentions[i].described or mentions[i].implemented for i in idx)
        if in_descriptions and any(mentions[i].described for i in idx):
            # Named only in numbered documents' descriptions, once as what one of
            # them is ("phê duyệt Đề án …"): that numbered document is the citation.
            continue
        occurrences = []
        relations: list[str] = []
        for i in sorted(idx, key=lambda i: mentions[i].start):
            nm = mentions[i]
            if nm.alias_of is not None:
                continue  # the alias definition sits in the same reference
            sent = doc.sentence_at(nm.start)
            rel = relation_of(text, sent.start if sent else nm.start, nm.start) or "mentions"
            if rel not in relations:
                relations.append(rel)
            occ = {"text": text[nm.start:nm.end], "name": nm.name, "form": "name", "relation": rel, "doc_type": nm.doc_type}
            occ.update(doc.provenance(nm.start, nm.end))
            occurrences.append(occ)
        if not occurrences:
            continue
        name = _record_name(mentions, idx)
        records.append({
            "name": name,
            "doc_type": mentions[idx[0]].doc_type,
            "mentions": len(occurrences),
            "relations": relations,
            "occurrences": occurrences,
        })
    return records
