"""What the clerk does to festival visits, one transaction each (app.services.actions): a new campaign or
a change to one, the list drawn from the criteria, households added or taken off by hand, and what was
given recorded. Each takes ids and plain values and returns counts or ids, never mapped objects.

Drawing the list reads the whole register, and the actions over every line of a list grow with it: they
are marked long, so the window runs them off its thread with progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.errors import InputError
from app.services.actions import Changes, Progress, action
from app.services.visits import campaigns, lines, recording
from app.services.visits.criteria import DEFAULT_CRITERIA, Criteria
from app.services.visits.lines import ProposalResult


@action(Changes.VISITS)
def new_campaign(session: Session, *, festival: str, year: int, on: dt.date | None = None, name: str = "",
                 budget: str = "0", standard: str = "0", goods: str = "", leader: str = "", note: str = "",
                 criteria: Criteria = DEFAULT_CRITERIA) -> int:
    """新建慰问: a new round, its date the festival's own (typed only for 其他); returns its id. Its list is
    drawn apart (draw_list), off the window's thread."""
    campaign = campaigns.create_campaign(session, festival=festival, year=year, on=on, name=name, budget=budget,
                                         standard=standard, goods=goods, leader=leader, note=note,
                                         criteria=criteria)
    return campaign.id


@action(Changes.VISITS, long=True)
def change_campaign(session: Session, campaign_id: int, *, budget: str, standard: str, goods: str, leader: str,
                    note: str = "", progress: Progress | None = None) -> None:
    """修改慰问: the money, goods and leader; a list not yet visited is drawn again with the new amounts
    (which reads the register: long)."""
    if progress is not None:
        progress(0, 0, "正在按新的金额重新生成名单……")
    campaigns.update_campaign(session, campaigns.get_campaign(session, campaign_id), budget=budget,
                              standard=standard, goods=goods, leader=leader, note=note)


@action(Changes.VISITS, long=True)
def draw_list(session: Session, campaign_id: int, criteria: Criteria, *, on: dt.date | None = None,
              progress: Progress | None = None) -> ProposalResult:
    """按条件生成名单: save the criteria with the campaign and draw its list again from the register as it
    is on `on` (default today), keeping the clerk's own additions and removals."""
    if progress is not None:
        progress(0, 0, "正在按条件挑选慰问对象……")
    return lines.apply_proposal(session, campaigns.get_campaign(session, campaign_id), criteria, on=on)


@action(Changes.VISITS)
def add_household(session: Session, campaign_id: int, person_id: int, reason: str, amount: str | None = None) -> int:
    """加入一户: the household of a person found on the register goes on the list by hand, with the reason
    and the amount (default the campaign's); returns the line's id."""
    household_id = lines.household_of(session, person_id)
    line = lines.add_household(session, campaigns.get_campaign(session, campaign_id), household_id, reason, amount)
    return line.id


@action(Changes.VISITS)
def remove_lines(session: Session, line_ids: Sequence[int], reason: str) -> int:
    """移出名单: the chosen households off the list by hand, all with one reason, or none of them
    (one already recorded refuses the lot). Returns how many."""
    if not line_ids:
        raise InputError("请先在名单中选中要移出的户。")
    for line_id in line_ids:
        lines.remove_line(session, line_id, reason)
    return len(line_ids)


@action(Changes.VISITS, long=True)
def remove_departed(session: Session, campaign_id: int, *, progress: Progress | None = None) -> int:
    """把这些户移出名单: every household on the list whose disabled members all died or moved out before
    its day, not yet visited; the reason names who and when. Returns how many."""
    if progress is not None:
        progress(0, 0, "正在移出残疾人已去世或迁出的户……")
    return lines.remove_departed(session, campaigns.get_campaign(session, campaign_id))


@action(Changes.VISITS)
def record_lines(session: Session, line_ids: Sequence[int], *, on: dt.date, found: bool = True,
                 given: str | None = None, given_goods: str | None = None, visitor: str = "",
                 signed: bool = True) -> int:
    """登记慰问结果 for the chosen households, all or none: visited on `on` (given what was planned unless
    said otherwise, by visitor, signed), or not found (nothing given). Returns how many."""
    if not line_ids:
        raise InputError("请先在名单中选中已走访的户（可多选）。")
    for line_id in line_ids:
        if found:
            recording.record_visit(session, line_id, on=on, given=(given or "").strip() or None,
                                   given_goods=(given_goods or "").strip() or None, visitor=visitor,
                                   signed=signed)
        else:
            recording.record_not_found(session, line_id, on=on, visitor=visitor)
    return len(line_ids)


@action(Changes.VISITS, long=True)
def record_all(session: Session, campaign_id: int, *, on: dt.date, visitor: str = "",
               progress: Progress | None = None) -> int:
    """全部按计划登记: the signed roster came back complete; every household on the list not yet recorded
    was visited as planned (those with nobody left on the register stay for the clerk). Returns how many."""
    if progress is not None:
        progress(0, 0, "正在登记……")
    return recording.record_all(session, campaigns.get_campaign(session, campaign_id), on=on, visitor=visitor)
