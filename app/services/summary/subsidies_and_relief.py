"""The summary's figures for the two subsidies and the relief ledger (CLI.md keys), from the recorded
payments (SubsidyPayment rows: a month counts once confirmed) and ledger entries in the period.
Persons are counted once over the period: with --since, a person paid in each of five years is one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.db.models import SubsidyPayment
from app.domain.money import yuan_plain
from app.domain.words import Programme, ReliefKind
from app.services.subsidies import relief_ledger
from app.services.subsidies.overpayment_ledger import overpayment_figures

if TYPE_CHECKING:  # summary imports this module to register its sources
    from app.services.summary.figures import Period

_PER_PERSON = {"temporary_relief": ReliefKind.TEMPORARY, "medical_aid": ReliefKind.MEDICAL,
               "education_subsidy": ReliefKind.EDUCATION, "medicine_subsidy": ReliefKind.MEDICINE}


def paid_months(session: Session, start: dt.date, end: dt.date) -> list[dt.date]:
    """The months from start to end that were confirmed (确认发放 writes the month's payments), as first days."""
    stmt = (select(SubsidyPayment.month).where(SubsidyPayment.month.between(start, end))
            .group_by(SubsidyPayment.month).order_by(SubsidyPayment.month))
    return list(session.scalars(stmt))


def subsidy_figures(session: Session, period: Period, months: Sequence[dt.date] | None = None) -> dict[str, Any]:
    """Persons paid each subsidy, either, and the amount paid under both, in the period: one pass. With
    `months` (first days), only those months: the same months of an earlier year, to compare like for like."""
    return subsidies_with_amounts(session, period, months)[0]


def subsidies_with_amounts(session: Session, period: Period,
                           months: Sequence[dt.date] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """subsidy_figures and programme_amounts of the same months in one pass over the payments: the yearly
    summary needs both for every period, and at 100,000 persons each pass reads some 100,000 payments a year."""

    def persons(programme: str) -> Any:
        return func.count(func.distinct(case((SubsidyPayment.programme == programme, SubsidyPayment.person_id))))

    def paid(programme: str) -> Any:
        return func.coalesce(func.sum(case((SubsidyPayment.programme == programme, SubsidyPayment.amount_fen),
                                           else_=0)), 0)

    when = (SubsidyPayment.month.between(period.start, period.end) if months is None
            else SubsidyPayment.month.in_(list(months)))
    stmt = select(persons(Programme.LIVING), persons(Programme.NURSING),
                  func.count(func.distinct(SubsidyPayment.person_id)),
                  func.coalesce(func.sum(SubsidyPayment.amount_fen), 0),
                  paid(Programme.LIVING), paid(Programme.NURSING)).where(when)
    living, nursing, either, fen, living_fen, nursing_fen = session.execute(stmt).one()
    return {
        "living_subsidy_persons": living,
        "nursing_subsidy_persons": nursing,
        "two_subsidies_persons": either,
        "two_subsidies_amount": yuan_plain(fen),
    }, {Programme.LIVING: yuan_plain(int(living_fen)), Programme.NURSING: yuan_plain(int(nursing_fen))}


def relief_figures(session: Session, period: Period) -> dict[str, Any]:
    """The ledger's kinds: persons (households for 危房改造) and amounts; 康复训练 counts persons."""
    found = relief_ledger.totals(session, period.start, period.end)
    out: dict[str, Any] = {
        key: {"persons": found[kind].persons, "amount": yuan_plain(found[kind].amount_fen)}
        for key, kind in _PER_PERSON.items()
    }
    housing = found[ReliefKind.HOUSING]
    out["housing_renovation"] = {"households": housing.households, "amount": yuan_plain(housing.amount_fen)}
    out["rehab_training_persons"] = found[ReliefKind.REHABILITATION].persons
    return out


def overpayments_figures(session: Session, period: Period) -> dict[str, Any]:
    """应追回 (a key added to the contract's): persons and amount raised in the period, recovered and
    written off in it, and what was still owed at its end."""
    found = overpayment_figures(session, period.start, period.end)
    return {"overpayments": {
        "persons": found["persons"], "amount": yuan_plain(found["amount_fen"]),
        "recovered": yuan_plain(found["recovered_fen"]),
        "written_off": yuan_plain(found["written_off_fen"]),
        "outstanding": yuan_plain(found["outstanding_fen"]),
    }}


def programme_amounts(session: Session, start: dt.date, end: dt.date,
                      months: Sequence[dt.date] | None = None) -> dict[str, str]:
    """Yuan paid under each of the two subsidies for the months from start to end (or only `months`): the
    yearly summary's spending chart and its per-programme lines."""
    when = SubsidyPayment.month.between(start, end) if months is None else SubsidyPayment.month.in_(list(months))
    stmt = (
        select(SubsidyPayment.programme, func.coalesce(func.sum(SubsidyPayment.amount_fen), 0))
        .where(when)
        .group_by(SubsidyPayment.programme)
    )
    paid: dict[str, int] = {Programme.LIVING: 0, Programme.NURSING: 0}
    for programme, fen in session.execute(stmt):
        if programme in paid:
            paid[programme] += int(fen)
    return {k: yuan_plain(v) for k, v in paid.items()}
