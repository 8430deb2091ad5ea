"""lines.line_views reads the list as plain columns (a county's list is 50,000 lines): every line of every
demo campaign must read exactly as reading it through the ORM objects does, the way it was read before,
including a person who moved to another household after the list was drawn and one who died."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Household, Person, Village, VillageGroup, VisitCampaign, VisitLine
from app.domain.disability import category_with_components, grade_label
from app.services.register import households, people
from app.services.visits import lines
from app.services.visits.lines import LineView, PersonOnLine


def _through_objects(session: Session, campaign: VisitCampaign) -> list[LineView]:
    """The list read through ORM objects, line by line, as line_views did before it read columns."""
    views = []
    for line in session.scalars(select(VisitLine).where(VisitLine.campaign_id == campaign.id)):
        household = session.get(Household, line.household_id)
        assert household is not None
        village = session.get(Village, household.village_id) if household.village_id else None
        group = session.get(VillageGroup, household.group_id) if household.group_id else None
        day, recorded = lines.line_day(campaign, line), bool(line.outcome)
        persons = []
        for pid in (int(p) for p in line.person_ids.split(",") if p):
            person = session.get(Person, pid)
            if person is None:
                continue
            persons.append(PersonOnLine(
                person.id, person.name, person.id_number,
                category_with_components(person.category, person.components) + grade_label(person.grade),
                person.status, person.status_date,
                lines.departed_before(person.status, person.status_date, day, recorded=recorded)))
        head_person = session.get(Person, household.head_person_id) if household.head_person_id else None
        if head_person is not None:
            head, pinyin = head_person.name, head_person.pinyin
        elif persons:
            first = session.get(Person, persons[0].id)
            assert first is not None
            head, pinyin = first.name, first.pinyin
        else:
            head, pinyin = "", ""
        view = LineView(
            line.id, line.household_id, village.name if village else "未分村", group.name if group else "",
            household.address, head, persons, line.reason, line.amount_fen, line.goods, line.included,
            line.by_hand, line.removed_reason, line.outcome, line.visited_on, line.given_fen, line.given_goods,
            line.visitor, line.signed, [p.departure for p in persons if p.departed])
        key = (village is None, village.sort_order if village else 0, village.name if village else "",
               len(group.name if group else ""), group.name if group else "", pinyin, line.id)
        views.append((key, view))
    return [view for _, view in sorted(views, key=lambda item: item[0])]


def test_every_campaign_reads_as_through_the_objects(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        campaign = s.scalars(select(VisitCampaign).order_by(VisitCampaign.date.desc())).first()
        assert campaign is not None
        on_lines = [int(pid) for line in campaign.lines for pid in line.person_ids.split(",") if pid]
        moved = people.get_person(s, on_lines[0])  # into a household of their own, off the line's household
        households.create_household(s, moved, address="新建户")
        latest, moved_name = campaign.id, moved.name
        died = people.get_person(s, on_lines[1])
        died.status, died.status_date = "死亡", campaign.date - dt.timedelta(days=3)
        s.flush()
    with demo_db.transaction() as s:
        checked = 0
        for campaign in s.scalars(select(VisitCampaign)):
            read = lines.line_views(s, campaign)
            assert [dataclasses.asdict(v) for v in read] == [
                dataclasses.asdict(v) for v in _through_objects(s, campaign)]
            checked += len(read)
        latest_campaign = s.get(VisitCampaign, latest)
        assert latest_campaign is not None
        mover = [p for v in lines.line_views(s, latest_campaign) for p in v.persons if p.id == on_lines[0]]
        assert [p.name for p in mover] == [moved_name]  # still on the line drawn before the move
        assert checked > 100
