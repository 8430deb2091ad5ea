"""The 康复器材 printouts as the window asks for them: a 领取单 (printed again), and the year's 辅助器具发放
登记表 and 库存表. Each is a read that writes one file (small: a person's receipt, a town's year)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.reports import ReportRequest, write_report
from app.reports.device_receipt import write_receipt
from app.reports.stock_sheet import write_stock_sheet
from app.services.actions import query


@query
def print_receipt(session: Session, receipt_id: int, out: Path) -> Path:
    """One 领取单 for the person to sign (after issuing, or again from their history)."""
    return write_receipt(session, receipt_id, out)


@query
def print_issued_register(session: Session, year: int, out: Path) -> Path:
    """辅助器具发放登记表 of the year."""
    return write_report(session, ReportRequest("equipment", out, year=year))


@query
def print_stock_sheet(session: Session, year: int, out: Path) -> Path:
    """辅助器具库存表 of the year: opening, movements and closing of each type."""
    return write_stock_sheet(session, out, year)
