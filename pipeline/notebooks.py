"""Run the notebooks headless on a run's outputs: ``make notebooks``.

``python -m pipeline.notebooks OUTPUT`` executes every ``notebooks/*.ipynb`` top
to bottom against ``OUTPUT`` (through the ``VNRES_OUTPUTS`` variable the
notebooks read) and writes the executed copies, with their tables and plots,
to ``OUTPUT/notebooks/``. The tests call :func:`execute` the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def execute(path: Path, outputs: str | Path, timeout: int = 600):
    """Execute one notebook against ``outputs``; returns the executed notebook.

    Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get("VNRES_OUTPUTS")
    os.environ["VNRES_OUTPUTS"] = str(Path(outputs).resolve())
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("VNRES_OUTPUTS", None)
        else:
            os.environ["VNRES_OUTPUTS"] = previous
    return nb


def main(argv: list[str] | None = None) -> int:
    import nbformat

    from .io import write_atomic

    outputs = Path((argv or sys.argv[1:] or ["outputs"])[0])
    for path in notebooks():
        nb = execute(path, outputs)
        write_atomic(outputs / "notebooks" / path.name, nbformat.writes(nb))
        print(f"ran {path.name} → {outputs / 'notebooks' / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
