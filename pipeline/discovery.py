"""Discovery: the input files of a run, found without trusting the input directory.

A researcher's directory may hold anything: links that point nowhere or back to
an ancestor, files nobody may read, pipes or devices with a document's name,
directories named ``x.pdf``, the same file under two names. Discovery never
crashes or blocks on any of them; every file it cannot use becomes a
:class:`Problem` (an ``errors.csv`` row, stage ``discover``) and the batch goes on.

* Hidden files and directories (``.name``) are skipped.
* Symbolic links are followed once. Linked directories are walked after every
  real one, so a file reachable through a real path keeps that path; a link to a
  directory already walked is not walked again, and a link to one of its own
  ancestors is reported as a loop.
* Only regular files are ever opened, and without blocking (a FIFO named
  ``.txt`` would otherwise hang the read forever).
* Files with the same bytes are one document (:func:`deduplicate`): the first in
  sorted path order is processed, the others are listed as duplicates (empty
  files excepted: each is reported as empty).
"""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .cache import NotRegularFile, file_hash

Identity = tuple[int, int]  # (st_dev, st_ino): one file or directory, whatever its path


@dataclass(frozen=True)
class Found:
    """A regular file with a supported suffix."""

    source: str  # path relative to the input directory, "/"-separated
    path: Path
    size: int
    identity: Identity


@dataclass(frozen=True)
class Problem:
    """An input file (or directory, or link) discovery could not use."""

    source: str
    kind: str  # a kind of models/errors.yaml whose stage is "discover"
    message: str


@dataclass(frozen=True)
class Planned:
    """One document to process (or to skip when the cache has it)."""

    source: str
    path: Path
    size: int
    hash: str


@dataclass(frozen=True)
class Duplicate:
    """A file with the same bytes as an earlier one (in sorted path order)."""

    file: str
    same_as: str
    sha256: str


@dataclass
class Inventory:
    """What is in the input directory: documents, duplicates, problems."""

    planned: list[Planned] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_KIND_NAMES = {
    stat.S_IFIFO: "named pipe (FIFO)",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
}


def _identity(st: os.stat_result) -> Identity:
    return (st.st_dev, st.st_ino)


def _readable_name(name: str) -> str:
    """A file name that UTF-8 can hold (undecodable bytes shown as \\xNN)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _valid_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes the file system could not decode (surrogate escapes)
        return False
    return True


def problem_for(source: str, exc: OSError, is_link: bool = False) -> Problem:
    """The discover-stage problem an ``OSError`` on ``source`` means, in plain words."""
    if isinstance(exc, NotRegularFile):
        return Problem(source, "special_file", "not a regular file (it turned into a pipe or device); it was not opened")
    if exc.errno == errno.ELOOP:
        return Problem(source, "symlink_loop", "symbolic link loop: the link leads back to itself and reaches no file")
    if isinstance(exc, FileNotFoundError):
        if is_link:
            target = _link_target(exc.filename)
            return Problem(source, "unreadable", f"broken symbolic link: its target {target} does not exist")
        return Problem(source, "missing", "the file disappeared while the run was reading the input directory")
    if isinstance(exc, PermissionError):
        return Problem(source, "unreadable", "permission denied: this account may not read the file")
    reason = exc.strerror or type(exc).__name__
    return Problem(source, "unreadable", f"the file cannot be read: {reason}")


def _is_link(path: str | Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _link_target(path: object) -> str:
    try:
        return repr(os.readlink(path))  # type: ignore[arg-type]
    except (OSError, TypeError, ValueError):
        return "(unknown)"


def _may_be_input(name: str, suffixes: set[str]) -> bool:
    """A broken entry is reported when it may have been a document or a directory."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix in suffixes or suffix == ""


def find_files(input_dir: Path, suffixes: set[str],
               exclude: Path | None = None) -> tuple[list[Found], list[Problem]]:
    """Every regular file with a supported suffix under ``input_dir``, and the problems met.

    ``exclude`` (the output directory) is never walked, even through a link.
    """
    files: list[Found] = []
    problems: list[Problem] = []
    root_id = _identity(os.stat(input_dir))
    walked: set[Identity] = {root_id}
    if exclude is not None and exclude.is_dir():
        walked.add(_identity(os.stat(exclude)))
    # (directory, its source prefix, identities of it and its ancestors)
    queue: deque[tuple[Path, str, tuple[Identity, ...]]] = deque([(input_dir, "", (root_id,))])
    links: deque[tuple[Path, str, tuple[Identity, ...]]] = deque()  # linked directories, walked last
    while queue or links:
        if not queue:
            link, source, ancestors = links.popleft()
            try:
                ident = _identity(os.stat(link))
            except OSError as exc:  # the link changed since it was listed
                problems.append(problem_for(source, exc, is_link=True))
                continue
            if ident in ancestors:
                problems.append(Problem(source, "symlink_loop",
                                        "symbolic link to a directory that contains it (a loop); not followed"))
            elif ident not in walked:  # otherwise an alias of a directory already walked
                walked.add(ident)
                queue.append((link, source + "/", ancestors + (ident,)))
            continue
        directory, prefix, ancestors = queue.popleft()
        _scan(directory, prefix, ancestors, suffixes, walked, queue, links, files, problems)
    files.sort(key=lambda f: f.source)
    problems.sort(key=lambda p: p.source)
    return files, problems


def _scan(directory: Path, prefix: str, ancestors: tuple[Identity, ...], suffixes: set[str],
          walked: set[Identity], queue: deque, links: deque, files: list[Found],
          problems: list[Problem]) -> None:
    """One directory's entries: files found, sub-directories and links queued."""
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        where = prefix or "./"
        problem = problem_for(where, exc)
        problems.append(Problem(where, problem.kind, f"cannot list the directory: {problem.message}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if not _valid_utf8(entry.name):
            if _may_be_input(entry.name, suffixes):
                problems.append(Problem(prefix + _readable_name(entry.name), "bad_file_name",
                                        "the file name is not valid UTF-8; the file was not read"))
            continue
        source = prefix + entry.name
        is_link = _is_link(entry.path)
        try:
            st = os.stat(entry.path)  # follows links
        except OSError as exc:
            if _may_be_input(entry.name, suffixes):
                problems.append(problem_for(source, exc, is_link))
            continue
        if stat.S_ISDIR(st.st_mode):  # also a directory named like a file (x.pdf/)
            if is_link:
                links.append((Path(entry.path), source, ancestors))
            elif _identity(st) not in walked:
                walked.add(_identity(st))
                queue.append((Path(entry.path), source + "/", ancestors + (_identity(st),)))
            continue
        if PurePosixPath(entry.name).suffix.lower() not in suffixes:
            continue
        if not stat.S_ISREG(st.st_mode):
            what = _KIND_NAMES.get(stat.S_IFMT(st.st_mode), "special file")
            problems.append(Problem(source, "special_file", f"this is a {what}, not a regular file; it was not opened"))
            continue
        files.append(Found(source, Path(entry.path), st.st_size, _identity(st)))


def hash_files(files: list[Found], threads: int = 4) -> tuple[list[Planned], list[Problem]]:
    """Content hash of every file (each distinct file read once), on a few threads."""
    by_identity: dict[Identity, Found] = {}
    for found in files:
        by_identity.setdefault(found.identity, found)

    def one(found: Found) -> tuple[Identity, str | OSError]:
        try:
            return found.identity, file_hash(found.path)
        except OSError as exc:
            return found.identity, exc

    with ThreadPoolExecutor(max_workers=threads) as pool:
        hashes = dict(pool.map(one, list(by_identity.values())))
    planned: list[Planned] = []
    problems: list[Problem] = []
    for found in files:
        digest = hashes[found.identity]
        if isinstance(digest, OSError):
            problems.append(problem_for(found.source, digest, _is_link(found.path)))
        else:
            planned.append(Planned(found.source, found.path, found.size, digest))
    return planned, problems


def deduplicate(planned: list[Planned]) -> tuple[list[Planned], list[Duplicate]]:
    """Keep the first file of each content hash (sorted by path); list the others.

    Empty files are not copies of one another (they hold no document): each is
    processed, and fails as empty.
    """
    first: dict[str, Planned] = {}
    kept: list[Planned] = []
    duplicates: list[Duplicate] = []
    for item in sorted(planned, key=lambda p: p.source):
        original = first.setdefault(item.hash, item) if item.size else item
        if original is item:
            kept.append(item)
        else:
            duplicates.append(Duplicate(item.source, original.source, item.hash))
    return kept, duplicates


def take_inventory(input_dir: Path, suffixes: set[str], exclude: Path | None = None,
                   threads: int = 4) -> Inventory:
    """Find, hash and deduplicate the input files; nothing in the directory makes it raise."""
    files, problems = find_files(input_dir, suffixes, exclude)
    planned, unreadable = hash_files(files, threads)
    unique, duplicates = deduplicate(planned)
    return Inventory(unique, duplicates, sorted(problems + unreadable, key=lambda p: p.source))
