"""A small SVG bar chart of a batch's distributions, drawn by hand: no plotting dependency."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 150
BAR_WIDTH = 260
PANEL_WIDTH = LABEL_WIDTH + BAR_WIDTH + 60
COLOURS = ("#4f6bed", "#2a9d8f", "#e76f51", "#8d6cab")


def panel(title: str, counts: Mapping[str, int], x: int, colour: str) -> tuple[list[str], int]:
    """One titled panel of horizontal bars; returns its SVG elements and its height."""
    top = max(counts.values(), default=1) or 1
    elements = [f'<text x="{x}" y="16" font-weight="bold">{escape(title)}</text>']
    y = 28
    for label, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        width = max(1, round(BAR_WIDTH * count / top))
        elements += [
            f'<text x="{x + LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">'
            f"{escape(label)}</text>",
            f'<rect x="{x + LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>',
            f'<text x="{x + LABEL_WIDTH + width + 4}" y="{y + 13}">{count}</text>',
        ]
        y += BAR_HEIGHT + GAP
    return elements, y


def bar_chart(distributions: Mapping[str, Mapping[str, int]]) -> str:
    """Panels side by side, one per distribution (title -> label -> count)."""
    elements: list[str] = []
    height = 0
    for index, (title, counts) in enumerate(distributions.items()):
        colour = COLOURS[index % len(COLOURS)]
        drawn, panel_height = panel(title, counts, index * PANEL_WIDTH + 10, colour)
        elements += drawn
        height = max(height, panel_height)
    width = PANEL_WIDTH * max(1, len(distributions)) + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 8}" '
        f'viewBox="0 0 {width} {height + 8}" font-family="sans-serif" font-size="12">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(elements) + "\n</svg>\n"
    )
