"""Two clerks confirming the same month's payments (确认发放), each from their own program on the same
register: the month is confirmed once, and the other clerk is told who confirmed it and when."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import SubsidyPayment
from app.domain.months import Month
from app.errors import InputError
from app.services.subsidies import payments
from tests.factories import second_program
from tests.services.subsidies.builders import paying, person

MONTH = Month(2025, 3)
TODAY = dt.date(2025, 3, 20)


@pytest.fixture
def other(db: Database, db_path: Path) -> Iterator[Database]:
    with db.transaction() as s:
        for seq, name in enumerate(("张三", "李四", "王五"), 1):
            paying(s, person(s, name, seq).id, "nursing", Month(2025, 1))
    db.actor = "李红梅"
    second = second_program(db, db_path)
    second.actor = "王丽"
    yield second
    second.close()


def _paid(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(SubsidyPayment).where(
            SubsidyPayment.month == MONTH.first_day)) or 0


def test_a_month_confirmed_by_one_clerk_is_refused_to_the_other_naming_them(db: Database, other: Database) -> None:
    assert payments.confirm_month(db, MONTH, TODAY) == 3
    with pytest.raises(InputError, match=r"^2025年3月已由李红梅于\d+月\d+日 \d\d:\d\d确认发放，没有新增的待确认名单"):
        payments.confirm_month(other, MONTH, TODAY)
    assert _paid(db) == 3


def test_two_confirmations_of_the_same_lines_cannot_both_land(db: Database, other: Database,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The second clerk's program computed the month's lines before the first clerk's confirmation was
    written (PostgreSQL lets both run side by side): its payments break the one-per-person-and-month key
    and are refused whole, with who confirmed."""
    with other.session() as s:
        seen = payments.computed_lines(s, MONTH)
    assert payments.confirm_month(db, MONTH, TODAY) == 3
    monkeypatch.setattr(payments, "computed_lines", lambda _session, _month: seen)
    with pytest.raises(InputError, match="^2025年3月已由李红梅于.*确认发放"):
        payments.confirm_month(other, MONTH, TODAY)
    assert _paid(db) == 3


def test_confirming_at_the_same_moment_writes_the_month_once(db: Database, other: Database) -> None:
    """The first clerk's confirmation is written but not yet committed when the second clerk's starts: the
    second waits for the register (a write takes SQLite's write lock when it begins), then finds the month
    confirmed and is told by whom."""
    outcome: list[BaseException | int] = []
    started = threading.Event()

    def second_clerk() -> None:
        started.set()
        try:
            outcome.append(payments.confirm_month(other, MONTH, TODAY))
        except Exception as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    with db.transaction() as s:
        assert payments.confirm_month.in_session(s, MONTH, TODAY) == 3
        rival = threading.Thread(target=second_clerk)
        rival.start()
        assert started.wait(5)
        time.sleep(0.2)  # the rival meets the uncommitted confirmation (either order gives one outcome)
    rival.join(20)
    (result,) = outcome
    assert isinstance(result, InputError) and "已由李红梅于" in str(result)
    assert _paid(db) == 3
