"""A town's package merged into the county's copy of its data: rows new since the last package inserted in
bulk, persons whose fields changed updated through the ORM (so the audit writes each field), nothing
deleted: a row a later package lacks stays as the town last told it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.db.models import (
    CountyHousehold,
    CountyPayment,
    CountyPerson,
    CountyRecord,
    CountyStatusChange,
    CountyTown,
)
from app.services.report_package.package import Package

_CHUNK = 5000
VISIT = "节日慰问"
DEVICE = "器具发放"


def _insert(session: Session, mapped: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Rows in bulk through the driver's executemany, with the INSERT that SQLAlchemy compiles for the
    store's own dialect (SQLite or PostgreSQL): a county's million payments would otherwise spend most of
    their time in SQLAlchemy's per-row parameter handling. Dates come as the package's ISO text, which
    both stores read as dates; every row has the keys of the first."""
    if not rows:
        return
    conn = session.connection()
    compiled = insert(mapped.__table__).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    order = compiled.positiontup
    params: Sequence[Any] = rows
    if order is not None:  # positional (SQLite's ?): each row's values in the statement's order
        params = [tuple(row[key] for key in order) for row in rows] if len(order) == 1 else list(
            map(itemgetter(*order), rows))
    for start in range(0, len(params), _CHUNK):
        conn.exec_driver_sql(str(compiled), list(params[start:start + _CHUNK]))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _known(session: Session, column: Any, town_column: Any, town_id: int) -> set[int]:
    return set(session.scalars(select(column).where(town_column == town_id)))


def _persons(session: Session, town_id: int, rows: Iterable[dict[str, Any]], with_bank: bool) -> None:
    existing = {p.source_id: p for p in session.scalars(select(CountyPerson).where(CountyPerson.town_id == town_id))}
    new: list[dict[str, Any]] = []
    for row in rows:
        person = existing.get(row["source_id"])
        if person is None:
            new.append({"town_id": town_id, **row})
            continue
        for name, value in row.items():
            if name == "bank_account" and not with_bank:
                continue
            if getattr(person, name) != value:
                setattr(person, name, value)
    session.flush()
    _insert(session, CountyPerson, [{**row, "birth_date": _iso(row["birth_date"]),
                                     "status_date": _iso(row["status_date"])} for row in new])


def _households(session: Session, town_id: int, rows: Iterable[dict[str, Any]]) -> None:
    existing = {h.source_id: h for h in session.scalars(select(CountyHousehold)
                                                        .where(CountyHousehold.town_id == town_id))}
    new: list[dict[str, Any]] = []
    for row in rows:
        values = {"village": row.get("village") or "", "address": row.get("address") or "",
                  "head_id_number": row.get("head_id_number") or "", "dibao": bool(row.get("dibao")),
                  "tekun": bool(row.get("tekun"))}
        household = existing.get(row["id"])
        if household is None:
            new.append({"town_id": town_id, "source_id": row["id"], **values})
            continue
        for name, value in values.items():
            if getattr(household, name) != value:
                setattr(household, name, value)
    session.flush()
    _insert(session, CountyHousehold, new)


def merge(session: Session, town: CountyTown, package: Package, persons: list[dict[str, Any]]) -> None:
    """Bring the county's copy of the town up to the package (persons already in the county's columns)."""
    town_id = town.id
    _persons(session, town_id, persons, bool(package.manifest.get("bank_accounts")))
    _households(session, town_id, package.parts["households.json"])
    known = _known(session, CountyStatusChange.source_id, CountyStatusChange.town_id, town_id)
    _insert(session, CountyStatusChange, [
        {"town_id": town_id, "source_id": c["id"], "person_source_id": c["person"], "status": c["status"],
         "date": c["date"], "reason": c.get("reason") or ""}
        for c in package.parts["status_changes.json"] if c["id"] not in known])
    known = _known(session, CountyPayment.source_id, CountyPayment.town_id, town_id)
    _insert(session, CountyPayment, [
        {"town_id": town_id, "source_id": p["id"], "person_source_id": p["person"], "programme": p["programme"],
         "month": p["month"], "amount_fen": int(p["amount_fen"])}
        for p in package.parts["payments.json"] if p["id"] not in known])
    records = {(kind, source) for kind, source in session.execute(
        select(CountyRecord.kind, CountyRecord.source_id).where(CountyRecord.town_id == town_id))}
    rows = [{"town_id": town_id, "kind": DEVICE, "source_id": d["id"], "person_source_id": d["person"],
             "household_source_id": None, "date": d["date"], "what": d["device"],
             "quantity": int(d["quantity"]), "amount_fen": 0}
            for d in package.parts["devices_issued.json"] if (DEVICE, d["id"]) not in records]
    rows += [{"town_id": town_id, "kind": VISIT, "source_id": v["id"], "person_source_id": None,
              "household_source_id": v["household"], "date": v["date"], "what": v["campaign"],
              "quantity": 0, "amount_fen": int(v["amount_fen"] or 0)}
             for v in package.parts["visits.json"] if (VISIT, v["id"]) not in records]
    _insert(session, CountyRecord, rows)
