"""Damaged real files through the readers: never a crash, a hang or an "internal" error.

Two real documents of ``corpus/`` in each of .docx, .pdf and .txt are mutated
deterministically (seeded, about 150 mutants) — bits flipped at seeded positions, truncated at several
lengths, chunks deleted or duplicated, and for the .docx zip entries corrupted,
replaced by garbage or removed — and every mutant goes through
:func:`pipeline.process.process_file` in a :class:`pipeline.engines.LocalPool`
worker with a wall-clock limit. Each must come back as a result or as an error
whose ``error_kind`` names what is wrong with the file: ``internal`` (a bug), a
timeout (a hang) or a worker crash fail the test. Run with ``-s`` to see the
outcome of every mutant.
"""

from __future__ import annotations

import collections
import io
import json
import random
import zipfile
from pathlib import Path

import pytest

from pipeline.engines import LocalPool, Task

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
# Two real documents in each format (the smallest ones keep the run short).
STEMS = ("004_9cab99cc97ae365a", "002_66fc0c121fd6263f")
# Seeds that found bugs in a longer run (pdfplumber failing on a PDF that pdfium
# repairs; pdfplumber seeing fewer pages), kept as regressions: (format, stem, seed).
REGRESSIONS = (("pdf", "003_1daefe2fb569c266", 102),)
LIMIT_SECONDS = 120.0  # far above a real document's time (a few seconds): only a hang reaches it


def flip_bits(data: bytes, rng: random.Random, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        pos = rng.randrange(len(out))
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, max(1, len(data) // 10)):]


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.randint(1, max(1, len(data) // 10))]
    return data[:start] + chunk + data[start:]


def byte_mutants(data: bytes, seed: int) -> dict[str, bytes]:
    """Mutations that apply to any file."""
    rng = random.Random(seed)
    mutants: dict[str, bytes] = {}
    for k, count in enumerate((1, 4, 32, 256)):
        mutants[f"flip{count}-{k}"] = flip_bits(data, rng, count)
    for fraction in (0.001, 0.1, 0.5, 0.9, 0.999):
        mutants[f"truncate{fraction}"] = data[: max(1, int(len(data) * fraction))]
    # The ends hold the structure: a zip's central directory, a PDF's xref and trailer.
    for k in range(2):
        head, tail = bytearray(data), bytearray(data)
        for _ in range(8):
            head[rng.randrange(min(1024, len(data)))] ^= 1 << rng.randrange(8)
            tail[len(data) - 1 - rng.randrange(min(2048, len(data)))] ^= 1 << rng.randrange(8)
        mutants[f"head-flip-{k}"], mutants[f"tail-flip-{k}"] = bytes(head), bytes(tail)
    for k in range(2):
        mutants[f"delete-{k}"] = delete_chunk(data, rng)
        mutants[f"duplicate-{k}"] = duplicate_chunk(data, rng)
    return mutants


def rezip(data: bytes, change) -> bytes:
    """The .docx with each entry's bytes passed through ``change(name, bytes)``
    (None removes the entry)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info.filename, content)
    return out.getvalue()


def corrupt_compressed_entry(data: bytes, name: str) -> bytes:
    """Flip bytes inside one entry's compressed data: the zip directory is intact,
    the entry fails to inflate or its CRC check."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26:header + 28], "little")
    extra_len = int.from_bytes(data[header + 28:header + 30], "little")
    start = header + 30 + name_len + extra_len
    out = bytearray(data)
    for pos in range(start + 10, min(start + info.compress_size, start + 10 + 40), 4):
        out[pos] ^= 0xFF
    return bytes(out)


def docx_mutants(data: bytes, seed: int) -> dict[str, bytes]:
    rng = random.Random(seed)
    mutants = {
        "zip-corrupt-document": corrupt_compressed_entry(data, "word/document.xml"),
        "zip-corrupt-styles": corrupt_compressed_entry(data, "word/styles.xml"),
    }
    for entry in ("word/document.xml", "[Content_Types].xml", "word/styles.xml", "word/numbering.xml",
                  "word/_rels/document.xml.rels"):
        mutants["zip-remove-" + entry.split("/")[-1]] = rezip(data, lambda n, b, e=entry: None if n == e else b)
    for entry in ("word/document.xml", "word/numbering.xml", "word/styles.xml"):
        short = entry.split("/")[-1]
        mutants["xml-truncate-" + short] = rezip(data, lambda n, b, e=entry: b[: len(b) // 2] if n == e else b)
        mutants["xml-flip-" + short] = rezip(data, lambda n, b, e=entry: flip_bits(b, rng, 64) if n == e else b)
    mutants["xml-garbage-document"] = rezip(
        data, lambda n, b: bytes(rng.randrange(256) for _ in range(2000)) if n == "word/document.xml" else b)
    return mutants


def all_mutants() -> dict[str, bytes]:
    mutants: dict[str, bytes] = {}
    for k, stem in enumerate(STEMS):
        for fmt, seed in (("docx", 1), ("pdf", 2), ("txt", 3)):
            data = (CORPUS / fmt / f"{stem}.{fmt}").read_bytes()
            for name, content in byte_mutants(data, seed + 10 * k).items():
                mutants[f"{fmt}-{k}-{name}.{fmt}"] = content
            if fmt == "docx":
                for name, content in docx_mutants(data, 7 + k).items():
                    mutants[f"docx-{k}-{name}.docx"] = content
    for fmt, stem, seed in REGRESSIONS:
        data = (CORPUS / fmt / f"{stem}.{fmt}").read_bytes()
        for name, content in byte_mutants(data, seed).items():
            mutants[f"{fmt}-{stem[:3]}-{seed}-{name}.{fmt}"] = content
    return mutants


@pytest.mark.slow
def test_mutated_real_files_never_crash_hang_or_fail_internally(tmp_path):
    mutants = all_mutants()
    tasks = []
    for name, content in sorted(mutants.items()):
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        tasks.append(Task(source=name, path=str(path), output=str(tmp_path / "out" / f"{name}.json")))
    outcomes: dict[str, str] = {}
    with LocalPool(workers=2, timeout=LIMIT_SECONDS) as pool:
        for report in pool.imap(tasks):
            if report.abnormal:  # a timeout or a crashed worker
                outcomes[report.source] = f"abnormal: {report.error}"
                continue
            result = json.loads((tmp_path / "out" / f"{report.source}.json").read_text(encoding="utf-8"))
            outcomes[report.source] = result["error_kind"] if result.get("error") else "ok"
            if result.get("error_kind") == "internal":
                outcomes[report.source] += f": {result['error']}\n{result.get('traceback')}"
    counts = collections.Counter(o.split(":")[0] for o in outcomes.values())
    print(f"{len(mutants)} mutants: {dict(sorted(counts.items()))}")
    for name, outcome in sorted(outcomes.items()):
        print(f"  {name}: {outcome.splitlines()[0]}")
    assert set(outcomes) == set(mutants)
    bad = {name: o for name, o in outcomes.items() if o.startswith(("abnormal", "internal"))}
    assert not bad, bad
    # Mild damage still reads; the fuzzing is not only of refusals.
    for fmt in ("docx", "pdf", "txt"):
        assert any(o == "ok" for name, o in outcomes.items() if name.startswith(fmt)), fmt
