"""Result JSON through orjson keeps what the standard library kept."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import pytest

from pipeline.io import dumps_json, loads_json, read_json, write_json


def test_integers_beyond_64_bits_survive_a_round_trip(tmp_path):
    value = {"value": 123456789012345678901234, "small": 7, "text": "đạt 13,5 triệu"}
    write_json(tmp_path / "r.json", value)
    assert read_json(tmp_path / "r.json") == value
    assert isinstance(read_json(tmp_path / "r.json")["value"], int)
    assert loads_json(json.dumps(value)) == value


def test_objects_the_standard_library_refuses_are_still_refused():
    @dataclass
    class Point:
        x: int

    for obj in (Point(1), datetime.date(2025, 1, 1), {1, 2}, object()):
        with pytest.raises(TypeError):
            dumps_json({"x": obj})


def test_non_finite_numbers_are_written_as_null_and_old_nan_files_still_read():
    assert loads_json(dumps_json({"v": float("inf"), "n": float("nan")})) == {"v": None, "n": None}
    assert loads_json(b'{"v": NaN}')["v"] != loads_json(b'{"v": NaN}')["v"]  # NaN, as json reads it


def test_text_is_utf8_not_escaped_and_indented_unless_asked():
    data = dumps_json({"a": "Tổng Liên đoàn", "b": [1]})
    assert "Tổng Liên đoàn".encode("utf-8") in data and b"\n  " in data
    assert b"\n" not in dumps_json({"a": [1, 2]}, indent=False)
