"""Explicit hooks the lifecycle calls so apps above it can act in the same transaction,
without the lifecycle importing them (data flows one way: `payments` registers here from its
AppConfig.ready(); `dossiers` never imports `payments`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Dossier

# (dossier, status it left, when) → None; called inside the closing transaction.
ClosedHook = Callable[["Dossier", str, dt.datetime], None]
_CLOSED_HOOKS: list[ClosedHook] = []


def register_dossier_closed(hook: ClosedHook) -> None:
    """Call `hook` whenever a dossier closes (refused, stopped, withdrawn, expired, returned)."""
    if hook not in _CLOSED_HOOKS:
        _CLOSED_HOOKS.append(hook)


def dossier_closed(dossier: Dossier, from_state: str, at: dt.datetime) -> None:
    for hook in _CLOSED_HOOKS:
        hook(dossier, from_state, at)
