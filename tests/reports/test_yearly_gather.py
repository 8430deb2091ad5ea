"""gather counts each period once: a one-year summary's own year is not counted again for the trend, and the
period before is counted like for like without first counting its subsidies over the whole period. What it
gives must be exactly what counting every period in full gives (the way it was counted before), on the demo
town, for a year not over, a past year and five years."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Person
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.reports.yearly_figures import TREND_YEARS, gather, years_back
from app.services.summary.figures import Period, summarise
from app.services.summary.subsidies_and_relief import paid_months, programme_amounts, subsidy_figures
from tests.reports.independent import on_register


def _counted_in_full(session: Session, since: int, year: int, until: dt.date | None) -> dict[str, Any]:
    period = Period(since=since, year=year, until=until)
    figures = summarise(session, year=year, since=since, until=until)
    figures["programme_amounts"] = programme_amounts(session, period.start, period.end)
    figures["until"] = until if until is not None and until < dt.date(year, 12, 31) else None
    return figures


def _every_period_in_full(session: Session, year: int, since: int, today: dt.date) -> dict[str, Any]:
    until = today if today < dt.date(year, 12, 31) else None
    length = year - since + 1
    earlier = years_back(until, length) if until is not None else None
    previous = _counted_in_full(session, since - length, since - 1, earlier)
    before = Period(since=since - length, year=since - 1, until=earlier)
    now = Period(since=since, year=year, until=until)
    same = [years_back(month, length) for month in paid_months(session, now.start, now.end)]
    previous.update(subsidy_figures(session, before, months=same))
    previous["programme_amounts"] = programme_amounts(session, before.start, before.end, months=same)
    first = since if length > 1 else year - TREND_YEARS + 1
    return {"current": _counted_in_full(session, since, year, until), "previous": previous,
            "years": [_counted_in_full(session, y, y, until if y == year else None) for y in range(first, year + 1)]}


@pytest.mark.parametrize("back, span", [(0, 1), (1, 1), (0, 5)])
def test_each_period_counted_once_gives_what_counting_all_gives(demo_db: Database, back: int, span: int) -> None:
    today = dt.date.today()
    year = today.year - back
    with demo_db.session() as s:
        found = gather(s, year=year, since=year - span + 1, today=today)
        expected = _every_period_in_full(s, year, year - span + 1, today)
    got = dataclasses.asdict(found)
    for key in ("current", "previous", "years"):
        assert got[key] == expected[key], key
        assert repr(got[key]) == repr(expected[key]), key  # the keys in the same order too
    # the category × grade table, summed from the same pass as the register's figures: counted apart here
    end = today if year == today.year and today < dt.date(year, 12, 31) else dt.date(year, 12, 31)
    with demo_db.engine.connect() as conn:
        ids = on_register(conn, end)
        cells = conn.execute(select(Person.id, Person.category, Person.grade)).all()
    cross = {c: {g: 0 for g in GRADE_NAMES.values()} for c in CATEGORY_NAMES.values()}
    for pid, category, grade in cells:
        if pid in ids:
            cross[CATEGORY_NAMES[category]][GRADE_NAMES[grade]] += 1
    assert found.cross == cross
    assert found.current["registered"] > 300 and found.current["two_subsidies_persons"] > 0
