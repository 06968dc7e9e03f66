"""The corpus reference graph: which document cites which, and how.

Input is the per-document result dicts (``OUTPUT/documents/**/*.json``); output a
:class:`networkx.DiGraph` with one node per document — in the corpus or only
cited — and one edge per citing → cited pair.

How documents become nodes:

1. **Renditions.** The .txt/.docx/.pdf/scanned .pdf of one document (same file
   stem, or same own số ký hiệu — the document's number-and-symbol — and date)
   are one corpus document; the node lists every source file.
2. **Keys.** A cited số ký hiệu is matched by its folded form (case, Đ/D,
   spaces, leading zeros folded). One key can still name two documents: trade
   unions and Party bodies restart numbering every term, so ``10b/NQ-BCH`` of
   2017-01-12 and of 2020-12-12 become two nodes (``key@date``). A mention with
   no date joins the node it most plausibly means (the nearest dated mention in
   the same document, else the only candidate, else the most cited) and is
   marked ``date_inferred``.
3. **Corpus ↔ citations.** A corpus document is the node of its own number
   (``match_method="own_number"``). A document whose text states no number (a
   draft-style Chương trình hành động) is matched to a cited node by kind,
   issuer, date and title — including the documents both say they implement
   (``match_method="metadata"``, with a confidence).

Edges carry ``mentions``, the relation kinds and every mention's section path
and sentence. Nodes carry in/out degree, PageRank and the implementation chain:
the path along implements/continues edges to the most central document the
node ultimately implements (a provincial programme → the Tổng Liên đoàn
programme → the Politburo resolution).
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator, Optional, Sequence

import networkx as nx
import regex

from . import vocab
from .normalize import fold_for_match

# Renditions of one document: the most faithful first (docx keeps structure,
# OCR is the last resort). Its citations give the edges.
FORMAT_PRIORITY = ["docx", "doc", "rtf", "html", "mht", "txt", "md", "pdf", "pdf-ocr"]

METADATA_THRESHOLD = 0.6  # below this a metadata match is not made
# Two dates of one số ký hiệu closer than this are one document with a misprint
# (Kết luận 01-KL/TW cited as of 18/5/2021 and of 18/6/2021); numbering restarts
# only with a new term, years later.
SAME_DOCUMENT_DAYS = 183

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LEADING_ZEROS = regex.compile(r"(?<![\p{L}\p{N}])0+(?=\d)")
_TU_AFTER_SLASH = regex.compile(r"(?<=/)tư(?![\p{L}])")


# ---------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Vocab:
    chain_relations: frozenset[str]
    phrases: tuple[tuple[str, str], ...]  # (folded phrase, relation), longest first
    phrase_patterns: tuple[tuple[str, regex.Pattern, str], ...]  # (phrase, whole-word pattern, relation)
    abbreviations: tuple[tuple[regex.Pattern, str], ...]
    organs: tuple[str, ...]
    symbol_organs: dict[str, str]
    symbol_kinds: dict[str, str]
    kind_family: dict[str, str]
    issuer_levels: dict[str, int]
    default_level: int
    stopwords: frozenset[str]
    local_codes: frozenset[str]
    place_re: regex.Pattern


def _load_vocab() -> _Vocab:
    data = vocab.load("graph")
    phrases = [
        (fold_for_match(p), rel) for rel, items in data["implementation_phrases"].items() for p in items
    ]
    phrases.sort(key=lambda pr: len(pr[0]), reverse=True)
    abbreviations = sorted(
        ((fold_for_match(k), fold_for_match(v)) for k, v in data["issuer_abbreviations"].items()),
        key=lambda kv: len(kv[0]),
        reverse=True,
    )
    family: dict[str, str] = {}
    for group in data["kind_families"]:
        for kind in group:
            family[fold_for_match(kind)] = fold_for_match(group[0])
    return _Vocab(
        chain_relations=frozenset(r.casefold() for r in data["chain_relations"]),
        phrases=tuple(phrases),
        phrase_patterns=tuple(
            (p, regex.compile(r"(?<![\p{L}])" + regex.escape(p) + r"(?![\p{L}])"), rel) for p, rel in phrases
        ),
        abbreviations=tuple(
            (regex.compile(r"(?<![\p{L}\p{N}])" + regex.escape(k) + r"(?![\p{L}\p{N}])"), v) for k, v in abbreviations
        ),
        organs=tuple(sorted((fold_for_match(o) for o in data["issuer_organs"]), key=len, reverse=True)),
        symbol_organs={fold_for_match(k): fold_for_match(v) for k, v in data["symbol_organs"].items()},
        symbol_kinds={fold_for_match(k): fold_for_match(v) for k, v in data["symbol_kinds"].items()},
        kind_family=family,
        issuer_levels={fold_for_match(k): int(v) for k, v in data["issuer_levels"].items()},
        default_level=int(data["default_level"]),
        stopwords=frozenset(fold_for_match(w) for w in data["title_stopwords"]),
        local_codes=frozenset(fold_for_match(c) for c in data["local_codes"]),
        place_re=regex.compile(
            r"(?<![\p{L}])(?i:" + "|".join(regex.escape(w) for w in sorted(data["place_words"], key=len, reverse=True))
            + r")\.?\s+(\p{Lu}[\p{L}]*(?:[ -]\p{Lu}[\p{L}]*)*)"
        ),
    )


_VOCAB: Optional[_Vocab] = None


def _v() -> _Vocab:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = _load_vocab()
    return _VOCAB


# ---------------------------------------------------------------- keys


def fold_key(key: str) -> str:
    """Matching form of a số ký hiệu: ``02 - NQ/TƯ`` → ``2-nq/tw``.

    Case-folded, Đ/D folded, spaces removed, dash look-alikes unified, leading
    zeros of numbers dropped (``02`` and ``2`` are one number) and the ``TƯ``
    spelling of ``TW`` unified.
    """
    k = fold_for_match(key)
    k = _SPACES.sub("", k)
    k = _DASHES.sub("-", k)
    k = _TU_AFTER_SLASH.sub("tw", k)
    return _LEADING_ZEROS.sub("", k)


_SPACES = regex.compile(r"\s+")
_DASHES = regex.compile(r"[–—‐-―]")


_SEPARATOR_SPACES = regex.compile(r"\s*([-–/])\s*")


@functools.lru_cache(maxsize=16384)
def _folded_for_keys(text: str) -> str:
    """``text`` folded the way keys are (cached: one title is tested against many keys)."""
    folded = _SEPARATOR_SPACES.sub(r"\1", fold_for_match(text)).replace("–", "-")
    return _TU_AFTER_SLASH.sub("tw", folded)


def mentions_key(text: str, fkey: str) -> bool:
    """Whether ``text`` prints the số ký hiệu whose folded key is ``fkey``.

    The key must stand alone: no digit before it (leading zeros aside, ``02``
    is ``2``) and no letter or digit after it. Plain substring search: a regex
    compiled per key would cost more than the whole test.
    """
    if not fkey:
        return False
    folded = _folded_for_keys(text)
    start = folded.find(fkey)
    while start >= 0:
        before = start
        while before > 0 and folded[before - 1] == "0":
            before -= 1
        end = start + len(fkey)
        if (before == 0 or not folded[before - 1].isnumeric()) and (end == len(folded) or not folded[end].isalnum()):
            return True
        start = folded.find(fkey, start + 1)
    return False


@dataclass(frozen=True)
class Symbol:
    """The parts of a số ký hiệu: ``02/CTr-BCH`` → number 02, kind CTr, body BCH."""

    number: str
    kind: Optional[str]
    body: Optional[str]


@functools.lru_cache(maxsize=65536)
def parse_symbol(key: str) -> Symbol:
    parts = [p for p in regex.sub(r"\s+", "", key).split("/") if p]
    if not parts:
        return Symbol(key, None, None)
    first = parts[0]
    if "-" in first:  # Party form 02-NQ/TW: number-kind/body
        number, kind = first.split("-", 1)
        body = parts[-1] if len(parts) > 1 else None
        return Symbol(number, kind or None, body)
    last = parts[-1] if len(parts) > 1 else ""
    if "-" in last:  # state / union form 1729/QĐ-TTg, 02/CTr-BCH
        kind, body = last.split("-", 1)
        return Symbol(first, kind or None, body.split("-")[0] or None)
    m = regex.match(r"\p{L}+", last)  # 12/2012/QH13: body only
    return Symbol(first, None, m.group(0) if m else None)


_KEY_YEAR = regex.compile(r"^\s*\d+\p{Ll}?\s*/\s*((?:19|20)\d\d)\s*/")


def key_year(key: str) -> Optional[str]:
    """The year a state-form number carries: ``191/2013/NĐ-CP`` → ``2013``."""
    m = _KEY_YEAR.match(key)
    return m.group(1) if m else None


def symbol_level(key: Optional[str]) -> int:
    """How central the issuer of a numbered document is (0 = Party Central)."""
    v = _v()
    if not key:
        return v.default_level
    sym = parse_symbol(key)
    body = fold_for_match(sym.body or "")
    body = regex.sub(r"\d+$", "", body)
    return v.issuer_levels.get(body, v.default_level)


# ---------------------------------------------------------------- text folding


def is_local_key(key: str) -> bool:
    """Whether the number is unique only within a locality (``…/QĐ-UBND``)."""
    body = regex.sub(r"\d+$", "", fold_for_match(parse_symbol(key).body or ""))
    return body in _v().local_codes


def place_of(issuer: Optional[str]) -> Optional[str]:
    """The place an issuer names: ``UBND tỉnh Lai Châu`` → ``Lai Châu``."""
    if not issuer:
        return None
    found = _v().place_re.findall(issuer)
    return found[-1] if found else None


@functools.lru_cache(maxsize=65536)
def fold_text(text: Optional[str]) -> str:
    """Folded words of a text, one space between them (cached: names repeat)."""
    if not text:
        return ""
    return " ".join(_WORD.findall(fold_for_match(text)))


@functools.lru_cache(maxsize=16384)
def expand_issuer(issuer: Optional[str]) -> str:
    """Folded issuer with abbreviations written out, without a term qualifier."""
    s = fold_text(issuer)
    s = regex.sub(r"\b(khoa|khóa|nhiem ky|nhiệm kỳ)\b.*$", "", s).strip()
    for pattern, full in _v().abbreviations:
        s = pattern.sub(full, s)
    return regex.sub(r"\s+", " ", s).strip()


@functools.lru_cache(maxsize=16384)
def split_issuer(issuer: Optional[str]) -> tuple[Optional[str], str]:
    """``Ban Chấp hành Tổng LĐLĐ Việt Nam`` → (``ban chấp hành``, ``tổng liên đoàn lao động việt nam``)."""
    s = expand_issuer(issuer)
    for organ in _v().organs:
        if s == organ or s.startswith(organ + " "):
            return organ, s[len(organ):].strip()
    return None, s


def fold_kind(kind: Optional[str]) -> str:
    k = fold_text(kind)
    return _v().kind_family.get(k, k)


@functools.lru_cache(maxsize=65536)
def kind_of_symbol(key: Optional[str]) -> str:
    if not key:
        return ""
    sym = parse_symbol(key)
    return fold_kind(_v().symbol_kinds.get(fold_for_match(sym.kind or ""), ""))


def iso_date(value: Any) -> Optional[str]:
    """An ISO date string, or None (years alone are kept as ``YYYY``)."""
    if value is None:
        return None
    s = str(value).strip()
    return s if _ISO_DATE.match(s) else None


# ---------------------------------------------------------------- corpus documents


@dataclass
class CorpusDoc:
    """One document of the corpus: all its renditions."""

    renditions: list[dict[str, Any]]
    node: Optional[str] = None
    match_method: Optional[str] = None
    match_confidence: Optional[float] = None
    _agreed: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _sources: Optional[tuple[str, ...]] = field(default=None, repr=False, compare=False)

    @property
    def primary(self) -> dict[str, Any]:
        return self.renditions[0]

    @property
    def sources(self) -> list[str]:
        if self._sources is None:  # a document of many renditions is asked for them per edge
            self._sources = tuple(r["source"] for r in self.renditions)
        return list(self._sources)

    @property
    def stem(self) -> str:
        return _stem(self.primary["source"])

    def agreed(self, name: str) -> Any:
        """The value the renditions agree on most (the primary one on a tie; memoised:
        the renditions do not change once grouped)."""
        if name not in self._agreed:
            self._agreed[name] = self._agree(name)
        return self._agreed[name]

    def _agree(self, name: str) -> Any:
        values = [(r.get("document") or {}).get(name) for r in self.renditions]
        values = [v for v in values if v not in (None, "")]
        if not values:
            return None
        counts = Counter(map(str, values))
        best = max(counts.values())
        return next(v for v in values if counts[str(v)] == best)

    @property
    def number(self) -> Optional[str]:
        return self.agreed("number")

    @property
    def date(self) -> Optional[str]:
        return iso_date(self.agreed("date"))


def _stem(source: str) -> str:
    return PurePosixPath(source).stem


def _format_rank(result: dict[str, Any]) -> int:
    fmt = (result.get("format") or "").lower()
    return FORMAT_PRIORITY.index(fmt) if fmt in FORMAT_PRIORITY else len(FORMAT_PRIORITY)


def group_renditions(results: Iterable[dict[str, Any]]) -> list[CorpusDoc]:
    """Group the results of one document's renditions (same stem, or same own
    number and date).

    A shared stem does not group two files whose own numbers, dates or titles
    disagree: ``2020/ke-hoach.docx`` and ``2021/ke-hoach.docx`` may be different plans.
    """
    items = [r for r in results if not r.get("error")]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def ident(r: dict[str, Any]) -> tuple[Optional[str], Optional[str]]:
        doc = r.get("document") or {}
        return (fold_key(doc["number"]) if doc.get("number") else None, iso_date(doc.get("date")))

    def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
        (na, da), (nb, db) = ident(a), ident(b)
        if (na and nb and na != nb) or (da and db and da != db):
            return False
        ta, tb = ((x.get("document") or {}).get("title") for x in (a, b))
        # two unnumbered drafts with one file name are one only if their titles agree
        return not (ta and tb) or max(title_similarity(ta, tb), title_similarity(tb, ta)) >= 0.5

    by_stem: dict[str, list[int]] = defaultdict(list)
    by_number: dict[tuple[str, Optional[str]], list[int]] = defaultdict(list)
    for i, r in enumerate(items):
        by_stem[_stem(r["source"])].append(i)
        number, date = ident(r)
        if number and date:  # an undated number could be another locality's
            by_number[(number, date)].append(i)
    for group in list(by_stem.values()) + list(by_number.values()):
        # greedy: each file joins the first cluster whose every member it agrees with
        clusters: list[list[int]] = []
        for j in group:
            home = next((c for c in clusters if all(compatible(items[x], items[j]) for x in c)), None)
            if home is None:
                clusters.append([j])
            else:
                home.append(j)
                parent[find(j)] = find(home[0])
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, r in enumerate(items):
        groups[find(i)].append(r)
    docs = [CorpusDoc(sorted(g, key=lambda r: (_format_rank(r), r["source"]))) for g in groups.values()]
    return sorted(docs, key=lambda d: d.primary["source"])


# ---------------------------------------------------------------- occurrences


@dataclass(slots=True)
class Occurrence:
    """One mention of a numbered document in one rendition of a corpus document.

    Slotted: a large corpus has hundreds of thousands of them. What only the
    files print (the mention's record: section, sentence, text) is ``heavy``:
    ``(record, citation's mentions)`` in memory, or a reference into a
    :class:`pipeline.mention_store.MentionStore` (``store``) read when asked."""

    citing: CorpusDoc
    source: str
    key: str
    fkey: str
    date: Optional[str]
    doc_type: Optional[str]
    issuer: Optional[str]
    title: Optional[str]
    relation: Optional[str]
    sentence_span: Optional[list[int]]
    span: Optional[list[int]]
    heavy: Any  # (record, mentions) or a packed store reference
    store: Any = None
    offset: Optional[tuple[int, int]] = None  # the mention's place in its sentence
    has_sentence: bool = False
    context_length: int = 0
    # the distinct title bigrams of what the sentence says about the cited document (see _context)
    context: tuple[tuple[str, str], ...] = ()
    date_conflict: bool = False  # the stated date contradicts the year in the number (dropped)
    graph_relation: Optional[str] = None  # the relation the graph uses (see _occurrences_of)
    node: Optional[str] = None
    date_inferred: bool = False
    inferred_by: Optional[str] = None

    def _heavy(self) -> tuple[dict[str, Any], Any]:
        return self.heavy if self.store is None else self.store.occurrence(self.heavy)

    @property
    def record(self) -> dict[str, Any]:
        return self._heavy()[0]

    @property
    def citation_mentions(self) -> Any:
        """The ``mentions`` count of the citation entry the mention belongs to."""
        return self._heavy()[1]

    @property
    def section(self) -> Optional[str]:
        return self.record.get("section")

    @property
    def sentence(self) -> Optional[str]:
        return self.record.get("sentence")

    @property
    def text(self) -> Optional[str]:
        return self.record.get("text")


def _citations_of(result: dict[str, Any]) -> tuple[list[dict[str, Any]], Any, Optional[int]]:
    """(citations, store, blob) of a rendition whose citations may be on disk."""
    from .mention_store import StoredCitations

    cits = result.get("citations")
    if isinstance(cits, StoredCitations):
        return cits.load(), cits.store, cits.blob
    return cits or [], None, None


def _occurrences_of(doc: CorpusDoc, result: dict[str, Any], interned: Optional[dict[Any, Any]] = None) -> list[Occurrence]:
    """Every mention of a numbered document in one rendition's ``citations``.

    A mention lacking kind or issuer takes the citation entry's (the short
    "Nghị quyết 02" after the full reference); its date and title stay its own,
    since one key may name two documents.
    """
    from .mention_store import pack

    interned = {} if interned is None else interned
    share = lambda v: interned.setdefault(v, v) if isinstance(v, (str, tuple)) else v  # noqa: E731
    cits, store, blob = _citations_of(result)
    source = result["source"]
    out: list[Occurrence] = []
    for ci, cit in enumerate(cits):
        key = cit.get("key")
        if not key:
            continue
        occs = cit.get("occurrences") or [{}]
        year = key_year(key)
        for oi, occ in enumerate(occs):
            relation = occ.get("relation") or (cit.get("relations") or [None])[0]
            date = iso_date(occ.get("date")) if occ else iso_date(cit.get("date"))
            # "06/2021/NĐ-CP, ngày 26/01/2025": the date belongs to another document of the sentence
            conflict = bool(year and date and not date.startswith(year))
            o = Occurrence(
                citing=doc,
                source=source,
                key=share(key),
                fkey=share(fold_key(key)),
                date=None if conflict else share(date),
                date_conflict=conflict,
                doc_type=share(occ.get("doc_type") or cit.get("doc_type")),
                issuer=share(occ.get("issuer") or cit.get("issuer")),
                title=share(occ.get("title") if occ else cit.get("title")),
                relation=share(relation),
                sentence_span=occ.get("sentence_span"),
                span=occ.get("span"),
                heavy=(occ, cit.get("mentions")),
            )
            o.offset = _offset_from_record(o.span, o.sentence_span, occ.get("sentence"))
            o.has_sentence = bool(occ.get("sentence"))
            context = _context(o)
            o.context_length = len(context)
            o.context = share(tuple(share(b) for b in _distinct_bigrams(context)))
            o.graph_relation = o.relation
            if not o.relation or o.relation.casefold() in _UNINFORMATIVE:
                o.graph_relation = share(_relation_from_sentence(o) or o.relation)
            if store is not None:  # the record stays on disk
                o.heavy, o.store = pack(blob, ci, oi), store
            out.append(o)
    return out


def _distinct_bigrams(context: str) -> tuple[tuple[str, str], ...]:
    """The distinct bigrams of :func:`_title_tokens` of a context, not memoised: a
    context is seldom seen twice, and a cache of them would hold thousands of sentences."""
    stop = _v().stopwords
    tokens = [sys.intern(w) for w in _WORD.findall(fold_for_match(context)) if w not in stop] if context else []
    return tuple(dict.fromkeys(zip(tokens, tokens[1:])))


def _offset_from_record(span: Optional[list[int]], sentence_span: Optional[list[int]],
                        sentence: Optional[str]) -> Optional[tuple[int, int]]:
    if not (span and sentence_span and sentence):
        return None
    s, e = span[0] - sentence_span[0], span[1] - sentence_span[0]
    if 0 <= s <= e <= len(sentence):
        return s, e
    return None


def _offset_in_sentence(o: Occurrence) -> Optional[tuple[int, int]]:
    return o.offset


def _context(o: Occurrence) -> str:
    """What the citing sentence says about the cited document after its number.

    From the end of the mention to the next ``;`` (a list of documents is
    separated by semicolons), capped at 400 characters. It holds the date,
    issuer and trích yếu ("thực hiện Nghị quyết … 02-NQ/TW") of the citation.
    """
    parts = [o.title or ""]
    pos = _offset_in_sentence(o)
    if pos:
        tail = o.sentence[pos[1]: pos[1] + 400]
        parts.append(tail.split(";")[0])
    return " ".join(p for p in parts if p)


# The extractor's relation when no cue word stands in the mention's clause.
_UNINFORMATIVE = frozenset({"mentions", "cites"})


def _relation_from_sentence(o: Occurrence) -> Optional[str]:
    """Relation of the citing document to the cited one when the extractor found no
    cue in the mention's clause.

    In the first clause of the sentence: the nearest implementation phrase before
    the mention. In a later clause (after a ``;``): the phrase that opens the
    sentence, because a list of documents separated by ``;`` shares the verb
    that opens it ("Tiếp tục triển khai thực hiện Nghị quyết …; Chương trình …
    02/CTr-BCH …").
    """
    pos = _offset_in_sentence(o)
    if not pos:
        return None
    before = fold_for_match(o.sentence[: pos[0]])
    if ";" not in before:
        return _last_phrase(before)
    return _first_phrase(before.split(";", 1)[0])


# ---------------------------------------------------------------- nodes


@dataclass
class _Claim:
    """Something that says a document with this key exists: an own number or a mention."""

    date: Optional[str]
    occurrence: Optional[Occurrence] = None
    doc: Optional[CorpusDoc] = None


def _majority(values: Iterable[Any]) -> Any:
    values = [v for v in values if v not in (None, "")]
    if not values:
        return None
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _resolve_dates(claims: list[_Claim]) -> dict[Optional[str], str]:
    """Map each date seen for one key to the date of its node.

    Full dates far apart are distinct documents (numbering restarts each term,
    so a reused number comes years later). Dates closer than
    ``SAME_DOCUMENT_DAYS`` are one document with a misprinted date: they join
    the date most claims give (the corpus document's own date first). A year
    alone (``2017``) joins the one full date of that year if there is exactly one.
    """
    counts: Counter = Counter()
    for c in claims:
        if c.date and len(c.date) == 10:
            counts[c.date] += 100 if c.doc is not None else 1
    full = sorted(counts)
    mapping: dict[Optional[str], str] = {}
    cluster: list[str] = []
    for d in full + [None]:
        if d is not None and cluster and _days_between(cluster[-1], d) <= SAME_DOCUMENT_DAYS:
            cluster.append(d)
            continue
        if cluster:
            best = max(cluster, key=lambda x: (counts[x], x))
            mapping.update({x: best for x in cluster})
        cluster = [d] if d is not None else []
    for c in claims:
        if c.date and c.date not in mapping:
            same = sorted({v for k, v in mapping.items() if k and k.startswith(c.date)})
            mapping[c.date] = same[0] if len(same) == 1 else c.date
    return mapping


def _days_between(a: str, b: str) -> int:
    try:
        return abs((Date.fromisoformat(b) - Date.fromisoformat(a)).days)
    except ValueError:
        return 10**6


def _node_id(display: str, date: Optional[str], split: bool) -> str:
    return f"{display}@{date}" if split and date else display


class _NodeTable:
    """Nodes being built: id → attributes, and the mentions each node gathered."""

    def __init__(self) -> None:
        self.attrs: dict[str, dict[str, Any]] = {}
        self.occurrences: dict[str, list[Occurrence]] = defaultdict(list)

    def add(self, node: str, **attrs: Any) -> None:
        self.attrs.setdefault(node, attrs)


def _assign_keyed_nodes(docs: list[CorpusDoc], occurrences: list[Occurrence], table: _NodeTable) -> None:
    """Create the nodes of numbered documents, splitting a key by date."""
    claims: dict[str, list[_Claim]] = defaultdict(list)
    displays: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.number:
            fk = fold_key(d.number)
            claims[fk].append(_Claim(d.date, doc=d))
            displays[fk] += [d.number] * 3  # the document's own spelling wins
    for o in occurrences:
        claims[o.fkey].append(_Claim(o.date, occurrence=o))
        displays[o.fkey].append(o.key)

    for fk, cl in claims.items():
        display = _majority(displays[fk])
        for scope, scoped in _split_by_place(cl).items():
            base = f"{display}@{scope}" if scope else display
            _assign_dated_nodes(display, base, scoped, table)


def _claim_place(c: _Claim) -> Optional[str]:
    if c.doc is not None:
        return place_of(c.doc.agreed("issuer"))
    o = c.occurrence
    return place_of(o.issuer) or place_of(o.citing.agreed("issuer"))


def _split_by_place(claims: list[_Claim]) -> dict[Optional[str], list[_Claim]]:
    """Claims of one key by the locality that numbered it (one group for central keys).

    A claim with no place joins the place most claims name.
    """
    first = claims[0].doc.number if claims[0].doc is not None else claims[0].occurrence.key
    if not is_local_key(first):
        return {None: claims}
    places = [(_claim_place(c), c) for c in claims]
    folded: dict[str, str] = {}
    counts: Counter = Counter()
    for place, _ in places:
        if place:
            counts[fold_for_match(place)] += 1
            folded.setdefault(fold_for_match(place), place)
    if len(counts) <= 1:
        return {None: claims}
    default = max(counts, key=lambda k: (counts[k], k))
    groups: dict[Optional[str], list[_Claim]] = defaultdict(list)
    for place, c in places:
        groups[folded[fold_for_match(place) if place else default]].append(c)
    return dict(groups)


def _assign_dated_nodes(display: str, base: str, cl: list[_Claim], table: _NodeTable) -> None:
    """Nodes of one key (in one locality), one per distinct date."""
    mapping = _resolve_dates(cl)
    node_dates = sorted(set(mapping.values()))
    split = len(node_dates) > 1
    for date in node_dates or [None]:
        variants = sorted(k for k, v in mapping.items() if v == date and k != date)
        table.add(_node_id(base, date, split), key=display, date=date, date_variants=variants)
    ids = {date: _node_id(base, date, split) for date in node_dates or [None]}
    mention_count = Counter(mapping[c.date] for c in cl if c.date)
    # dated mentions by citing file, built once: a popular key has thousands of claims
    dated_by_source: dict[str, list[Occurrence]] = defaultdict(list)
    for c in cl:
        if c.date and c.occurrence is not None:
            dated_by_source[c.occurrence.source].append(c.occurrence)

    for c in cl:
        if c.date:
            target, inferred, how = ids[mapping[c.date]], False, None
        elif len(ids) == 1:
            target, inferred, how = next(iter(ids.values())), split, None
        else:
            target, how = _undated_target(c, mapping, ids, mention_count, dated_by_source)
            inferred = True
        if c.occurrence is not None:
            c.occurrence.node, c.occurrence.date_inferred, c.occurrence.inferred_by = target, inferred, how
        else:
            c.doc.node, c.doc.match_method, c.doc.match_confidence = target, "own_number", 1.0 if c.date else 0.9


def _undated_target(
    claim: _Claim,
    mapping: dict[Optional[str], str],
    ids: dict[Optional[str], str],
    mention_count: Counter,
    dated_by_source: dict[str, list[Occurrence]],
) -> tuple[str, str]:
    """The node an undated mention most plausibly means.

    The nearest dated mention of the same key in the same document (a short
    mention refers back to the full one), else the most cited of the candidates
    (the latest on a tie).
    """
    o = claim.occurrence
    if o is not None:
        same_doc = dated_by_source.get(o.source, [])
        if same_doc:
            here = (o.span or [0])[0]

            def distance(x: Occurrence) -> tuple[int, int]:
                there = (x.span or [0])[0]
                return (abs(here - there), 0 if there <= here else 1)

            nearest = min(same_doc, key=distance)
            return ids[mapping[nearest.date]], "same_document_nearest"
    best = max(ids, key=lambda d: (mention_count.get(d, 0), d or ""))
    return ids[best], "most_cited"


# ---------------------------------------------------------------- metadata matching


@functools.lru_cache(maxsize=16384)
def _title_tokens(text: str) -> tuple[str, ...]:
    """Folded words of a title or citing context without stopwords (interned: a
    corpus has a few thousand distinct words in millions of tokens)."""
    stop = _v().stopwords
    return tuple(sys.intern(w) for w in fold_text(text).split() if w not in stop)


def _bigrams(tokens: tuple[str, ...]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:]))


def title_similarity(doc_title: Optional[str], context: str) -> float:
    """How much of the corpus document's title the citing context repeats (0–1).

    Containment of the title's word bigrams in the context: a citation repeats
    the trích yếu, often with the date and issuer around it.
    """
    a = _bigrams(_title_tokens(doc_title or ""))
    b = _bigrams(_title_tokens(context))
    if not a or not b:
        return 0.0
    return len(a & b) / len(a)


@functools.lru_cache(maxsize=65536)
def issuer_similarity(a: Optional[str], b: Optional[str]) -> Optional[float]:
    """1 for the same issuer, lower for a shortened form, 0 for a different one, None if unknown."""
    if not a or not b:
        return None
    organ_a, body_a = split_issuer(a)
    organ_b, body_b = split_issuer(b)
    if organ_a and organ_b and organ_a != organ_b:
        return 0.0
    if not body_a or not body_b:
        # "Ban Chấp hành" alone vs a full name: organ agrees, body unknown
        return 0.6 if (organ_a or organ_b) else None
    if body_a == body_b:
        score = 1.0
    elif f" {body_a} " in f" {body_b} " or f" {body_b} " in f" {body_a} ":
        score = 0.8  # "Tổng Liên đoàn" within "Tổng Liên đoàn Lao động Việt Nam"
    else:
        return 0.0
    return score if organ_a == organ_b else score * 0.85


@functools.lru_cache(maxsize=16384)
def kind_similarity(a: Optional[str], b: Optional[str]) -> Optional[float]:
    ka, kb = fold_kind(a), fold_kind(b)
    if not ka or not kb:
        return None
    if fold_text(a) == fold_text(b):
        return 1.0
    return 0.85 if ka == kb else 0.0


@dataclass
class MatchEvidence:
    score: float
    kind: Optional[float]
    issuer: Optional[float]
    title: float
    shared_targets: list[str]


def _implemented_keys(doc: CorpusDoc, occs: list[Occurrence]) -> set[str]:
    """Folded keys the corpus document says it implements.

    Those its title names ("Chương trình hành động thực hiện Nghị quyết số
    25-NQ/TW …") when it names any: the title states what the document is for;
    else those its text cites with an implements/continues relation.
    """
    title = doc.agreed("title") or ""
    own = [o for o in occs if o.source == doc.primary["source"]]
    in_title = {o.fkey for o in own if mentions_key(title, o.fkey)}
    if in_title:
        return in_title
    return {o.fkey for o in own if (o.graph_relation or "").casefold() in _v().chain_relations}


def _latest_cited_date(doc: CorpusDoc, occs: list[Occurrence]) -> Optional[str]:
    """The date of the most recent document it cites: it was issued on or after it."""
    dates = [o.date for o in occs if o.source == doc.primary["source"] and o.date and len(o.date) == 10]
    return max(dates) if dates else None


def _stated_keys(o: Occurrence, occs_by_source: dict[str, list[Occurrence]]) -> set[str]:
    """Folded keys the citing sentence names after this mention, within its context
    (what the cited document is said to implement)."""
    pos = _offset_in_sentence(o)
    if not pos:
        return set()
    end = o.sentence_span[0] + pos[1] + o.context_length
    return {
        other.fkey
        for other in occs_by_source.get(o.source, [])
        if other is not o and other.span and o.span and o.span[1] <= other.span[0] <= end
        and other.sentence_span == o.sentence_span
    }


class _OccurrenceFacts:
    """Per-mention facts a metadata match reads, computed once per mention (a
    cited node is scored against many unnumbered documents)."""

    def __init__(self, occs_by_source: dict[str, list[Occurrence]]) -> None:
        self.occs_by_source = occs_by_source
        self._stated: dict[int, set[str]] = {}
        self._by_node: dict[str, dict[str, dict[Any, set[int]]]] = {}
        self._all_of_node: dict[str, _Mentions] = {}
        self._citing_node: dict[str, set[int]] = {}
        self._latest: dict[int, Optional[str]] = {}

    def stated(self, o: Occurrence) -> set[str]:
        if id(o) not in self._stated:
            self._stated[id(o)] = _stated_keys(o, self.occs_by_source)
        return self._stated[id(o)]

    @staticmethod
    def context_bigrams(o: Occurrence) -> tuple[tuple[str, str], ...]:
        """The distinct bigrams of the mention's context (made with the mention, shared
        by every mention with the same ones)."""
        return o.context

    @staticmethod
    def title_similarity(title_bigrams: set[tuple[str, str]], context: tuple[tuple[str, str], ...]) -> float:
        """:func:`title_similarity` of a title (its bigrams) and a mention's context (its bigrams)."""
        return len(title_bigrams.intersection(context)) / len(title_bigrams) if title_bigrams and context else 0.0

    def latest_cited_date(self, doc: CorpusDoc) -> Optional[str]:
        if id(doc) not in self._latest:
            self._latest[id(doc)] = _latest_cited_date(doc, self.occs_by_source.get(doc.primary["source"], []))
        return self._latest[id(doc)]

    def mentions(self, node: str, occs: list[Occurrence], doc: CorpusDoc) -> "_Mentions":
        """The distinct values of a node's mentions, leaving out those only ``doc`` makes."""
        if node not in self._by_node:
            values: dict[str, dict[Any, set[int]]] = {f: defaultdict(set) for f in _Mentions.FIELDS}
            for o in occs:
                citing = id(o.citing)
                values["doc_types"][o.doc_type].add(citing)
                values["issuers"][o.issuer].add(citing)
                values["contexts"][o.context].add(citing)
                values["stated"][frozenset(self.stated(o))].add(citing)
            self._by_node[node] = values
            self._all_of_node[node] = _Mentions(*(list(values[f]) for f in _Mentions.FIELDS))
            self._citing_node[node] = {c for citing in values["doc_types"].values() for c in citing}
        own = id(doc)
        if own not in self._citing_node[node]:
            return self._all_of_node[node]  # the document cites nothing of this node: nothing to leave out
        return _Mentions(*(
            [v for v, citing in self._by_node[node][f].items() if len(citing) > 1 or own not in citing]
            for f in _Mentions.FIELDS
        ))


@dataclass
class _Mentions:
    """What a node's mentions say, as distinct values (the scores take maxima and unions)."""

    FIELDS = ("doc_types", "issuers", "contexts", "stated")
    doc_types: list[Optional[str]]
    issuers: list[Optional[str]]
    contexts: list[tuple[tuple[str, str], ...]]  # each context's distinct bigrams
    stated: list[frozenset[str]]

    @classmethod
    def of(cls, occs: list[Occurrence], facts: _OccurrenceFacts) -> "_Mentions":
        return cls(
            list(dict.fromkeys(o.doc_type for o in occs)),
            list(dict.fromkeys(o.issuer for o in occs)),
            list(dict.fromkeys(o.context for o in occs)),
            list(dict.fromkeys(frozenset(facts.stated(o)) for o in occs)),
        )


def metadata_evidence(
    doc: CorpusDoc, node_attrs: dict[str, Any], node_occs: list[Occurrence], doc_targets: set[str],
    all_occs_by_source: dict[str, list[Occurrence]], facts: Optional[_OccurrenceFacts] = None,
    mentions: Optional[_Mentions] = None,
) -> Optional[MatchEvidence]:
    """Score a corpus document without a number against a cited node.

    Kind and issuer must not contradict (a contradiction rules the pair out); the
    date must agree when both are known; the title is compared with what the
    citing sentences say about the cited document, and the documents the
    citation says it implements are compared with those the corpus document
    implements.
    """
    v = _v()
    doc_date, node_date = doc.date, node_attrs.get("date")
    if doc_date and node_date and doc_date != node_date:
        return None
    # a document is not older than what it cites
    facts = facts or _OccurrenceFacts(all_occs_by_source)
    latest = facts.latest_cited_date(doc)
    if latest and node_date and len(node_date) == 10 and node_date < latest:
        return None
    mentions = mentions or _Mentions.of(node_occs, facts)
    kinds = [kind_similarity(doc.agreed("doc_type"), t) for t in mentions.doc_types]
    sym_kind = kind_of_symbol(node_attrs.get("key"))
    if sym_kind:
        kinds.append(1.0 if sym_kind == fold_kind(doc.agreed("doc_type")) else 0.0)
    kinds = [k for k in kinds if k is not None]
    kind = max(kinds) if kinds else None
    if kind == 0.0:
        return None
    issuers = [issuer_similarity(doc.agreed("issuer"), i) for i in mentions.issuers]
    issuers = [i for i in issuers if i is not None]
    issuer = max(issuers) if issuers else None
    if issuer == 0.0:
        return None
    organ, _ = split_issuer(doc.agreed("issuer"))
    sym = parse_symbol(node_attrs.get("key") or "")
    sym_organ = v.symbol_organs.get(fold_for_match(sym.body or ""))
    if organ and sym_organ and organ != sym_organ:
        return None
    title_bigrams = _bigrams(_title_tokens(doc.agreed("title") or ""))
    title = max((facts.title_similarity(title_bigrams, c) for c in mentions.contexts), default=0.0)
    # documents the citing sentence says the cited one implements
    stated: set[str] = set().union(*mentions.stated)
    shared = sorted(stated & doc_targets)
    target_score = 1.0 if shared else (0.0 if stated and doc_targets else None)
    parts = [(0.2, kind), (0.3, issuer), (0.3, title), (0.2, target_score)]
    known = [(w, s) for w, s in parts if s is not None]
    weight = sum(w for w, _ in known)
    score = sum(w * s for w, s in known) / weight if weight else 0.0
    # unknown evidence lowers confidence: scale by how much of it was known
    score *= 0.5 + 0.5 * weight
    if title < 0.2 and not shared:
        return None  # kind and issuer alone do not identify a document
    return MatchEvidence(round(score, 3), kind, issuer, round(title, 3), shared)


class _CandidateIndex:
    """Unclaimed numbered nodes, indexed by what a metadata match needs.

    A pair is ruled out when the kind its number's symbol shows contradicts the
    document's kind, and :func:`metadata_evidence` rejects it unless the citing
    contexts repeat at least a fifth of the document's title bigrams, or the
    citation states a document the corpus document implements. Nodes are indexed
    by symbol kind, context bigrams and stated keys (over all their mentions: a
    superset of what any one pair sees), so only the nodes that can pass are
    scored: near-linear instead of every unnumbered document against every node.
    A node whose date rules it out (another date than the document's, or older
    than what the document cites) is no candidate either.
    """

    def __init__(self, table: _NodeTable, claimed: set[str], facts: _OccurrenceFacts) -> None:
        self.order: dict[str, int] = {}
        self.kind: dict[str, str] = {}
        self.date: dict[str, Optional[str]] = {}
        self.organ: dict[str, Optional[str]] = {}  # the issuing organ the number's symbol shows
        self.bigrams: dict[str, tuple[tuple[str, str], ...]] = {}
        # symbol kind ("" when the symbol shows none) → bigram → nodes
        self.by_bigram: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
        self.by_stated: dict[str, list[str]] = defaultdict(list)
        for node, attrs in table.attrs.items():
            occs = table.occurrences.get(node)
            if node in claimed or attrs.get("key") is None or not occs:
                continue
            self.order[node] = len(self.order)
            self.kind[node] = kind_of_symbol(attrs["key"])
            self.date[node] = attrs.get("date")
            self.organ[node] = _v().symbol_organs.get(fold_for_match(parse_symbol(attrs["key"]).body or ""))
            bigrams: set[tuple[str, str]] = set()
            stated: set[str] = set()
            for o in occs:
                bigrams.update(facts.context_bigrams(o))
                stated |= facts.stated(o)
            self.bigrams[node] = tuple(bigrams)  # distinct: a tuple is a fraction of a set's size
            for bigram in bigrams:
                self.by_bigram[self.kind[node]][bigram].append(node)
            for fkey in stated:
                self.by_stated[fkey].append(node)

    def _compatible(self, kind: str, node: str) -> bool:
        return not kind or not self.kind[node] or self.kind[node] == kind

    def _dated_ok(self, node: str, date: Optional[str], latest: Optional[str], organ: Optional[str] = None) -> bool:
        """The date and organ tests of :func:`metadata_evidence`, which need no mention."""
        if organ and self.organ[node] and organ != self.organ[node]:
            return False
        node_date = self.date[node]
        if not node_date:
            return True
        if date and date != node_date:
            return False
        return not (latest and len(node_date) == 10 and node_date < latest)

    def candidates(self, kind: str, title: Optional[str], targets: set[str], date: Optional[str] = None,
                   latest: Optional[str] = None, organ: Optional[str] = None) -> list[str]:
        """Nodes that could match a document of this (folded) kind, title, implemented
        keys, date, and latest date it cites."""
        wanted = _bigrams(_title_tokens(title or ""))
        found: set[str] = set()
        if wanted:
            # a node sharing `need` of the bigrams shares one of the rarest
            # len - need + 1: the common ones ("chương trình") need not be probed
            need = next(n for n in range(1, len(wanted) + 1) if n / len(wanted) >= 0.2)
            kinds = [kind, ""] if kind else list(self.by_bigram)
            for postings in (self.by_bigram[k] for k in kinds if k in self.by_bigram):
                ranked = sorted(wanted, key=lambda b: (len(postings.get(b, ())), b))
                pool: set[str] = set()
                for bigram in ranked[: len(ranked) - need + 1]:
                    pool.update(postings.get(bigram, ()))
                found |= {node for node in pool if self._dated_ok(node, date, latest, organ)
                          and len(wanted.intersection(self.bigrams[node])) / len(wanted) >= 0.2}
        for fkey in targets:
            found.update(node for node in self.by_stated.get(fkey, ())
                         if self._compatible(kind, node) and self._dated_ok(node, date, latest, organ))
        return sorted(found, key=self.order.__getitem__)


def _match_by_metadata(docs: list[CorpusDoc], occurrences: list[Occurrence], table: _NodeTable) -> None:
    """Give each unnumbered corpus document the cited node it is, if one fits well enough."""
    claimed = {d.node for d in docs if d.node}
    by_source: dict[str, list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        by_source[o.source].append(o)
    facts = _OccurrenceFacts(by_source)
    index: Optional[_CandidateIndex] = None
    candidates: list[tuple[float, int, str, MatchEvidence]] = []
    for i, doc in enumerate(docs):
        if doc.node:
            continue
        if index is None:  # built only when some document lacks a number
            index = _CandidateIndex(table, claimed, facts)
        targets = _implemented_keys(doc, by_source.get(doc.primary["source"], []))
        kind = fold_kind(doc.agreed("doc_type"))
        # a Kế hoạch number is not a Chương trình: the index only offers compatible kinds
        organ, _ = split_issuer(doc.agreed("issuer"))
        for node in index.candidates(kind, doc.agreed("title"), targets, doc.date, facts.latest_cited_date(doc),
                                     organ):
            attrs = table.attrs[node]
            all_occs = table.occurrences[node]
            if all(o.citing is doc for o in all_occs):
                continue
            mentions = facts.mentions(node, all_occs, doc)
            ev = metadata_evidence(doc, attrs, [], targets, by_source, facts, mentions)
            if ev and ev.score >= METADATA_THRESHOLD:
                candidates.append((ev.score, i, node, ev))
    # one document per node and one node per document, best scores first
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    by_doc: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for score, i, node, _ in candidates:
        by_doc[i].append((score, node))
    used_nodes: set[str] = set()
    for score, i, node, ev in candidates:
        doc = docs[i]
        if doc.node or node in used_nodes:
            continue
        rivals = [s for s, n in by_doc[i] if n != node and n not in used_nodes]
        margin = score - max(rivals, default=0.0)
        doc.node, doc.match_method = node, "metadata"
        doc.match_confidence = round(score * (1.0 if margin >= 0.15 else 0.8), 3)
        table.attrs[node]["match_evidence"] = {
            "kind": ev.kind,
            "issuer": ev.issuer,
            "title": ev.title,
            "shared_implemented": ev.shared_targets,
        }
        used_nodes.add(node)


# ---------------------------------------------------------------- building


@dataclass
class Corpus:
    """The graph with what it was built from (for the tables)."""

    graph: nx.DiGraph
    docs: list[CorpusDoc]
    occurrences: list[Occurrence]  # every mention in every rendition, with its node

    def node_of_source(self) -> dict[str, str]:
        return {s: d.node for d in self.docs for s in d.sources}


def build_corpus(results: Iterable[dict[str, Any]]) -> Corpus:
    """Group renditions, resolve every mention to a node, build the graph."""
    docs = group_renditions(results)
    occurrences: list[Occurrence] = []
    interned: dict[Any, Any] = {}  # a corpus repeats keys, issuers, titles and contexts
    for d in docs:
        for r in d.renditions:
            occurrences += _occurrences_of(d, r, interned)
    del interned

    table = _NodeTable()
    _assign_keyed_nodes(docs, occurrences, table)
    for o in occurrences:
        table.occurrences[o.node].append(o)
    # a document does not cite itself: a mention of its own number is a self-reference
    citing = [o for o in occurrences if o.node != o.citing.node]
    _match_by_metadata(docs, citing, table)
    citing = [o for o in citing if o.node != o.citing.node]
    for d in docs:
        if not d.node:
            d.node = f"doc:{d.stem}"
            if d.node in table.attrs:  # two unnumbered documents with one file name
                d.node = f"doc:{d.primary['source']}"
            table.add(d.node, key=None, date=d.date)

    g = nx.DiGraph()
    for node, attrs in table.attrs.items():
        g.add_node(node, **_node_attributes(node, attrs, table.occurrences.get(node, []), None))
    sources: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if not sources[d.node]:  # the first document of a node describes it
            g.nodes[d.node].update(_node_attributes(d.node, table.attrs[d.node], table.occurrences.get(d.node, []), d))
        sources[d.node] += d.sources
        g.nodes[d.node]["sources"] = sources[d.node]

    _add_edges(g, docs, citing)
    _add_stated_edges(g, docs, citing)
    _add_metrics(g)
    g.graph["documents"] = len(docs)
    g.graph["renditions"] = sum(len(d.renditions) for d in docs)
    return Corpus(g, docs, occurrences)


def build_graph(results: Iterable[dict[str, Any]]) -> nx.DiGraph:
    """The corpus graph from per-document result dicts (errors are skipped)."""
    return build_corpus(results).graph


def _node_attributes(node: str, attrs: dict[str, Any], occs: list[Occurrence], doc: Optional[CorpusDoc]) -> dict[str, Any]:
    key = attrs.get("key")
    label = key or node
    if key and node != key:  # one of several documents with this number
        qualifiers = node[len(key) + 1:].split("@")
        label = f"{key} ({', '.join(q[:4] if _ISO_DATE.match(q) else q for q in qualifiers)})"
    out: dict[str, Any] = {
        "label": label,
        "key": key,
        "number": key,
        "kind": _majority(o.doc_type for o in occs) or (kind_of_symbol(key).capitalize() if key else None),
        "issuer": _majority(o.issuer for o in occs),
        "date": attrs.get("date"),
        "title": _majority(o.title for o in occs),
        "in_corpus": False,
        "sources": [],
        "match_method": None,
        "match_confidence": None,
        "number_stated": None,
        "date_inferred_mentions": sum(1 for o in occs if o.date_inferred),
        "level": symbol_level(key),
    }
    if doc is not None:
        stated = doc.number
        out.update(
            in_corpus=True,
            sources=doc.sources,
            kind=doc.agreed("doc_type") or out["kind"],
            issuer=doc.agreed("issuer") or out["issuer"],
            title=doc.agreed("title") or out["title"],
            date=doc.date or out["date"],
            match_method=doc.match_method,
            match_confidence=doc.match_confidence,
            number_stated=bool(stated),
        )
        if key is None:
            out["label"] = _short_label(doc)
    if "match_evidence" in attrs:
        out["match_evidence"] = attrs["match_evidence"]
    return out


def _short_label(doc: CorpusDoc) -> str:
    kind = doc.agreed("doc_type") or "Văn bản"
    issuer = doc.agreed("issuer")
    return f"{kind} ({issuer})" if issuer else f"{kind} {doc.stem}"


def _add_edges(g: nx.DiGraph, docs: list[CorpusDoc], occurrences: list[Occurrence]) -> None:
    """citing → cited edges from each document's most faithful rendition.

    A cited document that only another rendition found (an OCR slip in one) is
    taken from the first rendition that has it, so no citation is lost and no
    mention is counted once per rendition.
    """
    by_doc: dict[int, dict[str, dict[str, list[Occurrence]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for o in occurrences:
        by_doc[id(o.citing)][o.node][o.source].append(o)
    for d in docs:
        for cited, per_source in by_doc.get(id(d), {}).items():
            if g.has_edge(d.node, cited):
                continue  # another file of the same document gave this edge
            source = next(s for s in d.sources if s in per_source)
            occs = sorted(per_source[source], key=lambda o: (o.span or [0])[0])
            relations = sorted({o.graph_relation for o in occs if o.graph_relation})
            if occs[0].store is None:
                sections, sentences, mention_list = (StoredMentions(occs, f).materialize() for f in StoredMentions.FIELDS)
            else:  # made again from the records on disk when a file is written
                shared = tuple(occs)
                sections, sentences, mention_list = (StoredMentions(shared, f) for f in StoredMentions.FIELDS)
            g.add_edge(
                d.node,
                cited,
                mentions=len(occs),
                relations=relations,
                source=source,
                sections=sections,
                sentences=sentences,
                mention_list=mention_list,
                chain=any((r or "").casefold() in _v().chain_relations for r in relations),
            )


class StoredMentions:
    """An edge's ``sections``, ``sentences`` or ``mention_list``, made from its
    mentions when asked (:func:`edge_attributes`): with the records on disk
    (:mod:`pipeline.mention_store`) the graph holds only the mentions' places."""

    __slots__ = ("occurrences", "field")
    FIELDS = ("sections", "sentences", "mention_list")

    def __init__(self, occurrences: Sequence[Occurrence], field: str) -> None:
        self.occurrences = occurrences
        self.field = field

    def materialize(self) -> list[Any]:
        records = _records_of(self.occurrences)
        if self.field == "sections":
            return [r.get("section") for r in records]
        if self.field == "sentences":
            return [r.get("sentence") for r in records]
        return [
            {
                "source": o.source,
                "section": r.get("section"),
                "sentence": r.get("sentence"),
                "span": o.span,
                "sentence_span": o.sentence_span,
                "relation": o.graph_relation,
                "text": r.get("text"),
                "date_inferred": o.date_inferred,
            }
            for o, r in zip(self.occurrences, records)
        ]


_LAST_RECORDS: list[Any] = [None, []]  # (mentions, their records): an edge's three lists read them once


def _records_of(occurrences: Sequence[Occurrence]) -> list[dict[str, Any]]:
    if _LAST_RECORDS[0] is not occurrences:
        _LAST_RECORDS[:] = [occurrences, [o.record for o in occurrences]]
    return _LAST_RECORDS[1]


def edge_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """An edge's attributes with its mention lists made (see :class:`StoredMentions`)."""
    if not any(isinstance(v, StoredMentions) for v in attrs.values()):
        return attrs
    return {k: v.materialize() if isinstance(v, StoredMentions) else v for k, v in attrs.items()}


def _add_stated_edges(g: nx.DiGraph, docs: list[CorpusDoc], occurrences: list[Occurrence]) -> None:
    """Edges between two cited documents that a citing sentence states.

    "Chương trình hành động số 12-CTr/TU … của Ban Thường vụ Tỉnh ủy thực hiện
    Nghị quyết số 02-NQ/TW" says 12-CTr/TU implements 02-NQ/TW: two mentions in
    a row, in one clause (no ``;`` between), with an implementation phrase
    between them. The edge records who stated it (``stated_by``).
    """
    primary = {d.primary["source"] for d in docs}
    by_sentence: dict[tuple[str, tuple[int, ...]], list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        if o.source in primary and o.span and o.sentence_span and o.has_sentence:
            by_sentence[(o.source, tuple(o.sentence_span))].append(o)
    for occs in by_sentence.values():
        occs.sort(key=lambda o: o.span[0])
        for a, b in zip(occs, occs[1:]):
            pa, pb = _offset_in_sentence(a), _offset_in_sentence(b)
            if not pa or not pb or a.node == b.node or pb[0] < pa[1]:
                continue
            between = a.sentence[pa[1]: pb[0]]
            if ";" in between or len(between) > 250:
                continue
            relation = _stated_relation(between)
            if not relation or _issued_before(g, a.node, b.node):
                continue  # no statement, or A predates B and cannot implement it
            stated_by = a.citing.node
            if g.has_edge(a.node, b.node):
                data = g.edges[a.node, b.node]
                data.setdefault("stated_by", [])
                if stated_by not in data["stated_by"]:
                    data["stated_by"].append(stated_by)
                if relation not in data["relations"]:
                    data["relations"] = sorted(data["relations"] + [relation])
                data["chain"] = True
                continue
            g.add_edge(
                a.node,
                b.node,
                mentions=1,
                relations=[relation],
                source=a.source,
                sections=[a.section],
                sentences=[a.sentence],
                mention_list=[
                    {"source": a.source, "section": a.section, "sentence": a.sentence, "span": [a.span[0], b.span[1]],
                     "sentence_span": a.sentence_span, "relation": relation, "text": a.sentence[pa[0]: pb[1]], "date_inferred": False}
                ],
                chain=relation.casefold() in _v().chain_relations,
                stated_by=[stated_by],
                derived=True,
            )


def _phrases_in(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, relation) of every implementation phrase in folded text."""
    found = []
    for phrase, pattern, relation in _v().phrase_patterns:
        if phrase in folded:  # the whole-word pattern only runs where the phrase stands
            for m in pattern.finditer(folded):
                found.append((m.start(), m.end(), relation))
    return found


def _issued_before(g: nx.DiGraph, a: str, b: str) -> bool:
    da, db = g.nodes[a].get("date") or "", g.nodes[b].get("date") or ""
    return len(da) == 10 and len(db) == 10 and da < db


def _last_phrase(folded: str) -> Optional[str]:
    found = _phrases_in(folded)
    return max(found, key=lambda f: (f[1], f[1] - f[0]))[2] if found else None


def _first_phrase(folded: str) -> Optional[str]:
    found = _phrases_in(folded)
    return min(found, key=lambda f: (f[0], f[0] - f[1]))[2] if found else None


_DURATION_BEFORE = regex.compile(r"(?<!\d)\d+\s+năm\s*$")  # from a number's first digit: linear on digit runs


def _stated_relation(between: str) -> Optional[str]:
    """The relation "A <between> B" states between two cited documents, if any.

    The phrase must belong to A's description: no "và" before it (in "15 năm thực
    hiện A và 10 năm thực hiện B" the citing document does both) and not a
    duration ("10 năm thực hiện").
    """
    folded = fold_for_match(between)
    found = _phrases_in(folded)
    if not found:
        return None
    start, _, relation = max(found, key=lambda f: (f[1], f[1] - f[0]))
    head = folded[:start]
    if regex.search(r"(?<![\p{L}])và(?![\p{L}])", head) or _DURATION_BEFORE.search(head):
        return None
    return relation


def pagerank(g: nx.DiGraph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration (networkx's needs scipy; this does not)."""
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    rank = {v: 1.0 / n for v in nodes}
    out_deg = {v: g.out_degree(v) for v in nodes}
    for _ in range(max_iter):
        dangling = alpha * sum(rank[v] for v in nodes if out_deg[v] == 0) / n
        new = {v: (1.0 - alpha) / n + dangling for v in nodes}
        for u in nodes:
            if out_deg[u]:
                share = alpha * rank[u] / out_deg[u]
                for w in g.successors(u):
                    new[w] += share
        err = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def _chain_successors(g: nx.DiGraph, node: str) -> list[str]:
    return sorted(w for w in g.successors(node) if g.edges[node, w].get("chain") and w != node)


def implementation_chains(g: nx.DiGraph) -> dict[str, list[str]]:
    """Every node's implementation chain: the path along implements/continues
    edges to the central document it ultimately implements ([] if none).

    Chains are consistent: a node's chain is the node followed by the chain of
    one of the documents it implements. The end (root) is chosen among the ends
    its successors lead to: the one the node's title names ("Chương trình hành
    động thực hiện Nghị quyết số 25-NQ/TW …"), then the most central issuer (Party
    Central before the state, the Tổng Liên đoàn, then provinces), then the one
    it mentions most itself, then the highest PageRank. The next step is a
    document that leads to that root: a corpus document first (a provincial
    programme → the Tổng Liên đoàn programme in the corpus → the resolution),
    then the longer chain, then the most mentioned.
    """
    memo: dict[str, list[str]] = {}

    def mentions(u: str, v: str) -> int:
        return g.edges[u, v].get("mentions", 0) if g.has_edge(u, v) else 0

    def root_rank(node: str, root: str) -> tuple:
        title = g.nodes[node].get("title") or ""
        key = g.nodes[root].get("key")
        named = bool(key) and mentions_key(title, fold_key(key))
        return (not named, g.nodes[root].get("level", 9), -mentions(node, root), -g.nodes[root].get("pagerank", 0.0), root)

    def chain(node: str, stack: set[str]) -> list[str]:
        if node in memo:
            return memo[node]
        nexts = [w for w in _chain_successors(g, node) if w not in stack]
        if not nexts:
            memo[node] = []
            return []
        stack.add(node)
        sub = {w: chain(w, stack) for w in nexts}
        stack.discard(node)
        ends = {w: sub[w][-1] if sub[w] else w for w in nexts}
        root = min(set(ends.values()), key=lambda r: root_rank(node, r))
        best = min(
            (w for w in nexts if ends[w] == root),
            key=lambda w: (not g.nodes[w].get("in_corpus"), -len(sub[w]), -mentions(node, w), w),
        )
        memo[node] = [node] + (sub[best] or [best])
        return memo[node]

    return {v: chain(v, set()) for v in g}


def implementation_chain(g: nx.DiGraph, node: str) -> list[str]:
    """The implementation chain of one node (see :func:`implementation_chains`)."""
    return implementation_chains(g)[node]


def _add_metrics(g: nx.DiGraph) -> None:
    ranks = pagerank(g)
    for v in g:
        attrs = g.nodes[v]
        attrs["in_degree"] = g.in_degree(v)
        attrs["out_degree"] = g.out_degree(v)
        attrs["cited_mentions"] = sum(d.get("mentions", 0) for _, _, d in g.in_edges(v, data=True))
        attrs["pagerank"] = round(ranks.get(v, 0.0), 6)
    chains = implementation_chains(g)
    for v in g:
        g.nodes[v]["implementation_chain"] = chains[v]
        g.nodes[v]["implementation_root"] = chains[v][-1] if chains[v] else None
        g.nodes[v]["implements"] = _chain_successors(g, v)


# What the corpus stage never reads: the text and blocks are half of each
# per-document JSON, and thousands of them do not fit in memory.
_DROPPED_FIELDS = ("text", "blocks", "timings")
_RECORD_FIELDS = ("targets", "deadlines", "responsibilities")


def clear_caches() -> None:
    """Empty the memoised folding and parsing caches (their strings are only
    needed while mentions are matched)."""
    for cached in (_folded_for_keys, parse_symbol, fold_text, expand_issuer, kind_of_symbol, _title_tokens,
                   split_issuer, issuer_similarity, kind_similarity):
        cached.cache_clear()
    _LAST_RECORDS[:] = [None, []]


def slim_result(result: dict[str, Any]) -> dict[str, Any]:
    """A result with only what the graph and the tables use (in place).

    The text is replaced by its length (``characters``); the sentence a record
    quotes is kept once per document, however many records quote it.
    """
    if "characters" not in result:
        result["characters"] = len(result.get("text") or "")
    for name in _DROPPED_FIELDS:
        result.pop(name, None)
    sentences: dict[str, str] = {}
    records = [occ for c in result.get("citations") or [] for occ in c.get("occurrences") or []]
    records += [occ for c in result.get("named_citations") or [] for occ in c.get("occurrences") or []]
    for name in _RECORD_FIELDS:
        records += result.get(name) or []
    for rec in records:
        sentence = rec.get("sentence") if isinstance(rec, dict) else None
        if isinstance(sentence, str):
            rec["sentence"] = sentences.setdefault(sentence, sentence)
    return result


def iter_results(output_dir: Path) -> Iterator[dict[str, Any]]:
    """Every per-document result under ``OUTPUT/documents``, slimmed, one at a time
    (with errors: callers skip them)."""
    from .io import read_json

    docs_dir = Path(output_dir) / "documents"
    if not docs_dir.is_dir():
        return
    for path in sorted(docs_dir.rglob("*.json")):
        yield slim_result(read_json(path))


def load_results(output_dir: Path) -> list[dict[str, Any]]:
    """Every per-document result under ``OUTPUT/documents``, slimmed (see :func:`slim_result`)."""
    return list(iter_results(output_dir))


def describe(g: nx.DiGraph) -> dict[str, Any]:
    """Counts for summaries and logs."""
    in_corpus = [v for v, a in g.nodes(data=True) if a.get("in_corpus")]
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "in_corpus": len(in_corpus),
        "external": g.number_of_nodes() - len(in_corpus),
        "metadata_matches": sum(1 for v in in_corpus if g.nodes[v].get("match_method") == "metadata"),
        "split_keys": sum(1 for v in g if "@" in v),
        "max_pagerank": max((a["pagerank"] for _, a in g.nodes(data=True)), default=0.0),
        "density": round(nx.density(g), 6) if g.number_of_nodes() > 1 else 0.0,
        "isolated": sum(1 for v in g if g.degree(v) == 0),
        "components": nx.number_weakly_connected_components(g) if g.number_of_nodes() else 0,
        "mean_degree": round(sum(d for _, d in g.degree()) / max(g.number_of_nodes(), 1), 3),
    }
