"""状态变更 as one action: what it means said before (status_form, status_notice) and after (record_status)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.engine import Database
from app.domain.months import Month
from app.domain.words import PersonStatus
from app.errors import InputError
from app.services.actions import Changes
from app.services.devices import issue, stock
from app.services.devices.catalogue import catalogue  # installed by revision 0006
from app.services.register import status_changes
from app.services.register.history import person_history
from tests.factories import add_person

LAST_WEEK = dt.date.today() - dt.timedelta(days=7)


@pytest.fixture
def holder(db: Database) -> int:
    """张三, holding a wheelchair (可收回) and paid the nursing subsidy from January 2025 to November."""
    from app.services.subsidies import payments
    from tests.services.subsidies.builders import paying, person

    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        chair = next(t.id for t in catalogue(s) if t.name == "普通轮椅")
        stock.receive.in_session(s, chair, LAST_WEEK, 1, stock.COUNTY)
        issue.issue.in_session(s, zhang.id, [issue.IssueItem(chair)], LAST_WEEK)
        return zhang.id


def test_what_a_late_death_means_is_said_before_and_after(db: Database, holder: int) -> None:
    form = status_changes.status_form(db, holder)
    assert (form.name, form.status) == ("张三", PersonStatus.ON_REGISTER)
    assert form.take_back == "此人领用的普通轮椅（可收回）尚未归还，可联系家属收回。"
    before = status_changes.status_notice(db, holder, PersonStatus.DEAD, dt.date(2025, 8, 15))
    assert before.money and "应追回" in before.text
    recorded = status_changes.record_status(db, holder, PersonStatus.DEAD, dt.date(2025, 8, 15), "病故")
    assert (recorded.name, recorded.status, recorded.on) == ("张三", "死亡", dt.date(2025, 8, 15))
    assert recorded.notice == before and recorded.take_back == form.take_back
    assert status_changes.record_status.changes == Changes.REGISTER | Changes.SUBSIDIES
    assert status_changes.status_form(db, holder).take_back == ""  # said only for a person on the register
    assert ("2025-08-15", "状态变更", "死亡：病故") in [(h.when, h.what, h.detail) for h in person_history(db, holder)]


def test_a_move_tells_no_device_and_a_refusal_changes_nothing(db: Database) -> None:
    with db.transaction() as s:
        pid = add_person(s).id
    recorded = status_changes.record_status(db, pid, PersonStatus.MOVED_OUT, dt.date.today(), "迁往县城")
    assert recorded.take_back == "" and not recorded.notice.money
    with pytest.raises(InputError, match="已是"):
        status_changes.record_status(db, pid, PersonStatus.MOVED_OUT, dt.date.today())
    assert sorted(h.detail for h in person_history(db, pid) if h.what == "状态变更") == ["在册：登记", "迁出：迁往县城"]
