"""Bar charts as inline SVG: drawn on the server, no scripts, no internet, sharp in print."""

from html import escape

BAR_HEIGHT = 18
GAP = 8
LABEL_WIDTH = 190
CHART_WIDTH = 560


def bar_chart(title: str, items: list[tuple[str, float | None]], unit: str = "%") -> str:
    """Return an SVG horizontal bar chart of ``(label, value)`` pairs (values 0-100 for %)."""
    scale_max = 100 if unit == "%" else max([v or 0 for _, v in items] + [1])
    bar_room = CHART_WIDTH - LABEL_WIDTH - 60
    height = 30 + len(items) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        '<text x="0" y="16" font-size="14" font-weight="bold" fill="#1d2430">'
        f"{escape(title)}</text>",
    ]
    for index, (label, value) in enumerate(items):
        y = 28 + index * (BAR_HEIGHT + GAP)
        width = 0 if value is None else round(bar_room * min(value, scale_max) / scale_max)
        shown = "—" if value is None else f"{value:g}{unit}"
        parts += [
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" font-size="12" text-anchor="end" '
            f'fill="#1d2430">{escape(label[:30])}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar_room}" height="{BAR_HEIGHT}" '
            'fill="#eef1f5"/>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            'fill="#0b5cad"/>',
            f'<text x="{LABEL_WIDTH + bar_room + 6}" y="{y + 13}" font-size="12" '
            f'fill="#1d2430">{shown}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)
