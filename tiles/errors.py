"""Errors of the tile channel, with a French message and the HTTP status they mean."""

from __future__ import annotations


class TileError(Exception):
    """A request that cannot be answered with a tile: ``status`` and a French ``message``."""

    def __init__(self, message: str, status: int = 400, code: str = "InvalidParameterValue"):
        self.message = message
        self.status = status
        self.code = code
        super().__init__(message)
