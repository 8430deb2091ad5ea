"""县级汇总 in the window (issue 17): the town's 文件 → 生成上报包, and the county's tab, shown only in
county mode, importing a first package after the fingerprint is confirmed, resolving a 待核实 line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QInputDialog, QLabel, QPushButton, QWidget

from app.db.engine import Database, open_database
from app.services.county.checks import check_lines
from app.services.county.towns import towns
from app.services.settings import read_unit_identity
from tests.county_towns import make_town
from tests.ui.modal import when_shown
from ui.county.tab import CountyTab
from ui.dialogs import report_package
from ui.main_window import MainWindow
from ui.road import Road


@pytest.fixture
def town(tmp_path: Path) -> Any:
    db = make_town(tmp_path, "银河乡", seed=7, persons=30)
    yield db
    db.close()


def write_package(qtbot: Any, parent: QWidget, db: Database, folder: Path,
                  saved: list[tuple[str, Path]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    task = report_package.start_package(parent, Road(db), folder, QDate.currentDate())
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    assert task.result is not None
    return Path(task.result)


def test_the_town_writes_its_package_and_is_told_its_fingerprint(
        qtbot: Any, parent: QWidget, town: Database, tmp_path: Path, saved: list[tuple[str, Path]]) -> None:
    dialog = report_package.ReportPackageDialog(Road(town), parent)
    fingerprint = read_unit_identity(town).fingerprint
    assert dialog.findChild(QLabel, "fingerprint").text() == fingerprint
    path = write_package(qtbot, parent, town, tmp_path / "U盘", saved)
    assert path.name.startswith("上报包-银河乡-") and path.is_file()
    assert saved[0][0].startswith("上报包已生成，并已读回核对无误") and fingerprint in saved[0][0]


def test_a_town_without_a_region_code_is_told_what_to_enter(
        qtbot: Any, parent: QWidget, db: Database, tmp_path: Path, told: list[str]) -> None:
    task = report_package.start_package(parent, Road(db), tmp_path, QDate.currentDate())
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    assert told == ["上报包要写明乡镇名称和12位统计用区划代码：请先在“设置 → 单位信息”中填写。"]


def test_the_county_tab_is_shown_only_in_county_mode(qtbot: Any, town: Database, db: Database) -> None:
    town_window = MainWindow(Road(town), remember=False, backups=False)
    qtbot.addWidget(town_window)
    assert town_window.county_tab is None and town_window.tabs.count() == 4
    window = MainWindow(Road(db), remember=False, backups=False)
    qtbot.addWidget(window)
    assert window.county_tab is None
    window.county_mode_action.trigger()
    assert window.county_tab is not None and window.tabs.tabText(4) == "县级汇总"
    window.county_mode_action.trigger()
    assert window.county_tab is None and window.tabs.count() == 4


def test_the_unit_form_names_the_county_in_county_mode(qtbot: Any, town: Database, db: Database) -> None:
    from PySide6.QtWidgets import QFormLayout, QLineEdit

    from app.services.county.towns import change_county_mode
    from ui.dialogs.unit_info import UnitInfoDialog

    def label_of(road: Road, field: str) -> str:
        dialog = UnitInfoDialog(road)
        qtbot.addWidget(dialog)
        edit = dialog.findChild(QLineEdit, field)
        form = dialog.findChild(QFormLayout)
        assert edit is not None and form is not None
        label = form.labelForField(edit)
        assert isinstance(label, QLabel)
        return f"{label.text()} {edit.placeholderText()}"

    assert label_of(Road(town), "town") == "乡镇： 如：金塔镇"
    county = Road(db)
    county.write(change_county_mode, True)
    assert label_of(county, "town") == "县（市、区）： 如：金塔县"
    assert "本县的12位代码" in label_of(county, "code")


def test_a_first_package_is_imported_once_its_fingerprint_is_confirmed(
        qtbot: Any, parent: QWidget, town: Database, tmp_path: Path, saved: list[tuple[str, Path]],
        told: list[str]) -> None:
    path = write_package(qtbot, parent, town, tmp_path / "U盘", saved)
    county = open_database(tmp_path / "县残联.db")
    try:
        tab = CountyTab(Road(county))
        qtbot.addWidget(tab)

        def confirm(dialog: QWidget) -> None:
            accept = dialog.findChild(QPushButton, "accept")
            assert not accept.isEnabled()  # not before the telephone
            assert read_unit_identity(town).fingerprint in dialog.findChild(QLabel, "fingerprint").text()
            dialog.findChild(QCheckBox, "confirmed").setChecked(True)
            qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)

        shown = when_shown("import_preview", confirm)
        task = tab.import_file(path)
        assert shown and task is not None
        qtbot.waitUntil(lambda: task.finished, timeout=30000)
        assert told[-1].startswith("已导入。\n银河乡（620921") and "待核实 新发现0条" in told[-1]
        assert [t.name for t in towns(county)] == ["银河乡"]
        tab.refresh()
        assert tab.towns.rowCount() == 1 and tab.towns.item(0, 0).text() == "银河乡"
        assert tab.import_file(path) is None
        assert told[-1] == "银河乡的第1号上报包已导入过，未作任何改动。"
    finally:
        county.close()


def test_a_refused_package_is_told_in_one_sentence(qtbot: Any, db: Database, tmp_path: Path, told: list[str]) -> None:
    cut = tmp_path / "截断.zip"
    cut.write_bytes(b"PK\x03\x04 not whole")
    tab = CountyTab(Road(db))
    qtbot.addWidget(tab)
    assert tab.import_file(cut) is None
    assert told == ["上报包 截断.zip 已损坏或不完整（文件被截断或改动过）：未导入，请让乡镇重新生成上报包。"]


def test_a_check_is_resolved_with_a_note(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.county.shots import county_window

    with county_window() as county:
        tab = county.window.county_tab
        assert isinstance(tab, CountyTab)
        county.window.show()
        county.window.tabs.setCurrentWidget(tab)
        assert tab.checks.rowCount() == 1 and tab.checks.item(0, 0).text() == "两地在册"
        tab.checks.selectRow(0)
        monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("已核实：系同一人，银河乡已注销", True))
        tab.resolve_button.click()
        assert county.window.road.read(check_lines) == []
        assert tab.checks.rowCount() == 0 and not tab.resolve_button.isEnabled()
