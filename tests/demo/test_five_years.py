"""`canlian summary --since Y-4 --year Y` on a fresh demo town is the seed report's table (DOMAIN.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from app.db.engine import Database
from app.demo import fill_demo
from app.services.summary.figures import summarise


@pytest.fixture(scope="module")
def five_years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from app.db.engine import open_database

    year = dt.date.today().year
    db: Database = open_database(tmp_path_factory.mktemp("demo") / "canlian.db")
    with db.transaction() as s:
        fill_demo(s, year=year, persons=345, seed=1)
    with db.session() as s:
        figures = summarise(s, year=year, since=year - 4)
    db.close()
    return figures


def test_register_figures(five_years: dict) -> None:
    assert five_years["registered"] == 345
    assert five_years["labor_capable"] == 120
    assert 130 <= five_years["dibao_persons"] <= 139
    assert 340 <= five_years["medical_insurance_persons"] <= 345


def test_the_regular_recipients_are_the_report_s_numbers(five_years: dict) -> None:
    assert 100 <= five_years["two_subsidies_persons"] <= 129  # 享受两补的有100余人
    assert 40 <= five_years["temporary_relief"]["persons"] <= 49  # 每年对40余人给予临时救助
    assert 20 <= five_years["visits"]["households"] <= 29  # 每年慰问困难残疾家庭20余户
    assert five_years["rehab_training_persons"] == 17
    assert five_years["medicine_subsidy"]["persons"] == 24
    assert five_years["education_subsidy"]["persons"] == 7


def test_house_renovation_over_five_years(five_years: dict) -> None:
    assert five_years["housing_renovation"]["households"] == 35
    assert Decimal("600000") <= Decimal(five_years["housing_renovation"]["amount"]) < Decimal("700000")
