"""Festival visits looked back on: a campaign against the one before it (who is new, who dropped off and
why), a person's visits for their history, and the summary's `visits` figure.

Kept apart from app.services.visits.lines and importing neither it nor app.services.summary, so the summary
can register visit_figures without an import cycle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, Village, VisitCampaign, VisitLine
from app.domain.money import yuan_plain
from app.domain.words import LineOutcome, PersonStatus

if TYPE_CHECKING:
    from app.services.summary.figures import Period


@dataclass(frozen=True)
class Change:
    """A household that came onto the list, or dropped off it, with why."""

    household_id: int
    village: str
    names: str  # the disabled member(s): 张三、李四
    why: str


@dataclass(frozen=True)
class Comparison:
    previous: str  # the earlier campaign's name ("" when there is none)
    new: list[Change]
    dropped: list[Change]
    kept: int
    campaign: str = ""  # this campaign's name


def previous_campaign(session: Session, campaign: VisitCampaign) -> VisitCampaign | None:
    """The last campaign before this one: of the same festival if there is one, else of any."""
    earlier = (select(VisitCampaign)
               .where(VisitCampaign.id != campaign.id, VisitCampaign.date <= campaign.date)
               .order_by(VisitCampaign.date.desc(), VisitCampaign.id.desc()))
    same = session.scalar(earlier.where(VisitCampaign.festival == campaign.festival).limit(1))
    return same or session.scalar(earlier.limit(1))


def _included(session: Session, campaign: VisitCampaign) -> dict[int, VisitLine]:
    return {line.household_id: line for line in session.scalars(
        select(VisitLine).where(VisitLine.campaign_id == campaign.id, VisitLine.included.is_(True)))}


def _who(session: Session, household_ids: set[int]) -> dict[int, tuple[str, list[Person]]]:
    """Village name and members of each household (dead and moved out included)."""
    out: dict[int, tuple[str, list[Person]]] = {}
    if not household_ids:
        return out
    villages = dict(session.execute(select(Household.id, Village.name).outerjoin(
        Village, Village.id == Household.village_id).where(Household.id.in_(household_ids))).all())
    for hid in household_ids:
        out[hid] = (villages.get(hid) or "未分村", [])
    for person in session.scalars(select(Person).where(Person.household_id.in_(household_ids)).order_by(Person.id)):
        assert person.household_id is not None  # chosen by household
        out[person.household_id][1].append(person)
    return out


def _names(line: VisitLine, members: list[Person]) -> str:
    chosen = {int(p) for p in line.person_ids.split(",") if p}
    named = [m.name for m in members if m.id in chosen] or [m.name for m in members]
    return "、".join(named)


def _why_dropped(line_now: VisitLine | None, members: list[Person]) -> str:
    if line_now is not None and line_now.removed_reason:
        return line_now.removed_reason
    if not any(m.status == PersonStatus.ON_REGISTER for m in members):
        gone = [f"{m.name}已{m.status}" + (f"（{m.status_date.isoformat()}）" if m.status_date else "")
                for m in members]
        return "；".join(gone) or "户内已无在册残疾人"
    return "不符合本次所选条件"


def compare_with_previous(session: Session, campaign: VisitCampaign) -> Comparison:
    """Who is on this list and was not on the last one (with this list's reason), and who was on the last
    one and is not now (with why: removed by hand, over budget, died or moved out, no longer matching)."""
    previous = previous_campaign(session, campaign)
    now = _included(session, campaign)
    if previous is None:
        who = _who(session, set(now))
        new = [Change(h, who[h][0], _names(line, who[h][1]), line.reason) for h, line in now.items()]
        return Comparison("", sorted(new, key=lambda c: (c.village, c.names)), [], 0, campaign.name)
    before = _included(session, previous)
    all_now = {line.household_id: line for line in session.scalars(
        select(VisitLine).where(VisitLine.campaign_id == campaign.id))}
    who = _who(session, set(now) | set(before))
    new = [Change(h, who[h][0], _names(line, who[h][1]), line.reason)
           for h, line in now.items() if h not in before]
    dropped = [Change(h, who[h][0], _names(line, who[h][1]), _why_dropped(all_now.get(h), who[h][1]))
               for h, line in before.items() if h not in now]
    return Comparison(previous.name, sorted(new, key=lambda c: (c.village, c.names)),
                      sorted(dropped, key=lambda c: (c.village, c.names)), len(set(now) & set(before)), campaign.name)


@dataclass(frozen=True)
class PersonVisit:
    campaign: str
    day: dt.date  # when visited, else the campaign's date
    outcome: str  # 已慰问, 未找到, or 已列入名单 when not yet recorded
    given: str  # "300.00元", goods, or both


def visits_of_person(session: Session, person_id: int) -> list[PersonVisit]:
    """The campaigns that listed this person (on a line of their household), newest first."""
    like = f"%{person_id}%"  # narrowed in SQL, then checked exactly: person_ids is "12,40"
    stmt = (select(VisitLine, VisitCampaign).join(VisitCampaign, VisitCampaign.id == VisitLine.campaign_id)
            .where(VisitLine.person_ids.like(like), VisitLine.included.is_(True))
            .order_by(VisitCampaign.date.desc(), VisitCampaign.id.desc()))
    out: list[PersonVisit] = []
    for line, campaign in session.execute(stmt).all():
        if str(person_id) not in line.person_ids.split(","):
            continue
        given_fen = line.given_fen if line.outcome == LineOutcome.VISITED else None
        amount = line.amount_fen if given_fen is None else given_fen
        goods = line.given_goods if line.outcome == LineOutcome.VISITED else line.goods
        parts = [f"{yuan_plain(amount)}元"] if amount else []
        parts += [goods] if goods else []
        given = "、".join(parts) if line.outcome != LineOutcome.NOT_FOUND else ""
        out.append(PersonVisit(campaign.name, line.visited_on or campaign.date, line.outcome or "已列入名单", given))
    return out


def visit_figures(session: Session, period: Period) -> dict[str, Any]:
    """The summary's `visits`: households recorded 已慰问 in campaigns dated in the period (each household
    once, even if visited at two festivals) and the amount given (given, else the planned amount)."""
    where = (VisitLine.outcome == LineOutcome.VISITED, VisitLine.included.is_(True),
             VisitCampaign.date.between(period.start, period.end))
    households, amount = session.execute(
        select(func.count(func.distinct(VisitLine.household_id)),
               func.coalesce(func.sum(func.coalesce(VisitLine.given_fen, VisitLine.amount_fen)), 0))
        .join(VisitCampaign, VisitCampaign.id == VisitLine.campaign_id).where(*where)
    ).one()
    text = yuan_plain(amount)
    return {"visits": {"households": households or 0, "amount": text}}
