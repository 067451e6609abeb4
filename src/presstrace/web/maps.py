"""Geometry of the places map, drawn as inline SVG by the templates (no map library, no
tiles, no CDN: the page works offline under the strict CSP): an equirectangular projection
(x from longitude, y from latitude, both linear) of Natural Earth's 1:110m land outline
(shipped as one SVG path, web/data/land.path, made by bench/land_outline.py) on a graticule
every 30 degrees, one dot per place, its area proportional to the mentions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

# Degrees between two graticule lines: the 30-degree grid of a school atlas.
GRATICULE = 30
# Radius of the most and of the least mentioned dot (pixels on a 720-wide map): the largest
# still leaves Europe's capitals apart at this size, the smallest stays clickable.
MAX_RADIUS = 14.0
MIN_RADIUS = 2.5


@dataclass
class Dot:
    x: float
    y: float
    r: float
    name: str
    key: str
    country: str | None
    documents: int
    mentions: int


@dataclass
class Map:
    width: int
    height: int
    dots: list[Dot] = field(default_factory=list)
    meridians: list[tuple[float, int]] = field(default_factory=list)  # (x, longitude)
    parallels: list[tuple[float, int]] = field(default_factory=list)  # (y, latitude)
    land: str = ""  # the land outline as an SVG path, on the 720 x 360 box (LAND_BOX)


LAND_BOX = (720, 360)


@cache
def land_outline() -> str:
    """The shipped land outline (an SVG path of numbers and M/L/Z only)."""
    return resources.files("presstrace.web").joinpath("data", "land.path").read_text().strip()


def project(lat: float, lon: float, width: int, height: int) -> tuple[float, float]:
    """Equirectangular: longitude -180..180 -> 0..width, latitude 90..-90 -> 0..height."""
    x = (max(-180.0, min(180.0, lon)) + 180.0) / 360.0 * width
    y = (90.0 - max(-90.0, min(90.0, lat))) / 180.0 * height
    return round(x, 2), round(y, 2)


def place_map(items: list[dict[str, Any]], width: int = 720, height: int = 360) -> Map:
    """The dots of places() items (lat, lon, mentions), biggest drawn first so a small dot
    on top of a big one stays clickable."""
    out = Map(width, height, land=land_outline() if (width, height) == LAND_BOX else "")
    for lon in range(-180, 181, GRATICULE):
        out.meridians.append((project(0, lon, width, height)[0], lon))
    for lat in range(-90 + GRATICULE, 90, GRATICULE):
        out.parallels.append((project(lat, 0, width, height)[1], lat))
    located = [p for p in items if p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        return out
    peak = max(int(p["mentions"] or 0) for p in located) or 1
    for p in sorted(located, key=lambda p: -int(p["mentions"] or 0)):
        x, y = project(float(p["lat"]), float(p["lon"]), width, height)
        share = math.sqrt(max(0, int(p["mentions"] or 0)) / peak)  # area ~ mentions
        out.dots.append(Dot(x, y, round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share, 2),
                            p["name"], p["key"], p.get("country"), int(p["documents"] or 0),
                            int(p["mentions"] or 0)))  # fmt: skip
    return out
