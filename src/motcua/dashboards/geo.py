"""The communes' boundaries for the map: importing the province's GeoJSON (each feature matched
to a commune-level People's Committee by its code or name) and serving them with their scores."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError
from motcua.common.text import fold
from motcua.org.models import Agency

from .models import CommuneBoundary

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Keys are compared case-insensitively: shapefile exports write them in capitals (MA_XA, TEN_XA).
CODE_KEYS = ("code", "ma", "ma_xa", "maxa", "ma_phuong_xa", "ward_code", "commune_code")
NAME_KEYS = (
    "name",
    "ten",
    "ten_xa",
    "tenxa",
    "ten_phuong_xa",
    "ward",
    "ward_name",
    "commune",
    "commune_name",
)
AREA_TYPES = ("Polygon", "MultiPolygon")
# How many unmatched features an error names; the rest are counted.
NAMED_IN_ERROR = 5

ERR_TOO_LARGE = (
    "geojson_too_large",
    _("The file is larger than {limit} MB; split it or simplify its boundaries."),
)
ERR_NOT_TEXT = (
    "geojson_not_text",
    _("The file is not UTF-8 text; save the boundaries as GeoJSON (UTF-8) and try again."),
)
ERR_NOT_JSON = (
    "geojson_not_json",
    _("The file is not valid JSON (line {line}, column {column}); a GeoJSON file is expected."),
)
ERR_NOT_COLLECTION = (
    "geojson_not_feature_collection",
    _("The file must be a GeoJSON FeatureCollection, but its top level is {found}."),
)
ERR_NO_FEATURES = ("geojson_empty", _("The FeatureCollection has no features."))
ERR_NOT_FEATURE = (
    "geojson_not_feature",
    _("Feature {feature} is not a GeoJSON Feature with a geometry."),
)
ERR_GEOMETRY_TYPE = (
    "geojson_geometry_type",
    _(
        "Feature {feature} has a {type} geometry; only a Polygon or a MultiPolygon can outline "
        "a commune."
    ),
)
ERR_SHAPE = (
    "geojson_bad_coordinates",
    _("Feature {feature}: its coordinates are not nested as a {type} requires."),
)
ERR_POSITION = (
    "geojson_bad_position",
    _("Feature {feature}: every position must be a pair of numbers [longitude, latitude]."),
)
ERR_OUT_OF_RANGE = (
    "geojson_out_of_range",
    _(
        "Feature {feature}: position [{lon}, {lat}] is outside longitude -180…180 and latitude "
        "-90…90; the coordinates must be WGS 84 degrees (not VN-2000), longitude first."
    ),
)
ERR_RING_SHORT = (
    "geojson_ring_too_short",
    _("Feature {feature}: a ring has fewer than four positions."),
)
ERR_RING_OPEN = (
    "geojson_ring_not_closed",
    _("Feature {feature}: a ring is not closed (its last position must repeat its first)."),
)
ERR_CONFLICT = (
    "geojson_code_name_conflict",
    _("Feature {feature}: its code is that of {by_code} but its name is that of {by_name}."),
)
ERR_AMBIGUOUS = (
    "geojson_ambiguous_name",
    _(
        "Feature {feature}: the name fits several units ({candidates}); give the unit's code or "
        "write its name with diacritics."
    ),
)
ERR_NONE_MATCHED = (
    "geojson_none_matched",
    _(
        "None of the {count} features matches a commune-level unit of the province. Check that "
        "the file is for this province and that each feature has a code property ({code_keys}) "
        "or a name property ({name_keys})."
    ),
)
ERR_UNMATCHED = (
    "geojson_unmatched",
    _(
        "{count} feature(s) match no commune-level unit of the province: {names}. Give each the "
        "unit's national code (e.g. 11383) or its name (e.g. Phường Lê Chân)."
    ),
)
ERR_DUPLICATE = (
    "geojson_duplicate",
    _("{unit} is outlined by more than one feature ({features})."),
)

_PREFIX = re.compile(r"^(phường|xã|đặc khu|thị trấn)\s+", re.IGNORECASE)


@dataclass
class _Feature:
    label: str
    name: str
    codes: list[str]
    names: list[str]
    geometry: dict[str, Any]


@dataclass
class _Communes:
    """The current commune committees, indexed by each way a file may name them."""

    by_code: dict[str, Agency] = field(default_factory=dict)
    # A name's exact (case-insensitive) form first, then its folded form without diacritics:
    # "Xã Cẩm Giang" and "Xã Cẩm Giàng" fold alike, so folding alone cannot tell them apart.
    by_exact_name: dict[str, set[int]] = field(default_factory=dict)
    by_folded_name: dict[str, set[int]] = field(default_factory=dict)
    by_id: dict[int, Agency] = field(default_factory=dict)


def boundaries_import(content: bytes) -> int:
    """Store the boundaries a GeoJSON FeatureCollection gives the province's communes; returns
    how many. All or nothing: any invalid or unmatched feature raises ApiError, saving none."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ApiError(*ERR_TOO_LARGE, limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    features = [_feature(number, raw) for number, raw in enumerate(_features(content), start=1)]
    matched = _match(features, _communes())
    with transaction.atomic():
        for agency_id, feature in matched.items():
            CommuneBoundary.objects.update_or_create(
                agency_id=agency_id,
                defaults={"name": feature.name[:200], "geometry": feature.geometry},
            )
    return len(matched)


def map_features(scores: Mapping[int, Mapping[str, Any]]) -> dict[str, Any]:
    """Every stored boundary as a GeoJSON FeatureCollection, each feature carrying its agency's
    code, name and the scores given for it (keyed by agency id)."""
    boundaries = CommuneBoundary.objects.select_related("agency").order_by("agency__code")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": b.agency.code,
                "geometry": b.geometry,
                "properties": {
                    "agency": b.agency.code,
                    "name": b.agency.name,
                    **scores.get(b.agency_id, {}),
                },
            }
            for b in boundaries
        ],
    }


def _features(content: bytes) -> list[Any]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(*ERR_NOT_TEXT) from None
    try:
        # NaN and Infinity are not JSON: read as null, they fail as a position, not as a number.
        data = json.loads(text, parse_constant=lambda _constant: None)
    except json.JSONDecodeError as error:
        raise ApiError(*ERR_NOT_JSON, line=error.lineno, column=error.colno) from None
    except RecursionError:
        raise ApiError(*ERR_NOT_JSON, line=1, column=1) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ApiError(*ERR_NOT_COLLECTION, found=_describe(data))
    features = data.get("features")
    if not isinstance(features, list):
        raise ApiError(*ERR_NOT_COLLECTION, found=_describe(data))
    if not features:
        raise ApiError(*ERR_NO_FEATURES)
    return features


def _describe(data: Any) -> str:
    if isinstance(data, dict):
        kind = data.get("type")
        return f"“{kind}”" if isinstance(kind, str) else "{…}"
    return "[…]" if isinstance(data, list) else json.dumps(data, ensure_ascii=False)[:40]


def _feature(number: int, raw: Any) -> _Feature:
    properties = raw.get("properties") if isinstance(raw, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    keyed = {str(key).casefold(): value for key, value in properties.items()}
    codes = [keyed[k] for k in CODE_KEYS if _text(keyed.get(k))]
    names = [str(keyed[k]).strip() for k in NAME_KEYS if _text(keyed.get(k))]
    shown = names[0] if names else (str(codes[0]).strip() if codes else "")
    label = f"#{number} ({shown})" if shown else f"#{number}"
    geometry = raw.get("geometry") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or raw.get("type") != "Feature" or not isinstance(geometry, dict):
        raise ApiError(*ERR_NOT_FEATURE, feature=label)
    kind = geometry.get("type")
    if kind not in AREA_TYPES:
        raise ApiError(*ERR_GEOMETRY_TYPE, feature=label, type=str(kind))
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ApiError(*ERR_SHAPE, feature=label, type=kind)
    for polygon in polygons:
        _check_polygon(polygon, label, kind)
    return _Feature(
        label=label,
        name=names[0] if names else "",
        codes=[_code(c) for c in codes],
        names=names,
        geometry={"type": kind, "coordinates": coordinates},
    )


def _text(value: Any) -> bool:
    return (isinstance(value, str) and value.strip() != "") or _is_number(value)


def _code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # A national code read by a spreadsheet loses its leading zero, or gains one: 011383 is 11383.
    return str(int(text)) if text.isdigit() else text.casefold()


def _check_polygon(polygon: Any, label: str, kind: str) -> None:
    if not isinstance(polygon, list) or not polygon:
        raise ApiError(*ERR_SHAPE, feature=label, type=kind)
    for ring in polygon:
        if not isinstance(ring, list):
            raise ApiError(*ERR_SHAPE, feature=label, type=kind)
        for position in ring:
            _check_position(position, label)
        if len(ring) < 4:
            raise ApiError(*ERR_RING_SHORT, feature=label)
        if ring[0] != ring[-1]:
            raise ApiError(*ERR_RING_OPEN, feature=label)


def _check_position(position: Any, label: str) -> None:
    if (
        not isinstance(position, list)
        or len(position) < 2
        or not all(_is_number(n) for n in position)
    ):
        raise ApiError(*ERR_POSITION, feature=label)
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ApiError(*ERR_OUT_OF_RANGE, feature=label, lon=lon, lat=lat)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _exact(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _communes() -> _Communes:
    communes = _Communes()
    agencies = (
        Agency.objects.valid_on(timezone.localdate())
        .filter(kind=Agency.Kind.COMMUNE_COMMITTEE)
        .select_related("unit")
    )
    for agency in agencies:
        communes.by_id[agency.pk] = agency
        for code in (agency.unit.code, agency.code, agency.electronic_id):
            communes.by_code[_code(code)] = agency
        # The unit's name also without its "Phường"/"Xã"/"Đặc khu": files often drop it.
        names = {agency.unit.name, _PREFIX.sub("", agency.unit.name), agency.name}
        names |= {agency.short_name} if agency.short_name else set()
        for name in names:
            communes.by_exact_name.setdefault(_exact(name), set()).add(agency.pk)
            communes.by_folded_name.setdefault(fold(name), set()).add(agency.pk)
    return communes


@dataclass
class _Outcome:
    agency: Agency | None = None
    ambiguous: list[Agency] = field(default_factory=list)


def _by_name(names: list[str], communes: _Communes) -> _Outcome:
    ambiguous: set[int] = set()
    for name in names:
        for index, key in (
            (communes.by_exact_name, _exact(name)),
            (communes.by_folded_name, fold(name)),
        ):
            found = index.get(key, set())
            if len(found) == 1:
                return _Outcome(agency=communes.by_id[next(iter(found))])
            if found:
                ambiguous |= found
                break  # several units bear this exact name: its folded form cannot narrow it
    return _Outcome(ambiguous=sorted((communes.by_id[i] for i in ambiguous), key=lambda a: a.code))


def _match(features: list[_Feature], communes: _Communes) -> dict[int, _Feature]:
    matched: dict[int, list[_Feature]] = {}
    unmatched: list[_Feature] = []
    for feature in features:
        by_code = next((communes.by_code[c] for c in feature.codes if c in communes.by_code), None)
        by_name = _by_name(feature.names, communes)
        if by_code and by_name.agency and by_code.pk != by_name.agency.pk:
            raise ApiError(
                *ERR_CONFLICT,
                feature=feature.label,
                by_code=by_code.unit.name,
                by_name=by_name.agency.unit.name,
            )
        agency = by_code or by_name.agency
        if agency is None and by_name.ambiguous:
            candidates = ", ".join(f"{a.unit.name} ({a.unit.code})" for a in by_name.ambiguous)
            raise ApiError(*ERR_AMBIGUOUS, feature=feature.label, candidates=candidates)
        if agency is None:
            unmatched.append(feature)
        else:
            matched.setdefault(agency.pk, []).append(feature)
    if not matched:
        raise ApiError(
            *ERR_NONE_MATCHED,
            count=len(features),
            code_keys=", ".join(CODE_KEYS),
            name_keys=", ".join(NAME_KEYS),
        )
    if unmatched:
        names = ", ".join(f.label for f in unmatched[:NAMED_IN_ERROR])
        if len(unmatched) > NAMED_IN_ERROR:
            names += f" (+{len(unmatched) - NAMED_IN_ERROR})"
        raise ApiError(*ERR_UNMATCHED, count=len(unmatched), names=names)
    for agency_id, same in matched.items():
        if len(same) > 1:
            raise ApiError(
                *ERR_DUPLICATE,
                unit=communes.by_id[agency_id].unit.name,
                features=", ".join(f.label for f in same),
            )
        # A feature identified only by its code is stored under the unit's own name.
        same[0].name = same[0].name or communes.by_id[agency_id].unit.name
    return {agency_id: same[0] for agency_id, same in matched.items()}
