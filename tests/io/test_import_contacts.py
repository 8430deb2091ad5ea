"""Importing a roster: a bad phone or bank account, or a new person without a village, rejects the row with
its reason, as any other field error does; a number already on file, given again as it is, does not."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Person
from app.io.roster_import import import_persons
from tests.factories import add_person, make_id
from tests.io.builders import HEADER, row, sheet_rows, write_roster

OLD = make_id("19600101", "111")
NEW = make_id("19700101", "222")
NO_VILLAGE = make_id("19800101", "333")
GOOD = make_id("19900101", "444")


def test_bad_numbers_and_a_missing_village_reject_their_rows_with_the_reason(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        old = add_person(s, "老户", id_number=OLD, grade="三级")
        old.phone = "4421234"  # on file from before numbers were checked
    rows = [
        row("老户", OLD, grade="二级", phone="4421234", number=1),  # unchanged odd phone: the grade goes in
        row("新户", NEW, phone="12345", number=2),
        row("无村", NO_VILLAGE, village="", number=3),
        row("好户", GOOD, phone=13900001111, number=4) + ["6228 4800 1234 5678 901"],
        row("错号", make_id("19500101", "555"), number=5) + ["62284800"],
    ]
    result = import_persons(db, write_roster(tmp_path / "花名册.xlsx", rows, header=[*HEADER, "银行账号"]),
                            report=tmp_path / "报告.xlsx")
    assert result.line() == "imported 1, updated 1, unchanged 0, rejected 3"
    reasons = {r.name: r.reason for r in result.rejected}
    assert reasons["新户"].startswith("联系电话“12345”不是电话号码")
    assert reasons["无村"].startswith("村为空")
    assert reasons["错号"].startswith("银行账号“62284800”应为12到25位数字")
    report = sheet_rows(tmp_path / "报告.xlsx", "被拒绝的行")
    assert [line[1] for line in report[1:]] == [reasons["新户"], reasons["无村"], reasons["错号"]]
    with db.session() as s:
        persons = {p.name: p for p in s.scalars(select(Person))}
        assert set(persons) == {"老户", "好户"}
        assert (persons["老户"].grade, persons["老户"].phone) == (2, "4421234")
        assert (persons["好户"].phone, persons["好户"].bank_account) == ("13900001111", "6228480012345678901")


def test_a_changed_phone_of_a_person_on_file_is_checked(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        add_person(s, "老户", id_number=OLD).phone = "4421234"
    result = import_persons(db, write_roster(tmp_path / "a.xlsx", [row("老户", OLD, phone="4421235")]))
    assert result.line() == "imported 0, updated 0, unchanged 0, rejected 1"
    assert "联系电话“4421235”" in result.rejected[0].reason
    with db.session() as s:
        assert s.scalars(select(Person.phone)).one() == "4421234"
