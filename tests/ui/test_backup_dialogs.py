"""备份 and 恢复 as the clerk does them: a folder chosen, a file chosen, the data replaced and kept, and the
window going on over the restored data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.db.engine import Database, open_database
from app.services.actions import Changes
from app.services.backup.copies import backup_database
from app.services.register import status_changes
from app.services.settings import UnitInfo, save_unit_info
from tests.factories import add_person, make_id
from ui.dialogs import backup
from ui.road import Road
from ui.tasks import wait_for_tasks


@pytest.fixture
def road(db: Database) -> Iterator[Road]:
    road = Road(db)
    yield road
    road.close()  # the store it holds at the end: after a restore, the restored one


def _on_register(road: Road) -> int:
    """Persons on the register in the store the road holds now (after a restore: the restored one)."""
    from app.services.backup.facts import register_and_unit

    return road.read(register_and_unit)[0]


def test_backup_into_the_chosen_folder(
    qtbot: Any, parent: QWidget, road: Road, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "U盘"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(usb))
    task = backup.backup_now(parent, road)
    assert task is not None
    qtbot.waitUntil(lambda: task.finished)
    assert task.result is not None and task.result.parent == usb and task.result.name.startswith("canlian-备份-")
    assert told[0].startswith(f"备份已完成，文件保存在：\n{task.result}")
    assert backup.settings().value(backup.BACKUP_FOLDER_KEY) == str(usb)


def test_restore_replaces_the_data_and_keeps_a_copy(
    qtbot: Any, parent: QWidget, road: Road, db: Database, tmp_path: Path, told: list[str]
) -> None:
    with db.transaction() as session:
        add_person(session, "张三")
    task = backup.backup_to(parent, road, tmp_path)
    qtbot.waitUntil(lambda: task.finished)
    told.clear()
    with db.transaction() as session:
        add_person(session, "李四", id_number=make_id("19700505", "246"))

    with qtbot.waitSignal(road.changed) as reopened:
        backup.restore_from(parent, road, task.result)
    assert "恢复前的数据已另存为" in told[0] and "程序将重新打开数据" in told[0]
    assert reopened.args == [Changes.ALL] and _on_register(road) == 1
    kept = next(tmp_path.glob("canlian.恢复前-*.db"))
    with open_database(kept, lock=False) as before, before.session() as session:
        assert status_changes.count_on_register(session) == 2


def test_a_file_that_is_not_a_backup_touches_nothing(
    qtbot: Any, parent: QWidget, road: Road, tmp_path: Path, told: list[str]
) -> None:
    junk = tmp_path / "canlian-备份-假的.db"
    junk.write_text("不是数据库", encoding="utf-8")
    task = backup.restore_from(parent, road, junk)
    assert wait_for_tasks() and task.error is not None
    assert "不是残联工作台的备份" in told[0] and len(told) == 1
    assert _on_register(road) == 0  # opened again and usable
    assert not list(tmp_path.glob("canlian.恢复前-*.db"))


def test_restore_asks_first_saying_what_the_backup_holds_and_cancel_changes_nothing(
    qtbot: Any, parent: QWidget, road: Road, db: Database, tmp_path: Path, told: list[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        add_person(s, "张三")
        save_unit_info(s, UnitInfo(town="金塔镇"))
    task = backup.backup_to(parent, road, tmp_path / "U盘")
    qtbot.waitUntil(lambda: task.finished)
    told.clear()
    file = task.result
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(file), ""))
    asked = _answer(monkeypatch, [False])
    assert backup.restore_backup(parent, road) is None
    assert told == [] and len(asked) == 1
    made = file.name.removeprefix("canlian-备份-").removesuffix(".db")
    when = f"{made[:4]}-{made[4:6]}-{made[6:8]} {made[9:11]}:{made[11:13]}"
    assert f"{file.name}\n备份时间 {when}，在册 1 人，单位 金塔镇残疾人联合会" in asked[0]
    assert "全部数据将被这个备份中的数据替换" in asked[0] and "另存一份副本" in asked[0]
    with db.session() as session:  # still open, nothing changed
        assert status_changes.count_on_register(session) == 1


def _answer(monkeypatch: pytest.MonkeyPatch, answers: list[bool]) -> list[str]:
    """The restore questions answered in turn (True: 恢复), and what each said."""
    asked: list[str] = []

    def answer(box: QMessageBox, _restore: object) -> bool:
        asked.append(box.text())
        return answers[len(asked) - 1]

    monkeypatch.setattr(backup, "_asked", answer)
    return asked


@pytest.fixture
def other_register(tmp_path: Path) -> Path:
    """A backup of another office's register (another database, its own identity), on a stick."""
    with open_database(tmp_path / "别的乡镇" / "canlian.db") as other:
        with other.transaction() as s:
            for seq in ("111", "222", "333"):
                add_person(s, "王五", id_number=make_id("19600606", seq))
            save_unit_info(s, UnitInfo(office="银河乡残疾人联合会"))
        return backup_database(other, tmp_path / "U盘")


@pytest.mark.parametrize("answers", [[False], [True, False]])
def test_another_registers_backup_is_refused_unless_confirmed_twice(
    parent: QWidget, road: Road, db: Database, other_register: Path, told: list[str],
    monkeypatch: pytest.MonkeyPatch, answers: list[bool],
) -> None:
    with db.transaction() as s:
        add_person(s, "张三")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(other_register), ""))
    asked = _answer(monkeypatch, answers)
    assert backup.restore_backup(parent, road) is None
    assert "属于另一个登记册" in asked[0] and "在册 3 人，单位 银河乡残疾人联合会" in asked[0]
    assert "现在打开的登记册：在册 1 人" in asked[0]
    assert len(asked) == len(answers) and told == []
    with db.session() as session:
        assert status_changes.count_on_register(session) == 1


def test_another_registers_backup_after_two_confirmations(
    parent: QWidget, road: Road, db: Database, other_register: Path, told: list[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        add_person(s, "张三")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(other_register), ""))
    asked = _answer(monkeypatch, [True, True])
    assert backup.restore_backup(parent, road) is not None
    assert wait_for_tasks()
    assert "再确认一次" in asked[1] and "恢复前的数据已另存为" in told[-1]
    assert _on_register(road) == 3 and road.identity != db.identity


def test_a_quick_backup_from_the_menu_leaves_its_message_on_top_and_the_window_closable(
    qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small register backs up within the progress box's show delay: the box must not come up over
    备份已完成 (both modal, each waiting for the other, the program had to be killed)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from ui.main_window import MainWindow
    from ui.tasks import _SHOW_AFTER_MS

    window = MainWindow(Road(db), remember=False, backups=False)
    qtbot.addWidget(window)
    window.show()  # the register tab in sight re-reads after the restore
    window.show()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(tmp_path / "U盘"))
    seen: list[tuple[int, list[str]]] = []

    def look() -> None:
        tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        boxes = [w for w in tops if isinstance(w, QMessageBox)]
        seen.append((sum(isinstance(w, QProgressDialog) for w in tops), [b.text()[:7] for b in boxes]))
        for box in boxes:
            box.done(0)

    QTimer.singleShot(_SHOW_AFTER_MS + 500, look)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [(0, ["备份已完成，文"])]
    assert list((tmp_path / "U盘").glob("canlian-备份-*.db"))
    assert window.close()


def test_the_window_goes_on_over_the_restored_data(
    qtbot: Any, db: Database, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.main_window import MainWindow

    with db.transaction() as s:
        add_person(s, "张三")
        save_unit_info(s, UnitInfo(town="金塔镇", clerk="王芳"))
    kept = backup_database(db, tmp_path / "U盘")
    with db.transaction() as s:
        add_person(s, "李四", id_number=make_id("19700505", "246"))
        save_unit_info(s, UnitInfo(town="银河乡", clerk="赵军"))
    window = MainWindow(Road(db), remember=False, backups=False)
    qtbot.addWidget(window)
    window.show()  # the register tab in sight re-reads after the restore
    assert "在册 2 人" in window.counts_label.text() and window.road.clerk == "赵军"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(kept), ""))
    _answer(monkeypatch, [True])
    window.restore_action.trigger()  # 文件 → 从备份恢复…
    assert wait_for_tasks()
    assert "恢复前的数据已另存为" in told[-1]
    assert "在册 1 人" in window.counts_label.text() and window.register_tab.count_label.text() == "共 1 人"
    assert window.windowTitle() == "残联工作台 - 金塔镇残疾人联合会" and window.road.clerk == "王芳"
    window.road.close()


def test_the_backups_list_shows_whole_times_and_sizes_even_before_the_first_backup(road: Road, qtbot: Any) -> None:
    from ui.dialogs.backups_list import BackupsDialog

    dialog = BackupsDialog(road)
    qtbot.addWidget(dialog)
    metrics, header = dialog.table.fontMetrics(), dialog.table.horizontalHeader()
    assert dialog.empty.isVisibleTo(dialog) and dialog.table.rowCount() == 0
    assert header.sectionSize(0) > metrics.horizontalAdvance("2026-11-30 23:59")
    assert header.sectionSize(1) > metrics.horizontalAdvance("999.9 MB")
