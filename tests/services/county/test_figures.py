"""The county's figures (issue 17): the same keys as a town's summary, each the sum of the towns' own
summaries key by key, checked against the towns' registers and an independent SQL sum of the county."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db.engine import open_database
from app.db.models import CountyPayment, CountyPerson
from app.services.county.figures import county_summary
from app.services.county.importing import accept_package
from app.services.report_package.package import export_report_package
from app.services.summary.figures import Period, empty_figures, yearly_summary
from tests.county_towns import flat, make_town

YEAR = dt.date.today().year
TOWNS = (("金塔镇", 21, 60), ("银河乡", 22, 45), ("鼎新镇", 23, 80))


@pytest.fixture(scope="module")
def county_and_towns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """Three demo towns of different seeds and sizes, each imported; their own summaries of the year."""
    folder = tmp_path_factory.mktemp("county")
    own: dict[str, dict[str, Any]] = {}
    county = open_database(folder / "县残联.db")
    try:
        for name, seed, persons in TOWNS:
            town = make_town(folder, name, seed=seed, persons=persons)
            try:
                own[name] = yearly_summary(town, year=YEAR)
                accept_package(county, export_report_package(town, folder / "U盘"), register_key=True)
            finally:
                town.close()
    finally:
        county.close()
    return folder / "县残联.db", own


def test_the_county_is_the_sum_of_its_towns_key_by_key(county_and_towns: tuple[Path, Any]) -> None:
    path, own = county_and_towns
    with open_database(path) as county:
        figures = county_summary(county, year=YEAR)
    keys = set(flat(empty_figures(Period(YEAR, YEAR)))) - {"year", "since"}
    towns = [flat({**f, "by_village": {}}) for f in own.values()]
    county_flat = flat({**figures, "by_village": {}, "by_town": {}})
    for key in keys:
        values = [t.get(key, 0) for t in towns]
        if isinstance(values[0], str):
            assert Decimal(county_flat[key]) == sum(Decimal(v) for v in values), key
        else:
            assert county_flat[key] == sum(values), key
    assert figures["registered"] > 0 and Decimal(figures["two_subsidies_amount"]) > 0
    assert set(figures["by_town"]) == set(own)
    assert figures["by_town"]["银河乡"]["registered"] == own["银河乡"]["registered"]
    assert figures["by_village"] == {f"{town}·{village}": n for town, f in own.items()
                                     for village, n in f["by_village"].items()}


def test_the_county_figures_agree_with_an_sql_sum_of_its_own_tables(county_and_towns: tuple[Path, Any]) -> None:
    path, _ = county_and_towns
    with open_database(path) as county:
        figures = county_summary(county, year=YEAR)
        with county.session() as s:
            on_register = s.scalar(select(func.count()).select_from(CountyPerson).where(CountyPerson.status == "在册"))
            paid = s.scalar(select(func.sum(CountyPayment.amount_fen)).where(
                CountyPayment.month.between(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))))
    assert figures["registered"] == on_register
    assert Decimal(figures["two_subsidies_amount"]) == Decimal(paid) / 100


def test_cli_prints_the_county_json(county_and_towns: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    path, own = county_and_towns
    assert main(["--db", str(path), "summary", "--year", str(YEAR), "--county", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["registered"] == sum(f["registered"] for f in own.values())
    assert set(printed["by_town"]) == set(own) and printed["towns_without_figures"] == []


def test_the_county_report_has_a_row_per_town_summing_to_the_county(
        county_and_towns: tuple[Path, Any], tmp_path: Path) -> None:
    import subprocess

    from app.reports import ReportRequest, build_report, print_report

    path, own = county_and_towns
    with open_database(path) as county:
        figures = county_summary(county, year=YEAR)
        with county.session() as s:
            report = build_report(s, ReportRequest(kind="county", out=tmp_path / "x.pdf", year=YEAR))
        rows = list(report.rows)
        pdf = print_report(county, ReportRequest(kind="county", out=tmp_path / "县级汇总.pdf", year=YEAR))
    assert sorted(row[0] for row in rows) == sorted(own)
    assert sum(row[3] for row in rows) == figures["registered"]
    assert sum(row[9] for row in rows) == Decimal(figures["two_subsidies_amount"])
    assert "无缺报" in report.note and report.appendix is not None and list(report.appendix.rows) == []
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "各乡镇残疾人工作统计汇总表" in text and "合计 3个乡镇" in text
    assert f"{figures['registered']}" in text.split("合计 3个乡镇")[1].split("\n")[0]


def test_a_town_without_figures_of_the_year_is_listed_as_missing(county_and_towns: tuple[Path, Any]) -> None:
    from app.services.county.figures import late_towns

    path, _ = county_and_towns
    with open_database(path) as county, county.session() as s:
        late = late_towns(s, YEAR - 6)  # the packages carry five years of figures
        figures = county_summary(county, year=YEAR - 6)
    assert sorted(t.name for t in late) == sorted(name for name, _, _ in TOWNS) and all(t.missing for t in late)
    assert sorted(figures["towns_without_figures"]) == sorted(t.name for t in late) and figures["registered"] == 0
