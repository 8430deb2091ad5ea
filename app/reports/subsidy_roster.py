"""两项补贴发放花名册: the persons paid in a month, the form the county pays from. ID and certificate
numbers and bank accounts are printed in full (the payment needs them: DOMAIN.md); the living subsidy
first, then the nursing subsidy, each with its 小计, then the 合计, a signature column for cash payments,
and the 经办人 / 审核人 / 负责人 lines. A month not yet confirmed (or with lines not yet confirmed) prints
what confirming would pay as a draft: 草表（未确认发放） in its title and stamped on every page, so that it is
never signed and sent up as the real one; a month more than one month ahead is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from app.domain.dates import chinese_date
from app.domain.disability import category_label, grade_label
from app.domain.money import yuan, yuan_plain
from app.domain.months import Month
from app.domain.words import Programme
from app.errors import InputError
from app.reports import ReportRequest
from app.reports.table import Cell, Column, Section, TableReport
from app.services.settings import unit_info
from app.services.subsidies.payments import PrintedLine, is_confirmed, printed_roster

COLUMNS = (
    Column("姓名", 14),
    Column("性别", 9),
    Column("身份证号", 33, wrap=False, text=True),
    Column("残疾证号", 36, wrap=False, text=True),
    Column("类别", 10),
    Column("等级", 10),
    Column("村", 14),
    Column("补贴类别", 17, wrap=False),
    Column("金额（元）", 16, align="RIGHT", total=True, wrap=False),  # a county total never breaks
    Column("开户行", 33, align="LEFT", wrap=False),
    Column("账号", 32, wrap=False, text=True),
)
# A person without a bank account is paid in cash against signature and thumbprint (DOMAIN.md): the row
# says so, so that the bank does not take it for a missing entry.
NO_ACCOUNT, IN_CASH = "无账号", "现金发放"
DRAFT = "草表（未确认发放）"


def paid_in_cash(printed: PrintedLine) -> bool:
    return not printed.bank_account.strip()


def requested_month(request: ReportRequest) -> Month:
    """The roster's month: this month or before, or next month (a draft to check in advance)."""
    if not request.month:
        raise InputError("两项补贴发放花名册要指定月份：请加上 --month YYYY-MM（如 --month 2026-11）。")
    month = Month.parse(request.month)
    latest = Month.of(request.today or dt.date.today()).next()
    if month > latest:
        raise InputError(f"{month.label}还没到，不能生成发放花名册：最远可以生成下个月（{latest.label}）的草表。")
    return month


def _rows(lines: Sequence[PrintedLine]) -> Iterator[Sequence[Cell] | Section]:
    programme = None
    for printed in lines:
        if printed.line.programme != programme:
            programme = printed.line.programme
            yield Section(Programme(programme).full_name)
        cash = paid_in_cash(printed)
        yield (
            printed.name, printed.sex, printed.id_number, printed.certificate_number,
            category_label(printed.category), grade_label(printed.grade), printed.village,
            Programme(programme).short, yuan(printed.line.amount_fen),
            NO_ACCOUNT if cash else printed.bank_name, IN_CASH if cash else printed.bank_account,
        )


def summary_note(lines: Sequence[PrintedLine], confirmed: bool) -> str:
    """说明 under the table: persons and amounts per programme, so the totals read in words too."""
    parts = []
    for programme, name in ((p, p.full_name) for p in Programme):
        mine = [p.line for p in lines if p.line.programme == programme]
        fen = sum(line.amount_fen for line in mine)
        parts.append(f"{name}{len(mine)}人{yuan_plain(fen)}元")
    persons = len({p.line.person_id for p in lines})
    total = sum(p.line.amount_fen for p in lines)
    text = f"说明：{'；'.join(parts)}；合计{persons}人{yuan_plain(total)}元。"
    waiting = sum(not p.line.confirmed for p in lines)
    if not confirmed and waiting == len(lines):
        text += "本月尚未确认发放，名单按当前审批情况生成。"
    elif not confirmed:
        text += f"其中{waiting}人次是确认发放后新增的，尚未确认：确认后再打印正式花名册。"
    cash = sum(paid_in_cash(p) for p in lines)
    return text + (f"\n无银行账号的{cash}人次现金发放，须本人签字并按手印。" if cash else "")


def build_report(session: Session, request: ReportRequest) -> TableReport:
    month = requested_month(request)
    today = request.today or dt.date.today()
    unit = unit_info(session)
    lines = printed_roster(session, month)
    confirmed = is_confirmed(session, month)
    draft = not confirmed or any(not p.line.confirmed for p in lines)
    return TableReport(
        title=f"{unit.town}{month.year}年{month.month}月残疾人两项补贴发放花名册" + (f"——{DRAFT}" if draft else ""),
        mark=DRAFT if draft else "",
        unit=unit.unit_name,
        date_text=chinese_date(today),
        columns=COLUMNS,
        rows=_rows(lines),
        signature_column="领取人签字（手印）",
        count_unit="人次",  # a person paid both subsidies is on the roster twice
        signers=[("经办人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
        note=summary_note(lines, not draft),
    )
