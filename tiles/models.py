"""Tiles own no table: the cluster cells they draw at low zoom are a summary of the resource
table kept by PostgreSQL in ``observatoire`` (``observatoire.summaries``), read here only."""

from observatoire.summaries import CELL_ZOOMS, ClusterCell

__all__ = ["CELL_ZOOMS", "ClusterCell"]
