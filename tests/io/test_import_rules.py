"""The import rules on a messy roster: how each kind of row ends, what is saved, what is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEntry, Person
from app.errors import InputError
from app.io.roster_import import import_persons, import_roster, preview, preview_import, read_roster
from app.services.actions import Changes
from tests.factories import add_person, make_id
from tests.io.builders import HEADER, row, sheet_rows, write_roster

ZHANG = make_id("19800101", "123")  # 男
LI = make_id("19650302", "224")
WITH_X = make_id("19720305", "100")
WANG = make_id("19900909", "335")
SUN = make_id("19550505", "447")
ZHOU = make_id("20010203", "551")
WU = make_id("19480808", "663")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _messy(path: Path) -> Path:
    rows = [
        row("张三", ZHANG.translate(FULLWIDTH), address="金塔村1组3号") + ["1.70"],
        row("李四", LI[:6] + LI[8:17], category=4, grade=3.0) + [None],  # the old 15-digit ID
        row("王五", 620921199009093351) + [None],  # typed as a number: the last digits are gone
        row("赵六", WITH_X.lower(), village="新华村", group=3) + [None],
        [None] * 12,
        row("张三", ZHANG, phone="13900000000") + [None],
        row("钱七", WANG, sex="女") + [None],
        row("孙八", SUN, cert=SUN + "41") + [None],  # the certificate says 一级, the grade column 二级
        row("周九", ZHOU, cert=ZHOU + "53", category=None, grade=None) + [None],
        row("吴十", int(WU[:6] + WU[8:17])) + [None],  # a 15-digit ID as a number keeps every digit
    ]
    return write_roster(path, rows, header=[*HEADER, "身高"])


def _persons(db: Database) -> dict[str, Person]:
    with db.session() as session:
        return {p.name: p for p in session.scalars(select(Person))}


def test_messy_roster(db: Database, tmp_path: Path) -> None:
    result = import_persons(db, _messy(tmp_path / "花名册.xlsx"), report=tmp_path / "报告.xlsx")

    assert result.line() == "imported 6, updated 0, unchanged 0, rejected 3"
    reasons = {r.row: r.reason for r in result.rejected}
    assert reasons[6].startswith("身份证号被Excel存成了数字")
    assert reasons[9] == "与第4行身份证号重复：同一人只导入第一行。"
    assert reasons[11].startswith("残疾证号表明等级为一级，与填写的二级不符")
    assert result.warnings == [(10, "钱七", "性别填的是“女”，身份证号表明是“男”：已按身份证号记录。")]
    assert "未导入的列：序号、身高" in result.messages()
    assert not any(ZHANG in line or ZHANG[-4:] in line for line in result.messages())

    persons = _persons(db)
    assert set(persons) == {"张三", "李四", "赵六", "钱七", "周九", "吴十"}
    assert persons["吴十"].id_number == WU
    assert persons["张三"].id_number == ZHANG and persons["张三"].phone == ""
    assert persons["李四"].id_number == LI and (persons["李四"].category, persons["李四"].grade) == (4, 3)
    assert persons["赵六"].id_number == WITH_X
    assert persons["钱七"].sex == "男"
    assert (persons["周九"].category, persons["周九"].grade) == (5, 3)

    rejected = sheet_rows(tmp_path / "报告.xlsx", "被拒绝的行")
    assert rejected[0] == ["行号", "原因", *HEADER, "身高"]
    assert [(r[0], r[3]) for r in rejected[1:]] == [(6, "王五"), (9, "张三"), (11, "孙八")]
    assert rejected[2][5] == ZHANG  # the ID cell as it was: text, every digit
    assert sheet_rows(tmp_path / "报告.xlsx", "提示")[1] == [10, "钱七", result.warnings[0][2]]


def test_importing_the_same_file_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = _messy(tmp_path / "花名册.xlsx")
    import_persons(db, path)
    with db.session() as session:
        audit_rows = session.scalar(select(func.count()).select_from(AuditEntry))
    again = import_persons(db, path)
    assert again.line() == "imported 0, updated 0, unchanged 6, rejected 0"
    assert again.count("still_rejected") == 3
    assert "另有3行与此前导入时被拒绝的行相同，仍未导入。" in again.messages()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


def test_update_keeps_what_a_blank_cell_does_not_say(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        add_person(session, "张三", id_number=ZHANG, phone="13800000000", address="金塔村1组3号")
        add_person(session, "李四", id_number=LI, category="视力", grade="一级")
    rows = [
        row("张三", ZHANG, grade="一级", village="金塔村", group="1组"),
        row("李四", LI, category="视力", grade="一级"),
    ]
    result = import_persons(db, write_roster(tmp_path / "a.xlsx", rows))
    assert result.line() == "imported 0, updated 1, unchanged 1, rejected 0"
    zhang = _persons(db)["张三"]
    assert (zhang.grade, zhang.phone, zhang.address) == (1, "13800000000", "金塔村1组3号")


def test_a_certificate_of_someone_else_rejects_only_that_row(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        other = add_person(session, "旧记录", id_number=LI, category="肢体", grade="二级")
        other.certificate_number = ZHANG + "42"  # an old mistake already on the register
    path = write_roster(tmp_path / "a.xlsx", [row("张三", ZHANG, cert=ZHANG + "42"), row("赵六", WITH_X, number=2)])
    result = import_persons(db, path)
    assert result.line() == "imported 1, updated 0, unchanged 0, rejected 1"
    assert result.rejected[0].row == 4 and "已登记在旧记录名下" in result.rejected[0].reason

    with db.transaction() as session:  # the clerk corrects the old record; the same file now goes in
        session.scalars(select(Person).where(Person.name == "旧记录")).one().certificate_number = None
    assert import_persons(db, path).line() == "imported 1, updated 0, unchanged 1, rejected 0"


def test_a_certificate_stored_as_a_number_is_rejected(db: Database, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "a.xlsx", [row("张三", ZHANG, cert=int(ZHANG + "42"))])
    result = import_persons(db, path)
    assert result.line() == "imported 0, updated 0, unchanged 0, rejected 1"
    assert result.rejected[0].reason.startswith("残疾证号被Excel存成了数字")


def test_nothing_is_saved_when_the_report_cannot_be_written(db: Database, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "a.xlsx", [row("张三", ZHANG)])
    with pytest.raises(InputError, match="无法写入文件"):
        import_persons(db, path, report=tmp_path)  # a folder, not a file
    assert _persons(db) == {}


def test_preview_tells_each_rows_fate_without_saving(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        add_person(session, "李四", id_number=LI, category="视力", grade="一级")
    rows = [row("张三", ZHANG), row("李四", LI, category="视力", grade="一级"), row("", WANG),
            row("李四", LI, grade="三级")]
    roster = read_roster(write_roster(tmp_path / "a.xlsx", rows))
    with db.session() as session:
        shown = preview(session, roster)
    assert [(p.row, p.name, p.outcome) for p in shown] == [
        (4, "张三", "新增"), (5, "李四", "不变"), (6, "", "拒绝"), (7, "李四", "拒绝")]
    assert shown[0].id_masked == ZHANG[:4] + "*" * 10 + ZHANG[-4:]
    assert shown[2].reason == "姓名为空：请填写姓名。"
    with db.transaction() as session:  # inside the caller's own transaction, rolled back to where it was
        assert [p.outcome for p in preview(session, roster)] == ["新增", "不变", "拒绝", "拒绝"]
    seen: list[tuple[int, int]] = []
    assert preview_import(db, roster, progress=lambda done, total: seen.append((done, total))) == shown
    assert seen == [(4, 4)] and preview_import.changes == Changes.NOTHING and preview_import.long
    assert set(_persons(db)) == {"李四"}


def test_progress_reaches_the_total(db: Database, tmp_path: Path) -> None:
    rows = [row(f"张{'一二三四五六七八九'[i % 9]}", make_id(seq=f"{i:03d}"), number=i) for i in range(1, 151)]
    roster = read_roster(write_roster(tmp_path / "a.xlsx", rows))
    seen: list[tuple[int, int]] = []
    result = import_roster(db, roster, progress=lambda done, total: seen.append((done, total)))
    assert result.count("imported") == 150 and import_roster.long  # the window runs it off the GUI thread
    assert import_roster.changes == Changes.REGISTER | Changes.SUBSIDIES
    assert seen == [(100, 150), (150, 150)]


def test_a_village_name_two_towns_share_is_refused_for_a_new_person(db: Database, tmp_path: Path) -> None:
    """On a county's server two towns may each have a 中心村 (county staff see both): a roster row cannot say
    which, so it is refused with the reason; a person already in one of them keeps it, the other rows go in."""
    from app.db.models import Village

    with db.transaction("管理员") as session:
        session.add_all([Village(name="中心村", sort_order=1, town="金塔镇"),
                         Village(name="中心村", sort_order=2, town="东坝镇")])
        session.flush()
        kept = add_person(session, "孙八", id_number=SUN, village="金塔村")
        session.flush()
        session.query(Person).filter(Person.id == kept.id).update({"village_id": session.scalar(
            select(Village.id).where(Village.town == "金塔镇"))})
    rows = [row("张三", ZHANG, village="中心村"), row("李四", LI, village="新华村"),
            row("孙八", SUN, village="中心村", phone="13900000000")]
    result = import_roster(db, read_roster(write_roster(tmp_path / "花名册.xlsx", rows)))
    assert result.line() == "imported 1, updated 1, unchanged 0, rejected 1"
    refused = [("张三", "“中心村”不止一个乡镇有：请由该镇的经办人导入此行。")]
    assert [(r.name, r.reason) for r in result.rejected] == refused
