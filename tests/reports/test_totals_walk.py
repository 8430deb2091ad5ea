"""Every total of every report, for the demo town and two other seeded towns: the 合计 of the register,
of each confirmed month's payment roster, of each visit roster, of the aids register and every 本期 figure
of the yearly report, read back from the PDF (pdftotext) and from the workbook (openpyxl), equals
`canlian summary --json` and the sums counted here with plain SQL (tests.reports.independent)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select

from app.cli import main
from tests.reports import independent as sql
from tests.reports.conftest import TOWNS
from tests.reports.helpers import pages_text, squeeze

TODAY = dt.date.today()
# the year walked: this one, but last year in January, before the demo has confirmed any month of this one
YEAR = TODAY.year if TODAY.month > 1 else TODAY.year - 1


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _report(capsys: pytest.CaptureFixture[str], db: Path, out: Path, kind: str, *extra: str) -> tuple[str, list[Any]]:
    """The PDF's text (spaces squeezed out) and the workbook's rows of the same report."""
    pdf, book = out.with_suffix(".pdf"), out.with_suffix(".xlsx")
    for path in (pdf, book):
        _run(capsys, "--db", str(db), "report", kind, *extra, "--out", str(path))
    rows = list(load_workbook(book).active.iter_rows(values_only=True))
    return squeeze("".join(pages_text(pdf))), rows


def _book_total(rows: list[Any], label: str) -> list[Decimal]:
    """The numbers on the workbook's row whose first cell starts with `label` (合计 12人次 …)."""
    found = [row for row in rows if isinstance(row[0], str) and row[0].startswith(label)]
    assert len(found) == 1, (label, found)
    return [Decimal(str(c)) for c in found[0][1:] if isinstance(c, (int, float))]


def _count(rows: list[Any], label: str) -> int:
    found = next(row[0] for row in rows if isinstance(row[0], str) and row[0].startswith(label))
    return int(re.search(r"(\d+)", found).group(1))  # type: ignore[union-attr]


@pytest.fixture(params=list(TOWNS))
def town(request: pytest.FixtureRequest, seeded_towns: dict[str, Path]) -> Path:
    return seeded_towns[request.param]


def test_every_total_of_every_report_is_the_summary_and_the_sql_sum(
    town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = YEAR
    span = sql.Span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    summary = json.loads(_run(capsys, "--db", str(town), "summary", "--year", str(year), "--json"))
    engine = create_engine(f"sqlite:///{town}")
    try:
        with engine.connect() as conn:
            counted = sql.figures(conn, span)
            paid = sql.subsidies(conn, span)
            months = {m: sql.month_paid(conn, m) for m in paid["months"]}
            campaigns = [(name, sql.campaign_given(conn, name)) for name in conn.scalars(
                select(sql.campaign.c.name).where(sql.campaign.c.date.between(span.start, span.end)))]
            issued = sql.equipment(conn, span)
            registered_now = len(sql.on_register(conn, TODAY))
    finally:
        engine.dispose()
    for key, value in counted.items():  # the JSON against the SQL, key by key
        assert summary[key] == value, key

    # 残疾人花名册: everybody on the register
    text, rows = _report(capsys, town, tmp_path / "registry", "registry")
    assert f"合计{registered_now}人" in text and _count(rows, "合计") == registered_now
    if year == TODAY.year:  # the register today is the summary's of this year
        assert registered_now == summary["registered"]

    # 两项补贴发放花名册, each confirmed month of the year: together the year's amount
    assert months  # every seeded town has payments this year
    total = Decimal(0)
    for month, (lines, fen) in months.items():
        text, rows = _report(capsys, town, tmp_path / f"pay-{month:%Y%m}", "subsidy-roster",
                             "--month", f"{month:%Y-%m}")
        amount = Decimal(fen) / 100
        assert f"合计{lines}人次{amount:.2f}" in text, month
        assert _book_total(rows, "合计") == [amount] and _count(rows, "合计") == lines, month
        total += amount
    assert f"{total:.2f}" == summary["two_subsidies_amount"] == sql.yuan(paid["two_subsidies_fen"])

    # 节日慰问花名册, each campaign of the year: what was given, together the year's visits
    given_total = Decimal(0)
    for name, (households, fen) in campaigns:
        text, rows = _report(capsys, town, tmp_path / f"visit-{name}", "visit-roster", "--campaign", name)
        amount = Decimal(fen) / 100
        if households:
            assert f"实发合计{households}户{amount:.2f}" in text, name
            assert _book_total(rows, "实发合计") == [amount] and _count(rows, "实发合计") == households
        else:  # not visited yet: the roster is the plan, and says so
            assert "计划合计" in text and "实发合计" not in text
        given_total += amount
    assert f"{given_total:.2f}" == summary["visits"]["amount"]
    if len(campaigns) == 1:
        assert campaigns[0][1][0] == summary["visits"]["households"]

    # 辅助器具发放登记表: items issued in the year
    text, rows = _report(capsys, town, tmp_path / "aids", "equipment", "--year", str(year))
    assert re.search(rf"合计{issued['rows']}人次{issued['items']}(?!\d)", text)
    assert _book_total(rows, "合计") == [issued["items"]] and issued["items"] == summary["equipment_issued"]["items"]

    _yearly_totals(capsys, town, tmp_path, year, counted, paid)


# The yearly report's lines and where this test counts each of them (SQL), the JSON having been checked above.
def _expected(counted: dict[str, Any], paid: dict[str, Any]) -> dict[str, Decimal | int]:
    c = counted
    return {
        "注册登记残疾人（人）": c["registered"], "其中有劳动能力（人）": c["labor_capable"],
        "新登记（人）": c["new_registrations"], "死亡（人）": c["deaths"], "迁出（人）": c["moved_out"],
        "纳入最低生活保障（人）": c["dibao_persons"], "参加城乡居民医保（人）": c["medical_insurance_persons"],
        "困难残疾人生活补贴人数（人）": c["living_subsidy_persons"],
        "困难残疾人生活补贴金额（元）": Decimal(paid["living_fen"]) / 100,
        "重度残疾人护理补贴人数（人）": c["nursing_subsidy_persons"],
        "重度残疾人护理补贴金额（元）": Decimal(paid["nursing_fen"]) / 100,
        "两项补贴合计人数（人）": c["two_subsidies_persons"],
        "两项补贴合计金额（元）": Decimal(c["two_subsidies_amount"]),
        **{f"{label}人数（人）": c[key]["persons"] for key, label in (
            ("temporary_relief", "临时救助"), ("medical_aid", "医疗救助"), ("education_subsidy", "教育补助"),
            ("medicine_subsidy", "精神残疾药物补助"))},
        **{f"{label}金额（元）": Decimal(c[key]["amount"]) for key, label in (
            ("temporary_relief", "临时救助"), ("medical_aid", "医疗救助"), ("education_subsidy", "教育补助"),
            ("medicine_subsidy", "精神残疾药物补助"), ("housing_renovation", "危房改造"))},
        "危房改造户数（户）": c["housing_renovation"]["households"], "康复训练（人）": c["rehab_training_persons"],
        "节日慰问户数（户）": c["visits"]["households"], "节日慰问金额（元）": Decimal(c["visits"]["amount"]),
        "辅助器具发放件数（件）": c["equipment_issued"]["items"],
        "辅助器具领取人数（人）": c["equipment_issued"]["persons"],
    }


def _yearly_totals(capsys: pytest.CaptureFixture[str], town: Path, tmp_path: Path, year: int,
                   counted: dict[str, Any], paid: dict[str, Any]) -> None:
    text, _ = _report(capsys, town, tmp_path / "yearly", "yearly", "--year", str(year))
    sheet = load_workbook(tmp_path / "yearly.xlsx")["汇总"]
    book = {str(r[0]).split("：", 1)[1]: r[1] for r in sheet.iter_rows(min_row=3, values_only=True)
            if r[1] is not None}
    expected = _expected(counted, paid)
    assert set(expected) <= set(book)
    for label, value in expected.items():
        printed = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
        assert f"{label}{printed}" in text, label
        assert Decimal(str(book[label])) == value, label
