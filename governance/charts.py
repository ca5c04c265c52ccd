"""Server-rendered SVG charts for the dashboards: no JavaScript, no dependency, printable.

A chart is computed and drawn here as inline SVG (``chart.svg``, which ``includes/chart_bar.html``
and ``includes/chart_line.html`` print): a dashboard draws a dozen, and drawing them with the
template engine cost a third of the page. The Content-Security-Policy
forbids inline ``style`` attributes and scripts, so colours come from classes in static/css
(``.chart .bad`` …) and sizes from SVG presentation attributes (``x``, ``width``…), which CSP allows.
Every chart carries a ``<title>`` and an ``aria-label`` and is shown with a text table of the same
figures (screen readers, export). Why not pygal: the portal runs offline, pygal's output uses inline
styles and scripts the CSP refuses, and the two charts needed are this short module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# Completeness and timeliness thresholds (percent): below BAD is red, below WARN amber, else green.
BAD_BELOW = 80
WARN_BELOW = 95

WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 70
BAR_HEIGHT = 18
BAR_GAP = 6


def level(value, *, bad: float = BAD_BELOW, warn: float = WARN_BELOW, higher_is_better: bool = True) -> str:
    """The colour class of a figure: ``bad`` (< bad), ``warn`` (< warn), ``ok``; ``none`` without one.
    With ``higher_is_better=False`` (overdue counts) the comparison is reversed: > bad, > warn."""
    if value is None:
        return "none"
    value = Decimal(str(value))
    if higher_is_better:
        return "bad" if value < bad else "warn" if value < warn else "ok"
    return "bad" if value > bad else "warn" if value > warn else "ok"


def worst_first(rows, value, *, higher_is_better: bool = True, name=lambda row: ""):
    """Rows sorted worst first: lowest value (highest when lower is better), rows without a figure last."""

    def key(row):
        figure = value(row)
        if figure is None:
            return (1, 0, name(row))
        return (0, figure if higher_is_better else -figure, name(row))

    return sorted(rows, key=key)


# An admin's dashboard covers the province (3,100 townships): its charts and tables show the worst
# rows only, the export every row (bench/README.md, [8/10] speed at province size).
ADMIN_ROWS = 30


def shown_rows(rows, *, many_counties: bool):
    """The rows a dashboard panel draws: all of them for a county or township, the ADMIN_ROWS worst
    (``rows`` already sorted worst first) across the province for an admin."""
    return rows[:ADMIN_ROWS] if many_counties else rows


def rank_rows(rows, *, key, name, many_counties: bool, higher_is_better: bool = True, link=None):
    """A dashboard panel's township rows: ``(all rows worst first, the rows drawn)``.

    ``key`` gives a row's figure (``None`` sorts last), ``name`` the tie-break; ``link(row)``, when
    given, sets the row's links and is called for the drawn rows only."""
    ranked = worst_first(rows, key, higher_is_better=higher_is_better, name=name)
    shown = shown_rows(ranked, many_counties=many_counties)
    if link is not None:
        # Links (reverse/urlencode) only for the rows drawn: an admin's province has 3,111 townships,
        # linking them all costs seconds per panel, and the export (every row) has no links.
        for row in shown:
            link(row)
    return ranked, shown


def percent_text(value) -> str:
    """A rate as the dashboards print it: ``40.0%``, or a dash without a figure."""
    return "—" if value is None else f"{value}%"


def percent_chart(
    title: str, rows, *, label, value, href, css, thresholds=(BAD_BELOW, WARN_BELOW)
) -> BarChart:
    """The bar chart of a rate per row (0–100 %): one bar per row of ``rows``, in their order."""
    bars = [
        Bar(label=label(row), value=value(row), text=percent_text(value(row)), css=css(row), href=href(row))
        for row in rows
    ]
    return bar_chart(title, bars, maximum=100, thresholds=thresholds)


class LazyRows:
    """A table's rows, built when the export iterates them: the page only draws its chart and the
    worst rows, so an admin's 3,111 township rows per panel are formatted only for ``?export=xlsx``."""

    def __init__(self, build):
        self._build = build

    def __iter__(self):
        return iter(self._build())


def township_table(title: str, headers, rows, *, cells, many_counties: bool, county=None) -> dict:
    """An export table of a panel with a row per township: a leading county column (``county(row)``)
    when the panel spans counties (an admin's), then ``cells(row)``."""
    return {
        "title": title,
        "headers": [*([_("县（市）")] if many_counties else []), *headers],
        "rows": LazyRows(lambda: [[*([county(row)] if many_counties else []), *cells(row)] for row in rows]),
    }


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    css: str
    href: str = ""
    y: float = 0
    width: float = 0


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    maximum: float = 100
    height: float = 0
    label_width: int = LABEL_WIDTH
    plot_width: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    width: int = WIDTH
    marks: list[tuple[float, str]] = field(default_factory=list)  # (x, text) of threshold lines
    svg: str = ""  # the drawn chart (includes/chart_bar.html prints it)


def _bar_svg(chart: BarChart) -> str:
    """The bar chart's ``<figure>``: built here rather than in a template, since a dashboard draws a
    dozen of them per request and the template engine took a third of the page's time. Numbers are
    written unlocalised (SVG coordinates); every text is escaped."""
    colon = _("：")
    title = escape(chart.title)
    parts = [
        f'<figure class="chart">\n<svg class="chart bar" viewBox="0 0 {chart.width} '
        f'{_number(chart.height + 20)}" width="100%" role="group" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg">\n  <title>{title}</title>\n  '
    ]
    for bar in chart.bars:
        link_open, link_close = (f'<a href="{escape(bar.href)}">', "</a>") if bar.href else ("", "")
        y = _number(bar.y)
        parts.append(
            f'<g class="{escape(bar.css)}">\n    {link_open}<title>{escape(bar.label)}{colon}'
            f'{escape(bar.text)}</title>\n    <text class="label" x="{chart.label_width - 6}" '
            f'y="{_number(bar.y + 13)}" text-anchor="end">{escape(Truncator(bar.label).chars(12))}</text>\n'
            f'    <rect class="track" x="{chart.label_width}" y="{y}" width="{chart.plot_width}" '
            'height="18"></rect>\n'
            f'    <rect class="fill" x="{chart.label_width}" y="{y}" width="{bar.width}" '
            'height="18"></rect>\n'
            f'    <text class="value" x="{chart.width - 4}" y="{_number(bar.y + 13)}" text-anchor="end">'
            f"{escape(bar.text)}</text>{link_close}\n  </g>"
        )
    parts.append("\n  ")
    for x, text in chart.marks:
        parts.append(
            f'<line class="mark" x1="{x}" x2="{x}" y1="0" y2="{_number(chart.height)}"></line>'
            f'<text class="marktext" x="{x}" y="{_number(chart.height + 14)}" text-anchor="middle">'
            f"{escape(text)}%</text>"
        )
    parts.append(f"\n</svg>\n<figcaption>{escape(chart.title)}</figcaption>\n</figure>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def _number(value) -> str:
    """A coordinate as SVG wants it: ``12``, ``12.5`` (never a localised ``12,5``)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(title: str, bars: list[Bar], *, maximum: float | None = None, thresholds=()) -> BarChart:
    """Horizontal bars in the given order; ``maximum`` defaults to the largest value (100 for rates)."""
    top = maximum or max((float(b.value) for b in bars if b.value is not None), default=0) or 1
    chart = BarChart(title=title, bars=bars, maximum=top)
    for index, bar in enumerate(bars):
        bar.y = index * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
        bar.width = round(chart.plot_width * min(float(bar.value or 0), top) / top, 1)
    chart.height = len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    chart.marks = [(round(LABEL_WIDTH + chart.plot_width * t / top, 1), f"{t:g}") for t in thresholds]
    chart.svg = _bar_svg(chart)
    return chart


@dataclass
class Point:
    label: str
    value: float | None
    text: str
    x: float = 0
    y: float = 0


@dataclass
class LineChart:
    title: str
    points: list[Point]
    path: str = ""
    width: int = WIDTH
    height: int = 200
    top: int = 10
    bottom: int = 170
    left: int = 40
    right: int = WIDTH - 10
    grid: list[tuple[float, str]] = field(default_factory=list)
    svg: str = ""  # the drawn chart (includes/chart_line.html prints it)


def _line_svg(chart: LineChart) -> str:
    """The line chart's ``<figure>`` (see ``_bar_svg`` for why it is not a template)."""
    colon = _("：")
    title = escape(chart.title)
    parts = [
        f'<figure class="chart">\n<svg class="chart line" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="100%" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg">\n'
        f"  <title>{title}</title>\n  "
    ]
    for y, text in chart.grid:
        parts.append(
            f'<line class="gridline" x1="{chart.left}" x2="{chart.right}" y1="{y}" y2="{y}"></line>'
            f'<text class="marktext" x="{chart.left - 4}" y="{y}" text-anchor="end">{escape(text)}%</text>'
        )
    parts.append(f'\n  <path class="trend" d="{escape(chart.path)}"></path>\n  ')
    for point in chart.points:
        if point.value is not None:
            parts.append(
                f'<circle class="dot" cx="{point.x}" cy="{point.y}" r="4"><title>{escape(point.label)}'
                f"{colon}{escape(point.text)}</title></circle>"
            )
        parts.append(
            f'\n  <text class="marktext" x="{point.x}" y="{chart.bottom + 20}" text-anchor="middle">'
            f"{escape(point.label)}</text>"
        )
    parts.append(f"\n</svg>\n<figcaption>{escape(chart.title)}</figcaption>\n</figure>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def line_chart(title: str, points: list[Point], *, maximum: float = 100) -> LineChart:
    """A 0–``maximum`` line over equally spaced points (a 12-month trend); gaps where a value is None."""
    chart = LineChart(title=title, points=points)
    span = chart.right - chart.left
    step = span / max(len(points) - 1, 1)
    parts, pen_down = [], False
    for index, point in enumerate(points):
        point.x = round(chart.left + index * step, 1)
        if point.value is None:
            pen_down = False
            continue
        point.y = round(chart.bottom - (chart.bottom - chart.top) * float(point.value) / maximum, 1)
        parts.append(f"{'L' if pen_down else 'M'}{point.x},{point.y}")
        pen_down = True
    chart.path = " ".join(parts)
    chart.grid = [
        (round(chart.bottom - (chart.bottom - chart.top) * mark / maximum, 1), f"{mark:g}")
        for mark in (0, maximum / 2, maximum)
    ]
    chart.svg = _line_svg(chart)
    return chart
