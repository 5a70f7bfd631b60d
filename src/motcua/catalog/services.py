"""Writes to the catalog: importing announced procedures and recording how the catalog changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError
from motcua.common.text import fold

from .models import CatalogEvent, Fee, Field, Procedure
from .rows import ProcedureRow, RowError

# Changes to these make an "amended" event; the rest (source, notes) are bookkeeping.
TRACKED_FIELDS = (
    "name",
    "field_id",
    "levels",
    "processing_days",
    "fee_vnd",
    "competent_agency_text",
    "online_level",
    "legacy_level",
    "legal_basis",
)


class ImportRejected(ApiError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            "import_rejected",
            _("The file has {count} error(s); nothing was saved."),
            count=len(errors),
            errors=[e.as_dict() for e in errors],
        )
        self.row_errors = errors


@dataclass
class ImportResult:
    created: int = 0
    amended: int = 0
    abolished: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


def field_get_or_create(*, name: str) -> Field:
    existing = Field.objects.filter(name=name).first()
    if existing:
        return existing
    code = fold(name).replace(" ", "-")[:32] or "field"
    suffix = 1
    candidate = code
    while Field.objects.filter(code=candidate).exists():
        suffix += 1
        candidate = f"{code[:28]}-{suffix}"
    return Field.objects.create(code=candidate, name=name)


def is_certification(*, name: str, field_name: str) -> bool:
    """A certification (chứng thực) procedure: its field or its name says so, as published."""
    prefix = fold("Chứng thực")
    return fold(field_name).startswith(prefix) or fold(name).startswith(prefix)


def _apply_row(procedure: Procedure, row: ProcedureRow, fields_by_name: dict[str, Field]) -> None:
    procedure.name = row.name
    procedure.field = fields_by_name[row.field]
    procedure.certification = is_certification(name=row.name, field_name=row.field)
    procedure.levels = row.level
    procedure.processing_days = row.processing_days
    procedure.fee_vnd = row.fee_vnd
    procedure.competent_agency_text = row.competent_agency
    procedure.online_level = row.online_level
    procedure.legacy_level = row.legacy_level
    procedure.legal_basis = row.legal_basis
    procedure.source = row.source
    if row.announced_by:
        procedure.announced_by = row.announced_by
    if row.effective_from:
        procedure.effective_from = row.effective_from


def _record(
    procedure: Procedure,
    kind: str,
    date: dt.date,
    changes: dict | None = None,
    *,
    published_on: dt.date | None = None,
) -> None:
    # The day the change became public here; the service index judges it against `date`.
    CatalogEvent.objects.create(
        published_on=published_on or timezone.localdate(),
        procedure=procedure,
        kind=kind,
        date=date,
        decision=procedure.announced_by,
        field=procedure.field,
        levels=procedure.levels,
        changes=changes or {},
    )


def _sync_fee(procedure: Procedure) -> None:
    procedure.fees.all().delete()
    if procedure.fee_vnd:
        Fee.objects.create(procedure=procedure, name="Phí, lệ phí", amount_vnd=procedure.fee_vnd)


@transaction.atomic
def catalog_import(
    *,
    rows: list[ProcedureRow],
    as_of: dt.date | None = None,
    progress: Callable[[Iterable[ProcedureRow]], Iterable[ProcedureRow]] | None = None,
    published_on: dt.date | None = None,
) -> ImportResult:
    """Create or update procedures from validated rows, recording announcements, amendments and
    abolitions dated `as_of` (today) unless a row carries its own effective or abolition date,
    made public on `published_on` (today)."""
    as_of = as_of or timezone.localdate()
    published_on = published_on or timezone.localdate()
    result = ImportResult()
    fields_by_name = {name: field_get_or_create(name=name) for name in {r.field for r in rows}}
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[r.code for r in rows])}
    for row in progress(rows) if progress else rows:
        procedure = existing.get(row.code)
        result.codes.append(row.code)
        if procedure is None:
            procedure = Procedure(code=row.code, status=row.status)
            _apply_row(procedure, row, fields_by_name)
            procedure.effective_from = row.effective_from or as_of
            if row.status == Procedure.Status.ABOLISHED:
                procedure.abolished_on = row.abolished_on
            procedure.full_clean(exclude=["competent_agency"])
            procedure.save()
            _sync_fee(procedure)
            _record(
                procedure,
                CatalogEvent.Kind.ANNOUNCED,
                procedure.effective_from,
                published_on=published_on,
            )
            result.created += 1
            if row.status == Procedure.Status.ABOLISHED:
                _record(
                    procedure,
                    CatalogEvent.Kind.ABOLISHED,
                    row.abolished_on or as_of,
                    published_on=published_on,
                )
                result.abolished += 1
            continue
        before = {name: getattr(procedure, name) for name in TRACKED_FIELDS}
        _apply_row(procedure, row, fields_by_name)
        after = {name: getattr(procedure, name) for name in TRACKED_FIELDS}
        changes = {
            name: [str(before[name]), str(after[name])]
            for name in TRACKED_FIELDS
            if before[name] != after[name]
        }
        abolishing = (
            row.status == Procedure.Status.ABOLISHED
            and procedure.status != Procedure.Status.ABOLISHED
        )
        if not changes and not abolishing and procedure.status == row.status:
            result.unchanged += 1
            continue
        if changes:
            procedure.version += 1
        procedure.status = row.status
        procedure.abolished_on = row.abolished_on if abolishing or row.abolished_on else None
        procedure.full_clean(exclude=["competent_agency"])
        procedure.save()
        if changes:
            _sync_fee(procedure)
            _record(procedure, CatalogEvent.Kind.AMENDED, as_of, changes, published_on=published_on)
            result.amended += 1
        if abolishing:
            _record(
                procedure,
                CatalogEvent.Kind.ABOLISHED,
                row.abolished_on or as_of,
                published_on=published_on,
            )
            result.abolished += 1
        elif not changes:
            result.unchanged += 1
    return result


@transaction.atomic
def procedure_abolish(*, procedure: Procedure, on: dt.date, decision: str = "") -> Procedure:
    if procedure.status == Procedure.Status.ABOLISHED:
        raise ApiError(
            "already_abolished",
            _("Procedure {code} is already abolished."),
            code=procedure.code,
            status=409,
        )
    procedure.status = Procedure.Status.ABOLISHED
    procedure.abolished_on = on
    if decision:
        procedure.announced_by = decision
    procedure.full_clean(exclude=["competent_agency"])
    procedure.save()
    _record(procedure, CatalogEvent.Kind.ABOLISHED, on)
    return procedure


@transaction.atomic
def procedure_save_from_admin(*, procedure: Procedure, changed_fields: list[str]) -> Procedure:
    """An edit in the Django admin: announced when new, amended (version bumped) when a tracked
    field changed, so the history report sees admin edits like imports."""
    is_new = procedure.pk is None
    tracked = sorted(set(changed_fields) & {name.removesuffix("_id") for name in TRACKED_FIELDS})
    if not is_new and tracked:
        procedure.version += 1
    procedure.save()
    today = timezone.localdate()
    if is_new:
        _record(procedure, CatalogEvent.Kind.ANNOUNCED, procedure.effective_from or today)
    elif tracked:
        _record(procedure, CatalogEvent.Kind.AMENDED, today, dict.fromkeys(tracked, "admin"))
    return procedure
