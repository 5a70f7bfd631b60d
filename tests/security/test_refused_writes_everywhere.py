"""A refused API write changes nothing (issue 10), over every write endpoint of every app.

The write operations are read from the API's own OpenAPI schema (/api/v1/openapi.json), plus
the Open311 petition POST, which lives at its own prefix outside that schema. Each is sent
requests that must be refused — no credentials, a role or agency without the right, a
malformed or invalid body, an unknown id — and every table the project has is compared
before and after by a checksum of all its rows. A write endpoint added without refusals
here fails `test_every_write_endpoint_is_covered`, so the list cannot drift."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from io import BytesIO
from pprint import pformat
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client

from motcua.common.tests.files import one_page_pdf

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}
PROCEDURE = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: Sở Tư pháp
APPLICANT = {
    "kind": "person",
    "name": "Nguyễn Thị Ngữ",
    "id_number": "031190012345",
    "phone": "0912345678",
    "address": "Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng",
}


# --- the state of the whole database ---------------------------------------------------------


def _tables() -> list[type[Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def _snapshot() -> dict[str, tuple[int, str]]:
    """Every table: its row count and a digest of all its rows in primary-key order."""
    state = {}
    for model in _tables():
        columns = [f.attname for f in model._meta.concrete_fields]
        digest = hashlib.blake2b(digest_size=16)
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*columns).iterator(2000):
            digest.update(repr(row).encode())
            count += 1
        state[model._meta.label] = (count, digest.hexdigest())
    return state


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    )


# --- the refusals ------------------------------------------------------------------------------


@dataclass
class Refusal:
    """One request that must be refused: who sends it (None: nobody), and how."""

    label: str
    who: str | None
    status: int
    path: str = ""  # default: the operation's own path with its ids filled in
    json: Any = None
    files: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    code: str | None = None
    # Tables a refusal is documented to write (the payment gateways' notification log).
    logs: set[str] = field(default_factory=set)


@dataclass
class Setting:
    """What the refusals act on, made before the first snapshot."""

    dossier: str
    dossier_version: int
    citizens_dossier: str
    assessment: int
    score: int
    token_of_desk: int
    api_key: str


def _xlsx_that_is_not() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "danh-muc.xlsx",
        b"PK\x03\x04 not really a workbook",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _workbook_with_a_bad_row() -> SimpleUploadedFile:
    """A new procedure first, then a row whose processing time is not a number."""
    from openpyxl import Workbook

    from motcua.catalog.rows import COLUMNS

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.vi for c in COLUMNS[:6]])
    sheet.append(["HP.0001", "Cấp phép sử dụng vỉa hè tạm thời", "Đường bộ", "xã", 5, 100000])
    sheet.append(["HP.0002", "Cấp phép đào đường", "Đường bộ", "xã", "nhiều ngày", 0])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "danh-muc.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _pdf(content: bytes | None = None) -> SimpleUploadedFile:
    """A real one-page PDF (the upload check reads it), or `content` under a .pdf name."""
    data = one_page_pdf() if content is None else content
    return SimpleUploadedFile("bien-ban.pdf", data, content_type="application/pdf")


SCORE = {"methodology": "hp-departments", "year": 2025, "agency": "SO-TP", "node": "1.1.1"}
VERSIONS = {"methodology": "hp-departments", "year": 2025, "target_methodology": "hp-departments"}
SCENARIO = {"methodology": "hp-departments", "year": 2025, "name": "Thử", "weights": {"1": 20}}


def _refusals(s: Setting) -> dict[tuple[str, str], list[Refusal]]:
    """Per write operation (method, schema path): the requests it must refuse."""
    action = {"action": "forward", "to_agency": "UBND-TP", "version": s.dossier_version}
    receipt = {"procedure": PROCEDURE, "channel": "counter", "applicant": APPLICANT}
    return {
        ("POST", "/api/v1/procedures/import"): [
            Refusal("anonymous", None, 401, files={"file": _xlsx_that_is_not()}),
            Refusal("desk officer", "demo-desk", 403, files={"file": _xlsx_that_is_not()}),
            Refusal("citizen", "demo-citizen", 403, files={"file": _xlsx_that_is_not()}),
            Refusal("no file", "admin", 400, files={}),
            Refusal("not a workbook", "admin", 400, files={"file": _xlsx_that_is_not()}),
            Refusal(
                "a bad row after a good one",
                "admin",
                400,
                files={"file": _workbook_with_a_bad_row()},
            ),
        ],
        ("DELETE", "/api/v1/tokens/{token_id}"): [
            Refusal("anonymous", None, 401, path=f"/api/v1/tokens/{s.token_of_desk}"),
            Refusal(
                "someone else's", "demo-citizen", 404, path=f"/api/v1/tokens/{s.token_of_desk}"
            ),
            Refusal("unknown id", "demo-desk", 404, path="/api/v1/tokens/99999999"),
            Refusal("not an id", "demo-desk", 400, path="/api/v1/tokens/abc"),
        ],
        ("POST", "/api/v1/dossiers"): [
            Refusal("anonymous", None, 401, json=receipt),
            Refusal("citizen", "demo-citizen", 403, json=receipt, code="not_a_desk"),
            Refusal("specialist (no desk)", "demo-specialist", 403, json=receipt),
            Refusal("malformed", "demo-desk", 400, json={"procedure": PROCEDURE}),
            Refusal("not JSON", "demo-desk", 400, json="{"),
            Refusal(
                "unknown procedure", "demo-desk", 400, json={**receipt, "procedure": "9.999999"}
            ),
            Refusal("online at a desk", "demo-desk", 400, json={**receipt, "channel": "online"}),
            Refusal(
                "refused without a reason", "demo-desk", 400, json={**receipt, "outcome": "refuse"}
            ),
            Refusal(
                "unknown lead agency",
                "demo-desk",
                400,
                json={**receipt, "lead_agency": "KHONG-CO"},
            ),
        ],
        ("POST", "/api/v1/dossiers/{code}/actions"): [
            Refusal("anonymous", None, 401, json=action),
            Refusal("citizen, not the applicant", "demo-citizen", 404, json=action),
            Refusal("reform office", "demo-reform", 403, json=action, code="forbidden_role"),
            Refusal("another agency's desk", "t-desk-ubnd-11311", 404, json=action),
            Refusal(
                "unknown dossier",
                "demo-desk",
                404,
                path="/api/v1/dossiers/KHONG-CO/actions",
                json=action,
            ),
            Refusal("malformed", "demo-desk", 400, json={"action": "fly", "version": 1}),
            Refusal(
                "no version", "demo-desk", 400, json={"action": "forward", "to_agency": "UBND-TP"}
            ),
            Refusal(
                "stale version", "demo-desk", 409, json={**action, "version": s.dossier_version + 7}
            ),
            Refusal(
                "not allowed in this status",
                "demo-desk",
                409,
                json={"action": "accept_supplement", "version": s.dossier_version},
            ),
            Refusal(
                "supplement without a reason",
                "demo-desk",
                400,
                json={"action": "request_supplement", "version": s.dossier_version},
            ),
            Refusal(
                "forward to an unknown agency",
                "demo-desk",
                400,
                json={**action, "to_agency": "KHONG-CO"},
            ),
            Refusal("lead agency, not holding it", "demo-specialist", 403, json=action),
            Refusal(
                "the applicant forwarding their own",
                "demo-citizen",
                403,
                path=f"/api/v1/dossiers/{s.citizens_dossier}/actions",
                json={**action, "version": 1},
            ),
            Refusal(
                "the applicant supplementing unasked",
                "demo-citizen",
                409,
                path=f"/api/v1/dossiers/{s.citizens_dossier}/actions",
                json={"action": "supplement", "version": 1, "documents": [{"name": "Tờ khai"}]},
            ),
            Refusal("bad base64", "demo-desk", 400, json={**action, "result_file_base64": "%%"}),
        ],
        ("POST", "/api/v1/payments/notify/{gateway}"): [
            Refusal("unknown gateway", None, 404, path="/api/v1/payments/notify/khong-co", form={}),
            # A refused notification is told to the gateway in its own terms (VNPay's 97 with a
            # 200) and kept in the notification log; nothing else may change.
            Refusal(
                "bad signature",
                None,
                200,
                path="/api/v1/payments/notify/test",
                form={"vnp_TxnRef": "X", "vnp_Amount": "100", "vnp_SecureHash": "00"},
                logs={"payments.PaymentNotification"},
            ),
        ],
        ("POST", "/api/v1/ratings"): [
            Refusal("anonymous", None, 401, json={"dossier": s.dossier, "stage": "receipt"}),
            Refusal(
                "not the applicant",
                "demo-citizen",
                404,
                json={"dossier": s.dossier, "stage": "receipt", "overall": 5},
            ),
            Refusal(
                "staff",
                "demo-desk",
                404,
                json={"dossier": s.dossier, "stage": "receipt", "overall": 5},
            ),
            Refusal(
                "unknown dossier",
                "demo-citizen",
                404,
                json={"dossier": "KHONG-CO", "stage": "receipt", "overall": 5},
            ),
            Refusal("malformed", "demo-citizen", 400, json={"dossier": s.dossier, "stage": "mid"}),
            Refusal(
                "own dossier, not yet returned",
                "demo-citizen",
                409,
                json={"dossier": s.citizens_dossier, "stage": "return", "overall": 5},
            ),
            Refusal(
                "own dossier, score out of range",
                "demo-citizen",
                400,
                json={"dossier": s.citizens_dossier, "stage": "receipt", "overall": 9},
            ),
            Refusal(
                "own dossier, unknown criterion",
                "demo-citizen",
                400,
                json={
                    "dossier": s.citizens_dossier,
                    "stage": "receipt",
                    "overall": 5,
                    "answers": {"khong-co": 5},
                },
            ),
        ],
        ("POST", "/api/v1/indices/scores/self"): [
            Refusal("anonymous", None, 401, json={**SCORE, "points": 1}),
            Refusal("citizen", "demo-citizen", 403, json={**SCORE, "points": 1}),
            Refusal("another agency", "demo-desk", 403, json={**SCORE, "points": 1}),
            Refusal("malformed", "demo-leader", 400, json={**SCORE, "points": "nhiều"}),
            Refusal("out of range", "demo-leader", 400, json={**SCORE, "points": 99}),
        ],
        ("POST", "/api/v1/indices/scores/appraise"): [
            Refusal("anonymous", None, 401, json={**SCORE, "points": 1}),
            Refusal("citizen", "demo-citizen", 403, json={**SCORE, "points": 1}),
            Refusal("the agency itself", "demo-leader", 403, json={**SCORE, "points": 1}),
            Refusal("malformed", "demo-reform", 400, json={"methodology": "hp-departments"}),
            Refusal(
                "changed without a reason",
                "demo-reform",
                400,
                json={**SCORE, "points": 0},
                code="reason_required",
            ),
        ],
        ("POST", "/api/v1/indices/what-if"): [
            Refusal("anonymous", None, 401, json={"methodology": "hp-departments", "year": 2025}),
            Refusal(
                "citizen", "demo-citizen", 403, json={"methodology": "hp-departments", "year": 2025}
            ),
            Refusal(
                "bad year", "demo-reform", 400, json={"methodology": "hp-departments", "year": 2099}
            ),
            Refusal("malformed", "demo-reform", 400, json={"year": "năm nay"}),
        ],
        ("POST", "/api/v1/indices/what-if/methodology"): [
            Refusal("anonymous", None, 401, json=VERSIONS),
            Refusal("citizen", "demo-citizen", 403, json=VERSIONS),
            Refusal("malformed", "demo-reform", 400, json={"methodology": 7}),
        ],
        ("POST", "/api/v1/indices/assessments/{assessment_id}/compute"): [
            Refusal(
                "anonymous", None, 401, path=f"/api/v1/indices/assessments/{s.assessment}/compute"
            ),
            Refusal(
                "citizen",
                "demo-citizen",
                403,
                path=f"/api/v1/indices/assessments/{s.assessment}/compute",
            ),
            Refusal(
                "the agency itself",
                "demo-leader",
                403,
                path=f"/api/v1/indices/assessments/{s.assessment}/compute",
            ),
            Refusal(
                "unknown id",
                "demo-reform",
                404,
                path="/api/v1/indices/assessments/99999999/compute",
            ),
        ],
        ("POST", "/api/v1/indices/scenarios"): [
            Refusal("anonymous", None, 401, json=SCENARIO),
            Refusal("citizen", "demo-citizen", 403, json=SCENARIO),
            Refusal("malformed", "demo-reform", 400, json={**SCENARIO, "weights": "nặng"}),
            Refusal("unknown node", "demo-reform", 400, json={**SCENARIO, "weights": {"9": 1}}),
        ],
        ("POST", "/api/v1/indices/scores/{score_id}/evidence"): [
            Refusal(
                "anonymous",
                None,
                401,
                path=f"/api/v1/indices/scores/{s.score}/evidence",
                files={"file": _pdf()},
            ),
            Refusal(
                "citizen",
                "demo-citizen",
                403,
                path=f"/api/v1/indices/scores/{s.score}/evidence",
                files={"file": _pdf()},
            ),
            Refusal(
                "another agency",
                "demo-desk",
                403,
                path=f"/api/v1/indices/scores/{s.score}/evidence",
                files={"file": _pdf()},
            ),
            Refusal(
                "not a PDF",
                "demo-leader",
                400,
                path=f"/api/v1/indices/scores/{s.score}/evidence",
                files={"file": _pdf(b"MZ not a pdf")},
            ),
            Refusal(
                "second of two files not a PDF",
                "demo-leader",
                400,
                path=f"/api/v1/indices/scores/{s.score}/evidence",
                files={"file": [_pdf(), _pdf(b"MZ not a pdf")]},
            ),
            Refusal(
                "unknown score",
                "demo-leader",
                404,
                path="/api/v1/indices/scores/99999999/evidence",
                files={"file": _pdf()},
            ),
        ],
        ("POST", "/open311/v2/requests.json"): [
            Refusal("no key", None, 403, form={"service_code": "moi-truong", "description": "Rác"}),
            Refusal(
                "wrong key",
                None,
                403,
                form={"api_key": "khong-phai", "service_code": "moi-truong", "description": "Rác"},
            ),
            Refusal("no service", None, 400, form={"api_key": s.api_key, "description": "Rác"}),
            Refusal(
                "unknown service",
                None,
                404,
                form={"api_key": s.api_key, "service_code": "khong-co", "description": "Rác"},
            ),
        ],
    }


# Who may make each signed-in write: their browser session, without the CSRF token, is refused.
RIGHTFUL = {
    ("POST", "/api/v1/procedures/import"): "admin",
    ("DELETE", "/api/v1/tokens/{token_id}"): "demo-desk",
    ("POST", "/api/v1/dossiers"): "demo-desk",
    ("POST", "/api/v1/dossiers/{code}/actions"): "demo-desk",
    ("POST", "/api/v1/ratings"): "demo-citizen",
    ("POST", "/api/v1/indices/scores/self"): "demo-leader",
    ("POST", "/api/v1/indices/scores/appraise"): "demo-reform",
    ("POST", "/api/v1/indices/what-if"): "demo-reform",
    ("POST", "/api/v1/indices/what-if/methodology"): "demo-reform",
    ("POST", "/api/v1/indices/assessments/{assessment_id}/compute"): "demo-reform",
    ("POST", "/api/v1/indices/scenarios"): "demo-reform",
    ("POST", "/api/v1/indices/scores/{score_id}/evidence"): "demo-leader",
}


def _with_cross_site(refusals: list[Refusal], operation: tuple[str, str]) -> list[Refusal]:
    """The anonymous request again, from the rightful user's browser without a CSRF token."""
    if operation not in RIGHTFUL:
        return refusals
    anonymous = next(r for r in refusals if r.who is None)
    files = {k: _copy(v) for k, v in anonymous.files.items()} if anonymous.files else None
    forged = replace(
        anonymous, label="no CSRF token", who=f"session:{RIGHTFUL[operation]}", status=403
    )
    return [*refusals, replace(forged, files=files)]


def _copy(upload: SimpleUploadedFile) -> SimpleUploadedFile:
    upload.seek(0)
    assert upload.name is not None and upload.content_type is not None
    return SimpleUploadedFile(upload.name, upload.read(), content_type=upload.content_type)


# Open311 (GeoReport v2) is served outside the OpenAPI schema; its one write is listed here.
OUTSIDE_SCHEMA = {("POST", "/open311/v2/requests.json")}


def _schema_writes(client: Client) -> set[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITE_METHODS
    }


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def setting(world) -> Setting:
    from motcua.dossiers.services import ApplicantData, ReceiptData, dossier_receive
    from motcua.feedback.categories import load_categories
    from motcua.feedback.clients import api_client_by_key, api_client_issue_key
    from motcua.feedback.models import Category
    from motcua.indices.selectors import methodology_latest
    from motcua.indices.services import assessment_open, score_self
    from motcua.org.models import ApiToken, User

    if not Category.objects.exists():
        load_categories(Category)
    User.objects.create(
        username="t-desk-ubnd-11311",
        full_name="Cán bộ một cửa phường Hồng Bàng",
        role=User.Role.DESK_OFFICER,
        agency=world.agency("UBND-11311"),
        email="t-desk-ubnd-11311@example.gov.vn",
        is_demo=True,
    )
    dossier = dossier_receive(
        actor=world.user("demo-desk"),
        data=ReceiptData(
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=ApplicantData(**APPLICANT),
        ),
    )
    citizens = dossier_receive(
        actor=world.user("demo-desk"),
        data=ReceiptData(
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=ApplicantData(**{**APPLICANT, "name": "Vũ Đức Anh"}),
        ),
        applicant_user=world.user("demo-citizen"),
    )
    assessment = assessment_open(
        methodology=methodology_latest("hp-departments"), year=2025, agency=world.agency("SO-TP")
    )
    score = score_self(
        actor=world.user("demo-leader"), assessment=assessment, node_code="1.1.1", points=1
    )
    world.token("demo-desk")
    key = api_client_issue_key(name="ung-dung-thu")[1]
    api_client_by_key(key)  # its first use stamps last_used_at, as a token's does
    return Setting(
        dossier=dossier.code,
        dossier_version=dossier.version,
        citizens_dossier=citizens.code,
        assessment=assessment.pk,
        score=score.pk,
        token_of_desk=ApiToken.objects.filter(user__username="demo-desk").latest("pk").pk,
        api_key=key,
    )


@pytest.fixture
def send(world) -> Callable[[str, str, Refusal], Any]:
    """Send a refusal as its sender: a bearer token, or ("session:NAME") a signed-in browser
    that sends no CSRF token, as a cross-site form would. Each credential is used once
    beforehand: a token's first use stamps `last_used_at` and a sign-in writes its session
    (bookkeeping of who is calling, not the write under test)."""
    tokens: dict[str, str] = {}
    bearer = Client()
    browsers: dict[str, Client] = {}

    def prepare(who: str | None) -> tuple[Client, dict[str, str]]:
        if who is None:
            return bearer, {}
        if who.startswith("session:"):
            if who not in browsers:
                browsers[who] = Client(enforce_csrf_checks=True)
                browsers[who].force_login(world.user(who.removeprefix("session:")))
            return browsers[who], {}
        if who not in tokens:
            tokens[who] = world.token(who)
            bearer.get("/api/v1/tokens", headers={"Authorization": f"Bearer {tokens[who]}"})
        return bearer, {"Authorization": f"Bearer {tokens[who]}"}

    def go(method: str, path: str, r: Refusal):
        client, headers = prepare(r.who)
        if r.form is not None:
            return client.generic(
                method,
                path,
                urlencode(r.form),
                content_type="application/x-www-form-urlencoded",
                headers=headers,
            )
        if r.files is not None:
            return client.post(path, r.files, headers=headers)
        if isinstance(r.json, str):  # a body that is not JSON at all
            return client.generic(
                method, path, r.json, content_type="application/json", headers=headers
            )
        if r.json is None:
            return client.generic(method, path, headers=headers)
        return client.generic(
            method, path, json.dumps(r.json), content_type="application/json", headers=headers
        )

    go.prepare = prepare  # type: ignore[attr-defined]
    return go


# --- the tests ---------------------------------------------------------------------------------


def test_every_write_endpoint_is_covered(setting, api_client):
    # given the operations the API documents and those refused below
    documented = _schema_writes(api_client) | OUTSIDE_SCHEMA
    # when
    covered = set(_refusals(setting))
    # then a new write endpoint needs its refusals here before it can be merged
    assert documented - covered == set(), "write endpoints without refusals"
    assert covered - documented == set(), "refusals of endpoints that no longer exist"
    assert set(OPERATIONS) == covered
    assert set(RIGHTFUL) == documented - OUTSIDE_SCHEMA - {
        ("POST", "/api/v1/payments/notify/{gateway}")
    }


OPERATIONS = sorted(
    {
        ("POST", "/api/v1/procedures/import"),
        ("DELETE", "/api/v1/tokens/{token_id}"),
        ("POST", "/api/v1/dossiers"),
        ("POST", "/api/v1/dossiers/{code}/actions"),
        ("POST", "/api/v1/payments/notify/{gateway}"),
        ("POST", "/api/v1/ratings"),
        ("POST", "/api/v1/indices/scores/self"),
        ("POST", "/api/v1/indices/scores/appraise"),
        ("POST", "/api/v1/indices/what-if"),
        ("POST", "/api/v1/indices/what-if/methodology"),
        ("POST", "/api/v1/indices/assessments/{assessment_id}/compute"),
        ("POST", "/api/v1/indices/scenarios"),
        ("POST", "/api/v1/indices/scores/{score_id}/evidence"),
        ("POST", "/open311/v2/requests.json"),
    }
)


@pytest.mark.parametrize(("method", "operation"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_a_refused_write_changes_no_table(setting, send, method, operation):
    refusals = _with_cross_site(_refusals(setting)[(method, operation)], (method, operation))
    default_path = operation.replace("{code}", setting.dossier)
    problems: list[tuple[object, ...]] = []
    for refusal in refusals:  # each token's first use happens before the snapshot
        send.prepare(refusal.who)
    # given
    before = _snapshot()
    for refusal in refusals:
        # when
        response = send(method, refusal.path or default_path, refusal)
        # then
        after = _snapshot()
        if response.status_code != refusal.status:
            problems.append((refusal.label, response.status_code, response.content[:200]))
        elif refusal.code and response.json()["code"] != refusal.code:
            problems.append((refusal.label, response.json()["code"]))
        if _changed(before, after) != sorted(refusal.logs):
            problems.append((refusal.label, "wrote", _changed(before, after)))
        before = after
    assert not problems, pformat(problems)
