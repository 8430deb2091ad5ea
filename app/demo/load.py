"""Writing the demo register in bulk. Demo data only: rows go in by executemany (a county of 100,000
persons in seconds) instead of one flush per person, so they leave one audit entry for the whole load
rather than one per row. Real registrations always go through app.services.register.people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from app.db.models import Household, Person, StatusChange, Village, VillageGroup
from app.db.search_index import SEARCH_KEYS
from app.demo.context import DemoTown
from app.demo.rows import indexes_after, insert_rows, sqlite_indexes_after
from app.demo.town import DemoHousehold
from app.domain.words import PersonStatus
from app.services.register.bulk import search_index_once

SEARCH_KEYS_BY_PERSON = f"ix_{SEARCH_KEYS}_person"  # app.db.search_index.create_statements names it so
_REASONS: dict[str, str] = {
    PersonStatus.ON_REGISTER: "新办残疾人证", PersonStatus.DEAD: "病故", PersonStatus.MOVED_OUT: "户口迁出本镇",
}


def _insert(town: DemoTown, mapped: Any, rows: list[dict[str, Any]]) -> None:
    """Core executemany (app.demo.rows): the ORM's bulk insert splits rows by which values are None."""
    insert_rows(town.session, mapped.__table__, rows)


def write_register(town: DemoTown) -> None:
    """Villages, groups, households (heads set last: a head must exist first), persons, status history."""
    _insert(town, Village, [{"id": v.id, "name": v.name, "sort_order": i + 1} for i, v in enumerate(town.villages)])
    _insert(town, VillageGroup, [
        {"id": gid, "village_id": v.id, "name": name} for v in town.villages for gid, name in v.groups
    ])
    stamp = _Stamps()
    with indexes_after(town.session, Household.__table__, Person.__table__):  # made once over all the rows
        _insert(town, Household, [
            {"id": h.id, "village_id": h.village.id, "group_id": h.group[0], "address": h.address,
             "dibao": h.dibao_class is not None, "dibao_class": h.dibao_class, "tekun": h.tekun,
             "low_income": h.low_income, "created_at": stamp[_first_registered(h)]}
            for h in town.households
        ])
        # the search index filled once, not by a trigger per person, and its by-person index made after the keys
        # (kept up key by key, in the keys' order, it was half of filling 600,000 keys)
        with sqlite_indexes_after(town.session, SEARCH_KEYS_BY_PERSON), search_index_once(town.session):
            _insert(town, Person, [p.row for p in town.persons])
    # each household's head is its first member, the lowest id of its persons: one UPDATE made by the store
    # instead of one execution per household (a head must exist first, so it cannot go in with the row)
    table, persons = Household.__table__, Person.__table__
    first_member = select(func.min(persons.c.id)).where(persons.c.household_id == table.c.id).scalar_subquery()
    if town.households:
        town.session.execute(table.update().where(
            table.c.id.between(town.households[0].id, town.households[-1].id)).values(head_person_id=first_member))
    changes: list[dict[str, Any]] = []
    for person in sorted(town.persons, key=lambda p: p.registered):
        changes.append({"person_id": person.id, "status": PersonStatus.ON_REGISTER, "date": person.registered,
                        "reason": _REASONS[PersonStatus.ON_REGISTER], "recorded_at": stamp[person.registered]})
    leaving = [(person, person.left) for person in town.persons if person.left]
    for person, (status, day) in sorted(leaving, key=lambda pair: pair[1][1]):
        changes.append({"person_id": person.id, "status": status, "date": day,
                        "reason": _REASONS[status], "recorded_at": stamp[day]})
    with indexes_after(town.session, StatusChange.__table__):
        _insert(town, StatusChange, changes)


def _first_registered(household: DemoHousehold) -> dt.date:
    members = household.members
    return members[0].registered if len(members) == 1 else min(m.registered for m in members)


class _Stamps(dict[dt.date, dt.datetime]):
    """The time a day's rows are stamped with (09:30), made once per day: a county's days repeat by thousands."""

    def __missing__(self, day: dt.date) -> dt.datetime:
        stamp = self[day] = dt.datetime.combine(day, dt.time(9, 30))
        return stamp
