"""Read Vietnamese resolutions (Nghị quyết, Kết luận, Chỉ thị, chương trình hành
động, kế hoạch…) as data: section trees, targets, deadlines, units responsible,
citations, and the reference graph between documents.

Data flows one way: reader → :class:`~pipeline.document.Document` → section tree
→ extractors → document result → corpus graph → exports.
"""

PIPELINE_VERSION = "0.1.0"

__all__ = ["PIPELINE_VERSION", "extract_file", "load_outputs", "load_nlp"]


def extract_file(path, source=None):
    """Read and extract one file; returns the per-document result dict."""
    from .process import process_file

    return process_file(path, source)


def load_outputs(directory="outputs", primary=True):
    """The tables (pandas) and the graph (networkx) written by ``make extract``."""
    from .api import load_outputs as _load

    return _load(directory, primary)


def load_nlp(components=None):
    """A spaCy pipeline with the extractors as components (``doc.spans[...]``)."""
    from .nlp import load_nlp as _load

    return _load(components)
