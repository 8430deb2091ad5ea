"""Money in the core is integer fen: read from what the clerk types, shown as yuan, one module for all."""

from decimal import Decimal

import pytest

from app.domain import money
from app.errors import InputError


def test_money_is_fen() -> None:
    assert money.fen("1,200.50") == 120050 and money.fen(Decimal("300")) == 30000
    assert money.yuan_text(780000) == "7,800.00"
    for bad in ("abc", "-1", "1.234"):
        with pytest.raises(InputError):
            money.fen(bad)


@pytest.mark.parametrize(("text", "fen"), [("500", 50000), ("1,234.50", 123450), ("20元", 2000), ("", 0)])
def test_amounts_in_yuan(text: str, fen: int) -> None:
    assert money.fen(text) == fen


@pytest.mark.parametrize("text", ["abc", "-5", "1.234"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(InputError):
        money.fen(text)


def test_money_in_sentences() -> None:
    assert money.work_report_text("612345.00") == "61.23万元" and money.work_report_text("600000") == "60万元"
    assert money.work_report_text("246000.00") == "24.6万元"
    assert money.work_report_text("3500") == "3500元" and money.work_report_text("1234.5") == "1234.50元"
