"""The funding chart: an accessible inline SVG bar chart drawn at build time (no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .markup import text


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: Decimal
    value_label: str


BAR_HEIGHT = 28
GAP = 14
LABEL_WIDTH = 0
WIDTH = 640
TOP = 8


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> str:
    """An SVG whose bar widths are proportional to the values; labelled for screen readers."""
    largest = max((bar.value for bar in bars), default=Decimal(0)) or Decimal(1)
    plot_width = WIDTH - 10
    height = TOP + len(bars) * (BAR_HEIGHT * 2 + GAP)
    parts = [
        f'<svg class="briefing-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{text(title)}</title>',
        f'<desc id="{chart_id}-desc">{text(description)}</desc>',
    ]
    y = TOP
    for bar in bars:
        width = (bar.value / largest * plot_width).quantize(Decimal("0.01"))
        parts.append(
            f'<text class="briefing-chart__label" x="0" y="{y + 18}">{text(bar.label)} — '
            f'{text(bar.value_label)}</text>'
        )
        parts.append(
            f'<rect class="briefing-chart__bar" data-key="{text(bar.key)}" data-value="{bar.value}" '
            f'x="0" y="{y + BAR_HEIGHT}" width="{width}" height="{BAR_HEIGHT - 6}" rx="3"></rect>'
        )
        y += BAR_HEIGHT * 2 + GAP
    parts.append("</svg>")
    return "".join(parts)
