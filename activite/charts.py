"""Bar and line charts drawn as SVG on the server, for the printed report (WeasyPrint runs no
JavaScript, so Chart.js cannot draw there). Small on purpose: axes, bars or a line, labels,
a legend; the same colours as the page's Chart.js charts."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

#: One colour per series (kinds of mission), colour-blind friendly (Okabe–Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442")
_W, _H, _LEFT, _BOTTOM, _TOP = 640, 320, 48, 76, 20


def _nice_max(value: int) -> int:
    """A round upper bound of the axis (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _axes(top: int, title: str) -> list[str]:
    parts = [
        f'<text x="{_W / 2}" y="12" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(title)}</text>'
    ]
    plot_h = _H - _BOTTOM - _TOP
    for i in range(6):  # five intervals: round ticks for the 1, 2, 5 × 10ⁿ bounds
        value = f"{top * i / 5:g}"
        y = _H - _BOTTOM - plot_h * i / 5
        parts.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_W - 8}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{value}</text>'
        )
    return parts


def _svg(parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" '
        f'height="{_H}" font-family="sans-serif" role="img">' + "".join(parts) + "</svg>"
    )


def _legend(labels: Sequence[str]) -> list[str]:
    """Coloured squares and labels under the plot, on as many rows as needed."""
    parts, x, y = [], _LEFT, _H - 44
    for i, label in enumerate(labels):
        width = 20 + 6 * len(label)
        if x + width > _W and x > _LEFT:
            x, y = _LEFT, y + 15
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 9}" font-size="10">{escape(label)}</text>'
        )
        x += width
    return parts


def stacked_bars(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> str:
    """Bars per category (years), stacked by series (kinds)."""
    totals = [sum(values[i] for _l, values in series) for i in range(len(categories))]
    top = _nice_max(max(totals, default=0))
    parts = _axes(top, title)
    plot_w, plot_h = _W - _LEFT - 8, _H - _BOTTOM - _TOP
    slot = plot_w / max(len(categories), 1)
    width = min(60.0, slot * 0.7)
    for i, category in enumerate(categories):
        x = _LEFT + slot * i + (slot - width) / 2
        base = _H - _BOTTOM
        for s, (_label, values) in enumerate(series):
            height = plot_h * values[i] / top
            if height:
                base -= height
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{width:.1f}" height="{height:.1f}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                )
        parts.append(
            f'<text x="{x + width / 2:.1f}" y="{_H - _BOTTOM + 14}" text-anchor="middle" '
            f'font-size="10">{escape(category)}</text>'
        )
    return _svg(parts + _legend([label for label, _v in series]))


def line(title: str, categories: Sequence[str], values: Sequence[int], label: str) -> str:
    """One line of values per category (missions per year)."""
    top = _nice_max(max(values, default=0))
    parts = _axes(top, title)
    plot_w, plot_h = _W - _LEFT - 8, _H - _BOTTOM - _TOP
    slot = plot_w / max(len(categories), 1)
    points = [
        (_LEFT + slot * (i + 0.5), _H - _BOTTOM - plot_h * v / top) for i, v in enumerate(values)
    ]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>'
        )
    for (x, y), category, value in zip(points, categories, values, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{PALETTE[0]}"/>'
            f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="10">{value}</text>'
            f'<text x="{x:.1f}" y="{_H - _BOTTOM + 14}" text-anchor="middle" '
            f'font-size="10">{escape(category)}</text>'
        )
    return _svg(parts + _legend([label]))
