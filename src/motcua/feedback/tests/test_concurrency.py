"""Two officers answering the same petition at the same instant: the row lock lets one
answer it and the other see it closed."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.common.errors import ApiError
from motcua.feedback.checks import PetitionInput
from motcua.feedback.models import Answer
from motcua.feedback.services import petition_answer, petition_create

from .conftest import HONG_BANG


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_publish_one(world, staff):
    # given
    petition = petition_create(
        data=PetitionInput(category_code="HT01", description="Ổ gà.", address_id=HONG_BANG),
        channel="web",
    ).petition
    officers = [staff("UBND-11311"), staff("UBND-11311", role="agency_leader")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(user) -> None:
        try:
            barrier.wait()
            petition_answer(petition_id=petition.pk, user=user, text=f"Trả lời của {user}")
            outcomes.append("answered")
        except ApiError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=answer, args=(user,)) for user in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert sorted(outcomes) == ["answered", "petition_closed"]
    assert Answer.objects.filter(petition=petition).count() == 1
