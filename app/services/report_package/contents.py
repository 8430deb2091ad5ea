"""What a 上报包 carries: the town's register as it stood on a day, one JSON part per kind of record, and the
town's own yearly summaries to that day. Rows name each other by their numbers in the town's register
(person, household), so the county keeps them apart by town and knows a row again in the next package.

Bank account numbers go only when the county asked for them (the setting report_package.bank_accounts):
a stick carries the least it must."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    DeviceType,
    Household,
    Person,
    StatusChange,
    StockMovement,
    SubsidyPayment,
    Village,
    VisitCampaign,
    VisitLine,
)
from app.domain.words import Movement
from app.services.settings import get_setting
from app.services.summary.figures import summarise

BANK_ACCOUNTS = "report_package.bank_accounts"  # "是": the county asks for the payees' bank accounts
SUMMARY_YEARS = 5  # the town's own summaries carried: the year of the date and the four before it


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _latest_status(session: Session, as_of: dt.date) -> dict[int, tuple[str, dt.date]]:
    """Each person's status on as_of and since when: their latest change dated on or before it."""
    stmt = (select(StatusChange.person_id, StatusChange.status, StatusChange.date)
            .where(StatusChange.date <= as_of).order_by(StatusChange.date, StatusChange.id))
    return {person_id: (status, date) for person_id, status, date in session.execute(stmt)}


def persons(session: Session, as_of: dt.date, *, with_bank: bool) -> list[dict[str, Any]]:
    """Everyone registered by as_of (those registered later are not yet on that day's register)."""
    status = _latest_status(session, as_of)
    villages = dict(session.execute(select(Village.id, Village.name)).all())
    rows = []
    for p in session.scalars(select(Person).order_by(Person.id)):
        if p.id not in status:
            continue
        row = {"id": p.id, "name": p.name, "id_number": p.id_number, "certificate_number": p.certificate_number or "",
               "sex": p.sex, "birth_date": _day(p.birth_date), "category": p.category, "grade": p.grade,
               "village": villages.get(p.village_id or 0, ""), "address": p.address, "phone": p.phone,
               "household": p.household_id, "labor_ability": p.labor_ability,
               "medical_insurance": p.medical_insurance, "status": status[p.id][0],
               "status_date": _day(status[p.id][1])}
        if with_bank:
            row["bank_account"] = p.bank_account
        rows.append(row)
    return rows


def households(session: Session) -> list[dict[str, Any]]:
    villages = dict(session.execute(select(Village.id, Village.name)).all())
    heads = dict(session.execute(select(Person.id, Person.id_number)).all())
    return [{"id": h.id, "village": villages.get(h.village_id or 0, ""), "address": h.address,
             "head_id_number": heads.get(h.head_person_id or 0, ""), "dibao": h.dibao, "tekun": h.tekun}
            for h in session.scalars(select(Household).order_by(Household.id))]


def status_changes(session: Session, as_of: dt.date) -> list[dict[str, Any]]:
    stmt = select(StatusChange).where(StatusChange.date <= as_of).order_by(StatusChange.id)
    return [{"id": c.id, "person": c.person_id, "status": c.status, "date": _day(c.date), "reason": c.reason}
            for c in session.scalars(stmt)]


def payments(session: Session, as_of: dt.date) -> list[dict[str, Any]]:
    stmt = (select(SubsidyPayment.id, SubsidyPayment.person_id, SubsidyPayment.programme, SubsidyPayment.month,
                   SubsidyPayment.amount_fen).where(SubsidyPayment.month <= as_of).order_by(SubsidyPayment.id))
    return [{"id": i, "person": person, "programme": programme, "month": _day(month), "amount_fen": fen}
            for i, person, programme, month, fen in session.execute(stmt)]


def devices_issued(session: Session, as_of: dt.date) -> list[dict[str, Any]]:
    stmt = (select(StockMovement.id, StockMovement.person_id, StockMovement.date, DeviceType.name,
                   StockMovement.quantity)
            .join(DeviceType, DeviceType.id == StockMovement.device_type_id)
            .where(StockMovement.kind == Movement.ISSUED, StockMovement.date <= as_of).order_by(StockMovement.id))
    return [{"id": i, "person": person, "date": _day(date), "device": name, "quantity": quantity}
            for i, person, date, name, quantity in session.execute(stmt)]


def visits(session: Session, as_of: dt.date) -> list[dict[str, Any]]:
    """The lines of the festival campaigns held by as_of that were in the campaign (not removed)."""
    stmt = (select(VisitLine.id, VisitLine.household_id, VisitLine.person_ids, VisitCampaign.name,
                   VisitCampaign.date, VisitLine.amount_fen, VisitLine.given_fen, VisitLine.outcome)
            .join(VisitCampaign, VisitCampaign.id == VisitLine.campaign_id)
            .where(VisitCampaign.date <= as_of, VisitLine.included.is_(True)).order_by(VisitLine.id))
    return [{"id": i, "household": household, "persons": person_ids, "campaign": campaign, "date": _day(date),
             "amount_fen": given if given is not None else amount, "outcome": outcome}
            for i, household, person_ids, campaign, date, amount, given, outcome in session.execute(stmt)]


def summaries(session: Session, as_of: dt.date) -> dict[str, Any]:
    """The town's own yearly figures (app.services.summary.figures), the year of as_of up to that day:
    the county's figures are their sum, and the county checks its rows against them."""
    out: dict[str, Any] = {}
    for year in range(as_of.year - SUMMARY_YEARS + 1, as_of.year + 1):
        until = as_of if year == as_of.year else None
        out[str(year)] = summarise(session, year=year, until=until)
    return out


def parts(session: Session, as_of: dt.date) -> Iterator[tuple[str, Any]]:
    """Every part of the package but the unit's identity and the manifest: (file name, JSON value)."""
    with_bank = get_setting(session, BANK_ACCOUNTS) == "是"
    yield "persons.json", persons(session, as_of, with_bank=with_bank)
    yield "households.json", households(session)
    yield "status_changes.json", status_changes(session, as_of)
    yield "payments.json", payments(session, as_of)
    yield "devices_issued.json", devices_issued(session, as_of)
    yield "visits.json", visits(session, as_of)
    yield "summaries.json", summaries(session, as_of)
