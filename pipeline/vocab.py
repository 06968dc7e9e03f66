"""Vocabulary of the genre, loaded once from the YAML files under ``models/``.

Document kinds and symbols, issuing bodies, unit names and abbreviations,
deadline and comparator words live there as data, not in regexes scattered in
code. ``load("units")`` returns the parsed ``models/units.yaml``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader when PyYAML was built with it: the same data, parsed ~10x faster
# (every worker process loads the vocabulary once at start).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MODELS_DIR = Path(os.environ.get("VNRES_MODELS_DIR", Path(__file__).resolve().parent.parent / "models"))


@functools.lru_cache(maxsize=None)
def load(name: str) -> Any:
    path = MODELS_DIR / f"{name}.yaml"
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)
