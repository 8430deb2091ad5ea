"""The 补贴资格 tab: the month's review, bulk stops and starts, a person's steps, policy settings,
the ledger, confirming and printing the roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QShowEvent

from app.db.engine import Database
from app.domain.months import Month
from app.services.register import status_changes
from app.services.subsidies import applications, payments
from app.services.subsidies.policies import PolicyBook
from tests.services.subsidies.builders import paying, person
from ui.subsidies.person_page import APPLY, NEXT, StepDialog
from ui.subsidies.policy_dialog import PolicyDialog
from ui.subsidies.relief_ledger import ReliefDialog
from ui.subsidies.review import NEW, STOPPING
from ui.subsidies.tab import SubsidyTab
from ui.tasks import wait_for_tasks

TODAY = dt.date.today()
THIS_MONTH = Month.of(TODAY)


@pytest.fixture
def tab(db: Database, qtbot) -> SubsidyTab:
    """张三 paid both (一级肢体, 低保二类) who died today; 李四 (二级精神) qualifies but is not paid."""
    with db.transaction() as s:
        zhang = person(s, "张三", 1, dibao_class=2)
        person(s, "李四", 2, category="精神", grade="二级")
        paying(s, zhang.id, "nursing", Month(2025, 1))
        paying(s, zhang.id, "living", Month(2025, 1))
        status_changes.change_status(s, zhang, "死亡", TODAY, "病故")
    widget = SubsidyTab(db)
    qtbot.addWidget(widget)
    widget.refresh()
    assert wait_for_tasks()
    return widget


def test_this_months_review_and_the_roster_line(tab: SubsidyTab) -> None:
    assert tab.month() == THIS_MONTH
    new = tab.review_page.models[NEW].lines
    assert [(l.name, l.reason) for l in new] == [("李四", "二级精神残疾，符合护理补贴")]
    assert tab.review_page.models[NEW].data(tab.review_page.models[NEW].index(0, 6)) == "未申请"
    assert "尚未确认发放" in tab.roster_label.text() and "合计200.00元" in tab.roster_label.text()
    assert tab.review_page.lists.tabText(0) == "新符合、未享受（1人/1项）"
    assert tab.review_button.text() == "重新复核"


def test_persons_and_items_are_both_named(tab: SubsidyTab) -> None:
    """张三 holds both subsidies: one person, two items, and the screen says which number is which."""
    tab.month_box.setCurrentIndex(tab.month_box.findText(THIS_MONTH.next().label))
    assert tab.review is None and tab.review_page.summary_label.text().startswith("正在复核")
    assert wait_for_tasks()
    assert tab.review_page.lists.tabText(2) == "享受中、不再符合（1人/2项）"
    summary = tab.review_page.summary_label.text()
    assert "享受中、不再符合1人/2项" in summary and "一人可同时享受生活补贴和护理补贴" in summary


def test_a_death_is_on_next_months_stop_list_and_off_its_roster(tab: SubsidyTab) -> None:
    tab.month_box.setCurrentIndex(tab.month_box.findText(THIS_MONTH.next().label))
    assert wait_for_tasks()
    model = tab.review_page.models[STOPPING]
    assert {l.reason for l in model.lines} == {f"{TODAY.isoformat()}死亡，从{THIS_MONTH.next().label}起停发"}
    assert "合计0.00元" in tab.roster_label.text()
    model.tick_all(True)
    assert tab.confirm_stops(model.chosen()) == 2
    assert wait_for_tasks()
    assert tab.review_page.models[STOPPING].lines == []


def test_starting_from_the_review_records_an_application(tab: SubsidyTab) -> None:
    model = tab.review_page.models[NEW]
    model.tick_all(True)
    assert tab.confirm_starts(model.chosen()) == (0, 1)
    assert wait_for_tasks()
    assert tab.review_page.models[NEW].lines[0].stage == "申请"


def test_a_person_goes_through_the_steps(tab: SubsidyTab) -> None:
    li = tab.review_page.models[NEW].lines[0].person_id
    tab.show_person(li)
    page = tab.person_page
    assert page.explanation.text().endswith("二级精神残疾，符合护理补贴；不是低保户，不符合生活补贴")
    dialog = StepDialog(APPLY, "登记补贴申请", THIS_MONTH, page)
    dialog.programme_box.setCurrentIndex(1)  # 护理补贴
    dialog.note_edit.setText("监护人代办")
    assert page.apply_step(APPLY, li, None, dialog)
    for step in ("初审", "审核", "审定", "发放"):
        app_id = page.selected_application()
        assert app_id is not None and page.buttons[NEXT].isEnabled()
        assert page.apply_step(NEXT, li, app_id, StepDialog(step, step, THIS_MONTH, page))
    top = page.tree.topLevelItem(0)
    assert top.text(2) == f"发放中，从{THIS_MONTH.label}起" and top.childCount() == 5
    assert top.child(0).text(2) == "监护人代办"
    assert not page.buttons[NEXT].isEnabled() and page.buttons["停发"].isEnabled()
    with tab.db.session() as s:
        assert [a.stage for a in applications.applications_of(s, li)] == ["发放"]
    opened: list[int] = []
    tab.open_person.connect(opened.append)
    page.register_button.click()
    assert opened == [li]


def test_editing_next_januarys_amount_leaves_december(tab: SubsidyTab, qtbot) -> None:
    dialog = PolicyDialog(tab.db, tab)
    qtbot.addWidget(dialog)
    dialog.programme_box.setCurrentIndex(1)  # 护理补贴
    editor = dialog.editors["nursing"]
    editor.table.item(1, 5).setText("120")  # 二级 精神
    january = Month(TODAY.year + 1, 1)
    dialog.month_box.setCurrentIndex(dialog.month_box.findText(january.label))
    assert dialog.save()
    assert "从" + january.label + "起按新标准执行" in dialog.message.text()
    with tab.db.session() as s:
        book = PolicyBook.load(s)
        assert book.policies(january).nursing.amount(2, 6) == 12000  # type: ignore[union-attr]
        assert book.policies(january.previous()).nursing.amount(2, 6) == 10000  # type: ignore[union-attr]
    editor.table.item(0, 0).setText("一百")
    assert not dialog.save() and "金额“一百”不对" in dialog.message.text()


def test_the_ledger_records_and_totals(tab: SubsidyTab, qtbot) -> None:
    dialog = ReliefDialog(tab.db, tab)
    qtbot.addWidget(dialog)
    assert not dialog.save() and "请先查找" in dialog.message.text()
    dialog.kind_box.setCurrentText("精神残疾药物补助")
    assert dialog.amount_edit.text() == "500.00"  # the policy's default amount
    dialog.picker.search_edit.setText("李四")
    assert dialog.save()
    page = tab.ledger_page
    page.refresh()
    assert page.table.rowCount() == 1 and page.table.item(0, 2).text() == "李四"
    assert f"{TODAY.year}年合计：精神残疾药物补助1人，500.00元" == page.totals_label.text()


def test_confirm_and_print_the_roster(tab: SubsidyTab) -> None:
    assert tab.confirm_month(THIS_MONTH) == 2
    assert "已确认发放" in tab.roster_label.text() and not tab.confirm_button.isEnabled()
    with tab.db.session() as s:
        assert all(line.confirmed for line in payments.roster_lines(s, THIS_MONTH))
    task = tab.print_roster(".pdf")
    assert wait_for_tasks() and task.error is None
    written = Path(task.result)  # type: ignore[arg-type]
    assert written.exists() and written.name.startswith(f"两项补贴发放花名册-{THIS_MONTH}")


def test_other_support_changes_the_explanation(tab: SubsidyTab, qtbot) -> None:
    from ui.subsidies.other_allowances import OtherAllowancesDialog

    li = tab.review_page.models[NEW].lines[0].person_id
    tab.show_person(li)
    dialog = OtherAllowancesDialog(tab.db, li, tab)
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentText("高龄津贴")
    assert not dialog.save() and "每月的金额" in dialog.message.text()
    dialog.amount_edit.setText("150")
    assert dialog.save()
    tab.person_page.refresh()
    assert "已领取高龄津贴每月150.00元，不低于护理补贴100.00元，择高领取，不享受护理补贴" in tab.person_page.explanation.text()
    assert tab.person_page.relief_label.text() == f"{THIS_MONTH.year}年所得救助：无"


def test_the_review_runs_when_the_tab_is_first_shown(db: Database, qtbot) -> None:
    with db.transaction() as s:
        person(s, "李四", 2, category="精神", grade="二级")
    widget = SubsidyTab(db)
    qtbot.addWidget(widget)
    widget.showEvent(QShowEvent())  # what showing the tab delivers (a real show warns on the offscreen platform)
    assert wait_for_tasks()
    assert [l.name for l in widget.review_page.models[NEW].lines] == ["李四"]
    assert widget.review_page.summary_label.text().startswith(f"{THIS_MONTH.label}复核：新符合、未享受1人/1项")


def test_a_roster_too_far_ahead_is_refused_and_next_months_prints_as_a_draft(tab: SubsidyTab, told: list[str]) -> None:
    from tests.reports.helpers import pages_text, squeeze
    from ui.printing import print_folder

    tab.month_box.setCurrentIndex(tab.month_box.findText(THIS_MONTH.next(2).label))
    assert wait_for_tasks()
    assert tab.print_roster(".pdf") is None
    assert told == [f"{THIS_MONTH.next(2).label}还没到，不能生成发放花名册：最远可以生成下个月"
                    f"（{THIS_MONTH.next().label}）的草表。"]
    assert not list(print_folder().glob("*.pdf"))
    tab.month_box.setCurrentIndex(tab.month_box.findText(THIS_MONTH.next().label))
    assert wait_for_tasks()
    task = tab.print_roster(".pdf")
    assert task is not None and wait_for_tasks() and task.error is None
    written = Path(task.result)  # type: ignore[arg-type]
    assert written.name == f"两项补贴发放花名册-{THIS_MONTH.next()}-草表.pdf"
    assert all("草表（未确认发放）" in squeeze(page) for page in pages_text(written))


def test_a_person_without_a_certificate_is_on_the_stop_list_and_off_the_roster(db: Database, qtbot) -> None:
    with db.transaction() as s:
        wang = person(s, "王五", 3)  # 一级肢体: nursing 100.00
        paying(s, wang.id, "nursing", Month(2025, 1))
        wang.certificate_number = None  # no 残疾证号 on the register
    widget = SubsidyTab(db)
    qtbot.addWidget(widget)
    widget.refresh()
    assert wait_for_tasks()
    model = widget.review_page.models[STOPPING]
    assert [(l.name, l.reason) for l in model.lines] == [("王五", "未办理残疾证，不享受两项补贴")]
    assert model.data(model.index(0, 6)) == f"从{THIS_MONTH.label}起停发"
    assert "合计0.00元" in widget.roster_label.text()
