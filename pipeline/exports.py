"""Corpus-level files: the graph in four formats and the tables.

Graph: ``graph.graphml`` and ``graph.gexf`` (Gephi; every attribute a scalar:
lists joined with "; ", records as JSON), node-link ``graph.json`` (full
attributes) and ``nodes.csv`` / ``edges.csv``.

Tables, one row per record with the source file and the graph node of its
document: ``documents``, ``sections``, ``citations`` (one row per occurrence,
with the node it resolves to), ``named_citations``, ``targets``, ``deadlines``,
``responsibilities``. Each as CSV (UTF-8 with BOM, so Excel shows Vietnamese)
and Parquet, and all together as sheets of ``tables.xlsx``.

Every file is written atomically (:func:`pipeline.io.write_atomic`).
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import tempfile
import zipfile
from pathlib import Path
from contextlib import contextmanager
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional

import networkx as nx
import pandas as pd

from .graph import Corpus, StoredMentions, edge_attributes
from .io import loads_json, write_streamed

TABLES = ["documents", "sections", "citations", "named_citations", "targets", "deadlines", "responsibilities"]
LIST_SEPARATOR = "; "

# Node and edge attributes written to every graph file, in this order.
NODE_COLUMNS = [
    "id", "label", "kind", "number", "issuer", "date", "title", "in_corpus", "sources", "match_method",
    "match_confidence", "number_stated", "in_degree", "out_degree", "cited_mentions", "pagerank", "level",
    "implementation_chain", "implementation_root", "implements", "date_inferred_mentions",
]
EDGE_COLUMNS = [
    "source_node", "target_node", "mentions", "relations", "chain", "derived", "stated_by", "sections",
    "sentences", "source",
]


# ---------------------------------------------------------------- scalar attributes


def scalar(value: Any) -> Any:
    """An attribute value GEXF/GraphML/CSV can hold: lists of scalars joined with
    "; ", records and lists of records as JSON, None as ""."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) or v is None for v in value):
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def scalar_graph(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` whose every node and edge has every attribute, as a scalar.

    Missing attributes are filled with a value of the attribute's type ("", 0,
    False), so GraphML declares one type per key and every element carries it.
    """
    h, edge_data = scalar_nodes(g)
    for u, v in g.edges():
        h.edges[u, v].update(edge_data(u, v))
    return h


EdgeData = Callable[[Any, Any], dict[str, Any]]


def scalar_nodes(g: nx.DiGraph) -> tuple[nx.DiGraph, EdgeData]:
    """:func:`scalar_graph` with its edges bare, and the function that gives an
    edge's attributes as :func:`scalar_graph` holds them, made when asked.

    The edges' attributes (mention lists as JSON) are most of a scalar graph:
    the writers render one edge at a time, so only one edge's are in memory.
    """
    nodes = [(v, _scalars(attrs)) for v, attrs in g.nodes(data=True)]
    node_keys = _attribute_types(a for _, a in nodes)
    h = nx.DiGraph()
    h.graph.update({k: scalar(v) for k, v in g.graph.items()})
    for v, attrs in nodes:
        h.add_node(v, **{k: _filled(attrs.get(k), t) for k, t in node_keys.items()})
    del nodes
    edge_keys = _attribute_types(_scalar_types(attrs) for _, _, attrs in g.edges(data=True))
    h.add_edges_from(g.edges())
    edges = g.edges

    def edge_data(u: Any, v: Any) -> dict[str, Any]:
        attrs = _scalars(edge_attributes(edges[u, v]))
        return {k: _filled(attrs.get(k), t) for k, t in edge_keys.items()}

    return h, edge_data


def _scalar_types(attrs: dict[str, Any]) -> dict[str, Any]:
    """Stand-ins of the attributes' :func:`scalar` values with the same types
    (what :func:`_attribute_types` needs), without rendering lists and records."""
    return {k: v if v is None or isinstance(v, (bool, int, float, str)) else "" for k, v in attrs.items()}


def with_edge_data(h: nx.DiGraph, edge_data: Optional[EdgeData]) -> nx.DiGraph:
    """``h`` with every edge's attributes (a copy when they come from ``edge_data``)."""
    if edge_data is None:
        return h
    full = nx.DiGraph()
    full.graph.update(h.graph)
    full.add_nodes_from(h.nodes(data=True))
    full.add_edges_from((u, v, edge_data(u, v)) for u, v in h.edges())
    return full


def _scalars(attrs: dict[str, Any]) -> dict[str, Any]:
    """Each attribute as :func:`scalar` makes it, None kept as None (made once: the
    attribute types and the filled values both need it)."""
    return {k: None if v is None else scalar(v) for k, v in attrs.items()}


def _attribute_types(items: Iterable[dict[str, Any]]) -> dict[str, type]:
    """One type per attribute (values already scalar): bool, int or float where
    every value is one, else str."""
    seen: dict[str, set[type]] = {}
    for attrs in items:
        for k, v in attrs.items():
            kinds = seen.setdefault(k, set())
            if v is not None:
                kinds.add(type(v))
    types: dict[str, type] = {}
    for k, kinds in seen.items():
        if kinds == {bool}:
            types[k] = bool
        elif kinds == {int}:
            types[k] = int
        elif kinds and kinds <= {int, float}:
            types[k] = float
        else:
            types[k] = str
    return types


def _filled(value: Any, t: type) -> Any:
    """A scalar value (see :func:`_scalars`) of the attribute's type."""
    if value is None:
        return {str: "", int: 0, float: 0.0, bool: False}.get(t, "")
    if t is str:
        return str(value)
    if t is float:
        return float(value)
    return value


# ---------------------------------------------------------------- graph files


def graph_files(g: nx.DiGraph) -> dict[str, bytes]:
    """The graph files' contents by file name."""
    return dict(iter_graph_files(g))


def iter_graph_files(g: nx.DiGraph) -> Iterator[tuple[str, bytes]]:
    """(file name, contents) of each graph file, made one at a time."""
    for name, write in _graph_writers(g):
        buf = io.BytesIO()
        write(buf)
        yield name, buf.getvalue()


GRAPH_FILES = ["graph.graphml", "graph.gexf", "graph.json", "nodes.csv", "edges.csv"]


def _graph_writers(g: nx.DiGraph) -> Iterator[tuple[str, Callable[[BinaryIO], None]]]:
    """(file name, function writing it to a binary file) for each graph file, in
    ``GRAPH_FILES`` order; each streams as much as its format's writer allows.

    Call each function before asking for the next: the scalar graph of GraphML is
    relabelled for GEXF, then dropped before graph.json so that the two graphs
    are never in memory together (a generator, so that order is the only one)."""
    h, edge_data = scalar_nodes(g)
    yield "graph.graphml", lambda f: write_graphml(h, f, edge_data)
    for v in h:  # GEXF shows the label attribute: never empty
        h.nodes[v]["label"] = str(g.nodes[v].get("label") or v)
    yield "graph.gexf", lambda f: write_gexf(h, f, edge_data)
    del h, edge_data
    yield "graph.json", lambda f: _write_json(f, _node_link_stream(g))
    yield "nodes.csv", lambda f: write_csv(f, nodes_frame(g))
    yield "edges.csv", lambda f: write_edges_csv(f, g)


def write_graphml(h: nx.DiGraph, f: BinaryIO, edge_data: Optional[EdgeData] = None) -> None:
    """``h`` (a :func:`scalar_graph`) as GraphML, byte for byte what
    ``"\\n".join(nx.generate_graphml(h, encoding="utf-8", prettyprint=True))`` gives,
    one node or edge at a time.

    networkx builds the whole document as one element tree (several times the
    file's size in memory). Here the keys and the closing part come from
    networkx run on a skeleton (the graph's attributes, its first node and its
    first edge: every node and edge of a scalar graph has the same attributes in
    the same order, so the keys are the same), and each node and edge is
    rendered alone by :func:`_graphml_element`, indented as inside the document.
    With ``edge_data`` (see :func:`scalar_nodes`) the edges of ``h`` are bare and
    their attributes come from it.
    """
    data_of = edge_data or (lambda u, v: h.edges[u, v])
    skeleton = _skeleton(h, data_of)
    if len(skeleton) == len(h) and skeleton.number_of_edges() == h.number_of_edges():
        _write_lines(f, nx.generate_graphml(with_edge_data(h, edge_data), encoding="utf-8", prettyprint=True))
        return
    writer = nx.readwrite.graphml.GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(skeleton)
    key_ids = {(name, scope): key for (name, _, scope), key in writer.keys.items()}

    def element(tag: str, data: dict[str, Any], tail: str, attrs: dict[str, str]) -> str:
        return _graphml_element(tag, attrs, [(key_ids[(str(k), tag)], str(v)) for k, v in data.items()], tail)

    items = itertools.chain(
        (("node", data, {"id": str(v)}) for v, data in h.nodes(data=True)),
        (("edge", data_of(u, v), {"source": str(u), "target": str(v)}) for u, v in h.edges()))
    text = str(writer)
    first_node, first_data = next(iter(h.nodes(data=True)))
    first = _ascii(element("node", first_data, "", {"id": str(first_node)}))
    s_nodes = list(skeleton.nodes(data=True))
    s_edges = list(skeleton.edges(data=True))
    last_in_skeleton = _ascii(
        element("edge", s_edges[-1][2], "", {"source": str(s_edges[-1][0]), "target": str(s_edges[-1][1])})
        if s_edges else element("node", s_nodes[-1][1], "", {"id": str(s_nodes[-1][0])}))
    f.write(_lines(text[: text.index(first)]))
    last = len(h) + h.number_of_edges() - 1
    for i, (tag, data, attrs) in enumerate(items):
        f.write(_element_bytes(element(tag, data, "" if i == last else "\n    ", attrs)))
    f.write(_lines(text[text.rindex(last_in_skeleton) + len(last_in_skeleton):]))


def _skeleton(h: nx.DiGraph, data_of: EdgeData) -> nx.DiGraph:
    """The graph's attributes, its first node and its first edge (with its ends)."""
    skeleton = nx.DiGraph()
    skeleton.graph.update(h.graph)
    for v, data in itertools.islice(h.nodes(data=True), 1):
        skeleton.add_node(v, **data)
    for u, v in itertools.islice(h.edges(), 1):
        skeleton.add_node(u, **h.nodes[u])
        skeleton.add_node(v, **h.nodes[v])
        skeleton.add_edge(u, v, **data_of(u, v))
    return skeleton


# ---------------------------------------------------------------- XML elements, rendered directly
#
# ElementTree spends ~1 ms on one node with its twenty attributes; these render
# the same text with string operations: attribute values and text escaped as
# ElementTree escapes them, networkx's pretty-print indentation, every
# non-ASCII character as a character reference (ElementTree's ``tostring``
# writes US-ASCII) and the lines joined with "\n" as networkx's generators give them.

_LINE_BREAKS = re.compile(r"[\r\x0b\x0c\x1c\x1d\x1e]")  # what str.splitlines splits on, in ASCII, besides \n


_CDATA_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))  # "&" first
_ATTR_ESCAPES = _CDATA_ESCAPES + (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, entity in escapes:
        if char in text:  # the test is cheaper than a replace that changes nothing
            text = text.replace(char, entity)
    return text


def _cdata(text: str) -> str:
    return _escape(text, _CDATA_ESCAPES)


def _attr(text: str) -> str:
    return _escape(text, _ATTR_ESCAPES)


def _ascii(text: str) -> str:
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _element_bytes(text: str) -> bytes:
    """An element's text as the file holds it (see the comment above)."""
    data = text.encode("ascii", "xmlcharrefreplace")
    if _LINE_BREAKS.search(text):
        data = "\n".join(data.decode("ascii").splitlines()).encode("ascii")
    return data


def _open_tag(tag: str, attrs: dict[str, str]) -> str:
    return "<" + tag + "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())


def _graphml_element(tag: str, attrs: dict[str, str], data: list[tuple[str, str]], tail: str) -> str:
    """A GraphML node or edge with its ``(key id, value)`` data, indented at level 2."""
    head = _open_tag(tag, attrs)
    if not data:
        return head + " />" + tail
    children = "\n      ".join(
        f'<data key="{_attr(key)}">{_cdata(value)}</data>' if value else f'<data key="{_attr(key)}" />'
        for key, value in data
    )
    return head + ">\n      " + children + "\n    </" + tag + ">" + tail


def _gexf_element(tag: str, attrs: dict[str, str], values: list[tuple[str, str]]) -> str:
    """A GEXF node or edge with its ``(attribute id, value)`` attvalues, indented at level 3."""
    head = _open_tag(tag, attrs)
    if not values:
        return head + " />"
    rows = "\n          ".join(f'<attvalue for="{_attr(i)}" value="{_attr(v)}" />' for i, v in values)
    return head + ">\n        <attvalues>\n          " + rows + "\n        </attvalues>\n      </" + tag + ">"


_GEXF_FLOATS = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}
# attributes networkx's GEXF writer treats specially: a graph with them is written by networkx
_GEXF_NODE_SPECIAL = frozenset({"id", "pid", "start", "end", "parents", "spells", "slices", "viz"})
_GEXF_EDGE_SPECIAL = frozenset({"id", "label", "weight", "type", "start", "end", "spells", "slices", "viz"})


def _gexf_value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    s = str(v)
    return _GEXF_FLOATS.get(s, s) if type(v) is float else s


def _lines(text: str) -> bytes:
    """As networkx's generators give it: lines joined with "\\n"."""
    return "\n".join(text.splitlines()).encode("utf-8")


def write_gexf(h: nx.DiGraph, f: BinaryIO, edge_data: Optional[EdgeData] = None) -> None:
    """``h`` as GEXF, byte for byte what ``"\\n".join(nx.generate_gexf(h,
    encoding="utf-8", prettyprint=True))`` gives, one node or edge at a time (see
    :func:`write_graphml`): the head, the attribute ids and the trailer come from
    networkx's writer run on the skeleton, each element from :func:`_gexf_element`;
    ``edge_data`` as for :func:`write_graphml`."""
    data_of = edge_data or (lambda u, v: h.edges[u, v])
    skeleton = _skeleton(h, data_of)
    node_keys = set().union(*(d.keys() for _, d in skeleton.nodes(data=True)))
    edge_keys = set().union(*(d.keys() for _, _, d in skeleton.edges(data=True)))
    if (h.number_of_edges() == 0 or (len(skeleton) == len(h) and skeleton.number_of_edges() == h.number_of_edges())
            or node_keys & _GEXF_NODE_SPECIAL or edge_keys & _GEXF_EDGE_SPECIAL):
        _write_lines(f, nx.generate_gexf(with_edge_data(h, edge_data), encoding="utf-8", prettyprint=True))
        return
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(skeleton)
    text = str(writer)
    ids = {scope: writer.attr[scope]["static"] for scope in ("node", "edge")}

    def values(scope: str, data: dict[str, Any]) -> list[tuple[str, str]]:
        return [(ids[scope]["networkx_key" if k == "key" else str(k)], _gexf_value(v)) for k, v in data.items()]

    def node(v: Any, data: dict[str, Any]) -> str:
        rest = {k: x for k, x in data.items() if k != "label"}
        return _gexf_element("node", {"id": str(v), "label": str(data.get("label", v))}, values("node", rest))

    def edge(i: int, u: Any, v: Any, data: dict[str, Any]) -> str:
        return _gexf_element("edge", {"source": str(u), "target": str(v), "id": str(i)}, values("edge", data))

    s_nodes = list(skeleton.nodes(data=True))
    (su, sv, sdata), = skeleton.edges(data=True)
    first_node, last_node = _ascii(node(*s_nodes[0])), _ascii(node(*s_nodes[-1]))
    the_edge = _ascii(edge(0, su, sv, sdata))
    head_end = text.index(first_node)
    middle_start = text.index(last_node, head_end) + len(last_node)
    middle_end = text.index(the_edge, middle_start)
    trailer_start = middle_end + len(the_edge)
    inner = "\n      "
    f.write(_lines(text[:head_end]))
    n = len(h)
    for i, (v, data) in enumerate(h.nodes(data=True)):
        f.write(_element_bytes(node(v, data) + (inner if i < n - 1 else "")))
    f.write(_lines(text[middle_start:middle_end]))
    m = h.number_of_edges()
    for i, (u, v) in enumerate(h.edges()):
        f.write(_element_bytes(edge(i, u, v, data_of(u, v)) + (inner if i < m - 1 else "")))
    f.write(_lines(text[trailer_start:]))


def _write_lines(f: BinaryIO, lines: Iterable[str]) -> None:
    """Lines joined with newlines, as ``"\\n".join(lines)`` would give, without the copy."""
    first = True
    for line in lines:
        if not first:
            f.write(b"\n")
        f.write(line.encode("utf-8"))
        first = False


def _write_json(f: BinaryIO, obj: Any) -> None:
    """``json.dumps(obj, ensure_ascii=False, indent=1)``, encoded piece by piece.

    With an indent the json module falls back to its pure-Python encoder (a
    generator call per value); :func:`_json_indented` renders the same text
    with one string join per container, and the top two levels (the node and
    edge lists) are written an item at a time.
    """
    for piece in _json_pieces(obj, 0):
        f.write(piece.encode("utf-8"))


_encode_json_str = json.encoder.encode_basestring  # the C function when available


def _json_scalar(obj: Any) -> Optional[str]:
    """A JSON scalar as json.dumps writes it, None if ``obj`` is a container."""
    if isinstance(obj, str):
        return _encode_json_str(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, int):
        return int.__repr__(obj)
    if isinstance(obj, float):
        if obj != obj:
            return "NaN"
        if obj in (math.inf, -math.inf):
            return "Infinity" if obj > 0 else "-Infinity"
        return float.__repr__(obj)
    return None


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return _encode_json_str(key)
    text = _json_scalar(key)
    if text is None:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return text if text.startswith('"') else _encode_json_str(text)


def _json_indented(obj: Any, depth: int) -> str:
    """``obj`` as ``json.dumps(obj, ensure_ascii=False, indent=1)`` writes it at ``depth``."""
    if isinstance(obj, StoredMentions):  # an edge's mentions, read from disk as the edge is written
        obj = obj.materialize()
    elif isinstance(obj, _Items):
        obj = list(obj)
    text = _json_scalar(obj)
    if text is not None:
        return text
    pad = "\n" + " " * (depth + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        return ("{" + pad + ("," + pad).join(_json_key(k) + ": " + _json_indented(v, depth + 1) for k, v in obj.items())
                + "\n" + " " * depth + "}")
    if isinstance(obj, (list, tuple)):
        if not obj:
            return "[]"
        return "[" + pad + ("," + pad).join(_json_indented(v, depth + 1) for v in obj) + "\n" + " " * depth + "]"
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _json_pieces(obj: Any, depth: int) -> Iterator[str]:
    """:func:`_json_indented` in pieces: containers of the top two levels item by item."""
    if depth >= 2 or not obj or not isinstance(obj, (dict, list, tuple, _Items)):
        yield _json_indented(obj, depth)
        return
    pad = "\n" + " " * (depth + 1)
    is_dict = isinstance(obj, dict)
    yield "{" if is_dict else "["
    for i, item in enumerate(obj.items() if is_dict else obj):
        yield ("," + pad) if i else pad
        if is_dict:
            yield _json_key(item[0]) + ": "
            item = item[1]
        yield from _json_pieces(item, depth + 1)
    yield "\n" + " " * depth + ("}" if is_dict else "]")


class _Items:
    """A list written by :func:`_json_pieces` whose items are made as they are written."""

    def __init__(self, length: int, items: Callable[[], Iterator[Any]]) -> None:
        self._length = length
        self._items = items

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Any]:
        return self._items()


def _node_link_stream(g: nx.DiGraph) -> dict[str, Any]:
    """:func:`node_link` with its node and edge lists made one item at a time."""
    return {
        "directed": g.is_directed(),
        "multigraph": g.is_multigraph(),
        "graph": g.graph,
        "nodes": _Items(len(g), lambda: ({**g.nodes[n], "id": n} for n in g)),
        "edges": _Items(g.number_of_edges(), lambda: ({**d, "source": u, "target": v} for u, v, d in g.edges(data=True))),
    }


def node_link(g: nx.DiGraph) -> dict[str, Any]:
    """Node-link JSON with full (list and record) attributes."""
    return nx.node_link_data(g, edges="edges")


def nodes_frame(g: nx.DiGraph) -> pd.DataFrame:
    rows = []
    for v, attrs in g.nodes(data=True):
        row = {"id": v}
        row.update({k: scalar(attrs.get(k)) if k != "id" else v for k in NODE_COLUMNS[1:]})
        rows.append(row)
    return _frame(rows, NODE_COLUMNS)


def _edge_rows(g: nx.DiGraph, types_only: bool = False) -> Iterator[dict[str, Any]]:
    """The rows of ``edges.csv``; ``types_only``: values of the right types, the
    mention lists (always text) left unread."""
    for u, v, attrs in g.edges(data=True):
        row = {"source_node": u, "target_node": v}
        if types_only:
            row.update({k: "" if isinstance(attrs.get(k), StoredMentions) else scalar(attrs.get(k))
                        for k in EDGE_COLUMNS[2:]})
        else:
            attrs = edge_attributes(attrs)
            row.update({k: scalar(attrs.get(k)) for k in EDGE_COLUMNS[2:]})
        row["derived"] = bool(attrs.get("derived", False))
        yield row


def edges_frame(g: nx.DiGraph) -> pd.DataFrame:
    return _frame(list(_edge_rows(g)), EDGE_COLUMNS)


def write_edges_csv(f: BinaryIO, g: nx.DiGraph) -> None:
    """``csv_bytes(edges_frame(g))`` built and written a slice of edges at a time.

    A column whose values are ints and floats is a float column in the whole
    frame ("3.0"), so it is made one in every slice; any other mix writes the
    same text slice by slice as whole."""
    kinds: dict[str, set[type]] = {c: set() for c in EDGE_COLUMNS}
    for row in _edge_rows(g, types_only=True):
        for c, v in row.items():
            kinds[c].add(type(v))
    floats = [c for c, k in kinds.items() if k == {int, float}]
    f.write("\ufeff".encode("utf-8"))
    chunk: list[dict[str, Any]] = []
    first = True

    def flush() -> None:
        df = _frame(chunk, EDGE_COLUMNS)
        for c in floats:
            df[c] = df[c].astype(float)
        f.write(df.to_csv(index=False, header=first, lineterminator="\n").encode("utf-8"))

    for row in _edge_rows(g):
        chunk.append(row)
        if len(chunk) == CSV_CHUNK_ROWS:
            flush()
            chunk, first = [], False
    if chunk or first:
        flush()


# ---------------------------------------------------------------- tables


def _span(record: dict[str, Any], name: str = "span") -> tuple[Optional[int], Optional[int]]:
    span = record.get(name) or [None, None]
    return (span[0], span[1]) if len(span) == 2 else (None, None)


def _provenance(record: dict[str, Any]) -> dict[str, Any]:
    start, end = _span(record)
    s_start, s_end = _span(record, "sentence_span")
    return {
        "section": record.get("section"),
        "sentence": record.get("sentence"),
        "span_start": start,
        "span_end": end,
        "sentence_start": s_start,
        "sentence_end": s_end,
    }


def document_rows(corpus: Corpus) -> list[dict[str, Any]]:
    rows = []
    for d in corpus.docs:
        for r in d.renditions:
            doc = r.get("document") or {}
            rows.append({
                "source": r["source"],
                "node_id": d.node,
                "format": r.get("format"),
                "doc_type": doc.get("doc_type"),
                "number": doc.get("number"),
                "date": doc.get("date"),
                "issuer": doc.get("issuer"),
                "title": doc.get("title"),
                "place": doc.get("place"),
                "signer": doc.get("signer"),
                "graph_number": corpus.graph.nodes[d.node].get("number"),
                "match_method": d.match_method,
                "match_confidence": d.match_confidence,
                "primary_rendition": r is d.primary,
                "pages": r.get("pages"),
                "characters": r["characters"] if "characters" in r else len(r.get("text") or ""),
                **{name: record_count(r, name) for name in COUNTED_FIELDS},
                "warnings": LIST_SEPARATOR.join(map(str, r.get("warnings") or [])),
                "pipeline_version": r.get("pipeline_version"),
            })
    return rows


def section_rows(corpus: Corpus) -> list[dict[str, Any]]:
    return [row for d, r in _renditions(corpus) for row in rendition_section_rows(r, d.node)]


def rendition_section_rows(r: dict[str, Any], node: Optional[str]) -> list[dict[str, Any]]:
    rows = []
    for s in r.get("sections") or []:
        start, end = _span(s)
        t_start, t_end = _span(s, "title_span")
        rows.append({
            "source": r["source"], "node_id": node, "number": s.get("number"), "path": s.get("path"),
            "title": s.get("title"), "level": s.get("level"), "kind": s.get("kind"), "parent": s.get("parent"),
            "label_source": s.get("label_source"), "span_start": start, "span_end": end,
            "title_start": t_start, "title_end": t_end,
        })
    return rows


def citation_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per occurrence of a cited number, with the node it resolves to."""
    columns = TABLE_COLUMNS["citations"]
    return [dict(zip(columns, values)) for values in _citation_source(corpus).rows()]


def _citation_source(corpus: Corpus) -> "TableSource":
    """The citations table, made one row at a time from the sorted occurrences."""
    occurrences = sorted(corpus.occurrences, key=lambda o: (o.source, (o.span or [0])[0]))

    def rows() -> Iterator[tuple[Any, ...]]:
        for o in occurrences:
            record, mentions = o._heavy()
            start, end = _span(record)
            s_start, s_end = _span(record, "sentence_span")
            yield (
                o.source, o.citing.node, o.key, o.node, o.node == o.citing.node, o.doc_type,
                record.get("date", o.date), o.date_conflict, o.issuer, o.title, o.relation, o.graph_relation,
                o.date_inferred, o.inferred_by, record.get("text"), record.get("form"), mentions,
                record.get("section"), record.get("sentence"), start, end, s_start, s_end,
            )

    return TableSource(TABLE_COLUMNS["citations"], rows)


def _rendition_record_rows(r: dict[str, Any], node: Optional[str], field: str, columns: list[str]) -> list[dict[str, Any]]:
    rows = []
    for rec in r.get(field) or []:
        row: dict[str, Any] = {"source": r["source"], "node_id": node}
        row.update({c: scalar_or_none(rec.get(c)) for c in columns})
        row.update(_provenance(rec))
        rows.append(row)
    return rows


def scalar_or_none(value: Any) -> Any:
    return None if value is None else scalar(value)


def named_citation_rows(corpus: Corpus) -> list[dict[str, Any]]:
    return [row for d, r in _renditions(corpus) for row in rendition_named_citation_rows(r, d.node)]


def rendition_named_citation_rows(r: dict[str, Any], node: Optional[str]) -> list[dict[str, Any]]:
    rows = []
    for nc in r.get("named_citations") or []:
        occs = nc.get("occurrences") or [{}]
        for occ in occs:
            rows.append({
                "source": r["source"], "node_id": node, "name": nc.get("name"), "doc_type": nc.get("doc_type"),
                "mentions": nc.get("mentions"), "relation": occ.get("relation") or scalar_or_none(nc.get("relations")),
                "text": occ.get("text"), **_provenance(occ),
            })
    return rows


def _renditions(corpus: Corpus) -> Iterable[tuple[Any, dict[str, Any]]]:
    for d in corpus.docs:
        for r in d.renditions:
            yield d, r


PROVENANCE_COLUMNS = ["section", "sentence", "span_start", "span_end", "sentence_start", "sentence_end"]
TABLE_COLUMNS: dict[str, list[str]] = {
    "documents": [
        "source", "node_id", "format", "doc_type", "number", "date", "issuer", "title", "place", "signer",
        "graph_number", "match_method", "match_confidence", "primary_rendition", "pages", "characters", "sections",
        "citations", "named_citations", "targets", "deadlines", "responsibilities", "warnings", "pipeline_version",
    ],
    "sections": [
        "source", "node_id", "number", "path", "title", "level", "kind", "parent", "label_source", "span_start",
        "span_end", "title_start", "title_end",
    ],
    "citations": [
        "source", "node_id", "key", "cited_node_id", "self_reference", "doc_type", "date", "date_conflict", "issuer", "title",
        "relation", "graph_relation", "date_inferred", "inferred_by", "text", "form", "mentions_in_document",
    ] + PROVENANCE_COLUMNS,
    "named_citations": ["source", "node_id", "name", "doc_type", "mentions", "relation", "text"] + PROVENANCE_COLUMNS,
    "targets": ["source", "node_id", "value", "value_max", "unit", "comparator", "deadline", "indicator", "scope",
                "text"] + PROVENANCE_COLUMNS,
    "deadlines": ["source", "node_id", "text", "kind", "start", "end"] + PROVENANCE_COLUMNS,
    "responsibilities": ["source", "node_id", "unit", "unit_expanded", "role", "text"] + PROVENANCE_COLUMNS,
}


TABLE_BUILDERS: dict[str, Callable[[Corpus], list[dict[str, Any]]]] = {
    "documents": document_rows,
    "sections": section_rows,
    "citations": citation_rows,
    "named_citations": named_citation_rows,
    "targets": lambda c: _rows_of_renditions(c, "targets"),
    "deadlines": lambda c: _rows_of_renditions(c, "deadlines"),
    "responsibilities": lambda c: _rows_of_renditions(c, "responsibilities"),
}


def _rows_of_renditions(corpus: Corpus, name: str) -> list[dict[str, Any]]:
    return [row for d, r in _renditions(corpus) for row in RENDITION_ROWS[name](r, d.node)]


def _record_columns(name: str) -> list[str]:
    return TABLE_COLUMNS[name][2:-len(PROVENANCE_COLUMNS)]


# Tables made of one rendition's own records, not of the graph: their rows can
# be made as each result is read (the node is filled in later).
RENDITION_ROWS: dict[str, Callable[[dict[str, Any], Optional[str]], list[dict[str, Any]]]] = {
    "sections": rendition_section_rows,
    "named_citations": rendition_named_citation_rows,
    "targets": lambda r, node: _rendition_record_rows(r, node, "targets", _record_columns("targets")),
    "deadlines": lambda r, node: _rendition_record_rows(r, node, "deadlines", _record_columns("deadlines")),
    "responsibilities": lambda r, node: _rendition_record_rows(
        r, node, "responsibilities", _record_columns("responsibilities")),
}
COUNTED_FIELDS = ["sections", "citations", "named_citations", "targets", "deadlines", "responsibilities"]


def record_count(r: dict[str, Any], name: str) -> int:
    """How many records of a kind a result has (also once they were spilled)."""
    counts = r.get("record_counts") or {}
    return counts[name] if name in counts else len(r.get(name) or [])


def split_rendition_rows(result: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A result's per-rendition table rows as JSON lines (one text a table, the node
    left empty), and the result without those records but with their counts
    (in place). A failed extraction is no corpus document: it has no rows."""
    if result.get("error"):
        return result, {}
    lines = {}
    for name, make in RENDITION_ROWS.items():
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in make(result, None))
        if text:
            lines[name] = text
    result["record_counts"] = {name: record_count(result, name) for name in COUNTED_FIELDS}
    for name in RENDITION_ROWS:
        result.pop(name, None)
    return result, lines


def _loads_row(line: bytes) -> dict[str, Any]:
    """A spilled row, through :func:`pipeline.io.loads_json` (orjson, several times
    faster than json; json where orjson would not read a value exactly)."""
    return loads_json(line)


class RowSpill:
    """Rows of the per-rendition tables, kept on disk while the graph is built.

    :meth:`add` writes a result's rows (JSON lines, one file a table) and drops
    its records, keeping their counts: memory then holds only what the graph
    needs, whatever the size of the corpus. :meth:`rows` reads one table back
    with each row's node, in the order of the corpus documents and renditions.
    """

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="corpus-rows-")
        self._files = {name: open(Path(self._dir.name) / f"{name}.jsonl", "w+", encoding="utf-8")
                       for name in RENDITION_ROWS}

    def add(self, result: dict[str, Any]) -> dict[str, Any]:
        return self.add_lines(*split_rendition_rows(result))

    def add_lines(self, result: dict[str, Any], lines: dict[str, str]) -> dict[str, Any]:
        """Spill rows already rendered by :func:`split_rendition_rows` (from the
        corpus record cache, :mod:`pipeline.corpus_cache`); returns ``result``."""
        for name, text in lines.items():
            self._files[name].write(text)
        return result

    def rows(self, name: str, corpus: Corpus) -> list[dict[str, Any]]:
        columns = TABLE_COLUMNS[name]
        return [dict(zip(columns, values)) for values in self.table(name, corpus).rows()]

    def table(self, name: str, corpus: Corpus) -> "TableSource":
        """Table ``name`` in the order of the corpus documents and renditions, each
        row with its node, read from disk one row at a time: memory holds only
        each row's place in the file."""
        order = {r["source"]: i for i, (_, r) in enumerate(_renditions(corpus))}
        node_of = corpus.node_of_source()
        rest = TABLE_COLUMNS[name][2:]  # after source and node_id
        self._files[name].flush()
        path = Path(self._dir.name) / f"{name}.jsonl"

        def row_of(line: bytes) -> tuple[Any, ...]:
            row = _loads_row(line)
            source = row["source"]
            return (source, node_of.get(source), *(row[c] for c in rest))

        places: list[tuple[int, int]] = []  # (rendition's rank, offset of the line)

        def scan() -> Iterator[tuple[Any, ...]]:  # the rows in file order, noting where each is
            with open(path, "rb") as f:
                offset = 0
                for line in f:
                    row = row_of(line)
                    places.append((order[row[0]], offset))
                    offset += len(line)
                    yield row

        offsets: list[int] = []

        def rows() -> Iterator[tuple[Any, ...]]:
            with open(path, "rb") as f:
                for offset in offsets:
                    f.seek(offset)
                    yield row_of(f.readline())

        table = TableSource(TABLE_COLUMNS[name], rows, scan=scan())
        places.sort(key=lambda place: place[0])  # stable: a rendition's rows keep their order
        offsets.extend(offset for _, offset in places)
        return table

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._dir.cleanup()

    def __enter__(self) -> "RowSpill":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


TABLE_CHUNK_ROWS = 5_000  # rows of a table in memory at a time while its files are written


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class TableSource:
    """A table written a slice of rows at a time: its CSV and sheet byte for byte
    what the whole table's frame (:func:`_frame`) gives, its Parquet the same
    schema and values (a row group a slice).

    pandas types a column by all its values (ints with a gap are floats: "3.0";
    a column mixing text and numbers becomes text), so one pass notes the types
    each column holds, and every slice is made with the whole column's type.
    ``rows`` gives the rows (tuples in the order of ``columns``) afresh each
    time it is called: each file reads them once.
    """

    def __init__(self, columns: list[str], rows: Callable[[], Iterator[tuple[Any, ...]]],
                 scan: Optional[Iterable[tuple[Any, ...]]] = None) -> None:
        """``scan``: the same rows in any order, for the types (default: ``rows()``)."""
        self.columns = columns
        self.rows = rows
        examples: list[dict[type, Any]] = [{} for _ in columns]  # a value of each type, by column
        gaps = [False] * len(columns)
        n = 0
        for row in rows() if scan is None else scan:
            n += 1
            for i, v in enumerate(row):
                if _missing(v):
                    gaps[i] = True
                else:
                    examples[i].setdefault(type(v), v)
        self.length = n
        self._mixed = {i for i, e in enumerate(examples) if len(e) > 1 and not set(e) <= {int, float}}
        # a few rows with every type of every column (and a gap where it has one):
        # their frame has the whole table's column types
        samples = [list(e.values()) + ([None] if gap or not e else []) for e, gap in zip(examples, gaps)]
        width = max((len(c) for c in samples), default=0)
        sample_rows = [tuple(c[k] if k < len(c) else c[0] for c in samples) for k in range(width)]
        self.sample = _frame(sample_rows, columns)

    def __len__(self) -> int:
        return self.length

    def frames(self, limit: Optional[int] = None) -> Iterator[pd.DataFrame]:
        """The first ``limit`` rows (all by default) as frames of at most
        :data:`TABLE_CHUNK_ROWS` rows with the whole table's column types."""
        chunk: list[tuple[Any, ...]] = []
        for row in itertools.islice(self.rows(), limit):
            if self._mixed:
                row = tuple(None if i in self._mixed and _missing(v) else str(v) if i in self._mixed else v
                            for i, v in enumerate(row))
            chunk.append(row)
            if len(chunk) == TABLE_CHUNK_ROWS:
                yield self._conformed(chunk)
                chunk = []
        if chunk:
            yield self._conformed(chunk)

    def _conformed(self, chunk: list[tuple[Any, ...]]) -> pd.DataFrame:
        df = pd.DataFrame(chunk, columns=self.columns)
        for col, dtype in self.sample.dtypes.items():
            if df[col].dtype != dtype:
                df[col] = df[col].astype(dtype)
        return df

    def write_csv(self, f: BinaryIO) -> None:
        """:func:`csv_bytes` of the whole table."""
        self._csv_header(f)
        for df in self.frames():
            _csv_rows(f, df)

    def write_parquet(self, f: BinaryIO) -> None:
        """The whole table as :func:`write_parquet` writes it, a row group a slice."""
        with self._parquet_writer(f) as write_group:
            for df in self.frames():
                write_group(df)

    def write_all(self, csv_file: BinaryIO, parquet_file: BinaryIO, sheet_rows: Callable[[pd.DataFrame], None]) -> None:
        """:meth:`write_csv`, :meth:`write_parquet` and the sheet's rows in one read
        of the rows: each slice is made once and goes to the three files."""
        self._csv_header(csv_file)
        with self._parquet_writer(parquet_file) as write_group:
            for df in self.frames():
                _csv_rows(csv_file, df)
                write_group(df)
                sheet_rows(df)

    def _csv_header(self, f: BinaryIO) -> None:
        f.write("\ufeff".encode("utf-8"))
        f.write(self.sample.iloc[:0].to_csv(index=False, lineterminator="\n").encode("utf-8"))

    @contextmanager
    def _parquet_writer(self, f: BinaryIO) -> Iterator[Callable[[pd.DataFrame], None]]:
        """A writer of row groups (a slice each) with the whole table's schema."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.Schema.from_pandas(self.sample, preserve_index=False)
        with pq.ParquetWriter(f, schema) as writer:
            yield lambda df: writer.write_table(pa.Table.from_pandas(df, schema=schema, preserve_index=False))


def _csv_rows(f: BinaryIO, df: pd.DataFrame) -> None:
    """A slice's CSV rows (no header), :data:`CSV_CHUNK_ROWS` at a time."""
    for start in range(0, len(df), CSV_CHUNK_ROWS):
        part = df.iloc[start:start + CSV_CHUNK_ROWS]
        f.write(part.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8"))


def tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Every table, with its columns even when it has no rows."""
    return {name: _frame(TABLE_BUILDERS[name](corpus), TABLE_COLUMNS[name]) for name in TABLES}


def _frame(rows: list[Any], columns: Optional[list[str]] = None) -> pd.DataFrame:
    """A frame whose columns each hold one type, so Parquet accepts them.

    ``rows`` are dicts, or tuples in the order of ``columns`` (pandas infers the
    column types of both the same way).

    A column mixing text and numbers (a target's ``deadline``: ``"annual"`` or
    ``2025``) becomes text.
    """
    df = pd.DataFrame(rows, columns=columns) if columns else pd.DataFrame(rows)
    for col in df.columns:
        values = [v for v in df[col] if v is not None and not (isinstance(v, float) and pd.isna(v))]
        kinds = {type(v) for v in values}
        if len(kinds) > 1 and not kinds <= {int, float}:
            df[col] = [None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in df[col]]
    return df


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark: Excel then reads Vietnamese correctly."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


CSV_CHUNK_ROWS = 2000


def write_csv(f: BinaryIO, df: pd.DataFrame) -> None:
    """:func:`csv_bytes` written a slice of rows at a time: pandas renders a whole
    frame's CSV in memory several times over, slices keep that small. Slices keep
    the column dtypes, so the bytes are the same."""
    f.write("\ufeff".encode("utf-8"))
    for start in range(0, max(len(df), 1), CSV_CHUNK_ROWS):
        part = df.iloc[start:start + CSV_CHUNK_ROWS]
        f.write(part.to_csv(index=False, header=start == 0, lineterminator="\n").encode("utf-8"))


def write_parquet(f: BinaryIO, df: pd.DataFrame) -> None:
    df.to_parquet(f, index=False, engine="pyarrow")


def parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False, engine="pyarrow")
    return buf.getvalue()


EXCEL_MAX_ROWS = 1_048_576  # rows a worksheet holds, header included

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# control characters XML 1.0 (and so Excel) refuses
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(v: str) -> str:
    return _ILLEGAL_XML.sub("", v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _excel_cell(v: Any) -> str:
    """One ``<c>`` element (inline string, number or boolean; "" for an empty cell)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "<c/>"
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()  # numpy scalars → Python
        if isinstance(v, float) and not math.isfinite(v):
            return "<c/>"
    if isinstance(v, bool):
        return f'<c t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f"<c><v>{v!r}</v></c>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{_xml_text(str(v))}</t></is></c>'


def _excel_column(values: list[Any]) -> list[str]:
    """:func:`_excel_cell` of each value, text (most cells) without its type checks."""
    return [f'<c t="inlineStr"><is><t xml:space="preserve">{_xml_text(v)}</t></is></c>' if type(v) is str
            else _excel_cell(v) for v in values]


class Workbook:
    """A minimal .xlsx writer that streams each sheet into the zip archive.

    openpyxl spends ~15 µs a cell; a corpus of thousands of documents has
    millions of cells. A sheet here is rows of inline strings, numbers and
    booleans under a frozen header row, which is all the tables need.
    """

    def __init__(self, file: BinaryIO) -> None:
        self._zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED)
        self._sheets: list[str] = []

    def add_sheet(self, name: str, df: pd.DataFrame) -> None:
        """``df`` as a sheet; a table longer than a sheet holds is cut, and its
        last row says so and where the whole table is."""
        room = EXCEL_MAX_ROWS - 1
        shown = room - 1 if len(df) > room else len(df)
        self._add_sheet(name, [str(c) for c in df.columns], len(df), [df.iloc[:shown]])

    def add_table(self, name: str, table: TableSource) -> None:
        """:meth:`add_sheet` of the table's whole frame, written a slice at a time."""
        room = EXCEL_MAX_ROWS - 1
        shown = room - 1 if len(table) > room else len(table)
        self._add_sheet(name, [str(c) for c in table.columns], len(table), table.frames(shown))

    def _add_sheet(self, name: str, header: list[str], length: int, frames: Iterable[pd.DataFrame]) -> None:
        with self.sheet(name, header, length) as sheet_rows:
            for df in frames:
                sheet_rows(df)

    @contextmanager
    def sheet(self, name: str, header: list[str], length: int) -> Iterator[Callable[[pd.DataFrame], None]]:
        """A sheet of a table of ``length`` rows, open while its rows are given a
        slice at a time; rows past what a sheet holds are left out (and said so)."""
        self._sheets.append(name[:31])
        room = EXCEL_MAX_ROWS - 1
        cut = length > room
        shown = room - 1 if cut else length
        written = 0
        with self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")

            def sheet_rows(df: pd.DataFrame) -> None:
                nonlocal written
                if written + len(df) > shown:
                    df = df.iloc[:max(shown - written, 0)]
                # a column at a time: its cells made in one comprehension, then joined by row
                cells = [_excel_column(df.iloc[:, i].tolist()) for i in range(df.shape[1])]
                rows = zip(*cells) if cells else [()] * len(df)
                for row in rows:
                    out.write("<row>" + "".join(row) + "</row>")
                written += len(df)

            out.write(_XML_HEAD + f'<worksheet xmlns="{_MAIN_NS}"><sheetViews><sheetView workbookViewId="0">'
                      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView>'
                      "</sheetViews><sheetData>")
            out.write(self._row(header))
            yield sheet_rows
            if cut:
                out.write(self._row([f"{length - shown} more rows not shown: an Excel sheet holds {EXCEL_MAX_ROWS:,} "
                                     f"rows; the whole table is tables/{name}.csv and tables/{name}.parquet"]))
            out.write("</sheetData></worksheet>")
            out.flush()
            out.detach()

    @staticmethod
    def _row(values: Iterable[Any]) -> str:
        return "<row>" + "".join(map(_excel_cell, values)) + "</row>"

    def close(self) -> None:
        n = len(self._sheets)
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        self._zip.writestr("[Content_Types].xml", _XML_HEAD + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
                      for i in range(1, n + 1))
            + "</Types>"))
        self._zip.writestr("_rels/.rels", _XML_HEAD + (
            f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        self._zip.writestr("xl/workbook.xml", _XML_HEAD + (
            f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
            + "".join(f'<sheet name="{_xml_text(name)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, name in enumerate(self._sheets, 1))
            + "</sheets></workbook>"))
        self._zip.writestr("xl/_rels/workbook.xml.rels", _XML_HEAD + (
            f'<Relationships xmlns="{_PKG_REL_NS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, n + 1))
            + "</Relationships>"))
        self._zip.close()


def excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table."""
    buf = io.BytesIO()
    wb = Workbook(buf)
    for name, df in frames.items():
        wb.add_sheet(name, df)
    wb.close()
    return buf.getvalue()


# ---------------------------------------------------------------- writing


def write_exports(corpus: Corpus, output_dir: Path, spill: Optional[RowSpill] = None) -> dict[str, Any]:
    """Write every graph file and table into ``output_dir``; returns what was written.

    With ``spill``, the per-rendition tables come from it (the results hold no records).
    """
    rows = write_tables(corpus, output_dir, spill)
    files = write_graph_files(corpus.graph, output_dir)
    return {"files": files + [f"tables/{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")] + ["tables.xlsx"],
            "rows": rows}


def write_graph_files(g: nx.DiGraph, output_dir: Path) -> list[str]:
    """Every graph file, written one at a time; returns their names."""
    for name, write in _graph_writers(g):
        write_streamed(Path(output_dir) / name, write)
    return list(GRAPH_FILES)


def write_tables(corpus: Corpus, output_dir: Path, spill: Optional[RowSpill] = None) -> dict[str, int]:
    """Every table as CSV, Parquet and a sheet of ``tables.xlsx``; returns the row counts.

    A slice of one table is in memory at a time (:class:`TableSource`): the
    rows come from the spill or the corpus as each file is written.
    """
    output_dir = Path(output_dir)
    rows: dict[str, int] = {}

    def write(f: BinaryIO) -> None:
        wb = Workbook(f)
        _write_each_table(corpus, output_dir / "tables", spill, wb, rows)
        wb.close()

    write_streamed(output_dir / "tables.xlsx", write)
    return rows


def _write_each_table(corpus: Corpus, tables_dir: Path, spill: Optional[RowSpill], wb: Workbook,
                      rows: dict[str, int]) -> None:
    for name in TABLES:
        columns = TABLE_COLUMNS[name]
        if spill is not None and name in RENDITION_ROWS:
            table = spill.table(name, corpus)
        elif name == "citations":
            table = _citation_source(corpus)
        else:
            listed = [tuple(row[c] for c in columns) for row in TABLE_BUILDERS[name](corpus)]
            table = TableSource(columns, lambda listed=listed: iter(listed))
        rows[name] = len(table)
        if not len(table):  # no rows to take the types from: the empty frame's files
            df = _frame([], columns)
            write_streamed(tables_dir / f"{name}.csv", lambda f: write_csv(f, df))
            write_streamed(tables_dir / f"{name}.parquet", lambda f: write_parquet(f, df))
            wb.add_sheet(name, df)
            continue
        _write_table_files(table, name, tables_dir, wb)
        del table


def _write_table_files(table: TableSource, name: str, tables_dir: Path, wb: Workbook) -> None:
    """A table's CSV, Parquet and sheet, from one read of its rows."""
    with wb.sheet(name, [str(c) for c in table.columns], len(table)) as sheet_rows:
        write_streamed(tables_dir / f"{name}.csv", lambda csv_file: write_streamed(
            tables_dir / f"{name}.parquet", lambda parquet_file: table.write_all(csv_file, parquet_file, sheet_rows)))


__all__ = ["write_exports", "graph_files", "tables", "scalar", "scalar_graph", "RowSpill", "TABLES"]
