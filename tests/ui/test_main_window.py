"""The main window: four tabs, counts in the status bar that follow the road, keyboard actions, larger
text, 单位信息 naming the clerk, the first start, and `gui --screenshots`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy import select

from app.db.engine import Database, open_database
from app.db.models import AuditEntry
from app.services.actions import Changes
from app.services.register import status_changes
from tests.factories import add_person, make_id
from tests.ui.clerk import choose
from tests.ui.modal import when_shown
from ui import style
from ui.app import run_gui
from ui.main_window import MainWindow
from ui.road import Road
from ui.tasks import wait_for_tasks


@pytest.fixture
def window(db: Database, qtbot) -> MainWindow:
    with db.transaction() as s:
        add_person(s, "张三", grade="一级", certificate_number=make_id() + "41")  # both subsidies need a certificate
        add_person(s, "李四", id_number=make_id("19600101", "222"), self_care="不能自理", grade="三级")
        gone = add_person(s, "王五", id_number=make_id("19500101", "333"))
        status_changes.change_status(s, gone, "死亡", gone.status_date, "病故")
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()  # the register tab in sight follows the road at once
    return win


def test_four_tabs_and_the_counts(window: MainWindow) -> None:
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["残疾人登记", "补贴资格", "节日慰问", "康复器材"]
    assert "在册 2 人" in window.counts_label.text() and "死亡 1 人" in window.counts_label.text()
    assert str(window.road.path) in window.db_label.text()
    assert window.register_tab.count_label.text() == "共 2 人"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "设置(&S)", "帮助(&H)"]


def test_candidate_pages_count_who_may_qualify(window: MainWindow) -> None:
    window.subsidy_tab.refresh()
    assert wait_for_tasks()
    # 一级肢体: 护理补贴; 李四 (三级肢体) is not covered; 王五 died: nobody starts after death
    assert [line.name for line in window.subsidy_tab.review.new] == ["张三"]
    window.visit_tab.refresh()  # no campaign yet: the 节日慰问 tab says how to start one
    assert window.visit_tab.empty_label.isVisibleTo(window.visit_tab) and window.visit_tab.campaign_box.count() == 0


def test_the_counts_follow_what_the_road_says_changed(window: MainWindow, db: Database) -> None:
    with db.transaction() as s:
        add_person(s, "赵六", id_number=make_id("19900202", "444"))
    assert "在册 2 人" in window.counts_label.text()  # nothing said yet
    window.road.notify(Changes.VISITS)
    assert "在册 2 人" in window.counts_label.text()  # not the register's business
    window.road.notify(Changes.REGISTER)
    assert "在册 3 人" in window.counts_label.text() and window.register_tab.count_label.text() == "共 3 人"


def test_keyboard_actions(window: MainWindow, qtbot) -> None:
    shortcuts = {a.shortcut().toString() for a in (window.find_action, window.new_action, window.print_action,
                                                   window.import_action, window.export_action)}
    assert shortcuts == {"Ctrl+F", "Ctrl+N", "Ctrl+P", "Ctrl+I", "Ctrl+E"}
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts reach the active window
    window.tabs.setCurrentIndex(2)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0
    tab = window.register_tab
    qtbot.keyClicks(tab.search_edit, "zs")
    qtbot.waitUntil(lambda: tab.model.total() == 1)
    assert tab.count_label.text() == "共 1 人" and tab.is_filtered()
    assert window.new_action.shortcut() == QKeySequence("Ctrl+N")


def test_large_text_follows_and_is_remembered(window: MainWindow, qapp: QApplication) -> None:
    window.large_text_action.trigger()
    assert qapp.font().pointSize() == style.LARGE_POINT_SIZE and style.large_text_enabled()
    window.large_text_action.trigger()
    assert qapp.font().pointSize() == style.NORMAL_POINT_SIZE and not style.large_text_enabled()


def test_first_start_offers_the_demo_town(db: Database, qtbot) -> None:
    win = MainWindow(Road(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    assert "在册 0 人" in win.counts_label.text()

    def choose_demo(welcome: QWidget) -> None:
        qtbot.mouseClick(welcome.findChild(QPushButton, "demo"), Qt.MouseButton.LeftButton)

    shown = when_shown("welcome", choose_demo)
    win.offer_first_start()  # what the window does once it is up on an empty register
    assert shown and wait_for_tasks(60000)
    qtbot.waitUntil(lambda: win.register_tab.count_label.text() == "共 345 人")  # counted once the list shows
    assert "在册 345 人" in win.counts_label.text()
    assert win.statusBar().currentMessage().startswith("演示乡镇")
    with db.session() as s:  # the town is audited as demo data, not as the clerk's own work
        assert set(s.scalars(select(AuditEntry.actor).distinct())) == {"演示数据"}
    shown = when_shown("welcome", lambda _w: pytest.fail("a register with persons is not welcomed again"))
    win.offer_first_start()
    assert not shown


def test_the_clerk_named_in_unit_info_is_the_one_audited(window: MainWindow, db: Database, qtbot) -> None:
    def fill(dialog: QWidget) -> None:
        dialog.findChild(QLineEdit, "town").setText("金塔镇")  # Chinese comes from the input method
        dialog.findChild(QLineEdit, "clerk").setText("王芳")
        buttons = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    shown = when_shown("unit_info", fill)
    window.unit_action.trigger()  # 设置 → 单位信息
    assert shown
    assert window.windowTitle() == "残联工作台 - 金塔镇残疾人联合会"
    assert window.road.clerk == "王芳"

    def change_phone(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.findChild(QLineEdit, "phone"), "0937-4421234")
        qtbot.keyClick(dialog.findChild(QLineEdit, "phone"), Qt.Key.Key_Return)

    shown = when_shown("unit_info", change_phone)
    window.unit_action.trigger()
    assert shown
    with db.session() as s:  # from now on every write names 王芳
        phone = select(AuditEntry.actor).where(AuditEntry.entity == "setting", AuditEntry.new_value == "0937-4421234")
        assert s.scalars(phone).all() == ["王芳"]


def test_screenshots_are_written(db_path: Path, tmp_path: Path, qtbot, capsys: pytest.CaptureFixture[str]) -> None:
    database = open_database(db_path)
    with database.transaction() as s:
        add_person(s, "张三")
    database.close()
    assert run_gui(db_path, screenshots=tmp_path / "shots") == 0
    printed = [Path(p) for p in capsys.readouterr().out.split()]
    folders = {p.parent.relative_to(tmp_path / "shots").as_posix() for p in printed}
    assert folders == {"1280x720/normal", "1280x720/large", "1366x768/normal", "1366x768/large"}
    names = [p.name for p in printed if p.parent.name == "normal" and p.parent.parent.name == "1366x768"]
    assert names[0] == "01-register.png" and any("person-form" in n for n in names)
    assert any(n.endswith("-welcome.png") for n in names)  # drawn over an empty register of its own
    assert any(n.endswith("-import-file-chooser.png") for n in names)
    assert all(sorted(q.name for q in printed if q.parent == p.parent) == sorted(names) for p in printed)
    for path in printed:  # each the whole screen it stands for
        width, height = map(int, path.parent.parent.name.split("x"))
        assert QImage(str(path)).size().toTuple() == (width, height), path


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, qtbot) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    assert run_gui(bad, screenshots=tmp_path / "shots") == 2


def test_printing_a_filtered_list_asks_which_persons(window: MainWindow, qtbot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.printing

    printed: list[list[int] | None] = []
    monkeypatch.setattr(ui.printing, "print_register", lambda parent, road, ids: printed.append(ids))
    window.print_action.trigger()  # the whole register shown: no question, everyone printed
    tab = window.register_tab
    choose(qtbot, tab, "grade", "一级")
    monkeypatch.setattr(window, "ask_print_scope", lambda shown: "shown" if shown == 1 else "cancel")
    window.print_action.trigger()
    monkeypatch.setattr(window, "ask_print_scope", lambda shown: "all")
    window.print_action.trigger()
    monkeypatch.setattr(window, "ask_print_scope", lambda shown: "cancel")
    window.print_action.trigger()
    assert printed == [None, tab.shown_ids(), None] and len(printed[1] or []) == 1


def test_menu_actions_open_the_shared_dialogs(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.dialogs.unit_info
    import ui.printing
    import ui.register.import_wizard

    calls: list[str] = []

    class Fake:
        def __init__(self, store: object, parent: object) -> None:
            calls.append(type(self).__name__)

        def exec(self) -> int:
            return 1

    monkeypatch.setattr(ui.register.import_wizard, "ImportWizard", type("ImportWizard", (Fake,), {}))
    monkeypatch.setattr(ui.dialogs.unit_info, "UnitInfoDialog", type("UnitInfoDialog", (Fake,), {}))
    exported: list[list[int] | None] = []
    monkeypatch.setattr(ui.printing, "export_list", lambda parent, road, ids: exported.append(ids))
    window.import_action.trigger()
    window.unit_action.trigger()
    window.export_action.trigger()
    assert calls == ["ImportWizard", "UnitInfoDialog"]
    assert exported == [window.register_tab.shown_ids()] and len(exported[0] or []) == 2
    assert wait_for_tasks()  # after an import, SQLite's statistics of the register are kept


def test_enter_opens_the_selected_person(window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    tab = window.register_tab
    opened: list[int | None] = []
    monkeypatch.setattr(tab, "open_person", opened.append)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert opened == [tab.model.person_id(1)] and opened[0] is not None


def test_the_other_tabs_are_built_when_first_shown(window: MainWindow, qtbot: Any) -> None:
    from ui.subsidies.tab import SubsidyTab

    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["残疾人登记", "补贴资格", "节日慰问", "康复器材"]
    assert not isinstance(window.tabs.widget(1), SubsidyTab)  # not built yet
    window.tabs.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.tabs.currentWidget(), SubsidyTab) and window.tabs.currentIndex() == 1
    assert window.tabs.widget(1) is window.subsidy_tab and window.tabs.tabText(1) == "补贴资格"
    assert window.subsidy_tab.isVisible()
    visits = window.visit_tab  # asked for by name: built in its place, not shown
    assert window.tabs.widget(2) is visits
    assert window.tabs.currentIndex() == 1
    assert wait_for_tasks()
