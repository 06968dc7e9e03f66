"""The citations of every corpus document, kept on disk while the corpus stage runs.

The graph needs of each mention only a few short fields (key, date, kind,
issuer, node…); its sentence, section, text and raw record are read again only
when a file that prints them is written. :class:`MentionStore` keeps each
rendition's ``citations`` list as one JSON line in a temporary file: memory
holds the line's offset, and a mention is named by (blob, citation, occurrence)
packed into one int (:func:`pack`). The last blobs read stay parsed (the
writers read an edge's mentions, which come from one document, several times).
"""

from __future__ import annotations

import json
import tempfile
from array import array
from collections import OrderedDict
from typing import Any, Optional

_CIT_BITS = 20  # up to a million citations in a document, and occurrences in a citation
_MASK = (1 << _CIT_BITS) - 1
CACHED_BLOBS = 64


def pack(blob: int, citation: int, occurrence: int) -> int:
    if citation > _MASK or occurrence > _MASK:  # the fields would overlap
        raise ValueError(f"more than {_MASK} citations or occurrences in one document")
    return (blob << (2 * _CIT_BITS)) | (citation << _CIT_BITS) | occurrence


def unpack(ref: int) -> tuple[int, int, int]:
    return ref >> (2 * _CIT_BITS), (ref >> _CIT_BITS) & _MASK, ref & _MASK


class MentionStore:
    """Append-only JSON blobs in a temporary file, read back by number."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="corpus-mentions-")
        self._offsets = array("q")
        self._end = 0
        self._cache: OrderedDict[int, Any] = OrderedDict()
        self._last: int = -1
        self._last_obj: Any = None

    def put(self, obj: Any) -> int:
        """Store ``obj`` (JSON-able); returns its number."""
        return self.put_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))

    def put_text(self, text: str) -> int:
        """Store an object given as its JSON text (one line); returns its number."""
        data = text.encode("utf-8") + b"\n"
        self._file.seek(self._end)
        self._file.write(data)
        self._offsets.append(self._end)
        self._end += len(data)
        return len(self._offsets) - 1

    def get(self, blob: int) -> Any:
        """The object stored as ``blob`` (parsed afresh unless among the last read)."""
        if blob == self._last:  # an edge's mentions come from one document: the usual case
            return self._last_obj
        cached = self._cache.get(blob)
        if cached is not None:
            self._cache.move_to_end(blob)
            self._last, self._last_obj = blob, cached
            return cached
        start = self._offsets[blob]
        end = self._offsets[blob + 1] if blob + 1 < len(self._offsets) else self._end
        self._file.seek(start)
        obj = json.loads(self._file.read(end - start))
        self._cache[blob] = obj
        self._last, self._last_obj = blob, obj
        if len(self._cache) > CACHED_BLOBS:
            self._cache.popitem(last=False)
        return obj

    def occurrence(self, ref: int) -> tuple[dict[str, Any], Optional[Any]]:
        """(the occurrence's record, its citation's ``mentions``) of a packed reference."""
        blob, ci, oi = unpack(ref)
        cit = self.get(blob)[ci]
        occs = cit.get("occurrences") or [{}]
        return occs[oi], cit.get("mentions")

    def close(self) -> None:
        self._cache.clear()
        self._last, self._last_obj = -1, None
        self._file.close()

    def __enter__(self) -> "MentionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoredCitations:
    """A rendition's ``citations`` list, standing in the result dict while it is on disk."""

    __slots__ = ("store", "blob")

    def __init__(self, store: MentionStore, blob: int) -> None:
        self.store = store
        self.blob = blob

    def load(self) -> list[dict[str, Any]]:
        return self.store.get(self.blob)


__all__ = ["MentionStore", "StoredCitations", "pack", "unpack"]
