"""``errors.csv`` and ``duplicates.csv``: what a run could not use, one row per file.

``OUTPUT/errors.csv`` lists every input file that failed, in this run or in an
earlier one whose result the cache kept, with the columns ``file, stage,
error_kind, message, remedy`` (kinds, stages and remedies from
``models/errors.yaml``), sorted by file. ``OUTPUT/duplicates.csv`` lists every
file skipped because an earlier file (in sorted path order) has the same bytes:
``file, same_as, sha256``. Both are written on every completed run (a header
alone when there is nothing to list), UTF-8 with a BOM like the other CSVs so
Excel shows Vietnamese, and atomically.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Iterable

from .discovery import Duplicate, Problem
from .errors import describe
from .io import write_atomic

ERRORS_NAME = "errors.csv"
DUPLICATES_NAME = "duplicates.csv"
ERROR_COLUMNS = ("file", "stage", "error_kind", "message", "remedy")
DUPLICATE_COLUMNS = ("file", "same_as", "sha256")


@dataclass(frozen=True, order=True)
class FileError:
    """One row of ``errors.csv``."""

    file: str
    stage: str
    error_kind: str
    message: str
    remedy: str

    @classmethod
    def of(cls, file: str, message: str, kind: str | None = None, stage: str | None = None) -> "FileError":
        """The row of a failure: an unknown or missing kind is classified from the message."""
        fields = describe(message, kind, stage)
        return cls(file, fields["stage"], fields["error_kind"], fields["error"], fields["remedy"])

    @classmethod
    def from_problem(cls, problem: Problem) -> "FileError":
        return cls.of(problem.source, problem.message, problem.kind, "discover")


def csv_bytes(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> bytes:
    """A CSV as the other tables are written: "\\n" line ends, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_errors(output_dir: Path, errors: Iterable[FileError]) -> int:
    """Write ``errors.csv`` (one row per file, sorted); returns the number of rows."""
    by_file: dict[str, FileError] = {}
    for error in sorted(errors):
        by_file.setdefault(error.file, error)  # a file has one row, whatever reported it twice
    write_atomic(Path(output_dir) / ERRORS_NAME, csv_bytes(ERROR_COLUMNS, (astuple(e) for e in by_file.values())))
    return len(by_file)


def write_duplicates(output_dir: Path, duplicates: Iterable[Duplicate]) -> int:
    """Write ``duplicates.csv`` sorted by file; returns the number of rows."""
    rows = sorted(astuple(d) for d in duplicates)
    write_atomic(Path(output_dir) / DUPLICATES_NAME, csv_bytes(DUPLICATE_COLUMNS, rows))
    return len(rows)
