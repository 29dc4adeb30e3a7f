"""Charts any app may draw: inline SVG bars, stacked bars, grouped columns, trends (`svg`) and the
offline world map (`worldmap`). Nothing is fetched or scripted; every chart has a table alternative.
"""

from presence.core.charts.svg import (
    BRAND,
    INK,
    LINE,
    MUTED,
    Chart,
    Number,
    Point,
    Series,
    bar_chart,
    format_value,
    grouped_bar_chart,
    shown,
    stacked_bar_chart,
    trend_chart,
)
from presence.core.charts.worldmap import Marker, RegionShade, outlines, shade_for, world_map

__all__ = [
    "BRAND",
    "INK",
    "LINE",
    "MUTED",
    "Chart",
    "Marker",
    "Number",
    "Point",
    "RegionShade",
    "Series",
    "bar_chart",
    "format_value",
    "grouped_bar_chart",
    "outlines",
    "shade_for",
    "shown",
    "stacked_bar_chart",
    "trend_chart",
    "world_map",
]
