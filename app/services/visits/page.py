"""What the 节日慰问 tab shows, read in one session each and handed over as plain values: the campaigns to
choose from and the chosen one's page (its facts, criteria, lines, totals, warnings), a campaign's facts
for its dialogs, persons on the register to add by hand, and the comparison with the last campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.db.models import VisitCampaign
from app.domain.words import PersonStatus
from app.services.actions import query
from app.services.register import search, villages
from app.services.register.search import PersonFilter
from app.services.visits import campaigns, history, lines
from app.services.visits.criteria import Criteria, criteria_of
from app.services.visits.lines import CampaignTotals, LineView

FOUND_AT_MOST = 30  # persons offered by one search when adding a household by hand


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    name: str


@dataclass(frozen=True)
class CampaignView:
    """A campaign's own facts, as its line on the screen and its dialogs show them."""

    id: int
    name: str
    festival: str
    date: dt.date
    budget_fen: int
    standard_fen: int  # planned per household
    goods: str
    leader: str  # 带队领导
    note: str
    criteria: Criteria


@dataclass(frozen=True)
class CampaignPage:
    """The tab over one campaign (campaign None: there is none yet)."""

    campaigns: tuple[CampaignChoice, ...]  # newest first
    campaign: CampaignView | None
    villages: tuple[tuple[int, str], ...]  # (id, name) of the register's villages, for the criteria
    lines: tuple[LineView, ...]  # roster order
    totals: CampaignTotals | None
    flagged: tuple[LineView, ...] = ()  # on the list, not visited, someone on it died or moved out
    nobody_left: int = 0  # of those, lines with nobody on the register any more (remove_departed)
    roster_villages: tuple[tuple[int, str], ...] = ()  # villages with a household on the list: a roster each


@dataclass(frozen=True)
class PersonChoice:
    """A person on the register found by name, pinyin or ID digits, offered for adding their household."""

    id: int
    name: str
    village: str
    group: str
    sex: str


def _view(campaign: VisitCampaign) -> CampaignView:
    return CampaignView(campaign.id, campaign.name, campaign.festival, campaign.date, campaign.budget_fen,
                        campaign.standard_fen, campaign.goods, campaign.leader, campaign.note, criteria_of(campaign))


@query
def campaign_page(session: Session, campaign_id: int | None = None) -> CampaignPage:
    """The tab over campaign_id, else (none asked for, or not there any more) over the newest campaign."""
    found = campaigns.campaigns(session)
    choices = tuple(CampaignChoice(c.id, c.name) for c in found)
    chosen = next((c for c in found if c.id == campaign_id), found[0] if found else None)
    register_villages = tuple((v.id, v.name) for v in villages.list_villages(session))
    if chosen is None:
        return CampaignPage(choices, None, register_villages, (), None)
    views = tuple(lines.line_views(session, chosen))
    flagged = tuple(v for v in views if v.flagged)
    listed = {v.village for v in views if v.included}
    return CampaignPage(
        choices, _view(chosen), register_villages, views, lines.totals_of(chosen.budget_fen, views),
        flagged=flagged, nobody_left=sum(v.nobody_left for v in flagged),
        roster_villages=tuple((vid, name) for vid, name in register_villages if name in listed),
    )


@query
def campaign_view(session: Session, campaign_id: int) -> CampaignView:
    """One campaign's facts (for 修改, 加入一户 and 登记慰问结果)."""
    return _view(campaigns.get_campaign(session, campaign_id))


@query
def find_persons(session: Session, text: str) -> list[PersonChoice]:
    """Persons on the register (在册) matching a name, pinyin initials or ID digits, to add their household."""
    if not text.strip():
        return []
    rows = search.search(session, text.strip(), limit=FOUND_AT_MOST, flt=PersonFilter(status=PersonStatus.ON_REGISTER))
    return [PersonChoice(r.id, r.name, r.village, r.group, r.sex) for r in rows]


@query
def comparison(session: Session, campaign_id: int) -> history.Comparison:
    """与上次比较: who is new on this list and who dropped off since the last campaign, and why."""
    return history.compare_with_previous(session, campaigns.get_campaign(session, campaign_id))

