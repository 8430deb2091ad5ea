"""The monthly review (月度复核): for a month, who newly qualifies but is not paid, who is paid and still
qualifies, and who is paid but no longer qualifies (with why and the month to stop from); then the
clerk's bulk confirmations of starts and stops. Money paid for months after a stop (a death, a move or a
lost 低保 recorded late) is listed as 应追回 until it is recovered or written off, and a stop's line says it.

Candidates are chosen in SQL (grades and categories the nursing table covers, 低保 (and 低收入 when
switched on) households, everyone being paid); the engine runs on those only, so 100,000 persons review
in about a second. A household's 低保, 特困 and 低收入 are read as they are now (Household has only its
current flags), so the review is meant for the current month; a 低保 cancellation's date is the
household's 低保停止日期 (or, recorded before it was kept, the audit log's date): the stop proposed is the
month after it, else the reviewed month.

All three are long work (a county's review, thousands of starts or stops ticked at once): the window runs
them off its thread with progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.db.models import AuditEntry, Household, Person, SubsidyApplication, Village
from app.domain import subsidy_rules
from app.domain.money import yuan
from app.domain.months import Month
from app.domain.words import STAGES_IN_ORDER, OverpaymentState, PersonStatus, Programme, Stage
from app.services.actions import Changes, Progress, action, long_query
from app.services.subsidies import applications
from app.services.subsidies.facts import facts_for_ids, facts_of, facts_select
from app.services.subsidies.overpayment_ledger import OverpaymentRow, overpayment_rows
from app.services.subsidies.payments import paying_applications, still_on_register
from app.services.subsidies.policies import PolicyBook


@dataclass(frozen=True)
class ReviewLine:
    person_id: int
    name: str
    village: str
    programme: str
    amount_fen: int
    reason: str
    application_id: int | None = None
    stage: str = ""  # of an application in progress (for the newly qualifying)
    stop_from: Month | None = None  # proposed, for those who no longer qualify
    overpayment_id: int | None = None  # of the 应追回 list


@dataclass(frozen=True)
class Review:
    """The month's lists, each sorted by village and name (built once by monthly_review, then only read)."""

    month: Month
    new: list[ReviewLine] = field(default_factory=list)
    continuing: list[ReviewLine] = field(default_factory=list)
    stopping: list[ReviewLine] = field(default_factory=list)
    recover: list[ReviewLine] = field(default_factory=list)  # 应追回: amount_fen is what is still owed


def _candidate_condition(policies: subsidy_rules.Policies) -> ColumnElement[bool]:
    parts = []
    if policies.nursing is not None:
        amounts = policies.nursing.amounts
        parts.append(Person.grade.in_(sorted({g for (g, _c) in amounts if g <= 2})))
        parts.append(Person.category.in_(sorted({c for (g, c) in amounts if g >= 3} | {7})))
    if policies.living is not None:
        parts.append(Household.dibao.is_(True))
        if policies.living.include_low_income:
            parts.append(Household.low_income.is_(True))
    return or_(*parts) if parts else Person.id < 0  # no rule in force: nobody


def _dibao_ended(session: Session, household_ids: list[int]) -> dict[int, dt.date]:
    """When each household's 低保 was last switched off, from the audit log."""
    if not household_ids:
        return {}
    rows = session.execute(
        select(AuditEntry.entity_id, AuditEntry.at)
        .where(AuditEntry.entity == "household", AuditEntry.field == "dibao", AuditEntry.new_value == "否",
               AuditEntry.entity_id.in_(household_ids[:900]))
        .order_by(AuditEntry.at)
    )
    return {hid: at.date() for hid, at in rows}


@long_query
def monthly_review(session: Session, month: Month, *, progress: Progress | None = None) -> Review:
    """月度复核 of a month: who newly qualifies, who goes on, who is to stop, and what is owed."""
    if progress is not None:
        progress(0, 0, f"正在复核{month.label}……")
    book = PolicyBook.load(session)
    policies = book.policies(month)
    paying = {(pid, prog): app_id for app_id, pid, prog in session.execute(
        select(SubsidyApplication.id, SubsidyApplication.person_id, SubsidyApplication.programme)
        .where(paying_applications(month))
    )}
    in_progress = {(pid, prog): (app_id, stage) for app_id, pid, prog, stage in session.execute(
        select(SubsidyApplication.id, SubsidyApplication.person_id, SubsidyApplication.programme,
               SubsidyApplication.stage)
        .where(SubsidyApplication.stage.in_(STAGES_IN_ORDER[:-1]))
    )}
    stmt = facts_select().where(still_on_register(month), _candidate_condition(policies))
    found = {pid: (person, household) for pid, person, household in map(facts_of, session.execute(stmt))}
    missing = {pid for pid, _ in paying} - set(found)
    found.update({pid: (person, household) for pid, person, household in facts_for_ids(session, missing)})
    names = _names(session, found)
    review = Review(month)
    to_stop: list[tuple[int, int, subsidy_rules.Decision]] = []
    for index, (pid, (person, household)) in enumerate(found.items()):
        if progress is not None:
            progress(index, len(found))  # no text: the window then passes on only a few a second
        for decision in subsidy_rules.decide(policies, person, household, month):
            key = (pid, decision.programme)
            name, village, _hid = names[pid]
            if key in paying:
                if decision.qualifies:
                    review.continuing.append(ReviewLine(pid, name, village, decision.programme, decision.amount_fen,
                                                        decision.reason, paying[key]))
                else:
                    to_stop.append((pid, paying[key], decision))
            elif decision.qualifies and person.status == PersonStatus.ON_REGISTER:  # no start after death or a move
                app_id, stage = in_progress.get(key, (None, ""))
                review.new.append(ReviewLine(pid, name, village, decision.programme, decision.amount_fen,
                                             decision.reason, app_id, stage))
    stopping_households = [names[pid][2] for pid, _a, d in to_stop if d.programme == Programme.LIVING]
    ended = _dibao_ended(session, sorted({hid for hid in stopping_households if hid is not None}))
    owed = overpayment_rows(session, open_only=True)
    owed_by: dict[tuple[int, str], list[OverpaymentRow]] = {}
    for row in owed:
        owed_by.setdefault((row.person_id, row.programme), []).append(row)
    for pid, app_id, decision in to_stop:
        name, village, hid = names[pid]
        stop_from = decision.stop_from
        if stop_from is None and decision.programme == Programme.LIVING and hid in ended:
            stop_from = Month.of(ended[hid]).next()
        reason = decision.reason + "".join(f"；{row.months_text}已发放{yuan(row.amount_fen)}元，应追回"
                                           for row in owed_by.get((pid, decision.programme), []))
        review.stopping.append(ReviewLine(pid, name, village, decision.programme, 0, reason, app_id,
                                          stop_from=stop_from or month))
    review.recover.extend(ReviewLine(row.person_id, row.name, row.village, row.programme, row.outstanding_fen,
                                     row.reason(), stage=OverpaymentState.OWED, overpayment_id=row.id) for row in owed)
    for lines in (review.new, review.continuing, review.stopping, review.recover):
        lines.sort(key=lambda line: (line.village, line.name, line.person_id, line.programme != Programme.NURSING))
    return review


def _names(session: Session, person_ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
    ids = sorted(person_ids)
    out: dict[int, tuple[str, str, int | None]] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(Person.id, Person.name, Village.name, Person.household_id)
            .outerjoin(Village, Village.id == Person.village_id).where(Person.id.in_(ids[start : start + 900]))
        )
        out.update({pid: (name, village or "", hid) for pid, name, village, hid in rows})
    return out


@action(Changes.SUBSIDIES, long=True)
def confirm_stops(session: Session, lines: list[ReviewLine], on: dt.date, *, progress: Progress | None = None) -> int:
    """停发 each of these payments from its proposed month, with the review's reason; returns how many."""
    done = 0
    for index, line in enumerate(lines):
        if progress is not None:
            progress(index, len(lines))
        if line.application_id is None or line.stop_from is None:
            continue
        application = session.get(SubsidyApplication, line.application_id)
        if application is None or application.stage != Stage.PAYING:
            continue
        start = Month.of(application.start_month) if application.start_month else line.stop_from
        applications.stop.in_session(session, line.application_id, max(line.stop_from, start.next()), line.reason,
                                     on, note="月度复核确认")
        done += 1
    return done


@action(Changes.SUBSIDIES, long=True)
def confirm_starts(session: Session, lines: list[ReviewLine], month: Month, on: dt.date, *,
                   progress: Progress | None = None) -> tuple[int, int]:
    """For the newly qualifying: an application already at 审定 starts paying from the month; a person
    with no application gets one recorded (申请, to go through the checks). Returns (started, applied)."""
    started = applied = 0
    for index, line in enumerate(lines):
        if progress is not None:
            progress(index, len(lines))
        if line.application_id is not None:
            application = session.get(SubsidyApplication, line.application_id)
            if application is not None and application.stage == Stage.DECIDED:
                start = max(month, Month.of(application.applied_on))
                applications.advance.in_session(session, application.id, on, "月度复核确认发放", start_month=start)
                started += 1
            continue
        if applications.open_application(session, line.person_id, line.programme) is None:
            applications.apply_for.in_session(session, line.person_id, line.programme, on, f"月度复核：{line.reason}")
            applied += 1
    return started, applied
