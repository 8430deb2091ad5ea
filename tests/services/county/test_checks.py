"""待核实 (issue 17): what only the county sees across towns, each found on built data with both towns'
facts, listed once, and resolved with a note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.db.engine import Database, open_database
from app.db.models import Household, Person, SubsidyPayment
from app.errors import InputError
from app.services.county.checks import CheckKind, check_lines, resolve_check
from app.services.county.importing import accept_package
from app.services.register.status_changes import change_status
from app.services.report_package import contents
from app.services.report_package.package import export_report_package
from tests.county_towns import make_town


@pytest.fixture
def towns(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    a, b = make_town(tmp_path, "金塔镇", seed=11), make_town(tmp_path, "银河乡", seed=12)
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "县残联.db")
    yield db
    db.close()


def on_register(db: Database, skip: int = 0, *, paid: bool = False) -> tuple[int, str, str]:
    """(id, ID number, name) of a person on the register (one with payments when paid)."""
    with db.session() as s:
        stmt = select(Person.id, Person.id_number, Person.name).where(Person.status == "在册")
        if paid:
            stmt = stmt.where(Person.id.in_(select(SubsidyPayment.person_id).where(
                SubsidyPayment.month >= dt.date(dt.date.today().year, 1, 1))))
        row = s.execute(stmt.order_by(Person.id).offset(skip).limit(1)).one()
        return row[0], row[1], row[2]


def give_id(db: Database, person_id: int, id_number: str) -> None:
    with db.transaction() as s:
        person = s.get(Person, person_id)
        assert person is not None
        person.id_number = id_number


def set_status(db: Database, person_id: int, status: str, on: dt.date) -> None:
    with db.transaction() as s:
        person = s.get(Person, person_id)
        assert person is not None
        change_status(s, person, status, on, "核实")


def import_both(county: Database, towns: tuple[Database, Database], folder: Path) -> list[Any]:
    for db in towns:
        accept_package(county, export_report_package(db, folder), register_key=True)
    return check_lines(county)


def test_nothing_to_check_between_two_distinct_towns(towns: tuple[Database, Database], county: Database,
                                                      tmp_path: Path) -> None:
    assert import_both(county, towns, tmp_path) == []


def test_the_same_id_on_the_register_in_two_towns(towns: tuple[Database, Database], county: Database,
                                                  tmp_path: Path) -> None:
    a, b = towns
    _, id_number, name_a = on_register(a)
    other, _, name_b = on_register(b)
    give_id(b, other, id_number)
    lines = import_both(county, towns, tmp_path)
    assert [line.kind for line in lines] == [CheckKind.TWO_REGISTERS]
    facts = lines[0].facts
    assert f"金塔镇：{name_a} 在册" in facts and f"银河乡：{name_b} 在册" in facts
    assert id_number not in facts and f"{id_number[:4]}**********{id_number[-4:]}" in facts  # masked


def test_moved_out_of_one_town_and_registered_in_another_is_one_move(
        towns: tuple[Database, Database], county: Database, tmp_path: Path) -> None:
    a, b = towns
    person, id_number, name = on_register(a)
    set_status(a, person, "迁出", dt.date.today() - dt.timedelta(days=30))
    other, _, _ = on_register(b)
    give_id(b, other, id_number)
    lines = import_both(county, towns, tmp_path)
    assert [line.kind for line in lines] == [CheckKind.MOVE]
    assert lines[0].facts.startswith("一次迁移：金塔镇：") and f"{name} 迁出" in lines[0].facts
    assert "银河乡：" in lines[0].facts and " 在册" in lines[0].facts


def test_dead_in_one_town_and_still_paid_in_another(towns: tuple[Database, Database], county: Database,
                                                    tmp_path: Path) -> None:
    a, b = towns
    person, id_number, _ = on_register(a)
    set_status(a, person, "死亡", dt.date(dt.date.today().year, 1, 15))
    paid, _, name_b = on_register(b, paid=True)
    give_id(b, paid, id_number)
    lines = import_both(county, towns, tmp_path)
    kinds = [line.kind for line in lines]
    assert CheckKind.PAID_AFTER_DEATH in kinds
    line = lines[kinds.index(CheckKind.PAID_AFTER_DEATH)]
    assert "金塔镇：" in line.facts and " 死亡（" in line.facts and f"银河乡：{name_b} 自" in line.facts
    assert "仍发放" in line.facts


def test_the_same_household_in_two_towns(towns: tuple[Database, Database], county: Database,
                                         tmp_path: Path) -> None:
    """A household headed by the same ID in both towns, its head dead in one and 注销 in the other (no
    person line of its own): one 同户两地 line with both places."""
    a, b = towns
    heads = []
    for db, status in ((a, "死亡"), (b, "注销")):
        with db.transaction() as s:
            person = s.scalars(select(Person).join(Household, Household.head_person_id == Person.id)
                               .where(Person.status == "在册").order_by(Household.id)).first()
            assert person is not None
            change_status(s, person, status, dt.date(dt.date.today().year, 1, 2), "核实")
            heads.append(person)
    with a.session() as s:
        head = s.scalar(select(Person.id_number).where(Person.id == heads[0].id))
    give_id(b, heads[1].id, head)
    lines = import_both(county, towns, tmp_path)
    assert [line.kind for line in lines] == [CheckKind.TWO_HOUSEHOLDS]
    assert lines[0].facts.startswith("金塔镇：") and "；银河乡：" in lines[0].facts


def test_a_roster_total_against_the_towns_own_summary(
        towns: tuple[Database, Database], county: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    year = str(dt.date.today().year)
    real = contents.summaries

    def stated_otherwise(session: Any, as_of: dt.date) -> dict[str, Any]:  # a town whose summary was retyped
        figures = real(session, as_of)
        figures[year]["two_subsidies_amount"] = "1.00"
        return figures

    a, b = towns
    accept_package(county, export_report_package(a, tmp_path), register_key=True)
    monkeypatch.setattr(contents, "summaries", stated_otherwise)
    accept_package(county, export_report_package(b, tmp_path), register_key=True)
    lines = check_lines(county)
    assert [line.kind for line in lines] == [CheckKind.ROSTER_TOTAL]
    with b.session() as s:
        paid = s.scalar(select(func.sum(SubsidyPayment.amount_fen)).where(
            SubsidyPayment.month >= dt.date(int(year), 1, 1)))
    assert lines[0].facts.startswith(
        f"银河乡{year}年：发放花名册合计{paid // 100}.{paid % 100:02d}元，乡镇自己的年度统计为1.00元")


def test_a_line_is_listed_once_and_resolved_with_a_note(towns: tuple[Database, Database], county: Database,
                                                        tmp_path: Path) -> None:
    a, b = towns
    _, id_number, _ = on_register(a)
    other, _, _ = on_register(b)
    give_id(b, other, id_number)
    lines = import_both(county, towns, tmp_path)
    import_both(county, towns, tmp_path / "again")  # new packages, the same case: not listed twice
    assert len(check_lines(county)) == 1
    with pytest.raises(InputError, match="请写明核实的结果"):
        resolve_check(county, lines[0].id, "  ")
    resolved = resolve_check(county, lines[0].id, "已电话核实：银河乡录错身份证号，已更正")
    assert resolved.resolved_at is not None
    assert check_lines(county) == []
    notes = [line.note for line in check_lines(county, include_resolved=True)]
    assert notes == ["已电话核实：银河乡录错身份证号，已更正"]
