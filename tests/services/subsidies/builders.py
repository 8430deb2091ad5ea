"""Persons and applications for the subsidy tests, registered on a date in the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Person
from app.domain.disability import parse_category, parse_grade
from app.domain.months import Month
from app.services.register import households, people
from app.services.subsidies import applications
from tests.factories import make_id

REGISTERED = dt.date(2020, 1, 6)


def person(session: Session, name: str, seq: int, *, category: str = "肢体", grade: str = "一级",
           dibao_class: int | None = None, tekun: bool = False, **fields: Any) -> Person:
    id18 = make_id(seq=f"{seq:03d}")
    certificate = f"{id18}{int(parse_category(category))}{int(parse_grade(grade))}"
    raw: dict[str, Any] = {"name": name, "id_number": id18, "certificate_number": certificate, "category": category,
                           "grade": grade, "village": "金塔村", "group": "1组", "bank_name": "甘肃金塔农村商业银行",
                           "bank_account": f"6228000000000000{seq:03d}"}
    raw.update(fields)
    found = people.save_checked(session, raw, on=REGISTERED).person
    if dibao_class is not None or tekun:
        assert found.household is not None
        households.set_household_hardship(session, found.household, dibao=dibao_class is not None,
                                       dibao_class=dibao_class, tekun=tekun)
    return found


def paying(session: Session, person_id: int, programme: str, start: Month) -> int:
    """An application taken through every step to 发放 from `start`; returns its id."""
    applied = start.first_day + dt.timedelta(days=2)
    application = applications.apply_for.in_session(session, person_id, programme, applied, "本人申请")
    for offset in range(1, 5):
        applications.advance.in_session(session, application.id, applied + dt.timedelta(days=offset * 3), "",
                                        start_month=start)
    return application.id
