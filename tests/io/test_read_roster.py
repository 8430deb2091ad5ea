"""Reading roster workbooks: the header found under title rows, the columns mapped, unreadable files refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.errors import InputError
from app.io.roster_import import read_roster
from tests.factories import make_id
from tests.io.builders import row, write_roster

ID = make_id()


def test_header_below_titles_with_other_spellings_and_an_unknown_column(tmp_path: Path) -> None:
    header = ["序 号", "姓  名", "公民身份号码", "残疾人证号码", "类别", "等级", "村（社区）", "村民小组", "家庭住址",
              "手机", "低保", "自理能力", "监护人", "身高", "备注"]
    path = write_roster(tmp_path / "a.xlsx", [[1, "张三", ID] + [None] * 12], header=header)
    roster = read_roster(path)
    assert roster.header_row == 3
    assert roster.mapping == {
        "name": 1, "id_number": 2, "certificate_number": 3, "category": 4, "grade": 5, "village": 6, "group": 7,
        "address": 8, "phone": 9, "dibao": 10, "self_care": 11, "guardian": 12, "notes": 14,
    }
    assert roster.ignored == ["序号", "身高"]
    assert [(r.number, r.cells[1]) for r in roster.rows] == [(4, "张三")]


def test_blank_rows_are_left_out_and_rows_keep_their_sheet_numbers(tmp_path: Path) -> None:
    rows = [row("张三", ID), [None] * 11, row("李四", make_id(seq="224"), number=2)]
    roster = read_roster(write_roster(tmp_path / "a.xlsx", rows))
    assert [r.number for r in roster.rows] == [4, 6]


def test_merged_village_cell_applies_to_every_row_it_covers(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "a.xlsx", [row("张三", ID), row("李四", make_id(seq="224"), village="")])
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("H4:H5")  # type: ignore[union-attr]
    book.save(path)
    roster = read_roster(path)
    assert [roster.cell(r, "village") for r in roster.rows] == ["金塔村", "金塔村"]


def test_two_line_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号", "残疾情况", None, "村"])
    sheet.append([None, None, "类别", "等级", None])
    sheet.append(["张三", ID, "肢体", "二级", "金塔村"])
    sheet.merge_cells("C1:D1")
    book.save(tmp_path / "a.xlsx")
    roster = read_roster(tmp_path / "a.xlsx")
    assert roster.mapping == {"name": 0, "id_number": 1, "category": 2, "grade": 3, "village": 4}
    assert [r.number for r in roster.rows] == [3]


def test_with_mapping_lets_the_clerk_choose_columns(tmp_path: Path) -> None:
    header = ["姓名", "证件号", "身份证号", "残疾类别", "残疾等级"]
    roster = read_roster(write_roster(tmp_path / "a.xlsx", [["张三", ID, "旧号", "肢体", "二级"]], header=header))
    assert roster.mapping["id_number"] == 2 and roster.ignored == ["证件号"]
    chosen = roster.with_mapping({"name": 0, "id_number": 1, "category": 3, "grade": 4})
    assert chosen.ignored == ["身份证号"]
    assert chosen.cell(chosen.rows[0], "id_number") == ID
    with pytest.raises(InputError, match="身份证号"):
        roster.with_mapping({"name": 0})
    with pytest.raises(InputError, match="同一列"):
        roster.with_mapping({"name": 0, "id_number": 0})


def test_picks_the_first_sheet_with_a_header_and_names_the_others(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["本表由村委会填写"])
    for name in ("金塔村", "新华村"):
        sheet = book.create_sheet(name)
        sheet.append(["姓名", "身份证号", "残疾类别", "残疾等级"])
        sheet.append(["张三", ID, "肢体", "二级"])
    book.save(tmp_path / "a.xlsx")
    roster = read_roster(tmp_path / "a.xlsx")
    assert (roster.sheet_name, roster.other_sheets) == ("金塔村", ["新华村"])


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("名单.xlsx", "姓名,身份证号\n张三,1\n".encode(), "不是Excel工作簿"),
        ("加密.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "密码"),
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "旧版Excel（.xls）"),
        ("坏的.xlsx", b"PK\x03\x04" + bytes(100), "已损坏"),
    ],
)
def test_files_that_are_not_readable_workbooks(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        read_roster(path)


def test_missing_file_and_workbook_without_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到文件"):
        read_roster(tmp_path / "没有.xlsx")
    path = write_roster(tmp_path / "a.xlsx", [["张三", "肢体"]], header=["名字", "残疾"])
    with pytest.raises(InputError, match="找不到表头行"):
        read_roster(path)
