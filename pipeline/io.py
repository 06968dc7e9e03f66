"""Atomic file output: a crash never leaves a half-written result behind.

JSON goes through orjson: a result JSON is written ≈ 40× faster than with the
standard library's indented encoder (which falls back to pure Python whenever
``indent`` is set), and read back ≈ 1.3× faster. The standard library is the
fallback for what orjson cannot do exactly (integers beyond 64 bits, NaN in old files).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

import orjson


def write_streamed(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a file through ``write(file)`` into a temporary file, then rename it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: str | Path, data: bytes | str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_streamed(path, lambda fh: fh.write(payload))


# orjson would write dataclasses and datetimes that the standard library refuses;
# passing them through keeps "not JSON-serialisable" an error, as it was.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
# orjson reads integers beyond 64 bits as floats (losing digits): such files go to json.
_LONG_INTEGER = re.compile(rb"\d{20}")


def dumps_json(obj: Any, indent: bool = True) -> bytes:
    """UTF-8 JSON of ``obj``, indented by two spaces unless ``indent`` is false.

    NaN and infinities (a 400-digit number read off a document) are written as
    ``null``: valid JSON, where the standard library wrote ``NaN``/``Infinity``.
    """
    option = _OPTIONS | (orjson.OPT_INDENT_2 if indent else 0)
    try:
        return orjson.dumps(obj, option=option)
    except TypeError:  # e.g. an integer wider than 64 bits read off a document
        return json.dumps(obj, ensure_ascii=False, indent=2 if indent else None).encode("utf-8")


def write_json(path: str | Path, obj: Any, indent: bool = True) -> None:
    write_atomic(path, dumps_json(obj, indent))


def loads_json(data: bytes | str) -> Any:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if _LONG_INTEGER.search(raw):
        return json.loads(raw)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(data)  # NaN/Infinity of files the standard library wrote; or its own error


def read_json(path: str | Path) -> Any:
    return loads_json(Path(path).read_bytes())
