"""Tile settings, read at call time from ``settings.SPASS`` (defaults in config/settings.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def tiles_setting(name: str):
    return settings.SPASS[name]


def cache_dir() -> Path:
    return Path(settings.SPASS["VAR_DIR"]) / "tiles"
