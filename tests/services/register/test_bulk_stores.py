"""Registering many persons at once on either store (SQLite's fast branch, PostgreSQL's portable path):
the rough roster's first import gives the row-level outcomes recorded from the row-by-row import, and
leaves each new person in a household of their own as its head, with their first status and audit rows."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEntry, Household, Person, StatusChange
from app.io.roster_import import import_roster, read_roster
from tests.io import rough_roster

BEFORE = Path(__file__).resolve().parents[2] / "io" / "data" / "rough_import_before.json"


def test_an_import_on_either_store_is_the_recorded_one(db: Database, tmp_path: Path) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    with db.transaction() as session:
        rough_roster.register_on_file(session)
    result = import_roster(db, read_roster(rough_roster.write(tmp_path / "花名册.xlsx")), today=rough_roster.TODAY)
    assert result.line() == before["first_line"]
    assert json.loads(json.dumps(rough_roster.outcome_lines(result), ensure_ascii=False)) == before["first"]
    with db.session() as session:
        heads = session.execute(select(Person.id, Person.household_id, Household.head_person_id)
                                .join(Household, Household.id == Person.household_id)).all()
        assert all(head == person for person, _, head in heads)
        assert len(heads) == session.scalar(select(func.count()).select_from(Person))
        firsts = session.scalar(select(func.count()).select_from(StatusChange)
                                .where(StatusChange.reason == "花名册导入"))
        added = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "person",
                                                                                   AuditEntry.action == "新增"))
    assert firsts == result.count("imported")
    assert added == result.count("imported") + len(rough_roster.ON_FILE) + 1
