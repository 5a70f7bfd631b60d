"""`motcua demo`: the whole demo world in one command. Officers for every agency that handles
an online procedure, the demo citizen's dossiers in every state (made through the services, so
the audit chain holds), their ratings, the index assessments and the petitions, and a second
run that changes nothing."""

import io

import pytest
from django.core.management import call_command

from motcua.audit.models import Event
from motcua.audit.selectors import audit_verify
from motcua.demo.organisation import staff_username
from motcua.dossiers.models import Dossier, Status
from motcua.feedback.models import Petition
from motcua.indices.models import Assessment
from motcua.org.models import User
from motcua.payments.models import Payment
from motcua.surveys.models import Rating

pytestmark = pytest.mark.django_db

ORIGINAL_SIX = {
    "admin": ("administrator", None),
    "demo-desk": ("desk_officer", "TTPVHCC"),
    "demo-specialist": ("specialist", "SO-TP"),
    "demo-leader": ("agency_leader", "SO-TP"),
    "demo-reform": ("reform_office", "SO-NV"),
    "demo-citizen": ("citizen", None),
}


def _demo(*options: str) -> str:
    out = io.StringIO()
    call_command("demo", *options, stdout=out)
    return out.getvalue()


# The tests of the citizen's dossiers leave out the slower parts they do not look at.
CORE = ("--no-indices", "--no-petitions")


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Dossier.objects.count(),
        Event.objects.count(),
        Rating.objects.count(),
        Payment.objects.count(),
        Assessment.objects.count(),
        Petition.objects.count(),
    )


def test_every_online_procedure_agency_has_three_officers(world, client):
    """1.004756 (the README's example) is handled at the centre and by SO-NNMT; commune-level
    online procedures by every commune: each has a desk, a specialist and a leader."""
    from motcua.demo.catalog import online_agency_codes
    from motcua.org.models import Agency

    # when
    _demo(*CORE)
    # then
    codes = online_agency_codes()
    assert {"TTPVHCC", "SO-NNMT", "SO-TC"} <= set(codes)
    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE).count() == 114
    for suffix, role in (
        ("desk", "desk_officer"),
        ("specialist", "specialist"),
        ("leader", "agency_leader"),
    ):
        nnmt = world.user(f"demo-nnmt-{suffix}")
        assert (nnmt.role, nnmt.agency.code, nnmt.is_demo) == (role, "SO-NNMT", True)
        assert nnmt.full_name
    assert User.objects.filter(username__startswith="demo-ubnd-", role="specialist").count() == 114
    assert client.login(username="demo-nnmt-specialist", password="motcua-demo")
    for username, (role, agency) in ORIGINAL_SIX.items():
        user = world.user(username)
        assert (user.role, user.agency.code if user.agency else None) == (role, agency)


def test_the_nnmt_specialist_finishes_the_readme_procedure(world, client):
    """Without admin: the citizen's processing 1.004756 dossier sits at SO-NNMT, whose
    specialist sees it in the queue and records the result."""
    # given
    _demo(*CORE)
    dossier = Dossier.objects.get(applicant_user__username="demo-citizen", status=Status.PROCESSING)
    assert dossier.procedure.code == "1.004756" and dossier.current_agency.code == "SO-NNMT"
    client.login(username="demo-nnmt-specialist", password="motcua-demo")
    assert dossier.code in client.get("/ho-so/").content.decode()
    # when
    response = client.post(
        f"/ho-so/{dossier.code}/",
        {"action": "finish", "version": dossier.version, "result_kind": "paper"},
    )
    # then
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_READY


def test_the_demo_citizen_has_dossiers_in_every_state(world, client):
    _demo(*CORE)
    mine = Dossier.objects.filter(applicant_user__username="demo-citizen")
    assert set(mine.values_list("status", flat=True)) == set(Status.values)
    # made through the services: each has its events, and the chain holds
    for dossier in mine:
        assert Event.objects.filter(subject_type="dossier", subject_id=dossier.code).exists()
    assert audit_verify().intact
    paid = mine.filter(paid_online=True)
    assert paid.exists() and all(d.payments.filter(status="paid").exists() for d in paid)
    client.login(username="demo-citizen", password="motcua-demo")
    page = client.get("/ca-nhan/").content.decode()
    assert all(d.code in page for d in mine[:5])


def test_the_ward_desk_rechecks_the_citizens_online_supplement(world, client):
    """The supplement the citizen sent from the portal waits at the ward's desk, its document
    attached, the clock paused; the desk accepts it and the dossier resumes."""
    # given
    _demo(*CORE)
    dossier = Dossier.objects.get(
        applicant_user__username="demo-citizen", status=Status.SUPPLEMENT_SUBMITTED
    )
    assert dossier.supplement.supplied_at is not None
    assert dossier.documents.filter(kind="supplement").exists()
    client.login(username=staff_username("UBND-11341", "desk"), password="motcua-demo")
    assert dossier.code in client.get("/ho-so/").content.decode()
    # when
    response = client.post(
        f"/ho-so/{dossier.code}/", {"action": "accept_supplement", "version": dossier.version}
    )
    # then
    assert response.status_code == 302
    # back where the specialist asked for it, the deadlines pushed back by the wait
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.supplement.resume_status


def test_returned_dossiers_of_the_citizen_are_rated_on_the_portal(world):
    _demo(*CORE)
    returned = Dossier.objects.filter(
        applicant_user__username="demo-citizen", status=Status.RETURNED
    )
    ratings = Rating.objects.filter(dossier__in=returned)
    assert returned.count() >= 2 and ratings.count() == returned.count()
    assert set(ratings.values_list("channel", flat=True)) == {"portal"}
    assert Event.objects.filter(subject_type="rating", action="rate").count() == ratings.count()


def test_one_command_loads_the_whole_world_and_a_second_run_changes_nothing(world):
    # given the whole world, indices and petitions included
    first = _demo()
    assert "Index demo ready:" in first and "demo petitions created" in first
    assert Assessment.objects.exists() and Petition.objects.exists()
    before = _counts()
    # when
    output = _demo()
    # then
    assert _counts() == before
    assert "Dossiers of demo-citizen: 0 new" in output
    assert "Ratings of returned dossiers: 0 new" in output
    assert "0 assessments created" in output
    assert "demo petitions exist" in output
