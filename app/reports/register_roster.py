"""残疾人花名册: every person on the register, village by village, each village with its 小计.

IDs are printed in full by default: the register is the office's own file and what the county 残联
checks its records against, so the work needs the whole number (DOMAIN.md: show IDs where the work
needs them). A copy meant for many eyes asks for mask_ids=True and gets 6201**********1234.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from app.domain import idnumber
from app.domain.dates import age_on, chinese_date
from app.domain.disability import category_with_components, grade_label
from app.domain.subsidy_rules import CLASS_NAMES
from app.reports import ReportRequest
from app.reports.table import Cell, Column, Section, TableReport
from app.services.register.roster import roster_persons, village_name
from app.services.settings import unit_info

COLUMNS = (
    Column("姓名", 18),
    Column("性别", 9),
    Column("年龄", 9),
    Column("身份证号", 37, wrap=False, text=True),
    Column("类别", 22),
    Column("等级", 11),
    Column("低保", 12),
    Column("组", 11),
    Column("住址", 44, align="LEFT"),
    Column("联系电话", 25, wrap=False, text=True),
    Column("备注", 34, align="LEFT"),
)
NO_VILLAGE = "未分村"
_NOTHING_YET = object()


def _dibao(dibao: bool | None, dibao_class: int | None) -> str:
    """一类..四类 for a 低保 household, 是 where its class was not recorded, blank otherwise."""
    if not dibao:
        return ""
    return CLASS_NAMES.get(dibao_class or 0, "是")


def _rows(session: Session, request: ReportRequest, today: dt.date, mask: bool) -> Iterator[Sequence[Cell] | Section]:
    village: object = _NOTHING_YET
    # a county's 100,000 persons have a few dozen kinds and grades: each named once
    kinds: dict[tuple[int, str], str] = {}
    grades: dict[int | None, str] = {}
    for p in roster_persons(session, village_id=request.village_id, person_ids=request.person_ids):
        if p.village != village:
            village = p.village
            yield Section(p.village or NO_VILLAGE)
        kind = kinds.get((p.category, p.components))
        if kind is None:
            kind = kinds[(p.category, p.components)] = category_with_components(p.category, p.components)
        grade = grades.get(p.grade)
        if grade is None:
            grade = grades[p.grade] = grade_label(p.grade)
        yield (
            p.name, p.sex, age_on(p.birth_date, today), idnumber.mask(p.id_number) if mask else p.id_number,
            kind, grade, _dibao(p.dibao, p.dibao_class), p.group or "", p.address or p.household_address or "",
            p.phone, p.notes,
        )


def build_report(session: Session, request: ReportRequest) -> TableReport:
    today = request.today or dt.date.today()
    mask = bool(request.mask_ids)
    unit = unit_info(session)
    place = unit.town
    if request.village_id is not None:
        place += village_name(session, request.village_id)
    return TableReport(
        title=f"{place}残疾人花名册",
        unit=unit.unit_name,
        date_text=chinese_date(today),
        columns=COLUMNS,
        rows=_rows(session, request, today, mask),
        signers=[("经办人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
        note="注：身份证号已隐去中间数字。" if mask else "",
    )
