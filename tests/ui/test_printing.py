"""打印 and 导出 from every tab: a printout opens in 打印预览 (not in a folder the clerk must find), every
export asks where with the last folder remembered, and what was saved is offered to be opened."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton, QWidget

from app.db.engine import Database
from app.reports import ReportRequest, print_report
from app.services.settings import UnitInfo, save_unit_info
from tests.factories import add_person, make_id
from tests.ui.modal import when_shown
from tests.ui.printed import previewed
from ui import printing
from ui.road import Road
from ui.tasks import wait_for_tasks


@pytest.fixture
def persons(db: Database) -> list[int]:
    with db.transaction() as session:
        save_unit_info(session, UnitInfo(town="金塔镇", clerk="王芳"))
        ids = [add_person(session, "张三").id,
               add_person(session, "李四", id_number=make_id("19700505", "246"), village="红光村").id]
    return ids


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        return path.read_bytes().decode("latin-1")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_register_pdf_of_the_chosen_persons(db: Database, persons: list[int], tmp_path: Path) -> None:
    path = print_report(db, ReportRequest("registry", tmp_path / "花名册.pdf", person_ids=persons[1:]))
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = _pdf_text(path)
        assert "金塔镇残疾人花名册" in text and "李四" in text and "张三" not in text


def test_print_register_opens_the_preview_of_what_it_wrote_and_leaves_documents_alone(
    qtbot: Any, db: Database, persons: list[int], told: list[str], tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    task = printing.print_register(parent, Road(db), persons[1:])
    qtbot.waitUntil(lambda: task.finished)
    written = task.result
    assert written is not None and written.name.startswith("残疾人花名册-")
    assert previewed() == [written] and told == []
    assert "李四" in _pdf_text(written) and "张三" not in _pdf_text(written)
    assert written.parent == printing.printout_folder() and not (tmp_path / "Documents").exists()
    again = printing.printout_path(written.stem)
    assert again != written and again.name.endswith("(2).pdf")  # a printout being shown is never overwritten


def test_tell_uses_the_status_bar_of_the_main_window(qtbot: Any, told: list[str]) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    child = QWidget()
    window.setCentralWidget(child)
    printing.tell(child, "名单已保存到 D:/名单.xlsx")
    assert window.statusBar().currentMessage() == "名单已保存到 D:/名单.xlsx"
    assert told == []


def test_export_list_asks_where_remembers_the_folder_and_offers_to_open(
    qtbot: Any, db: Database, persons: list[int], saved: list[tuple[str, Path]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def save_dialog(_parent: object, title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "导出" / "红光村名单"), ""  # typed without .xlsx

    (tmp_path / "导出").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    parent = QWidget()
    qtbot.addWidget(parent)
    task = printing.export_list(parent, Road(db), persons[1:])
    assert task is not None
    qtbot.waitUntil(lambda: task.finished)
    written = tmp_path / "导出" / "红光村名单.xlsx"
    assert task.result == written and saved == [(f"已把1人导出到 {written}", written)]
    assert Path(asked[0]).name.startswith("残疾人名单-")
    rows = list(openpyxl.load_workbook(written).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "身份证号") and [r[0] for r in rows[1:]] == ["李四"]
    assert rows[1][2] == make_id("19700505", "246")  # the whole ID, as text
    task = printing.export_list(parent, Road(db), persons)
    assert task is not None and wait_for_tasks()
    assert Path(asked[1]).parent == tmp_path / "导出"  # the next export starts where the last one went


def test_export_list_cancelled_writes_nothing(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    printing.settings().setValue(printing.EXPORT_FOLDER_KEY, str(tmp_path))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))
    assert printing.export_list(None, Road(db), [1]) is None
    assert printing.settings().value(printing.EXPORT_FOLDER_KEY) == str(tmp_path)  # a refusal moves nothing
    assert not list(tmp_path.rglob("*.xlsx"))


@pytest.mark.parametrize(("button", "opened"), [("打开文件(&O)", "file"), ("打开所在文件夹(&F)", "folder")])
def test_the_saved_box_opens_the_file_or_its_folder(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, button: str, opened: str
) -> None:
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    file = tmp_path / "名单.xlsx"
    file.write_bytes(b"x")

    seen: list[tuple[str, list[str]]] = []

    def click(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), sorted(b.text() for b in box.buttons())))
        next(b for b in box.findChildren(QPushButton) if b.text() == button).click()

    when_shown("saved", click)
    assert printing.offer_to_open(None, "导出", f"已导出到 {file}", file) == opened
    assert seen == [(f"已导出到 {file}", sorted(["打开文件(&O)", "打开所在文件夹(&F)", "关闭"]))]
    assert [u.toLocalFile() for u in urls] == [str(file if opened == "file" else tmp_path)]
