"""Exporting the register: one header row the importer knows, IDs as text, and a file that imports back unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy import select

from app.db.engine import Database, open_database
from app.db.models import Person
from app.io.persons_export import export_persons, export_rows
from app.io.roster_import import import_persons, read_roster
from app.services.register import status_changes
from tests.factories import add_person, make_id

REQUIRED = ["姓名", "性别", "身份证号", "残疾证号", "残疾类别", "残疾等级", "村", "组", "住址", "联系电话"]
ZHANG = make_id("19800101", "123")
LI = make_id("19650302", "224")
WITH_X = make_id("19720305", "100")


def _fill(db: Database) -> None:
    with db.transaction() as session:
        add_person(session, "张三", id_number=ZHANG, certificate_number=ZHANG + "42", phone="09374421234",
                   address="金塔村1组3号", dibao="二类低保", labor_ability="部分", self_care="部分自理",
                   guardian="张大", guardian_phone="13700000000", notes="独子", certificate_issued="2020-05-01",
                   bank_account="6228480402564890018", bank_name="农业银行", medical_insurance="是")
        add_person(session, "李四", id_number=LI, category="多重", components="肢体、智力", grade="一级",
                   village="新华村", group="3")
        add_person(session, "赵六", id_number=WITH_X, category="视力", grade="四级", village="新华村", group="1组")
        moved = add_person(session, "钱七", id_number=make_id("19900909", "335"))
        status_changes.change_status(session, moved, "迁出", dt.date.today(), "迁往外县")


def test_export_writes_the_register_with_text_ids(db: Database, tmp_path: Path) -> None:
    _fill(db)
    with db.session() as session:
        path = export_persons(session, tmp_path / "导出" / "花名册.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[: len(REQUIRED) + 3] == ["姓名", "性别", "身份证号", "残疾证号", "残疾类别", "多重残疾组成",
                                           "残疾等级", "发证日期", "村", "组", "住址", "联系电话", "是否低保"]
    assert {"是否低保", "劳动能力", "生活自理能力", "监护人", "备注"} <= set(header)
    rows = {r[0].value: {h: c for h, c in zip(header, r, strict=True)} for r in sheet.iter_rows(min_row=2)}
    assert list(rows) == ["张三", "赵六", "李四"]  # by village and group; 钱七 moved out
    zhang = rows["张三"]
    for column in ("身份证号", "残疾证号", "联系电话", "银行账号"):
        assert zhang[column].data_type == "s" and zhang[column].number_format == "@"
    assert (zhang["身份证号"].value, zhang["联系电话"].value) == (ZHANG, "0937-4421234")
    assert (zhang["残疾类别"].value, zhang["残疾等级"].value) == ("肢体", "二级")
    assert (zhang["是否低保"].value, zhang["低保类别"].value, zhang["监护人"].value) == ("是", "二类", "张大")
    assert rows["李四"]["多重残疾组成"].value == "肢体、智力"
    assert rows["赵六"]["身份证号"].value == WITH_X
    assert read_roster(path).ignored == []


def test_export_imports_back_unchanged(db: Database, tmp_path: Path) -> None:
    _fill(db)
    with db.session() as session:
        path = export_persons(session, tmp_path / "花名册.xlsx")
    assert import_persons(db, path).line() == "imported 0, updated 0, unchanged 3, rejected 0"

    with open_database(tmp_path / "另一个.db") as other:
        assert import_persons(other, path).line() == "imported 3, updated 0, unchanged 0, rejected 0"
        assert import_persons(other, path).line() == "imported 0, updated 0, unchanged 3, rejected 0"
        with other.session() as session:
            zhang = session.scalars(select(Person).where(Person.id_number == ZHANG)).one()
            assert zhang.household is not None and zhang.household.dibao_class == 2
            assert (zhang.bank_account, zhang.certificate_issued) == ("6228480402564890018", dt.date(2020, 5, 1))


def test_export_rows_writes_the_list_in_its_order(db: Database, tmp_path: Path) -> None:
    _fill(db)
    with db.session() as session:
        ids = {p.name: p.id for p in session.scalars(select(Person))}
        path = export_rows(session, [ids["钱七"], ids["张三"]], tmp_path / "名单.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["钱七", "张三"]
