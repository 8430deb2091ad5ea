"""Two clerks on one record: a form remembers the version of the person (or household) it was opened on,
and saving it over another clerk's save is refused with who saved, when and what, in one sentence.

The check has two halves. Here, the version the form was opened on is compared with the stored one, so
the refusal can name the other clerk from the audit rows. In the database, SQLAlchemy's version counter
(version_id_col on Person and Household) makes every UPDATE say ``WHERE version = <the one read>``: two
saves racing past this check at the same moment cannot both land; the loser's UPDATE matches no row
(StaleDataError), the road runs the action again, and that try is refused here with the sentence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import AuditEntry, Household, Person
from app.domain.dates import moment_text
from app.domain.register_rules import FIELD_LABELS
from app.errors import ChangedMeanwhile

# Fields saved by other screens than the form, as the clerk calls them.
_LABELS = {
    **FIELD_LABELS, "village_id": "村", "group_id": "组", "household_id": "所在户", "status": "状态",
    "status_date": "状态日期", "birth_date": "出生日期", "tekun": "特困供养", "low_income": "低收入",
    "dibao_ended": "低保停止日期", "head_person_id": "户主",
}


def last_change(session: Session, entity: str, entity_id: int) -> tuple[str, dt.datetime, list[str]] | None:
    """Who last changed the record, when, and the fields of that save (in the clerk's words)."""
    last = session.execute(
        select(AuditEntry.actor, AuditEntry.at)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if last is None:
        return None
    actor, at = last
    fields = session.scalars(
        select(AuditEntry.field)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id, AuditEntry.actor == actor,
               AuditEntry.at == at, AuditEntry.action == "修改")
        .order_by(AuditEntry.id)
    )
    labels = list(dict.fromkeys(_LABELS.get(field, "") for field in fields))
    return actor, at, [label for label in labels if label]


def check_unchanged(session: Session, record: Person | Household, opened_on: int | None, whose: str) -> None:
    """Refuse (ChangedMeanwhile) a save of a form opened on version opened_on when the record has been
    saved since; whose names the record in the sentence (张三的资料, 张三的户信息). None: no form to compare
    (a new record, the command line)."""
    if opened_on is None or record.version == opened_on:
        return
    found = last_change(session, type(record).__tablename__, record.id)
    if found is None:
        who = "另一位工作人员刚刚"
    else:
        actor, at, fields = found
        detail = f"（{'、'.join(fields)}）" if fields else ""
        who = f"{actor}已于{moment_text(at)}"
        whose = f"{whose}{detail}"
    raise ChangedMeanwhile(f"{who}修改了{whose}，您的修改未保存：请核对后重新保存。", version=record.version)
