"""Festival visit campaigns (节日慰问): a named round with its festival's date, budget and amount per
household. Money is integer fen in the database, read with app.domain.money."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import VisitCampaign
from app.domain import festivals
from app.domain.money import fen
from app.errors import InputError, NotFound
from app.paths import resource_path
from app.services.visits.criteria import DEFAULT_CRITERIA, Criteria, criteria_of
from app.services.visits.lines import apply_proposal, recording_begun


@lru_cache(maxsize=1)
def lunar_table() -> dict[str, dict[int, dt.date]]:
    raw = json.loads(resource_path("festival_dates.json").read_text(encoding="utf-8"))
    return festivals.parse_lunar_table(raw)


def festival_day(festival: str, year: int) -> dt.date:
    """The computed day of a festival (助残日, 残疾人日) or its day from the lunar table (春节, 中秋)."""
    try:
        return festivals.festival_date(festival, year, lunar_table())
    except festivals.FestivalDateError as exc:
        raise InputError(str(exc)) from None


def campaigns(session: Session) -> list[VisitCampaign]:
    """Every campaign, newest first."""
    return list(session.scalars(select(VisitCampaign).order_by(VisitCampaign.date.desc(), VisitCampaign.id.desc())))


def get_campaign(session: Session, campaign_id: int) -> VisitCampaign:
    campaign = session.get(VisitCampaign, campaign_id)
    if campaign is None:
        raise NotFound("找不到这次慰问：可能已被改名，请刷新。")
    return campaign


def campaign_named(session: Session, name: str) -> VisitCampaign:
    campaign = session.scalar(select(VisitCampaign).where(VisitCampaign.name == name.strip()))
    if campaign is None:
        known = "、".join(c.name for c in campaigns(session)[:5])
        hint = f"已有的慰问：{known}。" if known else "还没有建立任何慰问。"
        raise NotFound(f"没有名为“{name}”的慰问：{hint}")
    return campaign


def amounts(budget: Decimal | int | str, standard: Decimal | int | str, goods: str) -> tuple[int, int]:
    """(budget, per household) in fen as typed; a round gives money to each household, or goods, or both.
    The campaign dialog asks this before its change goes off to redraw the list."""
    standard_fen, budget_fen = fen(standard), fen(budget)
    if not standard_fen and not goods.strip():
        raise InputError("请填写每户慰问金额，或慰问物品。")
    return budget_fen, standard_fen


def create_campaign(
    session: Session, *, festival: str, year: int, on: dt.date | None = None, name: str = "",
    budget: Decimal | int | str = 0, standard: Decimal | int | str = 0, goods: str = "", leader: str = "",
    note: str = "", criteria: Criteria = DEFAULT_CRITERIA,
) -> VisitCampaign:
    """A new visit round. Its date is the festival's own (computed, never typed), except for 其他."""
    if festival not in festivals.FESTIVALS:
        raise InputError(f"节日“{festival}”不在{'、'.join(festivals.FESTIVALS)}之中：请重新选择。")
    if festival == festivals.OTHER:
        if on is None:
            raise InputError("“其他”慰问没有固定日期：请填写慰问日期。")
        day = on
    else:
        day = festival_day(festival, year)
    name = name.strip() or festivals.campaign_name(festival, year)
    if session.scalar(select(VisitCampaign.id).where(VisitCampaign.name == name)) is not None:
        raise InputError(f"已有名为“{name}”的慰问：请打开它，或换一个名称。")
    budget_fen, standard_fen = amounts(budget, standard, goods)
    campaign = VisitCampaign(name=name, festival=festival, date=day, budget_fen=budget_fen,
                             standard_fen=standard_fen, goods=goods.strip(), leader=leader.strip(),
                             note=note.strip(), criteria=criteria.to_json())
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign: VisitCampaign, *, budget: Decimal | int | str,
                    standard: Decimal | int | str, goods: str, leader: str, note: str = "") -> None:
    """Change the money, goods and leader; a list not yet visited is proposed again with the new amounts."""
    budget_fen, standard_fen = amounts(budget, standard, goods)
    old_standard = campaign.standard_fen
    campaign.budget_fen, campaign.standard_fen = budget_fen, standard_fen
    campaign.goods, campaign.leader, campaign.note = goods.strip(), leader.strip(), note.strip()
    session.flush()
    if campaign.lines and not recording_begun(campaign):
        for line in campaign.lines:
            if line.by_hand and line.amount_fen == old_standard:
                line.amount_fen = standard_fen
            if line.by_hand:
                line.goods = campaign.goods
        apply_proposal(session, campaign, criteria_of(campaign))
