"""The composite-index engine: pure functions over plain dicts (no ORM), so every number on a
dashboard can be regenerated from a methodology tree and leaf scores.

A tree is a list of node dicts ``{"code", "parent", "max_points", "name"?}`` (parent ``None``
for a domain); leaf scores are ``{subject: {leaf_code: points}}``. Points are Decimals; any
number given is converted through ``str`` so that 0.1 stays 0.1.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def dec(value: Any) -> Decimal:
    """A Decimal from an int, str, float or Decimal (floats through their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if value is None:
        return ZERO
    return Decimal(str(value))


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the tree ------------------------------------------------------------------------------


def children_of(nodes: Iterable[Mapping[str, Any]]) -> dict[str | None, list[str]]:
    result: dict[str | None, list[str]] = defaultdict(list)
    for node in nodes:
        result[node.get("parent")].append(node["code"])
    return result


def leaf_codes(nodes: Sequence[Mapping[str, Any]]) -> list[str]:
    kids = children_of(nodes)
    return [n["code"] for n in nodes if not kids.get(n["code"])]


def domain_codes(nodes: Sequence[Mapping[str, Any]]) -> list[str]:
    return [n["code"] for n in nodes if n.get("parent") is None]


def max_total(nodes: Sequence[Mapping[str, Any]]) -> Decimal:
    return sum((dec(n["max_points"]) for n in nodes if n.get("parent") is None), ZERO)


CAPPED_SUM = "capped_sum"


def rollup(
    nodes: Sequence[Mapping[str, Any]], leaf_points: Mapping[str, Any]
) -> dict[str, Decimal]:
    """Points of every node: a leaf's own (missing = 0), a parent's = the sum of its children,
    at most its maximum when it is a ``capped_sum`` node (Decision 766's online payment group:
    children worth 10.5 in a group of 10). The key ``""`` holds the grand total."""
    kids = children_of(nodes)
    capped = {n["code"]: dec(n["max_points"]) for n in nodes if n.get("aggregate") == CAPPED_SUM}
    result: dict[str, Decimal] = {}

    def visit(code: str) -> Decimal:
        if code in result:
            return result[code]
        children = kids.get(code, [])
        value = sum((visit(c) for c in children), ZERO) if children else dec(leaf_points.get(code))
        if code in capped:
            value = min(value, capped[code])
        result[code] = value
        return value

    result[""] = sum((visit(c) for c in kids.get(None, [])), ZERO)
    return result


def index_percent(points: Decimal, maximum: Decimal) -> Decimal:
    """Index (%) = points / maximum × 100, to two decimals."""
    if maximum == 0:
        return ZERO
    return q2(dec(points) / dec(maximum) * HUNDRED)


def group_for(percent: Decimal, groups: Sequence[Mapping[str, Any]]) -> str:
    """The first group (by descending lower bound) whose bound the percentage reaches."""
    for group in sorted(groups, key=lambda g: dec(g["min_percent"]), reverse=True):
        if dec(percent) >= dec(group["min_percent"]):
            return str(group["code"])
    return ""


def totals(
    nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
    groups: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per subject: total points, index %, group and the points of every domain."""
    maximum = max_total(nodes)
    domains = domain_codes(nodes)
    result = {}
    for subject, leaves in points_by_subject.items():
        rolled = rollup(nodes, leaves)
        percent = index_percent(rolled[""], maximum)
        result[subject] = {
            "points": rolled[""],
            "max_points": maximum,
            "percent": percent,
            "group": group_for(percent, groups or []),
            "domains": {d: rolled[d] for d in domains},
        }
    return result


# --- ranks ---------------------------------------------------------------------------------


def competition_ranks(scores: Mapping[str, Any]) -> dict[str, int]:
    """Standard competition ranking ("1224"): equal scores share the best rank, higher is
    better."""
    ordered = sorted(scores.items(), key=lambda item: dec(item[1]), reverse=True)
    ranks: dict[str, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (subject, score) in enumerate(ordered, start=1):
        if previous is None or dec(score) != previous:
            rank = position
            previous = dec(score)
        ranks[subject] = rank
    return ranks


def rankings(rows: Sequence[Mapping[str, Any]], score_key: str = "percent") -> list[dict[str, Any]]:
    """Rank rows ``{"subject", "kind", "year", score_key}`` within each (kind, year); returns
    the rows with ``rank`` added, ordered by kind, year, rank, subject."""
    by_group: dict[tuple[Any, Any], dict[str, Any]] = defaultdict(dict)
    for row in rows:
        by_group[(row.get("kind"), row.get("year"))][row["subject"]] = row[score_key]
    ranks = {key: competition_ranks(scores) for key, scores in by_group.items()}
    ranked = [
        {**row, "rank": ranks[(row.get("kind"), row.get("year"))][row["subject"]]} for row in rows
    ]
    ranked.sort(key=lambda r: (str(r.get("kind")), str(r.get("year")), r["rank"], r["subject"]))
    return ranked


# --- where points were lost ----------------------------------------------------------------


def lost_points(
    nodes: Sequence[Mapping[str, Any]],
    self_points: Mapping[str, Any],
    appraised_points: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Per node (rolled up): points lost in self-assessment (max − self), in appraisal
    (self − appraised) and in all (max − appraised); sorted by the total loss, largest first,
    then by code."""
    selfs = rollup(nodes, self_points)
    appraised = rollup(nodes, appraised_points)
    maxima = {n["code"]: dec(n["max_points"]) for n in nodes}
    levels = _levels(nodes)
    rows = []
    for node in nodes:
        code = node["code"]
        rows.append(
            {
                "code": code,
                "name": node.get("name", ""),
                "parent": node.get("parent"),
                "level": levels[code],
                "max_points": maxima[code],
                "self_points": selfs[code],
                "appraised_points": appraised[code],
                "lost_self": maxima[code] - selfs[code],
                "lost_appraisal": selfs[code] - appraised[code],
                "lost_total": maxima[code] - appraised[code],
            }
        )
    rows.sort(key=lambda r: (-r["lost_total"], r["code"]))
    return rows


def _levels(nodes: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    parents = {n["code"]: n.get("parent") for n in nodes}
    levels = {}
    for code in parents:
        level, current = 1, parents[code]
        while current is not None:
            level, current = level + 1, parents.get(current)
        levels[code] = level
    return levels


# --- year over year ------------------------------------------------------------------------


def yoy_decomposition(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """Split the change of the index (%) between two years into per-domain contributions that
    add up exactly to the change.

    ``before``/``after`` are ``{"nodes": [...], "leaves": {leaf: points}}``; the methodologies
    may differ (a domain missing in one year counts 0 there). A domain's contribution is its
    share of the index after minus before (points / that year's maximum × 100). The index is
    rounded to two decimals; contributions are rounded so they sum to the rounded change
    (largest remainders take the extra cents), so the table a leader reads adds up.
    """
    shares = {}
    for name, year in (("before", before), ("after", after)):
        nodes = year["nodes"]
        maximum = max_total(nodes)
        rolled = rollup(nodes, year["leaves"])
        shares[name] = {
            d: (rolled[d] / maximum * HUNDRED if maximum else ZERO) for d in domain_codes(nodes)
        }
    order = list(dict.fromkeys([*shares["before"], *shares["after"]]))
    exact = {d: shares["after"].get(d, ZERO) - shares["before"].get(d, ZERO) for d in order}
    total_before = q2(sum(shares["before"].values(), ZERO))
    total_after = q2(sum(shares["after"].values(), ZERO))
    change = total_after - total_before
    contributions = _apportion(exact, change)
    return {
        "before": total_before,
        "after": total_after,
        "change": change,
        "contributions": contributions,
    }


def _apportion(exact: dict[str, Decimal], target: Decimal) -> dict[str, Decimal]:
    """Round each value down to a cent, then hand the missing cents to the largest
    remainders, so the rounded values sum to ``target`` exactly."""
    floored = {
        k: (v / CENT).to_integral_value(rounding="ROUND_FLOOR") * CENT for k, v in exact.items()
    }
    missing = int(((target - sum(floored.values(), ZERO)) / CENT).to_integral_value())
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - floored[k]), k))
    step = CENT if missing >= 0 else -CENT
    if by_remainder:
        for i in range(abs(missing)):
            key = by_remainder[i % len(by_remainder)]
            floored[key] += step
    return floored


# --- what-if -------------------------------------------------------------------------------


def apply_weights(
    nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
    weights: Mapping[str, Any],
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Decimal]]]:
    """Give nodes new maximum points (``{node_code: new_max}``); every leaf under a node is
    rescaled by the same factor, so a unit keeps its share of that node."""
    factors: dict[str, Decimal] = {}
    parents = {n["code"]: n.get("parent") for n in nodes}
    originals = {n["code"]: dec(n["max_points"]) for n in nodes}
    for code in parents:
        factor, current = Decimal(1), code
        while current is not None:
            if current in weights and originals[current]:
                factor *= dec(weights[current]) / originals[current]
            current = parents[current]
        factors[code] = factor
    new_nodes = [{**n, "max_points": originals[n["code"]] * factors[n["code"]]} for n in nodes]
    new_points = {
        s: {leaf: dec(p) * factors.get(leaf, Decimal(1)) for leaf, p in leaves.items()}
        for s, leaves in points_by_subject.items()
    }
    return new_nodes, new_points


def what_if(
    nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
    *,
    scores: Mapping[str, Mapping[str, Any]] | None = None,
    weights: Mapping[str, Any] | None = None,
    groups: Sequence[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """A scenario overlay (leaf scores per subject and/or new node maxima) → per subject the
    baseline and the scenario side by side: points, index %, group, rank."""
    base = totals(nodes, points_by_subject, groups)
    overlaid = {
        s: {**leaves, **(scores or {}).get(s, {})} for s, leaves in points_by_subject.items()
    }
    scenario_nodes, scenario_points = (
        apply_weights(nodes, overlaid, weights) if weights else (list(nodes), overlaid)
    )
    scenario = totals(scenario_nodes, scenario_points, groups)
    base_ranks = competition_ranks({s: t["percent"] for s, t in base.items()})
    new_ranks = competition_ranks({s: t["percent"] for s, t in scenario.items()})
    rows: list[dict[str, Any]] = [
        {
            "subject": s,
            "before": {**_brief(base[s]), "rank": base_ranks[s]},
            "after": {**_brief(scenario[s]), "rank": new_ranks[s]},
            "rank_change": base_ranks[s] - new_ranks[s],
        }
        for s in points_by_subject
    ]
    rows.sort(key=lambda r: (r["after"]["rank"], r["subject"]))
    return rows


def _brief(total: Mapping[str, Any]) -> dict[str, Any]:
    return {k: total[k] for k in ("points", "max_points", "percent", "group")}


def best_moves(
    nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
    target: str,
    *,
    effort: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The few changes that gain the most rank for the least effort: the target's leaves with
    room to gain, sorted by points gained per point of effort (``effort`` = cost of one point
    on that leaf, default 1; then the largest room first), taken until the target's total
    reaches the next better score (equal scores share a rank)."""
    effort = effort or {}
    maxima = {n["code"]: dec(n["max_points"]) for n in nodes}
    names = {n["code"]: n.get("name", "") for n in nodes}
    mine = {leaf: dec(p) for leaf, p in points_by_subject[target].items()}
    sums = {s: rollup(nodes, leaves)[""] for s, leaves in points_by_subject.items()}
    current = sums[target]
    better = sorted({v for s, v in sums.items() if v > current})
    goal = better[0] if better else None
    rank_now = competition_ranks(sums)[target]
    candidates = []
    for leaf in leaf_codes(nodes):
        room = maxima[leaf] - mine.get(leaf, ZERO)
        if room > 0:
            cost = dec(effort.get(leaf, 1))
            candidates.append(
                (Decimal(1) / cost if cost else Decimal("Infinity"), room, leaf, cost)
            )
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
    steps = []
    total = current
    for _gain_per_effort, room, leaf, cost in candidates:
        if goal is None or total >= goal:
            break
        take = min(room, goal - total)
        total += take
        steps.append(
            {
                "leaf": leaf,
                "name": names[leaf],
                "from": mine.get(leaf, ZERO),
                "to": mine.get(leaf, ZERO) + take,
                "gain": take,
                "effort": take * cost,
                "total_after": total,
            }
        )
    reached = goal is not None and total >= goal
    new_sums = {**sums, target: total}
    return {
        "subject": target,
        "points": current,
        "rank": rank_now,
        "goal_points": goal,
        "reached": reached,
        "new_rank": competition_ranks(new_sums)[target],
        "effort": sum((s["effort"] for s in steps), ZERO),
        "steps": steps,
    }


# --- uncertainty ---------------------------------------------------------------------------


def monte_carlo_ranks(
    nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
    *,
    runs: int = 1000,
    spread: float = 0.2,
    seed: int = 1,
) -> dict[str, dict[str, Any]]:
    """Ranks under perturbed domain weights: each run multiplies every domain's weight by a
    uniform factor in [1 − spread, 1 + spread] (seeded, so a report can be reproduced).
    Returns per subject the median rank and the 5–95 % interval (nearest-rank percentiles)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not a secret
    domains = domain_codes(nodes)
    maxima = {n["code"]: float(dec(n["max_points"])) for n in nodes}
    shares = {}
    for subject, leaves in points_by_subject.items():
        rolled = rollup(nodes, leaves)
        shares[subject] = {d: (float(rolled[d]) / maxima[d] if maxima[d] else 0.0) for d in domains}
    seen: dict[str, list[int]] = {s: [] for s in points_by_subject}
    for _ in range(runs):
        weights = {d: maxima[d] * rng.uniform(1 - spread, 1 + spread) for d in domains}
        weight_sum = sum(weights.values()) or 1.0
        scores = {
            s: Decimal(repr(round(sum(weights[d] * v[d] for d in domains) / weight_sum, 12)))
            for s, v in shares.items()
        }
        for subject, rank in competition_ranks(scores).items():
            seen[subject].append(rank)
    return {
        s: {
            "median": _percentile(ranks, 50),
            "p5": _percentile(ranks, 5),
            "p95": _percentile(ranks, 95),
        }
        for s, ranks in seen.items()
    }


def _percentile(values: list[int], pct: int) -> int:
    ordered = sorted(values)
    if not ordered:
        return 0
    index = max(0, -(-pct * len(ordered) // 100) - 1)  # nearest rank: ceil(p·n) − 1
    return ordered[min(index, len(ordered) - 1)]


# --- computed rules ------------------------------------------------------------------------


def band_points(bands: Sequence[Mapping[str, Any]], ratio: Any) -> Decimal:
    """Points for a ratio in 0..1 from bands ``{"from", "to", "points"}``: a band holds
    from ≤ ratio < to, the last band also its upper bound."""
    value = dec(ratio)
    ordered = sorted(bands, key=lambda b: dec(b["from"]))
    for i, band in enumerate(ordered):
        upper_ok = value < dec(band["to"]) or (i == len(ordered) - 1 and value <= dec(band["to"]))
        if dec(band["from"]) <= value and upper_ok:
            return dec(band["points"])
    raise ValueError(f"ratio {ratio} outside the bands")


LINEAR = "linear"


def linear_points(max_points: Any, ratio: Any, full_marks_at: Any = 1) -> Decimal:
    """``min(max, max × ratio / full_marks_at)``: full marks from ``full_marks_at`` on (Decision
    766's "min(6, 6r/0.9)")."""
    maximum = dec(max_points)
    return min(maximum, maximum * dec(ratio) / dec(full_marks_at))


def rule_points(rule: Mapping[str, Any], max_points: Any, ratio: Any) -> Decimal | None:
    """Points of a computed leaf for a ratio in 0..1 (None: nothing to count): by its linear
    formula, whose ``no_data_points`` then apply, or by its bands (no points without data)."""
    if rule.get("formula") == LINEAR:
        if ratio is None:
            return dec(rule.get("no_data_points", 0))
        return linear_points(max_points, ratio, rule.get("full_marks_at", 1))
    if ratio is None:
        return None
    return band_points(rule["bands"], ratio)


def domain_profile(
    nodes: Sequence[Mapping[str, Any]],
    points: Mapping[str, Mapping[str, Any]],
    subject: str,
    peers: Iterable[str],
) -> list[dict[str, Any]]:
    """Per domain: the subject's points as % of the domain's maximum, and the plain average
    of that % over ``peers`` (subjects of its kind, itself included), both rounded to 0.01."""
    by_code = {n["code"]: n for n in nodes}
    peer_rollups = [rollup(nodes, points[p]) for p in peers if p in points]
    own = rollup(nodes, points.get(subject, {}))
    rows = []
    for code in domain_codes(nodes):
        maximum = dec(by_code[code]["max_points"])
        if maximum <= 0:
            continue
        shares = [r[code] / maximum * HUNDRED for r in peer_rollups]
        rows.append(
            {
                "code": code,
                "name": by_code[code].get("name", code),
                "max_points": maximum,
                "points": own[code],
                "percent": q2(own[code] / maximum * HUNDRED),
                "average_percent": q2(sum(shares, ZERO) / len(shares)) if shares else None,
            }
        )
    return rows


# --- another methodology version -----------------------------------------------------------


def carry_over(
    source_nodes: Sequence[Mapping[str, Any]],
    target_nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Leaf points of one methodology version laid onto another by node code: a leaf of the
    target that is a leaf of the source keeps the same share of its maximum (all of 2 points
    stays all of 3); a target leaf with no source leaf of that code is *unmapped* (0 points,
    listed); a source leaf missing from the target is *dropped* (listed).
    Returns ``{points: {subject: {leaf: points}}, carried, unmapped, dropped}``, the last
    three lists of ``{code, name, max_points}`` (carried adds ``source_max_points``)."""
    source_max = {n["code"]: dec(n["max_points"]) for n in source_nodes}
    source_leaves = leaf_codes(source_nodes)
    target_leaves = leaf_codes(target_nodes)
    target = {n["code"]: n for n in target_nodes}
    source = {n["code"]: n for n in source_nodes}
    carried = [c for c in target_leaves if c in set(source_leaves)]
    points: dict[str, dict[str, Decimal]] = {}
    for subject, leaves in points_by_subject.items():
        mine: dict[str, Decimal] = {}
        for code in carried:
            maximum = source_max[code]
            share = dec(leaves.get(code)) / maximum if maximum else ZERO
            mine[code] = min(
                q2(share * dec(target[code]["max_points"])), dec(target[code]["max_points"])
            )
        points[subject] = mine

    def brief(node: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "code": node["code"],
            "name": node.get("name", ""),
            "max_points": dec(node["max_points"]),
        }

    return {
        "points": points,
        "carried": [{**brief(target[c]), "source_max_points": source_max[c]} for c in carried],
        "unmapped": [brief(target[c]) for c in target_leaves if c not in set(source_leaves)],
        "dropped": [brief(source[c]) for c in source_leaves if c not in set(target_leaves)],
    }


def what_if_methodology(
    source_nodes: Sequence[Mapping[str, Any]],
    target_nodes: Sequence[Mapping[str, Any]],
    points_by_subject: Mapping[str, Mapping[str, Any]],
    *,
    source_groups: Sequence[Mapping[str, Any]] | None = None,
    target_groups: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The same subjects and year scored on another methodology version: per subject the
    actual result (source) and the result on the target, side by side, with the mapping."""
    mapped = carry_over(source_nodes, target_nodes, points_by_subject)
    base = totals(source_nodes, points_by_subject, source_groups)
    swapped = totals(target_nodes, mapped["points"], target_groups)
    base_ranks = competition_ranks({s: t["percent"] for s, t in base.items()})
    new_ranks = competition_ranks({s: t["percent"] for s, t in swapped.items()})
    rows: list[dict[str, Any]] = [
        {
            "subject": s,
            "before": {**_brief(base[s]), "rank": base_ranks[s]},
            "after": {**_brief(swapped[s]), "rank": new_ranks[s]},
            "rank_change": base_ranks[s] - new_ranks[s],
        }
        for s in points_by_subject
    ]
    rows.sort(key=lambda r: (r["after"]["rank"], r["subject"]))
    return {
        "rows": rows,
        "carried": mapped["carried"],
        "unmapped": mapped["unmapped"],
        "dropped": mapped["dropped"],
    }
