"""What the clerk is told after an action on a person, in one line: what happened and where the record now
is (已登记张三；在列表中已选中 / 已将张三记为2026-11-20死亡；不再显示在“在册”列表中，选“全部状态”可见).
The window shows it in its status bar; the sentences live here, beside the actions they follow."""

from __future__ import annotations

import datetime as dt

from app.domain.words import PersonStatus, status_text

ALL_STATUSES = "全部状态"  # the register list's status choice that shows everyone


def saved(name: str, outcome: str) -> str:
    """After the form was saved: outcome is SavedPerson.outcome ("imported" for a new person)."""
    if outcome == "imported":
        return f"已登记{name}"
    if outcome == "unchanged":
        return f"{name}的登记表没有改动"
    return f"已保存{name}的登记表"


def status_recorded(name: str, status: str, on: dt.date) -> str:
    """After 状态变更: 已将张三记为2026-11-20死亡, or 已将张三恢复在册（2026-11-20）."""
    if status == PersonStatus.ON_REGISTER:
        return f"已将{name}恢复在册（{on.isoformat()}）"
    return f"已将{name}记为{status_text(status, on)}"


def where_now(status: str, shown: bool, listed_status: str | None) -> str:
    """Where the person is now, as the register's list shows it: selected in the list, or why not in it
    (listed_status is the status the list is limited to, None for 全部状态)."""
    if shown:
        return "在列表中已选中"
    if listed_status is not None and status != listed_status:
        return f"不再显示在“{listed_status}”列表中，选“{ALL_STATUSES}”可见"
    return "不符合当前的查找条件，点“清除条件”可见"


def line(*parts: str) -> str:
    """The parts said as one sentence: 已登记张三；在列表中已选中。"""
    return "；".join(part for part in parts if part) + "。"
