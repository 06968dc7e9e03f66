"""Progress bar for a batch: documents done, failed and skipped (cached), with ETA.

Drawn with tqdm on stderr only when stderr is a terminal (a log file or CI gets
the summary line alone) and not asked to be quiet.
"""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    def __init__(self, total: int, skipped: int = 0, quiet: bool = False):
        self.quiet = quiet
        self.done = 0
        self.failed = 0
        self.skipped = skipped
        self._bar: Any = None
        if not quiet and sys.stderr.isatty() and total:
            from tqdm import tqdm

            # Cached documents are not part of the bar: they cost nothing, and
            # counting them would make the ETA optimistic.
            self._bar = tqdm(total=total, unit="doc", smoothing=0.05, file=sys.stderr, desc="extract")
            self._refresh()

    def _refresh(self) -> None:
        self._bar.set_postfix_str(f"done={self.done} failed={self.failed} skipped={self.skipped}",
                                  refresh=False)

    def update(self, failed: bool) -> None:
        if failed:
            self.failed += 1
        else:
            self.done += 1
        if self._bar is not None:
            self._refresh()
            self._bar.update(1)

    def note(self, message: str) -> None:
        """A line above the bar (or on stderr when there is no bar)."""
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
