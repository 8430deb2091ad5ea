"""What the 节日慰问 tab reads (visits.campaign_page and friends): plain values only, the newest campaign
when none is asked for, and totals that agree with an independent SQL sum of the demo town's lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum

from sqlalchemy import text

from app.db.engine import Database
from app.services import visits
from app.services.visits.criteria import Criteria

PLAIN = (str, int, bool, float, decimal.Decimal, dt.date, type(None), enum.Enum)


def _plain(value: object) -> bool:
    """A frozen dataclass of plain values all the way down: nothing a widget could load lazily."""
    if dataclasses.is_dataclass(value):
        return bool(type(value).__dataclass_params__.frozen) and all(  # type: ignore[union-attr]
            _plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN)


def test_an_empty_register_has_no_campaign_yet(db: Database) -> None:
    page = visits.campaign_page(db)
    assert (page.campaigns, page.campaign, page.lines, page.totals) == ((), None, (), None)


def test_the_page_is_plain_values_and_its_totals_agree_with_the_lines_in_sql(demo_db: Database) -> None:
    newest = visits.campaign_page(demo_db)
    assert newest.campaign is not None and newest.campaign.name == newest.campaigns[0].name
    assert visits.campaign_page(demo_db, 10_000).campaign == newest.campaign  # gone: the newest instead
    for choice in newest.campaigns:
        page = visits.campaign_page(demo_db, choice.id)
        assert _plain(page)
        assert page.campaign is not None and page.totals is not None and page.campaign.id == choice.id
        with demo_db.session() as s:
            households, planned, visited, given = s.execute(text(
                "SELECT count(*), coalesce(sum(amount_fen), 0), "
                "       coalesce(sum(CASE WHEN outcome = '已慰问' THEN 1 ELSE 0 END), 0), "
                "       coalesce(sum(CASE WHEN outcome = '已慰问' THEN coalesce(given_fen, amount_fen) END), 0) "
                "FROM visit_line WHERE campaign_id = :c AND included"), {"c": choice.id}).one()
            villages = set(s.scalars(text(
                "SELECT DISTINCT v.name FROM visit_line l JOIN household h ON h.id = l.household_id "
                "JOIN village v ON v.id = h.village_id WHERE l.campaign_id = :c AND l.included"), {"c": choice.id}))
        totals = page.totals
        assert (totals.households, totals.amount_fen, totals.visited, totals.given_fen) == (
            households, planned, visited, given)
        assert {name for _, name in page.roster_villages} == villages


def test_the_page_flags_a_list_whose_persons_died_after_it_was_drawn(demo_db: Database) -> None:
    campaign = visits.campaign_page(demo_db).campaign
    assert campaign is not None
    cid = visits.new_campaign(demo_db, festival="春节", year=campaign.date.year + 1, standard="300", budget="0")
    visits.draw_list(demo_db, cid, Criteria(), on=dt.date.today())
    first = visits.campaign_page(demo_db, cid).lines[0]
    with demo_db.transaction() as s:
        s.execute(text("UPDATE person SET status = '死亡', status_date = :d WHERE id IN ({})".format(
            ",".join(str(p.id) for p in first.persons))), {"d": dt.date.today()})
    page = visits.campaign_page(demo_db, cid)
    assert [v.id for v in page.flagged] == [first.id] and page.nobody_left == 1
    assert visits.remove_departed(demo_db, cid) == 1
    assert visits.campaign_page(demo_db, cid).flagged == ()


def test_persons_to_add_are_found_on_the_register_only(demo_db: Database) -> None:
    page = visits.campaign_page(demo_db)
    assert page.lines
    name = page.lines[0].persons[0].name
    found = visits.find_persons(demo_db, name)
    assert found and all(p.name == name for p in found[:1]) and _plain(found)
    assert visits.find_persons(demo_db, "  ") == []
    with demo_db.session() as s:
        gone = s.scalar(text("SELECT name FROM person WHERE status = '死亡' ORDER BY id LIMIT 1"))
        still = s.scalar(text("SELECT count(*) FROM person WHERE name = :n AND status = '在册'"), {"n": gone})
    assert len([p for p in visits.find_persons(demo_db, gone) if p.name == gone]) == still


def test_the_comparison_names_both_campaigns(demo_db: Database) -> None:
    page = visits.campaign_page(demo_db)
    assert page.campaign is not None
    comparison = visits.comparison(demo_db, page.campaign.id)
    assert (comparison.campaign, comparison.previous) == (page.campaigns[0].name, page.campaigns[1].name)
    assert comparison.kept + len(comparison.new) == page.totals.households  # type: ignore[union-attr]
