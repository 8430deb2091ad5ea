"""A person's history (变更记录): every status change with its date and reason, every change of a field (from
the audit rows) and every festival visit, newest first, in the clerk's words: 2025-03-02 修改联系电话
由 139… 改为 138…"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import StatusChange, Village, VillageGroup
from app.domain.disability import category_label, grade_label
from app.domain.register_rules import FIELD_LABELS, REGISTERED_BEFORE_RECORDS
from app.services.actions import query
from app.services.register.people import audit_trail, get_person
from app.services.visits.history import visits_of_person

# Fields that are not on the form, named as the clerk would say them.
EXTRA_LABELS = {
    "village_id": "村", "group_id": "组", "household_id": "所在户", "status": "状态", "status_date": "状态日期",
    "birth_date": "出生日期",
}
HIDDEN_FIELDS = {"status", "status_date"}  # shown by the status rows, with their reason


@dataclass(frozen=True)
class HistoryLine:
    """One line of the history: when (a day, or a day and time), what (状态变更, 修改联系电话 …), detail."""

    when: str
    what: str
    detail: str


def _value_text(field: str, value: str | None, names: dict[str, dict[str, str]]) -> str:
    if value in (None, ""):
        return "（空）"
    if field == "category":
        return category_label(int(value))
    if field == "grade":
        return grade_label(int(value))
    if field == "components":
        return "、".join(category_label(int(c)) for c in value.split(",") if c)
    if field in names:
        return names[field].get(value, value)
    if field == "household_id":
        return f"第{value}户"
    return value


def _place_names(session: Session) -> dict[str, dict[str, str]]:
    """Village and group ids as their names, for the audit rows that hold ids."""
    return {
        "village_id": {str(i): name for i, name in session.execute(select(Village.id, Village.name))},
        "group_id": {str(i): name for i, name in session.execute(select(VillageGroup.id, VillageGroup.name))},
    }


@query
def person_history(session: Session, person_id: int) -> tuple[HistoryLine, ...]:
    """The history of one person, newest first (NotFound if they are not on file)."""
    get_person(session, person_id)
    entries: list[tuple[dt.datetime, int, HistoryLine]] = []
    names = _place_names(session)
    changes = session.scalars(select(StatusChange).where(StatusChange.person_id == person_id)
                              .order_by(StatusChange.date, StatusChange.id))
    for change in changes:
        detail = change.status + (f"：{change.reason}" if change.reason else "")
        when = dt.datetime.combine(change.date, dt.time())
        shown = "不详" if change.date == REGISTERED_BEFORE_RECORDS else change.date.isoformat()
        entries.append((change.recorded_at or when, 1, HistoryLine(shown, "状态变更", detail)))
    for entry in audit_trail(session, person_id):
        at = entry.at.strftime("%Y-%m-%d %H:%M")
        if entry.action == "新增":
            entries.append((entry.at, 0, HistoryLine(at, "新登记", "登记入册")))
            continue
        if entry.field in HIDDEN_FIELDS:
            continue
        label = FIELD_LABELS.get(entry.field) or EXTRA_LABELS.get(entry.field, entry.field)
        old = _value_text(entry.field, entry.old_value, names)
        new = _value_text(entry.field, entry.new_value, names)
        entries.append((entry.at, 2, HistoryLine(at, f"修改{label}", f"由 {old} 改为 {new}")))
    for visit in visits_of_person(session, person_id):
        detail = f"{visit.campaign}：{visit.outcome}" + (f"，{visit.given}" if visit.given else "")
        day = dt.datetime.combine(visit.day, dt.time())
        entries.append((day, 1, HistoryLine(visit.day.isoformat(), "节日慰问", detail)))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return tuple(e[2] for e in entries)
