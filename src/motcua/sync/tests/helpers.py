"""What the sync tests share: dossiers received through the real services, a portal stub."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ActionData, ApplicantData, ReceiptData, dossier_act
from motcua.dossiers.services import dossier_receive as receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: Sở Tư pháp
SECRET = "bi-mat-chung-voi-cong-dvcqg"
APPLICANTS = [
    ("Nguyễn Thị Ngữ", "031190012345", "Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng"),
    ("Trần Văn Hùng", "031085004321", "Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng"),
    ("Phạm Thị Lan", "031192007788", "Thôn Đông, xã An Lão, Hải Phòng"),
    ("Lê Minh Tuấn", "031079001122", "Số 40 Văn Cao, phường Hải An, Hải Phòng"),
]


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=VN)


def dossier_received(world, *, n: int = 0, when: dt.datetime | None = None) -> Dossier:
    """A counter dossier received at the city desk (one `receive` event)."""
    name, id_number, address = APPLICANTS[n % len(APPLICANTS)]
    data = ReceiptData(
        procedure_code=PROCEDURE,
        channel="counter",
        applicant=ApplicantData(
            kind="person", name=name, id_number=id_number, phone="0912345678", address=address
        ),
    )
    return receive(
        actor=world.user("demo-desk"),
        data=data,
        at=when or at("2026-03-02", "08:00"),
        notify=False,
    )


def dossier_forwarded(world, dossier: Dossier, when: dt.datetime | None = None) -> Dossier:
    """The desk hands the dossier to Sở Tư pháp (one `forward` event)."""
    return dossier_act(
        actor=world.user("demo-desk"),
        code=dossier.code,
        data=ActionData(action="forward", to_agency_code="SO-TP"),
        at=when or at("2026-03-02", "09:00"),
        notify=False,
    )


class PortalStub:
    """A real HTTP endpoint answering the statuses it is given, in turn (the last one after
    that), and keeping every request it got."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.url = ""

    @contextlib.contextmanager
    def running(self) -> Iterator[PortalStub]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # no 40 ms wait on each answer (see receiver.py)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stub.requests.append({"headers": dict(self.headers), "body": json.loads(body)})
                status = stub.statuses.pop(0) if len(stub.statuses) > 1 else stub.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}/dong-bo"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
