"""Reading the facts the subsidy rules (app.domain.subsidy_rules) need straight from the tables (plain rows,
no ORM objects), so a county of 100,000 persons is screened in one query and the engine runs on candidates only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person
from app.domain.subsidy_rules import HouseholdFacts, PersonFacts, components_of

FACT_COLUMNS = (
    Person.id, Person.category, Person.grade, Person.components, Person.status, Person.status_date,
    Person.work_injury_care, Person.orphan_allowance, Person.other_allowance_kind, Person.other_allowance_fen,
    Person.certificate_number,
    Household.id, Household.dibao, Household.dibao_class, Household.tekun, Household.low_income, Household.dibao_ended,
)
_CHUNK = 900


def facts_select() -> Select[*tuple[Any, ...]]:
    return select(*FACT_COLUMNS).outerjoin(Household, Household.id == Person.household_id)


def facts_of(row: Any) -> tuple[int, PersonFacts, HouseholdFacts | None]:
    """(person id, person facts, household facts or None) from one row of facts_select()."""
    (pid, category, grade, components, status, status_date, injury, orphan, other_kind, other_fen, certificate,
     hid, dibao, dibao_class, tekun, low_income, dibao_ended) = row
    person = PersonFacts(category=category, grade=grade, components=components_of(components or ""),
                         status=status, status_date=status_date, work_injury_care=bool(injury),
                         orphan_allowance=bool(orphan), other_allowance_kind=other_kind or "",
                         other_allowance_fen=other_fen or 0, has_certificate=bool((certificate or "").strip()))
    household = None if hid is None else HouseholdFacts(bool(dibao), dibao_class, bool(tekun), bool(low_income),
                                                        None if dibao else dibao_ended)
    return pid, person, household


def facts_for_ids(session: Session, ids: Iterable[int]) -> Iterator[tuple[int, PersonFacts, HouseholdFacts | None]]:
    """The facts of these persons, read in chunks (SQLite limits the parameters of one IN)."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in session.execute(facts_select().where(Person.id.in_(chunk))):
            yield facts_of(row)
