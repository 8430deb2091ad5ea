"""Festival visits: campaigns with computed dates, the proposal and its reasons, the budget, hand edits,
a death after the list was drawn, recording, the comparison, a person's visits and the summary figure."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import VisitLine
from app.errors import InputError
from app.services.register import households, people, status_changes
from app.services.summary.figures import summarise
from app.services.visits import campaigns, lines, recording
from app.services.visits.criteria import Criteria, criteria_of
from app.services.visits.history import compare_with_previous, visits_of_person
from tests.factories import add_person, make_id

YEAR = dt.date.today().year - 1  # a past 春节: visits may be recorded
TODAY = dt.date.today()


@pytest.fixture
def town(db: Database) -> dict[str, int]:
    """甲 特困; 乙 低保一类; 丙 and 丁 (two disabled members of one 低保二类 household, 丁 cannot look after
    himself); 戊 低收入; 己 一级 but not hard up; 庚 低保 but died; 辛 moved out."""
    ids: dict[str, int] = {}
    with db.transaction() as s:
        def person(name: str, seq: str, **fields: object) -> int:
            p = add_person(s, name, id_number=make_id("19500101", seq), **fields)
            ids[name] = p.id
            return p.id

        person("甲", "101", village="新华村")
        households.set_household_hardship(s, people.get_person(s, ids["甲"]).household, tekun=True)
        person("乙", "102", dibao="一类")
        person("丙", "103", dibao="二类", grade="三级")
        person("丁", "104", self_care="不能自理", grade="一级")
        ding = people.get_person(s, ids["丁"])
        households.move_to_household(s, ding, people.get_person(s, ids["丙"]).household)
        person("戊", "105", grade="四级")
        households.set_household_hardship(s, people.get_person(s, ids["戊"]).household, low_income=True)
        person("己", "106", grade="一级")
        gone = people.get_person(s, person("庚", "107", dibao="一类"))
        status_changes.change_status(s, gone, "死亡", TODAY, "病故")
        moved = people.get_person(s, person("辛", "108", dibao="三类"))
        status_changes.change_status(s, moved, "迁出", TODAY)
    return ids


def _died(s: Session, person_id: int, on: dt.date) -> None:
    """A death dated in the past (as an imported register carries it; change_status refuses a date before
    the person's first entry, which the test data makes today)."""
    person = people.get_person(s, person_id)
    person.status, person.status_date = "死亡", on
    s.flush()


def _campaign(db: Database, **kw: object) -> int:
    args: dict[str, object] = {"festival": "春节", "year": YEAR, "budget": "1000", "standard": "300"}
    args.update(kw)
    with db.transaction() as s:
        return campaigns.create_campaign(s, **args).id  # type: ignore[arg-type]


def test_dates_are_computed_and_names_unique(db: Database) -> None:
    with db.transaction() as s:
        c = campaigns.create_campaign(s, festival="全国助残日", year=2027, standard="200")
        assert (c.name, c.date) == ("2027年全国助残日慰问", dt.date(2027, 5, 16))
        d = campaigns.create_campaign(s, festival="国际残疾人日", year=2027, goods="米面油各一份")
        assert d.date == dt.date(2027, 12, 3) and d.standard_fen == 0
        assert campaigns.create_campaign(s, festival="春节", year=2027, standard="300").date == dt.date(2027, 2, 6)
    with db.transaction() as s, pytest.raises(InputError, match="已有名为“2027年春节慰问”"):
        campaigns.create_campaign(s, festival="春节", year=2027, standard="300")
    with db.transaction() as s, pytest.raises(InputError, match="金额"):
        campaigns.create_campaign(s, festival="中秋", year=2027)
    with db.transaction() as s, pytest.raises(InputError, match="日期"):
        campaigns.create_campaign(s, festival="其他", year=2027, standard="100")
    with db.session() as s:
        assert [c.name for c in campaigns.campaigns(s)] == ["2027年国际残疾人日慰问", "2027年全国助残日慰问",
                                                         "2027年春节慰问"]


def test_proposal_one_line_per_household_with_reasons_in_budget_order(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db)
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        result = lines.apply_proposal(s, campaign, Criteria())
        assert (result.included, result.over_budget) == (3, 1)  # 1000 yuan covers three households of 300
    with db.session() as s:
        views = lines.line_views(s, campaigns.get_campaign(s, cid))
        by_head = {v.head: v for v in views}
        assert set(by_head) == {"甲", "乙", "丙", "戊"}  # never the dead 庚 or the moved 辛; not 己 (not ticked)
        assert [p.name for p in by_head["丙"].persons] == ["丙", "丁"]  # both disabled members, one line
        assert by_head["丙"].reason == "丁生活不能自理；低保二类户"
        assert by_head["甲"].reason == "特困供养户" and by_head["乙"].reason == "低保一类户"
        assert not by_head["戊"].included and by_head["戊"].removed_reason == "超出预算"  # 低收入 comes last
        totals = lines.totals(s, campaigns.get_campaign(s, cid))
        assert (totals.households, totals.amount_fen, totals.budget_fen) == (3, 90000, 100000)
        assert not totals.over_budget
        one = s.scalar(select(func.count()).select_from(VisitLine).where(VisitLine.campaign_id == cid))
        assert one == 4


def test_criteria_narrow_and_widen(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db, budget="0")
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria(dibao=False, low_income=False, cannot_self_care=False,
                                                   tekun=False, severe=True))
        heads = {v.head for v in lines.line_views(s, campaign) if v.included}
        assert heads == {"甲", "乙", "丙", "己"}  # 二级, 二级, 丁 (一级) in 丙's household, 一级
        again = lines.apply_proposal(s, campaign, Criteria(dibao=False, low_income=False, cannot_self_care=False,
                                                           tekun=False, older_than=70, village_ids=()))
        assert again.dropped == 0 and again.included == 5  # every household on the register is over 70
        assert criteria_of(campaign).older_than == 70
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria(dibao=False, low_income=False, cannot_self_care=False,
                                                    tekun=True))
        views = {v.head: v for v in lines.line_views(s, campaign)}
        assert views["己"].removed_reason == "不符合所选条件" and views["甲"].included


def test_hand_edits_keep_their_reason_and_survive_a_new_proposal(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db)
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria())
        yi = next(v for v in lines.line_views(s, campaign) if v.head == "乙")
        with pytest.raises(InputError, match="原因"):
            lines.remove_line(s, yi.id, "  ")
        lines.remove_line(s, yi.id, "已由县残联另行慰问")
        ji_household = lines.household_of(s, town["己"])
        lines.add_household(s, campaign, ji_household, "独自抚养孙子，家中困难", amount="500")
        with pytest.raises(InputError, match="同一户只列一次"):
            lines.add_household(s, campaign, ji_household, "再加一次")
        with pytest.raises(InputError, match="没有在册"):
            lines.add_household(s, campaign, lines.household_of(s, town["庚"]), "试试")
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria())  # 500 by hand first, then 300 each: 甲 only
        views = {v.head: v for v in lines.line_views(s, campaign)}
        assert views["乙"].removed_reason == "已由县残联另行慰问" and not views["乙"].included
        assert views["己"].included and views["己"].reason == "手工加入：独自抚养孙子，家中困难"
        assert views["己"].amount_fen == 50000
        assert [h for h, v in views.items() if v.included] == ["甲", "己"]
        assert views["丙"].removed_reason == "超出预算"


def test_a_death_after_the_list_was_drawn_is_flagged_and_can_be_taken_off(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db, budget="0")
    died = campaigns.festival_day("春节", YEAR) - dt.timedelta(days=10)  # before the festival
    with db.transaction() as s:
        lines.apply_proposal(s, campaigns.get_campaign(s, cid), Criteria())
        _died(s, town["乙"], died)
        _died(s, town["丁"], died)
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        views = {v.head: v for v in lines.line_views(s, campaign)}
        assert views["乙"].warnings == [f"乙已死亡（{died.isoformat()}）"] and views["乙"].all_departed
        assert views["丙"].warnings and not views["丙"].all_departed  # 丙 is still there
        assert lines.totals(s, campaign).warnings == 2
        assert lines.remove_departed(s, campaign) == 1
        views = {v.head: v for v in lines.line_views(s, campaign)}
        assert not views["乙"].included and views["乙"].removed_reason.startswith("乙已死亡")


def test_a_departure_after_the_festival_or_the_visit_leaves_the_line_as_it_was(db: Database,
                                                                                 town: dict[str, int]) -> None:
    """History stays put: 丁 (visited with 丙) and 乙 (not recorded) die after the festival; nobody drops off."""
    cid = _campaign(db, budget="0")
    festival = campaigns.festival_day("春节", YEAR)
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria())
        views = {v.head: v for v in lines.line_views(s, campaign)}
        recording.record_visit(s, views["丙"].id, on=festival - dt.timedelta(days=3))
        later = festival + dt.timedelta(days=40)
        _died(s, town["丁"], later)
        _died(s, town["乙"], later)
    with db.session() as s:
        campaign = campaigns.get_campaign(s, cid)
        views = {v.head: v for v in lines.line_views(s, campaign)}
        assert [p.name for p in views["丙"].living] == ["丙", "丁"] and not views["丙"].warnings
        assert [p.name for p in views["乙"].living] == ["乙"] and not views["乙"].all_departed
        assert lines.totals(s, campaign).warnings == 0


def test_a_departure_before_the_visit_day_drops_off_a_recorded_line(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db, budget="0")
    festival = campaigns.festival_day("春节", YEAR)
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria())
        line = next(v for v in lines.line_views(s, campaign) if v.head == "丙")
        _died(s, town["丁"], festival - dt.timedelta(days=20))
        recording.record_visit(s, line.id, on=festival - dt.timedelta(days=3))
    with db.session() as s:
        view = next(v for v in lines.line_views(s, campaigns.get_campaign(s, cid)) if v.head == "丙")
        assert [p.name for p in view.living] == ["丙"] and view.warnings[0].startswith("丁已死亡")


def test_recording_and_the_summary(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db, budget="0")
    day = campaigns.festival_day("春节", YEAR) - dt.timedelta(days=5)
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria())
        views = {v.head: v for v in lines.line_views(s, campaign)}
        recording.record_visit(s, views["甲"].id, on=day, given="400", given_goods="米一袋", visitor="王志强")
        recording.record_not_found(s, views["戊"].id, on=day)
        with pytest.raises(InputError, match="晚于今天"):
            recording.record_visit(s, views["乙"].id, on=TODAY + dt.timedelta(days=1))
        assert recording.record_all(s, campaign, on=day, visitor="李红梅") == 2
        with pytest.raises(InputError, match="已开始登记"):
            lines.apply_proposal(s, campaign, Criteria())
        with pytest.raises(InputError, match="已登记"):
            lines.remove_line(s, views["乙"].id, "不要了")
        totals = lines.totals(s, campaign)
        assert (totals.visited, totals.not_found, totals.given_fen) == (3, 1, 40000 + 30000 * 2)
    with db.session() as s:
        figures = summarise(s, year=YEAR)
        assert figures["visits"] == {"households": 3, "amount": "1000.00"}
        assert summarise(s, year=YEAR - 1)["visits"] == {"households": 0, "amount": "0.00"}
        history = visits_of_person(s, town["丁"])
        assert [(h.campaign, h.outcome, h.given) for h in history] == [(f"{YEAR}年春节慰问", "已慰问", "300.00元")]
        assert visits_of_person(s, town["甲"])[0].given == "400.00元、米一袋"
    with db.transaction() as s:
        recording.clear_record(s, views["甲"].id)
        assert lines.totals(s, campaigns.get_campaign(s, cid)).visited == 2


def test_comparison_with_the_last_campaign(db: Database, town: dict[str, int]) -> None:
    first = _campaign(db, budget="0", year=YEAR - 1)
    with db.transaction() as s:
        lines.apply_proposal(s, campaigns.get_campaign(s, first), Criteria(cannot_self_care=False))
    second = _campaign(db, budget="0")
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, second)
        lines.apply_proposal(s, campaign, Criteria(low_income=False, severe=True))
        lines.remove_line(s, next(v.id for v in lines.line_views(s, campaign) if v.head == "乙"), "外出务工")
        comparison = compare_with_previous(s, campaign)
    assert comparison.previous == f"{YEAR - 1}年春节慰问"
    assert [(c.names, c.why) for c in comparison.new] == [("己", "己一级残疾")]
    assert {c.names: c.why for c in comparison.dropped} == {"乙": "外出务工", "戊": "不符合本次所选条件"}
    assert comparison.kept == 2


def test_skip_households_visited_recently(db: Database, town: dict[str, int]) -> None:
    first = _campaign(db, budget="0", year=YEAR - 1)
    with db.transaction() as s:
        lines.apply_proposal(s, campaigns.get_campaign(s, first), Criteria(dibao=False, low_income=False,
                                                                          cannot_self_care=False))
    second = _campaign(db, budget="0")
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, second)
        lines.apply_proposal(s, campaign, Criteria(skip_recent=1))
        assert "甲" not in {v.head for v in lines.line_views(s, campaign) if v.included}
        assert "近1次慰问过的不列入" in criteria_of(campaign).describe()


def test_a_campaign_is_found_by_name(db: Database) -> None:
    _campaign(db)
    with db.session() as s:
        assert campaigns.campaign_named(s, f" {YEAR}年春节慰问 ").festival == "春节"
        with pytest.raises(InputError, match="已有的慰问"):
            campaigns.campaign_named(s, "2099年春节慰问")


def test_the_demo_town_visits_20_to_29_households_each_spring_festival(db: Database) -> None:
    from app.demo import fill_demo

    year = dt.date.today().year
    with db.transaction() as s:
        line = fill_demo(s, year=year - 1).line()
    assert "春节慰问5次" in line
    with db.session() as s:
        names = [c.name for c in campaigns.campaigns(s)]
        assert names == [f"{y}年春节慰问" for y in range(year - 1, year - 6, -1)]
        for y in range(year - 5, year):
            figures = summarise(s, year=y)["visits"]
            assert 20 <= figures["households"] <= 29
            assert figures["amount"] == f"{figures['households'] * (200 if y < year - 3 else 300)}.00"
        campaign = campaigns.campaign_named(s, f"{year - 1}年春节慰问")
        views = lines.line_views(s, campaign)
        assert len({v.household_id for v in views}) == len(views)  # one line per household
        assert all(not p.departed for v in views if v.included for p in v.persons)
        assert all(v.removed_reason == "超出预算" for v in views if not v.included)


def test_a_demo_made_before_spring_festival_has_the_coming_list_drawn_up_not_visited(db: Database) -> None:
    import random

    from app.demo import DemoCounts, DemoTown
    from app.demo.load import write_register
    from app.demo.register import build_register
    from app.demo.visits import visits_step

    with db.transaction() as s:
        town = DemoTown(session=s, rng=random.Random(1), year=2026, end=dt.date(2026, 1, 10), town="金塔镇",
                        counts=DemoCounts(2026))
        build_register(town, 345, {"village": 1, "group": 1, "household": 1, "person": 1})
        write_register(town)
        visits_step(town)
        assert town.counts.extras[0].startswith("春节慰问4次、每次")
        assert town.counts.extras[1].startswith("2026年春节慰问名单已拟好")
        coming = campaigns.campaign_named(s, "2026年春节慰问")
        totals = lines.totals(s, coming)
        assert 20 <= totals.households <= 29 and totals.visited == 0
        assert summarise(s, year=2026)["visits"]["households"] == 0


def test_changing_the_amount_redraws_a_list_not_yet_visited(db: Database, town: dict[str, int]) -> None:
    cid = _campaign(db, budget="1200")
    with db.transaction() as s:
        campaign = campaigns.get_campaign(s, cid)
        lines.apply_proposal(s, campaign, Criteria())
        assert lines.totals(s, campaign).households == 4
        campaigns.update_campaign(s, campaign, budget="1200", standard="400", goods="米一袋", leader="王志强")
        totals = lines.totals(s, campaign)
        assert (totals.households, totals.amount_fen) == (3, 120000)
        assert {v.goods for v in lines.line_views(s, campaign)} == {"米一袋"}
        with pytest.raises(InputError, match="金额"):
            campaigns.update_campaign(s, campaign, budget="0", standard="0", goods="", leader="")
