"""Taking the write lock on rows before reading them, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db.models import F, QuerySet


def lock_rows(queryset: QuerySet, *, field: str) -> int:
    """Lock the rows of `queryset` for the rest of the transaction; returns how many matched.

    A no-op UPDATE (`field = field`) takes the row locks on PostgreSQL and the database write
    lock on SQLite, where SELECT … FOR UPDATE does not exist and a plain SELECT inside a
    transaction takes no lock at all: two writers would both read the old row."""
    return queryset.update(**{field: F(field)})
