"""Test data built by the tests themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Person
from app.domain.idnumber import check_char
from app.services.register import people


def make_id(birth: str = "19800101", seq: str = "123", region: str = "620921") -> str:
    """A well-formed (fictional) 18-digit ID."""
    body = region + birth + seq
    return body + check_char(body)


def add_person(session: Session, name: str = "张三", **fields: Any) -> Person:
    raw: dict[str, Any] = {"name": name, "id_number": make_id(), "category": "肢体", "grade": "二级",
                           "village": "金塔村", "group": "1组"}
    raw.update(fields)
    return people.save_checked(session, raw).person
