"""The proposal (criteria.propose) reads the whole register in one query and works a household's reasons out
once per distinct facts; here every line is compared with the proposal made the slow way, person by person
(each one's status on the day from their own history), on the demo town, for several criteria and days."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Household, Person
from app.domain.dates import age_on
from app.domain.words import PersonStatus
from app.services.register.status_changes import status_history
from app.services.visits.criteria import (
    DEFAULT_CRITERIA,
    Criteria,
    Proposed,
    _household_reasons,
    _person_reasons,
    propose,
)

Line = tuple[int, list[int], str, int, int, int]
CRITERIA = [DEFAULT_CRITERIA, Criteria(severe=True, lives_alone=True, older_than=70),
            Criteria(dibao=False, tekun=False, low_income=True, cannot_self_care=False, severe=True)]


def _lines(proposals: list[Proposed]) -> list[Line]:
    return [(p.household_id, p.person_ids, p.reason_text, p.rank, p.severest, p.oldest) for p in proposals]


def _person_by_person(session: Session, criteria: Criteria, on: dt.date) -> list[Line]:
    found: dict[int, Proposed] = {}
    for person in session.scalars(select(Person).order_by(Person.household_id, Person.id)):
        history = [change for change in status_history(session, person) if change.date <= on]
        if person.household_id is None or not history or history[-1].status != PersonStatus.ON_REGISTER:
            continue
        household = session.get(Household, person.household_id)
        assert household is not None
        entry = found.setdefault(household.id, Proposed(household.id, [], _household_reasons(
            criteria, household.dibao, household.dibao_class, household.tekun, household.low_income)))
        age = age_on(person.birth_date, on)
        entry.person_ids.append(person.id)
        entry.reasons += _person_reasons(criteria, person.name, person.grade, person.self_care, person.lives_alone, age)
        entry.severest, entry.oldest = min(entry.severest, person.grade), max(entry.oldest, age)
    chosen = [p for p in found.values() if p.reasons]
    chosen.sort(key=lambda p: (p.rank, -len(p.reasons), p.severest, -p.oldest, p.household_id))
    return _lines(chosen)


@pytest.mark.parametrize("criteria", CRITERIA, ids=["default", "severe-alone-old", "low-income-severe"])
def test_every_line_is_the_one_the_person_by_person_way_proposes(demo_db: Database, criteria: Criteria) -> None:
    last_year = dt.date.today().year - 1
    with demo_db.session() as session:
        for on in (dt.date(last_year - 2, 1, 10), dt.date.today()):
            expected = _person_by_person(session, criteria, on)
            assert len(expected) > 20  # the demo town has households of every kind to propose
            assert _lines(propose(session, criteria, on=on)) == expected
