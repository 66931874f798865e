"""Small, self-contained SVG charts (no chart library): each has a title and text labels for screen readers,
and becomes an <img> data URI, which browsers and WeasyPrint both draw."""

from __future__ import annotations

import base64
from html import escape

WIDTH = 640
BAR_HEIGHT = 22
LABEL_WIDTH = 200
COLOURS = ["#1d70b8", "#505a5f", "#f47738", "#00703c", "#4c2c92", "#d4351c"]


def bar_chart(title: str, bars: list[tuple[str, float]], *, maximum: float = 100.0, unit: str = "%") -> str:
    """Horizontal bars, one per (label, value)."""
    height = 40 + len(bars) * (BAR_HEIGHT + 8)
    span = WIDTH - LABEL_WIDTH - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="Arial, sans-serif" font-size="13">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>']
    for index, (label, value) in enumerate(bars):
        y = 32 + index * (BAR_HEIGHT + 8)
        length = max(0.0, min(value, maximum)) / maximum * span if maximum else 0
        colour = COLOURS[index % len(COLOURS)]
        parts += [f'<text x="0" y="{y + 15}">{escape(label)}</text>',
                  f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>',
                  f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}">{value:.1f}{escape(unit)}</text>']
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, points: list[tuple[str, float]], *, minimum: float = 80.0, maximum: float = 100.0,
               unit: str = "%") -> str:
    """A line through (label, value) points, e.g. attendance week by week."""
    height, left, bottom, top = 260, 50, 220, 40
    span_x = WIDTH - left - 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="Arial, sans-serif" font-size="12">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 20}" y2="{bottom}" stroke="#505a5f"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#505a5f"/>',
             f'<text x="0" y="{top + 4}">{maximum:.0f}{unit}</text>',
             f'<text x="0" y="{bottom + 4}">{minimum:.0f}{unit}</text>']
    if points:
        step = span_x / max(len(points) - 1, 1)

        def y_of(value: float) -> float:
            clipped = max(minimum, min(value, maximum))
            return bottom - (clipped - minimum) / (maximum - minimum) * (bottom - top)

        coords = [(left + i * step, y_of(v)) for i, (_, v) in enumerate(points)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
        for (x, y), (label, value) in zip(coords, points, strict=True):
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1d70b8"><title>{escape(label)}: '
                      f'{value:.1f}{unit}</title></circle>',
                      f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="10">'
                      f'{escape(label)}</text>']
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
