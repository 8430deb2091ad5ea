"""The 节日慰问 tab as a new user meets it on the demo town: a 春节 campaign for next year, the proposal
accepted, one household removed with a reason, the roster printed, the visits recorded, the comparison;
and a death after the list was drawn flagged before printing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.db.engine import Database
from app.demo import fill_demo
from app.domain.words import LineOutcome
from app.services.actions import Changes
from app.services.register import people, status_changes
from app.services.visits import campaigns, lines, recording
from tests.reports.helpers import pages_text, squeeze
from ui.main_window import MainWindow
from ui.register.history import HistoryView
from ui.road import Road
from ui.tasks import wait_for_tasks
from ui.visits.dialogs import AddHouseholdDialog, CampaignDialog, CompareDialog, ReasonDialog, RecordDialog
from ui.visits.model import HEADERS
from ui.visits.tab import VisitsTab

NEXT = dt.date.today().year + 1


@pytest.fixture
def window(db: Database, qtbot) -> MainWindow:
    with db.transaction() as s:
        fill_demo(s)
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.tabs.setCurrentWidget(win.visit_tab)
    win.visit_tab.refresh()  # what showing the tab does
    return win


def _new_campaign(tab: VisitsTab) -> int:
    dialog = CampaignDialog(tab.db, None, tab)
    dialog.festival_box.setCurrentText("春节")
    dialog.year_spin.setValue(NEXT)
    assert dialog.name_edit.text() == f"{NEXT}年春节慰问"
    assert dialog.date_label.text().startswith(campaigns.festival_day("春节", NEXT).isoformat())
    assert not dialog.date_edit.isVisibleTo(dialog)  # the date is computed, not typed
    dialog.leader_edit.setText("王志强")
    assert dialog.save() and dialog.saved_id is not None
    tab.refresh(select=dialog.saved_id)
    tab.propose()
    return dialog.saved_id


def test_a_new_user_draws_prints_and_records_a_spring_festival_round(window: MainWindow) -> None:
    tab = window.visit_tab
    assert tab.campaign_box.count() == 5 and tab.campaign_box.currentText() == f"{NEXT - 1}年春节慰问"
    cid = _new_campaign(tab)
    assert tab.campaign_box.currentText() == f"{NEXT}年春节慰问"
    shown = tab.model.lines()
    assert 20 <= len(shown) <= 29 and all(v.included and v.reason for v in shown)
    assert "预算 8,000.00元" in tab.totals_label.text() and f"列入 {len(shown)} 户" in tab.totals_label.text()
    assert "列入" in window.statusBar().currentMessage()

    tab.table.selectRow(2)
    removed = tab.model.line(2)
    assert removed is not None
    assert tab.remove_lines(tab.selected_line_ids(), "已由县残联另行慰问")
    assert f"列入 {len(shown) - 1} 户" in tab.totals_label.text()
    tab.filter_box.setCurrentText("手工调整的")
    assert [(v.head, v.removed_reason) for v in tab.model.lines()] == [(removed.head, "已由县残联另行慰问")]
    tab.filter_box.setCurrentIndex(0)

    tab.print_roster()
    assert wait_for_tasks()
    pdf = next(Path(p) for p in _printed(window) if p.endswith(".pdf"))
    text = squeeze("".join(pages_text(pdf)))
    assert f"金塔镇{NEXT}年春节慰问困难残疾人花名册" in text and "签字（手印）" in text
    assert f"合计{len(shown) - 1}户" in text and f"{300 * (len(shown) - 1):.2f}" in text
    assert "带队领导：王志强" in text
    tab.village_box.setCurrentText("各村分别打印")
    tab.print_roster()
    assert wait_for_tasks()
    folder = Path(_printed(window)[0])
    villages = {v.village for v in tab.model.lines()}
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{NEXT}年春节慰问花名册-{v}.pdf" for v in villages)
    one = squeeze("".join(pages_text(next(folder.iterdir()))))
    assert "村干部：" in one and "合计" in one

    dialog = RecordDialog(tab.db, cid, None, tab)
    assert dialog.save() and dialog.recorded == len(shown) - 1
    tab.show_campaign()
    assert f"已慰问 {len(shown) - 1} 户" in tab.totals_label.text()

    compare = CompareDialog(tab.db, cid, tab)
    assert f"与 {NEXT - 1}年春节慰问 比较" in compare.heading.text()
    dropped = [compare.dropped_list.item(i).text() for i in range(compare.dropped_list.count())]
    assert any(removed.head in d and "已由县残联另行慰问" in d for d in dropped)

    person = removed.persons[0].id
    history = HistoryView(tab.db, person)
    assert any(what == "节日慰问" and f"{NEXT - 1}年春节慰问：已慰问" in detail for _, what, detail in history.rows())


def _printed(window: MainWindow) -> list[str]:
    message = window.statusBar().currentMessage()
    return [message.split("保存到 ")[1].rstrip("。")] if "保存到 " in message else []


def test_a_death_after_the_list_was_drawn_is_flagged_before_printing(window: MainWindow) -> None:
    tab = window.visit_tab
    _new_campaign(tab)
    first = tab.model.line(0)
    assert first is not None and not tab.warning_label.isVisibleTo(tab)
    with tab.db.transaction() as s:
        for p in first.persons:
            status_changes.change_status(s, people.get_person(s, p.id), "死亡", dt.date.today(), "病故")
    window.road.notify(Changes.REGISTER)
    assert tab._stale  # read again when next shown
    tab.refresh()
    assert tab.warning_label.isVisibleTo(tab) and first.persons[0].name in tab.warning_label.text()
    shown = tab.model.data(tab.model.index(0, HEADERS.index("残疾人")))
    assert shown.startswith(f"{first.persons[0].name}（已死亡，不印）")  # the screen says what the roster prints
    assert tab.departed_button.isVisibleTo(tab)
    tab.remove_departed()
    assert not tab.warning_label.isVisibleTo(tab)
    tab.filter_box.setCurrentText("未列入的")
    assert any(v.head == first.head and "已死亡" in v.removed_reason for v in tab.model.lines())


def test_hand_dialogs_refuse_what_is_missing_and_add_by_name(window: MainWindow) -> None:
    tab = window.visit_tab
    cid = _new_campaign(tab)
    reason = ReasonDialog("张三", tab)
    assert not reason.save() and "原因" in reason.error_label.text()
    add = AddHouseholdDialog(tab.db, cid, tab)
    assert not add.save() and "查找" in add.error_label.text()
    tab.filter_box.setCurrentText("未列入的")
    outside = tab.model.line(0)
    assert outside is not None
    add.search_edit.setText(outside.persons[0].name)
    assert add.results.count() >= 1
    add.results.setCurrentRow(next(i for i in range(add.results.count())
                                   if add.results.item(i).data(Qt.ItemDataRole.UserRole) == outside.persons[0].id))
    assert not add.save() and "原因" in add.error_label.text()
    add.reason_edit.setText("村委会推荐：因病致贫")
    assert add.save()
    tab.show_campaign()
    tab.filter_box.setCurrentText("手工调整的")
    assert [v.head for v in tab.model.lines()] == [outside.head]
    tab.criteria.village_box.setCurrentText("新华村")
    tab.propose()
    tab.filter_box.setCurrentText("列入名单的")
    proposed = [v for v in tab.model.lines() if not v.by_hand]  # the household added by hand stays
    assert proposed and {v.village for v in proposed} == {"新华村"}
    assert tab.criteria.criteria().village_ids == (tab.criteria.village_box.currentData(),)
    again = CampaignDialog(tab.db, None, tab)
    again.year_spin.setValue(NEXT)
    assert not again.save() and "已有名为" in again.error_label.text()


def test_the_total_of_a_recorded_round_is_what_was_given(window: MainWindow) -> None:
    """A household recorded 未找到 was given nothing: the tab's 实发合计 leaves it out (as the roster and the
    summary's `visits` do) and its row reads 未发放; a round not yet recorded shows its 计划合计."""
    from decimal import Decimal

    from app.services.summary.figures import summarise

    tab = window.visit_tab
    with tab.db.transaction() as s:
        campaign = next(c for c in campaigns.campaigns(s) if lines.recording_begun(c))
        listed = [v for v in lines.line_views(s, campaign) if v.included]
        done = [v for v in listed if v.given]
        missed = sum(v.outcome == LineOutcome.NOT_FOUND for v in listed)
        recording.clear_record(s, done[0].id)
        recording.record_not_found(s, done[0].id, on=campaign.date)
        cid, year = campaign.id, campaign.date.year
    with tab.db.session() as s:
        given = summarise(s, year=year)["visits"]
    tab.refresh(select=cid)
    text = tab.totals_label.text()
    assert given["households"] == len(done) - 1
    assert f"已慰问 {len(done) - 1} 户，实发合计 {Decimal(given['amount']):,.2f}元" in text
    assert f"未发放 {missed + 1} 户（未找到）" in text
    assert f"合计 {Decimal(sum(v.amount_fen for v in listed)) / 100:,.2f}元" not in text  # the plan is no total now
    tab.filter_box.setCurrentText("全部")
    row = next(r for r in range(tab.model.rowCount()) if tab.model.line(r).id == done[0].id)  # type: ignore[union-attr]
    assert tab.model.data(tab.model.index(row, HEADERS.index("金额（元）/物品"))) == "未发放"

    _new_campaign(tab)  # nothing recorded yet: the list is a plan
    assert "计划合计" in tab.totals_label.text() and "实发" not in tab.totals_label.text()
