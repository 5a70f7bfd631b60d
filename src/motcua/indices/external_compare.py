"""A province's PCI/PAPI values against its peers: all provinces' median, its region's
average and the best province, per sub-index and overall, with the gap to the leader; and
the province's own series over the years. Only imported values are used (ExternalValue)."""

from __future__ import annotations

import json
import statistics
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.common.errors import NotFound

from .external_import import EXTERNAL_DIR, TOTAL, definitions, external_series, province_names
from .models import ExternalValue

REGIONS = EXTERNAL_DIR / "regions.json"
CENT = Decimal("0.01")


def regions() -> list[dict[str, Any]]:
    return json.loads(REGIONS.read_text(encoding="utf-8"))["regions"]


def region_of(province: int) -> dict[str, Any] | None:
    return next((r for r in regions() if province in r["provinces"]), None)


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _row(
    code: str,
    name: str,
    name_en: str,
    scores: dict[int, Decimal],
    province: int,
    region: set[int],
    names: dict[int, str],
) -> dict[str, Any]:
    own = scores.get(province)
    values = list(scores.values())
    in_region = [v for p, v in scores.items() if p in region]
    best_province = max(scores, key=lambda p: (scores[p], -p)) if scores else None
    best = scores.get(best_province) if best_province is not None else None
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "score": own,
        "median": _round(Decimal(statistics.median(values))) if values else None,
        "region_average": _round(sum(in_region, Decimal(0)) / len(in_region))
        if in_region
        else None,
        "best": best,
        "best_province": best_province,
        "best_name": names.get(best_province, "") if best_province is not None else "",
        "gap_to_best": (best - own) if best is not None and own is not None else None,
        "provinces": len(values),
    }


def external_compare(index: str, province: int, year: int | None = None) -> dict[str, Any]:
    """``{index, name, province, province_name, year, years, region, peers, overall, rows,
    series}``; ``peers`` counts the other provinces with a value that year (0: only the
    province's own series can be shown)."""
    spec = definitions()["indices"].get(index)
    if spec is None:
        raise NotFound("unknown_index", _("No index “{index}”."), index=index)
    names = province_names()
    series = external_series(index, province)
    if not series:
        raise NotFound(
            "no_external_data",
            _("No {index} values have been imported for province {province}."),
            index=index.upper(),
            province=province,
        )
    years = [s["year"] for s in series]
    if year is None:
        year = max((s["year"] for s in series if s["score"] is not None), default=years[-1])
    values = ExternalValue.objects.filter(index=index, year=year, score__isnull=False)
    by_component: dict[str, dict[int, Decimal]] = {}
    for component, code, score in values.values_list("component", "province_code", "score"):
        if score is not None:  # the filter leaves none; the field is nullable
            by_component.setdefault(component, {})[code] = score
    region = region_of(province)
    members = set(region["provinces"]) if region else {province}
    rows = [
        _row(
            c["code"], c["name_vi"], c["name_en"], by_component[c["code"]], province, members, names
        )
        for c in spec["components"]
        if c["code"] in by_component
    ]
    overall = _row(TOTAL, "Tổng", "Overall", by_component.get(TOTAL, {}), province, members, names)
    peers = {p for scores in by_component.values() for p in scores} - {province}
    return {
        "index": index,
        "name": spec["name_vi"],
        "name_en": spec["name_en"],
        "province": province,
        "province_name": names.get(province, str(province)),
        "year": year,
        "years": years,
        "region": {"code": region["code"], "name": region["name_vi"], "name_en": region["name_en"]}
        if region
        else None,
        "peers": len(peers),
        "overall": overall,
        "rows": rows,
        "series": [{"year": s["year"], "score": s["score"], "rank": s["rank"]} for s in series],
    }
