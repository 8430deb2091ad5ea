"""Demo step: five years of the two subsidies for the demo town, as the seed report tells it (per year
100-109 persons paid either subsidy in a town of 345; the counts scale with the town's size, capped at
CAP_PER_YEAR persons a year so a 100,000-person county still loads in seconds).

Who is paid is decided by the real subsidy rules on the shipped 2019 Gansu policy. Each year keeps
a steady roll: a cohort paid since before the five years, a few new starters a year replacing those who
died or moved out (their payments stop from the month after). So about 120-135 distinct persons are paid
over the five years while each year reads 100-109 (the five-year report's "100余人"). Not everyone who
qualifies is paid (the seed town has 130+ in 低保 households alone): those are what the monthly review
lists as newly qualifying, a few with applications in progress and a few refused. Payments are confirmed
for every month up to the month before the current one; deaths of the last weeks are left unstopped, so
this month's review has stops to confirm."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)

from app.db.models import ApplicationStep, Person, SubsidyApplication, SubsidyPayment
from app.demo.context import DemoTown
from app.demo.rows import indexes_after, insert_rows
from app.demo.town import DemoPerson
from app.domain import subsidy_rules as el
from app.domain.months import Month
from app.domain.words import DEPARTURE_CAUSES, STAGES_IN_ORDER, Programme, Stage
from app.services.subsidies.policies import PolicyBook, PolicyRecord, install_defaults

SEED_TOWN = 345
CAP_PER_YEAR = 6000
_CHUNK = 5000


@dataclass
class Recipient:
    person: DemoPerson
    programmes: list[tuple[str, int]]  # (programme, fen a month)
    start: Month
    application_ids: list[int] = field(default_factory=list)


def _insert(town: DemoTown, table: Any, rows: list[dict[str, Any]]) -> None:
    insert_rows(town.session, table, rows)


def _facts(person: DemoPerson) -> tuple[el.PersonFacts, el.HouseholdFacts]:
    row, household = person.row, person.household
    facts = el.PersonFacts(
        category=row["category"], grade=row["grade"], components=el.components_of(row.get("components", "")),
        work_injury_care=bool(row.get("work_injury_care")), orphan_allowance=bool(row.get("orphan_allowance")),
        other_allowance_kind=row.get("other_allowance_kind", ""), other_allowance_fen=row.get("other_allowance_fen", 0),
        has_certificate=bool(row.get("certificate_number")),  # both subsidies require one
    )
    return facts, el.HouseholdFacts(household.dibao, household.dibao_class, household.tekun, household.low_income)


def _exclusions(town: DemoTown) -> None:
    """A few persons whose other allowances (其他待遇) rule a subsidy out, as in any town: children on the orphan
    allowance, a worker on 工伤 care, elderly whose 高龄津贴 is the higher allowance (择高)."""
    rng, changed = town.rng, []
    for person in town.persons:
        age, row = person.age_on(town.end), person.row
        if age < 16 and person.household.dibao and rng.random() < 0.25:
            row["orphan_allowance"] = True
        elif 18 <= age < 60 and row["grade"] <= 2 and rng.random() < 0.01:
            row["work_injury_care"] = True
        elif age >= 80 and rng.random() < 0.4:
            row["other_allowance_kind"], row["other_allowance_fen"] = "高龄津贴", 10000
        else:
            continue
        changed.append(person)
    table = Person.__table__
    stmt = update(table).where(table.c.id == bindparam("pid")).values(
        orphan_allowance=bindparam("orphan"), work_injury_care=bindparam("injury"),
        other_allowance_kind=bindparam("kind"), other_allowance_fen=bindparam("fen"))
    rows = [{"pid": p.id, "orphan": bool(p.row.get("orphan_allowance")),
             "injury": bool(p.row.get("work_injury_care")), "kind": p.row.get("other_allowance_kind", ""),
             "fen": p.row.get("other_allowance_fen", 0)} for p in changed]
    for start in range(0, len(rows), _CHUNK):
        town.session.execute(stmt, rows[start : start + _CHUNK])


def _paid_in(recipient: Recipient, year: int) -> bool:
    person = recipient.person
    return recipient.start.year <= year and (person.left is None or person.left[1].year >= year)


def _start_window(person: DemoPerson, first: Month, last: Month) -> tuple[Month, Month] | None:
    """The months a start may fall in: after registering, before leaving, within first..last."""
    low = max(first, Month.of(person.registered).next())
    high = last if person.left is None else min(last, Month.of(person.left[1]))
    return (low, high) if low <= high else None


def _choose(town: DemoTown, pool: list[tuple[DemoPerson, list[tuple[str, int]]]], last_paid: Month) -> list[Recipient]:
    """Year by year, top the roll up to the year's target: the first year from a cohort started before
    the five years plus a few starters, each later year with starters replacing those who left."""
    rng = town.rng
    scale = len(town.on_register()) / SEED_TOWN
    first_year = town.year - 4
    chosen: list[Recipient] = []
    taken: set[int] = set()
    rng.shuffle(pool)
    for year in range(first_year, town.year + 1):
        target = min(CAP_PER_YEAR, max(1, round(rng.randint(101, 107) * scale)))
        starters = max(1, round(rng.randint(3, 6) * scale))
        windows = [(Month(year, 1), min(Month(year, 12), last_paid), target)]
        if year == first_year:
            windows.insert(0, (Month(2019, 1), Month(year - 1, 12), target - starters))
        paid = sum(_paid_in(r, year) for r in chosen)
        for low_month, high_month, goal in windows:
            for person, programmes in pool:
                if paid >= goal:
                    break
                if person.id in taken or (person.left is not None and person.left[1].year < year):
                    continue
                window = _start_window(person, low_month, high_month)
                if window is None:
                    continue
                low, high = window
                span = (high.year * 12 + high.month) - (low.year * 12 + low.month)
                chosen.append(Recipient(person, programmes, low.next(rng.randint(0, span))))
                taken.add(person.id)
                paid += 1
    return chosen


def _day_in(rng: random.Random, month: Month, first: int, last: int) -> dt.date:
    return month.first_day + dt.timedelta(days=rng.randint(first, last) - 1)


def _steps(town: DemoTown, applied: dt.date, upto: str) -> list[tuple[str, dt.date, str]]:
    """申请 → … → upto, each a few days after the one before (never after the demo's last day)."""
    notes = {Stage.APPLIED: "本人申请", Stage.FIRST_CHECK: "乡镇初审通过，已公示5天",
             Stage.COUNTY_CHECK: "县残联审核通过", Stage.DECIDED: "县民政局审定", Stage.PAYING: ""}
    steps: list[tuple[str, dt.date, str]] = []
    day = applied
    for step in STAGES_IN_ORDER:
        steps.append((step, min(day, town.end), notes[step]))
        if step == upto:
            break
        day += dt.timedelta(days=town.rng.randint(2, 7))
    return steps


def subsidies_step(town: DemoTown) -> None:
    """Applications, steps, stops and confirmed monthly payments of the two subsidies."""
    session, rng = town.session, town.rng
    install_defaults(session)
    _exclusions(town)
    book = PolicyBook.load(session)
    end_month = Month.of(town.end)
    whole_year = (town.end.month, town.end.day) == (12, 31)
    last_paid = end_month if whole_year else end_month.previous()  # this month is the clerk's to confirm
    policies = book.policies(end_month)
    pool: list[tuple[DemoPerson, list[tuple[str, int]]]] = []  # qualify for one subsidy or both
    others: list[tuple[DemoPerson, list[tuple[str, int]]]] = []
    decided: dict[tuple[Any, ...], list[tuple[str, int]]] = {}
    for person in town.persons:
        # the rules decide on the facts alone, made from these values alone: each distinct set decided once
        # (a county's 114,000 persons have a few hundred), the facts made only for a new one
        row, household = person.row, person.household
        key = (row["category"], row["grade"], row.get("components", ""), row.get("work_injury_care"),
               row.get("orphan_allowance"), row.get("other_allowance_kind", ""), row.get("other_allowance_fen", 0),
               bool(row.get("certificate_number")), household.dibao_class, household.tekun, household.low_income)
        qualifying = decided.get(key)
        if qualifying is None:
            decisions = el.decide(policies, *_facts(person), end_month)
            qualifying = decided[key] = [(d.programme, d.amount_fen) for d in decisions if d.qualifies]
        (pool if qualifying else others).append((person, list(qualifying)))  # a list of its own
    recipients = _choose(town, pool, last_paid)
    next_id = (session.scalar(select(func.max(SubsidyApplication.id))) or 0) + 1
    recent = last_paid.first_day  # deaths from here on are not stopped yet: this month's review shows them
    apps: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    payments: list[Paid] = []
    versions: dict[str, PolicyRecord | None] = {
        p: book.record(p, end_month) for p in (Programme.LIVING, Programme.NURSING)}
    for recipient in recipients:
        person = recipient.person
        applied = max(_day_in(rng, recipient.start, 1, 10), person.registered)
        stop = Month.of(person.left[1]).next() if person.left else None
        stopped = person.left is not None and person.left[1] < recent
        for programme, fen in recipient.programmes:
            app_id, next_id = next_id, next_id + 1
            flow = _steps(town, applied, Stage.PAYING)
            flow[-1] = (Stage.PAYING, flow[-1][1], f"从{recipient.start.label}起发放")
            stage, reason = Stage.PAYING, ""
            if stopped and stop is not None and person.left is not None:
                reason = DEPARTURE_CAUSES[person.left[0]]
                day = min(person.left[1] + dt.timedelta(days=rng.randint(3, 20)), town.end)
                flow.append((Stage.STOPPED, max(day, flow[-1][1]), f"从{stop.label}起停发：{reason}"))
                stage = Stage.STOPPED
            apps.append({"id": app_id, "person_id": person.id, "programme": programme, "applied_on": applied,
                         "stage": stage, "start_month": recipient.start.first_day,
                         "stop_month": stop.first_day if stage == Stage.STOPPED and stop else None,
                         "stop_reason": reason, "created_at": dt.datetime.combine(applied, dt.time(10, 0))})
            steps += [{"application_id": app_id, "step": step, "date": day, "note": note,
                       "recorded_at": dt.datetime.combine(day, dt.time(15, 0))} for step, day, note in flow]
            first = max(recipient.start, Month(town.year - 4, 1))
            last = min(last_paid, stop.previous() if stop else last_paid)
            version = versions[programme]
            if first <= last:
                payments.append(Paid(person.id, app_id, programme, fen, version.id if version else None, first, last))
    next_id = _pending(town, policies, pool, others, {r.person.id for r in recipients}, next_id, apps, steps)
    with indexes_after(town.session, SubsidyApplication.__table__, ApplicationStep.__table__):
        _insert(town, SubsidyApplication.__table__, apps)
        _insert(town, ApplicationStep.__table__, steps)
    _insert_payments(town, payments)
    year = Month(town.year, 1), Month(town.year, 12)
    in_year = [(p, _months(max(p.first, year[0]), min(p.last, year[1]))) for p in payments]
    year_paid = {p.person_id for p, months in in_year if months}
    year_fen = sum(p.fen * months for p, months in in_year)
    town.counts.extras.append(f"两项补贴{len(year_paid)}人{year_fen // 100}元")


def _months(first: Month, last: Month) -> int:
    """How many months first.until(last) holds, counted instead of listed (a county's 9,000 paid applications
    listed half a million months only to count them)."""
    return max(0, (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1)


@dataclass(frozen=True)
class Paid:
    """One application's confirmed payments: the same amount every month from first to last."""

    person_id: int
    application_id: int
    programme: str
    fen: int
    version_id: int | None
    first: Month
    last: Month


# The months payments fall in and the applications paid, tables of the transaction's own (TEMPORARY on SQLite
# and PostgreSQL alike), outside the register's models: the payment rows are then made by the store from them.
_MONTHS = Table("demo_payment_month", MetaData(), Column("month", Date, primary_key=True), Column("stamp", DateTime),
                prefixes=["TEMPORARY"])
_PAID = Table("demo_paid_application", MetaData(), Column("application_id", Integer, primary_key=True),
              Column("person_id", Integer), Column("programme", String), Column("fen", Integer),
              Column("version_id", Integer), Column("first", Date), Column("last", Date), prefixes=["TEMPORARY"])


def _insert_payments(town: DemoTown, payments: list[Paid]) -> None:
    """A row per application and month, in that order, made by the store in ONE INSERT … SELECT (the paid
    applications joined with the months they cover) instead of one execution per application (55,000 at
    county size) or one row at a time through SQLAlchemy's per-row parameter handling (700,000 rows): each
    row is what a payment confirmed that month holds, stamped the 8th at 09:00. The month index is made
    once after the rows (kept up row by row it was most of the insert's time) inside the same transaction,
    so a failure leaves it as it was."""
    if not payments:
        return
    first, last = min(p.first for p in payments), max(p.last for p in payments)
    connection = town.session.connection()
    _MONTHS.create(connection)
    _PAID.create(connection)
    connection.execute(insert(_MONTHS), [
        {"month": m.first_day, "stamp": dt.datetime.combine(m.first_day + dt.timedelta(days=7), dt.time(9, 0))}
        for m in first.until(last)])
    insert_rows(town.session, _PAID, [
        {"application_id": p.application_id, "person_id": p.person_id, "programme": p.programme, "fen": p.fen,
         "version_id": p.version_id, "first": p.first.first_day, "last": p.last.first_day} for p in payments])
    # applications were numbered in the order of `payments`: ordering by them keeps the rows' ids as before
    rows = (select(_PAID.c.person_id, _PAID.c.application_id, _PAID.c.programme, _MONTHS.c.month, _PAID.c.fen,
                   _PAID.c.version_id, _MONTHS.c.stamp)
            .join(_MONTHS, _MONTHS.c.month.between(_PAID.c.first, _PAID.c.last))
            .order_by(_PAID.c.application_id, _MONTHS.c.month))
    statement = insert(SubsidyPayment.__table__).from_select(
        ["person_id", "application_id", "programme", "month", "amount_fen", "policy_version_id", "created_at"], rows)
    with indexes_after(town.session, SubsidyPayment.__table__):  # its month index made once after the rows
        connection.execute(statement)
    _PAID.drop(connection)
    _MONTHS.drop(connection)


def _pending(town: DemoTown, policies: el.Policies, pool: list[tuple[DemoPerson, list[tuple[str, int]]]],
             others: list[tuple[DemoPerson, list[tuple[str, int]]]], paid: set[int], next_id: int,
             apps: list[dict[str, Any]], steps: list[dict[str, Any]]) -> int:
    """This year's applications still on their way (申请 … 审定) and a few refused: what the tab shows
    in progress. Refusals go to persons the rules do not cover, with the engine's reason."""
    rng = town.rng
    scale = len(town.on_register()) / SEED_TOWN
    waiting = [(p, progs) for p, progs in pool if p.on_register and p.id not in paid]
    recent_month = Month.of(town.end).next(-2)
    for person, programmes in waiting[: max(1, round(8 * scale))]:
        upto = rng.choice(STAGES_IN_ORDER[:-1])
        applied = max(_day_in(rng, recent_month, 1, 25), person.registered)
        programme = programmes[0][0]
        apps.append({"id": next_id, "person_id": person.id, "programme": programme, "applied_on": applied,
                     "stage": upto, "start_month": None, "stop_month": None, "stop_reason": "",
                     "created_at": dt.datetime.combine(applied, dt.time(10, 0))})
        steps += [{"application_id": next_id, "step": s, "date": d, "note": n,
                   "recorded_at": dt.datetime.combine(d, dt.time(15, 0))} for s, d, n in _steps(town, applied, upto)]
        next_id += 1
    refusable = [p for p, _ in others if p.on_register and p.row["grade"] >= 3 and not p.household.tekun]
    for person in refusable[: max(1, round(3 * scale))]:
        applied = max(_day_in(rng, Month.of(town.end).next(-5), 1, 25), person.registered)
        facts, household = _facts(person)
        reason = el.nursing_decision(policies.nursing, facts, household, Month.of(applied)).reason
        refused_on = min(applied + dt.timedelta(days=4), town.end)
        flow = _steps(town, applied, Stage.APPLIED) + [(Stage.REFUSED, refused_on, reason)]
        apps.append({"id": next_id, "person_id": person.id, "programme": Programme.NURSING, "applied_on": applied,
                     "stage": Stage.REFUSED, "start_month": None, "stop_month": None, "stop_reason": "",
                     "created_at": dt.datetime.combine(applied, dt.time(10, 0))})
        steps += [{"application_id": next_id, "step": s, "date": d, "note": n,
                   "recorded_at": dt.datetime.combine(d, dt.time(15, 0))} for s, d, n in flow]
        next_id += 1
    return next_id
