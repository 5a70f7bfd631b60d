"""Demo assessments on `hp-departments`: Hải Phòng's departments for 2024 and 2025 and its
wards, communes and special zones for 2025 (they exist from 1 July 2025), so that appraised
totals equal the figures in demo_targets.json (the published 2025 ones where known, invented
otherwise, in the published order). Idempotent: an assessment that has scores is left alone."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.indices import engine
from motcua.indices.models import Assessment, Score
from motcua.indices.selectors import engine_nodes, methodology_latest
from motcua.indices.services import assessment_open, assessment_scores_import
from motcua.org.models import Agency, User

TARGETS = Path(__file__).parent / "data" / "demo_targets.json"
YEARS = (2024, 2025)
COMMUNE_YEARS = (2025,)
CENT = Decimal("0.01")
APPRAISAL_SHARE = Decimal("0.6")  # of the points a department loses, the office takes 60 %
REASON = "Minh chứng chưa đầy đủ (dữ liệu minh họa)"


def allocate_losses(
    maxima: dict[str, Decimal], loss: Decimal, rng: random.Random
) -> dict[str, Decimal]:
    """Spread `loss` points over a few leaves (random weights, capped at each leaf's maximum)
    in whole cents, so that the losses add up to `loss` exactly."""
    leaves = sorted(maxima)
    chosen = rng.sample(leaves, k=min(len(leaves), 9))
    weights = {leaf: Decimal(str(rng.uniform(0.5, 2.0))) for leaf in chosen}
    result = dict.fromkeys(leaves, Decimal(0))
    remaining = loss
    while remaining > 0:
        open_leaves = [leaf for leaf in chosen if result[leaf] < maxima[leaf]]
        if not open_leaves:
            open_leaves = [leaf for leaf in leaves if result[leaf] < maxima[leaf]]
            weights.update(dict.fromkeys(open_leaves, Decimal(1)))
        total_weight = sum(weights[leaf] for leaf in open_leaves)
        given = Decimal(0)
        for leaf in open_leaves:
            share = (remaining * weights[leaf] / total_weight).quantize(CENT, "ROUND_FLOOR")
            share = min(share, maxima[leaf] - result[leaf])
            result[leaf] += share
            given += share
        remaining -= given
        if given == 0:  # less than a cent per leaf left: hand out single cents
            for leaf in open_leaves:
                if remaining <= 0:
                    break
                result[leaf] += CENT
                remaining -= CENT
    return result


def load_index_demo(*, seed: int = 2025) -> dict[str, int]:
    """Create the demo assessments; returns how many were created and how many existed."""
    data = json.loads(TARGETS.read_text(encoding="utf-8"))
    methodology = methodology_latest(data["methodology"])
    nodes = engine_nodes(methodology)
    leaves = set(engine.leaf_codes(nodes))
    maxima = {n["code"]: Decimal(n["max_points"]) for n in nodes if n["code"] in leaves}
    total = engine.max_total(nodes)
    reform = User.objects.filter(role=User.Role.REFORM_OFFICE).order_by("id").first()
    if reform is None:
        raise RuntimeError("The demo needs a reform-office account: run `motcua demo` first.")
    created = existing = 0
    plan = [(Agency.objects.get(code=e["agency"]), YEARS, e) for e in data["targets"]]
    communes = Agency.objects.in_bulk(
        [f"UBND-{e['unit']}" for e in data.get("communes", [])], field_name="code"
    )
    plan += [
        (communes[f"UBND-{e['unit']}"], COMMUNE_YEARS, e)
        for e in data.get("communes", [])
        if f"UBND-{e['unit']}" in communes
    ]
    for agency, years, entry in plan:
        for year in years:
            if Score.objects.filter(
                assessment__methodology=methodology,
                assessment__year=year,
                assessment__agency=agency,
            ).exists():
                existing += 1
                continue
            rng = random.Random(f"{seed}:{agency.code}:{year}")  # noqa: S311 - demo data
            target = Decimal(str(entry[str(year)])) * total / 100
            _score_agency(methodology, agency, year, maxima, total - target, rng, reform)
            created += 1
    return {"created": created, "existing": existing}


def _score_agency(
    methodology: Any,
    agency: Agency,
    year: int,
    maxima: dict[str, Decimal],
    loss: Decimal,
    rng: random.Random,
    reform: User,
) -> Assessment:
    losses = allocate_losses(maxima, loss.quantize(CENT), rng)
    rows = {}
    for leaf in sorted(maxima):
        appraisal_cut = (losses[leaf] * APPRAISAL_SHARE).quantize(CENT, "ROUND_FLOOR")
        claimed = maxima[leaf] - losses[leaf] + appraisal_cut
        rows[leaf] = (claimed, maxima[leaf] - losses[leaf], REASON if appraisal_cut else "")
    with transaction.atomic():
        assessment = assessment_open(methodology=methodology, year=year, agency=agency)
        assessment_scores_import(actor=reform, assessment=assessment, rows=rows)
    return assessment
