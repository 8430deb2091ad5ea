"""应追回 in the window: the review's list, the 追回台账 with 登记追回 and 核销, and the printed notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.db.engine import Database
from app.domain.months import Month
from app.services.register import status_changes
from app.services.subsidies import payments
from tests.reports.helpers import pages_text, squeeze
from tests.services.subsidies.builders import paying, person
from ui.subsidies.overpayments import RECOVER, WRITE_OFF, SettleDialog
from ui.subsidies.review import RECOVER as OWED_LIST, STOPPING
from ui.subsidies.tab import SubsidyTab
from ui.tasks import wait_for_tasks

TODAY = dt.date.today()


@pytest.fixture
def tab(db: Database, qtbot) -> SubsidyTab:
    """张三 paid the nursing subsidy from January 2025, November confirmed; then his death in August recorded."""
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        status_changes.change_status(s, zhang, "死亡", dt.date(2025, 8, 15), "病故")
    widget = SubsidyTab(db)
    qtbot.addWidget(widget)
    widget.refresh()
    assert wait_for_tasks()
    return widget


def test_the_review_lists_it_as_owed_and_opens_it_in_the_ledger(tab: SubsidyTab) -> None:
    page = tab.review_page
    [stop] = page.models[STOPPING].lines
    assert stop.reason == "2025-08-15死亡，从2025年9月起停发；2025年9月至11月已发放300.00元，应追回"
    model = page.models[OWED_LIST]
    assert page.lists.tabText(3) == "应追回（1人/1项）"
    assert [model.data(model.index(0, c)) for c in range(1, 7)] == [
        "张三", "金塔村", "护理补贴", "300.00", "2025-08-15死亡，2025年9月至11月已发放300.00元", "应追回"]
    assert model.headerData(4, Qt.Orientation.Horizontal) == "尚欠金额"
    assert "应追回1人/1项共300.00元" in page.summary_label.text()
    page.lists.setCurrentIndex(3)
    assert page.recover_button.isVisibleTo(page) and not page.stop_button.isVisibleTo(page)
    page.recover_button.click()
    ledger = tab.overpayment_page
    assert tab.pages.currentWidget() is ledger
    assert ledger.selected() is not None and ledger.selected().name == "张三"  # type: ignore[union-attr]
    assert ledger.table.item(0, 4).text() == "2025年9月至11月" and ledger.table.item(0, 8).text() == "300.00"


def test_a_part_recovered_then_the_rest_written_off(tab: SubsidyTab, qtbot) -> None:
    ledger = tab.overpayment_page
    tab.pages.setCurrentWidget(ledger)
    ledger.table.selectRow(0)
    row = ledger.selected()
    assert row is not None and ledger.recover_button.isEnabled()
    dialog = SettleDialog(tab.db, row, RECOVER, ledger)
    qtbot.addWidget(dialog)
    assert dialog.amount_edit.text() == "300.00"
    dialog.amount_edit.setText("100")
    dialog.way_box.setCurrentText("家属现金退回")
    assert dialog.save()
    ledger.refresh()
    assert [ledger.table.item(0, c).text() for c in (6, 7, 8, 9)] == ["100.00", "0.00", "200.00", "应追回"]
    assert ledger.table.item(0, 11).text() == f"{TODAY.isoformat()}追回100.00元（家属现金退回）"
    ledger.table.selectRow(0)
    write_off = SettleDialog(tab.db, ledger.selected(), WRITE_OFF, ledger)  # type: ignore[arg-type]
    qtbot.addWidget(write_off)
    assert not write_off.save() and "核销原因" in write_off.message.text()
    write_off.way_box.setCurrentText("家中无力退还，经县残联批准")
    assert write_off.save()
    ledger.refresh()
    assert ledger.table.rowCount() == 0  # nothing still owed
    assert ledger.totals_label.text() == "尚未追回的：0笔0人，多发0.00元，已追回0.00元，核销0.00元，未追回0.00元。"
    ledger.filter_box.setCurrentIndex(1)  # this year's
    assert [ledger.table.item(0, c).text() for c in (6, 7, 8, 9)] == ["100.00", "200.00", "0.00", "核销"]
    ledger.table.selectRow(0)
    assert not ledger.recover_button.isEnabled() and not ledger.write_off_button.isEnabled()


def test_the_notice_and_the_list_are_printed(tab: SubsidyTab, told: list[str]) -> None:
    ledger = tab.overpayment_page
    tab.pages.setCurrentWidget(ledger)
    assert ledger.print_notice() is None and told == ["请先在列表中选中要通知的人。"]
    ledger.table.selectRow(0)
    task = ledger.print_notice()
    assert task is not None and wait_for_tasks() and task.error is None
    notice = squeeze("".join(pages_text(Path(task.result))))  # type: ignore[arg-type]
    assert "两项补贴多发款追回通知" in notice and "尚需退还300.00元" in notice and "2025年9月至11月" in notice
    listed = ledger.print_list()
    assert wait_for_tasks() and listed.error is None
    assert "两项补贴应追回明细" in squeeze("".join(pages_text(Path(listed.result))))  # type: ignore[arg-type]
