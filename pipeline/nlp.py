"""The extractors as spaCy pipeline components, and a displaCy palette.

``nlp = load_nlp()`` gives a blank Vietnamese pipeline whose tokenizer first reads
the text as a document (Markdown marks and artefacts removed, normalised), so
``doc.text`` is exactly the normalised text every record's span points into. Then
components registered by name fill ``doc.spans``:

- ``vnres_citations`` → ``doc.spans["citations"]`` (label = relation kind),
- ``vnres_targets`` → ``doc.spans["targets"]`` (label = unit class),
- ``vnres_deadlines`` → ``doc.spans["deadlines"]`` (label = kind),
- ``vnres_units`` → ``doc.spans["units"]`` (label = role),

and ``doc.spans["facts"]`` gathers them all for :func:`render`. The records
themselves are in ``doc.user_data["vnres"]``. Extractors run once per document
whichever components are enabled (a later component reuses earlier results).
"""

from __future__ import annotations

from typing import Any, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors import registered

FACT_LABELS = {
    "citations": "CITATION",
    "targets": "TARGET",
    "deadlines": "DEADLINE",
    "units": "UNIT",
}

# displaCy colours, one per kind of fact (use with ``render`` or
# ``displacy.render(doc, style="span", options=DISPLACY_OPTIONS)``).
PALETTE = {
    "CITATION": "#8ecae6",
    "TARGET": "#ffb703",
    "DEADLINE": "#fb8500",
    "UNIT": "#90be6d",
}
DISPLACY_OPTIONS = {"spans_key": "facts", "colors": PALETTE}


class DocumentTokenizer:
    """Read raw text like a .txt/.md file, then split the normalised text on spaces.

    The spaCy ``vi`` tokenizer without pyvi splits on spaces too; doing it here
    keeps ``doc.text`` equal to the normalised text.
    """

    def __init__(self, vocab, source: str = "<text>"):
        self.vocab = vocab
        self.source = source

    def __call__(self, text: str) -> Doc:
        from .readers.text import read_string

        document = read_string(text, self.source)
        words, spaces = _split_keep_spaces(document.text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["vnres_document"] = document
        return doc


def _split_keep_spaces(text: str) -> tuple[list[str], list[bool]]:
    """Tokens separated by single spaces or newlines, with spaCy's ``spaces`` flags.

    Newlines become their own tokens so that ``doc.text`` reproduces ``text``.
    """
    words: list[str] = []
    spaces: list[bool] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            words.append("\n")
            spaces.append(False)
        parts = line.split(" ")
        for j, part in enumerate(parts):
            last = j == len(parts) - 1
            if part == "":
                if not last and words:
                    spaces[-1] = True
                continue
            words.append(part)
            spaces.append(not last)
    return words, spaces


def _results(doc: Doc) -> dict[str, Any]:
    """Run (once) the parse and every extractor up to what a component needs."""
    if "vnres" in doc.user_data:
        return doc.user_data["vnres"]
    from .process import parse

    parsed = parse(doc.user_data["vnres_document"])
    found: dict[str, Any] = {}
    for name, fn in registered().items():
        found[name] = fn(parsed, found)
    doc.user_data["vnres_parsed"] = parsed
    doc.user_data["vnres"] = found
    return found


def _span(doc: Doc, span: Optional[list[int]], label: str) -> Optional[Span]:
    if not span:
        return None
    return doc.char_span(span[0], span[1], label=label, alignment_mode="expand")


def _set(doc: Doc, key: str, spans: list[Optional[Span]]) -> None:
    kept = [s for s in spans if s is not None]
    doc.spans[key] = kept
    facts = list(doc.spans["facts"]) if "facts" in doc.spans else []
    facts.extend(Span(doc, s.start, s.end, label=FACT_LABELS[key]) for s in kept)
    doc.spans["facts"] = facts


@Language.component("vnres_citations")
def citations_component(doc: Doc) -> Doc:
    found = _results(doc)
    spans = []
    for record in found.get("citations", []):
        for occ in record.get("occurrences", []):
            spans.append(_span(doc, occ.get("span"), occ.get("relation") or "mentions"))
    _set(doc, "citations", spans)
    return doc


@Language.component("vnres_targets")
def targets_component(doc: Doc) -> Doc:
    found = _results(doc)
    spans = [_span(doc, t.get("span"), "%" if t.get("unit") == "%" else "count") for t in found.get("targets", [])]
    _set(doc, "targets", spans)
    return doc


@Language.component("vnres_deadlines")
def deadlines_component(doc: Doc) -> Doc:
    found = _results(doc)
    _set(doc, "deadlines", [_span(doc, d.get("span"), d.get("kind") or "date") for d in found.get("deadlines", [])])
    return doc


@Language.component("vnres_units")
def units_component(doc: Doc) -> Doc:
    found = _results(doc)
    _set(doc, "units", [_span(doc, r.get("span"), r.get("role") or "assigned") for r in found.get("responsibilities", [])])
    return doc


COMPONENTS = ["vnres_citations", "vnres_targets", "vnres_deadlines", "vnres_units"]


def load_nlp(components: Optional[list[str]] = None) -> Language:
    """A blank ``vi`` pipeline with the extractors as components (no model download)."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = DocumentTokenizer(nlp.vocab)
    for name in components or COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def render(doc: Doc, jupyter: Optional[bool] = None, key: str = "facts") -> Optional[str]:
    """Highlight a document's facts with displaCy (in a notebook: inline HTML)."""
    from spacy import displacy

    options = dict(DISPLACY_OPTIONS, spans_key=key)
    return displacy.render(doc, style="span", options=options, jupyter=jupyter)
