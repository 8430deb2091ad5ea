"""节日慰问花名册: the list a recipient signs, village by village, one row per household on the campaign's list.

ID numbers are masked (DOMAIN.md: visit rosters are seen by many). A household whose disabled members
have all died or moved out since the list was drawn never appears silently on a signing sheet: it is
left off, and a note under the table names who and why, so the clerk can settle it (the tab offers to
take such lines off the list). A household where one of two members died keeps its row with the living.
Who counts as gone is read on the line's day (lines.line_day: its recorded visit, else the festival), so
an old roster reprints exactly as it was signed, whatever happened since.

Before any result is recorded the roster is the plan people sign against: each row the amount planned and
the total headed 计划合计. Once recording has begun it is the record of what was given: a visited row
prints what was given, a row not given prints 未发放：未找到 with no amount, a row not yet recorded 待登记,
neither of those enters a total, and the total is headed 实发合计, the same sum as the summary's `visits`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from app.domain import idnumber
from app.domain.dates import chinese_date
from app.domain.money import yuan
from app.domain.words import LineOutcome
from app.errors import InputError
from app.reports import ReportRequest
from app.reports.table import Cell, Column, Section, TableReport, Uncounted
from app.services.register.roster import village_name
from app.services.settings import unit_info
from app.services.visits import campaigns, lines
from app.services.visits.lines import LineView

_NAMED = 3  # departed households named in the note (one printed line)


def _columns(money: bool, goods: bool) -> list[Column]:
    cols = [
        Column("户主/慰问对象", 20),
        Column("残疾人", 20),
        Column("身份证号", 34, wrap=False, text=True),
        Column("类别等级", 22),
        Column("住址", 42, align="LEFT"),
    ]
    if money:
        cols.append(Column("慰问金额（元）", 24, align="RIGHT", total=True, money=True))  # 未发放：未找到 on one line
    if goods:
        cols.append(Column("慰问物品", 26))
    return cols


def _row(view: LineView, money: bool, goods: bool, recorded: bool) -> list[Cell] | Uncounted:
    persons = view.living or view.persons  # a line given although its persons had gone still shows whom
    cells: list[Cell] = [
        view.head,
        "\n".join(p.name for p in persons),
        "\n".join(idnumber.mask(p.id_number) for p in persons),
        "\n".join(p.category for p in persons),
        view.address,
    ]
    if not recorded or view.given:
        if money:
            cells.append(yuan(view.given_amount_fen if recorded else view.amount_fen))
        if goods:
            cells.append(view.given_goods if recorded else view.goods)
        return cells
    # not given (or not yet recorded): the reason where the amount goes, no money, left out of the totals
    status = f"未发放：{LineOutcome.NOT_FOUND}" if view.outcome == LineOutcome.NOT_FOUND else "待登记"
    planned = [f"计划{yuan(view.amount_fen)}"] if view.amount_fen and not view.outcome else []
    if money:
        cells.append("\n".join([status, *planned]))
    if goods:
        cells.append("" if money else status)
    return Uncounted(cells)


def roster_lines(session: Session, campaign_name: str,
                 village_id: int | None = None) -> tuple[list[LineView], list[LineView]]:
    """(printed, left off): the included lines in roster order, and those left off because nobody on them
    is on the register any more."""
    campaign = campaigns.campaign_named(session, campaign_name)
    chosen = [v for v in lines.line_views(session, campaign) if v.included]
    if village_id is not None:
        village = village_name(session, village_id)
        chosen = [v for v in chosen if village and v.village == village]
    left_off = [v for v in chosen if v.all_departed and not v.given]
    return [v for v in chosen if v not in left_off], left_off


def _rows(printed: list[LineView], money: bool, goods: bool,
          recorded: bool) -> Iterator[Sequence[Cell] | Section | Uncounted]:
    village = None
    for view in printed:
        if view.village != village:
            village = view.village
            yield Section(village)
        yield _row(view, money, goods, recorded)


def _record_note(printed: list[LineView], money: bool) -> str:
    """What the totals of a recorded roster are, and the lines they leave out."""
    text = "本表为登记的发放结果：实发合计只计已慰问的户"
    not_found = sum(v.outcome == LineOutcome.NOT_FOUND for v in printed)
    pending = [v for v in printed if not v.outcome]
    if not_found:
        text += f"，未找到的{not_found}户未发放，不计金额"
    if pending:
        planned = sum(v.amount_fen for v in pending)
        plan = f"（计划{yuan(planned)}元）" if money and planned else ""
        text += f"；另有{len(pending)}户尚未登记结果{plan}，未计入实发合计"
    return text + "。"


def build_report(session: Session, request: ReportRequest) -> TableReport:
    if not request.campaign:
        raise InputError("请用 --campaign 指明哪一次慰问，如 --campaign 2027年春节慰问。")
    campaign = campaigns.campaign_named(session, request.campaign)
    printed, left_off = roster_lines(session, campaign.name, request.village_id)
    if not printed and not left_off:
        raise InputError(f"“{campaign.name}”的名单中还没有列入任何户：请先生成名单。")
    recorded = lines.recording_begun_in(session, campaign.id)
    money = campaign.standard_fen > 0 or any(v.amount_fen or v.given_fen for v in printed)
    goods = bool(campaign.goods) or any(v.goods or v.given_goods for v in printed)
    unit = unit_info(session)
    place = unit.town
    if request.village_id is not None:
        place += village_name(session, request.village_id)
    if recorded:
        notes = [f"注：{_record_note(printed, money)}身份证号已隐去中间数字。"]
    else:
        plan = "，合计为计划发放金额" if money else ""
        notes = [f"注：本表为慰问计划，尚未登记发放结果{plan}。身份证号已隐去中间数字。"]
    if left_off:
        names = "；".join("、".join(v.warnings) for v in left_off[:_NAMED])
        more = f"等{len(left_off)}户" if len(left_off) > _NAMED else ""
        notes.append(f"{names}{more}，残疾人已去世或迁出，未列入本表。")
    leader = ("带队领导", campaign.leader) if campaign.leader else ("负责人", unit.head)
    return TableReport(
        title=f"{place}{campaign.name}困难残疾人花名册" + ("（发放结果）" if recorded else ""),
        unit=unit.unit_name,
        date_text=chinese_date(request.today or dt.date.today()),
        columns=_columns(money, goods),
        rows=_rows(printed, money, goods, recorded),
        signature_column="签字（手印）",
        count_unit="户",
        total_label="实发合计" if recorded else "计划合计",
        signers=[("经办人", unit.clerk), ("村干部", ""), leader],
        note="".join(notes),
    )
