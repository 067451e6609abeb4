"""Make the map's land outline (src/presstrace/web/data/land.path) once: Natural Earth's
1:110m land polygons (public domain), as TopoJSON in the world-atlas npm package 2.0.2
(`npm pack world-atlas@2.0.2`; ISC), drawn as one SVG path in the map's equirectangular
projection (web/maps.py) on a 720 x 360 box, coordinates to 0.1 pixel.

    python bench/land_outline.py path/to/package/land-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

WIDTH, HEIGHT = 720, 360
OUT = Path(__file__).resolve().parents[1] / "src" / "presstrace" / "web" / "data" / "land.path"


def arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (lon, lat) lists (quantized, delta-encoded in the file)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def ring(indices: list[int], decoded: list[list[tuple[float, float]]]) -> list[tuple]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = decoded[i] if i >= 0 else decoded[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous (a step of more than 180 degrees is the ring crossing the
    antimeridian, not a line across the map); the SVG box clips what lies beyond."""
    out: list[tuple[float, float]] = []
    for lon, lat in points:
        if out:
            while lon - out[-1][0] > 180:
                lon -= 360
            while lon - out[-1][0] < -180:
                lon += 360
        out.append((lon, lat))
    return out


def main(path: str) -> None:
    topo = json.loads(Path(path).read_text())
    decoded = arcs(topo)
    polygons = []
    for geometry in topo["objects"]["land"]["geometries"]:
        coords = geometry["arcs"]
        polygons += coords if geometry["type"] == "MultiPolygon" else [coords]
    parts = []
    for polygon in polygons:
        for indices in polygon:
            points = unwrapped(ring(indices, decoded))
            lons = [lon for lon, _ in points]
            shifts = [0] + ([-360] if max(lons) > 180 else []) + ([360] if min(lons) < -180 else [])
            for shift in shifts:  # a ring across the antimeridian, drawn on both sides
                xy = []
                for lon, lat in points:
                    x = (lon + shift + 180.0) / 360.0 * WIDTH
                    y = (90.0 - lat) / 180.0 * HEIGHT
                    p = (round(x, 1), round(y, 1))
                    if not xy or p != xy[-1]:
                        xy.append(p)
                if len(xy) >= 3:
                    parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in xy) + "Z")
    OUT.write_text("".join(parts) + "\n")
    print(f"{len(parts)} rings, {OUT.stat().st_size} bytes -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
