"""The clerk's actions on festival visits, called with the store as the window and the command line call
them: one transaction each (all of the chosen lines or none), audited as the store's clerk, saying they
changed the visits, and the ones that read the whole register or every line marked long."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEntry, VisitLine
from app.errors import InputError
from app.services import visits
from app.services.actions import Changes
from app.services.visits.criteria import Criteria
from app.services.visits.lines import LineView
from tests.factories import add_person, make_id

YEAR = dt.date.today().year - 1  # a past 春节: visits may be recorded


@pytest.fixture
def campaign_id(db: Database) -> int:
    """A 春节 round over four 低保 households, its list drawn, with no budget limit."""
    with db.transaction() as s:
        for seq, name in enumerate(("甲", "乙", "丙", "丁")):
            add_person(s, name, id_number=make_id("19500101", f"10{seq}"), dibao="一类")
    db.actor = "李红梅"
    cid = visits.new_campaign(db, festival="春节", year=YEAR, budget="0", standard="300", leader="王志强")
    visits.draw_list(db, cid, Criteria())
    return cid


def _lines(db: Database, campaign_id: int) -> dict[str, LineView]:
    return {v.head: v for v in visits.campaign_page(db, campaign_id).lines}


def test_each_action_says_what_it_changes_and_which_are_long() -> None:
    writes = (visits.new_campaign, visits.change_campaign, visits.draw_list, visits.add_household,
              visits.remove_lines, visits.remove_departed, visits.record_lines, visits.record_all)
    assert all(w.changes == Changes.VISITS for w in writes)
    assert {w.in_session.__name__ for w in writes if w.long} == {"change_campaign", "draw_list", "remove_departed",
                                                       "record_all"}


def test_taking_households_off_is_one_transaction_all_or_none(db: Database, campaign_id: int) -> None:
    by_head = _lines(db, campaign_id)
    visits.record_lines(db, [by_head["丙"].id], on=dt.date(YEAR, 1, 20))  # 丙 was visited: cannot come off
    with pytest.raises(InputError, match="已登记慰问结果"):
        visits.remove_lines(db, [by_head["甲"].id, by_head["丙"].id], "外出务工")
    assert all(v.included for v in _lines(db, campaign_id).values())  # 甲 is still on: nothing half-done
    with pytest.raises(InputError, match="原因"):
        visits.remove_lines(db, [by_head["甲"].id], " ")
    with pytest.raises(InputError, match="选中"):
        visits.remove_lines(db, [], "外出务工")
    assert visits.remove_lines(db, [by_head["甲"].id, by_head["乙"].id], "外出务工") == 2
    after = _lines(db, campaign_id)
    off = [(h, v.removed_reason) for h, v in after.items() if not v.included]
    assert off == [("甲", "外出务工"), ("乙", "外出务工")]
    with db.session() as s:
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "visit_line")))
    assert actors == {"李红梅"}  # every row of the list's changes names the clerk


def test_recording_the_chosen_lines_is_one_transaction(db: Database, campaign_id: int) -> None:
    by_head = _lines(db, campaign_id)
    visits.remove_lines(db, [by_head["丁"].id], "已由县残联另行慰问")
    with pytest.raises(InputError, match="不在慰问名单中"):
        visits.record_lines(db, [by_head["甲"].id, by_head["丁"].id], on=dt.date(YEAR, 1, 20))
    assert not any(v.outcome for v in _lines(db, campaign_id).values())  # 甲 was not recorded either
    day = dt.date(YEAR, 1, 22)
    assert visits.record_lines(db, [by_head["甲"].id, by_head["乙"].id], on=day, given=" 400 ", given_goods="米一袋",
                               visitor="王志强", signed=True) == 2
    assert visits.record_lines(db, [by_head["丙"].id], on=day, found=False, visitor="王志强") == 1
    after = _lines(db, campaign_id)
    assert (after["甲"].outcome, after["甲"].given_fen, after["甲"].given_goods) == ("已慰问", 40000, "米一袋")
    assert (after["丙"].outcome, after["丙"].given_fen) == ("未找到", None)
    assert visits.record_all(db, campaign_id, on=day, visitor="李红梅") == 0  # nobody left to record


def test_adding_a_household_by_a_persons_id(db: Database, campaign_id: int) -> None:
    with db.transaction() as s:
        person = add_person(s, "戊", id_number=make_id("19600101", "201")).id  # not hard up: not proposed
    line_id = visits.add_household(db, campaign_id, person, "村委会推荐：因病致贫", "500")
    added = _lines(db, campaign_id)["戊"]
    assert (added.id, added.included, added.by_hand, added.amount_fen) == (line_id, True, True, 50000)
    assert added.reason == "手工加入：村委会推荐：因病致贫"
    with pytest.raises(InputError, match="同一户只列一次"):
        visits.add_household(db, campaign_id, person, "再加一次")


def test_changing_the_amount_redraws_the_list_in_the_same_transaction(db: Database, campaign_id: int) -> None:
    visits.change_campaign(db, campaign_id, budget="900", standard="300", goods="", leader="王志强")
    page = visits.campaign_page(db, campaign_id)
    assert page.totals is not None and (page.totals.households, page.totals.amount_fen) == (3, 90000)
    with pytest.raises(InputError, match="金额"):
        visits.change_campaign(db, campaign_id, budget="0", standard="0", goods="", leader="")
    assert visits.campaign_view(db, campaign_id).budget_fen == 90000  # the refused change left it as it was


def test_a_list_is_drawn_with_progress_and_records_what_it_read(db: Database, campaign_id: int) -> None:
    said: list[str] = []

    class Progress:
        def __call__(self, done: int, total: int, text: str = "") -> None:
            said.append(text)

        def check(self) -> None:
            pass

    result = visits.draw_list(db, campaign_id, Criteria(dibao=False, tekun=False, low_income=False,
                                                        cannot_self_care=False, older_than=70), progress=Progress())
    assert (result.included, result.dropped) == (4, 0) and said == ["正在按条件挑选慰问对象……"]
    assert visits.campaign_view(db, campaign_id).criteria.older_than == 70
    with db.session() as s:
        assert s.scalar(select(VisitLine.id).where(VisitLine.campaign_id == campaign_id,
                                                  VisitLine.included.is_(False))) is None
