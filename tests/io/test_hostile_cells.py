"""Cells no roster should hold, from workbooks made elsewhere: control and invisible characters, TRUE,
numbers that are not numbers, text that looks like a formula. What is stored is clean, every export
still works, and text goes out as text and comes back as it went."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from app.cli import main
from app.db.engine import Database
from app.db.models import Person
from app.io.persons_export import export_persons
from app.io.roster_import import import_persons
from tests.factories import add_person, make_id
from tests.io import hostile

YEAR = dt.date.today().year
IDS = [make_id("19800101", f"{n:03d}") for n in range(101, 140)]
FORMULA_NAMES = ['=HYPERLINK("http://例.cn","点我")', "+张三", "-李四", "@王五", "=cmd|' /C calc'!A", "=李六"]


def _names(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {p.id_number: p.name for p in session.scalars(select(Person))}


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_control_and_invisible_characters_are_taken_out(db: Database, tmp_path: Path) -> None:
    rows = [
        ("张\a三", IDS[0], "肢体", "二级", "金塔村"),       # BEL
        ("李\x00四", IDS[1], "肢体", "二级", "金塔村"),     # NUL
        ("王五\x7f", IDS[2], "肢体", "二级", "金\x1b塔村"),  # DEL, ESC
        ("赵\t六", IDS[3], "肢体", "二级", "金塔村"),       # tab
        ("钱\n七", IDS[4], "肢体", "二级", "金塔村\r\n"),    # line breaks
        ("\u200b孙八\ufeff", IDS[5], "肢体", "二级", "金塔村"),  # zero-width space, BOM
        ("\u200b\u200b\u200b", IDS[6], "肢体", "二级", "金塔村"),  # nothing visible at all
        ("周\u3000九", "\u200e" + IDS[7], "肢体", "二级", "金塔村"),  # ideographic space; LRM in the ID
    ]
    result = import_persons(db, hostile.roster(tmp_path / "名单.xlsx", rows))
    assert result.line() == "imported 7, updated 0, unchanged 0, rejected 1"
    assert [(r.row, r.reason) for r in result.rejected] == [(8, "姓名为空：请填写姓名。")]
    names = _names(db)
    assert [names[i] for i in (*IDS[:6], IDS[7])] == ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九"]
    with db.session() as session:
        assert {p.village.name for p in session.scalars(select(Person))} == {"金塔村"}


def test_cells_that_are_no_text_reject_their_row(db: Database, tmp_path: Path) -> None:
    rows = [
        (True, IDS[0], "肢体", "二级", "金塔村"),            # TRUE is not a person named "True"
        ("李四", IDS[1], True, "二级", "金塔村"),            # and not 视力 (TRUE counts as 1)
        ("王五", IDS[2], "肢体", float("nan"), "金塔村"),
        ("赵六", IDS[3], "肢体", "二级", float("inf")),
        ("钱七", IDS[4], "肢体", "二级", "金塔村"),
    ]
    result = import_persons(db, hostile.roster(tmp_path / "名单.xlsx", rows), report=tmp_path / "报告.xlsx")
    assert result.line() == "imported 1, updated 0, unchanged 0, rejected 4"
    assert [r.reason for r in result.rejected] == [
        "姓名一栏是逻辑值TRUE，不是姓名：请核对这一格。", "残疾类别一栏是逻辑值TRUE，不是残疾类别：请核对这一格。",
        "残疾等级一栏的数值无法识别：请核对这一格。", "村一栏的数值无法识别：请核对这一格。"]
    assert list(_names(db).values()) == ["钱七"]


def test_a_rejected_cell_with_a_control_character_goes_into_the_report(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad_id = IDS[0][:-1] + ("1" if IDS[0][-1] == "0" else "0")
    rows = [("张\a三", bad_id + "\a", "肢体", "二级", "金塔村"), ("李四", IDS[1], "肢\x00体", "二级", "金塔村")]
    report = tmp_path / "报告.xlsx"
    code, out, err = _run(capsys, db_path, "import", "persons", str(hostile.roster(tmp_path / "名单.xlsx", rows)),
                          "--report", str(report))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "imported 1, updated 0, unchanged 0, rejected 1"
    rejected = CalamineWorkbook.from_path(str(report)).get_sheet_by_name("被拒绝的行").to_python()
    assert rejected[1][:4] == [2.0, rejected[1][1], "张三", bad_id]


def test_stored_text_no_workbook_can_hold_does_not_stop_the_exports(
        db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text stored before these checks (or by any other way) still leaves the office on the stick."""
    with db.transaction() as session:
        add_person(session, "张三", id_number=IDS[0])
        add_person(session, "李四", id_number=IDS[1], village="新华村")
        for person in session.scalars(select(Person)):
            person.name = person.name[0] + "\a\x00" + person.name[1:]
            person.address = "金塔村\x0b1组"
    db.close()
    code, _, err = _run(capsys, db_path, "export", "persons", str(tmp_path / "花名册.xlsx"))
    assert (code, err) == (0, "")
    names = [r[0] for r in CalamineWorkbook.from_path(str(tmp_path / "花名册.xlsx")).get_sheet_by_index(0).to_python()]
    assert names == ["姓名", "张三", "李四"]
    code, out, err = _run(capsys, db_path, "export", "bundle", "--to", str(tmp_path / "U盘"), "--year", str(YEAR))
    assert (code, err) == (0, ""), err
    assert Path(out.strip()).is_dir()


def _formula_register(db: Database) -> None:
    with db.transaction() as session:
        for name, id_number in zip(FORMULA_NAMES, IDS, strict=False):
            add_person(session, name, id_number=id_number, village="=村委会", address="-1组", notes="@备注")


def test_text_that_looks_like_a_formula_is_written_as_text(db: Database, tmp_path: Path) -> None:
    _formula_register(db)
    with db.session() as session:
        path = export_persons(session, tmp_path / "花名册.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    written = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert written and all(c.data_type == "s" for c in written)
    assert all(c.quotePrefix for c in written if c.value.startswith(("=", "+", "-", "@")))
    assert sorted(c.value for c in written if c.column == 1) == sorted(FORMULA_NAMES)


def test_an_exported_register_with_such_names_imports_back_unchanged(db: Database, tmp_path: Path) -> None:
    _formula_register(db)
    with db.session() as session:
        path = export_persons(session, tmp_path / "花名册.xlsx")
    result = import_persons(db, path)
    assert result.line() == f"imported 0, updated 0, unchanged {len(FORMULA_NAMES)}, rejected 0"
    assert sorted(_names(db).values()) == sorted(FORMULA_NAMES)


def test_the_register_report_and_the_rejection_report_write_no_formulas(
        db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _formula_register(db)
    rows = [("=1+1", IDS[20], "肢体", "二级", "=SUM(A1)")]  # a name with digits: rejected, into the report
    import_persons(db, hostile.roster(tmp_path / "名单.xlsx", rows), report=tmp_path / "报告.xlsx")
    db.close()
    code, _, err = _run(capsys, db_path, "report", "registry", "--out", str(tmp_path / "花名册.xlsx"))
    assert (code, err) == (0, "")
    code, _, err = _run(capsys, db_path, "report", "yearly", "--year", str(YEAR), "--out", str(tmp_path / "年报.xlsx"))
    assert (code, err) == (0, "")
    for name in ("报告.xlsx", "花名册.xlsx", "年报.xlsx"):
        book = openpyxl.load_workbook(tmp_path / name)
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
        assert not [c.value for c in cells if c.data_type == "f"], name
        looks_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "@"))]
        assert looks_like and all(c.quotePrefix for c in looks_like), name


def test_an_unexpected_error_leaves_no_id_number_in_the_log(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash of --report on a control character logged the cell, ID number and all."""
    import app.io.roster_import
    from app import paths

    def crash(*_args: object, **_kwargs: object) -> None:
        raise ValueError(f"{IDS[0]} and {IDS[1]}42 cannot be used in worksheets.")

    monkeypatch.setattr(app.io.roster_import, "import_roster", crash)
    rows = [("张三", IDS[0], "肢体", "二级", "金塔村")]
    code, _, err = _run(capsys, db_path, "import", "persons", str(hostile.roster(tmp_path / "名单.xlsx", rows)))
    assert code == 1 and IDS[0] not in err
    log = paths.log_path().read_text(encoding="utf-8")
    assert "cannot be used in worksheets" in log
    assert IDS[0] not in log and IDS[1] not in log
    assert f"{IDS[0][:4]}{'*' * 10}{IDS[0][-4:]} and {IDS[1][:4]}{'*' * 12}" in log
