"""两项补贴多发款追回通知 / 应追回明细: the money paid for months after a subsidy should have stopped.

For one person (the ledger screen's 打印追回通知) it is the notice handed to the person or the family: who,
why, which months of which subsidy and how much to return, with a signature column. Otherwise it is the
list the office keeps and sends up: the overpayments raised in --year, or without a year those still owed.
Cancelled ones (a death recorded by mistake) are left out. ID numbers are printed in full: the money is
recovered against the person's payments, which the county matches by ID (as on the payment roster); a copy
for more eyes asks for mask_ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from app.domain import idnumber
from app.domain.dates import chinese_date
from app.domain.money import yuan
from app.domain.words import OverpaymentState
from app.reports import ReportRequest
from app.reports.table import Cell, Column, TableReport
from app.services.settings import unit_info
from app.services.subsidies.overpayment_ledger import OverpaymentRow, overpayment_rows

COLUMNS = (
    Column("姓名", 14),
    Column("身份证号", 33, wrap=False, text=True),
    Column("村", 14),
    Column("补贴类别", 18, wrap=False),
    Column("多发月份", 36, wrap=False),
    Column("月数", 10, align="RIGHT", wrap=False),
    Column("多发金额（元）", 18, align="RIGHT", total=True, wrap=False),
    Column("已追回（元）", 17, align="RIGHT", total=True, wrap=False),
    Column("核销（元）", 15, align="RIGHT", total=True, wrap=False),
    Column("未追回（元）", 17, align="RIGHT", total=True, wrap=False),
    Column("原因", 34),
    Column("状态", 14, wrap=False),
)


def chosen_rows(session: Session, request: ReportRequest) -> list[OverpaymentRow]:
    """These persons' overpayments; or those raised in the year; or, with neither, those still owed."""
    if request.person_ids is not None:
        rows = overpayment_rows(session, person_ids=list(request.person_ids))
    elif request.year is not None:
        rows = overpayment_rows(session, year=request.year)
    else:
        rows = overpayment_rows(session, open_only=True)
    return sorted((r for r in rows if r.state != OverpaymentState.CANCELLED),
                  key=lambda r: (r.village, r.name, r.person_id, r.first, r.programme))


def _rows(rows: Sequence[OverpaymentRow], mask: bool) -> Iterator[Sequence[Cell]]:
    for row in rows:
        yield (row.name, idnumber.mask(row.id_number) if mask else row.id_number, row.village, row.programme_name,
               row.months_text, row.months, yuan(row.amount_fen), yuan(row.recovered_fen), yuan(row.written_off_fen),
               yuan(row.outstanding_fen), row.cause, row.state)


def totals_note(rows: Sequence[OverpaymentRow]) -> str:
    """说明: persons, amount overpaid, recovered, written off and still owed, in words."""
    persons = len({r.person_id for r in rows})
    parts = [f"多发{persons}人{yuan(sum(r.amount_fen for r in rows))}元",
             f"已追回{yuan(sum(r.recovered_fen for r in rows))}元",
             f"核销{yuan(sum(r.written_off_fen for r in rows))}元",
             f"未追回{yuan(sum(r.outstanding_fen for r in rows))}元"]
    ways = [f"{r.name}{r.programme_name}：{r.ways}" for r in rows if r.ways]
    return f"说明：{'，'.join(parts)}。" + ("\n" + "\n".join(ways) if ways else "")


def _notice_lines(rows: Sequence[OverpaymentRow]) -> list[str]:
    """The notice's address and request, above the table."""
    first = rows[0]
    owed = sum(r.outstanding_fen for r in rows)
    causes = "、".join(dict.fromkeys(r.cause for r in rows))
    return [f"{first.name}（{first.village or '未填村'}，身份证号{first.id_number}）本人或家属：",
            f"经核查，{causes}，下表所列月份的补贴已多发，尚需退还{yuan(owed)}元。请持本通知到乡镇残联办理退还，"
            "并在表中签字。"]


def build_report(session: Session, request: ReportRequest) -> TableReport:
    today = request.today or dt.date.today()
    unit = unit_info(session)
    rows = chosen_rows(session, request)
    persons = {r.person_id for r in rows}
    notice = request.person_ids is not None and len(persons) == 1
    if notice:
        title = f"{unit.town}两项补贴多发款追回通知"
    elif request.year is not None:
        title = f"{unit.town}{request.year}年两项补贴应追回明细"
    else:
        title = f"{unit.town}两项补贴应追回明细（截至{chinese_date(today)}未追回）"
    return TableReport(
        title=title,
        unit=unit.unit_name,
        date_text=chinese_date(today),
        columns=COLUMNS,
        rows=_rows(rows, bool(request.mask_ids)),
        signature_column="本人或家属签字",
        count_unit="笔",
        subtotals=False,
        signers=[("经办人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
        note=totals_note(rows),
        preamble=_notice_lines(rows) if notice else (),
    )
