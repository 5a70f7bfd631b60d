"""Scoring rules owned by a higher app and applied by a lower one: the owner registers a
provider at start-up, the user asks for the rule by name (data flows up, the rule comes down
without an import). Decision 766's dossier-satisfaction leaf lives in the indices' methodology
file; the ratings report (surveys) scores with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

# The node of indices/methodologies/service-766.yaml in force on a day: {"code", "max_points",
# "rule": {"formula": "linear", "full_marks_at", "no_data_points", …}, …}.
DOSSIER_SATISFACTION_766 = "decision-766/dossier-satisfaction"

Provider = Callable[[dt.date], Mapping[str, Any]]
_PROVIDERS: dict[str, Provider] = {}


def rule_provide(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def rule_get(name: str, on: dt.date) -> Mapping[str, Any]:
    """The rule `name` in force on `on`; LookupError if no installed app provides it."""
    try:
        provider = _PROVIDERS[name]
    except KeyError:
        raise LookupError(f"no app provides the rule {name!r}") from None
    return provider(on)
