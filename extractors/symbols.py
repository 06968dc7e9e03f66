"""Finding and canonicalising số ký hiệu (the number-and-symbol of a document).

Vietnamese documents are identified by a *số ký hiệu* written in one of two forms:

- Party form (Hướng dẫn 36-HD/VPTW): ``number-KIND/BODY`` — ``02-NQ/TW``,
  ``08-QĐi/TW``, ``253-KH/TU``, ``25-BS/VPTU``;
- state form (Nghị định 30/2020/NĐ-CP), also used by the trade unions:
  ``number[/year]/KIND-BODY[-UNIT]`` — ``1729/QĐ-TTg``, ``191/2013/NĐ-CP``,
  ``02/CTr-BCH``, ``10b/NQ-BCH``; laws ``12/2012/QH13``; a công văn (official
  letter) has no kind: ``11299/VPCP-KGVX``.

The *canonical key* is the official form: no spaces, ``-`` and ``/`` where the
form puts them, abbreviations in their official case (``CTr``, ``QĐi``, ``TTg``)
and with ``Đ`` where a print or OCR wrote ``D`` (``LĐLD`` → ``LĐLĐ``). Printed
variants — spaces or an en dash around the separators (``23 – NQ/TW``), ``TƯ``
for ``TW``, a number glued to ``số`` (``số31-QĐ/TW``), a dropped hyphen
(``NĐCP``), capitals in an upper-case heading (``399/CTR-TLĐ``) — give the same key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

import regex

from pipeline import vocab

# A code inside a symbol: an upper-case letter, then letters or "&" (SGD&ĐT), then
# an optional term number (QH13, UBTVQH15). Case is validated afterwards, so
# "CTR" in an upper-case heading and "CTr" in running text both match.
_CODE = r"\p{Lu}[\p{L}&]{0,15}\d{0,2}"
_NUMBER = r"\d{1,5}[a-zđ]?"
_HYPHEN = r"[ \t]{0,2}[-–—][ \t]{0,2}"
_SLASH = r"[ \t]{0,2}/[ \t]{0,2}"

# Not inside a longer token: a number glued to a word is taken only after "số"
# ("số31-QĐ/TW"); a number after "/" "." "," "-" belongs to something else, and
# one after "85:" is the year of a technical standard (QCVN 85:2025/BNNMT).
_LEFT = r"(?:(?<=\b[sS][ốỐ])|(?<![\p{L}\p{N}/.,\-–—]))(?<!\d:)"

SYMBOL_RE = regex.compile(
    _LEFT
    + r"(?:"
    # Party form: 02-NQ/TW; "03-CT" without a body is kept for completion.
    + rf"(?P<pnum>{_NUMBER})(?:{_HYPHEN}|(?=\p{{Lu}}))(?P<pkind>{_CODE})(?:{_SLASH}(?P<pbody>{_CODE}(?:[-–—]{_CODE}){{0,3}}))?"
    + r"|"
    # State form: 1729/QĐ-TTg, 191/2013/NĐ-CP, 12/2012/QH13, 02/CTr-BCH.
    + rf"(?P<snum>{_NUMBER})(?:{_SLASH}(?P<year>(?:19|20)\d\d))?{_SLASH}(?P<sparts>{_CODE}(?:{_HYPHEN}{_CODE}){{0,4}})"
    + r")"
    + r"(?![\p{L}\p{N}])"
)
_PART_SPLIT = regex.compile(_HYPHEN)
_BODY_SPLIT = regex.compile(r"[-–—]")
_TERM_CODE = regex.compile(r"^(?P<code>\p{L}+?)(?P<term>\d{1,2})$")


@dataclass(frozen=True)
class Symbol:
    """One số ký hiệu as printed at ``start:end`` and its canonical ``key``."""

    start: int
    end: int
    text: str
    key: str
    number: str
    kind: Optional[str]  # canonical kind abbreviation ("NQ", "CTr"), None for a công văn
    body: Optional[str]  # canonical body part ("TW", "BCH", "QH13", "VPCP-KGVX")
    form: str  # "party" | "state"
    year: Optional[str] = None

    @property
    def complete(self) -> bool:
        """False for a Party symbol printed without its body ("03-CT")."""
        return self.body is not None

    def with_body(self, body: str) -> "Symbol":
        return Symbol(self.start, self.end, self.text, f"{self.number}-{self.kind}/{body}", self.number, self.kind, body, self.form, self.year)


def _fold(code: str) -> str:
    return code.upper().replace("Đ", "D")


@functools.lru_cache(maxsize=None)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], frozenset[str], frozenset[str]]:
    """(exact, upper, folded) → canonical code maps; kind codes; term codes."""
    exact: dict[str, str] = {}
    kinds: set[str] = set()
    terms: set[str] = set()
    for kind in vocab.load("doc_kinds")["kinds"]:
        for sym in kind.get("symbols") or []:
            exact[sym] = sym
            kinds.add(sym)
    for entry in vocab.load("issuers")["codes"]:
        code = entry["code"]
        exact[code] = code
        for alias in entry.get("aliases") or []:
            exact[alias] = code
        if entry.get("term"):
            terms.add(code)
    upper: dict[str, str] = {}
    folded: dict[str, str] = {}
    # Exact upper-case spellings first, so "HD" (Hướng dẫn) and "HĐ" (Hợp đồng)
    # stay apart; the D/Đ fold only decides where no exact spelling exists.
    for form, canon in exact.items():
        upper.setdefault(form.upper(), canon)
    for form, canon in exact.items():
        folded.setdefault(_fold(form), canon)
    return exact, upper, folded, frozenset(kinds), frozenset(terms)


# Codes recur (NQ, TW, QĐ, CP …): the lookups are pure, so they are cached.
@functools.lru_cache(maxsize=1 << 12)
def canonical_code(token: str) -> Optional[str]:
    """The official spelling of one symbol code, or None when it is not a code.

    Known codes are matched exactly, then in capitals, then with D for Đ. An
    unknown code is kept as printed when it is all capitals (a unit's own
    abbreviation, "KGVX"); a mixed-case word ("Part") is not a code.
    """
    exact, upper, folded, _, terms = _tables()
    if token in exact:
        return exact[token]
    if token.upper() in upper:
        return upper[token.upper()]
    if _fold(token) in folded:
        return folded[_fold(token)]
    m = _TERM_CODE.match(token)
    if m:
        head = canonical_code(m.group("code"))
        if head in terms:
            return head + m.group("term")
    if token == token.upper() and any(c.isalpha() for c in token):
        return token
    return None


@functools.lru_cache(maxsize=1 << 12)
def is_known(code: str) -> bool:
    exact, upper, folded, _, _ = _tables()
    m = _TERM_CODE.match(code)
    return code in exact or code.upper() in upper or _fold(code) in folded or bool(m and canonical_code(m.group("code")) in _tables()[4])


def is_kind(code: Optional[str]) -> bool:
    return code is not None and code in _tables()[3]


def _split_glued(token: str) -> Optional[list[str]]:
    """``NĐCP`` → ``["NĐ", "CP"]``: a kind and a body printed without the hyphen."""
    glued = _glued_parts(token)
    return list(glued) if glued else None


@functools.lru_cache(maxsize=1 << 12)
def _glued_parts(token: str) -> Optional[tuple[str, str]]:
    if is_known(token):
        return None
    for i in range(2, len(token) - 1):
        head, tail = token[:i], token[i:]
        kind = canonical_code(head)
        if is_kind(kind) and is_known(head) and is_known(tail):
            return kind, canonical_code(tail)  # type: ignore[return-value]
    return None


def _state_parts(raw: str) -> Optional[list[str]]:
    parts: list[str] = []
    for i, token in enumerate(_PART_SPLIT.split(raw)):
        glued = _split_glued(token) if i == 0 else None
        if glued:
            parts.extend(glued)
            continue
        code = canonical_code(token)
        if code is None:
            break  # a trailing word after a spaced dash is not part of the symbol
        parts.append(code)
    return parts or None


def find_symbols(text: str, start: int = 0, end: Optional[int] = None) -> list[Symbol]:
    """Every số ký hiệu in ``text[start:end]``, canonicalised, in text order."""
    out: list[Symbol] = []
    for m in SYMBOL_RE.finditer(text, start, len(text) if end is None else end):
        sym = _from_match(m)
        if sym is not None:
            out.append(sym)
    return out


def _from_match(m: regex.Match) -> Optional[Symbol]:
    if m.group("pnum"):
        number = m.group("pnum").lower()
        kind_raw = m.group("pkind")
        kind = canonical_code(kind_raw)
        body_raw = m.group("pbody")
        body = None
        if body_raw:
            codes = [canonical_code(t) for t in _BODY_SPLIT.split(body_raw)]
            if any(c is None for c in codes):
                return None
            body = "-".join(codes)  # type: ignore[arg-type]
        if kind is None or not (is_kind(kind) or (body and is_known(body.split("-")[0]))):
            return None
        if body is None and not is_kind(kind):
            return None
        key = f"{number}-{kind}/{body}" if body else f"{number}-{kind}"
        return Symbol(m.start(), m.end(), m.group(0), key, number, kind, body, "party")
    number = m.group("snum").lower()
    raw_parts = m.group("sparts")
    raw_tokens = _PART_SPLIT.split(raw_parts)
    parts = _state_parts(raw_parts)
    if not parts:
        return None
    kind: Optional[str]
    term = _TERM_CODE.match(parts[0])
    if is_kind(parts[0]):
        kind, body = parts[0], "-".join(parts[1:])
        if not body:
            return None  # "5/NQ" names no issuer: a ratio or a label, not a symbol
    elif term and canonical_code(term.group("code")) in _tables()[4]:
        kind, body = term.group("code"), "-".join(parts)  # 12/2012/QH13: a law of the Quốc hội
    else:
        kind, body = None, "-".join(parts)  # a công văn: 11299/VPCP-KGVX
        if len(parts) < 2 and not is_known(parts[0]):
            return None  # "12/ABC": an unknown lone word is no symbol
    # Drop trailing words a spaced dash let in ("02/CTr-BCH - Part").
    kept_tokens = len(parts) - (1 if _split_glued(raw_tokens[0]) else 0)
    end = m.end()
    if kept_tokens < len(raw_tokens):
        pieces = list(_PART_SPLIT.finditer(raw_parts))
        end = m.start("sparts") + pieces[kept_tokens - 1].start()
    year = m.group("year")
    key = "/".join([number] + ([year] if year else []) + ["-".join(parts)])
    return Symbol(m.start(), end, m.string[m.start():end], key, number, kind, body, "state", year)
