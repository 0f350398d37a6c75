"""Server-side SVG bar charts (hits per month), so the timeline needs no script and no CDN.

Only presentation attributes are used (no ``style=``), which the page CSP allows; every text
in the SVG is escaped, and each bar links to the search narrowed to its month or year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

MAX_BARS = 120
"""Past ten years of months, bars become years so each one stays clickable."""


@dataclass(slots=True, frozen=True)
class Bar:
    label: str
    """``YYYY-MM`` or ``YYYY``."""
    count: int


def month_bars(counts: dict[str, int]) -> list[Bar]:
    """Months from the first to the last with hits, gaps filled with zeros; years when the span is long."""
    months = sorted(k for k in counts if _is_month(k))
    if not months:
        return []
    first, last = months[0], months[-1]
    span = _month_index(last) - _month_index(first) + 1
    if span > MAX_BARS:
        by_year: dict[str, int] = {}
        for key in months:
            by_year[key[:4]] = by_year.get(key[:4], 0) + counts[key]
        years = range(int(first[:4]), int(last[:4]) + 1)
        return [Bar(str(y), by_year.get(f"{y:04d}", 0)) for y in years]
    bars = []
    for i in range(_month_index(first), _month_index(last) + 1):
        key = f"{i // 12:04d}-{i % 12 + 1:02d}"
        bars.append(Bar(key, counts.get(key, 0)))
    return bars


@dataclass(frozen=True, slots=True)
class ChartWording:
    """What a timeline chart says besides its title and unit, as ``%``-format strings: the pages
    pass them translated into the interface's language."""

    span: str = "%(title)s: %(total)s %(unit)s from %(first)s to %(last)s"
    per_month: str = "one bar per month"
    per_year: str = "one bar per year"


def timeline_svg(
    counts: dict[str, int],
    link: Callable[[str], str] | None = None,
    *,
    title: str = "Hits per month",
    unit: tuple[str, str] = ("hit", "hits"),
    wording: ChartWording | None = None,
    width: int = 720,
    height: int = 140,
) -> Markup:
    """An accessible inline SVG bar chart; ``link(label)`` gives each bar's href (a month or a year).

    ``unit`` names what is counted (singular, plural): hits, mentions, events; ``wording`` gives
    the rest of what the chart says in the interface's language.
    """
    words = wording or ChartWording()
    bars = month_bars(counts)
    if not bars:
        return Markup("")
    top = max(b.count for b in bars) or 1
    pad_left, pad_bottom, pad_top = 34, 22, 8
    plot_w = width - pad_left - 30  # room for the last tick label
    plot_h = height - pad_bottom - pad_top
    step = plot_w / len(bars)
    bar_w = max(step * 0.8, 1.0)
    per = words.per_year if len(bars[0].label) == 4 else words.per_month
    total = sum(b.count for b in bars)
    # an image's children are hidden from assistive technology: with links in it, it is a group
    role = "img" if link is None else "group"
    parts = [
        f'<svg class="chart" role="{role}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title">',
        '<title id="chart-title">'
        + escape(
            words.span
            % {
                "title": title,
                "total": total,
                "unit": unit[0] if total == 1 else unit[1],
                "first": bars[0].label,
                "last": bars[-1].label,
            }
        )
        + "</title>",
        f'<line class="axis" x1="{pad_left}" y1="{pad_top + plot_h}" x2="{pad_left + plot_w}" '
        f'y2="{pad_top + plot_h}" stroke="currentColor" stroke-width="1"/>',
        f'<text class="tick" x="{pad_left - 4}" y="{pad_top + 8}" text-anchor="end" font-size="10" '
        f'fill="currentColor">{top}</text>',
        f'<text class="tick" x="{pad_left - 4}" y="{pad_top + plot_h}" text-anchor="end" font-size="10" '
        f'fill="currentColor">0</text>',
    ]
    label_every = max(1, len(bars) // 8)
    for i, bar in enumerate(bars):
        h = plot_h * bar.count / top
        x = pad_left + i * step + (step - bar_w) / 2
        y = pad_top + plot_h - h
        rect = (
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0):.1f}">'
            f"<title>{escape(bar.label)}: {bar.count} {escape(unit[0] if bar.count == 1 else unit[1])}</title></rect>"
        )
        if link is not None and bar.count:
            rect = (
                f'<a href="{escape(link(bar.label), quote=True)}" aria-label="{escape(bar.label)}">{rect}</a>'
            )
        parts.append(rect)
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{pad_left + i * step:.1f}" y="{height - 6}" font-size="10" '
                f'fill="currentColor">{escape(bar.label)}</text>'
            )
    parts.append(f"<desc>{escape(per)}</desc></svg>")
    return Markup("".join(parts))


def month_range(label: str) -> tuple[str, str]:
    """The ``from``/``to`` filter values covering a bar (a month or a year)."""
    return label, label


def _is_month(key: str) -> bool:
    return (
        len(key) == 7
        and key[:4].isdigit()
        and key[4] == "-"
        and key[5:].isdigit()
        and 1 <= int(key[5:]) <= 12
    )


def _month_index(key: str) -> int:
    return int(key[:4]) * 12 + int(key[5:7]) - 1


SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00")
"""Okabe and Ito's colours, told apart with every common colour blindness; lines also differ in dashes."""
SERIES_DASHES = ("", "6 3", "2 2", "8 3 2 3", "1 3")


@dataclass(slots=True, frozen=True)
class Series:
    """One line of a comparison: its label and a value per period (counts, or shares 0–1)."""

    label: str
    values: tuple[float, ...]


def compare_svg(
    periods: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    shares: bool = False,
    width: int = 720,
    height: int = 240,
) -> Markup:
    """An accessible inline SVG line chart, one line per series over the same periods.

    ``title`` and ``description`` name it for screen readers (the page gives the numbers as a table
    too); ``shares`` draws values as percentages. Every text is escaped.
    """
    if not periods or not series:
        return Markup("")
    top = max((v for s in series for v in s.values), default=0.0) or 1.0
    pad_left, pad_right, pad_top, pad_bottom = 44, 16, 10, 24
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    step = plot_w / max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return pad_left + (i * step if len(periods) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return pad_top + plot_h - plot_h * value / top

    def shown(value: float) -> str:
        return f"{value * 100:.1f}%" if shares else f"{value:g}"

    parts = [
        f'<svg class="chart compare" role="img" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="compare-title compare-desc">',
        f'<title id="compare-title">{escape(title)}</title>',
        f'<desc id="compare-desc">{escape(description)}</desc>',
        f'<line class="axis" x1="{pad_left}" y1="{pad_top + plot_h}" x2="{pad_left + plot_w}" '
        f'y2="{pad_top + plot_h}" stroke="currentColor" stroke-width="1"/>',
        f'<text class="tick" x="{pad_left - 4}" y="{pad_top + 8}" text-anchor="end" font-size="10" '
        f'fill="currentColor">{escape(shown(top))}</text>',
        f'<text class="tick" x="{pad_left - 4}" y="{pad_top + plot_h}" text-anchor="end" font-size="10" '
        f'fill="currentColor">{escape(shown(0))}</text>',
    ]
    label_every = max(1, -(-len(periods) // 8))
    for i, period in enumerate(periods):
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{height - 6}" font-size="10" text-anchor="middle" '
                f'fill="currentColor">{escape(period)}</text>'
            )
    for n, line in enumerate(series):
        colour, dash = SERIES_COLOURS[n % len(SERIES_COLOURS)], SERIES_DASHES[n % len(SERIES_DASHES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.values))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g class="series"><title>{escape(line.label)}</title>'
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        if len(periods) <= 60:  # a dot per period, each with its value, while they stay apart
            for i, value in enumerate(line.values):
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.5" fill="{colour}">'
                    f"<title>{escape(line.label)}, {escape(periods[i])}: {escape(shown(value))}</title></circle>"
                )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
