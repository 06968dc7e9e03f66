"""Score per-document outputs against gold files, by the rules of the gold guide.

``python -m pipeline eval --outputs outputs --gold ../shared/gold/dev`` (``make
eval``) pairs every ``OUTPUT/documents/<group>/<stem>.<ext>.json`` with
``GOLD/<stem>.gold.json``, scores each field per document, sums the counts over
documents (micro-average) per input format group (the first directory of the
source path: txt, docx, pdf, pdf-scanned), prints a table and writes
``OUTPUT/eval.json`` with the figures and, per document, what was missed and
what was spurious.

Matching rules (``../shared/gold/README.md``, "How output is scored"):

- sections: same ``path``; title checked on matches (first 40 characters, case-
  and space-folded);
- citations: same key after folding (case, Đ/D, spaces); mentions as mean
  absolute error and share exact; doc_type, date, issuer as accuracy on matches;
- named_citations: folded names share ≥ 80 % of their words;
- targets: same value, unit class (% or count) and deadline; comparator,
  section and indicator (≥ half of the gold indicator's words present) as
  accuracy on matches;
- deadlines: same ``end`` and overlapping texts;
- responsibilities: same role and ≥ 80 % of the gold unit's words present;
- document: each identity field compared after folding.

Pairs are assigned one-to-one, best candidate first, so a duplicate prediction
is a false positive.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Optional

import regex

from .io import write_json
from .normalize import fold_for_match, fold_tones

_WORD = regex.compile(r"[\p{L}\p{N}]+")
FIELDS = ["sections", "citations", "named_citations", "targets", "deadlines", "responsibilities"]
IDENTITY_FIELDS = ["doc_type", "number", "date", "issuer", "title"]


def words(text: Optional[str]) -> list[str]:
    return _WORD.findall(fold_for_match(text or ""))


def fold_key(key: Optional[str]) -> str:
    return regex.sub(r"\s+", "", fold_for_match(key or ""))


def fold_text(text: Optional[str]) -> str:
    return " ".join(words(text))


def share(gold: list[str], pred: list[str]) -> float:
    """Share of gold's words present in pred (multiset)."""
    if not gold:
        return 1.0 if not pred else 0.0
    pool = defaultdict(int)
    for w in pred:
        pool[w] += 1
    hit = 0
    for w in gold:
        if pool[w] > 0:
            pool[w] -= 1
            hit += 1
    return hit / len(gold)


class Counts:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.attr: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # name -> [right, total]
        self.abs_err: list[float] = []

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for k, (r, t) in other.attr.items():
            self.attr[k][0] += r
            self.attr[k][1] += t
        self.abs_err.extend(other.abs_err)

    def check(self, name: str, ok: bool) -> None:
        self.attr[name][0] += int(ok)
        self.attr[name][1] += 1

    def summary(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out: dict[str, Any] = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        for k, (right, total) in sorted(self.attr.items()):
            out[k] = round(right / total, 4) if total else None
        if self.abs_err:
            out["mentions_mae"] = round(sum(self.abs_err) / len(self.abs_err), 4)
        return out


def match_one_to_one(
    gold: list[dict], pred: list[dict], score: Callable[[dict, dict], Optional[float]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Greedy one-to-one assignment; ``score`` is None when a pair cannot match."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = score(g, p)
            if s is not None:
                candidates.append((s, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], pred[pi]))
    missed = [g for i, g in enumerate(gold) if i not in used_g]
    spurious = [p for i, p in enumerate(pred) if i not in used_p]
    return pairs, missed, spurious


def _title40(text: Optional[str]) -> str:
    # Tone placement folded too: the text is normalised to one convention
    # ("ủy"), gold keeps the document's own ("uỷ").
    return regex.sub(r"\s+", "", fold_tones(unicodedata.normalize("NFC", text or "")).casefold())[:40]


def _fold_field(value: Any) -> Any:
    if value is None or isinstance(value, (int, float)):
        return value
    return fold_text(str(value))


def score_sections(gold: list[dict], pred: list[dict], c: Counts):
    pairs, missed, spurious = match_one_to_one(gold, pred, lambda g, p: 1.0 if g["path"] == p.get("path") else None)
    for g, p in pairs:
        c.check("title", _title40(g.get("title")) == _title40(p.get("title")))
    return pairs, missed, spurious


def score_citations(gold: list[dict], pred: list[dict], c: Counts):
    pairs, missed, spurious = match_one_to_one(gold, pred, lambda g, p: 1.0 if fold_key(g["key"]) == fold_key(p.get("key")) else None)
    for g, p in pairs:
        gm, pm = g.get("mentions") or 0, p.get("mentions") or 0
        c.abs_err.append(abs(gm - pm))
        c.check("mentions_exact", gm == pm)
        c.check("doc_type", _fold_field(g.get("doc_type")) == _fold_field(p.get("doc_type")))
        c.check("date", g.get("date") == p.get("date"))
        c.check("issuer", _fold_field(g.get("issuer")) == _fold_field(p.get("issuer")))
    return pairs, missed, spurious


def score_named(gold: list[dict], pred: list[dict], c: Counts):
    def score(g: dict, p: dict) -> Optional[float]:
        gw, pw = words(g.get("name")), words(p.get("name"))
        s = min(share(gw, pw), share(pw, gw))
        return s if s >= 0.8 else None

    return match_one_to_one(gold, pred, score)


def unit_class(unit: Optional[str]) -> str:
    return "%" if (unit or "").strip() == "%" else "count"


def _same_number(a: Any, b: Any) -> bool:
    try:
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def score_targets(gold: list[dict], pred: list[dict], c: Counts):
    def score(g: dict, p: dict) -> Optional[float]:
        if not _same_number(g.get("value"), p.get("value")):
            return None
        if unit_class(g.get("unit")) != unit_class(p.get("unit")):
            return None
        if str(g.get("deadline")) != str(p.get("deadline")):
            return None
        # Prefer the pairing that also agrees on section and indicator.
        return 1.0 + (g.get("section") == p.get("section")) + share(words(g.get("indicator")), words(p.get("indicator")))

    pairs, missed, spurious = match_one_to_one(gold, pred, score)
    for g, p in pairs:
        c.check("comparator", g.get("comparator") == p.get("comparator"))
        c.check("section", g.get("section") == p.get("section"))
        c.check("indicator", share(words(g.get("indicator")), words(p.get("indicator"))) >= 0.5)
    return pairs, missed, spurious


def texts_overlap(a: Optional[str], b: Optional[str]) -> bool:
    fa, fb = fold_text(a), fold_text(b)
    if not fa or not fb:
        return False
    if fa in fb or fb in fa:
        return True
    wa, wb = set(fa.split()), set(fb.split())
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.5


def score_deadlines(gold: list[dict], pred: list[dict], c: Counts):
    def score(g: dict, p: dict) -> Optional[float]:
        if g.get("end") != p.get("end") or not texts_overlap(g.get("text"), p.get("text")):
            return None
        return 1.0 + (g.get("section") == p.get("section"))

    pairs, missed, spurious = match_one_to_one(gold, pred, score)
    for g, p in pairs:
        c.check("kind", g.get("kind") == p.get("kind"))
        c.check("start", g.get("start") == p.get("start"))
        c.check("section", g.get("section") == p.get("section"))
    return pairs, missed, spurious


def score_responsibilities(gold: list[dict], pred: list[dict], c: Counts):
    def score(g: dict, p: dict) -> Optional[float]:
        if g.get("role") != p.get("role"):
            return None
        s = share(words(g.get("unit")), words(p.get("unit")))
        if s < 0.8:
            return None
        return s + (g.get("section") == p.get("section"))

    pairs, missed, spurious = match_one_to_one(gold, pred, score)
    for g, p in pairs:
        c.check("section", g.get("section") == p.get("section"))
    return pairs, missed, spurious


SCORERS = {
    "sections": score_sections,
    "citations": score_citations,
    "named_citations": score_named,
    "targets": score_targets,
    "deadlines": score_deadlines,
    "responsibilities": score_responsibilities,
}

# What a missed/spurious record is shown as in eval.json.
_SHOW = {
    "sections": ("path", "title"),
    "citations": ("key", "mentions", "doc_type", "date", "issuer"),
    "named_citations": ("name",),
    "targets": ("value", "unit", "comparator", "deadline", "section", "indicator"),
    "deadlines": ("text", "kind", "start", "end", "section"),
    "responsibilities": ("unit", "role", "section"),
}


def _show(field: str, record: dict) -> dict:
    return {k: record.get(k) for k in _SHOW[field]}


def score_document(gold: dict, pred: dict) -> tuple[dict[str, Counts], dict[str, Any]]:
    counts: dict[str, Counts] = {}
    details: dict[str, Any] = {}
    for field in FIELDS:
        c = Counts()
        pairs, missed, spurious = SCORERS[field](gold.get(field) or [], pred.get(field) or [], c)
        c.tp, c.fn, c.fp = len(pairs), len(missed), len(spurious)
        counts[field] = c
        details[field] = {"missed": [_show(field, m) for m in missed], "spurious": [_show(field, s) for s in spurious]}
    ident = Counts()
    gdoc, pdoc = gold.get("document") or {}, pred.get("document") or {}
    wrong = {}
    for name in IDENTITY_FIELDS:
        g, p = gdoc.get(name), pdoc.get(name)
        ok = fold_key(g) == fold_key(p) if name == "number" else _fold_field(g) == _fold_field(p)
        ident.check(name, ok)
        if not ok:
            wrong[name] = {"gold": g, "pred": p}
    counts["document"] = ident
    details["document"] = wrong
    return counts, details


def gold_stem(source: str) -> str:
    return Path(source).name.split(".")[0]


def format_group(result: dict) -> str:
    parts = Path(result.get("source") or "").parts
    return parts[0] if len(parts) > 1 else (result.get("format") or "unknown")


def iter_outputs(output_dir: Path):
    for path in sorted((output_dir / "documents").rglob("*.json")):
        with open(path, encoding="utf-8") as fh:
            yield path, json.load(fh)


def evaluate(output_dir: str | Path, gold_dir: str | Path) -> dict[str, Any]:
    output_dir, gold_dir = Path(output_dir), Path(gold_dir)
    golds = {p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.gold.json"))}
    if not golds:
        raise SystemExit(f"no *.gold.json files in {gold_dir}")
    groups: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    documents: dict[str, Any] = {}
    for _, result in iter_outputs(output_dir):
        stem = gold_stem(result.get("source", ""))
        if stem not in golds:
            continue
        group = format_group(result)
        if result.get("error"):
            documents[result["source"]] = {"error": result["error"]}
            pred: dict = {}
        else:
            pred = result
        counts, details = score_document(golds[stem], pred)
        for field, c in counts.items():
            groups[group][field].add(c)
            groups["all"][field].add(c)
        documents.setdefault(result["source"], {}).update(
            {"group": group, "scores": {f: c.summary() for f, c in counts.items()}, "details": details}
        )
    report = {
        "gold": str(gold_dir),
        "outputs": str(output_dir),
        "formats": {g: {f: c.summary() for f, c in fields.items()} for g, fields in sorted(groups.items())},
        "documents": documents,
    }
    return report


def format_table(report: dict[str, Any]) -> str:
    groups = [g for g in report["formats"] if g != "all"] + (["all"] if "all" in report["formats"] else [])
    rows = []
    header = ["field", "measure"] + groups
    spec = [
        ("sections", ["f1", "title"]),
        ("citations", ["f1", "doc_type", "date", "issuer", "mentions_exact", "mentions_mae"]),
        ("named_citations", ["f1"]),
        ("targets", ["f1", "comparator", "section", "indicator"]),
        ("deadlines", ["f1", "kind", "section"]),
        ("responsibilities", ["f1", "section"]),
        ("document", IDENTITY_FIELDS),
    ]
    for field, measures in spec:
        for m in measures:
            row = [field, m]
            for g in groups:
                v = report["formats"][g].get(field, {}).get(m)
                row.append("-" if v is None else f"{v:.3f}")
            rows.append(row)
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).ljust(w) for v, w in zip(r, widths))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main(output_dir: str, gold_dir: str) -> dict[str, Any]:
    report = evaluate(output_dir, gold_dir)
    write_json(Path(output_dir) / "eval.json", report)
    print(format_table(report))
    print(f"\nper-document misses and spurious records: {Path(output_dir) / 'eval.json'}")
    return report
