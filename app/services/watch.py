"""What other clerks changed: the window asks every few seconds for the audit log's last row number (one
look at its primary key, as cheap on PostgreSQL as on SQLite) and, when rows came that its own writes do
not account for, which parts of the data they touched, so that only those screens read again.

Every write leaves audit rows (app/db/audit.py), so the audit log is the one marker of every change."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import AuditEntry
from app.services.actions import Changes, query

# Which part of the data each audited table belongs to (Changes names what each screen follows).
TABLE_CHANGES: dict[str, Changes] = {
    **dict.fromkeys(("person", "household", "status_change", "village", "village_group"), Changes.REGISTER),
    **dict.fromkeys(("subsidy_application", "application_step", "subsidy_payment", "policy_version", "overpayment",
                     "overpayment_entry", "relief_entry"), Changes.SUBSIDIES),
    **dict.fromkeys(("visit_campaign", "visit_line"), Changes.VISITS),
    **dict.fromkeys(("device_type", "device_receipt", "stock_movement"), Changes.DEVICES),
    "setting": Changes.SETTINGS,
}


@query
def last_audit_row(session: Session) -> int:
    """The number of the audit log's last row (0 for an empty log)."""
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


@query
def changed_since(session: Session, after: int) -> Changes:
    """The parts of the data the audit rows after row `after` changed (ALL for a table not known here)."""
    changes = Changes.NOTHING
    for entity in session.scalars(select(AuditEntry.entity).where(AuditEntry.id > after).distinct()):
        changes |= TABLE_CHANGES.get(entity, Changes.ALL)
    return changes
