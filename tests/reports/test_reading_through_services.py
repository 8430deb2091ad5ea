"""The printed forms read the data through services (issue 13): no module of app/reports imports the
database's mapped classes or engine, and the yearly PDF and its workbook share their rows without
importing each other both ways."""

from __future__ import annotations

from pathlib import Path

from tests.ui.test_layers import reaches

REPORTS = Path(__file__).resolve().parents[2] / "app" / "reports"


def _source(name: str) -> str:
    return (REPORTS / f"{name}.py").read_text(encoding="utf-8")


def test_no_report_reaches_the_database() -> None:
    reaching = {p.name: reaches(p.read_text(encoding="utf-8"), "app.db") for p in sorted(REPORTS.glob("*.py"))}
    assert {name: found for name, found in reaching.items() if found} == {}


def test_the_yearly_pdf_and_workbook_share_their_rows_one_way() -> None:
    assert reaches(_source("yearly"), "app.reports.yearly_book")  # the PDF's .xlsx is the workbook's
    assert not reaches(_source("yearly_book"), "app.reports.yearly")
    assert not reaches(_source("yearly_rows"), "app.reports.yearly")
