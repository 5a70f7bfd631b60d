"""Recomputing an index never holds a lock a desk needs: the counts run outside any
transaction, and the scores are written in one short transaction whose events go to the index
engine's own chain."""

import pytest
from django.db import connection, transaction

from motcua.audit.models import Event
from motcua.audit.selectors import audit_verify
from motcua.audit.services import INDICES_CHAIN
from motcua.common.tests.threads import Writer, held_open, postgresql_only
from motcua.dossiers.services import dossier_receive
from motcua.dossiers.tests.test_lifecycle import at, receipt
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_compute, assessment_open
from motcua.indices.tests.factories import dossier_row, petition_row


def _justice_assessment(world):
    tp = world.agency("SO-TP")
    for verdict in ("early", "on_time", "late"):
        dossier_row(tp, channel="online", finished="2025-04-01", verdict=verdict)
    petition_row(tp, "2025-05-10", answered="2025-05-09")
    return assessment_open(methodology=methodology_latest("hp-departments"), year=2025, agency=tp)


@pytest.mark.django_db(transaction=True)
def test_the_counts_run_outside_the_write_transaction(world):
    # given Sở Tư pháp's 2025 assessment with a year of dossiers and petitions
    assessment = _justice_assessment(world)
    seen: list[tuple[str, bool]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    # when the reform office recomputes
    with connection.execute_wrapper(record):
        result = assessment_compute(assessment=assessment, actor=world.user("demo-reform"))
    # then every count (over the facts per day, never the raw dossiers or petitions) ran with
    # no transaction open
    counts = [(sql, atomic) for sql, atomic in seen if '"facts_dossierday"' in sql]
    counts += [(sql, atomic) for sql, atomic in seen if '"facts_petitionday"' in sql]
    assert counts and not any(atomic for _, atomic in counts)
    raw = [sql for sql, _ in seen if '"dossiers_dossier"' in sql or '"feedback_petition"' in sql]
    assert raw == []
    # and the writes (scores, events) ran inside one
    writes = [atomic for sql, atomic in seen if sql.startswith(("INSERT", "UPDATE"))]
    assert writes and all(writes)
    # and its events are in the index engine's chain, not Sở Tư pháp's, where its desks append
    events = Event.objects.filter(
        action="score_compute", subject_id__startswith=f"{assessment.pk}:"
    )
    assert events.count() == len(result)
    assert set(events.values_list("chain", flat=True)) == {INDICES_CHAIN}
    assert audit_verify().intact


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_receipt_does_not_wait_for_a_recompute(world):
    # given a recompute of Sở Tư pháp's index whose transaction is held open (worse than the
    # real one: here even its counts are inside it)
    assessment = _justice_assessment(world)
    reform, desk = world.user("demo-reform"), world.user("demo-desk")
    # (a first receipt creates the desk's chain: its first writer makes the head row)
    dossier_receive(actor=desk, data=receipt(), at=at("2026-03-02", "08:00"))
    with held_open(lambda: assessment_compute(assessment=assessment, actor=reform)):
        # when the centre's desk receives a dossier that Sở Tư pháp will handle
        receiving = Writer(
            lambda: dossier_receive(actor=desk, data=receipt(), at=at("2026-03-02", "08:05"))
        ).start()
        # then the receipt commits while the recompute is still open
        assert receiving.done.wait(timeout=10), "the receipt waited for the recompute"
    receiving.join()
    assert audit_verify().intact
    with transaction.atomic():
        assert Event.objects.filter(action="score_compute", chain=INDICES_CHAIN).exists()
