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
