"""应追回 in the window, driven as the clerk drives it: the review's list, the 追回台账 with 登记追回 and 核销,
and the printed notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.db.engine import Database
from app.domain.months import Month
from app.services.register import status_changes
from app.services.subsidies import payments
from tests.reports.helpers import pages_text, squeeze
from tests.services.subsidies.builders import paying, person
from tests.ui.printed import previewed
from tests.ui.subsidy_hands import answer, click, click_row, named, open_tab, retype
from ui.road import Road
from ui.subsidies.overpayments import SettleDialog
from ui.subsidies.review import RECOVER as OWED_LIST
from ui.subsidies.review import STOPPING
from ui.subsidies.tab import SubsidyTab
from ui.tasks import wait_for_tasks

TODAY = dt.date.today()


@pytest.fixture
def tab(db: Database, qtbot: Any) -> SubsidyTab:
    """张三 paid the nursing subsidy from January 2025, November confirmed; then his death in August recorded."""
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        status_changes.change_status(s, zhang, "死亡", dt.date(2025, 8, 15), "病故")
    widget = SubsidyTab(Road(db))
    qtbot.addWidget(widget)
    widget.show()
    assert wait_for_tasks()
    return widget


def settle(qtbot: Any, dialog: SettleDialog, *, amount: str | None = None, way: str = "") -> str:
    """Fill in the dialog and press 保存; returns what the dialog then says (nothing when it closed)."""
    if amount is not None:
        retype(qtbot, named(dialog, QLineEdit, "settle_amount"), amount)
    retype(qtbot, dialog.way_box.lineEdit(), way)
    click(qtbot, dialog, "save")
    return dialog.message.text()


def test_the_review_lists_it_as_owed_and_opens_it_in_the_ledger(tab: SubsidyTab, qtbot: Any) -> None:
    page = tab.review_page
    [stop] = page.models[STOPPING].lines
    assert stop.reason == "2025-08-15死亡，从2025年9月起停发；2025年9月至11月已发放300.00元，应追回"
    model = page.models[OWED_LIST]
    assert page.lists.tabText(3) == "应追回（1人/1项）"
    assert [model.data(model.index(0, c)) for c in range(1, 7)] == [
        "张三", "金塔村", "护理补贴", "300.00", "2025-08-15死亡，2025年9月至11月已发放300.00元", "应追回"]
    assert model.headerData(4, Qt.Orientation.Horizontal) == "尚欠金额"
    assert "应追回1人/1项共300.00元" in page.summary_label.text()
    open_tab(qtbot, page.lists, "应追回")
    assert page.recover_button.isVisibleTo(page) and not page.stop_button.isVisibleTo(page)
    click(qtbot, page, "to_ledger_button")
    ledger = tab.overpayment_page
    assert tab.pages.currentWidget() is ledger
    assert ledger.selected() is not None and ledger.selected().name == "张三"  # type: ignore[union-attr]
    assert ledger.table.item(0, 4).text() == "2025年9月至11月" and ledger.table.item(0, 8).text() == "300.00"


def test_a_part_recovered_then_the_rest_written_off(tab: SubsidyTab, qtbot: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = tab.overpayment_page
    open_tab(qtbot, tab.pages, "追回台账")
    click_row(qtbot, ledger.table, 0)
    row = ledger.selected()
    assert row is not None and ledger.recover_button.isEnabled()
    offered: list[str] = []

    def recover(dialog: SettleDialog) -> None:
        offered.append(named(dialog, QLineEdit, "settle_amount").text())
        assert settle(qtbot, dialog, amount="100", way="家属现金退回") == ""

    answer(monkeypatch, SettleDialog, recover)
    click(qtbot, ledger, "recover_button")
    assert offered == ["300.00"]  # what is still owed, offered
    assert [ledger.table.item(0, c).text() for c in (6, 7, 8, 9)] == ["100.00", "0.00", "200.00", "应追回"]
    assert ledger.table.item(0, 11).text() == f"{TODAY.isoformat()}追回100.00元（家属现金退回）"

    said: list[str] = []

    def write_off(dialog: SettleDialog) -> None:
        said.append(settle(qtbot, dialog))
        settle(qtbot, dialog, way="家中无力退还，经县残联批准")

    answer(monkeypatch, SettleDialog, write_off)
    click_row(qtbot, ledger.table, 0)
    click(qtbot, ledger, "write_off_button")
    assert "核销原因" in said[0]
    assert ledger.table.rowCount() == 0  # nothing still owed
    assert ledger.totals_label.text() == "尚未追回的：0笔0人，多发0.00元，已追回0.00元，核销0.00元，未追回0.00元。"
    qtbot.keyClick(ledger.filter_box, Qt.Key.Key_Down)  # this year's
    assert [ledger.table.item(0, c).text() for c in (6, 7, 8, 9)] == ["100.00", "200.00", "0.00", "核销"]
    click_row(qtbot, ledger.table, 0)
    assert not ledger.recover_button.isEnabled() and not ledger.write_off_button.isEnabled()
    assert wait_for_tasks() and tab.review_page.lists.tabText(3) == "应追回（0人/0项）"  # the review followed


def test_the_notice_and_the_list_are_printed(tab: SubsidyTab, qtbot: Any, told: list[str]) -> None:
    ledger = tab.overpayment_page
    open_tab(qtbot, tab.pages, "追回台账")
    assert not ledger.notice_button.isEnabled()  # nobody chosen yet
    assert ledger.print_notice() is None and told == ["请先在列表中选中要通知的人。"]
    click_row(qtbot, ledger.table, 0)
    click(qtbot, ledger, "notice_button")
    assert wait_for_tasks()
    (notice_pdf,) = previewed()
    notice = squeeze("".join(pages_text(notice_pdf)))
    assert "两项补贴多发款追回通知" in notice and "尚需退还300.00元" in notice and "2025年9月至11月" in notice
    click(qtbot, ledger, "list_button")
    assert wait_for_tasks()
    (listed,) = previewed()
    assert "两项补贴应追回明细" in squeeze("".join(pages_text(listed)))


