"""Printed reports: one module per form, each turning the request into a TableReport that the engine
draws as a PDF (or writes as a workbook when the file name ends in .xlsx).

A new form plugs in by writing app/reports/<form>.py with `build_report(session, request) -> TableReport`
and naming that module in KINDS below; nothing else changes.
A document that is more than one table (the yearly summary) also defines
`write_report(session, request, progress) -> Path`, which then writes the file itself.

write_report works in a caller's session (the USB export writes many reports in one); print_report is the
same as the clerk's 打印 (the window runs it with Road.run, `canlian report` calls it with the store).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from app.errors import InputError, cannot_write, is_storage_failure
from app.reports.table import TableReport
from app.services.actions import Progress, long_query


@dataclass
class ReportRequest:
    """What the clerk (or the command line) asked for. Fields a report does not use are ignored."""

    kind: str
    out: Path
    year: int | None = None
    since: int | None = None
    month: str | None = None  # YYYY-MM
    campaign: str | None = None
    mask_ids: bool | None = None  # None: the report's own default (DOMAIN.md: who may see full IDs)
    village_id: int | None = None  # only this village
    person_ids: Sequence[int] | None = None  # only these persons (the window's current filter)
    today: dt.date | None = None  # the date printed on the report and ages are counted to


@dataclass(frozen=True)
class ReportKind:
    name: str
    label: str  # what the clerk calls the form
    module: str | None  # the module with build_report, None while the form is not written yet


class _Builder(Protocol):
    def __call__(self, session: Session, request: ReportRequest) -> TableReport: ...


KINDS: dict[str, ReportKind] = {k.name: k for k in (
    ReportKind("registry", "残疾人花名册", "app.reports.register_roster"),
    ReportKind("subsidy-roster", "两项补贴发放花名册", "app.reports.subsidy_roster"),
    ReportKind("visit-roster", "节日慰问花名册", "app.reports.visit_roster"),
    ReportKind("equipment", "辅助器具发放登记表", "app.reports.devices_issued"),
    ReportKind("yearly", "年度工作统计", "app.reports.yearly"),
    ReportKind("overpayment", "两项补贴应追回明细（追回通知）", "app.reports.overpayment"),
    ReportKind("county", "县级年度汇总表", "app.reports.county_yearly"),
)}
_FORMATS = (".pdf", ".xlsx")


def report_kind(name: str) -> ReportKind:
    kind = KINDS.get(name)
    if kind is None:
        valid = "、".join(KINDS)
        raise InputError(f"没有名为“{name}”的报表：可选的报表有 {valid}。")
    if kind.module is None:
        ready = "、".join(k.label for k in KINDS.values() if k.module)
        raise InputError(f"“{kind.label}”报表尚未提供：这一版可以打印的是{ready}。")
    return kind


def build_report(session: Session, request: ReportRequest) -> TableReport:
    """The report's table, ready for render_pdf or render_xlsx (the window previews this)."""
    kind = report_kind(request.kind)
    assert kind.module is not None
    builder: _Builder = importlib.import_module(kind.module).build_report
    return builder(session, request)


def write_report(session: Session, request: ReportRequest, progress: Callable[[int], None] | None = None) -> Path:
    """Write the report to request.out (.pdf, or .xlsx for the same table as a workbook); returns the path.
    progress is told each PDF page number as it is done, for the window's progress dialog."""
    out = Path(request.out)
    suffix = out.suffix.lower()
    if suffix not in _FORMATS:
        raise InputError(f"报表文件名应以 .pdf 或 .xlsx 结尾，现为“{out.name}”：请改一个文件名。")
    kind = report_kind(request.kind)
    if not out.parent.is_dir():
        raise InputError(f"文件夹“{out.parent}”不存在：请先建好文件夹或换一个位置保存。")
    assert kind.module is not None
    writer = getattr(importlib.import_module(kind.module), "write_report", None)
    try:
        if writer is not None:  # a document that is more than one table (the yearly summary: charts, text)
            return Path(writer(session, request, progress))
        report = build_report(session, request)
        from app.reports.engine import render_pdf, render_xlsx

        return render_xlsx(report, out) if suffix == ".xlsx" else render_pdf(report, out, progress)
    except OSError as exc:
        if not is_storage_failure(exc):
            raise
        raise cannot_write(out.parent, exc) from None


@long_query
def print_report(session: Session, request: ReportRequest, *, progress: Progress | None = None) -> Path:
    """打印: write_report as a read of the store; progress is told each page as it is done."""
    if progress is None:
        return write_report(session, request)
    told = progress

    def page_done(number: int) -> None:
        told.check()
        told(number, 0, f"正在写{KINDS[request.kind].label}：第{number}页……")

    return write_report(session, request, page_done)


__all__ = ["KINDS", "ReportKind", "ReportRequest", "build_report", "print_report", "report_kind", "write_report"]
