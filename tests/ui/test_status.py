"""Status changes from the window end up in the person's history, with the field changes beside them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from app.db.engine import Database
from app.domain.months import Month
from app.services.register import people
from tests.factories import add_person, make_id
from tests.ui.clerk import choose, click, tick, type_into
from ui.register.history import HistoryView
from ui.register.household import HouseholdDialog
from ui.register.status_dialog import StatusDialog
from ui.road import Road


@pytest.fixture
def road(db: Database) -> Road:
    return Road(db)


def test_moving_out_shows_in_history(db: Database, road: Road, qtbot) -> None:
    with db.transaction() as s:
        pid = add_person(s, "张三", phone="13900000000").id
    with db.transaction() as s:
        people.save_checked(s, {"name": "张三", "id_number": people.get_person(s, pid).id_number,
                                  "category": "肢体", "grade": "一级", "phone": "13811112222"})
    dialog = StatusDialog(road, pid)
    qtbot.addWidget(dialog)
    assert [dialog.status_box.itemData(i) for i in range(dialog.status_box.count())] == ["迁出", "死亡", "注销"]
    assert dialog.date_edit.maximumDate() == QDate.currentDate()
    type_into(qtbot, dialog, "reason", "迁往县城")
    click(qtbot, dialog, "ok")
    assert dialog.result() == QDialog.DialogCode.Accepted
    again = StatusDialog(road, pid)
    qtbot.addWidget(again)
    assert [again.status_box.itemText(i) for i in range(again.status_box.count())] == ["恢复在册"]

    history = HistoryView(road, pid)
    qtbot.addWidget(history)
    rows = history.rows()
    assert (dt.date.today().isoformat(), "状态变更", "迁出：迁往县城") in rows
    assert any(r[1] == "修改残疾等级" and r[2] == "由 二级 改为 一级" for r in rows)
    assert any(r[1] == "修改联系电话" and "13811112222" in r[2] for r in rows)
    assert history.table.rowCount() == len(rows)
    assert not any("True" in r[2] or "None" in r[2] for r in rows)


def test_a_date_before_the_last_change_is_refused_in_the_dialog(db: Database, road: Road, qtbot) -> None:
    with db.transaction() as s:
        pid = add_person(s).id
    dialog = StatusDialog(road, pid)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(QDate.currentDate().addYears(-30))
    click(qtbot, dialog, "ok")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "早于上一次状态变更" in dialog.message.text() and not dialog.message.isHidden()


def test_household_support_and_moving(db: Database, road: Road, qtbot) -> None:
    with db.transaction() as s:
        a = add_person(s, "张三").id
        b = add_person(s, "张小三", id_number=make_id("20050101", "123")).id
    dialog = HouseholdDialog(road, b)
    qtbot.addWidget(dialog)
    tick(qtbot, dialog, "dibao")
    choose(qtbot, dialog, "dibao_class", "一类")
    click(qtbot, dialog, "save_hardship")
    assert dialog.message.text() == "已保存户的情况。"
    type_into(qtbot, dialog, "find_household", "张三")
    assert dialog.found.count() == 1
    dialog.found.setCurrentRow(0)
    click(qtbot, dialog, "join_household")
    assert dialog.message.text() == "已将张小三并入张三所在的户。"
    assert dialog.members.rowCount() == 2
    assert "户主 张三" in dialog.head_label.text()
    with db.session() as s:
        assert people.get_person(s, b).household_id == people.get_person(s, a).household_id


def _paid_through_november(db: Database, **fields: object) -> int:
    """张三 paid the nursing subsidy (and the living one when in 低保) from January 2025, November confirmed."""
    from app.domain.months import Month
    from app.services.subsidies import payments
    from tests.services.subsidies.builders import paying, person

    with db.transaction() as s:
        zhang = person(s, "张三", 1, **fields)  # type: ignore[arg-type]
        paying(s, zhang.id, "nursing", Month(2025, 1))
        if zhang.household is not None and zhang.household.dibao:
            paying(s, zhang.id, "living", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        return zhang.id


def _owed(db: Database) -> list[tuple[str, int, str]]:
    from sqlalchemy import select

    from app.db.models import Overpayment

    with db.session() as s:
        return [(o.programme, o.amount_fen, o.state) for o in s.scalars(select(Overpayment).order_by(Overpayment.id))]


def test_a_late_death_says_what_is_to_be_recovered_before_saving(db: Database, road: Road, qtbot) -> None:
    pid = _paid_through_november(db)
    dialog = StatusDialog(road, pid)
    qtbot.addWidget(dialog)
    next_month = Month.of(dt.date.today()).next()  # 迁出 today, as the dialog opens: nothing paid after it
    assert dialog.notice.text() == f"此人正在享受重度残疾人护理补贴；从{next_month.label}起停发。"
    choose(qtbot, dialog, "new_status", "死亡")
    dialog.date_edit.setDate(QDate(2025, 8, 15))
    assert dialog.notice.text() == "此人正在享受重度残疾人护理补贴；2025年9月至11月已发放300.00元，应追回。"
    assert not dialog.notice.isHidden() and _owed(db) == []  # said before saving; nothing written yet
    type_into(qtbot, dialog, "reason", "病故")
    click(qtbot, dialog, "ok")
    assert _owed(db) == [("nursing", 30000, "应追回")]
    undo = StatusDialog(road, pid)
    qtbot.addWidget(undo)
    assert undo.notice.text() == ("恢复在册后，因2025-08-15死亡记下的应追回款（护理补贴2025年9月至11月300.00元）"
                                  "将撤销，不再追回。")
    type_into(qtbot, undo, "reason", "系误报")
    click(qtbot, undo, "ok")
    assert _owed(db) == [("nursing", 30000, "已撤销")]


def test_ending_dibao_with_a_date_says_what_is_to_be_recovered(db: Database, road: Road, qtbot) -> None:
    pid = _paid_through_november(db, dibao_class=2)
    dialog = HouseholdDialog(road, pid)
    qtbot.addWidget(dialog)
    assert dialog.ended_edit.isHidden() and dialog.notice.isHidden()
    tick(qtbot, dialog, "dibao", on=False)
    assert not dialog.ended_edit.isHidden()
    dialog.ended_edit.setDate(QDate(2025, 9, 10))
    assert dialog.notice.text() == "张三：正在享受困难残疾人生活补贴；2025年10月至11月已发放200.00元，应追回。"
    assert _owed(db) == []
    click(qtbot, dialog, "save_hardship")
    assert _owed(db) == [("living", 20000, "应追回")]
    with db.session() as s:
        household = people.get_person(s, pid).household
        assert household is not None and (household.dibao, household.dibao_ended) == (False, dt.date(2025, 9, 10))
    assert dialog.ended_edit.date() == QDate(2025, 9, 10)  # kept, and shown again
