"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis).

Every operation in /api/v1/openapi.json is called through the WSGI application (no network),
once anonymously and once with a desk officer's token, with valid and invalid inputs that
hypothesis derives from the schema: NUL bytes, control characters, odd numbers, missing and
extra fields. No answer may be a server error, and every refusal must use the API's JSON error
shape. The suite's PostgreSQL leg runs the same test there, where a NUL byte reaching a text
column is a DataError.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

# Sized for about a minute per database on a shared two-core machine; derandomized, so a
# failure found once is found again by the same command.
FUZZ = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def shared_connection(world):
    """Requests share the test's database connection and its transaction.

    Django closes connections at the start and end of every request; inside a test that
    would throw away the test's transaction, so (as Django's own test client does) the
    closing is switched off while the fuzzer runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def desk_token(world) -> str:
    return world.token("demo-desk")


# Serving the schema touches no table, so it is loaded once at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
schema.config.generation.update(deterministic=True, allow_x00=True)


# Payment notifications answer in the gateway's own convention (VNPay's RspCode), not ours.
OWN_CONVENTION = ("/api/v1/payments/notify/",)


def api_error_shape(ctx, response, case) -> bool | None:
    """A refusal from /api/ is the project's JSON error: code, Vietnamese and English text."""
    # 405 comes from django-ninja's router before any project code runs (plain text).
    if not 400 <= response.status_code < 500 or response.status_code == 405:
        return None
    if case.formatted_path.startswith(OWN_CONVENTION):
        return None
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(
            f"{response.status_code} without a JSON body: {response.content[:200]!r}"
        ) from exc
    missing = {"code", "message", "message_en"} - set(body if isinstance(body, dict) else {})
    if missing:
        raise AssertionError(f"{response.status_code} error body lacks {sorted(missing)}: {body}")
    return True


def _call_in_savepoint(case, **kwargs):
    """One generated request, its writes rolled back afterwards so examples stay independent
    (and so an aborted PostgreSQL transaction does not poison the next example)."""
    with transaction.atomic():
        response = case.call(**kwargs)
        transaction.set_rollback(True)
    case.validate_response(response, checks=[not_a_server_error, api_error_shape])


@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_get_a_server_error(case):
    _call_in_savepoint(case)


@schema.parametrize()
@FUZZ
def test_desk_officer_requests_never_get_a_server_error(case, desk_token):
    _call_in_savepoint(case, headers={"Authorization": f"Bearer {desk_token}"})
