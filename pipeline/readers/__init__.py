"""Readers: one module per file format, each producing a :class:`Document`.

A reader is a function ``read(path: Path, source: str) -> Document`` registered
for one or more file suffixes with :func:`register_reader`. Adding a format means
one new module here and one line in ``_READER_MODULES``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from ..document import Document
from ..errors import ReadError

Reader = Callable[[Path, str], Document]

_READERS: dict[str, Reader] = {}
# Imported lazily so that reading a .txt file does not import pdf libraries.
_READER_MODULES = {
    ".txt": "pipeline.readers.text",
    ".md": "pipeline.readers.text",
    ".docx": "pipeline.readers.docx",
    ".pdf": "pipeline.readers.pdf",
}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            _READERS[s.lower()] = fn
        return fn

    return deco


def supported_suffixes() -> list[str]:
    return sorted(_READER_MODULES)


def get_reader(path: Path) -> Reader:
    suffix = path.suffix.lower()
    if suffix not in _READER_MODULES:
        raise ReadError(f"unsupported file type {suffix!r} (supported: {', '.join(supported_suffixes())})",
                        kind="unsupported_format")
    if suffix not in _READERS:
        importlib.import_module(_READER_MODULES[suffix])
    return _READERS[suffix]


def read_document(path: str | Path, source: str | None = None) -> Document:
    """Read any supported file into a :class:`Document`."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"no such file: {path}", kind="missing")
    if path.stat().st_size == 0:
        raise ReadError("empty file (0 bytes)", kind="empty")
    reader = get_reader(path)
    return reader(path, source or path.name)
