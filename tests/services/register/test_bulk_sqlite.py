"""SQLite's fast branch of registering many persons (app/services/register/bulk_sqlite.py) leaves exactly
what the portable path leaves: the same rows in every table with the same ids, the same audit rows, the
same search index, on the rough roster (new persons in new villages, updates, rejections)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.db.engine import Database, open_database
from app.io.roster_import import import_roster, read_roster
from app.services.register import bulk_sqlite
from tests.fingerprint import table_rows
from tests.io import rough_roster


@pytest.fixture
def store() -> str:
    return "sqlite"  # the branch compared is SQLite's own (PostgreSQL takes the portable path only)


def _imported(folder: Path, roster_file: Path) -> tuple[dict[str, list[list[str]]], list[tuple[object, ...]], str]:
    with open_database(folder / "canlian.db") as db:
        with db.transaction() as session:
            rough_roster.register_on_file(session)
        result = import_roster(db, read_roster(roster_file), today=rough_roster.TODAY)
        return _everything(db), _index(db), result.line()


def _everything(db: Database) -> dict[str, list[list[str]]]:
    with db.session() as session:
        return table_rows(session)


def _index(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        keys = session.execute(text("select * from person_search_key order by 1, 2, 3, 4, 5")).all()
        digits = session.execute(text("select rowid, id_number from person_id_digits order by rowid")).all()
    return [tuple(r) for r in keys] + [tuple(r) for r in digits]


def test_the_fast_branch_writes_what_the_portable_path_writes(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    roster_file = rough_roster.write(tmp_path / "花名册.xlsx")
    (tmp_path / "fast").mkdir()
    (tmp_path / "portable").mkdir()
    fast = _imported(tmp_path / "fast", roster_file)
    monkeypatch.setattr(bulk_sqlite, "is_sqlite", lambda _session: False)
    portable = _imported(tmp_path / "portable", roster_file)
    assert fast[2] == portable[2]
    assert int(fast[2].split()[1].rstrip(",")) > 200  # many new persons went through the branch
    for table in portable[0]:
        assert fast[0][table] == portable[0][table], table
    assert fast[1] == portable[1]


def test_the_fast_branch_counts_its_audit_rows(db: Database, tmp_path: Path) -> None:
    """The store counts the audit rows its own writes left (the window tells another clerk's from them)."""
    before = db.own_audit_rows
    import_roster(db, read_roster(rough_roster.write(tmp_path / "花名册.xlsx")), today=rough_roster.TODAY)
    with db.session() as session:
        written = session.scalar(text("select count(*) from audit_log"))
    assert db.own_audit_rows - before == written
    assert written > 600


def test_the_driver_stores_each_value_as_sqlalchemy_binds_it(db: Database) -> None:
    """Stamps, dates, flags and money through bulk_sqlite.insert land in the file exactly as SQLAlchemy's
    insert writes them (the comparisons above leave stamps out: they differ from run to run)."""
    import datetime as dt
    from decimal import Decimal

    from sqlalchemy import Boolean, Column, Date, DateTime, Integer, MetaData, Numeric, String, Table, insert

    table = Table("bound_values", MetaData(), Column("id", Integer, primary_key=True), Column("at", DateTime),
                  Column("on", Date), Column("flag", Boolean), Column("money", Numeric(10, 2)), Column("text", String))
    stamp = dt.datetime(2026, 11, 30, 13, 5, 7, 120)
    rows = [{"id": n, "at": stamp if n % 2 else stamp.replace(microsecond=0), "on": dt.date(2026, 1 + n % 12, 1),
             "flag": bool(n % 3), "money": Decimal("1.5") if n % 2 else Decimal("1.50"), "text": f"第{n}行"}
            for n in range(1, 41)]
    with db.transaction() as session:
        table.create(session.connection())
        bulk_sqlite.insert(session, table, rows)
        session.execute(insert(table), [{**row, "id": row["id"] + 100} for row in rows])
        stored = session.execute(text(
            'select id, quote("at"), quote("on"), quote(flag), quote(money), quote(text) from bound_values'
            " order by id")).all()
    fast, portable = stored[:40], stored[40:]
    assert [row[1:] for row in fast] == [row[1:] for row in portable]
    assert fast[0][1] == "'2026-11-30 13:05:07.000120'" and fast[0][3] == "1"


def test_the_fast_audit_text_is_audit_s_own_description(db: Database) -> None:
    """bulk_sqlite.record_added says each new row as app.db.audit.describe says it, value for value: nothing
    for None, "", False, 0 and 0.0; 是 for True but 1 for 1; each Decimal as written (1.0 and 1.00); dates as
    ISO; a value repeated over many rows the same each time."""
    import datetime as dt
    from decimal import Decimal

    from app.db import audit
    from app.db.models import Person

    keys = audit.described_columns(Person)
    kinds: list[object] = [None, "", False, 0, 0.0, True, 1, 2, "张三", " 空格 ", Decimal("1.0"), Decimal("1.00"),
                           Decimal("0"), dt.date(2026, 11, 30), 3.5, -0.0, "0"]
    plain = [kind for kind in kinds if not isinstance(kind, Decimal)]  # such columns are said a value at a time
    rows = [{"id": n + 1, **{key: (kinds if i % 2 else plain)[(n + 3 * i) % len(kinds if i % 2 else plain)]
                             for i, key in enumerate(keys)}} for n in range(3 * len(kinds))]
    with db.transaction() as session:
        bulk_sqlite.record_added(session, Person, rows)
        said = session.execute(text("select entity_id, new_value from audit_log where entity = 'person' "
                                    "order by entity_id")).all()
    assert [(row["id"], audit.describe(Person, row.__getitem__)) for row in rows] == [tuple(r) for r in said]
    assert any("=是" in value for _, value in said) and any("=1.00" in value for _, value in said)
