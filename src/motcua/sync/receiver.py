"""A stand-in for the national portal's receiving end, for the demo and the tests: it checks
the signature, keeps each event id once (in its own SQLite file, as the portal is another
system with its own store), answers 200 and lists what it holds.

Answers: 200 {"status": "accepted"} for a new event, 200 {"status": "duplicate"} for an event
id it already holds (acknowledged again, stored once), 401 for a bad or missing signature, 400
for a body that is not the JSON of the event named in the header."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .signing import EVENT_ID_HEADER, SIGNATURE_HEADER, signature_valid

SCHEMA = """
CREATE TABLE IF NOT EXISTS received (
    event_id TEXT PRIMARY KEY,
    received_at REAL NOT NULL,
    deliveries INTEGER NOT NULL DEFAULT 1,
    payload TEXT NOT NULL
)
"""
MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True)
class Received:
    event_id: str
    received_at: float
    deliveries: int
    payload: dict[str, Any]


class ReceiverStore:
    """The receiver's deduplicating store: one row per event id, however often it arrives.

    One connection, shared by the server's threads under a lock: opening one per delivery
    would make SQLite checkpoint its log at every close (an fsync, ~20 ms, each time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")  # a listing reads while deliveries write
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)

    def add(self, event_id: str, payload: dict[str, Any]) -> bool:
        """Keep the event; False when its id was already here (the delivery is counted)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                inserted = self._db.execute(
                    "INSERT OR IGNORE INTO received (event_id, received_at, payload) "
                    "VALUES (?, ?, ?)",
                    (event_id, time.time(), json.dumps(payload, ensure_ascii=False)),
                ).rowcount
                if not inserted:
                    self._db.execute(
                        "UPDATE received SET deliveries = deliveries + 1 WHERE event_id = ?",
                        (event_id,),
                    )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return bool(inserted)

    def all(self) -> list[Received]:
        with self._lock:
            rows = self._db.execute(
                "SELECT event_id, received_at, deliveries, payload FROM received ORDER BY rowid"
            ).fetchall()
        return [Received(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def close(self) -> None:
        self._db.close()


def handler_for(store: ReceiverStore, secret: str, delay_seconds: float = 0.0) -> type:
    class PortalHandler(BaseHTTPRequestHandler):
        server_version = "motcua-national-portal-receiver"
        # The answer's headers and body go out as two small writes: with Nagle's algorithm the
        # second waits for the client's delayed ACK, 40 ms a delivery.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._answer(413, {"error": "body_too_large"})
                return
            body = self.rfile.read(length)
            if delay_seconds:
                time.sleep(delay_seconds)  # a slow portal, for the tests of a killed worker
            if not signature_valid(body, self.headers.get(SIGNATURE_HEADER), secret):
                self._answer(401, {"error": "bad_signature"})
                return
            event_id = self.headers.get(EVENT_ID_HEADER, "")
            try:
                payload = json.loads(body)
            except ValueError:
                self._answer(400, {"error": "not_json"})
                return
            if not event_id or not isinstance(payload, dict) or payload.get("event_id") != event_id:
                self._answer(400, {"error": "event_id_mismatch"})
                return
            new = store.add(event_id, payload)
            self._answer(200, {"status": "accepted" if new else "duplicate", "event_id": event_id})

        def do_GET(self) -> None:  # http.server's name
            if self.path.rstrip("/") != "/events":
                self._answer(404, {"error": "not_found"})
                return
            items = [
                {"event_id": r.event_id, "deliveries": r.deliveries, "payload": r.payload}
                for r in store.all()
            ]
            self._answer(200, {"count": len(items), "items": items})

        def _answer(self, status: int, document: dict[str, Any]) -> None:
            body = json.dumps(document, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # one line per delivery would drown the worker's own progress

    return PortalHandler


def receiver_server(
    *, host: str, port: int, store: ReceiverStore, secret: str, delay_seconds: float = 0.0
) -> ThreadingHTTPServer:
    """A bound server (port 0: any free port, read it from `server.server_address`)."""
    return ThreadingHTTPServer((host, port), handler_for(store, secret, delay_seconds))


@contextlib.contextmanager
def receiver_running(**options: Any) -> Iterator[ThreadingHTTPServer]:
    """The receiver serving in a thread for the duration of a `with` block."""
    server = receiver_server(**options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
