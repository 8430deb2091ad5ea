import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import Household, Person, StatusChange, Village
from app.demo import fill_demo
from app.domain import idnumber
from app.domain.names import search_keys
from app.domain.register_rules import check_person
from app.errors import InputError
from app.services.settings import unit_info
from app.services.summary.figures import summarise
from tests.factories import add_person

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture
def demo_db(db: Database) -> Database:
    with db.transaction("演示数据") as s:
        fill_demo(s, year=LAST_YEAR, seed=7)
    return db


def test_the_town_matches_the_seed_report(db: Database) -> None:
    with db.transaction() as s:
        counts = fill_demo(s, year=LAST_YEAR)
    assert counts.line().startswith(f"演示乡镇（{LAST_YEAR}年）：在册345人，")
    with db.session() as s:
        figures = summarise(s, year=LAST_YEAR)
        assert figures["registered"] == counts.registered == 345
        assert figures["labor_capable"] == counts.labor_capable == 120
        assert 130 <= figures["dibao_persons"] == counts.dibao_persons <= 139
        assert 340 <= figures["medical_insurance_persons"] <= 345
        assert 10 <= len(figures["by_village"]) <= 12 and "金塔村" in figures["by_village"]
        by_category = figures["by_category"]
        assert max(by_category, key=by_category.get) == "肢体" and all(by_category.values())
        assert all(figures["by_grade"].values())
        for year in range(LAST_YEAR - 4, LAST_YEAR + 1):  # five years of history, each with its changes
            yearly = summarise(s, year=year)
            assert yearly["new_registrations"] > 0 and yearly["deaths"] > 0 and yearly["moved_out"] > 0
        assert summarise(s, year=LAST_YEAR - 4)["registered"] < 345
        assert unit_info(s).office == "金塔镇残疾人联合会"


def test_people_look_real_and_consistent(demo_db: Database) -> None:
    with demo_db.session() as s:
        persons = s.scalars(select(Person)).all()
        for p in persons:
            assert idnumber.normalise(p.id_number) == p.id_number
            assert p.sex == idnumber.sex_of(p.id_number) and p.birth_date == idnumber.birth_date_of(p.id_number)
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", p.name)
            assert (p.initials, p.pinyin) == search_keys(p.name)
            assert p.certificate_number in (None, f"{p.id_number}{p.category}{p.grade}")
            assert (p.category == 7) == bool(p.components)
            if p.category in (5, 6) or idnumber.age_on(p.id_number, dt.date(LAST_YEAR, 12, 31)) < 18:
                assert p.guardian
            history = sorted(p.status_changes, key=lambda c: (c.date, c.id))
            assert history[0].status == "在册" and history[-1].status == p.status
            assert history[0].date > p.birth_date
        assert sum(p.certificate_number is not None for p in persons) > 0.9 * len(persons)
        pairs = s.scalar(select(func.count()).select_from(
            select(Person.household_id).group_by(Person.household_id).having(func.count() == 2).subquery()))
        assert pairs and pairs > 3
        assert s.scalar(select(func.count()).where(Household.tekun.is_(True)))
        assert s.scalar(select(func.count()).where(Household.low_income.is_(True)))
        assert set(s.scalars(select(Household.dibao_class).where(Household.dibao.is_(True)))) == {1, 2, 3, 4}
        last = s.scalar(select(func.max(StatusChange.date)))
        assert last is not None and last <= dt.date(LAST_YEAR, 12, 31)


def test_same_seed_same_town_other_seed_other_town(demo_db: Database, tmp_path: Path) -> None:
    from app.db.engine import open_database

    def names(db: Database) -> list[str]:
        with db.session() as s:
            return list(s.scalars(select(Person.id_number).order_by(Person.id)))

    with open_database(tmp_path / "same.db") as same, open_database(tmp_path / "other.db") as other:
        with same.transaction() as s:
            fill_demo(s, year=LAST_YEAR, seed=7)
        with other.transaction() as s:
            fill_demo(s, year=LAST_YEAR, seed=8)
        assert names(same) == names(demo_db)
        assert names(other) != names(demo_db)


def test_this_year_has_nothing_dated_in_the_future(db: Database) -> None:
    with db.transaction() as s:
        counts = fill_demo(s, persons=60, seed=3)
    with db.session() as s:
        assert s.scalar(select(func.max(StatusChange.date))) <= dt.date.today()
        assert summarise(s, year=dt.date.today().year)["registered"] == counts.registered == 60


def test_a_database_with_persons_is_refused_untouched(db: Database) -> None:
    with db.transaction() as s:
        add_person(s)
    with pytest.raises(InputError, match="已有数据"), db.transaction() as s:
        fill_demo(s, year=LAST_YEAR)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 1
        assert s.scalar(select(func.count()).select_from(Village)) == 1


def test_a_future_year_is_refused(db: Database) -> None:
    with pytest.raises(InputError, match="还没到"), db.transaction() as s:
        fill_demo(s, year=dt.date.today().year + 1)


def test_every_household_has_a_house_number_in_its_village_and_group(demo_db: Database) -> None:
    """金塔村1组16号, as a real roster writes it; no two households of a group share a number."""
    with demo_db.session() as s:
        rows = s.execute(select(Household.address, Village.name)
                         .join(Village, Village.id == Household.village_id)).all()
    assert rows and all(re.fullmatch(rf"{village}\d+组\d+号", address) for address, village in rows)
    assert len({address for address, _ in rows}) == len(rows)


def test_the_demo_register_passes_the_field_checks_and_imports_back(demo_db: Database, tmp_path: Path) -> None:
    """Phones, bank accounts and villages as a clerk would type them: a new register fed with the demo's
    exported roster takes every person (nothing rejected for a phone, an account or a missing village)."""
    from app.db.engine import open_database
    from app.io.persons_export import export_persons
    from app.io.roster_import import import_persons

    with demo_db.session() as s:
        persons = s.scalars(select(Person)).all()
        assert all(p.village_id for p in persons)
        for p in persons:
            raw = {"name": p.name, "id_number": p.id_number, "category": p.category, "grade": p.grade,
                   "phone": p.phone, "guardian_phone": p.guardian_phone, "bank_account": p.bank_account}
            checked = check_person(raw)
            assert checked.ok, (p.name, checked.errors)
        path = export_persons(s, tmp_path / "花名册.xlsx")
    fresh = open_database(tmp_path / "新.db")
    try:
        result = import_persons(fresh, path)
    finally:
        fresh.close()
    assert result.count("rejected") == 0 and result.count("imported") > 300
