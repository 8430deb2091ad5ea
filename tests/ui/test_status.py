"""Status changes from the window end up in the person's history, with the field changes beside them."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from app.db.engine import Database
from app.services import registry
from tests.factories import add_person, make_id
from ui.register.history import HistoryView
from ui.register.household import HouseholdDialog
from ui.register.status_dialog import StatusDialog


def test_moving_out_shows_in_history(db: Database, qtbot) -> None:
    with db.transaction() as s:
        pid = add_person(s, "张三", phone="13900000000").id
    with db.transaction() as s:
        registry.save_checked(s, {"name": "张三", "id_number": registry.get_person(s, pid).id_number,
                                  "category": "肢体", "grade": "一级", "phone": "13811112222"})
    dialog = StatusDialog(db, pid)
    qtbot.addWidget(dialog)
    assert [dialog.status_box.itemData(i) for i in range(dialog.status_box.count())] == ["迁出", "死亡", "注销"]
    assert dialog.date_edit.maximumDate() == QDate.currentDate()
    dialog.reason_edit.setText("迁往县城")
    assert dialog.apply()
    again = StatusDialog(db, pid)
    qtbot.addWidget(again)
    assert [again.status_box.itemText(i) for i in range(again.status_box.count())] == ["恢复在册"]

    history = HistoryView(db, pid)
    qtbot.addWidget(history)
    rows = history.rows()
    assert (dt.date.today().isoformat(), "状态变更", "迁出：迁往县城") in rows
    assert any(r[1] == "修改残疾等级" and r[2] == "由 二级 改为 一级" for r in rows)
    assert any(r[1] == "修改联系电话" and "13811112222" in r[2] for r in rows)
    assert history.table.rowCount() == len(rows)
    assert not any("True" in r[2] or "None" in r[2] for r in rows)


def test_a_date_before_the_last_change_is_refused_in_the_dialog(db: Database, qtbot) -> None:
    with db.transaction() as s:
        pid = add_person(s).id
    dialog = StatusDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(QDate.currentDate().addYears(-30))
    assert not dialog.apply()
    assert "早于上一次状态变更" in dialog.message.text() and not dialog.message.isHidden()


def test_household_support_and_moving(db: Database, qtbot) -> None:
    with db.transaction() as s:
        a = add_person(s, "张三").id
        b = add_person(s, "张小三", id_number=make_id("20050101", "123")).id
    dialog = HouseholdDialog(db, b)
    qtbot.addWidget(dialog)
    dialog.dibao_check.setChecked(True)
    dialog.dibao_class.setCurrentIndex(dialog.dibao_class.findData(1))
    assert dialog.save_support()
    dialog.find_edit.setText("张三")
    assert dialog.found.count() == 1
    dialog.found.setCurrentRow(0)
    assert dialog.move_to_selected()
    assert dialog.members.rowCount() == 2
    assert "户主 张三" in dialog.head_label.text()
    with db.session() as s:
        assert registry.get_person(s, b).household_id == registry.get_person(s, a).household_id
