"""Methodologies as data: reading and validating the JSON files in ``methodologies/`` and
storing them (all or nothing). See docs/indices.md for the file format."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from motcua.common.errors import ApiError, ErrorSpec, bilingual

from .engine import CAPPED_SUM, LINEAR, children_of, dec

METHODOLOGY_DIR = Path(__file__).parent / "methodologies"
RULE_KINDS = ("manual", "computed", "survey")
AGGREGATES = ("sum", CAPPED_SUM)
DIRECTIONS = ("higher_better", "lower_better")
TOLERANCE = Decimal("0.001")

# (code, English msgid): {placeholders} are filled per error; the Vietnamese is in the catalog.
E_FIELD = ("missing_field", gettext_lazy("Field “{field}” is missing{where}."))
E_POINTS = ("bad_points", gettext_lazy("Maximum points of “{node}” are not valid: {value}."))
E_DUPLICATE = ("duplicate_code", gettext_lazy("Code “{node}” appears {count} times."))
E_PARENT = ("unknown_parent", gettext_lazy("Node “{node}” has an unknown parent “{parent}”."))
E_CYCLE = ("cycle", gettext_lazy("Node “{node}” is in a parent cycle ({path})."))
E_SUM = (
    "points_do_not_add_up",
    gettext_lazy("The children of “{node}” add up to {children}, not its maximum {expected}."),
)
E_RULE = ("bad_rule", gettext_lazy("The scoring rule of “{node}” is not valid: {detail}."))
E_BANDS = (
    "bands_do_not_cover",
    gettext_lazy("The ratio bands of “{node}” must cover 0..1 without gaps: {detail}."),
)
E_FORMULA = ("bad_formula", gettext_lazy("The formula of “{node}” is not valid: {detail}."))
E_GROUPS = ("bad_groups", gettext_lazy("The grade groups are not valid: {detail}."))
E_INVALID = (
    "methodology_invalid",
    gettext_lazy("Methodology “{code}” is not valid ({count} errors); nothing was saved."),
)
E_IN_USE = (
    "methodology_in_use",
    gettext_lazy(
        "Methodology “{code}” version {version} already has assessments; give it a new version."
    ),
)


def _err(template: ErrorSpec, node: str | None = None, **fields: Any) -> dict[str, Any]:
    code, message = template
    vi, en = bilingual(message, node=node, **fields)
    return {"code": code, "node": node, "message": vi, "message_en": en}


def _points(value: Any) -> Decimal | None:
    try:
        points = dec(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return points if points.is_finite() and points >= 0 else None


def normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """A node may give ``weight`` instead of ``max_points`` (a weighted framework such as PCI's
    sub-indices): the weight is then its maximum points."""
    doc = dict(data)
    if isinstance(doc.get("nodes"), list):
        doc["nodes"] = [
            {**n, "max_points": n["weight"]}
            if isinstance(n, dict) and "max_points" not in n and "weight" in n
            else n
            for n in doc["nodes"]
        ]
    return doc


def validate(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every problem in a methodology document, each with a code and messages in Vietnamese
    and English; an empty list means it may be stored."""
    data = normalise(data)
    errors: list[dict[str, Any]] = []
    for field in ("code", "version", "name_vi", "name_en", "total_points", "groups", "nodes"):
        if field not in data:
            errors.append(_err(E_FIELD, field=field, where=""))
    if errors:
        return errors
    nodes = list(data["nodes"])
    for i, node in enumerate(nodes):
        for field in ("code", "name_vi", "name_en", "max_points"):
            if field not in node:
                where = format_lazy(gettext_lazy(" in node {number}"), number=i + 1)
                errors.append(_err(E_FIELD, field=field, where=where))
    if errors:
        return errors
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["code"]] = counts.get(node["code"], 0) + 1
    errors += [_err(E_DUPLICATE, code, count=n) for code, n in counts.items() if n > 1]
    maxima: dict[str, Decimal] = {}
    for node in nodes:
        points = _points(node["max_points"])
        if points is None:
            errors.append(_err(E_POINTS, node["code"], value=node["max_points"]))
        else:
            maxima[node["code"]] = points
    parents = {n["code"]: n.get("parent") for n in nodes}
    for node in nodes:
        parent = node.get("parent")
        if parent is not None and parent not in parents:
            errors.append(_err(E_PARENT, node["code"], parent=parent))
    errors += _cycles(parents)
    if errors:
        return errors
    kids = children_of(nodes)
    total = _points(data["total_points"])
    top = sum((maxima[c] for c in kids.get(None, [])), Decimal(0))
    if total is None or abs(top - total) > TOLERANCE:
        errors.append(_err(E_SUM, "(gốc / root)", children=top, expected=data["total_points"]))
    for node in nodes:
        children = kids.get(node["code"], [])
        aggregate = node.get("aggregate", "sum")
        if aggregate not in AGGREGATES:
            errors.append(
                _err(
                    E_FORMULA, node["code"], detail=f"aggregate “{aggregate}” is not sum/capped_sum"
                )
            )
        elif children and aggregate == CAPPED_SUM:
            # A capped group's children may promise more than it keeps, never less.
            got = sum((maxima[c] for c in children), Decimal(0))
            if got < maxima[node["code"]] - TOLERANCE:
                errors.append(
                    _err(E_SUM, node["code"], children=got, expected=maxima[node["code"]])
                )
        elif children:
            got = sum((maxima[c] for c in children), Decimal(0))
            if abs(got - maxima[node["code"]]) > TOLERANCE:
                errors.append(
                    _err(E_SUM, node["code"], children=got, expected=maxima[node["code"]])
                )
        else:
            errors += _rule_errors(node, maxima[node["code"]])
    errors += _group_errors(data["groups"])
    if data.get("survey_points") is not None:
        survey = sum(
            (maxima[n["code"]] for n in nodes if (n.get("rule") or {}).get("kind") == "survey"),
            Decimal(0),
        )
        if abs(survey - dec(data["survey_points"])) > TOLERANCE:
            errors.append(
                _err(E_SUM, "(khảo sát / survey)", children=survey, expected=data["survey_points"])
            )
    return errors


def _cycles(parents: Mapping[str, str | None]) -> list[dict[str, Any]]:
    errors = []
    reported: set[str] = set()
    for start in parents:
        path, current = [start], parents[start]
        while current is not None and current in parents and current not in path:
            path.append(current)
            current = parents[current]
        if current is not None and current in path and current not in reported:
            loop = path[path.index(current) :]
            reported.update(loop)
            errors.append(_err(E_CYCLE, current, path=" → ".join([*loop, current])))
    return errors


def _rule_errors(node: Mapping[str, Any], maximum: Decimal) -> list[dict[str, Any]]:
    code = node["code"]
    rule = node.get("rule") or {"kind": "manual"}
    kind = rule.get("kind")
    if kind not in RULE_KINDS:
        return [
            _err(
                E_RULE,
                code,
                detail=format_lazy(
                    gettext_lazy("kind “{kind}” is not manual/computed/survey"), kind=kind
                ),
            )
        ]
    if node.get("direction", "higher_better") not in DIRECTIONS:
        return [
            _err(
                E_RULE,
                code,
                detail=format_lazy(
                    gettext_lazy("direction “{direction}” is not valid"),
                    direction=node.get("direction"),
                ),
            )
        ]
    if kind != "computed":
        return []
    if not rule.get("metric"):
        return [_err(E_RULE, code, detail=gettext_lazy("“metric” is missing"))]
    if "formula" in rule:
        return _formula_errors(code, rule, maximum)
    bands = rule.get("bands") or []
    if not bands:
        return [_err(E_BANDS, code, detail="no bands")]
    try:
        ordered = sorted(
            ((dec(b["from"]), dec(b["to"]), dec(b["points"])) for b in bands), key=lambda b: b[0]
        )
    except (KeyError, InvalidOperation, ValueError, TypeError):
        return [_err(E_BANDS, code, detail="each band needs from, to, points")]
    problems = []
    if ordered[0][0] != 0:
        problems.append(f"starts at {ordered[0][0]}, not 0")
    if ordered[-1][1] != 1:
        problems.append(f"ends at {ordered[-1][1]}, not 1")
    for (_, end, _p), (start, _e, _q) in zip(ordered, ordered[1:], strict=False):
        if end != start:
            problems.append(f"{end} ≠ {start}")
    problems += [f"{lo}..{hi} is empty" for lo, hi, _ in ordered if hi <= lo]
    problems += [f"{p} points not in 0..{maximum}" for _, _, p in ordered if not 0 <= p <= maximum]
    return [_err(E_BANDS, code, detail="; ".join(problems))] if problems else []


def _formula_errors(code: str, rule: Mapping[str, Any], maximum: Decimal) -> list[dict[str, Any]]:
    """A linear formula: 0 < full_marks_at ≤ 1, no_data_points within 0..max, and (for the
    service index) numerator and denominator lists of input names."""
    if rule["formula"] != LINEAR:
        return [_err(E_FORMULA, code, detail=f"formula “{rule['formula']}” is not linear")]
    problems = []
    full = _points(rule.get("full_marks_at", 1))
    if full is None or not 0 < full <= 1:
        problems.append(f"full_marks_at {rule.get('full_marks_at')} not in (0, 1]")
    no_data = _points(rule.get("no_data_points", 0))
    if no_data is None or no_data > maximum:
        problems.append(f"no_data_points {rule.get('no_data_points')} not in 0..{maximum}")
    for part in ("numerator", "denominator"):
        names = rule.get(part)
        if part in rule and (
            not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names)
        ):
            problems.append(f"{part} must be a non-empty list of input names")
    return [_err(E_FORMULA, code, detail="; ".join(problems))] if problems else []


def _group_errors(groups: Any) -> list[dict[str, Any]]:
    if not isinstance(groups, list) or not groups:
        return [_err(E_GROUPS, detail="need a non-empty list of {code, min_percent}")]
    try:
        bounds = [dec(g["min_percent"]) for g in groups]
        codes = [g["code"] for g in groups]
    except (KeyError, InvalidOperation, ValueError, TypeError):
        return [_err(E_GROUPS, detail="each group needs code and min_percent")]
    if len(set(codes)) != len(codes) or len(set(bounds)) != len(bounds):
        return [_err(E_GROUPS, detail="codes and bounds must be unique")]
    if min(bounds) != 0:
        return [_err(E_GROUPS, detail="the lowest group must start at 0 so every score has one")]
    return []


METHODOLOGY_SUFFIXES = (".yaml", ".yml", ".json")


def read_file(path: Path) -> dict[str, Any]:
    """A methodology file: YAML (what we ship, readable by the reform office) or JSON."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in {".yaml", ".yml"}:
        return yaml.safe_load(text)
    return json.loads(text)


def checksum(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def raise_if_invalid(data: Mapping[str, Any]) -> None:
    errors = validate(data)
    if errors:
        raise ApiError(
            *E_INVALID,
            code=data.get("code", "?"),
            count=len(errors),
            errors=errors,
        )


def methodology_store(
    data: Mapping[str, Any], *, methodology_model: Any = None, node_model: Any = None
) -> tuple[Any, bool]:
    """Validate and store one methodology version; (methodology, changed). Idempotent: the same
    document again changes nothing. Models may be passed in (for a data migration)."""
    if methodology_model is None or node_model is None:
        from .models import Methodology, Node

        methodology_model, node_model = Methodology, Node
    raise_if_invalid(data)
    digest = checksum(data)
    data = normalise(data)
    with transaction.atomic():
        existing = methodology_model.objects.filter(
            code=data["code"], version=data["version"]
        ).first()
        if existing is not None and existing.checksum == digest:
            return existing, False
        if existing is not None:
            if existing.assessments.exists():
                raise ApiError(
                    *E_IN_USE,
                    code=data["code"],
                    version=data["version"],
                )
            existing.delete()
        methodology = methodology_model.objects.create(
            code=data["code"],
            version=str(data["version"]),
            name_vi=data["name_vi"],
            name_en=data["name_en"],
            scope=data.get("scope", ""),
            official=bool(data.get("official", False)),
            source_note=data.get("source_note", ""),
            effective_from=dt.date.fromisoformat(data["effective_from"])
            if data.get("effective_from")
            else None,
            total_points=dec(data["total_points"]),
            groups=data["groups"],
            checksum=digest,
        )
        created: dict[str, Any] = {}
        pending = list(enumerate(data["nodes"]))
        # Parents first: a node may be listed before its parent in the file.
        while pending:
            rest = []
            for position, item in pending:
                parent_code = item.get("parent")
                if parent_code is not None and parent_code not in created:
                    rest.append((position, item))
                    continue
                rule = item.get("rule") or {"kind": "manual"}
                if item.get("aggregate"):
                    rule = {**rule, "aggregate": item["aggregate"]}
                created[item["code"]] = node_model.objects.create(
                    methodology=methodology,
                    code=item["code"],
                    parent=created.get(parent_code) if parent_code else None,
                    position=position,
                    name_vi=item["name_vi"],
                    name_en=item["name_en"],
                    max_points=dec(item["max_points"]),
                    rule_kind=rule.get("kind", "manual"),
                    rule=rule,
                    direction=item.get("direction", "higher_better"),
                    target=dec(item["target"]) if item.get("target") is not None else None,
                    official=bool(item.get("official", False)),
                    source_note=item.get("source_note", ""),
                )
            pending = rest
    return methodology, True


def methodologies_load(
    directory: Path = METHODOLOGY_DIR, *, methodology_model: Any = None, node_model: Any = None
) -> list[tuple[str, str, bool]]:
    """Load every methodology file in ``directory``; all are validated before any is stored."""
    paths = sorted(p for p in directory.iterdir() if p.suffix in METHODOLOGY_SUFFIXES)
    documents = [read_file(path) for path in paths]
    for data in documents:
        raise_if_invalid(data)
    result = []
    with transaction.atomic():
        for data in documents:
            _, changed = methodology_store(
                data, methodology_model=methodology_model, node_model=node_model
            )
            result.append((data["code"], str(data["version"]), changed))
    return result
