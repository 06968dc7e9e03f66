"""Benchmark corpus: thousands of distinct documents made from the corpus documents.

``python -m pipeline.benchcorpus [--docs 2000] [--out bench/corpus]`` writes 40%
PDF, 40% DOCX and 20% TXT documents. Each is one of the ``corpus/`` documents
with its numbers, document symbols, dates, years and some wording varied by a
seeded random generator (so the corpus is the same on every machine and no two
documents are identical):

* TXT: the varied text of ``corpus/txt/*.txt``.
* DOCX: ``corpus/docx/*.docx`` with the text of every ``<w:t>`` run of the body
  and footnotes varied; styles, numbering and tables are kept.
* PDF: the varied text typeset on A4 pages with DejaVu Sans (matplotlib's copy,
  it covers Vietnamese) by fpdf2, hard-wrapped lines and a page number at the
  foot of each page like the real text PDFs. Lines are broken here, not by
  fpdf2's ``multi_cell`` (ten times slower).

Generation is skipped when ``OUT/.benchcorpus.json`` says the same corpus is
already there.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import multiprocessing
import os
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import regex

from .io import write_atomic

REPO = Path(__file__).resolve().parent.parent
SOURCE_CORPUS = REPO / "corpus"
DEFAULT_OUT = REPO / "bench" / "corpus"
GENERATOR_VERSION = 2
STAMP_NAME = ".benchcorpus.json"
MIX = (("pdf", 0.4), ("docx", 0.4), ("txt", 0.2))
FIXED_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)

# Near-synonyms of administrative prose: swapping them changes wording without
# making the text less like the genre.
SYNONYMS = [
    ("tăng cường", "đẩy mạnh"),
    ("nâng cao", "cải thiện"),
    ("bảo đảm", "đảm bảo"),
    ("chú trọng", "quan tâm"),
    ("kịp thời", "nhanh chóng"),
    ("phát huy", "khơi dậy"),
    ("thiết thực", "cụ thể"),
]
_SWAP = {a: b for a, b in SYNONYMS} | {b: a for a, b in SYNONYMS}
_WORDS = regex.compile(r"\b(?:" + "|".join(regex.escape(w) for w in sorted(_SWAP, key=len, reverse=True)) + r")\b")

# One pass over the text; the first alternative that matches wins.
_TOKENS = regex.compile(
    r"""
    (?P<ngay>ngày\s+(?P<nd>\d{1,2})\s+tháng\s+(?P<nm>\d{1,2})\s+năm\s+(?P<ny>\d{4}))
  | (?P<date>\b(?P<dd>\d{1,2})/(?P<dm>\d{1,2})/(?P<dy>\d{4})\b)
  | (?P<symbol>\b\d+[a-z]?(?=(?:/\d{4})?[-/]\p{Lu}))
  | (?P<percent>\b\d+(?:,\d+)?(?=\s?%))
  | (?P<year>\b(?:19|20)\d\d\b)
  | (?P<heading>^[ \t]*[\dIVXL]+(?:\.\d+)*[.)])
  | (?P<number>\b\d{2,}(?:[.,]\d+)*\b)
    """,
    regex.VERBOSE | regex.MULTILINE,
)


class Varier:
    """Varies one document's text consistently (the same year shift everywhere)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.year_shift = rng.choice([-3, -2, -1, 1, 2, 3, 4])

    def year(self, text: str) -> str:
        return str(int(text) + self.year_shift)

    def _token(self, m: regex.Match) -> str:
        r = self.rng
        if m.group("ngay"):
            return f"ngày {r.randint(1, 28):02d} tháng {r.randint(1, 12):02d} năm {self.year(m.group('ny'))}"
        if m.group("date"):
            return f"{r.randint(1, 28)}/{r.randint(1, 12)}/{self.year(m.group('dy'))}"
        if m.group("symbol"):
            digits = regex.sub(r"\D", "", m.group())
            return str(r.randint(1, 10 ** max(2, len(digits)) - 1)).zfill(len(digits))
        if m.group("percent"):
            value = r.randint(50, 100)
            return f"{value},{r.randint(1, 9)}" if "," in m.group() and value < 100 else str(value)
        if m.group("year"):
            return self.year(m.group())
        if m.group("heading"):
            return m.group()  # section numbers keep the document's structure
        digits = len(regex.sub(r"\D", "", m.group()))
        value = r.randint(10 ** (digits - 1), 10 ** digits - 1)
        return f"{value:,}".replace(",", ".") if "." in m.group() else str(value)

    def _word(self, m: regex.Match) -> str:
        return _SWAP[m.group()] if self.rng.random() < 0.5 else m.group()

    def vary(self, text: str) -> str:
        return _WORDS.sub(self._word, _TOKENS.sub(self._token, text))


# --------------------------------------------------------------------------- formats

_WT = regex.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
_DOCX_TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def make_docx(template: bytes, varier: Varier) -> bytes:
    """The template with the text of every run varied; every other part copied."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in _DOCX_TEXT_PARTS:
                xml = data.decode("utf-8")
                xml = _WT.sub(lambda m: m.group(1) + escape(varier.vary(unescape(m.group(2)))) + m.group(3), xml)
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"


_HEADING = regex.compile(r"^\s*(?:#|[IVXL]+\.|PHẦN|Phần|CHƯƠNG|Chương|\p{Lu}[\p{Lu}\s,]{8,}$)")
# Markdown decoration of the txt renditions, which a PDF does not show.
_MARKUP = regex.compile(r"^\s*#+\s*|\*\*|\[bookmark: [^\]]*\]", regex.MULTILINE)


def make_pdf(text: str) -> bytes:
    """A text PDF of ``text``: A4, 12 pt DejaVu Sans, headings in bold, page numbers."""
    from fpdf import FPDF

    fonts = _font_dir()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(FIXED_DATE)  # same bytes on every run
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    left, right, top, bottom, leading = 25.0, 190.0, 20.0, 275.0, 6.0
    width = right - left
    y = bottom
    page = 0
    widths: dict[tuple[str, str], float] = {}

    def new_page() -> float:
        nonlocal page
        if page:
            pdf.set_font("DejaVu", "", 10)
            pdf.text(105, 287, str(page))
        pdf.add_page()
        page += 1
        return top

    for paragraph in text.splitlines():
        paragraph = paragraph.replace("\t", " ").strip()
        if not paragraph:
            continue
        style = "B" if _HEADING.match(paragraph) else ""
        paragraph = _MARKUP.sub("", paragraph)
        if not paragraph:
            continue
        pdf.set_font("DejaVu", style, 12)
        space = pdf.get_string_width(" ")
        line: list[str] = []
        used = 0.0
        lines: list[str] = []
        for word in paragraph.split(" "):
            key = (style, word)
            w = widths.get(key)
            if w is None:
                w = widths[key] = pdf.get_string_width(word)
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used = used + space + w if line else w
            line.append(word)
        if line:
            lines.append(" ".join(line))
        for text_line in lines:
            if y + leading > bottom:
                y = new_page()
                pdf.set_font("DejaVu", style, 12)
            y += leading
            pdf.text(left, y, text_line)
    pdf.set_font("DejaVu", "", 10)
    pdf.text(105, 287, str(page))
    return bytes(pdf.output())


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Spec:
    """One benchmark document: its format, index and which variation of it."""

    kind: str
    index: int
    seed: int
    variant: int = 0

    @property
    def relpath(self) -> str:
        # Stems differ across formats: the corpus stage takes files that share a
        # stem for renditions of one document, and these are distinct documents.
        return f"{self.kind}/{self.kind}-{self.index:05d}.{self.kind}"


def specs(n: int, seed: int) -> list[Spec]:
    """``n`` documents in the 40/40/20 mix, interleaved so any prefix has the same mix."""
    counts = {kind: round(n * share) for kind, share in MIX}
    counts["txt"] = n - counts["pdf"] - counts["docx"]
    out: list[Spec] = []
    for kind, _ in MIX:
        out += [Spec(kind, i, seed) for i in range(counts[kind])]
    return out


def _sources(kind: str) -> list[Path]:
    folder = "docx" if kind == "docx" else "txt"
    return sorted((SOURCE_CORPUS / folder).glob(f"*.{folder}"))


def render(spec: Spec) -> bytes:
    """The bytes of one benchmark document (deterministic in ``spec``)."""
    sources = _sources(spec.kind)
    source = sources[spec.index % len(sources)]
    digest = hashlib.sha256(f"{spec.seed}:{spec.kind}:{spec.index}:{spec.variant}".encode()).digest()
    varier = Varier(random.Random(int.from_bytes(digest[:8], "big")))
    if spec.kind == "docx":
        return make_docx(source.read_bytes(), varier)
    text = varier.vary(source.read_text(encoding="utf-8"))
    if spec.kind == "pdf":
        return make_pdf(text)
    return text.encode("utf-8")


def _write(args: tuple[Spec, str]) -> tuple[str, str]:
    spec, out = args
    data = render(spec)
    write_atomic(Path(out) / spec.relpath, data)
    return spec.relpath, hashlib.sha256(data).hexdigest()


def write_specs(out: Path, todo: list[Spec], processes: int | None = None) -> dict[str, str]:
    """Write the documents on all cores; returns ``relpath → sha256``."""
    jobs = [(spec, str(out)) for spec in todo]
    processes = processes or os.cpu_count() or 1
    if processes == 1 or len(jobs) < 8:
        return dict(map(_write, jobs))
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        return dict(pool.imap_unordered(_write, jobs, chunksize=8))


def generate(out: Path = DEFAULT_OUT, n: int = 2000, seed: int = 0, processes: int | None = None,
             force: bool = False) -> dict:
    """Make the benchmark corpus under ``out`` unless the same one is already there."""
    out = Path(out)
    stamp_path = out / STAMP_NAME
    wanted = {"generator": GENERATOR_VERSION, "documents": n, "seed": seed}
    if not force and stamp_path.exists():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if {k: stamp.get(k) for k in wanted} == wanted:
            return stamp
    todo = specs(n, seed)
    wanted_paths = {s.relpath for s in todo}
    for kind, _ in MIX:  # drop documents of an earlier, other corpus
        for path in (out / kind).glob(f"*.{kind}") if (out / kind).exists() else []:
            if f"{kind}/{path.name}" not in wanted_paths:
                path.unlink()
    hashes = write_specs(out, todo, processes)
    if len(set(hashes.values())) != len(hashes):
        raise RuntimeError("benchmark corpus has identical documents: change the varier")
    stamp = wanted | {
        "by_format": {kind: sum(s.kind == kind for s in todo) for kind, _ in MIX},
        "bytes": sum((out / p).stat().st_size for p in hashes),
        "sources": sorted(p.relative_to(REPO).as_posix() for kind in ("docx", "txt") for p in _sources(kind)),
    }
    write_atomic(stamp_path, json.dumps(stamp, ensure_ascii=False, indent=1))
    return stamp


def change(out: Path, relpaths: list[str], seed: int = 0, variant: int = 1) -> None:
    """Rewrite some documents as another variation (``variant=0`` restores them)."""
    todo = []
    for rel in relpaths:
        kind, name = rel.split("/")
        todo.append(Spec(kind, int(name.split(".")[0].rsplit("-", 1)[1]), seed, variant))
    write_specs(Path(out), todo, processes=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.benchcorpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    stamp = generate(args.out, args.docs, args.seed, force=args.force)
    print(f"{stamp['documents']} documents ({stamp['by_format']}), {stamp['bytes'] / 1e6:.1f} MB → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
