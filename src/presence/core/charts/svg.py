"""Server-rendered SVG charts: bars by category, stacked bars, grouped columns and a trend over years.

Charts are plain SVG in the page (no script, nothing fetched). Every element is a link to the
records behind it, every value is written next to its bar or point, and series are told apart by
patterns and marker shapes as well as colour, so a chart reads in greyscale and on paper.
Each chart also offers its data as a table (`Chart.table_rows`) for screen readers and downloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from presence.core import formatting
from presence.core.exports import Column

Number = int | Decimal

INK = "#1c2733"
MUTED = "#56616d"
LINE = "#d5dbe1"
BRAND = "#0b5394"
# One fill per series: colour and pattern both differ, so series stay apart in greyscale.
FILLS = ("solid", "hatch", "dots", "cross", "light", "vertical")
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "10 3 2 3")


@dataclass(frozen=True)
class Point:
    """One chart element: a bar, a segment of a stacked bar or a point on a line."""

    category: str
    value: Number | None
    url: str = ""


@dataclass
class Series:
    name: str
    points: list[Point]

    def value_at(self, category: str) -> Number | None:
        return next((p.value for p in self.points if p.category == category), None)

    def point_at(self, category: str) -> Point | None:
        return next((p for p in self.points if p.category == category), None)


@dataclass
class Chart:
    """A chart and its data. `kind` is "bar", "stacked", "grouped" or "trend"."""

    key: str
    title: str
    kind: str
    unit: str
    categories: list[str]
    series: list[Series]
    as_of: dt.datetime
    category_label: str = ""
    category_names: dict[str, str] = field(default_factory=dict)
    note: str = ""
    emphasised: frozenset[str] = frozenset()  # categories whose label is bold (a year among its quarters)

    def name_of(self, category: str) -> str:
        return self.category_names.get(category, category)

    @property
    def is_empty(self) -> bool:
        return all(not p.value for s in self.series for p in s.points)

    def series_key(self, index: int) -> str:
        """The CSV header of a series: its name as a slug ("funding_from_partners")."""
        return slugify(self.series[index].name).replace("-", "_") or f"series_{index}"

    def table_columns(self) -> list[Column]:
        columns = [Column("category", self.category_label or "Category")]
        for index, series in enumerate(self.series):
            number_format = "#,##0.0" if self.unit in {"k CHF", "%"} else "#,##0"
            columns.append(Column(self.series_key(index), series.name, number_format))
        if self.kind == "stacked":
            columns.append(Column("total", "Total", "#,##0.0" if self.unit == "k CHF" else "#,##0"))
        return columns

    def table_rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for category in self.categories:
            row: dict[str, object] = {"category": self.name_of(category)}
            for index, series in enumerate(self.series):
                row[self.series_key(index)] = shown(series.value_at(category), self.unit)
            if self.kind == "stacked":
                # The total of the full-precision values, rounded once (not a sum of rounded segments).
                total = sum((Decimal(s.value_at(category) or 0) for s in self.series), Decimal(0))
                row["total"] = _plain(total, self.unit)
            rows.append(row)
        return rows

    def table(self) -> list[tuple[str, list[Point | None]]]:
        """(category name, the point of each series) for the HTML table alternative."""
        return [(self.name_of(c), [s.point_at(c) for s in self.series]) for c in self.categories]

    def svg(self) -> SafeString:
        if self.kind == "stacked":
            return stacked_bar_chart(self)
        if self.kind == "trend":
            return trend_chart(self)
        if self.kind == "grouped":
            return grouped_bar_chart(self)
        return bar_chart(self)


def _decimals(value: Number, unit: str) -> int:
    """Money (k CHF) and shares are written with one decimal, counts as whole numbers."""
    return 1 if isinstance(value, Decimal) or unit in {"k CHF", "%"} else 0


def format_value(value: Number | None, unit: str = "") -> str:
    """A figure as pages and documents write it: rounded once (halves up) and grouped as the active
    language writes numbers (core/formatting.py)."""
    if value is None:
        return "-"
    text = formatting.number(value, _decimals(value, unit))
    return f"{text} %" if unit == "%" else text


def shown(value: Number | None, unit: str = "") -> Number | None:
    """The value a table or a download gives: the full-precision figure rounded once as it is shown."""
    if value is None or not _decimals(value, unit):
        return value
    return formatting.rounded(value, 1)


def _plain(value: Decimal, unit: str) -> Number:
    """A sum of counts as a whole number; money and shares keep their decimals (rounded once)."""
    return formatting.rounded(value, 1) if unit in {"k CHF", "%"} else int(value)


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _patterns(prefix: str) -> str:
    """<defs> with the fills used by series (ids are unique per chart)."""
    light = "#c9dcef"
    return (
        "<defs>"
        f'<pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{light}"/><line x1="0" y1="0" x2="0" y2="6" '
        f'stroke="{BRAND}" stroke-width="2.5"/></pattern>'
        f'<pattern id="{prefix}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.6" fill="{INK}"/></pattern>'
        f'<pattern id="{prefix}-cross" width="7" height="7" patternUnits="userSpaceOnUse">'
        f'<rect width="7" height="7" fill="#e8edf2"/><path d="M0 0L7 7M7 0L0 7" stroke="{INK}" '
        'stroke-width="1"/></pattern>'
        f'<pattern id="{prefix}-vertical" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="#fff"/><line x1="1" y1="0" x2="1" y2="5" stroke="{MUTED}" '
        'stroke-width="2"/></pattern>'
        "</defs>"
    )


def _fill(prefix: str, index: int) -> str:
    name = FILLS[index % len(FILLS)]
    if name == "solid":
        return BRAND
    if name == "light":
        return "#9fb8d0"
    return f"url(#{prefix}-{name})"


def _scale_max(values: Sequence[Number | None]) -> Decimal:
    biggest = max((Decimal(v) for v in values if v is not None), default=Decimal(0))
    return biggest if biggest > 0 else Decimal(1)


def _link(url: str, label: str, body: str) -> str:
    if not url:
        return f"<g><title>{escape(label)}</title>{body}</g>"
    return f'<a href="{_attr(url)}" aria-label="{_attr(label)}"><title>{escape(label)}</title>{body}</a>'


def _open(chart: Chart, width: int, height: int, *, image: bool = False) -> str:
    """The <svg> element and its title; `image` (role="img") for a chart without links."""
    title_id = f"chart-{chart.key}-title"
    role = ' role="img"' if image else ""
    return (
        f'<svg class="chart"{role} viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{title_id}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{title_id}">{escape(chart.title)}</title>'
    )


LABEL_WIDTH = 120
CHART_WIDTH = 560
ROW = 26


def bar_chart(chart: Chart) -> SafeString:
    """Horizontal bars, one per category, each labelled with its value and linked to its records."""
    series = chart.series[0] if chart.series else Series("", [])
    values = [series.value_at(c) for c in chart.categories]
    top = _scale_max(values)
    plot = CHART_WIDTH - LABEL_WIDTH - 70
    height = ROW * len(chart.categories) + 10
    parts = [_open(chart, CHART_WIDTH, height)]
    for row, category in enumerate(chart.categories):
        point = series.point_at(category) or Point(category, None)
        y = 5 + row * ROW
        length = float(Decimal(point.value or 0) / top * plot)
        text = format_value(point.value, chart.unit)
        name = chart.name_of(category)
        label = f"{name}: {text}{'' if chart.unit in ('', '%') else ' ' + chart.unit}"
        body = (
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" fill="{INK}">{escape(name)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(length, 1.5):.1f}" height="{ROW - 8}" '
            f'fill="{BRAND}" stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}" fill="{INK}" font-weight="600">'
            f"{escape(text)}</text>"
        )
        parts.append(_link(point.url, label, body))
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="3" x2="{LABEL_WIDTH}" y2="{height - 3}" stroke="{MUTED}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _legend(chart: Chart, prefix: str, y: int, *, lines: bool = False) -> tuple[str, int]:
    """A legend row (wrapping) with each series' swatch; returns the markup and its height."""
    parts: list[str] = []
    x, row = 0, 0
    for index, series in enumerate(chart.series):
        width = 40 + 8 * len(series.name)
        if x + width > CHART_WIDTH and x > 0:
            x, row = 0, row + 1
        ly = y + row * 20
        if lines:
            dash = DASHES[index % len(DASHES)]
            swatch = (
                f'<line x1="{x}" y1="{ly + 7}" x2="{x + 22}" y2="{ly + 7}" stroke="{INK}" stroke-width="2"'
                f"{f' stroke-dasharray={chr(34)}{dash}{chr(34)}' if dash else ''}/>"
                + _marker(MARKERS[index % len(MARKERS)], x + 11, ly + 7)
            )
        else:
            swatch = (
                f'<rect x="{x}" y="{ly}" width="22" height="14" fill="{_fill(prefix, index)}" '
                f'stroke="{INK}" stroke-width="0.75"/>'
            )
        parts.append(f'{swatch}<text x="{x + 28}" y="{ly + 12}" fill="{INK}">{escape(series.name)}</text>')
        x += width
    return "".join(parts), (row + 1) * 20 + 6


def stacked_bar_chart(chart: Chart) -> SafeString:
    """Horizontal bars split into series, each segment patterned and linked to its records."""
    prefix = f"p-{chart.key}"
    totals = [sum((Decimal(s.value_at(c) or 0) for s in chart.series), Decimal(0)) for c in chart.categories]
    top = _scale_max(totals)
    plot = CHART_WIDTH - LABEL_WIDTH - 80
    legend, legend_height = _legend(chart, prefix, 4)
    height = legend_height + ROW * len(chart.categories) + 10
    parts = [_open(chart, CHART_WIDTH, height), _patterns(prefix), legend]
    for row, category in enumerate(chart.categories):
        y = legend_height + row * ROW
        name = chart.name_of(category)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" fill="{INK}">{escape(name)}</text>'
        )
        x = float(LABEL_WIDTH)
        for index, series in enumerate(chart.series):
            point = series.point_at(category)
            if point is None or not point.value:
                continue
            length = float(Decimal(point.value) / top * plot)
            text = format_value(point.value, chart.unit)
            label = f"{name}, {series.name}: {text} {chart.unit}".strip()
            body = (
                f'<rect x="{x:.1f}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" '
                f'fill="{_fill(prefix, index)}" stroke="{INK}" stroke-width="0.75"/>'
            )
            parts.append(_link(point.url, label, body))
            x += length
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 17}" fill="{INK}" font-weight="600">'
            f"{escape(format_value(_plain(totals[row], chart.unit), chart.unit))}</text>"
        )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{legend_height - 2}" x2="{LABEL_WIDTH}" y2="{height - 3}" '
        f'stroke="{MUTED}"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{INK}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" fill="{INK}"/>'
        )
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z" fill="#fff" stroke="{INK}" stroke-width="1.5"/>'  # noqa: E501
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#fff" stroke="{INK}" stroke-width="2"/>'


def trend_chart(chart: Chart) -> SafeString:
    """Lines over years (categories), one per series, with a labelled, linked marker at each point."""
    left, right, plot_height = 50, 30, 170
    legend, legend_height = _legend(chart, f"p-{chart.key}", 4, lines=True)
    top_y = legend_height + 16
    height = top_y + plot_height + 30
    values = [p.value for s in chart.series for p in s.points]
    top = _scale_max(values)
    count = max(len(chart.categories), 1)
    step = (CHART_WIDTH - left - right) / max(count - 1, 1)

    def xy(index: int, value: Number) -> tuple[float, float]:
        x = left + (index * step if count > 1 else (CHART_WIDTH - left - right) / 2)
        return x, top_y + plot_height - float(Decimal(value) / top * plot_height)

    parts = [_open(chart, CHART_WIDTH, height), legend]
    baseline = top_y + plot_height
    parts.append(
        f'<line x1="{left}" y1="{baseline}" x2="{CHART_WIDTH - right}" y2="{baseline}" stroke="{MUTED}"/>'
    )
    parts.append(
        f'<text x="{left - 6}" y="{top_y + 4}" text-anchor="end" fill="{MUTED}" font-size="11">'
        f"{escape(format_value(top if chart.unit in ('k CHF', '%') else int(top), chart.unit))}</text>"
        f'<line x1="{left}" y1="{top_y}" x2="{CHART_WIDTH - right}" y2="{top_y}" stroke="{LINE}"/>'
        f'<text x="{left - 6}" y="{baseline + 4}" text-anchor="end" fill="{MUTED}" font-size="11">0</text>'
    )
    for index, category in enumerate(chart.categories):
        x, _y = xy(index, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{baseline + 20}" text-anchor="middle" fill="{INK}">'
            f"{escape(chart.name_of(category))}</text>"
        )
    for number, series in enumerate(chart.series):
        coords = [
            (xy(i, point.value), point)
            for i, category in enumerate(chart.categories)
            if (point := series.point_at(category)) is not None and point.value is not None
        ]
        if len(coords) > 1:
            dash = DASHES[number % len(DASHES)]
            path = "M" + "L".join(f"{x:.1f} {y:.1f}" for (x, y), _p in coords)
            parts.append(
                f'<path d="{path}" fill="none" stroke="{BRAND if number == 0 else INK}" stroke-width="2"'
                f"{f' stroke-dasharray={chr(34)}{dash}{chr(34)}' if dash else ''}/>"
            )
        for (x, y), point in coords:
            text = format_value(point.value, chart.unit)
            label = f"{series.name}, {chart.name_of(point.category)}: {text} {chart.unit}".strip()
            body = _marker(MARKERS[number % len(MARKERS)], x, y) + (
                f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" fill="{INK}" font-size="11" '
                f'font-weight="600">{escape(text)}</text>'
            )
            parts.append(_link(point.url, label, body))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def grouped_bar_chart(chart: Chart) -> SafeString:
    """Vertical columns, the series side by side in each category, with a value axis (0, half, top).

    The series are told apart by fill (solid, hatched, ...) and named in the legend; each column's
    value is in its tooltip and in the chart's table.
    """
    prefix = f"p-{chart.key}"
    left, right, plot_height = 48, 8, 192
    legend, legend_height = _legend(chart, prefix, 4)
    top_y = legend_height + 8
    baseline = top_y + plot_height
    height = baseline + 28
    count = max(len(chart.series), 1)
    top = _scale_max([p.value for s in chart.series for p in s.points])
    slot = (CHART_WIDTH - left - right) / max(len(chart.categories), 1)
    bar = max(4.0, min(28.0, slot / count - 4))
    parts = [_open(chart, CHART_WIDTH, height, image=not any(p.url for s in chart.series for p in s.points))]
    parts += [_patterns(prefix), legend]
    for fraction in (Decimal(0), Decimal("0.5"), Decimal(1)):
        y = baseline - float(fraction) * plot_height
        value = _plain(top * fraction, chart.unit) if chart.unit else (top * fraction).normalize()
        parts.append(
            f'<line x1="{left}" x2="{CHART_WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
            f'<text x="{left - 4}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle" fill="{MUTED}" '
            f'font-size="11">{escape(format_value(value, chart.unit))}</text>'
        )
    for column, category in enumerate(chart.categories):
        x = left + column * slot + (slot - count * bar) / 2
        name = chart.name_of(category)
        for index, series in enumerate(chart.series):
            point = series.point_at(category)
            if point is None or point.value is None:
                continue
            length = float(Decimal(point.value) / top) * plot_height
            text = format_value(point.value, chart.unit)
            label = f"{name}, {series.name}: {text} {chart.unit}".strip()
            body = (
                f'<rect x="{x + index * bar:.1f}" y="{baseline - length:.1f}" width="{bar:.1f}" '
                f'height="{length:.1f}" fill="{_fill(prefix, index)}" stroke="{INK}" stroke-width="0.75"/>'
            )
            parts.append(_link(point.url, label, body))
        bold = ' font-weight="700"' if category in chart.emphasised else ""
        parts.append(
            f'<text x="{x + count * bar / 2:.1f}" y="{baseline + 16}" text-anchor="middle" fill="{INK}" '
            f'font-size="11"{bold}>{escape(name)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{CHART_WIDTH - right}" y1="{baseline}" y2="{baseline}" stroke="{INK}"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
