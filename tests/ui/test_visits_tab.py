"""The 节日慰问 tab as a new user meets it on the demo town: a 春节 campaign for next year, the proposal
accepted, one household removed with a reason, the roster printed, the visits recorded, the comparison;
and a death after the list was drawn flagged before printing. Driven by clicks and typing on the window's
widgets; what is asserted is what the clerk sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget

from app.db.engine import Database
from app.domain.words import LineOutcome
from app.services.actions import Changes
from app.services.register import people, status_changes
from app.services.visits import campaigns, lines, recording
from tests.reports.helpers import pages_text, squeeze
from tests.ui.printed import previewed
from ui.main_window import MainWindow
from ui.register.history import HistoryView
from ui.road import Road
from ui.tasks import wait_for_tasks
from ui.visits.dialogs import (
    AddHouseholdDialog,
    CampaignDialog,
    CompareDialog,
    ReasonDialog,
    RecordDialog,
)
from ui.visits.model import HEADERS
from ui.visits.tab import VisitsTab

NEXT = dt.date.today().year + 1
D = TypeVar("D", bound=QWidget)


@pytest.fixture
def window(demo_db: Database, qtbot: Any) -> MainWindow:
    win = MainWindow(Road(demo_db), remember=False)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.visit_tab)  # showing the tab reads it
    return win


def _click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type(qtbot: Any, edit: QLineEdit | QAbstractSpinBox, text: str) -> None:
    """Replace the field's text as the clerk types it: Latin keys one by one, Chinese committed by the
    input method (QTest types Latin keys only)."""
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        typed = QInputMethodEvent("", [])
        typed.setCommitString(text)
        QApplication.sendEvent(edit, typed)


def _dialog(tab: VisitsTab, kind: type[D]) -> D:
    """The one dialog of that kind open over the tab."""
    shown = [d for d in tab.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1, shown
    return shown[0]


def _click_row(qtbot: Any, tab: VisitsTab, row: int) -> None:
    rect = tab.table.visualRect(tab.model.index(row, 1))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _new_campaign(qtbot: Any, tab: VisitsTab) -> int:
    _click(qtbot, tab.new_button)
    dialog = _dialog(tab, CampaignDialog)
    assert dialog.festival_box.currentText() == "春节"
    _type(qtbot, dialog.year_spin, str(NEXT))
    assert dialog.name_edit.text() == f"{NEXT}年春节慰问"
    assert dialog.date_label.text().startswith(campaigns.festival_day("春节", NEXT).isoformat())
    assert not dialog.date_edit.isVisibleTo(dialog)  # the date is computed, not typed
    _type(qtbot, dialog.leader_edit, "王志强")
    _click(qtbot, dialog.ok_button)
    assert wait_for_tasks()  # the list is drawn off the window's thread
    cid = tab.campaign_id()
    assert cid is not None
    return cid


def test_a_new_user_draws_prints_and_records_a_spring_festival_round(window: MainWindow, qtbot: Any) -> None:
    tab = window.visit_tab
    assert tab.campaign_box.count() == 5 and tab.campaign_box.currentText() == f"{NEXT - 1}年春节慰问"
    _new_campaign(qtbot, tab)
    assert tab.campaign_box.currentText() == f"{NEXT}年春节慰问"
    shown = tab.model.lines()
    assert 20 <= len(shown) <= 29 and all(v.included and v.reason for v in shown)
    assert "预算 8,000.00元" in tab.totals_label.text() and f"列入 {len(shown)} 户" in tab.totals_label.text()
    assert "列入" in window.statusBar().currentMessage()

    _click_row(qtbot, tab, 2)
    removed = tab.model.line(2)
    assert removed is not None
    _click(qtbot, tab.remove_button)
    reason = _dialog(tab, ReasonDialog)
    _type(qtbot, reason.reason_edit, "已由县残联另行慰问")
    _click(qtbot, reason.ok_button)
    assert not reason.isVisible()
    assert f"列入 {len(shown) - 1} 户" in tab.totals_label.text()
    tab.filter_box.setCurrentText("手工调整的")
    assert [(v.head, v.removed_reason) for v in tab.model.lines()] == [(removed.head, "已由县残联另行慰问")]
    tab.filter_box.setCurrentIndex(0)

    _click(qtbot, tab.print_button)
    assert wait_for_tasks()
    (pdf,) = previewed()
    text = squeeze("".join(pages_text(pdf)))
    assert f"金塔镇{NEXT}年春节慰问困难残疾人花名册" in text and "签字（手印）" in text
    assert f"合计{len(shown) - 1}户" in text and f"{300 * (len(shown) - 1):.2f}" in text
    assert "带队领导：王志强" in text
    tab.village_box.setCurrentText("各村分别打印")
    _click(qtbot, tab.print_button)
    assert wait_for_tasks()
    each = previewed()  # one 打印预览 of every village's roster: one print job
    villages = {v.village for v in tab.model.lines()}
    assert sorted(p.name for p in each) == sorted(f"{NEXT}年春节慰问花名册-{v}.pdf" for v in villages)
    one = squeeze("".join(pages_text(each[0])))
    assert "村干部：" in one and "合计" in one

    _click(qtbot, tab.record_all_button)
    record = _dialog(tab, RecordDialog)
    _click(qtbot, record.ok_button)
    qtbot.keyClick(record, Qt.Key.Key_Escape)  # the list is being recorded: the dialog stays until it is done
    assert record.isVisible() and not record.ok_button.isEnabled()
    assert wait_for_tasks()
    assert window.statusBar().currentMessage() == f"已登记 {len(shown) - 1} 户为已慰问。"
    assert f"已慰问 {len(shown) - 1} 户" in tab.totals_label.text()

    _click(qtbot, tab.compare_button)
    compare = _dialog(tab, CompareDialog)
    assert f"与 {NEXT - 1}年春节慰问 比较" in compare.heading.text()
    dropped = [compare.dropped_list.item(i).text() for i in range(compare.dropped_list.count())]
    assert any(removed.head in d and "已由县残联另行慰问" in d for d in dropped)
    compare.reject()

    person = removed.persons[0].id
    history = HistoryView(window.road, person)
    assert any(what == "节日慰问" and f"{NEXT - 1}年春节慰问：已慰问" in detail for _, what, detail in history.rows())


def test_a_death_after_the_list_was_drawn_is_flagged_before_printing(window: MainWindow, demo_db: Database,
                                                                      qtbot: Any) -> None:
    tab = window.visit_tab
    _new_campaign(qtbot, tab)
    first = tab.model.line(0)
    assert first is not None and not tab.warning_label.isVisibleTo(tab)
    window.tabs.setCurrentWidget(window.register_tab)  # the death is recorded on the register
    with demo_db.transaction() as s:
        for p in first.persons:
            status_changes.change_status(s, people.get_person(s, p.id), "死亡", dt.date.today(), "病故")
    window.road.notify(Changes.REGISTER)
    assert not tab.warning_label.isVisibleTo(tab)  # not shown: read again when next shown
    window.tabs.setCurrentWidget(tab)
    assert tab.warning_label.isVisibleTo(tab) and first.persons[0].name in tab.warning_label.text()
    shown = tab.model.data(tab.model.index(0, HEADERS.index("残疾人")))
    assert shown.startswith(f"{first.persons[0].name}（已死亡，不印）")  # the screen says what the roster prints
    assert tab.departed_button.isVisibleTo(tab)
    _click(qtbot, tab.departed_button)
    assert wait_for_tasks()
    assert not tab.warning_label.isVisibleTo(tab)
    assert window.statusBar().currentMessage() == "已把 1 户移出名单，原因记为残疾人去世或迁出。"
    tab.filter_box.setCurrentText("未列入的")
    assert any(v.head == first.head and "已死亡" in v.removed_reason for v in tab.model.lines())


def test_hand_dialogs_refuse_what_is_missing_and_add_by_name(window: MainWindow, qtbot: Any) -> None:
    tab = window.visit_tab
    _new_campaign(qtbot, tab)
    listed = tab.model.lines()
    _click_row(qtbot, tab, 0)
    _click(qtbot, tab.remove_button)
    reason = _dialog(tab, ReasonDialog)
    _click(qtbot, reason.ok_button)
    assert reason.isVisible() and "原因" in reason.error_label.text()
    _click(qtbot, reason.buttons.button(reason.buttons.StandardButton.Cancel))
    assert tab.model.lines() == listed  # nothing was taken off

    tab.filter_box.setCurrentText("未列入的")
    outside = tab.model.line(0)
    assert outside is not None
    _click(qtbot, tab.add_button)
    add = _dialog(tab, AddHouseholdDialog)
    _click(qtbot, add.ok_button)
    assert add.isVisible() and "查找" in add.error_label.text()
    _type(qtbot, add.search_edit, outside.persons[0].name)
    assert add.results.count() >= 1
    item = next(add.results.item(i) for i in range(add.results.count())
                if add.results.item(i).data(Qt.ItemDataRole.UserRole) == outside.persons[0].id)
    qtbot.mouseClick(add.results.viewport(), Qt.MouseButton.LeftButton, pos=add.results.visualItemRect(item).center())
    _click(qtbot, add.ok_button)
    assert add.isVisible() and "原因" in add.error_label.text()
    _type(qtbot, add.reason_edit, "村委会推荐：因病致贫")
    _click(qtbot, add.ok_button)
    assert not add.isVisible()
    tab.filter_box.setCurrentText("手工调整的")
    assert [v.head for v in tab.model.lines()] == [outside.head]

    tab.criteria.village_box.setCurrentText("新华村")
    _click(qtbot, tab.criteria.propose_button)
    assert wait_for_tasks()
    tab.filter_box.setCurrentText("列入名单的")
    proposed = [v for v in tab.model.lines() if not v.by_hand]  # the household added by hand stays
    assert proposed and {v.village for v in proposed} == {"新华村"}
    assert tab.criteria.criteria().village_ids == (tab.criteria.village_box.currentData(),)

    _click(qtbot, tab.new_button)
    again = _dialog(tab, CampaignDialog)
    _type(qtbot, again.year_spin, str(NEXT))
    _click(qtbot, again.ok_button)
    assert again.isVisible() and "已有名为" in again.error_label.text()


def test_the_total_of_a_recorded_round_is_what_was_given(window: MainWindow, demo_db: Database, qtbot: Any) -> None:
    """A household recorded 未找到 was given nothing: the tab's 实发合计 leaves it out (as the roster and the
    summary's `visits` do) and its row reads 未发放; a round not yet recorded shows its 计划合计."""
    from decimal import Decimal

    from app.services.summary.figures import summarise

    tab = window.visit_tab
    with demo_db.transaction() as s:  # another clerk corrects a record
        campaign = next(c for c in campaigns.campaigns(s) if lines.recording_begun(c))
        listed = [v for v in lines.line_views(s, campaign) if v.included]
        done = [v for v in listed if v.given]
        missed = sum(v.outcome == LineOutcome.NOT_FOUND for v in listed)
        recording.clear_record(s, done[0].id)
        recording.record_not_found(s, done[0].id, on=campaign.date)
        cid, year = campaign.id, campaign.date.year
    with demo_db.session() as s:
        given = summarise(s, year=year)["visits"]
    window.road.notify(Changes.VISITS)
    tab.campaign_box.setCurrentIndex(tab.campaign_box.findData(cid))
    text = tab.totals_label.text()
    assert given["households"] == len(done) - 1
    assert f"已慰问 {len(done) - 1} 户，实发合计 {Decimal(given['amount']):,.2f}元" in text
    assert f"未发放 {missed + 1} 户（未找到）" in text
    assert f"合计 {Decimal(sum(v.amount_fen for v in listed)) / 100:,.2f}元" not in text  # the plan is no total now
    tab.filter_box.setCurrentText("全部")
    row = next(r for r in range(tab.model.rowCount()) if tab.model.line(r).id == done[0].id)  # type: ignore[union-attr]
    assert tab.model.data(tab.model.index(row, HEADERS.index("金额（元）/物品"))) == "未发放"

    _new_campaign(qtbot, tab)  # nothing recorded yet: the list is a plan
    assert "计划合计" in tab.totals_label.text() and "实发" not in tab.totals_label.text()


def test_selected_households_are_recorded_from_the_keyboard_too(demo_db: Database, qtbot: Any) -> None:
    """登记慰问结果 for two households chosen on the list, 未找到; Enter on a row opens the person."""
    tab = VisitsTab(Road(demo_db))
    qtbot.addWidget(tab)
    tab.show()
    tab.filter_box.setCurrentText("已慰问的")
    first, second = tab.model.line(0), tab.model.line(1)
    assert first is not None and second is not None
    _click_row(qtbot, tab, 0)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     tab.table.visualRect(tab.model.index(1, 1)).center())
    assert tab.selected_line_ids() == [first.id, second.id]
    _click(qtbot, tab.record_button)
    record = _dialog(tab, RecordDialog)
    qtbot.keyClick(record.not_found_radio, Qt.Key.Key_Space)
    assert record.not_found_radio.isChecked()
    qtbot.keyClick(record, Qt.Key.Key_Return)  # 确定 is the default button
    tab.filter_box.setCurrentText("全部")
    states = {v.id: tab.model.data(tab.model.index(r, HEADERS.index("金额（元）/物品")))
              for r in range(tab.model.rowCount()) if (v := tab.model.line(r)) is not None}
    assert states[first.id] == states[second.id] == "未发放"

    tab.table.setCurrentIndex(tab.model.index(0, 0))
    with qtbot.waitSignal(tab.open_person) as opened:
        qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    line = tab.model.line(0)
    assert line is not None and opened.args == [line.persons[0].id]


def test_export_excel_asks_where_for_one_roster_and_for_each_village(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: list[tuple[str, Path]]
) -> None:
    from PySide6.QtWidgets import QFileDialog

    tab = window.visit_tab
    names = [""]  # refused first: nothing is written
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _p, _t, suggested, _f: (names.pop(0), ""))
    assert tab.print_roster(".xlsx") is None and not list(tmp_path.rglob("*.xlsx"))
    names.append(str(tmp_path / "慰问名单.xlsx"))
    _click(qtbot, tab.xlsx_button)
    assert wait_for_tasks()
    assert saved == [(f"慰问花名册已导出到 {tmp_path / '慰问名单.xlsx'}", tmp_path / "慰问名单.xlsx")]
    assert (tmp_path / "慰问名单.xlsx").read_bytes().startswith(b"PK")
    folders = [str(tmp_path / "各村")]
    (tmp_path / "各村").mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda _p, _t, start: folders.pop(0))
    tab.village_box.setCurrentText("各村分别打印")
    _click(qtbot, tab.xlsx_button)
    assert wait_for_tasks()
    (inside,) = (tmp_path / "各村").iterdir()  # a folder of its own, one workbook per village in it
    assert inside.name.startswith(tab.campaign_box.currentText()) and len(list(inside.glob("*.xlsx"))) > 1
    assert saved[-1][1] == inside and "个文件" in saved[-1][0]
