"""The Python API notebooks use: the outputs of a run as pandas tables and a graph.

>>> from pipeline import load_outputs
>>> out = load_outputs("outputs")
>>> out.targets.query("unit == '%'").groupby("deadline").value.describe()
>>> out.graph.nodes["02-NQ/TW"]["title"]
>>> out.result("txt/002_66fc0c121fd6263f.txt")["sections"][0]

Tables hold every rendition of a document (txt, docx, pdf…); ``primary=True``
(the default) keeps one rendition per document, the one the graph chose as its
primary, so counts are not multiplied by the number of formats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

import networkx as nx
import pandas as pd

TABLES = ["documents", "sections", "citations", "named_citations", "targets", "deadlines", "responsibilities"]


@dataclass
class Outputs:
    """What ``make extract`` wrote, loaded: tables, the graph, per-document results."""

    directory: Path
    tables: dict[str, pd.DataFrame]
    graph: nx.DiGraph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    primary_sources: set[str] = field(default_factory=set)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def result(self, source: str) -> dict[str, Any]:
        """The per-document JSON of one input file (``source`` relative to INPUT)."""
        path = self.directory / "documents" / f"{source}.json"
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)

    def results(self) -> Iterator[dict[str, Any]]:
        for path in sorted((self.directory / "documents").rglob("*.json")):
            with open(path, encoding="utf-8") as fh:
                yield json.load(fh)

    def document_title(self, node_id: str) -> str:
        """A short human label for a graph node: kind, number or title."""
        attrs = self.graph.nodes.get(node_id, {})
        kind = attrs.get("kind") or ""
        number = attrs.get("number") or ""
        if number:
            return f"{kind} {number}".strip()
        title = (attrs.get("title") or node_id)[:60]
        return f"{kind}: {title}".strip(": ")


def _read_table(directory: Path, name: str) -> pd.DataFrame:
    parquet = directory / "tables" / f"{name}.parquet"
    if parquet.exists():
        return pd.read_parquet(parquet)
    csv = directory / "tables" / f"{name}.csv"
    if csv.exists():
        return pd.read_csv(csv, encoding="utf-8-sig")
    raise FileNotFoundError(f"{parquet} not found: run `make extract` first")


def load_graph(directory: str | Path) -> nx.DiGraph:
    with open(Path(directory) / "graph.json", encoding="utf-8") as fh:
        data = json.load(fh)
    return nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")


def load_outputs(directory: str | Path = "outputs", primary: bool = True) -> Outputs:
    """Load the tables and the graph written by ``make extract`` into ``directory``.

    With ``primary=True`` every table keeps only the primary rendition of each
    document (one row set per document, not one per format).
    """
    directory = Path(directory)
    tables = {name: _read_table(directory, name) for name in TABLES}
    docs = tables["documents"]
    primary_sources = set(docs.loc[docs["primary_rendition"].astype(bool), "source"]) if len(docs) else set()
    if primary:
        tables = {name: df[df["source"].isin(primary_sources)].reset_index(drop=True) for name, df in tables.items()}
    graph = load_graph(directory)
    nodes = pd.read_csv(directory / "nodes.csv", encoding="utf-8-sig")
    edges = pd.read_csv(directory / "edges.csv", encoding="utf-8-sig")
    return Outputs(directory, tables, graph, nodes, edges, primary_sources)


def extract_file(path: str | Path, source: Optional[str] = None) -> dict[str, Any]:
    """Read and extract one file (any supported format); returns its result dict."""
    from .process import process_file

    return process_file(path, source)
