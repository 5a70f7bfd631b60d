"""Who may see and act on which dossier: decided here only, so lists, pages, forms, exports
and the API cannot disagree."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.common.errors import NotFound, PermissionDenied
from motcua.common.locking import lock_rows
from motcua.org.models import User

from .models import Dossier, Participant, Status

SEE_ALL_ROLES = {User.Role.ADMINISTRATOR, User.Role.REFORM_OFFICE}
ACTING_ROLES = {
    User.Role.DESK_OFFICER,
    User.Role.SPECIALIST,
    User.Role.AGENCY_LEADER,
    User.Role.ADMINISTRATOR,
}

ERR_NOT_FOUND = ("dossier_not_found", "Không tìm thấy hồ sơ {code}.", "No dossier {code}.")


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Citizens see their own; staff see dossiers their agency received, leads, holds or was
    handed at some step; the reform office and administrators see all."""
    dossiers = Dossier.objects.all()
    if not user.is_authenticated:
        return dossiers.none()
    if user.role in SEE_ALL_ROLES or user.is_superuser:
        return dossiers
    if user.role == User.Role.CITIZEN:
        return dossiers.filter(applicant_user=user)
    if user.agency_id is None:
        return dossiers.none()
    return dossiers.filter(
        pk__in=Participant.objects.filter(agency_id=user.agency_id).values("dossier_id")
    )


def dossier_get_for_user(*, code: str, user: User, for_update: bool = False) -> Dossier:
    """The dossier if `user` may see it; otherwise a 404 that does not reveal it exists."""
    queryset = dossiers_visible_to(user).filter(code=code)
    if for_update:
        # Check visibility first, then take the lock with a no-op UPDATE before reading the row:
        # a row lock on PostgreSQL, the write lock on SQLite (where SELECT … FOR UPDATE does not
        # exist and a plain SELECT inside a transaction takes no lock at all).
        if queryset.exists() and lock_rows(Dossier.objects.filter(code=code), field="version"):
            queryset = Dossier.objects.filter(code=code)
        else:
            queryset = Dossier.objects.none()
    dossier = queryset.select_related(
        "procedure", "current_agency", "lead_agency", "receiving_agency"
    ).first()
    if dossier is None:
        code_, vi, en = ERR_NOT_FOUND
        raise NotFound(code_, vi.format(code=code), en.format(code=code))
    if not for_update and dossier.status == Status.PAYING:
        from .expiry import expire_if_overdue  # a write module; imported only when needed

        dossier = expire_if_overdue(dossier)
    return dossier


def require_staff_of(user: User, *agency_ids: int) -> None:
    """The actor must be acting staff of one of these agencies (administrators may act anywhere)."""
    if user.role == User.Role.ADMINISTRATOR or user.is_superuser:
        return
    if user.role not in ACTING_ROLES:
        raise PermissionDenied(
            "forbidden_role",
            "Vai trò của bạn không được thực hiện thao tác này.",
            "Your role may not do this.",
        )
    if user.agency_id not in agency_ids:
        raise PermissionDenied(
            "not_your_agency",
            "Hồ sơ không do cơ quan của bạn xử lý ở bước này.",
            "Your agency does not hold this dossier at this step.",
        )
