"""The one role × capability table: views, the API, services and exports ask `can()`, so a
role's rights are read (and changed) here only. Which agency's dossier or petition a user may
touch is the apps' access modules' business; whether the role may do it at all is decided here."""

from __future__ import annotations

from enum import StrEnum

from .models import User

Role = User.Role


class Capability(StrEnum):
    SEE_EVERY_AGENCY = "see_every_agency"  # dossiers, petitions and ratings of all agencies
    ACT_ON_DOSSIERS = "act_on_dossiers"  # receive, forward, decide… for the user's agency
    ACT_IN_ANY_AGENCY = "act_in_any_agency"  # the same anywhere, and open any document
    ANSWER_PETITIONS = "answer_petitions"  # for the user's agency
    MANAGE_CATALOG = "manage_catalog"  # import the procedure catalog
    APPLY_ONLINE = "apply_online"  # the citizen's own pages
    SELF_ASSESS = "self_assess"  # the index self-assessment of the user's own agency
    APPRAISE_INDICES = "appraise_indices"  # appraise, compute and import every unit's scores
    SEE_OWN_DASHBOARD = "see_own_dashboard"  # the dashboard and reports of the user's agency


_STAFF = {
    Capability.ACT_ON_DOSSIERS,
    Capability.ANSWER_PETITIONS,
    Capability.SEE_OWN_DASHBOARD,
}

TABLE: dict[str, frozenset[Capability]] = {
    Role.CITIZEN: frozenset({Capability.APPLY_ONLINE}),
    Role.DESK_OFFICER: frozenset(_STAFF),
    Role.SPECIALIST: frozenset({*_STAFF, Capability.SELF_ASSESS}),
    Role.AGENCY_LEADER: frozenset({*_STAFF, Capability.SELF_ASSESS}),
    Role.REFORM_OFFICE: frozenset({Capability.SEE_EVERY_AGENCY, Capability.APPRAISE_INDICES}),
    # The province's leaders follow every agency; they act on no dossier themselves.
    Role.CITY_LEADER: frozenset({Capability.SEE_EVERY_AGENCY}),
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.SEE_EVERY_AGENCY,
            Capability.ACT_ON_DOSSIERS,
            Capability.ACT_IN_ANY_AGENCY,
            Capability.MANAGE_CATALOG,
        }
    ),
}

# A Django superuser administers the system: an administrator's rights, whatever its role field.
_SUPERUSER = TABLE[Role.ADMINISTRATOR]


def capabilities(user: User) -> frozenset[Capability]:
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return _SUPERUSER | TABLE.get(user.role, frozenset())
    return TABLE.get(user.role, frozenset())


def can(user: User, capability: Capability) -> bool:
    return capability in capabilities(user)
