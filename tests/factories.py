"""Test data built by the tests themselves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.db.models import Person
from app.domain.idnumber import check_char
from app.services.register import people

if TYPE_CHECKING:
    from app.db.engine import Database


def make_id(birth: str = "19800101", seq: str = "123", region: str = "620921") -> str:
    """A well-formed (fictional) 18-digit ID."""
    body = region + birth + seq
    return body + check_char(body)


def add_person(session: Session, name: str = "张三", **fields: Any) -> Person:
    raw: dict[str, Any] = {"name": name, "id_number": make_id(), "category": "肢体", "grade": "二级",
                           "village": "金塔村", "group": "1组"}
    raw.update(fields)
    return people.save_checked(session, raw).person


def insert_old_person(conn: Connection, name: str, id_number: str) -> None:
    """A person as a register of revisions 0004 to 0007 held them (the models of today have columns those
    did not): for the tests that upgrade such a register."""
    from app.domain.names import search_keys

    initials, pinyin = search_keys(name)
    conn.execute(text(
        "insert into person (name, id_number, sex, birth_date, category, components, grade, phone, address,"
        " guardian, guardian_phone, ethnicity, education, labor_ability, employment, self_care, lives_alone,"
        " medical_insurance, bank_name, bank_account, notes, work_injury_care, orphan_allowance,"
        " other_allowance_kind, other_allowance_fen, status, initials, pinyin, created_at, updated_at)"
        " values (:name, :id_number, '男', '1980-01-01', 4, '', 2, '', '', '', '', '汉族', '', '', '', '', 0,"
        " 1, '', '', '', 0, 0, '', 0, '在册', :initials, :pinyin, '2026-01-01', '2026-01-01')"),
        {"name": name, "id_number": id_number, "initials": initials, "pinyin": pinyin})


def second_program(db: Database, db_path: Path) -> Database:
    """Another clerk's program on the same register: the same server, or the same file (without its lock,
    which is the first program's)."""
    from app.db.engine import open_database

    return open_database(db.server) if db.server is not None else open_database(db_path, lock=False)
