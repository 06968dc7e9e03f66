"""OCR for image-only PDF pages: pypdfium2 renders, tesseract reads, fixes are data.

Each page is rendered at 300 dpi in greyscale and piped to one
``tesseract - - -l vie --psm 4 tsv`` process with ``OMP_THREAD_LIMIT=1``
(OpenMP threads make tesseract slower on few cores: ≈1.7 s a page single-threaded
against ≈4.4 s), with as many processes at once as there are cores. The TSV output
gives each word with its box; words become :class:`~pipeline.readers.pdf.Run` s so
the text-PDF layout logic (lines, columns, paragraphs) applies unchanged.

Tesseract's errors on these documents are look-alike diacritics and the bar of
``Đ`` lost inside symbols (``QD`` for ``QĐ``). :func:`fix_text` repairs them from
``models/ocr_fixes.yaml`` only where the context makes the repair safe.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import regex

from .. import safety, vocab
from . import ReadError

if TYPE_CHECKING:  # pragma: no cover
    import pypdfium2 as pdfium

    from .pdf import Run

DPI = 300
PSM = "4"  # a single column of text of variable sizes; columns are re-split by gaps
INSTALL_HINT = "install it with `make system-deps` (or `apt-get install tesseract-ocr tesseract-ocr-vie`)"


# Legitimately small words: bullets and punctuation standing alone.
_SMALL_MARKS = frozenset("-–—+*•.,;:")
_ALNUM = regex.compile(r"[\p{L}\p{N}]")


class _TesseractMissing(ReadError):
    pass


@functools.lru_cache(maxsize=1)
def _tesseract_status() -> tuple[str | None, str | None]:
    """(path, problem) — cached: the check runs a subprocess."""
    path = shutil.which("tesseract")
    if not path:
        return None, f"this PDF has scanned pages and needs OCR, but tesseract is not installed; {INSTALL_HINT}"
    try:
        out = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"tesseract could not be run ({exc}); {INSTALL_HINT}"
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    if "vie" not in langs:
        return None, f"tesseract has no Vietnamese data ('vie'); {INSTALL_HINT}"
    return path, None


def require_tesseract() -> str:
    """The tesseract executable, or a ReadError that says how to install it."""
    path, problem = _tesseract_status()
    if path is None:
        raise _TesseractMissing(problem or f"tesseract unavailable; {INSTALL_HINT}", kind="image_only")
    return path


def page_dpi(pdf: "pdfium.PdfDocument", index: int, dpi: int = DPI) -> int:
    """``dpi``, lowered for a page so large that its image would pass ``ocr.max_megapixels``
    (a hostile MediaBox of 200 × 200 inches would otherwise be a 3.6-gigapixel bitmap)."""
    width, height = pdf.get_page_size(index)  # points, without loading the page
    square_inches = max(width, 1.0) * max(height, 1.0) / 72 ** 2
    fitting = int((safety.limits().ocr_max_megapixels * 1e6 / square_inches) ** 0.5)
    return max(1, min(dpi, fitting))


def render_page(pdf: "pdfium.PdfDocument", index: int, dpi: int = DPI) -> bytes:
    """A greyscale PGM image of the page (cheap to encode, read by leptonica)."""
    page = pdf[index]
    try:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    header = f"P5\n{image.width} {image.height}\n255\n".encode("ascii")
    return header + image.tobytes()


def run_tesseract(executable: str, image: bytes, dpi: int = DPI) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [executable, "-", "-", "-l", "vie", "--psm", PSM, "--dpi", str(dpi), "tsv"],
            input=image,
            capture_output=True,
            env=env,
            timeout=300,
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadError("tesseract timed out on a page", kind="ocr_failed") from exc
    if proc.returncode != 0:
        raise ReadError(f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:300]}", kind="ocr_failed")
    return proc.stdout.decode("utf-8", "replace")


def tsv_runs(tsv: str, dpi: int = DPI) -> list["Run"]:
    """Words of tesseract's TSV as runs in points.

    A word keeps its own box (a line box of tesseract can swallow a neighbouring
    column or a signature scribble); its font size is taken from its line's
    height. Specks — words far smaller than the page's usual word, or read with
    no confidence — are dropped: they are stamps, scribbles and dirt.
    """
    from .pdf import Run

    scale = 72.0 / dpi
    line_heights: dict[tuple[str, str, str], float] = {}
    words: list[tuple[str, float, float, float, float, float, tuple[str, str, str]]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        key = (cols[2], cols[3], cols[4])
        left, top, width, height = (float(c) for c in cols[6:10])
        if cols[0] == "4":
            line_heights[key] = height
        elif cols[0] == "5" and cols[11].strip():
            words.append((cols[11].strip(), float(cols[10]), left, top, width, height, key))
    if not words:
        return []
    typical = sorted(w[5] for w in words)[len(words) // 2]
    runs: list[Run] = []
    for text, conf, left, top, width, height, key in words:
        if conf < 10 and len(_ALNUM.findall(text)) < 2:
            continue  # a mark read with no confidence: a stamp, a star, dirt
        if height < 0.45 * typical and text not in _SMALL_MARKS:
            continue
        line_height = min(line_heights.get(key, height), 1.6 * typical)
        runs.append(
            Run(
                text=text + " ",  # words are separate runs: keep the space between them
                x0=left * scale,
                top=top * scale,
                x1=(left + width) * scale,
                bottom=(top + height) * scale,
                size=round(line_height * scale, 1),
            )
        )
    return runs


def ocr_runs(pdf: "pdfium.PdfDocument", indices: list[int]) -> dict[int, list["Run"]]:
    """OCR the given pages (0-based), one single-threaded tesseract per core."""
    max_pages = safety.limits().ocr_max_pages
    if len(indices) > max_pages:
        raise ReadError(f"this PDF has {len(indices):,} scanned pages; OCR is limited to {max_pages:,} pages a "
                        "document (models/limits.yaml)", kind="too_large")
    executable = require_tesseract()
    workers = max(1, min(len(indices), os.cpu_count() or 1))
    results: dict[int, list[Run]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {}
        for index in indices:  # pdfium is not thread-safe: render here, OCR in the pool
            dpi = page_dpi(pdf, index)
            futures[index] = (pool.submit(run_tesseract, executable, render_page(pdf, index, dpi), dpi), dpi)
        for index, (future, dpi) in futures.items():
            results[index] = tsv_runs(future.result(), dpi)
    return results


# ---------------------------------------------------------------------------
# Post-OCR fixes


# A capital closing a lower-case word ("trỊ." for "trị."): tesseract's case slip on
# a dotted vowel. Symbols never end this way (CTr, QĐi, TTg end in lower case).
_STRAY_CAPITAL = regex.compile(r"(?<=\b\p{Ll}{2,})\p{Lu}(?![\p{L}\p{N}])")


class _Fixes:
    def __init__(self, data: dict):
        self.parts: dict[str, str] = dict(data.get("symbol_parts") or {})
        kinds = sorted(data.get("symbol_kinds") or [], key=len, reverse=True)
        kinds_re = "|".join(regex.escape(k) for k in kinds) or r"(?!)"
        # A symbol: number, optional year, then bodies joined by - / &.
        self.symbol = regex.compile(
            r"(?<![\p{L}\p{N}])(\d{1,5}[a-zđ]?(?:/\d{4})?)([-/])([\p{Lu}][\p{L}\d]*(?:[-/&][\p{Lu}][\p{L}\d]*)*)"
        )
        # A dash misread before a symbol kind: "02—NQ/TW", "02 ~NQ/TW", "02.NQ/TW".
        self.dash = regex.compile(r"(?<![\p{L}\p{N}])(\d{1,5}[a-z]?)\s?[—–~_.]\s?(?=(?:" + kinds_re + r")/)")
        # Stray spaces inside a symbol after the kind: "NQ/ TW", "NQ /TW".
        self.slash = regex.compile(r"(?<=\b(?:" + kinds_re + r"))\s?/\s(?=[\p{Lu}])|(?<=\b(?:" + kinds_re + r"))\s/(?=[\p{Lu}])")
        self.phrases = [
            (regex.compile(r"(?<![\p{L}])" + regex.escape(wrong) + r"(?![\p{L}])"), right)
            for wrong, right in (data.get("phrases") or {}).items()
        ]

    def fix_symbol(self, m: regex.Match) -> str:
        body = regex.split(r"([-/&])", m.group(3))
        body = [self.parts.get(p, p) for p in body]
        return m.group(1) + m.group(2) + "".join(body)

    def apply(self, text: str) -> str:
        text = _STRAY_CAPITAL.sub(lambda m: m.group(0).lower(), text)
        text = self.dash.sub(r"\1-", text)
        text = self.slash.sub("/", text)
        text = self.symbol.sub(self.fix_symbol, text)
        for pattern, right in self.phrases:
            text = pattern.sub(right, text)
        return text


@functools.lru_cache(maxsize=1)
def _fixes() -> _Fixes:
    return _Fixes(vocab.load("ocr_fixes") or {})


def fix_text(text: str) -> str:
    """Repair tesseract's known look-alike errors (see ``models/ocr_fixes.yaml``)."""
    return _fixes().apply(text)
