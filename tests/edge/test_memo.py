"""The one compiled-SQL memo: bounded, least recently used first out, built once per key;
both channels that keep compiled SQL use it."""

from __future__ import annotations

import pytest

from ogc import pagesql
from tiles import render
from workgroups.edge import Memo


def test_least_recently_used_goes_first_and_values_are_built_once():
    memo = Memo(2)
    built = []

    def build(value):
        return lambda: built.append(value) or value

    assert memo.get("a", build("A")) == "A"
    assert memo.get("b", build("B")) == "B"
    assert memo.get("a", build("not again")) == "A"  # a is now the most recent
    assert memo.get("c", build("C")) == "C"  # b goes
    assert "b" not in memo and "a" in memo and len(memo) == 2
    assert built == ["A", "B", "C"]


def test_a_failed_build_keeps_nothing():
    memo = Memo(2)

    def fail():
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.get("x", fail)
    assert "x" not in memo and len(memo) == 0


def test_ogc_pages_and_tiles_use_the_one_memo():
    assert isinstance(pagesql.memo, Memo) and isinstance(render.memo, Memo)
