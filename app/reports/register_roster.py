"""残疾人花名册: every person on the register, village by village, each village with its 小计.

IDs are printed in full by default: the register is the office's own file and what the county 残联
checks its records against, so the work needs the whole number (DOMAIN.md: show IDs where the work
needs them). A copy meant for many eyes asks for mask_ids=True and gets 6201**********1234.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, Village, VillageGroup
from app.domain import idnumber
from app.domain.dates import age_on, chinese_date
from app.domain.disability import category_with_components, grade_label
from app.domain.subsidy_rules import CLASS_NAMES
from app.domain.words import PersonStatus
from app.reports import ReportRequest
from app.reports.table import Cell, Column, Section, TableReport
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
_IN_LIMIT = 900  # beyond this many chosen persons, filter while reading instead of one huge IN (...)


def _statement(request: ReportRequest) -> Select[tuple[object, ...]]:
    """One select for the whole register, in print order: village, group (1组 before 10组), pinyin."""
    stmt = (
        select(
            Person.id, Person.name, Person.sex, Person.birth_date, Person.id_number, Person.category,
            Person.components, Person.grade, Person.address, Person.phone, Person.notes,
            Village.name, VillageGroup.name, Household.address, Household.dibao, Household.dibao_class,
        )
        .outerjoin(Village, Village.id == Person.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Person.group_id)
        .outerjoin(Household, Household.id == Person.household_id)
        .where(Person.status == PersonStatus.ON_REGISTER)
        .order_by(
            Village.id.is_(None), Village.sort_order, Village.name,
            VillageGroup.id.is_(None), func.length(VillageGroup.name), VillageGroup.name,
            Person.pinyin, Person.id,
        )
    )
    if request.village_id is not None:
        stmt = stmt.where(Person.village_id == request.village_id)
    if request.person_ids is not None and len(request.person_ids) <= _IN_LIMIT:
        stmt = stmt.where(Person.id.in_(list(request.person_ids)))
    return stmt.execution_options(yield_per=1000)


def _dibao(dibao: bool | None, dibao_class: int | None) -> str:
    """一类..四类 for a 低保 household, 是 where its class was not recorded, blank otherwise."""
    if not dibao:
        return ""
    return CLASS_NAMES.get(dibao_class or 0, "是")


def _rows(session: Session, request: ReportRequest, today: dt.date, mask: bool) -> Iterator[Sequence[Cell] | Section]:
    chosen = set(request.person_ids) if request.person_ids is not None else None
    village: object = _NOTHING_YET
    for (pid, name, sex, born, id_number, category, components, grade, address, phone, notes,
         village_name, group_name, household_address, dibao, dibao_class) in session.execute(_statement(request)):
        if chosen is not None and pid not in chosen:
            continue
        if village_name != village:
            village = village_name
            yield Section(village_name or NO_VILLAGE)
        age = age_on(born, today)
        yield (
            name, sex, age, idnumber.mask(id_number) if mask else id_number, category_with_components(category, components),
            grade_label(grade), _dibao(dibao, dibao_class), group_name or "", address or household_address or "", phone,
            notes,
        )


def build_report(session: Session, request: ReportRequest) -> TableReport:
    today = request.today or dt.date.today()
    mask = bool(request.mask_ids)
    unit = unit_info(session)
    place = unit.town
    if request.village_id is not None:
        chosen = session.get(Village, request.village_id)
        place += chosen.name if chosen else ""
    return TableReport(
        title=f"{place}残疾人花名册",
        unit=unit.unit_name,
        date_text=chinese_date(today),
        columns=COLUMNS,
        rows=_rows(session, request, today, mask),
        signers=[("经办人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
        note="注：身份证号已隐去中间数字。" if mask else "",
    )
