"""The map's geometry (web/maps.py): the projection, the dots, the shipped land outline."""

from __future__ import annotations

import re

from presstrace.web.maps import MAX_RADIUS, MIN_RADIUS, land_outline, place_map, project


def test_equirectangular_corners_and_known_places():
    assert project(90, -180, 720, 360) == (0, 0)
    assert project(-90, 180, 720, 360) == (720, 360)
    assert project(0, 0, 720, 360) == (360, 180)
    assert project(55.75, 37.62, 720, 360) == (435.24, 68.5)  # Moscow: east, north
    assert project(-95, 200, 720, 360) == (720, 360)  # out of range is clamped


def test_dots_are_sized_by_mentions_biggest_first():
    items = [
        {"key": "a", "name": "A", "lat": 0, "lon": 0, "documents": 1, "mentions": 1},
        {"key": "b", "name": "B", "lat": 10, "lon": 10, "documents": 4, "mentions": 100},
        {"key": "c", "name": "C", "lat": None, "lon": 5, "documents": 1, "mentions": 50},
    ]
    m = place_map(items)
    assert [d.key for d in m.dots] == ["b", "a"]  # no coordinates, no dot
    assert m.dots[0].r == MAX_RADIUS and MIN_RADIUS < m.dots[1].r < 4
    assert len(m.meridians) == 13 and [lat for _, lat in m.parallels] == [-60, -30, 0, 30, 60]


def test_land_outline_is_a_plain_path_that_covers_the_continents():
    path = land_outline()
    assert re.fullmatch(r"[MLZ0-9.,-]+", path) and path.count("M") > 100
    xs = [float(x) for x in re.findall(r"[ML](-?[\d.]+),", path)]
    assert min(xs) < 5 and max(xs) > 715  # from the Pacific to the Pacific
    assert place_map([]).land == path and place_map([], 100, 50).land == ""
