"""Replaying a plan through the real services, oldest action first, in one transaction."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from django.db import transaction

from motcua.audit.models import Event
from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError
from motcua.dossiers.models import ResultKind
from motcua.dossiers.services import (
    ActionData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)
from motcua.org.models import Agency, User

from .plan import (
    ERR_APPLY,
    ERR_LEAD,
    ERR_STAFF,
    ApplyReport,
    GenerationError,
    HistoryPlan,
    PlannedAction,
    PlannedDossier,
    StaffMember,
)


def result_pdf(code: str) -> bytes:
    """A one-page PDF naming the dossier: enough for an electronic result in a demo."""
    return text_pdf(f"KET QUA GIAI QUYET HO SO {code}")


def text_pdf(line: str) -> bytes:
    """A one-page PDF carrying one line of ASCII text (demo documents and results)."""
    text = line.encode("ascii", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def _ensure_staff(staff: dict[str, StaffMember]) -> dict[str, User]:
    """The plan's officers: existing accounts are reused, missing ones created (demo accounts
    without a password)."""
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={m.agency_code for m in staff.values()})
    }
    users = {
        u.username: u
        for u in User.objects.filter(username__in=list(staff)).select_related("agency")
    }
    for member in staff.values():
        user = users.get(member.username)
        if user is None:
            user = User(
                username=member.username,
                full_name=member.full_name,
                role=member.role,
                agency=agencies[member.agency_code],
                is_demo=True,
                email=f"{member.username}@example.gov.vn",
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
            users[member.username] = user
        elif user.agency is None or user.agency.code != member.agency_code:
            actual = user.agency.code if user.agency else "—"
            raise GenerationError(
                ERR_STAFF.format(
                    username=member.username, actual=actual, expected=member.agency_code
                )
            )
    return users


def apply_plan(
    plan: HistoryPlan,
    *,
    progress: Callable[[int], object] | None = None,
    commit_every: int | None = None,
) -> ApplyReport:
    """Replay the plan through the services, oldest action first.

    All in one transaction by default, so a failure leaves nothing half-written; with
    `commit_every` the work is committed that many actions at a time, so that live users'
    writes are not held up. `progress(1)` is called as each dossier is received: the timeline
    is chronological, so receipts advance evenly with the work.
    """
    started = time.perf_counter()
    events_before = Event.objects.count()
    timeline = sorted(
        (action.at, planned.index, position)
        for planned in plan.dossiers
        for position, action in enumerate(planned.actions)
    )
    by_index = {planned.index: planned for planned in plan.dossiers}
    state: dict[int, tuple[str, str, str]] = {}
    step = commit_every or max(1, len(timeline))
    # A replayed past tells no applicant anything: every step goes with notify=False.
    users = _ensure_staff(plan.staff)
    certifying = frozenset(
        Procedure.objects.filter(certification=True).values_list("code", flat=True)
    )
    for start in range(0, len(timeline), step):
        with transaction.atomic():
            for _, index, position in timeline[start : start + step]:
                planned = by_index[index]
                action = planned.actions[position]
                try:
                    state[index] = _apply(planned, action, users, state.get(index), certifying)
                except (ApiError, GenerationError) as exc:
                    message = ERR_APPLY.format(
                        index=index,
                        procedure=planned.procedure_code,
                        action=action.action,
                        at=action.at,
                        error=exc,
                    )
                    raise GenerationError(message) from exc
                if progress is not None and position == 0:
                    progress(1)
    return ApplyReport(
        dossiers=[state[planned.index] for planned in plan.dossiers],
        events_written=Event.objects.count() - events_before,
        seconds=time.perf_counter() - started,
    )


def _apply(
    planned: PlannedDossier,
    action: PlannedAction,
    users: dict[str, User],
    state: tuple[str, str, str] | None,
    certifying: frozenset[str] = frozenset(),
) -> tuple[str, str, str]:
    actor = users[action.actor]
    if action.action == "receive":
        data = ReceiptData(
            procedure_code=planned.procedure_code,
            channel=planned.channel,
            applicant=dataclasses.replace(planned.applicant),
            documents=list(planned.documents),
            outcome=planned.outcome,
            reason=planned.reason,
            missing_items=list(planned.missing_items),
            processing_days=planned.processing_days,
            # About four in ten people show their chip ID card and their data is read from the
            # national population database; derived from the index, so the plan is unchanged.
            population_data=planned.applicant.kind == "person" and planned.index % 5 < 2,
        )
        dossier = dossier_receive(
            actor=actor, data=data, at=action.at, replaying_history=True, notify=False
        )
        if dossier.lead_agency.code != planned.lead_code:
            raise GenerationError(
                ERR_LEAD.format(actual=dossier.lead_agency.code, expected=planned.lead_code)
            )
        return dossier.code, dossier.status, dossier.verdict
    assert state is not None  # noqa: S101 - the receipt always comes first in the timeline
    code = state[0]
    electronic = action.result_kind in {ResultKind.ELECTRONIC, ResultKind.BOTH}
    action_data = ActionData(
        action=action.action,
        reason=action.reason,
        to_agency_code=action.to_agency_code,
        new_due_at=action.new_due_at,
        items=list(action.items),
        result_kind=action.result_kind,
        result_file_content=result_pdf(code) if electronic else None,
        returned_how=action.returned_how,
        documents=list(action.documents),
        # Certification dossiers finished electronically issue an electronic certified copy.
        certified_copy=(
            action.action == "finish" and electronic and planned.procedure_code in certifying
        ),
    )
    dossier = dossier_act(actor=actor, code=code, data=action_data, at=action.at, notify=False)
    return dossier.code, dossier.status, dossier.verdict
