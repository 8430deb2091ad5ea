"""打印花名册 and 导出名单: the files are written in the background through the road, where the clerk is
told."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from app.db.engine import Database
from app.reports import ReportRequest, print_report
from app.services.settings import UnitInfo, save_unit_info
from tests.factories import add_person, make_id
from ui import printing
from ui.road import Road


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


def test_print_register_writes_into_the_print_folder_and_says_where(
    qtbot: Any, db: Database, persons: list[int], told: list[str]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    task = printing.print_register(parent, Road(db))
    qtbot.waitUntil(lambda: task.finished)
    written = task.result
    assert written is not None and written.parent == printing.print_folder()
    assert written.name.startswith("残疾人花名册-") and written.read_bytes().startswith(b"%PDF")
    assert told == [f"花名册已保存到 {written}。"]  # offscreen: no viewer is opened
    again = printing.register_pdf_path()
    assert again != written and again.name.endswith("(2).pdf")  # an open printout is never overwritten


def test_tell_uses_the_status_bar_of_the_main_window(qtbot: Any, told: list[str]) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    child = QWidget()
    window.setCentralWidget(child)
    printing.tell(child, "名单已保存到 D:/名单.xlsx")
    assert window.statusBar().currentMessage() == "名单已保存到 D:/名单.xlsx"
    assert told == []


def test_export_list_asks_where_and_writes_the_shown_persons(
    qtbot: Any, db: Database, persons: list[int], told: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
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
    assert task.result == written and told == [f"已把1人导出到 {written}"]
    assert Path(asked[0]).name.startswith("残疾人名单-")
    rows = list(openpyxl.load_workbook(written).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "身份证号") and [r[0] for r in rows[1:]] == ["李四"]
    assert rows[1][2] == make_id("19700505", "246")  # the whole ID, as text
    assert printing.settings().value(printing.EXPORT_FOLDER_KEY) == str(tmp_path / "导出")


def test_export_list_cancelled_writes_nothing(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))
    assert printing.export_list(None, Road(db), [1]) is None
