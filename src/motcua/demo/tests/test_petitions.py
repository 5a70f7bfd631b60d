"""The demo petitions: sent and handled through the services into every state, loaded once,
and published without the senders' contact details."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client

from motcua.audit.models import Event
from motcua.demo.petitions import demo_petitions
from motcua.feedback.models import AnswerRating, Petition, State
from motcua.org.models import User


def test_the_demo_fills_every_state_once_and_publishes_no_contact_details(world):
    # when
    out = StringIO()
    call_command("feedback_demo", stdout=out)
    # then: states a visitor and an officer would see
    petitions = demo_petitions()
    assert 50 <= petitions.count() <= 70
    assert "60" in out.getvalue()
    states = set(petitions.values_list("state", flat=True))
    assert {State.RECEIVED, State.ANSWERED, State.DUPLICATE, State.HIDDEN} <= states
    assert petitions.filter(state=State.ANSWERED).count() >= 20
    assert petitions.filter(hidden=True).count() == 1
    assert AnswerRating.objects.filter(answer__petition__in=petitions).exists()
    demo_ids = [str(pk) for pk in petitions.values_list("pk", flat=True)]
    assert Event.objects.filter(subject_type="petition", action="forward", subject_id__in=demo_ids)
    assert petitions.values("category").distinct().count() >= 8
    assert petitions.values("ward").distinct().count() >= 6
    officers = User.objects.filter(username__startswith="pa-")
    assert officers.exists() and not any(u.has_usable_password() for u in officers)
    assert all(u.is_demo and u.role == User.Role.SPECIALIST for u in officers)

    # and: a second run creates nothing
    again = StringIO()
    call_command("feedback_demo", stdout=again)
    assert demo_petitions().count() == petitions.count()
    assert Petition.objects.count() == petitions.count()

    # and: no public page or feed shows a sender's phone or email
    secrets = {
        value
        for phone, email in petitions.values_list("sender_phone", "sender_email")
        for value in (phone, email)
        if value
    }
    assert secrets
    client = Client()
    pages = [client.get("/phan-anh/", {"page": page}).content.decode() for page in (1, 2, 3)]
    pages += [client.get(f"/phan-anh/{p.pk}/").content.decode() for p in petitions]
    feed = client.get("/open311/v2/requests.json")
    assert feed.status_code == 200
    pages.append(json.dumps(feed.json(), ensure_ascii=False))
    for page in pages:
        assert not [value for value in secrets if value in page]
