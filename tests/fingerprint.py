"""A fingerprint of every table of a store: what the tests compare to show that a faster way of writing
(the bulk import, the bulk demo) leaves exactly the rows the slower way left.

Each table's rows are read in primary-key order without the columns that only say when the program ran
(a stamp of the wall clock) and the version counters; the audit log is compared as a multiset of its rows
(who, what, which field, before and after), since rows written together may be numbered in another order."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models.base import Base

WALL_CLOCK = frozenset({"at", "created_at", "updated_at", "recorded_at"})  # a column's name, or table.column
# each store's own random name, and the public key of its signing key pair (made at random, by design)
_RANDOM_SETTINGS = ("register.identity", "unit.public_key")
_UNORDERED = {"audit_log"}  # compared as a multiset, without its row numbers
# how many times a row was saved (the version counter two clerks' saves are told apart by): one UPDATE of
# the slower way may be one INSERT of the faster way, with the same row as the outcome
_COUNTERS = {"version"}


def table_rows(session: Session, skip: frozenset[str] = WALL_CLOCK) -> dict[str, list[list[str]]]:
    """Every table's rows as text, in a stable order, without the columns in skip."""
    tables: dict[str, list[list[str]]] = {}
    for table in Base.metadata.sorted_tables:
        dropped = set(skip) | _COUNTERS | ({"id"} if table.name in _UNORDERED else set())
        columns = [c for c in table.columns if c.name not in dropped and f"{table.name}.{c.name}" not in skip]
        query = select(*columns).order_by(*table.primary_key)
        if table.name == "setting":
            query = query.where(table.c.key.not_in(_RANDOM_SETTINGS))
        if table.name == "audit_log":  # nor the audit rows that write those random values
            query = query.where(~table.c.field.in_([f"{k}.value" for k in _RANDOM_SETTINGS]),
                                *(~func.coalesce(table.c.new_value, "").startswith(f"key={k};")
                                  for k in _RANDOM_SETTINGS))
        rows = [[repr(v) for v in row] for row in session.execute(query)]
        tables[table.name] = sorted(rows) if table.name in _UNORDERED else rows
    return tables


def digests(tables: dict[str, list[list[str]]]) -> dict[str, str]:
    """Each table's row count and a short digest of its rows, e.g. "345 9f2c…"."""
    return {name: f"{len(rows)} " + hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]
            for name, rows in tables.items()}


def store_digests(db: Database, skip: frozenset[str] = WALL_CLOCK) -> dict[str, str]:
    with db.session() as session:
        return digests(table_rows(session, skip))
