"""导入花名册 wizard on a workbook like the clerk's: title rows, a wrong ID, a repeated person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QMessageBox, QTableView, QWizard
from sqlalchemy import select

from app.cli import main
from app.db.engine import Database
from app.db.models import Person
from app.services.actions import Changes
from tests.factories import add_person, make_id
from tests.io import hostile
from tests.ui.clerk import child, click, tick
from ui.register.import_wizard import NOT_IMPORTED, ImportWizard
from ui.road import Road

ZHANG = make_id("19800101", "123")
ZHAO = make_id("19650302", "224")
BAD = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")  # check character wrong


def _roster(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["金塔镇残疾人花名册"])
    sheet.append(["填报单位：金塔镇残联", None, None, "2026年11月"])
    sheet.append(["序号", "姓名", "身份证号", "残疾类别", "残疾等级", "村", "组", "联系电话", "备注"])
    rows = [
        (1, "张三", ZHANG, "肢体", "二级", "金塔村", "1组", "13800000001", ""),
        (2, "李四", BAD, "视力", "一级", "金塔村", "2组", "", ""),
        (3, "张三", ZHANG, "肢体", "二级", "金塔村", "1组", "", "重复录入"),
        (4, "赵六", ZHAO, "智力", "三级", "红光村", "3组", "13900000009", ""),
    ]
    for row in rows:
        sheet.append(row)
    for cell in sheet["C"]:
        cell.number_format = "@"
    book.save(path)
    return path


@pytest.fixture
def wizard(qtbot: Any, db: Database) -> ImportWizard:
    with db.transaction() as session:
        add_person(session, "赵六", id_number=ZHAO, category="智力", grade="三级", village="红光村", group="3组")
    wizard = ImportWizard(Road(db))
    qtbot.addWidget(wizard)
    wizard.restart()
    return wizard


def _pick(qtbot: Any, wizard: ImportWizard, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """选择文件…, and the workbook chosen in the file dialog."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(path), ""))
    click(qtbot, wizard.file_page, "choose_file")


def _next(qtbot: Any, wizard: ImportWizard) -> None:
    """下一步 (开始导入 on the preview step)."""
    commit = wizard.currentPage().isCommitPage()
    which = QWizard.WizardButton.CommitButton if commit else QWizard.WizardButton.NextButton
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


@pytest.fixture
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *_a: shown.append(text))
    return shown


def test_the_first_step_asks_for_xlsx_only_and_says_how_to_convert_xls(
    wizard: ImportWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "旧版 .xls 请先在Excel中另存为 .xlsx" in wizard.file_page.subTitle()
    assert "或 .xls" not in wizard.file_page.subTitle()
    filters: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, _d, f: (filters.append(f), ("", ""))[1])
    wizard.file_page.choose_file()
    assert filters == ["Excel 工作簿 (*.xlsx)"]
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert not wizard.set_file(old)
    assert "另存为" in wizard.file_page.status.text()


def test_a_file_that_is_not_a_workbook_stays_on_the_first_step(
    wizard: ImportWizard, tmp_path: Path
) -> None:
    junk = tmp_path / "名单.xlsx"
    junk.write_text("这不是表格", encoding="utf-8")
    assert not wizard.set_file(junk)
    message = wizard.file_page.status.text()
    assert "名单.xlsx" in message and "：" in message
    assert not wizard.file_page.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.file_page


def test_a_hostile_workbook_gets_the_same_refusal_as_on_the_command_line(
    wizard: ImportWizard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 2 kB workbook with one cell at XFD1048576 once made the window vanish: now the first step says why."""
    bomb = hostile.far_cell(tmp_path / "外单位名单.xlsx")
    assert not wizard.set_file(bomb)
    assert main(["--db", str(tmp_path / "other.db"), "import", "persons", str(bomb)]) == 2
    refusal = capsys.readouterr().err.strip()
    assert "超过了200000行的上限" in refusal
    assert wizard.file_page.status.text() == refusal
    assert not wizard.file_page.isComplete()


def test_detects_header_and_mapping(qtbot: Any, wizard: ImportWizard, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _pick(qtbot, wizard, _roster(tmp_path / "花名册.xlsx"), monkeypatch)
    assert "第3行" in wizard.file_page.status.text()
    assert "4行数据" in wizard.file_page.status.text()
    _next(qtbot, wizard)
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    shown = {page.table.item(r, 1).text(): page.combos[r].currentText() for r in range(page.table.rowCount())}
    assert shown["姓名"] == "姓名" and shown["身份证号"] == "身份证号" and shown["村"] == "村"
    assert shown["序号"] == NOT_IMPORTED
    assert page.table.item(2, 2).text() == ZHANG[:4] + "*" * 10 + ZHANG[-4:]  # the sample ID is masked
    qtbot.keyClick(child(page, QComboBox, "column_B"), Qt.Key.Key_Home)  # the clerk drops 姓名 by mistake
    assert page.combos[1].currentText() == NOT_IMPORTED
    _next(qtbot, wizard)
    assert wizard.currentPage() is page
    assert "姓名" in page.error.text()


def test_previews_imports_and_reports(
    qtbot: Any, wizard: ImportWizard, db: Database, tmp_path: Path, no_message_boxes: list[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    _pick(qtbot, wizard, _roster(tmp_path / "花名册.xlsx"), monkeypatch)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    page = wizard.preview_page
    qtbot.waitUntil(page.isComplete)
    assert page.counts.text() == "导入后将新增 1 人，更新 1 人，不变 0 人，拒绝 2 行。"
    model = page.table.model
    lines = {model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(1, 5)]
             for r in range(model.rowCount())}
    assert lines["4"][2] == "新增" and lines["7"][2] == "更新"
    assert lines["5"][2] == "拒绝" and "身份证号" in lines["5"][3]
    assert lines["6"][2] == "拒绝" and "与第4行身份证号重复" in lines["6"][3]
    assert lines["4"][1] == ZHANG[:4] + "*" * 10 + ZHANG[-4:]  # rows taken: masked
    assert lines["5"][1] == BAD and lines["6"][1] == ZHANG  # rejected rows: the whole number as written
    page.table.only_rejected.setFocus()
    qtbot.keyClick(page.table.only_rejected, Qt.Key.Key_Space)
    assert page.table.visible_rows() == 2
    with db.session() as session:  # the preview saved nothing
        assert session.scalar(select(Person).where(Person.id_number == ZHANG)) is None

    imported: list[object] = []
    told: list[Changes] = []
    wizard.imported.connect(imported.append)
    wizard.road.changed.connect(told.append)
    _next(qtbot, wizard)
    result_page = wizard.result_page
    qtbot.waitUntil(result_page.isComplete)
    assert result_page.summary.text() == "导入完成：新增 1 人，更新 1 人，不变 0 人，拒绝 2 行。"
    assert "未导入的列：序号" in result_page.details.text()
    assert imported and no_message_boxes == []
    assert told == [Changes.REGISTER | Changes.SUBSIDIES]  # every screen hears of it (the preview said nothing)
    with db.session() as session:
        zhang = session.scalar(select(Person).where(Person.id_number == ZHANG))
        zhao = session.scalar(select(Person).where(Person.id_number == ZHAO))
        assert zhang is not None and zhang.phone == "13800000001"
        assert zhao is not None and zhao.phone == "13900000009"
        assert session.scalar(select(Person).where(Person.name == "李四")) is None

    assert result_page.save_button.isEnabled()
    saved = tmp_path / "拒绝清单.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(saved), ""))
    click(qtbot, result_page, "save_rejections")
    assert "拒绝清单已保存到" in result_page.saved.text()
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [5, 6]
    assert "与第4行身份证号重复" in rows[1][1]


def test_a_rejected_row_shows_its_whole_number_to_compare_with_the_paper(
    qtbot: Any, wizard: ImportWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """李四's number does not check: the preview says so without naming a last digit to put in, and shows
    the whole number, as the sheet has it, so the clerk can compare it with the paper digit by digit."""
    _pick(qtbot, wizard, _roster(tmp_path / "花名册.xlsx"), monkeypatch)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    page = wizard.preview_page
    qtbot.waitUntil(page.isComplete)
    tick(qtbot, page, "only_rejected")
    view = child(page, QTableView, "preview")
    shown = {view.model().index(r, 1).data(): [view.model().index(r, c).data() for c in (2, 4)]
             for r in range(view.model().rowCount())}
    number, reason = shown["李四"]
    assert number == BAD
    assert "没有通过校验" in reason and "对照身份证逐位核对整个号码" in reason
    assert "最后一位" not in reason and "应为" not in reason
    assert "完整的身份证号" in child(page, QLabel, "id_hint").text()
    # the command line's rejection report gives the same reason
    report = tmp_path / "拒绝.xlsx"
    assert main(["--db", str(tmp_path / "cli.db"), "import", "persons", str(tmp_path / "花名册.xlsx"),
                 "--report", str(report)]) == 0
    capsys.readouterr()
    rows = list(openpyxl.load_workbook(report).worksheets[0].iter_rows(min_row=2, values_only=True))
    reasons = {row[0]: row[1] for row in rows}
    assert reasons[5] == reason


def test_a_second_roster_sheet_is_named_on_the_first_step(wizard: ImportWizard, tmp_path: Path) -> None:
    path = _roster(tmp_path / "两个村.xlsx")
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("红光村")
    other.append(["姓名", "身份证号"])
    other.append(["孙七", make_id("19900909", "357")])
    book.save(path)
    assert wizard.set_file(path)
    assert "工作表“红光村”也像花名册，这次不导入" in wizard.file_page.status.text()
