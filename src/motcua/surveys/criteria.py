"""The evaluation criteria file (`data/criteria.json`): read, check, and load into the table.

Kept free of model imports so the data migration can pass its historical model in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

CRITERIA_FILE = Path(__file__).parent / "data" / "criteria.json"
FORMAT = "motcua.rating-criteria/1"
STAGES = {"receipt", "return"}


class CriteriaFileError(ValueError):
    pass


def read_criteria(path: Path = CRITERIA_FILE) -> dict[str, Any]:
    """The file's content, checked: a wrong file fails loudly at migrate, not at the kiosk."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise CriteriaFileError(f"{path}: format must be {FORMAT!r}")
    try:
        dt.date.fromisoformat(data["effective_from"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CriteriaFileError(f"{path}: effective_from must be YYYY-MM-DD") from exc
    codes = set()
    for item in data.get("criteria", []):
        code = item.get("code", "")
        if not code or code in codes:
            raise CriteriaFileError(f"{path}: missing or repeated criterion code {code!r}")
        codes.add(code)
        if not item.get("vi") or not item.get("en"):
            raise CriteriaFileError(f"{path}: criterion {code!r} needs vi and en labels")
        stages = set(item.get("stages", []))
        if not stages or not stages <= STAGES:
            raise CriteriaFileError(f"{path}: criterion {code!r}: stages ⊆ {sorted(STAGES)}")
    if "overall" not in codes:
        raise CriteriaFileError(f"{path}: the 'overall' criterion is required")
    return data


def load_criteria(model: Any = None, path: Path = CRITERIA_FILE) -> int:
    """Create or update the criteria of the file's version (keyed by code + effective_from).
    Idempotent. Criteria of this version that the file no longer lists become inactive."""
    if model is None:
        from .models import RatingCriterion

        model = RatingCriterion
    data = read_criteria(path)
    effective_from = dt.date.fromisoformat(data["effective_from"])
    listed = []
    for position, item in enumerate(data["criteria"], start=1):
        stages = set(item["stages"])
        model.objects.update_or_create(
            code=item["code"],
            effective_from=effective_from,
            defaults={
                "label_vi": item["vi"],
                "label_en": item["en"],
                "stage": "both" if stages == STAGES else stages.pop(),
                "position": position,
                "active": item.get("active", True),
            },
        )
        listed.append(item["code"])
    model.objects.filter(effective_from=effective_from).exclude(code__in=listed).update(
        active=False
    )
    return len(listed)
