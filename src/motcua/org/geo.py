"""Where a point lies in the province: inside its outline or not, and in which ward.

The shipped map (data/map_<province>.json, made by scripts/map_data.py) has the province's
outline and one centroid per ward; no ward polygons are published that we can ship, so the ward
of a point is its nearest centroid (the Voronoi cell), which is what the page's map shows too.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
EARTH_RADIUS_KM = 6371.0
# Natural Earth's 1:10m outline is coarse along the coast and rivers: a point this close to it
# is taken as inside, so a quay or a river bank is not refused.
OUTLINE_SLACK_KM = 2.0
# Islands too small for the outline (Bạch Long Vĩ) are the ground around their ward's centroid.
CENTROID_SLACK_KM = 3.0


@dataclass(frozen=True)
class WardPoint:
    code: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ProvinceMap:
    outline: tuple[tuple[tuple[float, float], ...], ...]  # rings of (lon, lat)
    wards: tuple[WardPoint, ...]

    def as_json(self) -> dict[str, object]:
        """What the page's map draws and mirrors the rules with."""
        return {
            "outline": [[[lat, lon] for lon, lat in ring] for ring in self.outline],
            "wards": [[w.code, w.name, w.lat, w.lon] for w in self.wards],
            "outlineSlackKm": OUTLINE_SLACK_KM,
            "centroidSlackKm": CENTROID_SLACK_KM,
        }


@cache
def province_map(province_code: int) -> ProvinceMap | None:
    """The shipped map of the province, or None where none is shipped (the form then keeps
    only its latitude and longitude boxes)."""
    path = DATA / f"map_{province_code}.json"
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return ProvinceMap(
        outline=tuple(tuple((p[0], p[1]) for p in ring) for ring in raw["outline"]),
        wards=tuple(WardPoint(w["code"], w["name"], w["lat"], w["lon"]) for w in raw["wards"]),
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearest_ward(area: ProvinceMap, lat: float, lon: float) -> WardPoint:
    return min(area.wards, key=lambda w: distance_km(lat, lon, w.lat, w.lon))


def _inside(ring: tuple[tuple[float, float], ...], lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _to_segment_km(lat: float, lon: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    # Flat projection around the point: exact enough over a province for a 2 km slack.
    kx = math.cos(math.radians(lat)) * math.pi * EARTH_RADIUS_KM / 180
    ky = math.pi * EARTH_RADIUS_KM / 180
    ax, ay, bx, by = (a[0] - lon) * kx, (a[1] - lat) * ky, (b[0] - lon) * kx, (b[1] - lat) * ky
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
    return math.hypot(ax + t * dx, ay + t * dy)


def contains(area: ProvinceMap, lat: float, lon: float) -> bool:
    """Whether the point is in the province, with the slack the coarse outline needs."""
    for ring in area.outline:
        if _inside(ring, lon, lat):
            return True
    for ring in area.outline:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if _to_segment_km(lat, lon, a, b) <= OUTLINE_SLACK_KM:
                return True
    ward = nearest_ward(area, lat, lon)
    return distance_km(lat, lon, ward.lat, ward.lon) <= CENTROID_SLACK_KM
