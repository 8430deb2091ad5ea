"""The figures of a period counted again by the tests, in plain SQLAlchemy core over the tables (select,
func.sum, func.count) and small Python loops, never through app.services: what the reports and the summary
print is checked against this. Amounts are integer fen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, select

from app.db.models import (
    Household,
    Person,
    ReliefEntry,
    StatusChange,
    StockMovement,
    SubsidyPayment,
    VisitCampaign,
    VisitLine,
)

person, household, change = Person.__table__, Household.__table__, StatusChange.__table__
payment, entry, movement = SubsidyPayment.__table__, ReliefEntry.__table__, StockMovement.__table__
campaign, line = VisitCampaign.__table__, VisitLine.__table__
CATEGORIES = {1: "视力", 2: "听力", 3: "言语", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date


def on_register(conn: Connection, day: dt.date) -> set[int]:
    """Persons whose latest status change on or before `day` (by date, then entry order) is 在册."""
    latest: dict[int, tuple[dt.date, int, str]] = {}
    for pid, cid, when, status in conn.execute(
            select(change.c.person_id, change.c.id, change.c.date, change.c.status).where(change.c.date <= day)):
        if pid not in latest or (when, cid) > latest[pid][:2]:
            latest[pid] = (when, cid, status)
    return {pid for pid, (_, _, status) in latest.items() if status == "在册"}


def register(conn: Connection, day: dt.date) -> dict[str, Any]:
    ids = on_register(conn, day)
    rows = conn.execute(select(person.c.id, person.c.category, person.c.labor_ability, person.c.medical_insurance,
                               household.c.dibao).outerjoin(household, household.c.id == person.c.household_id)).all()
    chosen = [r for r in rows if r.id in ids]
    by_category = {name: 0 for name in CATEGORIES.values()}
    for r in chosen:
        by_category[CATEGORIES[r.category]] += 1
    return {
        "registered": len(chosen), "by_category": by_category,
        "labor_capable": sum(r.labor_ability == "有" for r in chosen),
        "dibao_persons": sum(bool(r.dibao) for r in chosen),
        "medical_insurance_persons": sum(bool(r.medical_insurance) for r in chosen),
    }


def movements(conn: Connection, span: Span) -> dict[str, int]:
    first = dict(conn.execute(select(change.c.person_id, func.min(change.c.date))
                              .where(change.c.status == "在册").group_by(change.c.person_id)).all())

    def persons_with(status: str) -> int:
        return conn.scalar(select(func.count(func.distinct(change.c.person_id))).where(
            change.c.status == status, change.c.date.between(span.start, span.end))) or 0

    return {"new_registrations": sum(span.start <= d <= span.end for d in first.values()),
            "deaths": persons_with("死亡"), "moved_out": persons_with("迁出")}


def subsidies(conn: Connection, span: Span) -> dict[str, Any]:
    rows = conn.execute(select(payment.c.person_id, payment.c.programme, payment.c.month, payment.c.amount_fen)
                        .where(payment.c.month.between(span.start, span.end))).all()
    return {
        "living_subsidy_persons": len({r.person_id for r in rows if r.programme == "living"}),
        "nursing_subsidy_persons": len({r.person_id for r in rows if r.programme == "nursing"}),
        "two_subsidies_persons": len({r.person_id for r in rows}),
        "two_subsidies_fen": sum(r.amount_fen for r in rows),
        "months": sorted({r.month for r in rows}),
        "living_fen": sum(r.amount_fen for r in rows if r.programme == "living"),
        "nursing_fen": sum(r.amount_fen for r in rows if r.programme == "nursing"),
    }


def ledger(conn: Connection, span: Span, kind: str) -> dict[str, int]:
    """Entries of a kind in the period, cancelled ones left out: persons, households, fen."""
    stmt = (select(func.count(func.distinct(entry.c.person_id)),
                   func.count(func.distinct(func.coalesce(entry.c.household_id, person.c.household_id))),
                   func.coalesce(func.sum(entry.c.amount_fen), 0))
            .select_from(entry.outerjoin(person, person.c.id == entry.c.person_id))
            .where(entry.c.kind == kind, entry.c.cancelled.is_(False), entry.c.date.between(span.start, span.end)))
    persons, households, fen = conn.execute(stmt).one()
    return {"persons": persons, "households": households, "fen": int(fen)}


def visits(conn: Connection, span: Span) -> dict[str, int]:
    """Households given something (已慰问) in campaigns dated in the period, and what they were given."""
    stmt = (select(func.count(func.distinct(line.c.household_id)),
                   func.coalesce(func.sum(func.coalesce(line.c.given_fen, line.c.amount_fen)), 0))
            .select_from(line.join(campaign, campaign.c.id == line.c.campaign_id))
            .where(line.c.outcome == "已慰问", line.c.included.is_(True),
                   campaign.c.date.between(span.start, span.end)))
    households, fen = conn.execute(stmt).one()
    return {"households": households, "fen": int(fen)}


def campaign_given(conn: Connection, name: str) -> tuple[int, int]:
    """(households, fen) given in one campaign."""
    given = func.coalesce(line.c.given_fen, line.c.amount_fen)
    stmt = (select(func.count(line.c.id), func.coalesce(func.sum(given), 0))
            .select_from(line.join(campaign, campaign.c.id == line.c.campaign_id))
            .where(campaign.c.name == name, line.c.outcome == "已慰问", line.c.included.is_(True)))
    households, fen = conn.execute(stmt).one()
    return households, int(fen)


def equipment(conn: Connection, span: Span) -> dict[str, int]:
    stmt = select(func.coalesce(func.sum(movement.c.quantity), 0), func.count(func.distinct(movement.c.person_id)),
                  func.count()).where(movement.c.kind == "发放", movement.c.date.between(span.start, span.end))
    items, persons, rows = conn.execute(stmt).one()
    return {"items": int(items), "persons": persons, "rows": rows}


def month_paid(conn: Connection, month: dt.date) -> tuple[int, int]:
    """(lines, fen) of one month's payments."""
    return tuple(conn.execute(select(func.count(), func.coalesce(func.sum(payment.c.amount_fen), 0))
                              .where(payment.c.month == month)).one())  # type: ignore[return-value]


def figures(conn: Connection, span: Span) -> dict[str, Any]:
    """Every figure the summary's JSON has, counted here: amounts as yuan strings like the JSON's."""
    out: dict[str, Any] = {**register(conn, span.end), **movements(conn, span)}
    paid = subsidies(conn, span)
    out.update({k: paid[k] for k in ("living_subsidy_persons", "nursing_subsidy_persons", "two_subsidies_persons")})
    out["two_subsidies_amount"] = yuan(paid["two_subsidies_fen"])
    for key, kind in (("temporary_relief", "临时救助"), ("medical_aid", "医疗救助"), ("education_subsidy", "教育补助"),
                      ("medicine_subsidy", "精神残疾药物补助")):
        found = ledger(conn, span, kind)
        out[key] = {"persons": found["persons"], "amount": yuan(found["fen"])}
    housing = ledger(conn, span, "危房改造")
    out["housing_renovation"] = {"households": housing["households"], "amount": yuan(housing["fen"])}
    out["rehab_training_persons"] = ledger(conn, span, "康复训练")["persons"]
    given = visits(conn, span)
    out["visits"] = {"households": given["households"], "amount": yuan(given["fen"])}
    issued = equipment(conn, span)
    out["equipment_issued"] = {"items": issued["items"], "persons": issued["persons"]}
    return out


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def first_record_days(conn: Connection, span: Span, kind: str) -> dict[int, dt.date]:
    """Each person's first (not cancelled) entry of a kind in the period."""
    return dict(conn.execute(select(entry.c.person_id, func.min(entry.c.date)).where(
        entry.c.kind == kind, entry.c.cancelled.is_(False), entry.c.date.between(span.start, span.end),
        entry.c.person_id.is_not(None)).group_by(entry.c.person_id)).all())


def persons_by_id(conn: Connection, ids: set[int]) -> dict[int, Any]:
    return {r.id: r for r in conn.execute(select(person).where(person.c.id.in_(ids)))} if ids else {}


def given_lines(conn: Connection, span: Span) -> list[Any]:
    """Visited lines of campaigns dated in the period, with their campaign's festival."""
    return list(conn.execute(select(line.c.reason, line.c.given_goods, campaign.c.festival)
                             .select_from(line.join(campaign, campaign.c.id == line.c.campaign_id))
                             .where(line.c.outcome == "已慰问", line.c.included.is_(True),
                                    campaign.c.date.between(span.start, span.end))))


def devices_by_kind(conn: Connection, span: Span) -> dict[str, int]:
    from app.db.models import DeviceType

    kind = DeviceType.__table__
    rows = conn.execute(select(kind.c.name, func.sum(movement.c.quantity))
                        .select_from(movement.join(kind, kind.c.id == movement.c.device_type_id))
                        .where(movement.c.kind == "发放", movement.c.date.between(span.start, span.end))
                        .group_by(kind.c.name))
    return {name: int(n) for name, n in rows}


def years_with(conn: Connection, table: str, years: range, cut: dt.date) -> set[int]:
    """The years (up to `cut`) with at least one record of a kind: ledger, campaigns or stock."""
    column = {"ledger": (entry.c.date, entry.c.cancelled.is_(False)), "campaigns": (campaign.c.date, None),
              "stock": (movement.c.date, None)}[table]
    day, extra = column
    found = set()
    for year in years:
        where = [day.between(dt.date(year, 1, 1), min(dt.date(year, 12, 31), cut))]
        if extra is not None:
            where.append(extra)
        if conn.scalar(select(func.count()).where(and_(*where))):
            found.add(year)
    return found


def per_year(conn: Connection, years: range, cut: dt.date, count: Any) -> list[int]:
    """A figure year by year (the last year cut at `cut`), for the averages a five-year sentence gives."""
    return [count(Span(dt.date(y, 1, 1), min(dt.date(y, 12, 31), cut))) for y in years]


