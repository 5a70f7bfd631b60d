"""The petition modules import one way: services publish what happened, the sender's
notification subscribes to it, and neither imports the other (not even inside a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import motcua.feedback

FEEDBACK = Path(motcua.feedback.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside functions, as absolute names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "motcua.feedback" if node.level == 1 else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            if node.module is None:
                names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_notify_and_services_do_not_import_each_other():
    # given / when
    imported = imported_modules(FEEDBACK / "notify.py")
    # then: the services publish an event; notify subscribes to it from apps.py
    assert "motcua.feedback.services" not in imported
    assert "motcua.feedback.notify" not in imported_modules(FEEDBACK / "services.py")


def test_the_senders_notice_subscribes_to_the_petitions_events():
    from motcua.common.events import PETITION_CHANGED, subscribers
    from motcua.feedback.notify import on_petition_event

    # given the apps loaded / when / then
    assert on_petition_event in subscribers(PETITION_CHANGED)


def test_the_rating_link_in_the_answer_notice_opens_the_rating_page(world, api_key, staff):
    """The link `notify` builds is the one `answer_rate` accepts."""
    from django.core import mail
    from django.test import Client, TestCase

    from motcua.feedback.services import petition_answer

    from .conftest import HONG_BANG, open311_post

    # given: a petition with an email, answered
    client = Client()
    response = open311_post(client, api_key, email="lan@example.vn", address_id=HONG_BANG)
    petition_id = int(response.json()[0]["service_request_id"])
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        petition_answer(petition_id=petition_id, user=staff("UBND-11311"), text="Đã vá ổ gà.")
    # when: the sender follows the link in the email
    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "/danh-gia/" in word)
    path = link[link.index("/phan-anh/") :]
    page = client.get(path)
    sent = client.post(path, {"score": 5, "k": path.split("k=")[1]})
    # then
    assert page.status_code == 200
    assert sent.status_code == 302
