"""The demo town's subsidies and relief ledger read like the seed report, for the year and for five years."""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import Person, SubsidyApplication, SubsidyPayment
from app.demo import fill_demo
from app.domain.months import Month
from app.services.register import status_changes
from app.services.subsidies import payments
from app.services.subsidies.review import monthly_review
from app.services.summary.figures import summarise

THIS_YEAR = dt.date.today().year


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    from app.db.engine import open_database

    db = open_database(tmp_path_factory.mktemp("demo") / "demo.db")
    with db.transaction("演示数据") as s:
        fill_demo(s, seed=3)
    yield db
    db.close()


@pytest.mark.parametrize("year", [THIS_YEAR, THIS_YEAR - 2, THIS_YEAR - 4])
def test_each_year_reads_like_the_seed_report(demo: Database, year: int) -> None:
    with demo.session() as s:
        figures = summarise(s, year=year)
    assert 100 <= figures["two_subsidies_persons"] <= 109
    assert 0 < figures["living_subsidy_persons"] < figures["two_subsidies_persons"]
    assert 0 < figures["nursing_subsidy_persons"] < figures["two_subsidies_persons"]
    assert 40 <= figures["temporary_relief"]["persons"] <= 49
    assert figures["medicine_subsidy"] == {"persons": 24, "amount": "12000.00"}
    assert figures["education_subsidy"] == {"persons": 7, "amount": "3500.00"}
    assert figures["rehab_training_persons"] == 17
    assert figures["medical_aid"]["persons"] > 0


def test_five_years_together(demo: Database) -> None:
    with demo.session() as s:
        five = summarise(s, year=THIS_YEAR, since=THIS_YEAR - 4)
        paid = s.scalar(select(func.sum(SubsidyPayment.amount_fen)).where(
            SubsidyPayment.month.between(dt.date(THIS_YEAR - 4, 1, 1), dt.date(THIS_YEAR, 12, 31))))
    assert five["housing_renovation"]["households"] == 35
    assert Decimal("600000") <= Decimal(five["housing_renovation"]["amount"]) <= Decimal("699999")
    assert 110 <= five["two_subsidies_persons"] < 140  # distinct persons: a steady roll with a few changes
    assert five["two_subsidies_amount"] == f"{Decimal(paid) / 100:.2f}"


def test_this_months_review_and_roster(demo: Database) -> None:
    month = Month.of(dt.date.today())
    with demo.session() as s:
        review = monthly_review.in_session(s, month)
        assert review.continuing and review.new
        for line in review.stopping:  # a death or move in the last weeks, not yet stopped
            assert "停发" in line.reason and line.stop_from is not None and line.stop_from <= month
        lines = payments.roster_lines(s, month)
        assert not any(line.confirmed for line in lines)  # this month is the clerk's to confirm
        assert len({line.person_id for line in lines}) >= 95
        previous = payments.roster_lines(s, month.previous())
        assert previous and all(line.confirmed for line in previous)
        steps = s.scalar(select(func.count()).select_from(SubsidyApplication)
                         .where(SubsidyApplication.stage.in_(("申请", "初审", "审核", "审定"))))
        assert steps and steps > 0
        somebody = lines[0].person_id
    with demo.transaction() as s:  # a death recorded today: off next month's roster, on its stop list
        status_changes.change_status(s, s.get(Person, somebody), "死亡", dt.date.today(), "病故")  # type: ignore[arg-type]
    with demo.session() as s:
        assert somebody not in {line.person_id for line in payments.roster_lines(s, month.next())}
        stopping = monthly_review.in_session(s, month.next()).stopping
        assert somebody in {line.person_id for line in stopping}


def test_last_months_roster_pdf_adds_up(demo: Database, tmp_path_factory: pytest.TempPathFactory) -> None:
    from app.reports import ReportRequest, write_report
    from tests.reports.helpers import pages_text, squeeze

    month = Month.of(dt.date.today()).previous()
    with demo.session() as s:
        fen = s.scalar(select(func.sum(SubsidyPayment.amount_fen)).where(SubsidyPayment.month == month.first_day))
        count = s.scalar(select(func.count()).select_from(SubsidyPayment)
                         .where(SubsidyPayment.month == month.first_day))
        out = write_report(s, ReportRequest("subsidy-roster", tmp_path_factory.mktemp("roster") / "r.pdf",
                                            month=str(month)))
    text = squeeze("".join(pages_text(out)))
    total = f"{Decimal(fen) / 100:.2f}"  # summed here from the payments, apart from the report's own tally
    assert f"合计{count}人次" in text and f"合计{count}人次{total}" in squeeze(pages_text(out)[-1])
    assert f"人{total}元。" in text
    assert "第1页共" in text and "经办人：李红梅" in text


def test_months_counted_are_the_months_listed() -> None:
    from app.demo.subsidies import _months
    from app.domain.months import Month

    months = [Month(y, m) for y in range(2019, 2027) for m in range(1, 13)]
    for first in months[::7]:
        for last in months[::5]:
            assert _months(first, last) == len(first.until(last))


@pytest.mark.parametrize("count", [0, 1, 3, 40, 999, 1000, 1200])
def test_the_largest_keys_are_picked_as_the_keyed_tuples_were(count: int) -> None:
    # the relief's weighted picks rank persons by a key each; equal keys (forced here) go the later person first
    from app.demo.relief import _largest

    source = random.Random(3)
    keys = [source.choice((0.5, 0.25, source.random())) for _ in range(1000)]
    assert _largest(keys, count) == [i for _k, i in heapq.nlargest(count, zip(keys, range(1000), strict=True))]
