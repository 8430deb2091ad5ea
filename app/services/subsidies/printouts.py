"""What the 补贴资格 tab prints: the month's 两项补贴发放花名册 (PDF or workbook) and, from the 追回台账, the
追回通知 of one person or the 应追回明细. Each is long work (a county's roster runs to hundreds of pages):
the window runs it off its thread. The forms themselves are app.reports.subsidy_roster and
app.reports.overpayment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.months import Month
from app.reports import ReportRequest, write_report
from app.services.actions import Progress, long_query


def _pages(progress: Progress | None) -> Callable[[int], None] | None:
    """The report engine tells each page as it is done; the progress box says it."""
    if progress is None:
        return None
    return lambda page: progress(0, 0, f"正在生成第{page}页……")


@long_query
def print_roster(session: Session, month: Month, out: Path, *, progress: Progress | None = None) -> Path:
    """The month's roster to out (.pdf, or .xlsx for the same table); a month not confirmed is a draft."""
    return write_report(session, ReportRequest(kind="subsidy-roster", out=out, month=str(month)), _pages(progress))


@long_query
def print_overpayments(session: Session, out: Path, *, person_ids: list[int] | None = None, year: int | None = None,
                       progress: Progress | None = None) -> Path:
    """The 追回通知 of these persons, or the 应追回明细 (still owed, or raised in year)."""
    request = ReportRequest(kind="overpayment", out=out, person_ids=person_ids, year=year)
    return write_report(session, request, _pages(progress))
