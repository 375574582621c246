"""Tile settings, read at call time from ``settings.SPASS`` (defaults here)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

DEFAULTS = {
    # Below this zoom, features are aggregated into clusters.
    "TILES_CLUSTER_BELOW_ZOOM": 10,
    # Cluster grid cells per tile side (32 → a cell of 16 px on a 512 px tile).
    "TILES_CLUSTER_CELLS": 32,
    # A tile holding more features (at any zoom below the finest cluster cells) is drawn as
    # clusters too: no map draws 100k points of one tile; 0 turns it off.
    "TILES_MAX_FEATURES": 10_000,
    "TILES_MAXZOOM": 22,
    # Seconds a browser may keep an anonymous tile (the server cache is invalidated on write).
    "TILES_MAX_AGE": 60,
    "TILES_CACHE": True,
    # Filtered tiles are not stored by default: free-text filters would let anyone fill the disk.
    "TILES_CACHE_FILTERED": False,
}


def tiles_setting(name: str):
    return settings.SPASS.get(name, DEFAULTS[name])


def cache_dir() -> Path:
    return Path(settings.SPASS["VAR_DIR"]) / "tiles"
