"""The funding chart: an accessible inline SVG bar chart drawn at build time, with its data table.

No JavaScript and nothing fetched: the page carries the drawing. Bar lengths are exactly
proportional to the amounts (the largest bar spans the plot), every bar is labelled in text,
the SVG has a ``<title>`` and ``<desc>`` for screen readers, and a plain HTML table next to it
holds the same numbers. Colours come from CSS custom properties (``docs/assets/briefing.css``)
so the chart follows the light and dark palettes; the presentation attributes are only the
fallback for readers without the stylesheet.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .markup import text

# Geometry in SVG user units. The SVG scales with its box (CSS caps its width), so these are
# chosen for a phone: 360 units wide keeps 13-unit text at about 12 px on a 375 px screen.
WIDTH = 360
# Beside the longest bar: room for the longest value label, at the widest a bold 13-unit sans-serif
# glyph takes (DejaVu Sans Bold, the fallback on Linux: about 8.5 units), capped at half the chart.
VALUE_CHAR = Decimal("8.5")
VALUE_PAD = 8
LINE = 17                 # one line of label text
BAR = 18                  # bar thickness
GAP = 16                  # between one bar and the next label
LABEL_CHARS = 48          # wrap labels longer than this (about 7 units per character)
TOP = 4


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: Decimal
    value_label: str


def plot_width(value_labels: Sequence[str]) -> Decimal:
    """How long the longest bar may be: the chart's width less the room its value label needs."""
    longest = max((len(label) for label in value_labels), default=0)
    return WIDTH - min(Decimal(WIDTH) / 2, longest * VALUE_CHAR + VALUE_PAD)


def bar_width(value: Decimal, largest: Decimal, plot: Decimal) -> Decimal:
    """The bar length for ``value`` in user units: proportional, the largest spanning the plot."""
    if largest <= 0:
        return Decimal(0)
    return (value / largest * plot).quantize(Decimal("0.01"))


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar], rtl: bool = False) -> str:
    """One ``<svg>`` element (a single line of raw HTML) with a horizontal bar per value.

    For a right-to-left language the drawing is mirrored: labels and bars start at the right edge,
    each value is left of its bar, and the text runs right to left (``direction="rtl"``, anchored at
    its start).
    """
    largest = max((bar.value for bar in bars), default=Decimal(0))
    plot = plot_width([bar.value_label for bar in bars])
    rows: list[str] = []
    y = TOP
    start = WIDTH if rtl else 0
    direction = ' direction="rtl"' if rtl else ""
    for bar in bars:
        lines = textwrap.wrap(bar.label, LABEL_CHARS) or [""]
        label = "".join(
            f'<tspan x="{start}" dy="{0 if i == 0 else LINE}">{text(line)}</tspan>' for i, line in enumerate(lines)
        )
        rows.append(f'<text class="briefing-chart__label" x="{start}" y="{y + 13}" fill="#212121" '
                    f'font-size="13"{direction}>{label}</text>')
        y += LINE * len(lines) + 4
        width = bar_width(bar.value, largest, plot)
        x = WIDTH - width if rtl else 0
        value_x = WIDTH - width - 6 if rtl else width + 6
        rows.append(f'<rect class="briefing-chart__bar" data-key="{text(bar.key)}" data-value="{bar.value}" '
                    f'x="{x}" y="{y}" width="{width}" height="{BAR}" rx="2" fill="#303f9f"></rect>')
        rows.append(f'<text class="briefing-chart__value" x="{value_x}" y="{y + 13}" fill="#212121" '
                    f'font-size="13" font-weight="700"{direction}>{text(bar.value_label)}</text>')
        y += BAR + GAP
    height = y - GAP + TOP
    return "".join([
        (f'<svg class="briefing-chart" id="{text(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
         f'width="{WIDTH}" height="{height}" aria-labelledby="{text(chart_id)}-title {text(chart_id)}-desc" '
         'xmlns="http://www.w3.org/2000/svg">'),
        f'<title id="{text(chart_id)}-title">{text(title)}</title>',
        f'<desc id="{text(chart_id)}-desc">{text(description)}</desc>',
        *rows,
        "</svg>",
    ])


def chart_block(chart_id: str, title: str, description: str, caption: str, bars: Sequence[Bar],
                headers: tuple[str, str] = ("Figure", "Amount"), numbers: str | None = None,
                rtl: bool = False) -> str:
    """The chart with its caption and, beside it, a table of the same numbers (raw HTML block).

    ``caption`` and the bar texts are plain text; everything is escaped here but ``numbers``, the
    table's caption ("<title>: the numbers" by default), which is already HTML-safe.
    """
    table_rows = "".join(
        f'<tr><th scope="row">{text(bar.label)}</th><td>{text(bar.value_label)}</td></tr>' for bar in bars
    )
    return "\n".join([
        f'<div class="briefing-chart-pair" id="{text(chart_id)}-pair">',
        '<figure class="briefing-figure">',
        bar_chart(chart_id, title, description, bars, rtl),
        f"<figcaption>{text(caption)}</figcaption>",
        "</figure>",
        (f'<table class="briefing-chart-table"><caption>{numbers or f"{text(title)}: the numbers"}</caption>'
         f'<thead><tr><th scope="col">{text(headers[0])}</th><th scope="col">{text(headers[1])}</th></tr></thead>'
         f"<tbody>{table_rows}</tbody></table>"),
        "</div>",
    ])
