"""The accent colours a portal may take: each keeps WCAG AA contrast (≥ 4.5:1) with white
text on it and as text on the page background (``--paper`` of ``spass.css``), which
``tests/portals/test_palette.py`` computes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: The page background of ``static/css/spass.css`` (``--paper``).
PAPER = "#fbfaf7"
WHITE = "#ffffff"
AA = 4.5

#: value (hex), label — the first is the default.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#1d3f6e", _("Bleu ardoise")),
    ("#b3261e", _("Rouge brique")),
    ("#1e6b30", _("Vert bocage")),
    ("#6a3d9a", _("Violet")),
    ("#8a4b08", _("Ocre brun")),
    ("#0b5e6b", _("Bleu canard")),
    ("#8a1c56", _("Lie-de-vin")),
    ("#3d4451", _("Gris anthracite")),
)
DEFAULT = PALETTE[0][0]


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.x) of ``#rrggbb``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """Contrast ratio (WCAG 2.x) between two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
