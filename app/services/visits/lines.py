"""A campaign's list (节日慰问名单): drawn from the criteria (app.services.visits.criteria) within the budget,
then edited by hand, one line per household, and read back as the screen and the roster show it.

A line is never deleted: a household taken off the list keeps its line, not included, with the reason.
`by_hand` marks the clerk's own decision on a line (added, or removed with a reason); a new proposal
leaves such lines as they are and spends the budget on the rest. Once a visit is recorded the list is
no longer re-proposed: the clerk edits it line by line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, Village, VillageGroup, VisitCampaign, VisitLine
from app.domain.disability import category_with_components, grade_label
from app.domain.money import fen
from app.domain.words import LineOutcome, PersonStatus
from app.errors import InputError, NotFound
from app.services.visits.criteria import NOT_MATCHING, OVER_BUDGET, Criteria, fit_budget, propose


def recording_begun(campaign: VisitCampaign) -> bool:
    """A result is recorded on some line: the list is now the record of what was given, no longer a plan."""
    return any(line.outcome for line in campaign.lines)


def recording_begun_in(session: Session, campaign_id: int) -> bool:
    """recording_begun asked of the store, without loading every line of a county's list as an object."""
    stmt = select(VisitLine.id).where(VisitLine.campaign_id == campaign_id, VisitLine.outcome != "")
    return bool(session.scalar(select(stmt.exists())))


@dataclass(frozen=True)
class ProposalResult:
    included: int
    over_budget: int
    dropped: int  # earlier proposed lines that no longer meet the criteria


def apply_proposal(session: Session, campaign: VisitCampaign, criteria: Criteria,
                   *, on: dt.date | None = None) -> ProposalResult:
    """Save the criteria with the campaign and (re)draw its list from them, keeping the clerk's hand edits.
    `on` is the day the register is read (default today)."""
    if recording_begun(campaign):
        raise InputError("这次慰问已开始登记结果，不能再按条件重新生成名单：请逐户加入或移出。")
    campaign.criteria = criteria.to_json()
    proposals = propose(session, criteria, on=on or dt.date.today(), campaign_id=campaign.id,
                        campaign_date=campaign.date)
    existing = {line.household_id: line for line in campaign.lines}
    committed = sum(line.amount_fen for line in campaign.lines if line.by_hand and line.included)
    free = [p for p in proposals if not (p.household_id in existing and existing[p.household_id].by_hand)]
    fits = fit_budget((campaign.standard_fen for _ in free), campaign.budget_fen, committed)
    included = over = 0
    for proposal, fit in zip(free, fits, strict=True):
        line = existing.pop(proposal.household_id, None)
        if line is None:
            line = VisitLine(campaign_id=campaign.id, household_id=proposal.household_id)
            session.add(line)
            campaign.lines.append(line)
        line.person_ids = ",".join(str(pid) for pid in proposal.person_ids)
        line.reason = proposal.reason_text
        line.amount_fen, line.goods = campaign.standard_fen, campaign.goods
        line.included, line.removed_reason = fit, "" if fit else OVER_BUDGET
        included += fit
        over += not fit
    dropped = 0
    for line in existing.values():
        if not line.by_hand and line.removed_reason != NOT_MATCHING:
            line.included, line.removed_reason = False, NOT_MATCHING
            dropped += 1
    session.flush()
    return ProposalResult(included, over, dropped)


def _line(session: Session, line_id: int) -> VisitLine:
    line = session.get(VisitLine, line_id)
    if line is None:
        raise NotFound("找不到名单中的这一户：请刷新名单。")
    return line


def remove_line(session: Session, line_id: int, reason: str) -> VisitLine:
    """Take a household off the list by hand; the reason is kept and shown."""
    line = _line(session, line_id)
    if not reason.strip():
        raise InputError("请写明移出名单的原因。", field="reason")
    if line.outcome:
        raise InputError("这一户已登记慰问结果，不能移出：如登记有误，请先撤销登记。")
    line.included, line.by_hand, line.removed_reason = False, True, reason.strip()
    session.flush()
    return line


def add_household(session: Session, campaign: VisitCampaign, household_id: int, reason: str,
                  amount: Decimal | int | str | None = None) -> VisitLine:
    """Put a household on the list by hand (or back on it), with the reason; one line per household."""
    if not reason.strip():
        raise InputError("请写明加入名单的原因。", field="reason")
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound("找不到这一户：请刷新后重试。")
    members = [m.id for m in household.members if m.status == PersonStatus.ON_REGISTER]
    if not members:
        raise InputError("这一户没有在册的残疾人（已死亡或迁出）：不能列入慰问名单。")
    line = session.scalar(select(VisitLine).where(VisitLine.campaign_id == campaign.id,
                                                  VisitLine.household_id == household_id))
    if line is None:
        line = VisitLine(campaign_id=campaign.id, household_id=household_id, reason="")
        session.add(line)
        campaign.lines.append(line)
    elif line.included:
        raise InputError("这一户已在名单中，同一户只列一次。")
    hand = f"手工加入：{reason.strip()}"
    line.reason = f"{line.reason}；{hand}" if line.reason else hand
    line.person_ids = ",".join(str(pid) for pid in members)
    line.amount_fen = campaign.standard_fen if amount is None else fen(amount)
    line.goods = campaign.goods
    line.included, line.by_hand, line.removed_reason = True, True, ""
    session.flush()
    return line


def household_of(session: Session, person_id: int) -> int:
    """The household a person belongs to (for 加入 from a search by name)."""
    person = session.get(Person, person_id)
    if person is None or person.household_id is None:
        raise NotFound("这个人没有所在户的记录：请先在登记册中为其建户。")
    return person.household_id


@dataclass(frozen=True)
class PersonOnLine:
    id: int
    name: str
    id_number: str
    category: str  # 肢体二级
    status: str
    status_date: dt.date | None
    departed: bool = False  # died or moved out before the line's day (see line_day): off the printed line

    @property
    def departure(self) -> str:
        """张三已死亡（2027-01-10）"""
        when = f"（{self.status_date.isoformat()}）" if self.status_date else ""
        return f"{self.name}已{self.status}{when}"


@dataclass(frozen=True)
class LineView:
    """One line as the screen and the roster show it."""

    id: int
    household_id: int
    village: str
    group: str
    address: str
    head: str  # 户主/慰问对象
    persons: list[PersonOnLine]
    reason: str
    amount_fen: int
    goods: str
    included: bool
    by_hand: bool
    removed_reason: str
    outcome: str
    visited_on: dt.date | None
    given_fen: int | None
    given_goods: str
    visitor: str
    signed: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def living(self) -> list[PersonOnLine]:
        return [p for p in self.persons if not p.departed]

    @property
    def all_departed(self) -> bool:
        return bool(self.persons) and not self.living

    @property
    def given(self) -> bool:
        """Recorded as visited: something was given (a line 未找到 or not yet recorded was given nothing)."""
        return self.included and self.outcome == LineOutcome.VISITED

    @property
    def given_amount_fen(self) -> int:
        """What a visited line was given: the amount recorded, else the amount planned (the summary's rule)."""
        return self.amount_fen if self.given_fen is None else self.given_fen

    @property
    def flagged(self) -> bool:
        """On the list, not yet visited, and someone on it died or moved out: said before the roster is printed."""
        return self.included and bool(self.warnings) and not self.outcome

    @property
    def nobody_left(self) -> bool:
        """Flagged, and nobody on it is on the register any more: remove_departed takes it off the list."""
        return self.flagged and self.all_departed


def line_day(campaign: VisitCampaign, line: VisitLine) -> dt.date:
    """The day a line's persons are counted on: its recorded visit, else the campaign's (festival) day.
    A reprint of an old roster thus prints what was signed, not today's register."""
    return line.visited_on if line.outcome and line.visited_on else campaign.date


def departed_before(status: str, status_date: dt.date | None, day: dt.date, *, recorded: bool) -> bool:
    """Died or moved out before `day`. A departure of unknown date counts, except on a line already
    recorded: what was recorded stands."""
    if status == PersonStatus.ON_REGISTER:
        return False
    return (not recorded) if status_date is None else status_date < day


def line_views(session: Session, campaign: VisitCampaign) -> list[LineView]:
    """The campaign's lines in roster order (village, group, the head's name). A person who died or moved
    out before the line's day (line_day) is off the line and shows as a warning; a later departure changes
    nothing, so an old roster reprints as it was signed.

    Lines and persons are read as plain columns, not as ORM objects: a county's spring list is some 50,000
    lines of 60,000 persons, and making (and tracking) an object for each took most of the roster's time."""
    stmt = (
        select(VisitLine.id, VisitLine.household_id, VisitLine.person_ids, VisitLine.reason, VisitLine.amount_fen,
               VisitLine.goods, VisitLine.included, VisitLine.by_hand, VisitLine.removed_reason, VisitLine.outcome,
               VisitLine.visited_on, VisitLine.given_fen, VisitLine.given_goods, VisitLine.visitor,
               VisitLine.signed, Household.address, Village.name, VillageGroup.name, Village.sort_order)
        .join(Household, Household.id == VisitLine.household_id)
        .outerjoin(Village, Village.id == Household.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(VisitLine.campaign_id == campaign.id)
    )
    session.flush()  # what the session holds is what is read (as an ORM query's autoflush did)
    connection = session.connection()  # plain rows: SQLAlchemy's ORM loading took seconds for 100,000 rows
    rows = connection.execute(stmt).all()
    wanted = {int(pid) for row in rows for pid in row.person_ids.split(",") if pid}
    heads = {row.household_id for row in rows}
    people: dict[int, tuple[PersonOnLine, str]] = {}
    head_names: dict[int, tuple[str, str]] = {}
    if wanted or heads:
        labels: dict[tuple[int, str, int], str] = {}  # 肢体二级 by (category, components, grade)
        for pid, name, id_number, category, components, grade, status, status_date, pinyin in _persons(
                connection, campaign.id, wanted):
            text = labels.get((category, components, grade))
            if text is None:  # a few dozen kinds among 60,000 persons: each written once
                text = labels[category, components, grade] = category_with_components(category, components) + \
                    grade_label(grade)
            people[pid] = (PersonOnLine(pid, name, id_number, text, status, status_date), pinyin)
        head_stmt = (select(Household.id, Person.name, Person.pinyin)
                     .join(Person, Person.id == Household.head_person_id)
                     .where(Household.id.in_(select(VisitLine.household_id)
                                             .where(VisitLine.campaign_id == campaign.id))))
        head_names = {hid: (name, pinyin) for hid, name, pinyin in connection.execute(head_stmt)}
    views: list[tuple[tuple[object, ...], LineView]] = []
    for (line_id, household_id, person_ids, reason, amount_fen, goods, included, by_hand, removed_reason, outcome,
         visited_on, given_fen, given_goods, visitor, signed, address, village, group, order) in rows:
        recorded = bool(outcome)
        day = visited_on if recorded and visited_on else campaign.date  # line_day, from the columns
        listed = [people[int(pid)][0] for pid in person_ids.split(",") if pid and int(pid) in people]
        persons = [q if not departed_before(q.status, q.status_date, day, recorded=recorded)
                   else replace(q, departed=True) for q in listed]
        head, pinyin = head_names.get(household_id) or (
            (persons[0].name, people[persons[0].id][1]) if persons else ("", ""))
        warnings = [p.departure for p in persons if p.departed]
        view = LineView(
            line_id, household_id, village or "未分村", group or "", address, head, persons, reason,
            amount_fen, goods, included, by_hand, removed_reason, outcome,
            visited_on, given_fen, given_goods, visitor, signed, warnings,
        )
        key = (village is None, order or 0, village or "", len(group or ""), group or "", pinyin, line_id)
        views.append((key, view))
    views.sort(key=lambda item: item[0])
    return [view for _, view in views]


def _persons(connection: Connection, campaign_id: int, wanted: set[int]) -> list[Any]:
    """The persons named on a campaign's lines (`wanted`): read as the members of the lines' households, then
    by id those who have since moved to another household. Not one IN of 50,000 ids: SQLAlchemy takes seconds
    to write such a statement out."""
    columns = (Person.id, Person.name, Person.id_number, Person.category, Person.components, Person.grade,
               Person.status, Person.status_date, Person.pinyin)
    on_lines = select(VisitLine.household_id).where(VisitLine.campaign_id == campaign_id)
    found = [row for row in connection.execute(select(*columns).where(Person.household_id.in_(on_lines)))
             if row[0] in wanted]
    missing = wanted - {row[0] for row in found}
    if missing:
        found += connection.execute(select(*columns).where(Person.id.in_(missing))).all()
    return found


@dataclass(frozen=True)
class CampaignTotals:
    """What the screen shows under the list as it changes. Before any result is recorded the list is a plan
    and its total is what is planned; once recording has begun, the total is what was given (the summary's
    `visits`), and lines not given (未找到) or not yet recorded are counted apart, without their money."""

    budget_fen: int
    households: int  # on the list (included)
    amount_fen: int  # planned for them
    visited: int
    not_found: int
    given_fen: int  # given to those visited (the amount recorded, else the one planned)
    warnings: int  # included lines with a person no longer on the register
    pending: int = 0  # on the list, no result recorded yet
    pending_fen: int = 0  # planned for those

    @property
    def over_budget(self) -> bool:
        return self.budget_fen > 0 and self.amount_fen > self.budget_fen

    @property
    def recorded(self) -> bool:
        """Recording has begun: the campaign's total is what was given, no longer what was planned."""
        return bool(self.visited or self.not_found)


def totals(session: Session, campaign: VisitCampaign) -> CampaignTotals:
    return totals_of(campaign.budget_fen, line_views(session, campaign))


def totals_of(budget_fen: int, lines: Sequence[LineView]) -> CampaignTotals:
    """The totals of a campaign's lines (as line_views reads them), against its budget."""
    views = [v for v in lines if v.included]
    visited = [v for v in views if v.given]
    pending = [v for v in views if not v.outcome]
    return CampaignTotals(
        budget_fen=budget_fen,
        households=len(views),
        amount_fen=sum(v.amount_fen for v in views),
        visited=len(visited),
        not_found=sum(v.outcome == LineOutcome.NOT_FOUND for v in views),
        given_fen=sum(v.given_amount_fen for v in visited),
        warnings=sum(bool(v.warnings) for v in views),
        pending=len(pending),
        pending_fen=sum(v.amount_fen for v in pending),
    )


def remove_departed(session: Session, campaign: VisitCampaign) -> int:
    """Take off the list every household whose disabled members have all died or moved out since the list
    was drawn (not yet visited); the reason names who and when. Returns how many."""
    count = 0
    for view in line_views(session, campaign):
        if view.nobody_left:
            remove_line(session, view.id, "；".join(view.warnings))
            count += 1
    return count
