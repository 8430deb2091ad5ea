"""The 补贴资格 tab, driven as the clerk drives it: the month's review, bulk stops and starts, a person's
steps, policy settings, the ledger, confirming and printing the roster; and the tab keeping up with what
the road says changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
)

from app.db.engine import Database
from app.domain.months import Month
from app.services.actions import Changes
from app.services.register import people, status_changes
from app.services.subsidies import applications, payments
from app.services.subsidies.policies import PolicyBook
from tests.services.subsidies.builders import paying, person
from tests.ui.printed import previewed, previews
from tests.ui.subsidy_hands import (
    answer,
    click,
    click_row,
    named,
    open_tab,
    retype,
    type_text,
)
from ui.road import Road
from ui.subsidies.other_allowances import OtherAllowancesDialog
from ui.subsidies.person_page import StepDialog
from ui.subsidies.policy_dialog import PolicyDialog
from ui.subsidies.relief_ledger import ReliefDialog
from ui.subsidies.review import NEW, STOPPING
from ui.subsidies.tab import SubsidyTab
from ui.tasks import wait_for_tasks

TODAY = dt.date.today()
THIS_MONTH = Month.of(TODAY)


def shown_tab(db: Database, qtbot: Any) -> SubsidyTab:
    """The tab over the store, in sight, its month's review done."""
    widget = SubsidyTab(Road(db))
    qtbot.addWidget(widget)
    widget.show()
    assert wait_for_tasks()
    return widget


@pytest.fixture
def tab(db: Database, qtbot: Any) -> SubsidyTab:
    """张三 paid both (一级肢体, 低保二类) who died today; 李四 (二级精神) qualifies but is not paid."""
    with db.transaction() as s:
        zhang = person(s, "张三", 1, dibao_class=2)
        person(s, "李四", 2, category="精神", grade="二级")
        paying(s, zhang.id, "nursing", Month(2025, 1))
        paying(s, zhang.id, "living", Month(2025, 1))
        status_changes.change_status(s, zhang, "死亡", TODAY, "病故")
    return shown_tab(db, qtbot)


def later_month(qtbot: Any, tab: SubsidyTab, months: int = 1) -> None:
    """Up in the month list is later (the list runs from three months ahead back five years)."""
    for _ in range(months):
        qtbot.keyClick(tab.month_box, Qt.Key.Key_Up)
    assert tab.month() == THIS_MONTH.next(months)


def test_this_months_review_and_the_roster_line(tab: SubsidyTab) -> None:
    assert tab.month() == THIS_MONTH
    new = tab.review_page.models[NEW].lines
    assert [(line.name, line.reason) for line in new] == [("李四", "二级精神残疾，符合护理补贴")]
    assert tab.review_page.models[NEW].data(tab.review_page.models[NEW].index(0, 6)) == "未申请"
    assert "尚未确认发放" in tab.roster_label.text() and "合计200.00元" in tab.roster_label.text()
    assert tab.review_page.lists.tabText(0) == "新符合、未享受（1人/1项）"
    assert tab.review_button.text() == "重新复核"


def test_persons_and_items_are_both_named(tab: SubsidyTab, qtbot: Any) -> None:
    """张三 holds both subsidies: one person, two items, and the screen says which number is which."""
    later_month(qtbot, tab)
    assert tab.review is None and tab.review_page.summary_label.text().startswith("正在复核")
    assert wait_for_tasks()
    assert tab.review_page.lists.tabText(2) == "享受中、不再符合（1人/2项）"
    summary = tab.review_page.summary_label.text()
    assert "享受中、不再符合1人/2项" in summary and "一人可同时享受生活补贴和护理补贴" in summary


def test_a_death_is_on_next_months_stop_list_and_off_its_roster(tab: SubsidyTab, qtbot: Any) -> None:
    later_month(qtbot, tab)
    assert wait_for_tasks()
    page = tab.review_page
    model = page.models[STOPPING]
    assert {line.reason for line in model.lines} == {f"{TODAY.isoformat()}死亡，从{THIS_MONTH.next().label}起停发"}
    assert "合计0.00元" in tab.roster_label.text()
    open_tab(qtbot, page.lists, "享受中、不再符合")
    click(qtbot, page, "tick_all")
    click(qtbot, page, "stop_button")
    assert wait_for_tasks()
    assert tab.done_label.text() == "已停发2笔，停发月份见各人的申请记录。"
    assert page.models[STOPPING].lines == [] and page.lists.tabText(2) == "享受中、不再符合（0人/0项）"


def test_starting_from_the_review_records_an_application(tab: SubsidyTab, qtbot: Any) -> None:
    page = tab.review_page
    click(qtbot, page, "tick_all")
    click(qtbot, page, "start_button")
    assert wait_for_tasks()
    assert tab.done_label.text() == f"从{THIS_MONTH.label}起开始发放0笔，登记新申请1份（需逐级审批）。"
    model = page.models[NEW]
    assert model.lines[0].stage == "申请" and model.data(model.index(0, 6)) == "申请在办：申请"


def test_nothing_ticked_is_said_and_nothing_is_done(tab: SubsidyTab, qtbot: Any, told: list[str]) -> None:
    click(qtbot, tab.review_page, "start_button")
    assert told == ["请先勾选要办理的人。"] and not tab.done_label.isVisibleTo(tab)


def test_a_person_goes_through_the_steps(tab: SubsidyTab, qtbot: Any, db: Database,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    li = tab.review_page.models[NEW].lines[0].person_id
    click_row(qtbot, named(tab, QTableView, "review_new"), 0, double=True)
    page = tab.person_page
    assert tab.pages.currentWidget() is page
    assert page.explanation.text().endswith("二级精神残疾，符合护理补贴；不是低保户，不符合生活补贴")

    def apply(dialog: StepDialog) -> None:
        qtbot.keyClick(dialog.programme_box, Qt.Key.Key_Down)  # 护理补贴
        type_text(dialog.note_edit, "监护人代办")
        click(qtbot, dialog, "ok")

    answer(monkeypatch, StepDialog, apply)
    click(qtbot, page, "action_申请")
    titles = answer(monkeypatch, StepDialog, lambda dialog: click(qtbot, dialog, "ok"))
    for _step in ("初审", "审核", "审定", "发放"):
        click(qtbot, page, "action_下一步")
    assert [d.windowTitle() for d in titles] == ["初审", "审核", "审定", "发放"]
    top = page.tree.topLevelItem(0)
    assert top.text(2) == f"发放中，从{THIS_MONTH.label}起" and top.childCount() == 5
    assert top.child(0).text(2) == "监护人代办" and top.child(1).text(0) == "　初审（乡镇初审）"
    assert not page.buttons["下一步"].isEnabled() and page.buttons["停发"].isEnabled()
    assert [a.stage for a in applications.applications_of(db, li)] == ["发放"]
    opened: list[int] = []
    tab.open_person.connect(opened.append)
    click(qtbot, page, "open_register")
    assert opened == [li]


def test_a_refused_step_is_told_and_nothing_changes(tab: SubsidyTab, qtbot: Any, db: Database, told: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    li = tab.review_page.models[NEW].lines[0].person_id
    click_row(qtbot, named(tab, QTableView, "review_new"), 0, double=True)
    answer(monkeypatch, StepDialog, lambda dialog: click(qtbot, dialog, "ok"))
    click(qtbot, tab.person_page, "action_申请")  # 生活补贴 (the first in the list) for 李四
    click(qtbot, tab.person_page, "action_不予通过")  # no reason written
    assert told == ["请写明不予通过的原因。"]
    assert [a.stage for a in applications.applications_of(db, li)] == ["申请"]


def test_editing_next_januarys_amount_leaves_december(tab: SubsidyTab, qtbot: Any, db: Database,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    january = Month(TODAY.year + 1, 1)
    said: list[str] = []

    def edit_cell(dialog: PolicyDialog, row: int, col: int, text: str) -> None:
        table = dialog.editors["nursing"].table  # type: ignore[union-attr]
        click_row(qtbot, table, row, col)
        qtbot.keyClick(table, Qt.Key.Key_F2)  # edit the cell
        editor = table.findChildren(QLineEdit)[-1]  # the cell's editor (one closed before may linger)
        retype(qtbot, editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view takes the text a moment later
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)

    def fill(dialog: PolicyDialog) -> None:
        qtbot.keyClick(dialog.programme_box, Qt.Key.Key_Down)  # 护理补贴
        edit_cell(dialog, 1, 5, "120")  # 二级 精神
        type_text(dialog.month_box, january.label)
        assert dialog.month_box.currentText() == january.label
        click(qtbot, dialog, "save_policy")
        said.append(dialog.message.text())
        edit_cell(dialog, 0, 0, "一百")
        click(qtbot, dialog, "save_policy")
        said.append(dialog.message.text())
        click(qtbot, dialog, "close")

    answer(monkeypatch, PolicyDialog, fill)
    click(qtbot, tab, "policy_button")
    assert "从" + january.label + "起按新标准执行" in said[0]
    assert "金额“一百”不对" in said[1]
    with db.session() as s:
        book = PolicyBook.load(s)
        assert book.policies(january).nursing.amount(2, 6) == 12000  # type: ignore[union-attr]
        assert book.policies(january.previous()).nursing.amount(2, 6) == 10000  # type: ignore[union-attr]


def test_the_ledger_records_and_totals(tab: SubsidyTab, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(dialog: ReliefDialog) -> None:
        click(qtbot, dialog, "save")
        assert "请先查找" in dialog.message.text() and dialog.result() == 0
        type_text(dialog.kind_box, "精神残疾药物补助")
        assert dialog.amount_edit.text() == "500.00"  # the policy's default amount
        type_text(dialog.picker.search_edit, "李四")
        click(qtbot, dialog, "save")

    open_tab(qtbot, tab.pages, "救助台账")
    answer(monkeypatch, ReliefDialog, fill)
    click(qtbot, tab.ledger_page, "add_relief")
    page = tab.ledger_page
    assert page.table.rowCount() == 1 and page.table.item(0, 2).text() == "李四"
    assert f"{TODAY.year}年合计：精神残疾药物补助1人，500.00元" == page.totals_label.text()


def test_a_wrong_ledger_entry_is_cancelled_with_a_reason(tab: SubsidyTab, qtbot: Any, db: Database,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.subsidies import relief_ledger

    li = tab.review_page.models[NEW].lines[0].person_id
    relief_ledger.record_relief(db, "临时救助", person_id=li, on=TODAY, amount_fen=30000)
    open_tab(qtbot, tab.pages, "救助台账")
    page = tab.ledger_page
    assert page.totals_label.text() == f"{TODAY.year}年合计：临时救助1人，300.00元"
    monkeypatch.setattr("ui.subsidies.relief_ledger.QInputDialog.getText", lambda *_a: ("重复登记", True))
    click_row(qtbot, page.table, 0)
    click(qtbot, page, "cancel_relief")
    assert page.table.rowCount() == 0 and page.totals_label.text() == f"{TODAY.year}年合计：尚无记录"


def test_confirm_and_print_the_roster(tab: SubsidyTab, qtbot: Any, db: Database,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    click(qtbot, tab, "confirm_button")
    assert wait_for_tasks()
    assert asked == [f"确认{THIS_MONTH.label}按花名册发放？确认后本月的金额固定下来，以后修改标准也不会改变。"]
    assert tab.done_label.text() == f"{THIS_MONTH.label}已确认发放2笔。"
    assert "已确认发放" in tab.roster_label.text() and not tab.confirm_button.isEnabled()
    with db.session() as s:
        assert all(line.confirmed for line in payments.roster_lines(s, THIS_MONTH))
    click(qtbot, tab, "print_button")
    assert wait_for_tasks()
    (written,) = previewed()
    assert written.exists() and written.name.startswith(f"两项补贴发放花名册-{THIS_MONTH}")


def test_other_support_changes_the_explanation(tab: SubsidyTab, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(dialog: OtherAllowancesDialog) -> None:
        kind = named(dialog, QComboBox, "other_kind")
        type_text(kind.lineEdit(), "高龄津贴")
        click(qtbot, dialog, "save")
        assert "每月的金额" in named(dialog, QLabel, "message").text()
        type_text(named(dialog, QLineEdit, "other_amount"), "150")
        click(qtbot, dialog, "save")

    click_row(qtbot, named(tab, QTableView, "review_new"), 0, double=True)
    answer(monkeypatch, OtherAllowancesDialog, fill)
    click(qtbot, tab.person_page, "other_allowances")
    assert wait_for_tasks()
    said = "已领取高龄津贴每月150.00元，不低于护理补贴100.00元，择高领取，不享受护理补贴"
    assert said in tab.person_page.explanation.text()
    assert tab.person_page.relief_label.text() == f"{THIS_MONTH.year}年所得救助：无"
    assert tab.review_page.models[NEW].lines == []  # the review followed: 李四 no longer qualifies


def test_the_review_runs_when_the_tab_is_first_shown(db: Database, qtbot: Any) -> None:
    with db.transaction() as s:
        person(s, "李四", 2, category="精神", grade="二级")
    widget = shown_tab(db, qtbot)
    assert [line.name for line in widget.review_page.models[NEW].lines] == ["李四"]
    assert widget.review_page.summary_label.text().startswith(f"{THIS_MONTH.label}复核：新符合、未享受1人/1项")


def test_the_tab_reads_again_when_the_register_changes(tab: SubsidyTab, qtbot: Any, db: Database) -> None:
    """A death recorded in the register tab: the road says the register changed, and the review follows,
    at once when the tab is in sight, else when it is next shown; news of the visits changes nothing."""
    li = tab.review_page.models[NEW].lines[0].person_id
    with db.transaction() as s:
        status_changes.change_status(s, people.get_person(s, li), "死亡", TODAY, "病故")
    tab.road.notify(Changes.VISITS)
    assert wait_for_tasks() and [line.name for line in tab.review_page.models[NEW].lines] == ["李四"]
    tab.hide()
    tab.road.notify(Changes.REGISTER)
    assert wait_for_tasks() and [line.name for line in tab.review_page.models[NEW].lines] == ["李四"]  # not in sight
    tab.show()
    assert wait_for_tasks() and tab.review_page.models[NEW].lines == []


def test_a_roster_too_far_ahead_is_refused_and_next_months_prints_as_a_draft(tab: SubsidyTab, qtbot: Any,
                                                                             told: list[str]) -> None:
    from tests.reports.helpers import pages_text, squeeze
    from ui.printing import printout_folder

    later_month(qtbot, tab, 2)
    assert wait_for_tasks()
    click(qtbot, tab, "print_button")
    assert told == [f"{THIS_MONTH.next(2).label}还没到，不能生成发放花名册：最远可以生成下个月"
                    f"（{THIS_MONTH.next().label}）的草表。"]
    assert not list(printout_folder().glob("*.pdf")) and not previews()
    qtbot.keyClick(tab.month_box, Qt.Key.Key_Down)
    assert wait_for_tasks()
    click(qtbot, tab, "print_button")
    assert wait_for_tasks()
    (written,) = previewed()
    assert written.name == f"两项补贴发放花名册-{THIS_MONTH.next()}-草表.pdf"
    assert all("草表（未确认发放）" in squeeze(page) for page in pages_text(written))


def test_a_person_without_a_certificate_is_on_the_stop_list_and_off_the_roster(db: Database, qtbot: Any) -> None:
    with db.transaction() as s:
        wang = person(s, "王五", 3)  # 一级肢体: nursing 100.00
        paying(s, wang.id, "nursing", Month(2025, 1))
        wang.certificate_number = None  # no 残疾证号 on the register
    widget = shown_tab(db, qtbot)
    model = widget.review_page.models[STOPPING]
    assert [(line.name, line.reason) for line in model.lines] == [("王五", "未办理残疾证，不享受两项补贴")]
    assert model.data(model.index(0, 6)) == f"从{THIS_MONTH.label}起停发"
    assert "合计0.00元" in widget.roster_label.text()


def test_every_write_of_the_tab_is_audited_as_the_clerk(tab: SubsidyTab, qtbot: Any, db: Database) -> None:
    from sqlalchemy import select

    from app.db.models import AuditEntry

    tab.road.set_clerk("李红梅")
    page = tab.review_page
    click(qtbot, page, "tick_all")
    click(qtbot, page, "start_button")
    assert wait_for_tasks()
    with db.session() as s:
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "application_step")
                               .order_by(AuditEntry.id.desc()).limit(1)))
    assert actors == {"李红梅"}


def test_the_roster_workbook_is_saved_where_the_clerk_says(
    tab: SubsidyTab, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: list[tuple[str, Path]]
) -> None:
    from PySide6.QtWidgets import QFileDialog

    answers = ["", str(tmp_path / "发放表"), ""]
    suggested: list[str] = []

    def where(_p: object, _t: str, name: str, _f: str) -> tuple[str, str]:
        suggested.append(name)
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", where)
    click(qtbot, tab, "excel_button")
    assert len(suggested) == 1 and not list(tmp_path.rglob("*.xlsx"))
    click(qtbot, tab, "excel_button")
    assert wait_for_tasks()
    assert saved == [(f"发放花名册已导出到 {tmp_path / '发放表.xlsx'}", tmp_path / "发放表.xlsx")]
    assert Path(suggested[0]).name == f"两项补贴发放花名册-{THIS_MONTH}-草表.xlsx"  # not yet confirmed
    click(qtbot, tab, "excel_button")
    assert Path(suggested[2]).parent == tmp_path  # the next export starts where the last one went
