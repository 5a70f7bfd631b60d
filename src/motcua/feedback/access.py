"""Who may see and act on which petition: decided here only, so the queue, the staff page,
the forms and the API cannot disagree."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import NotFound, PermissionDenied
from motcua.common.locking import lock_rows
from motcua.org.models import User
from motcua.org.permissions import Capability, can

from .models import Petition

ERR_NOT_FOUND = ("petition_not_found", _("No petition {id}."))
ERR_ROLE = ("forbidden_role", _("Your role may not do this."))
ERR_NOT_YOUR_AGENCY = ("not_your_agency", _("Your agency does not handle this petition."))


def sees_all(user: User) -> bool:
    return can(user, Capability.SEE_EVERY_AGENCY)


def petitions_handled_by(user: User | AnonymousUser) -> QuerySet[Petition]:
    """Staff see the petitions their agency must answer; administrators and the reform
    office see all; everyone else none."""
    petitions = Petition.objects.all()
    if not user.is_authenticated:
        return petitions.none()
    if sees_all(user):
        return petitions
    if can(user, Capability.ANSWER_PETITIONS) and user.agency_id is not None:
        return petitions.filter(agency_id=user.agency_id)
    return petitions.none()


def not_found(petition_id: object) -> NotFound:
    return NotFound(*ERR_NOT_FOUND, id=petition_id)


def petition_get_for_staff(*, user: User, petition_id: int, for_update: bool = False) -> Petition:
    """The petition if `user` handles it; otherwise a 404 that does not reveal it exists."""
    queryset = petitions_handled_by(user).filter(pk=petition_id)
    if for_update and queryset.exists():
        lock_rows(Petition.objects.filter(pk=petition_id), field="updated_at")
    petition = queryset.select_related("category", "agency", "ward").first()
    if petition is None:
        raise not_found(petition_id)
    return petition


def require_answerer(user: User, petition: Petition) -> None:
    """Answering, forwarding and marking duplicates: staff of the agency holding the petition;
    administrators anywhere."""
    if can(user, Capability.ACT_IN_ANY_AGENCY):
        return
    if not can(user, Capability.ANSWER_PETITIONS):
        raise PermissionDenied(*ERR_ROLE)
    if user.agency_id != petition.agency_id:
        raise PermissionDenied(*ERR_NOT_YOUR_AGENCY)


def require_moderator(user: User, petition: Petition) -> None:
    """Hiding abusive content: the agency's staff, the reform office and administrators."""
    if sees_all(user):
        return
    require_answerer(user, petition)


def require_router(user: User, petition: Petition) -> None:
    """Forwarding to another agency: the agency's staff, the reform office, administrators."""
    require_moderator(user, petition)
