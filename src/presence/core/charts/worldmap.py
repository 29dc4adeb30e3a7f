"""An offline world map: countries shaded by their ITU region's value of a measure, offices as markers.

The country outlines come from the `pygal_maps_world` package (an SVG with one group per ISO
3166 alpha-2 code), read once with importlib.resources. Paths are converted to absolute
coordinates, halved and rounded to whole units so the map stays light enough to inline in every
page. Office markers sit at the centre of their country's largest outline.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from defusedxml import ElementTree
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presence.core.charts.svg import INK, format_value

SCALE = 0.5
WIDTH, HEIGHT = 1238, 694  # the package's 2475 x 1388 view box, halved
SVG_NS = "{http://www.w3.org/2000/svg}"
# Sequential shades from light to dark: lightness carries the value, so it survives greyscale.
SHADES = ("#e3ecf5", "#b8cde3", "#86a9cc", "#5283b1", "#255c91", "#0b3a66")
NO_DATA = "#f2f2f2"
TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


# Small island States missing from the package's outlines, placed by hand (map units) for markers.
EXTRA_CENTRES = {"BB": (369.0, 290.0)}
# Offices far from their country's centre, by city (map units): Moscow is not in central Siberia.
CITY_POSITIONS = {"Moscow": (727.0, 110.0)}


@dataclass(frozen=True)
class Outline:
    path: str  # simplified absolute path data at map scale
    centre: tuple[float, float]  # centre of the largest ring's bounding box
    area: float  # of the largest ring's bounding box


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path as absolute end points (curve control points are dropped)."""
    tokens = TOKEN.findall(d)
    rings: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] = []
    x = y = start_x = start_y = 0.0
    command = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "zZ":
                x, y = start_x, start_y
                if ring:
                    rings.append(ring)
                ring = []
                continue
        count = ARGS[command.lower()]
        values = [float(v) for v in tokens[index : index + count]]
        index += count
        if len(values) < count:
            break
        relative = command.islower()
        kind = command.lower()
        if kind == "h":
            x = x + values[0] if relative else values[0]
        elif kind == "v":
            y = y + values[0] if relative else values[0]
        else:
            dx, dy = values[-2], values[-1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        if kind == "m":
            if ring:
                rings.append(ring)
            ring = [(x, y)]
            start_x, start_y = x, y
            command = "l" if relative else "L"  # further pairs after a move are lines
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _simplify(ring: list[tuple[float, float]]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x * SCALE), round(y * SCALE))
        # Points within a unit or so of the last kept one add bytes but nothing visible.
        if not points or abs(point[0] - points[-1][0]) + abs(point[1] - points[-1][1]) > 1:
            points.append(point)
    return points


@functools.cache
def outlines() -> dict[str, Outline]:
    """ISO alpha-2 code (upper case) -> the country's simplified outline and centre."""
    source = importlib.resources.files("pygal_maps_world").joinpath("worldmap.svg").read_text()
    root = ElementTree.fromstring(source)
    result: dict[str, Outline] = {}
    for group in root.iter(f"{SVG_NS}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes:
            continue
        code = classes[0].upper()
        parts: list[str] = []
        best: tuple[float, tuple[float, float]] = (-1.0, (0.0, 0.0))
        for path in group.iter(f"{SVG_NS}path"):
            for ring in _rings(path.get("d") or ""):
                points = _simplify(ring)
                if len(points) < 3:  # a small island: keep it visible as a dot-sized shape
                    x0, y0 = points[0]
                    points = [(x0, y0), (x0 + 2, y0), (x0 + 2, y0 + 2), (x0, y0 + 2)]
                parts.append("M" + "L".join(f"{px} {py}" for px, py in points) + "Z")
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                area = float((max(xs) - min(xs)) * (max(ys) - min(ys)))
                if area > best[0]:
                    best = (area, ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2))
        if parts:
            result[code] = Outline(path="".join(parts), centre=best[1], area=best[0])
    return result


@dataclass(frozen=True)
class RegionShade:
    code: str
    name: str
    value: int | Decimal | None
    url: str = ""


@dataclass(frozen=True)
class Marker:
    code: str
    name: str
    country_iso2: str
    url: str
    detail: str = ""
    city: str = ""


def shade_for(value: int | Decimal | None, top: Decimal) -> str:
    if value is None or top <= 0:
        return NO_DATA
    step = int(Decimal(value) / top * (len(SHADES) - 1))
    return SHADES[max(0, min(step, len(SHADES) - 1))]


def world_map(
    *,
    title: str,
    unit: str,
    country_regions: Mapping[str, str],
    regions: Sequence[RegionShade],
    markers: Sequence[Marker],
    marker_label: str = "",
) -> SafeString:
    """The map as inline SVG: one linked group per region, its countries shaded by the region's value.

    `marker_label` names what a marker stands for in the legend ("office" unless given)."""
    shapes = outlines()
    top = max((Decimal(r.value) for r in regions if r.value is not None), default=Decimal(0))
    by_region: dict[str, list[str]] = {}
    for iso2, outline in shapes.items():
        by_region.setdefault(country_regions.get(iso2, ""), []).append(outline.path)
    parts = [
        f'<svg class="world-map" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="world-map-title" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="world-map-title">{escape(title)}</title>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>'
        f'<path d="{"".join(by_region.get("", []))}" fill="{NO_DATA}" stroke="#c4c4c4" stroke-width="0.4"/>'
    ]
    for region in regions:
        paths = by_region.get(region.code)
        if not paths:
            continue
        text = format_value(region.value, unit)
        label = f"{region.name}: {text} {'' if unit == '%' else unit}".strip()
        shape = (
            f'<path d="{"".join(paths)}" fill="{shade_for(region.value, top)}" stroke="#fff" '
            f'stroke-width="0.6" fill-rule="evenodd"/>'
        )
        if region.url:
            parts.append(
                f'<a href="{escape(region.url, quote=True)}" aria-label="{escape(label, quote=True)}" '
                f'class="map-region"><title>{escape(label)}</title>{shape}</a>'
            )
        else:
            parts.append(f"<g><title>{escape(label)}</title>{shape}</g>")
    for marker in markers:
        found = shapes.get(marker.country_iso2.upper())
        centre = CITY_POSITIONS.get(marker.city) or (
            found.centre if found is not None else EXTRA_CENTRES.get(marker.country_iso2.upper())
        )
        if centre is None:
            continue
        x, y = centre
        label = f"{marker.name}{' — ' + marker.detail if marker.detail else ''}"
        parts.append(
            f'<a href="{escape(marker.url, quote=True)}" aria-label="{escape(label, quote=True)}" '
            f'class="map-office"><title>{escape(label)}</title>'
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="7" fill="#fff" stroke="{INK}" stroke-width="2.5"/>'
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="2.5" fill="{INK}"/></a>'
        )
    for region in regions:
        position = _label_position(region.code, country_regions, shapes)
        if position is not None:
            x, y = position
            text = f"{region.code} {format_value(region.value, unit)}"
            parts.append(
                f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="middle" font-size="17" font-weight="700" '
                f'fill="{INK}" stroke="#fff" stroke-width="4" paint-order="stroke" aria-hidden="true">'
                f"{escape(text)}</text>"
            )
    parts.append(_legend(top, unit, marker_label or _("office")))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _label_position(
    code: str, country_regions: Mapping[str, str], shapes: Mapping[str, Outline]
) -> tuple[float, float] | None:
    """Where a region's label goes: its countries' centres weighted by the size of each outline."""
    total = x_sum = y_sum = 0.0
    for iso2, region in country_regions.items():
        outline = shapes.get(iso2)
        if region != code or outline is None:
            continue
        weight = outline.area
        total += weight
        x_sum += outline.centre[0] * weight
        y_sum += outline.centre[1] * weight
    return (x_sum / total, y_sum / total) if total else None


def _legend(top: Decimal, unit: str, marker_label: str) -> str:
    x, y = 20, HEIGHT - 60
    office_label = escape(marker_label)
    no_data_label = escape(_("no ITU region / no data"))
    parts = [f'<rect x="{x - 8}" y="{y - 22}" width="440" height="74" fill="#fff" fill-opacity="0.85"/>']
    parts.append(f'<text x="{x}" y="{y - 6}" font-size="14" fill="{INK}">0</text>')
    for index, shade in enumerate(SHADES):
        parts.append(
            f'<rect x="{x + 16 + index * 36}" y="{y - 20}" width="36" height="18" fill="{shade}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
        )
    top_text = format_value(top if unit in ("k CHF", "%") else int(top), unit)
    parts.append(
        f'<text x="{x + 16 + len(SHADES) * 36 + 6}" y="{y - 6}" font-size="14" fill="{INK}">'
        f"{escape(top_text)} {escape('' if unit == '%' else unit)}</text>"
    )
    parts.append(
        f'<circle cx="{x + 6}" cy="{y + 18}" r="7" fill="#fff" stroke="{INK}" stroke-width="2.5"/>'
        f'<circle cx="{x + 6}" cy="{y + 18}" r="2.5" fill="{INK}"/>'
        f'<text x="{x + 20}" y="{y + 23}" font-size="14" fill="{INK}">{office_label}</text>'
        f'<rect x="{x + 90}" y="{y + 9}" width="18" height="18" fill="{NO_DATA}" stroke="{INK}" '
        f'stroke-width="0.5"/><text x="{x + 114}" y="{y + 23}" font-size="14" fill="{INK}">'
        f"{no_data_label}</text>"
    )
    return "".join(parts)
