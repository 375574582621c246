"""Tile settings, read at call time from ``settings.SPASS`` (defaults in config/settings.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def tiles_setting(name: str):
    return settings.SPASS[name]


def cache_root() -> str:
    """The tile cache's folder as a string (the fast path builds file names on it)."""
    return f"{settings.SPASS['VAR_DIR']}/tiles"


def cache_dir() -> Path:
    return Path(cache_root())
