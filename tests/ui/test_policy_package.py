"""政策更新包 in the window (issue 17, item 5): the county's 县级汇总 → 生成政策更新包…, and the town's
文件 → 导入政策更新包…: what would change shown first, 采用 only after the county's 核对码 is confirmed,
and 政策设置 then showing the new standard with its start month; 取消 and a refusal change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListWidget, QPushButton, QWidget

from app.db.engine import Database
from app.services.policy_package.importing import registered_county
from app.services.policy_package.package import export_policy_package
from app.services.settings import read_unit_identity
from app.services.subsidies.policies import versions
from tests.county_towns import YEAR, make_county, make_town
from tests.ui.modal import when_shown
from ui.county.tab import CountyTab
from ui.dialogs.policy_package import import_policy_file
from ui.road import Road
from ui.subsidies.policy_dialog import PolicyDialog


@pytest.fixture
def county(tmp_path: Path) -> Any:
    db = make_county(tmp_path)
    yield db
    db.close()


@pytest.fixture
def town(tmp_path: Path) -> Any:
    db = make_town(tmp_path, "银河乡", seed=7, persons=15)
    yield db
    db.close()


def test_the_county_writes_it_from_its_tab(qtbot: Any, county: Database, tmp_path: Path,
                                          saved: list[tuple[str, Path]]) -> None:
    tab = CountyTab(Road(county))
    qtbot.addWidget(tab)
    folder = tmp_path / "U盘"
    folder.mkdir()

    def write(dialog: QWidget) -> None:
        assert dialog.findChild(QLabel, "fingerprint").text() == read_unit_identity(county).fingerprint
        months = dialog.findChild(QComboBox, "from_month")
        months.setCurrentIndex(months.findText(f"{YEAR + 1}年1月起的标准"))
        dialog.findChild(QComboBox, "place").setEditText(str(folder))
        qtbot.mouseClick(dialog.findChild(QPushButton, "write"), Qt.MouseButton.LeftButton)

    shown = when_shown("policy_package", write)
    task = tab.write_policy_package()
    assert shown and task is not None
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    path = Path(task.result)
    assert path.parent == folder and path.name.startswith("政策更新包-金塔县-第1号-")
    assert saved[0][0].startswith("政策更新包已生成，并已读回核对无误")


def test_the_town_sees_the_changes_confirms_the_key_and_policy_settings_show_the_new_month(
        qtbot: Any, parent: QWidget, county: Database, town: Database, tmp_path: Path, told: list[str]) -> None:
    path = export_policy_package(county, tmp_path / "U盘")

    def confirm(dialog: QWidget) -> None:
        changes = dialog.findChild(QListWidget, "changes")
        lines = [changes.item(i).text() for i in range(changes.count())]
        assert lines[0].startswith(f"困难残疾人生活补贴 从{YEAR + 1}年1月起：低保一类户 100.00元 → 120.00元")
        assert "器具目录 新增：助听器（耳背式）（听力，单位台）" in lines
        accept = dialog.findChild(QPushButton, "accept")
        assert not accept.isEnabled()  # not before the telephone
        assert read_unit_identity(county).fingerprint in dialog.findChild(QLabel, "fingerprint").text()
        dialog.findChild(QCheckBox, "confirmed").setChecked(True)
        qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)

    shown = when_shown("policy_import_preview", confirm)
    result = import_policy_file(parent, Road(town), path)
    assert shown and result is not None
    assert told == ["已采用金塔县残疾人联合会第1号政策更新包：补贴标准1项，器具目录2项。"
                    "在“补贴资格 → 政策设置”中可以看到新标准及其执行月份。"]
    dialog = PolicyDialog(Road(town), parent)
    qtbot.addWidget(dialog)
    listed = [dialog.versions.item(i).text() for i in range(dialog.versions.count())]
    assert listed[-1] == f"{YEAR + 1}年1月起" and dialog.versions.currentRow() == len(listed) - 1
    assert dialog.editors["living"].class_edits[0].text() == "120.00"
    assert "金塔县残疾人联合会第1号政策更新包" in dialog.note_label.text()
    assert import_policy_file(parent, Road(town), path) is None
    assert told[-1].endswith("已导入过，未作任何改动。")


def test_cancel_leaves_policy_settings_as_they_were(
        qtbot: Any, parent: QWidget, county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    before = versions(town, "living")
    shown = when_shown("policy_import_preview",
                       lambda d: qtbot.mouseClick(d.findChild(QPushButton, "cancel"), Qt.MouseButton.LeftButton))
    assert import_policy_file(parent, Road(town), path) is None and shown
    assert versions(town, "living") == before and registered_county(town) == ("", "")


def test_a_damaged_package_is_told_in_one_sentence(
        qtbot: Any, parent: QWidget, town: Database, tmp_path: Path, told: list[str]) -> None:
    cut = tmp_path / "截断.zip"
    cut.write_bytes(b"PK\x03\x04 not whole")
    assert import_policy_file(parent, Road(town), cut) is None
    assert told == ["政策更新包 截断.zip 已损坏或不完整（文件被截断或改动过）：未导入，请县残联重新生成。"]
