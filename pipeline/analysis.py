"""Analyses researchers ask for, on the tables of :func:`pipeline.api.load_outputs`.

- :func:`group_indicators` / :func:`target_comparison`: targets grouped by what they
  measure across documents (the share of enterprises with a collective labour
  agreement — *thỏa ước lao động tập thể* — in a Politburo resolution, the national
  union's programme and a provincial programme), words compared after underthesea
  word segmentation so "thoả ước lao động tập thể" and "thỏa ước lao động tập
  thể ký kết" meet;
- :func:`compare_with_implemented`: each target beside the targets of the same
  indicator in the documents its document implements (its implementation chain
  in the graph), by deadline;
- :func:`responsibility_matrix`: units × sections with their roles;
- :func:`deadline_timeline` and :func:`plot_deadline_timeline`.
"""

from __future__ import annotations

import functools
from typing import Optional

import pandas as pd
import regex

from .normalize import fold_tones
from .vocab import load

_PUNCT = regex.compile(r"^[\p{P}\p{S}\d]+$")


@functools.lru_cache(maxsize=None)
def _stopwords() -> frozenset[str]:
    return frozenset(w.casefold() for w in load("analysis")["indicator_stopwords"])


@functools.lru_cache(maxsize=4096)
def indicator_words(indicator: str) -> frozenset[str]:
    """Content words of an indicator, segmented by underthesea ("thỏa ước", "lao động")."""
    from underthesea import word_tokenize

    words = set()
    for token in word_tokenize(fold_tones(indicator or "")):
        w = token.casefold().strip()
        if not w or _PUNCT.match(w) or w in _stopwords():
            continue
        words.add(w)
    return frozenset(words)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine overlap of two word sets: a longer wording of the same indicator
    stays close, a short indicator inside an unrelated long one does not."""
    if not a or not b:
        return 0.0
    return len(a & b) / (len(a) * len(b)) ** 0.5


def unit_class(unit: Optional[str]) -> str:
    return "%" if unit == "%" else "count"


def scope_class(scope: Optional[str]) -> Optional[str]:
    """"state", "non_state" or None, from the scope qualifier's words."""
    if not isinstance(scope, str) or not scope:
        return None
    folded = scope.casefold()
    for cls, cues in load("analysis")["scope_classes"].items():
        if any(c.casefold() in folded for c in cues):
            return cls
    return None


def group_indicators(targets: pd.DataFrame, threshold: float = 0.6) -> pd.Series:
    """A group number for every target: same unit class, same scope class (state /
    non-state sector) and similar indicator words.

    Greedy single pass in table order; a target joins the group whose members it
    is most similar to on average, when that similarity reaches ``threshold``.
    """
    groups: list[tuple[tuple, list[frozenset[str]]]] = []
    labels = []
    scopes = targets["scope"] if "scope" in targets else [None] * len(targets)
    for indicator, unit, scope in zip(targets.get("indicator", []), targets.get("unit", []), scopes):
        words = indicator_words(str(indicator or ""))
        cls = (unit_class(unit), scope_class(scope))
        best, best_score = None, threshold
        for gi, (gcls, members) in enumerate(groups):
            if gcls != cls:
                continue
            score = sum(similarity(words, m) for m in members) / len(members)
            if score >= best_score:
                best, best_score = gi, score
        if best is None:
            groups.append((cls, [words]))
            best = len(groups) - 1
        else:
            groups[best][1].append(words)
        labels.append(best)
    return pd.Series(labels, index=targets.index, name="indicator_group", dtype="int64")


def target_comparison(outputs, threshold: float = 0.6) -> pd.DataFrame:
    """Every target with its indicator group, its document's label, kind and level.

    ``group_label`` is the shortest indicator of the group; ``documents_in_group``
    counts the documents measuring the same thing.
    """
    t = outputs.targets.copy()
    if t.empty:
        return t.assign(indicator_group=pd.Series(dtype="int64"), group_label="", document="", level=0)
    t["indicator_group"] = group_indicators(t, threshold)
    t["document"] = [outputs.document_title(n) for n in t["node_id"]]
    t["kind"] = [outputs.graph.nodes.get(n, {}).get("kind") for n in t["node_id"]]
    t["level"] = [outputs.graph.nodes.get(n, {}).get("level") for n in t["node_id"]]
    labels = t.groupby("indicator_group")["indicator"].agg(lambda s: min(s.astype(str), key=len))
    t["group_label"] = t["indicator_group"].map(labels)
    t["documents_in_group"] = t.groupby("indicator_group")["node_id"].transform("nunique")
    t["deadline"] = t["deadline"].astype("string")
    return t


def _chain(outputs, node_id: str) -> list[str]:
    chain = outputs.graph.nodes.get(node_id, {}).get("implementation_chain") or []
    if isinstance(chain, str):
        chain = [c.strip() for c in chain.split(";") if c.strip()]
    return [c for c in chain if c != node_id]


def compare_with_implemented(outputs, threshold: float = 0.6) -> pd.DataFrame:
    """Targets beside the same indicator's targets in the documents they implement.

    One row per (target, implemented document's target of the same indicator
    group); ``same_deadline`` tells whether the two are set for the same year or
    both annual, ``difference`` is local value minus implemented value.
    """
    t = target_comparison(outputs, threshold)
    cols = [
        "indicator_group", "group_label", "document", "node_id", "deadline", "value", "unit", "comparator",
        "implemented_document", "implemented_node", "implemented_deadline", "implemented_value",
        "implemented_comparator", "same_deadline", "difference", "indicator", "implemented_indicator",
    ]
    rows = []
    by_node = {n: df for n, df in t.groupby("node_id")}
    for _, row in t.iterrows():
        for ancestor in _chain(outputs, row["node_id"]):
            other = by_node.get(ancestor)
            if other is None:
                continue
            for _, o in other[other["indicator_group"] == row["indicator_group"]].iterrows():
                rows.append({
                    "indicator_group": row["indicator_group"], "group_label": row["group_label"],
                    "document": row["document"], "node_id": row["node_id"], "deadline": row["deadline"],
                    "value": row["value"], "unit": row["unit"], "comparator": row["comparator"],
                    "implemented_document": o["document"], "implemented_node": ancestor,
                    "implemented_deadline": o["deadline"], "implemented_value": o["value"],
                    "implemented_comparator": o["comparator"],
                    "same_deadline": str(row["deadline"]) == str(o["deadline"]),
                    "difference": float(row["value"]) - float(o["value"]),
                    "indicator": row["indicator"], "implemented_indicator": o["indicator"],
                })
    return pd.DataFrame(rows, columns=cols)


ROLE_MARKS = {"lead": "L", "coordinate": "C", "assigned": "A"}


def responsibility_matrix(outputs, node_id: Optional[str] = None, expanded: bool = True) -> pd.DataFrame:
    """Units × sections; a cell lists the unit's roles there (L lead, C coordinate, A assigned).

    ``node_id`` restricts to one document (sections of different documents do not
    share paths); otherwise the columns are ``document › section``.
    """
    r = outputs.responsibilities.copy()
    if node_id is not None:
        r = r[r["node_id"] == node_id]
    if r.empty:
        return pd.DataFrame()
    unit_col = "unit_expanded" if expanded and "unit_expanded" in r and r["unit_expanded"].notna().any() else "unit"
    r["unit_name"] = r[unit_col].fillna(r["unit"])
    r["task"] = r["section"].fillna("—")
    if node_id is None:
        r["task"] = [f"{outputs.document_title(n)} › {s}" for n, s in zip(r["node_id"], r["task"])]
    r["mark"] = r["role"].map(ROLE_MARKS).fillna("?")
    matrix = r.pivot_table(index="unit_name", columns="task", values="mark", aggfunc=lambda s: "".join(sorted(set(s))), fill_value="")
    matrix.index.name = "unit"
    return matrix


def deadline_timeline(outputs) -> pd.DataFrame:
    """Deadlines with parsed dates, their document and section, in time order."""
    d = outputs.deadlines.copy()
    if d.empty:
        return d
    d["end"] = pd.to_datetime(d["end"], errors="coerce")
    d["start"] = pd.to_datetime(d["start"], errors="coerce").fillna(d["end"])
    d["document"] = [outputs.document_title(n) for n in d["node_id"]]
    return d.sort_values(["end", "document", "span_start"]).reset_index(drop=True)


def plot_deadline_timeline(timeline: pd.DataFrame, ax=None):
    """Horizontal bars from start to end, one row per deadline, coloured by document."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, max(2.0, 0.35 * len(timeline) + 1)))
    docs = list(dict.fromkeys(timeline["document"]))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, row in enumerate(timeline.itertuples()):
        start, end = row.start, row.end
        width = max((end - start).days, 3)
        ax.barh(i, width, left=start, color=colours[docs.index(row.document) % len(colours)])
        ax.text(end, i, f"  {row.text} ({row.section or '—'})", va="center", fontsize=8)
    ax.set_yticks(range(len(timeline)))
    ax.set_yticklabels([d[:40] for d in timeline["document"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("date")
    return ax
