"""Who is proposed for a festival visit (节日慰问): the criteria the clerk ticks, saved per campaign, and the
proposal they give: one line per household, each saying why it is there, in the order the money goes.

A household is proposed when one of its disabled members on the register (在册 on the day the list is
drawn) meets any ticked criterion; the dead and the moved out are never proposed. The order is the order
a clerk spends a small budget in: 特困 and 低保一类 first, then those who cannot look after themselves,
then the severely disabled, and so on (PRIORITIES); within a rank, the household with more needs, the
more severe grade and the older person first. Lines past the budget stay on the list, not included, with
the reason 超出预算, so the clerk sees who else qualified and can swap by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, VisitCampaign, VisitLine
from app.domain.dates import age_on
from app.domain.disability import grade_label
from app.domain.words import LineOutcome, PersonStatus
from app.services.register.status_changes import status_at

OVER_BUDGET = "超出预算"
NOT_MATCHING = "不符合所选条件"

# Ranks of the reasons, most urgent first: the budget is spent in this order.
TEKUN, DIBAO_1, NO_SELF_CARE, SEVERE, DIBAO_2, ALONE, OLD, DIBAO_OTHER, LOW_INCOME = range(9)


@dataclass(frozen=True)
class Criteria:
    """The selection the clerk saves with a campaign. Groups are alternatives (any of them puts a household
    on the list); villages and skip_recent narrow it."""

    dibao: bool = True  # 低保户
    tekun: bool = True  # 特困供养户
    low_income: bool = True  # 低收入户
    cannot_self_care: bool = True  # 生活不能自理
    severe: bool = False  # 一级、二级
    lives_alone: bool = False  # 独居
    older_than: int = 0  # aged over N (0: not used)
    skip_recent: int = 0  # not visited in the last N campaigns (0: not used)
    village_ids: tuple[int, ...] = ()  # only these villages (empty: all)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Criteria:
        """The saved criteria; keys the program no longer knows are ignored, missing ones take defaults."""
        try:
            raw = json.loads(text or "{}")
        except json.JSONDecodeError:
            raw = {}
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__} if isinstance(raw, dict) else {}
        if "village_ids" in known:
            known["village_ids"] = tuple(int(v) for v in known["village_ids"])
        return cls(**known)

    def describe(self) -> str:
        """The criteria in the clerk's words, for the screen and the campaign's note."""
        groups = [label for on, label in (
            (self.tekun, "特困供养户"), (self.dibao, "低保户"), (self.low_income, "低收入户"),
            (self.cannot_self_care, "生活不能自理"), (self.severe, "一级、二级"), (self.lives_alone, "独居"),
        ) if on]
        if self.older_than:
            groups.append(f"{self.older_than}岁以上")
        text = "、".join(groups) if groups else "未选条件"
        if self.skip_recent:
            text += f"；近{self.skip_recent}次慰问过的不列入"
        return text


DEFAULT_CRITERIA = Criteria()


@dataclass
class Proposed:
    """One household as the criteria propose it (nothing written yet)."""

    household_id: int
    person_ids: list[int]
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (rank, text)
    severest: int = 4
    oldest: int = 0

    @property
    def rank(self) -> int:
        return min(r for r, _ in self.reasons)

    @property
    def reason_text(self) -> str:
        seen: list[str] = []
        for _, text in sorted(self.reasons):
            if text not in seen:
                seen.append(text)
        return "；".join(seen)


def recently_visited(session: Session, before: dt.date, count: int, exclude_id: int | None = None) -> set[int]:
    """Households visited (on the list and not 未找到) in the last `count` campaigns dated before `before`."""
    if count <= 0:
        return set()
    stmt = select(VisitCampaign.id).where(VisitCampaign.date < before)
    if exclude_id is not None:
        stmt = stmt.where(VisitCampaign.id != exclude_id)
    recent = list(session.scalars(stmt.order_by(VisitCampaign.date.desc(), VisitCampaign.id.desc()).limit(count)))
    if not recent:
        return set()
    return set(session.scalars(
        select(VisitLine.household_id).where(
            VisitLine.campaign_id.in_(recent), VisitLine.included.is_(True), VisitLine.outcome != LineOutcome.NOT_FOUND)
    ))


def _household_reasons(criteria: Criteria, dibao: bool, dibao_class: int | None, tekun: bool,
                       low_income: bool) -> list[tuple[int, str]]:
    reasons: list[tuple[int, str]] = []
    if criteria.tekun and tekun:
        reasons.append((TEKUN, "特困供养户"))
    if criteria.dibao and dibao:
        names = {1: "一", 2: "二", 3: "三", 4: "四"}
        label = f"低保{names[dibao_class]}类户" if dibao_class in names else "低保户"
        rank = DIBAO_1 if dibao_class == 1 else DIBAO_2 if dibao_class == 2 else DIBAO_OTHER
        reasons.append((rank, label))
    if criteria.low_income and low_income:
        reasons.append((LOW_INCOME, "低收入户"))
    return reasons


def _person_reasons(criteria: Criteria, name: str, grade: int, self_care: str, alone: bool,
                    age: int) -> list[tuple[int, str]]:
    reasons: list[tuple[int, str]] = []
    if criteria.cannot_self_care and self_care == "不能自理":
        reasons.append((NO_SELF_CARE, f"{name}生活不能自理"))
    if criteria.severe and grade <= 2:
        reasons.append((SEVERE, f"{name}{grade_label(grade)}残疾"))
    if criteria.lives_alone and alone:
        reasons.append((ALONE, f"{name}独居"))
    if criteria.older_than and age > criteria.older_than:
        reasons.append((OLD, f"{name}{age}岁"))
    return reasons


def propose(session: Session, criteria: Criteria, *, on: dt.date, campaign_id: int | None = None,
            campaign_date: dt.date | None = None) -> list[Proposed]:
    """The households the criteria propose, most urgent first. `on` is the day the register is read
    (who is 在册 then, ages then); campaign_date (default `on`) decides which campaigns were "recent"."""
    stmt = (
        select(Person.id, Person.name, Person.birth_date, Person.grade, Person.self_care, Person.lives_alone,
               Household.id, Household.dibao, Household.dibao_class, Household.tekun, Household.low_income)
        .join(Household, Household.id == Person.household_id)
        .where(status_at(on) == PersonStatus.ON_REGISTER)
        .order_by(Household.id, Person.id)
    )
    if criteria.village_ids:
        stmt = stmt.where(Household.village_id.in_(list(criteria.village_ids)))
    skip = recently_visited(session, campaign_date or on, criteria.skip_recent, campaign_id)
    found: dict[int, Proposed] = {}
    # A county's proposal reads every person on the register: the rows come through Core (plain columns; the
    # ORM's handling of each row was a fifth of the time) and a household's reasons are worked out once per
    # distinct facts (each line gets its own copy), an age once per birth date: the same lines as before.
    households: dict[tuple[bool, int | None, bool, bool], list[tuple[int, str]]] = {}
    ages: dict[dt.date, int] = {}
    for pid, name, born, grade, self_care, alone, hid, dibao, dibao_class, tekun, low_income in (
            session.connection().execute(stmt)):
        if hid in skip:
            continue
        entry = found.get(hid)
        if entry is None:
            facts = (dibao, dibao_class, tekun, low_income)
            reasons = households.get(facts)
            if reasons is None:
                reasons = households[facts] = _household_reasons(criteria, *facts)
            entry = found[hid] = Proposed(hid, [], list(reasons))
        age = ages.get(born)
        if age is None:
            age = ages[born] = age_on(born, on)
        entry.person_ids.append(pid)
        entry.reasons += _person_reasons(criteria, name, grade, self_care, alone, age)
        entry.severest = min(entry.severest, grade)
        entry.oldest = max(entry.oldest, age)
    chosen = [p for p in found.values() if p.reasons]
    chosen.sort(key=lambda p: (p.rank, -len(p.reasons), p.severest, -p.oldest, p.household_id))
    return chosen


def fit_budget(amounts: Iterable[int], budget_fen: int, committed_fen: int = 0) -> list[bool]:
    """Which of the lines (in order) the budget covers after `committed_fen` already decided by hand.
    No budget (0) covers everything. A line that does not fit is skipped, so a cheaper later one may."""
    if budget_fen <= 0:
        return [True for _ in amounts]
    left = budget_fen - committed_fen
    fits: list[bool] = []
    for amount in amounts:
        fits.append(amount <= left)
        if fits[-1]:
            left -= amount
    return fits


def criteria_of(campaign: VisitCampaign) -> Criteria:
    return Criteria.from_json(campaign.criteria)
