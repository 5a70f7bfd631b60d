"""Two writers at once, for tests that show who waits for whom: one transaction held open in a
thread while a second writer runs in another thread with its own connection.

Only PostgreSQL can show it: SQLite lets one writer at a time into the whole database (the
project's transactions are BEGIN IMMEDIATE), whatever rows they touch."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers in the database itself (BEGIN IMMEDIATE): only "
    "PostgreSQL's row locks can show that two writers do not wait for each other",
)


class Writer:
    """`work` run in its own thread and connection; `done` is set once it has committed."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.done = threading.Event()
        self.errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            work()
            self.done.set()
        except BaseException as error:  # the test thread reports it
            self.errors.append(error)
        finally:
            connection.close()

    def start(self) -> Writer:
        self._thread.start()
        return self

    def join(self) -> None:
        self._thread.join(timeout=60)
        if self.errors:
            raise self.errors[0]


@contextmanager
def held_open(work: Callable[[], Any]) -> Iterator[None]:
    """Run `work` in a thread inside a transaction that stays open (its locks held) for the
    body of the `with`, and commits when the body ends."""
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            work()
            started.set()
            release.wait(timeout=60)

    holder = Writer(hold).start()
    try:
        if not started.wait(timeout=30):
            holder.join()  # raises what went wrong in the holder
            raise AssertionError("the held transaction never got going")
        yield
    finally:
        release.set()
        holder.join()
