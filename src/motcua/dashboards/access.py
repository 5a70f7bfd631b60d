"""Who sees which dashboard: the province's for those who see every agency (the reform office,
the city's leadership, administrators); an agency's for its own staff too."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from motcua.org.models import Agency, User
from motcua.org.permissions import Capability, can

from .selectors import DASHBOARD_KINDS


def sees_province(user: User) -> bool:
    return can(user, Capability.SEE_EVERY_AGENCY)


def own_agency(user: User) -> Agency | None:
    """The agency whose dashboard is the user's home, if it has one."""
    if not can(user, Capability.SEE_OWN_DASHBOARD) or user.agency is None:
        return None
    return user.agency if user.agency.kind in DASHBOARD_KINDS else None


def agency_for(user: User, code: str) -> Agency:
    """The agency of a dashboard: a 404 for no such department or commune committee, a 403 for
    one the user may not see."""
    agency = Agency.objects.filter(code=code, kind__in=DASHBOARD_KINDS).first()
    if agency is None:
        raise Http404(code)
    if sees_province(user):
        return agency
    if can(user, Capability.SEE_OWN_DASHBOARD) and user.agency_id == agency.pk:
        return agency
    raise PermissionDenied
