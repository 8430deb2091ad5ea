"""Which kinds of record a period holds at all, so that a comparison with it can say "无记录" instead of 0.

A town that started keeping its books in this program in 2022 has no payments, ledger entries, campaigns
or stock movements dated in 2017-2021, and no deaths or moves recorded then: its summary for those years
reads 0 everywhere, and "死亡 +34" against it would be a false statement in a work report. The yearly
report asks here, per source of figures, whether the earlier period has any record of that kind; where
it has none, it prints "—" instead of comparing. A zero from a source that does have records in the
period (a year with payments but nobody on relief) is a true zero and is compared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.db.models import (
    Overpayment,
    Person,
    ReliefEntry,
    StatusChange,
    StockMovement,
    SubsidyPayment,
    VisitCampaign,
)
from app.domain.words import OFF_REGISTER, OverpaymentState, PersonStatus
from app.services.register.status_changes import status_at

if TYPE_CHECKING:
    from app.services.summary.figures import Period

REGISTER = "register"  # anybody on the register at the end of the period
REGISTRATIONS = "registrations"  # a 在册 change dated in the period
DEPARTURES = "departures"  # a death, move out or cancellation dated in the period
PAYMENTS = "payments"  # a subsidy payment for a month in the period
LEDGER = "ledger"  # a relief-ledger entry (temporary relief, medical aid, education, medicine, housing, rehabilitation)
CAMPAIGNS = "campaigns"  # a festival visit campaign dated in the period
STOCK = "stock"  # a device received, issued, returned or written off in the period
OVERPAYMENTS = "overpayments"  # an overpayment (应追回) recorded by the end of the period: its sums are true zeros


def recorded_sources(session: Session, period: Period) -> frozenset[str]:
    """The kinds of record (the names above) the period has at least one of: one EXISTS query each."""
    start, end = period.start, period.end
    checks = {
        REGISTER: select(Person.id).where(status_at(end) == PersonStatus.ON_REGISTER),
        REGISTRATIONS: select(StatusChange.id).where(StatusChange.status == PersonStatus.ON_REGISTER,
                                                     StatusChange.date.between(start, end)),
        DEPARTURES: select(StatusChange.id).where(StatusChange.status.in_(OFF_REGISTER),
                                                  StatusChange.date.between(start, end)),
        PAYMENTS: select(SubsidyPayment.id).where(SubsidyPayment.month.between(start, end)),
        LEDGER: select(ReliefEntry.id).where(ReliefEntry.cancelled.is_(False), ReliefEntry.date.between(start, end)),
        CAMPAIGNS: select(VisitCampaign.id).where(VisitCampaign.date.between(start, end)),
        STOCK: select(StockMovement.id).where(StockMovement.date.between(start, end)),
        OVERPAYMENTS: select(Overpayment.id).where(Overpayment.state != OverpaymentState.CANCELLED,
                                                   Overpayment.raised_on <= end),
    }
    return frozenset(name for name, stmt in checks.items() if session.scalar(select(exists(stmt))))
