"""Every tab and dialog is usable on 1280×720 and 1366×768 screens (less the taskbar), in normal and large
text: no table header is cut, no column runs off a tab's table, and every button of a dialog lies inside the
screen's free area. The dialogs are those `gui --screenshots` draws, on the demo town."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QTreeView, QWidget

from app.db.engine import Database
from ui import screen, style
from ui.main_window import MainWindow
from ui.road import Road
from ui.screenshots import SCREENS, _window_size
from ui.tasks import wait_for_tasks

ROOT = Path(__file__).resolve().parents[2]
SMALLEST = SCREENS[0]  # a dialog that fits 1280×720 fits 1366×768, which is larger both ways


def _settle() -> None:
    assert wait_for_tasks()
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def window(demo_db: Database, qtbot: Any, qapp: QApplication) -> Iterator[MainWindow]:
    win = MainWindow(Road(demo_db), remember=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    style.apply_fonts(qapp, large=False)


def cut_headers(root: QWidget) -> list[str]:
    """Each header title shown narrower than it needs, in the item views in sight under root."""
    cut = []
    for view in root.findChildren(QTableView) + root.findChildren(QTreeView):
        header: QHeaderView = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()
        if not view.isVisible() or not header.isVisible():
            continue
        for section in range(header.count()):
            if not header.isSectionHidden(section) and header.sectionSize(section) < style.header_need(header, section):
                title = view.model().headerData(section, header.orientation())
                need = style.header_need(header, section)
                cut.append(f"{view.objectName()}:{title} {header.sectionSize(section)}<{need}")
    return cut


def runs_off(root: QWidget) -> list[str]:
    """Tables in sight whose columns run past their right edge (a column hidden behind a scroll bar)."""
    return [f"{view.objectName()} {view.horizontalHeader().length()}>{view.viewport().width()}"
            for view in root.findChildren(QTableView)
            if view.isVisible() and view.horizontalHeader().length() > view.viewport().width() + 1]


def _pages(window: MainWindow) -> Iterator[str]:
    """Shows each tab, and each page of the 补贴资格 tab and list of its review, in turn."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _settle()
        yield window.tabs.tabText(index)
    subsidy = window.subsidy_tab
    window.tabs.setCurrentWidget(subsidy)
    for page in range(subsidy.pages.count()):
        subsidy.pages.setCurrentIndex(page)
        _settle()
        yield f"补贴资格/{page}"
    subsidy.pages.setCurrentIndex(0)
    for index in range(subsidy.review_page.lists.count()):
        subsidy.review_page.lists.setCurrentIndex(index)
        _settle()
        yield f"月度复核/{subsidy.review_page.lists.tabText(index)}"


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_no_tab_cuts_a_header_or_a_column(window: MainWindow, qapp: QApplication, large: bool) -> None:
    style.apply_fonts(qapp, large=large)
    for size in SCREENS:
        with screen.pretend(size):
            window.resize(_window_size(size))
            _settle()
            assert window.size() == _window_size(size), "the window's content needs more than the screen"
            for page in _pages(window):
                assert cut_headers(window) == [], f"{size.toTuple()} {page}"
                assert runs_off(window) == [], f"{size.toTuple()} {page}"


def test_every_dialog_shows_its_buttons_on_the_screen_in_a_fresh_process(tmp_path: Path) -> None:
    """The walk through every dialog (tests/ui/fresh_dialog_walk.py) runs in a process of its own: it wraps
    the buttons Qt builds inside some thirty dialogs, and such wrappers outliving their dialog once crashed
    PySide later in one long test process; on its own it is the window as the clerk opens dialogs in it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t"),
         str(ROOT / "tests" / "ui" / "fresh_dialog_walk.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
    assert "2 passed" in ran.stdout


def test_a_too_tall_dialog_is_brought_inside_the_screen(window: MainWindow, qtbot: Any) -> None:
    with screen.pretend(QSize(1366, 768)) as free:
        dialog = screen.ScreenDialog(window)
        qtbot.addWidget(dialog)
        dialog.resize(900, 1000)
        dialog.move(300, 200)
        dialog.show()
        assert free.contains(dialog.geometry().marginsAdded(screen.margins_of(dialog)))
        assert dialog.height() <= 768 - screen.TASKBAR - screen.TITLE_BAR


def test_every_dialog_of_the_program_fits_itself() -> None:
    """Each dialog class under ui/ is a ScreenDialog, or (Qt's own wizard, file chooser and message box) is
    passed through screen.fitted: there is no application-wide fitter to catch one that is neither."""
    import ast
    from pathlib import Path

    qt_dialogs = {"QDialog", "QWizard", "QMessageBox", "QFileDialog", "QInputDialog"}
    unfitted = []
    for path in sorted((Path(__file__).resolve().parents[2] / "ui").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef) and path.name != "screen.py":
                bases = {base.id for base in node.bases if isinstance(base, ast.Name)}
                if bases & qt_dialogs and "screen.fitted(self)" not in ast.get_source_segment(source, node):
                    unfitted.append(f"{path}:{node.name}")
    assert unfitted == []


def test_the_program_installs_no_application_wide_event_filter() -> None:
    """A Python filter on the application wraps every object Qt sends an event to, also those still being
    constructed: twice it crashed PySide in a later dialog's constructor. Windows handle their own keys."""
    import re

    on_application = re.compile(r"(app|qapp|application|QApplication\.instance\(\))\.installEventFilter")
    found = [f"{path.name}:{number}" for path in sorted((ROOT / "ui").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if on_application.search(line)]
    assert found == []


def test_no_widget_is_asked_its_screen() -> None:
    """QWidget.screen() in PySide links the screen's wrapper to the widget as its child, and once the widget
    was gone a later dialog crashed in QGuiApplication.screenAt over the deleted screen: the program asks the
    application (screen.free_area)."""
    import re

    asked = re.compile(r"\)\.screen\(\)|\w\.screen\(\)")
    found = [f"{path.name}:{number}" for path in sorted((ROOT / "ui").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if asked.search(line) and not line.lstrip().startswith("#")]
    assert found == []
