"""Money, the one place it is read and shown: integer fen in the core (never float), read from what the
clerk typed with fen(), shown as yuan with yuan() (a Decimal for forms), yuan_text() (the screen's
1,234.00) or yuan_plain() (1234.00: the JSON contract, edit boxes and sentences that add 元)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.errors import InputError

_CENT = Decimal("0.01")


def fen(amount: Decimal | int | str) -> int:
    """Yuan (as typed: 300, "300.50", "1,200", "1，200元", or a Decimal) to whole fen; InputError when it is
    not an amount of at least 0 with at most two decimals."""
    text = str(amount).replace(",", "").replace("，", "").replace("元", "").strip() or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(f"金额“{amount}”不是数字：请填写如 300 或 300.50。") from None
    if not value.is_finite() or value < 0 or value != value.quantize(_CENT):
        raise InputError(f"金额“{amount}”不对：请填写不小于0、最多两位小数的金额。")
    return int(value * 100)


def yuan(amount_fen: int | None) -> Decimal:
    """Fen as yuan with two decimals: 123450 -> Decimal('1234.50'); None counts as 0."""
    return (Decimal(amount_fen or 0) / 100).quantize(_CENT)


def yuan_text(amount_fen: int | None) -> str:
    """1,234.50: how the screen shows an amount."""
    return f"{yuan(amount_fen):,.2f}"


def yuan_plain(amount_fen: int | None) -> str:
    """1234.50: the JSON contract's amounts, an edit box's text, a sentence's amount before 元."""
    return f"{yuan(amount_fen):.2f}"


def work_report_text(amount_yuan: Decimal | str | int) -> str:
    """Yuan as a work report writes them: 612345 -> 61.23万元, 600000 -> 60万元, 500 -> 500元,
    1234.5 -> 1234.50元."""
    value = Decimal(amount_yuan)
    if value >= 10000:
        text = f"{(value / 10000).quantize(_CENT, ROUND_HALF_UP)}".rstrip("0").rstrip(".")
        return f"{text}万元"
    cents = value.quantize(_CENT, ROUND_HALF_UP)
    return f"{cents:.0f}元" if cents == cents.to_integral_value() else f"{cents}元"
