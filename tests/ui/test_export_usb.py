"""导出到U盘, 校验U盘导出, the automatic backups list and the damaged-database offer, as the clerk uses them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton, QTableWidget, QWidget

from app.db.engine import Database, open_database
from app.demo import fill_demo
from app.services.backup import automatic
from tests.factories import add_person, make_id
from tests.ui.modal import when_shown
from ui import app as ui_app
from ui.dialogs import backups_list, export_usb
from ui.main_window import MainWindow
from ui.road import Road
from ui.tasks import wait_for_tasks

YEAR = dt.date.today().year - 1


def test_a_usb_stick_is_offered_first(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stick = tmp_path / "KINGSTON"
    docs = tmp_path / "文档"
    monkeypatch.setattr(export_usb, "removable_drives", lambda: [stick])
    monkeypatch.setattr(export_usb, "export_places", lambda: [stick, docs])
    dialog = export_usb.ExportUsbDialog()
    qtbot.addWidget(dialog)
    assert dialog.place_box.itemText(0) == f"U盘 {stick}" and dialog.folder() == str(stick)
    assert dialog.place_box.itemText(1) == f"{docs}（本机文件夹）"
    dialog.place_box.setEditText(str(tmp_path / "别处"))
    assert dialog.folder() == str(tmp_path / "别处")
    assert export_usb.default_year(dt.date(2026, 1, 15)) == 2025
    assert export_usb.default_year(dt.date(2026, 12, 5)) == 2026


def test_export_then_the_county_check_catches_a_changed_file(
    qtbot: Any, parent: QWidget, db: Database, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch,
    saved: list[tuple[str, Path]]
) -> None:
    with db.transaction() as s:
        fill_demo(s, year=YEAR, persons=30, seed=3)
    (tmp_path / "U盘").mkdir()
    task = export_usb.start_export(parent, Road(db), tmp_path / "U盘", YEAR)
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    folder = task.result
    assert folder is not None and saved[0][0].startswith("导出完成") and str(folder) in saved[0][0]
    assert saved[0][1] == folder and told == []  # offered: 打开文件夹
    monkeypatch.setattr(export_usb, "export_places", lambda: [tmp_path / "别处"])
    again = export_usb.ExportUsbDialog(parent)
    assert again.folder() == str(tmp_path / "U盘")  # the next export starts where the last one went
    assert again.place_box.currentText() == f"{tmp_path / 'U盘'}（上次导出的位置）"

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(folder))
    assert export_usb.verify_export(parent) == []
    assert told[-1].startswith("核对无误")
    pdf = folder / "残疾人花名册.pdf"
    pdf.write_bytes(pdf.read_bytes()[:-10] + b"0123456789")
    assert export_usb.verify_export(parent) == ["文件内容不一致：残疾人花名册.pdf"]
    assert "请让经办人重新导出" in told[-1] and "残疾人花名册.pdf" in told[-1]


def test_a_full_stick_is_said_in_one_sentence(
    qtbot: Any, parent: QWidget, db: Database, tmp_path: Path, told: list[str]
) -> None:
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("x", encoding="utf-8")
    task = export_usb.start_export(parent, Road(db), blocker, YEAR)
    qtbot.waitUntil(lambda: task.finished)
    assert told == ["U盘空间不足或已拔出：导出未完成，请换一个U盘或清理空间后重试。"]


def test_the_window_backs_up_on_close_and_shows_when(qtbot: Any, db_path: Path) -> None:
    db = open_database(db_path)
    with db.transaction() as s:
        add_person(s)
    window = MainWindow(Road(db), remember=False, backups=True)
    qtbot.addWidget(window)
    assert window.backup_label.text() == "上次备份：还没有"
    menu = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert {"导出到U盘(&U)…", "校验U盘导出(&V)…", "自动备份列表/从自动备份恢复(&L)…"} <= set(menu)
    assert window.daily_backup.isActive()
    window.close()
    made = automatic.list_backups(db_path)
    assert len(made) == 1
    window.update_backup_label()
    assert window.backup_label.text() == f"上次备份：{made[0].made:%Y-%m-%d %H:%M}"
    db.close()


def test_restore_from_the_list_is_two_clicks_and_keeps_the_current_data(
    qtbot: Any, db: Database, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        add_person(s, "张三")
    automatic.make_backup(db)
    with db.transaction() as s:
        add_person(s, "李四", id_number=make_id(seq="456"))
    window = MainWindow(Road(db), remember=False, backups=False)
    qtbot.addWidget(window)
    window.show()  # the register tab in sight re-reads after the restore
    monkeypatch.setattr(backups_list, "ask_to_restore", lambda *_a: (True, False))  # 恢复 in the question
    listed: list[tuple[int, str]] = []

    def first_click(dialog: Any) -> None:
        table = dialog.findChild(QTableWidget, "backups")
        listed.append((table.rowCount(), table.item(table.currentRow(), 2).text()))  # the newest, selected
        qtbot.mouseClick(dialog.findChild(QPushButton, "restore"), Qt.MouseButton.LeftButton)

    shown = when_shown("backups_list", first_click)
    window.backups_action.trigger()  # 文件 → 自动备份列表
    assert shown and wait_for_tasks()
    assert listed == [(1, automatic.list_backups(db.path)[0].path.name)]
    assert "恢复前的数据已另存为" in told[-1]
    assert "在册 1 人" in window.counts_label.text() and window.register_tab.count_label.text() == "共 1 人"
    window.road.close()


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096):
        data[page * 4096 + 8: page * 4096 + 600] = b"\x17" * 592
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_not_opened_and_the_newest_good_backup_is_offered(
    db_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_database(db_path) as db:
        with db.transaction() as s:
            fill_demo(s, year=YEAR, persons=30, seed=3)
        good = automatic.make_backup(db)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("pragma wal_checkpoint(truncate)")
    _damage(db_path)
    asked: list[str] = []
    monkeypatch.setattr(backups_list, "ask_restore", lambda _p, when: asked.append(when) or False)
    assert ui_app._open_or_offer_backup(db_path) is None  # declined: the program does not open it
    assert asked == [f"备份时间 {automatic.list_backups(db_path)[0].made:%Y-%m-%d %H:%M}，在册 30 人，"
                     "单位 金塔镇残疾人联合会"]
    monkeypatch.setattr(backups_list, "ask_restore", lambda _p, when: True)
    reopened = ui_app._open_or_offer_backup(db_path)
    assert reopened is not None
    reopened.close()
    assert "已从" in told[-1] and "损坏的文件保留为" in told[-1]
    assert not automatic.database_damaged(db_path) and good.exists()
    assert "没有找到完好的自动备份" in backups_list.damaged_text(None)


def test_the_database_copy_goes_in_only_when_ticked_with_a_password_typed_twice(
    qtbot: Any, parent: QWidget, db: Database, tmp_path: Path, saved: list[tuple[str, Path]],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        fill_demo(s, year=YEAR, persons=20, seed=3)
    stick = tmp_path / "U盘"
    monkeypatch.setattr(export_usb, "export_places", lambda: [stick])
    monkeypatch.setattr(export_usb, "removable_drives", lambda: [stick])
    choices = iter([("不勾选", None), ("勾选", "County-2026")])  # keyClicks types Latin keys only

    def fill(dialog: export_usb.ExportUsbDialog) -> int:
        qtbot.addWidget(dialog)
        label, password = next(choices)
        assert not dialog.password_form.isVisibleTo(dialog)
        if password is None:
            return int(QDialog.DialogCode.Accepted)
        qtbot.mouseClick(dialog.with_database, Qt.MouseButton.LeftButton,
                         pos=QPoint(5, dialog.with_database.height() // 2))
        assert dialog.with_database.isChecked() and dialog.password_form.isVisibleTo(dialog)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClicks(dialog.password_again, password + "x")
        # 导出 with two passwords that differ
        qtbot.mouseClick(dialog.findChild(QPushButton, "export"), Qt.MouseButton.LeftButton)
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.problem.text() == "两次输入的密码不一致：请重新输入。" and dialog.password_again.text() == ""
        qtbot.keyClicks(dialog.password_again, password)
        qtbot.mouseClick(dialog.findChild(QPushButton, "export"), Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(export_usb.ExportUsbDialog, "exec", fill)
    road = Road(db)
    plain = export_usb.export_to_usb(parent, road)
    qtbot.waitUntil(lambda: plain.finished, timeout=30000)
    assert not list(plain.result.glob("*.zip")) and not list(plain.result.glob("*.db"))
    sealed = export_usb.export_to_usb(parent, road)
    qtbot.waitUntil(lambda: sealed.finished, timeout=30000)
    [packed] = sealed.result.glob("数据库副本（加密）-*.zip")
    assert "数据库副本已加密" in saved[-1][0] and "7-Zip" in saved[-1][0]
    import pyzipper

    with pyzipper.AESZipFile(packed) as aes:
        aes.setpassword(b"County-2026")
        assert aes.testzip() is None


def test_a_closing_backup_that_fails_is_said_and_the_window_still_closes(
    qtbot: Any, db: Database, told: list[str]
) -> None:
    with db.transaction() as s:
        add_person(s)
    automatic.backup_folder(db.path).write_text("不是文件夹", encoding="utf-8")  # 自动备份 cannot be made
    window = MainWindow(Road(db), remember=False, backups=True)
    qtbot.addWidget(window)
    window.show()
    assert window.close()
    assert len(told) == 1 and told[0].startswith("关闭前的自动备份没有完成：无法在") and "自动备份" in told[0]
