"""The dashboard's charts as PNG for Word documents, drawn with Pillow from the same chart data.

No SVG-to-PNG converter is installed (no cairosvg, rsvg or Inkscape; WeasyPrint only writes PDF), so
the bars, stacked bars and trend lines are drawn again here from `dashboard.charts.Chart`: the same
categories, series, values written next to each bar or point, and series told apart by shade and
hatching as well as colour, as on the page. The PDF keeps the dashboard's own vector SVG.
"""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from presence.dashboard.charts import Chart, format_value

WIDTH, HEIGHT = 1400, 700
LEFT, RIGHT, TOP, BOTTOM = 90, 30, 70, 90
COLOURS = ["#0b5394", "#6fa8dc", "#e69138", "#93c47d", "#8e7cc3", "#c27ba0"]
INK, LINE = "#1c2733", "#d5dbe1"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default()


def _value(v: object) -> Decimal:
    return Decimal(str(v)) if v is not None else Decimal(0)


def _nice(top: Decimal) -> Decimal:
    """The least 4 x (1, 2, 2.5 or 5 x 10^k) at or above `top`: the four grid lines fall on round values."""
    magnitude = Decimal(10) ** (len(str(int(top / 4))) - 1) if top >= 4 else Decimal(1)
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * factor * 4 >= top:
            return magnitude * factor * 4
    return magnitude * 40


def png(chart: Chart) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    small, label = _font(18), _font(20)
    categories = chart.categories
    if chart.kind == "stacked":
        tops = [sum((_value(s.value_at(c)) for s in chart.series), Decimal(0)) for c in categories]
    else:
        tops = [_value(s.value_at(c)) for s in chart.series for c in categories]
    scale = _nice(max([*tops, Decimal(1)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    draw.line([(LEFT, base), (WIDTH - RIGHT, base)], fill=INK, width=2)
    for step in range(1, 5):
        y = base - plot_h * step / 4
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill=LINE, width=1)
        tick = scale * step / 4
        draw.text(
            (LEFT - 8, y),
            format_value(tick if tick != tick.to_integral_value() else int(tick), ""),
            fill=INK,
            font=small,
            anchor="rm",
        )
    slot = plot_w / max(len(categories), 1)

    def height(v: Decimal) -> float:
        return float(v / scale) * plot_h

    for i, category in enumerate(categories):
        draw.text(
            (LEFT + slot * (i + 0.5), base + 12), chart.name_of(category), fill=INK, font=label, anchor="mt"
        )
    if chart.kind == "trend":
        for index, series in enumerate(chart.series):
            colour = COLOURS[index % len(COLOURS)]
            points = [
                (LEFT + slot * (i + 0.5), base - height(_value(series.value_at(c))))
                for i, c in enumerate(categories)
            ]
            draw.line(points, fill=colour, width=4)
            for (x, y), c in zip(points, categories, strict=True):
                draw.ellipse([x - 7, y - 7, x + 7, y + 7], fill=colour)
                draw.text(
                    (x, y - 14),
                    format_value(series.value_at(c), chart.unit),
                    fill=INK,
                    font=small,
                    anchor="ms",
                )
    else:
        groups = 1 if chart.kind == "stacked" else max(len(chart.series), 1)
        bar_w = slot * 0.7 / groups
        for i, category in enumerate(categories):
            x0 = LEFT + slot * i + slot * 0.15
            bottom = Decimal(0)
            for index, series in enumerate(chart.series):
                v = _value(series.value_at(category))
                colour = COLOURS[index % len(COLOURS)]
                if chart.kind == "stacked":
                    y1, y0 = base - height(bottom), base - height(bottom + v)
                    box = [x0, y0, x0 + bar_w, y1]
                    bottom += v
                else:
                    left = x0 + bar_w * index
                    box = [left, base - height(v), left + bar_w, base]
                if v:
                    draw.rectangle(box, fill=colour, outline="white")
                    if index % 2:  # hatching tells series apart in greyscale too
                        for hx in range(int(box[0]), int(box[2]), 10):
                            draw.line([(hx, box[1]), (hx, box[3])], fill="white", width=1)
                if chart.kind != "stacked":
                    draw.text(
                        ((box[0] + box[2]) / 2, box[1] - 6),
                        format_value(series.value_at(category), chart.unit),
                        fill=INK,
                        font=small,
                        anchor="ms",
                    )
            if chart.kind == "stacked":
                draw.text(
                    (x0 + bar_w / 2, base - height(bottom) - 6),
                    format_value(bottom, chart.unit),
                    fill=INK,
                    font=small,
                    anchor="ms",
                )
    x = LEFT
    for index, series in enumerate(chart.series):  # legend, above the plot
        colour = COLOURS[index % len(COLOURS)]
        draw.rectangle([x, 20, x + 22, 42], fill=colour)
        draw.text((x + 30, 31), series.name, fill=INK, font=small, anchor="lm")
        x += 50 + int(draw.textlength(series.name, font=small))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
