"""An update row says only what it has: a phone list from another system (姓名, 身份证号, 联系电话 and
empty 残疾类别/残疾等级 columns) updates the persons already on the register; only a new person needs
the required fields."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Person
from app.io.roster_import import import_persons
from tests.factories import add_person, make_id
from tests.io.builders import write_roster

ZHANG = make_id("19800101", "123")
LI = make_id("19650302", "224")
WANG = make_id("19900909", "335")
NEW = make_id("19720305", "100")
PHONE_LIST = ["姓名", "身份证号", "联系电话", "残疾类别", "残疾等级"]


def _persons(db: Database) -> dict[str, Person]:
    with db.session() as session:
        return {p.id_number: p for p in session.scalars(select(Person))}


def _register(db: Database) -> None:
    with db.transaction() as session:
        add_person(session, "张三", id_number=ZHANG, category="肢体", grade="二级", phone="13800000001")
        add_person(session, "李四", id_number=LI, certificate_number=LI + "11", category="视力", grade="一级",
                   village="红光村")
        add_person(session, "王五", id_number=WANG, category="多重", grade="一级", components="视力、肢体")


def test_a_phone_list_updates_the_persons_on_the_register(db: Database, tmp_path: Path) -> None:
    _register(db)
    rows = [("张三", ZHANG, "13912345678", None, None),
            ("李四", LI, "13912345679", None, None),
            ("王五", WANG, "13800000003", None, None)]
    result = import_persons(db, write_roster(tmp_path / "电话.xlsx", rows, header=PHONE_LIST, titles=()))
    assert result.line() == "imported 0, updated 3, unchanged 0, rejected 0"
    persons = _persons(db)
    assert [persons[i].phone for i in (ZHANG, LI, WANG)] == ["13912345678", "13912345679", "13800000003"]
    assert (persons[ZHANG].category, persons[ZHANG].grade) == (4, 2)
    assert (persons[LI].category, persons[LI].grade, persons[LI].certificate_number) == (1, 1, LI + "11")
    assert (persons[WANG].category, persons[WANG].components) == (7, "1,4")


def test_a_blank_name_or_component_list_keeps_what_is_stored(db: Database, tmp_path: Path) -> None:
    _register(db)
    header = ["姓名", "身份证号", "残疾类别", "残疾等级", "多重残疾组成", "村"]
    rows = [(None, ZHANG, None, "一级", None, "新华村"),   # the grade changed, the name is not repeated
            ("王五", WANG, None, None, "视力、听力", None)]  # the components of a 多重 person on file
    result = import_persons(db, write_roster(tmp_path / "a.xlsx", rows, header=header, titles=()))
    assert result.line() == "imported 0, updated 2, unchanged 0, rejected 0"
    with db.session() as session:
        zhang = session.scalars(select(Person).where(Person.id_number == ZHANG)).one()
        assert (zhang.name, zhang.grade, zhang.village.name) == ("张三", 1, "新华村")
    assert _persons(db)[WANG].components == "1,2"


def test_a_new_person_still_needs_every_required_field(db: Database, tmp_path: Path) -> None:
    _register(db)
    rows = [("张三", ZHANG, "13912345678", None, None),
            ("赵六", NEW, "13912345670", None, None)]
    result = import_persons(db, write_roster(tmp_path / "电话.xlsx", rows, header=PHONE_LIST, titles=()))
    assert result.line() == "imported 0, updated 1, unchanged 0, rejected 1"
    assert result.rejected[0].row == 3
    assert result.rejected[0].reason.startswith("残疾类别为空")
    assert NEW not in _persons(db)


def test_a_grade_against_the_certificate_on_file_is_rejected(db: Database, tmp_path: Path) -> None:
    """李四's certificate on file says 视力一级: a roster saying 三级 without a new certificate is a mistake
    to check, not a change to make (the certificate would then say one grade and the register another)."""
    _register(db)
    rows = [("李四", LI, None, None, "三级")]
    result = import_persons(db, write_roster(tmp_path / "a.xlsx", rows, header=PHONE_LIST, titles=()))
    assert result.line() == "imported 0, updated 0, unchanged 0, rejected 1"
    assert result.rejected[0].reason.startswith("登记的残疾证号表明等级为一级，与填写的三级不符")
    assert _persons(db)[LI].grade == 1
