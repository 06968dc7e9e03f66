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
import json
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional

import networkx as nx
import pandas as pd

from .graph import Corpus
from .io import write_atomic

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
    node_keys = _attribute_types(a for _, a in g.nodes(data=True))
    edge_keys = _attribute_types(a for _, _, a in g.edges(data=True))
    h = nx.DiGraph()
    h.graph.update({k: scalar(v) for k, v in g.graph.items()})
    for v, attrs in g.nodes(data=True):
        h.add_node(v, **{k: _filled(attrs.get(k), t) for k, t in node_keys.items()})
    for u, v, attrs in g.edges(data=True):
        h.add_edge(u, v, **{k: _filled(attrs.get(k), t) for k, t in edge_keys.items()})
    return h


def _attribute_types(items: Iterable[dict[str, Any]]) -> dict[str, type]:
    """One type per attribute: bool, int or float where every value is one, else str."""
    seen: dict[str, set[type]] = {}
    for attrs in items:
        for k, v in attrs.items():
            kinds = seen.setdefault(k, set())
            if v is not None:
                kinds.add(type(scalar(v)))
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
    if value is None:
        return {str: "", int: 0, float: 0.0, bool: False}.get(t, "")
    s = scalar(value)
    if t is str:
        return str(s)
    if t is float:
        return float(s)
    return s


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
    ``GRAPH_FILES`` order; each streams as much as its format's writer allows."""
    h = scalar_graph(g)
    yield "graph.graphml", lambda f: _write_lines(f, nx.generate_graphml(h, encoding="utf-8", prettyprint=True))
    for v in h:  # GEXF shows the label attribute: never empty
        h.nodes[v]["label"] = str(g.nodes[v].get("label") or v)
    yield "graph.gexf", lambda f: _write_lines(f, nx.generate_gexf(h, encoding="utf-8", prettyprint=True))
    del h
    yield "graph.json", lambda f: _write_json(f, node_link(g))
    yield "nodes.csv", lambda f: f.write(csv_bytes(nodes_frame(g)))
    yield "edges.csv", lambda f: f.write(csv_bytes(edges_frame(g)))


def _write_lines(f: BinaryIO, lines: Iterable[str]) -> None:
    """Lines joined with newlines, as ``"\\n".join(lines)`` would give, without the copy."""
    first = True
    for line in lines:
        if not first:
            f.write(b"\n")
        f.write(line.encode("utf-8"))
        first = False


def _write_json(f: BinaryIO, obj: Any) -> None:
    """``json.dumps(obj, ensure_ascii=False, indent=1)``, encoded chunk by chunk."""
    text = io.TextIOWrapper(f, encoding="utf-8", write_through=True)
    json.dump(obj, text, ensure_ascii=False, indent=1)
    text.flush()
    text.detach()


def write_streamed(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a file through ``write(file)`` atomically (as :func:`pipeline.io.write_atomic`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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


def edges_frame(g: nx.DiGraph) -> pd.DataFrame:
    rows = []
    for u, v, attrs in g.edges(data=True):
        row = {"source_node": u, "target_node": v}
        row.update({k: scalar(attrs.get(k)) for k in EDGE_COLUMNS[2:]})
        row["derived"] = bool(attrs.get("derived", False))
        rows.append(row)
    return _frame(rows, EDGE_COLUMNS)


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
    rows = []
    for o in sorted(corpus.occurrences, key=lambda o: (o.source, (o.span or [0])[0])):
        rows.append({
            "source": o.source,
            "node_id": o.citing.node,
            "key": o.key,
            "cited_node_id": o.node,
            "self_reference": o.node == o.citing.node,
            "doc_type": o.doc_type,
            "date": o.record.get("date", o.date),
            "date_conflict": o.date_conflict,
            "issuer": o.issuer,
            "title": o.title,
            "relation": o.relation,
            "graph_relation": o.graph_relation,
            "date_inferred": o.date_inferred,
            "inferred_by": o.inferred_by,
            "text": o.text,
            "form": o.record.get("form"),
            "mentions_in_document": o.citation.get("mentions"),
            **_provenance(o.record),
        })
    return rows


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
        if result.get("error"):
            return result  # failed extractions are no corpus document: no rows
        for name, make in RENDITION_ROWS.items():
            out = self._files[name]
            for row in make(result, None):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        result["record_counts"] = {name: record_count(result, name) for name in COUNTED_FIELDS}
        for name in RENDITION_ROWS:
            result.pop(name, None)
        return result

    def rows(self, name: str, corpus: Corpus) -> list[dict[str, Any]]:
        order = {r["source"]: i for i, (_, r) in enumerate(_renditions(corpus))}
        node_of = corpus.node_of_source()
        out = self._files[name]
        out.flush()
        out.seek(0)
        rows = [json.loads(line) for line in out]
        for row in rows:
            row["node_id"] = node_of.get(row["source"])
        rows.sort(key=lambda row: order[row["source"]])  # stable: a rendition's rows keep their order
        return rows

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._dir.cleanup()

    def __enter__(self) -> "RowSpill":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Every table, with its columns even when it has no rows."""
    return {name: _frame(TABLE_BUILDERS[name](corpus), TABLE_COLUMNS[name]) for name in TABLES}


def _frame(rows: list[dict[str, Any]], columns: Optional[list[str]] = None) -> pd.DataFrame:
    """A frame whose columns each hold one type, so Parquet accepts them.

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


def parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False, engine="pyarrow")
    return buf.getvalue()


EXCEL_MAX_ROWS = 1_048_576  # rows a worksheet holds, header included


def _excel_cell(v: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)  # control characters Excel refuses
    return v.item() if hasattr(v, "item") else v  # numpy scalars → Python


def add_excel_sheet(wb: Any, name: str, df: pd.DataFrame) -> None:
    """One table as a sheet of a write-only workbook (rows stream to a temporary file).

    A table longer than a worksheet holds is cut, and its last row says so and
    where the whole table is.
    """
    ws = wb.create_sheet(title=name[:31])
    ws.freeze_panes = "A2"
    ws.append([str(c) for c in df.columns])
    room = EXCEL_MAX_ROWS - 1
    cut = len(df) > room
    shown = room - 1 if cut else len(df)
    for row in df.iloc[:shown].itertuples(index=False, name=None):
        ws.append([_excel_cell(v) for v in row])
    if cut:
        ws.append([f"{len(df) - shown} more rows not shown: an Excel sheet holds {EXCEL_MAX_ROWS:,} rows; "
                   f"the whole table is tables/{name}.csv and tables/{name}.parquet"])


def save_workbook(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table (openpyxl's streaming writer: fast on big tables)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, df in frames.items():
        add_excel_sheet(wb, name, df)
    return save_workbook(wb)


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

    One table is in memory at a time: built, written, dropped.
    """
    from openpyxl import Workbook

    output_dir = Path(output_dir)
    wb = Workbook(write_only=True)
    rows: dict[str, int] = {}
    tables_dir = output_dir / "tables"
    for name in TABLES:
        if spill is not None and name in RENDITION_ROWS:
            table_rows = spill.rows(name, corpus)
        else:
            table_rows = TABLE_BUILDERS[name](corpus)
        df = _frame(table_rows, TABLE_COLUMNS[name])
        del table_rows
        write_atomic(tables_dir / f"{name}.csv", csv_bytes(df))
        write_atomic(tables_dir / f"{name}.parquet", parquet_bytes(df))
        add_excel_sheet(wb, name, df)
        rows[name] = len(df)
        del df
    write_atomic(output_dir / "tables.xlsx", save_workbook(wb))
    return rows


__all__ = ["write_exports", "graph_files", "tables", "scalar", "scalar_graph", "RowSpill", "TABLES"]
