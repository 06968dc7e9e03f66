"""``graph.html``: the reference graph as one self-contained, offline page.

The page inlines its stylesheet and script (``pipeline/assets/graph.css``,
``graph.js``: a small deterministic force-directed layout on SVG, no library, no
network) and the graph as JSON. Nodes are coloured by kind; documents in the
corpus are filled, documents only cited are hollow; clicking a node shows its
kind, number, issuer, date, title, source files and the sentences that cite it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import networkx as nx

ASSETS = Path(__file__).resolve().parent / "assets"

# Attributes the page needs; the rest stays in graph.json.
NODE_FIELDS = [
    "label", "kind", "number", "issuer", "date", "title", "in_corpus", "sources", "match_method", "match_confidence",
    "in_degree", "out_degree", "cited_mentions", "pagerank", "implementation_chain",
]
EDGE_FIELDS = ["mentions", "relations", "chain", "derived", "stated_by"]
MENTION_FIELDS = ["section", "sentence", "relation", "date_inferred", "text", "span", "sentence_span"]


def page_data(g: nx.DiGraph) -> dict[str, Any]:
    """The graph as the page reads it: only the attributes it shows."""
    return {"nodes": list(_page_nodes(g)), "edges": list(_page_edges(g))}


def _page_nodes(g: nx.DiGraph) -> Iterator[dict[str, Any]]:
    for v, attrs in g.nodes(data=True):
        item = {"id": v}
        item.update({k: attrs.get(k) for k in NODE_FIELDS})
        item["label"] = item["label"] or v
        yield item


def _page_edges(g: nx.DiGraph) -> Iterator[dict[str, Any]]:
    from .graph import edge_attributes

    for u, v, attrs in g.edges(data=True):
        item = {"source": u, "target": v}
        item.update({k: attrs.get(k) for k in EDGE_FIELDS})
        mentions = edge_attributes({"mention_list": attrs.get("mention_list")})["mention_list"]
        item["mention_list"] = [{k: m.get(k) for k in MENTION_FIELDS} for m in mentions or []]
        yield item


def _script_json_chunks(g: nx.DiGraph) -> Iterator[str]:
    """``_script_json(page_data(g))`` in pieces, one node or edge at a time, so the
    payload of a large corpus is never held whole."""
    yield '{"nodes":['
    for i, item in enumerate(_page_nodes(g)):
        yield ("," if i else "") + _script_json(item)
    yield '],"edges":['
    for i, item in enumerate(_page_edges(g)):
        yield ("," if i else "") + _script_json(item)
    yield "]}"


def _script_json(obj: Any) -> str:
    """JSON safe inside a <script> element: no "</" or "<!--" can close it."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(g: nx.DiGraph, title: str = "Reference graph") -> str:
    """The page as a string."""
    head, tail = _page_frame(g, title)
    return head + "".join(_script_json_chunks(g)) + tail


def _page_frame(g: nx.DiGraph, title: str) -> tuple[str, str]:
    """The page before and after the graph's JSON."""
    css = (ASSETS / "graph.css").read_text(encoding="utf-8")
    js = (ASSETS / "graph.js").read_text(encoding="utf-8")
    in_corpus = sum(1 for _, a in g.nodes(data=True) if a.get("in_corpus"))
    stats = (
        f"{g.number_of_nodes()} documents ({in_corpus} in the corpus, "
        f"{g.number_of_nodes() - in_corpus} cited only) · {g.number_of_edges()} links"
    )
    head = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{html.escape(title)}</title>
<style>
{css}
</style>
</head>
<body>
<header>
  <h1>{html.escape(title)}</h1>
  <span class="stats" id="stats">{html.escape(stats)}</span>
  <input type="search" id="search" placeholder="Find a number, title or issuer…" aria-label="Find">
  <label><input type="checkbox" id="all-labels"> all labels</label>
</header>
<main>
  <div id="canvas">
    <svg id="graph" role="img" aria-label="{html.escape(title)}"></svg>
    <details id="legend" open><summary>Legend</summary></details>
    <div id="help">scroll to zoom · drag to pan or move a node · click a node for details</div>
  </div>
  <aside id="details" aria-live="polite"></aside>
</main>
<script id="graph-data" type="application/json">"""
    tail = f"""</script>
<script>
{js}
</script>
</body>
</html>
"""
    return head, tail


def write_graph_html(g: nx.DiGraph, path: Path, title: str = "Reference graph") -> None:
    """Write the page, streaming the graph's JSON node by node and edge by edge."""
    from .io import write_streamed

    head, tail = _page_frame(g, title)

    def write(f: BinaryIO) -> None:
        f.write(head.encode("utf-8"))
        for chunk in _script_json_chunks(g):
            f.write(chunk.encode("utf-8"))
        f.write(tail.encode("utf-8"))

    write_streamed(path, write)
