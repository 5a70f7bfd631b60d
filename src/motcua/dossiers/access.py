"""Who may see and act on which dossier: decided here only, so lists, pages, forms, exports
and the API cannot disagree."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import NotFound, PermissionDenied
from motcua.common.locking import lock_rows
from motcua.org.models import User
from motcua.org.permissions import Capability, can

from .models import Document, Dossier, Participant, Status

# Which of the dossier's agencies acts for each action: the holder (`current`), the desk that
# received it (`receiving`), or either. The services and the dossier page both read this.
ACTING_AGENCIES: dict[str, tuple[str, ...]] = {
    "accept": ("receiving",),
    "request_supplement": ("current",),
    "supplement": ("receiving", "current"),
    "accept_supplement": ("receiving",),
    "refuse": ("current", "receiving"),
    "forward": ("current",),
    "apologize": ("current",),
    "finish": ("current",),
    "return": ("receiving",),
    "stop": ("receiving", "current"),
}

ERR_NOT_FOUND = ("dossier_not_found", _("No dossier {code}."))
ERR_DOCUMENT_NOT_FOUND = ("document_not_found", _("No such document."))
ERR_DOCUMENTS_FORBIDDEN = (
    "documents_forbidden",
    _(
        "A dossier's documents and results are served only to the agencies handling it, the "
        "applicant and administrators; your role may see the dossier and its history only."
    ),
)


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Citizens see their own; staff see dossiers their agency received, leads, holds or was
    handed at some step; the reform office and administrators see all."""
    dossiers = Dossier.objects.all()
    if not user.is_authenticated:
        return dossiers.none()
    if can(user, Capability.SEE_EVERY_AGENCY):
        return dossiers
    if can(user, Capability.APPLY_ONLINE):
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
        raise NotFound(*ERR_NOT_FOUND, code=code)
    if not for_update and dossier.status == Status.PAYING:
        from .expiry import expire_if_overdue  # a write module; imported only when needed

        dossier = expire_if_overdue(dossier)
    return dossier


def require_acting_role(user: User) -> None:
    """The role may act on dossiers at all (which agency's, `require_staff_of` decides)."""
    if not can(user, Capability.ACT_ON_DOSSIERS):
        raise PermissionDenied(
            "forbidden_role",
            _("Your role may not do this."),
        )


def require_staff_of(user: User, *agency_ids: int) -> None:
    """The actor must be acting staff of one of these agencies (administrators may act anywhere)."""
    if can(user, Capability.ACT_IN_ANY_AGENCY):
        return
    require_acting_role(user)
    if user.agency_id not in agency_ids:
        raise PermissionDenied(
            "not_your_agency",
            _("Your agency does not hold this dossier at this step."),
        )


def _acting_agency_ids(dossier: Dossier, action: str) -> tuple[int, ...]:
    # An agency not set (no lead agency yet) is no one's: a user without an agency must not
    # match it as None == None.
    ids = (getattr(dossier, f"{which}_agency_id") for which in ACTING_AGENCIES[action])
    return tuple(i for i in ids if i is not None)


def require_may_act(user: User, dossier: Dossier, action: str) -> None:
    """The action's acting agency (ACTING_AGENCIES) must be the user's."""
    require_staff_of(user, *_acting_agency_ids(dossier, action))


def may_act(user: User, dossier: Dossier, action: str) -> bool:
    try:
        require_may_act(user, dossier, action)
    except PermissionDenied:
        return False
    return True


def may_download_documents(user: User | AnonymousUser, dossier: Dossier) -> bool:
    """Uploaded documents and result files of `dossier` go to its applicant, to acting staff
    of the agencies handling it (received, leads, or was handed it) and to administrators.
    Seeing a dossier is not enough: the reform office monitors records and figures, not
    citizens' papers."""
    if not user.is_authenticated:
        return False
    if can(user, Capability.ACT_IN_ANY_AGENCY):
        return True
    if dossier.applicant_user_id is not None and dossier.applicant_user_id == user.pk:
        return True
    if not can(user, Capability.ACT_ON_DOSSIERS) or user.agency_id is None:
        return False
    return Participant.objects.filter(dossier=dossier, agency_id=user.agency_id).exists()


def document_get_for_download(*, user: User, pk: int, code: str | None = None) -> Document:
    """The one check in front of every file a dossier holds (staff download, the citizen's
    documents and result). A document of a dossier the user cannot see is a 404, as the dossier
    is; one of a dossier the user sees but may not download from is a 403."""
    document = Document.objects.select_related("dossier").filter(pk=pk).first()
    if (
        document is not None
        and code is not None
        and (document.dossier is None or document.dossier.code != code)
    ):
        document = None
    if document is None or not user.is_authenticated:
        raise NotFound(*ERR_DOCUMENT_NOT_FOUND)
    if document.owner_id is not None and document.owner_id == user.pk:
        return document  # the applicant's own store
    dossier = document.dossier
    if dossier is None:
        if can(user, Capability.ACT_IN_ANY_AGENCY):
            return document
        raise NotFound(*ERR_DOCUMENT_NOT_FOUND)
    if not dossiers_visible_to(user).filter(pk=dossier.pk).exists():
        raise NotFound(*ERR_DOCUMENT_NOT_FOUND)
    if not may_download_documents(user, dossier):
        raise PermissionDenied(*ERR_DOCUMENTS_FORBIDDEN)
    return document
