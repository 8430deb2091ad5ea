"""Writing persons to a workbook the importer reads back unchanged: one header row (the importer's own
names, FIELD_HEADERS), no title rows, IDs and other long numbers as text so no digit is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from app.db.models import Household, Person, Village, VillageGroup
from app.domain import disability
from app.domain.words import PersonStatus
from app.io.headers import FIELD_HEADERS
from app.io.import_report import cell, save_workbook
from app.services.actions import long_query

SHEET_NAME = "花名册"
_CHUNK = 900  # ids per query, well under SQLite's limit on parameters
_CLASS_NAMES = {1: "一类", 2: "二类", 3: "三类", 4: "四类"}
_WIDTHS = {"name": 10, "id_number": 21, "certificate_number": 23, "address": 28, "phone": 14,
           "bank_account": 22, "bank_name": 16, "notes": 24, "components": 14, "certificate_issued": 12}


def _yes_no(value: bool | None) -> str:
    return "是" if value else "否"


def person_values(person: Person) -> dict[str, object]:
    """The person as the workbook shows them: categories as 视力…多重, grades as 一级…四级, yes/no as 是/否."""
    household: Household | None = person.household
    return {
        "name": person.name, "sex": person.sex, "id_number": person.id_number,
        "certificate_number": person.certificate_number or "",
        "category": disability.category_label(person.category),
        "components": disability.components_label(person.components),
        "grade": disability.grade_label(person.grade), "certificate_issued": person.certificate_issued,
        "village": person.village.name if person.village else "", "group": person.group.name if person.group else "",
        "address": person.address, "phone": person.phone,
        "dibao": _yes_no(household.dibao if household else False),
        "dibao_class": _CLASS_NAMES.get(household.dibao_class or 0, "") if household else "",
        "labor_ability": person.labor_ability, "self_care": person.self_care,
        "lives_alone": _yes_no(person.lives_alone), "medical_insurance": _yes_no(person.medical_insurance),
        "guardian": person.guardian, "guardian_phone": person.guardian_phone, "ethnicity": person.ethnicity,
        "education": person.education, "employment": person.employment, "bank_name": person.bank_name,
        "bank_account": person.bank_account, "notes": person.notes,
    }


def write_persons(persons: Iterable[Person], path: Path) -> Path:
    """The workbook of these persons, in the order given."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    for index, key in enumerate(FIELD_HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 9)
    sheet.freeze_panes = "A2"
    sheet.append([cell(sheet, label, bold=True) for label in FIELD_HEADERS.values()])
    for person in persons:
        values = person_values(person)
        sheet.append([cell(sheet, _cell_value(values[key])) for key in FIELD_HEADERS])
    return save_workbook(book, path)


def _cell_value(value: object) -> object:
    """Dates stay dates; everything else is written as text (None as an empty cell)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return str(value)


def _loading() -> tuple[LoaderOption, ...]:
    return (selectinload(Person.village), selectinload(Person.group), selectinload(Person.household))


def export_persons(session: Session, path: Path) -> Path:
    """Every person on the register (在册), by village, group and name: `canlian export persons`."""
    query = (
        select(Person)
        .outerjoin(Village, Person.village_id == Village.id)
        .outerjoin(VillageGroup, Person.group_id == VillageGroup.id)
        .where(Person.status == PersonStatus.ON_REGISTER)
        .order_by(Village.sort_order, Village.name, VillageGroup.name, Person.name, Person.id)
        .options(*_loading())
    )
    return write_persons(session.scalars(query), Path(path))


def export_rows(session: Session, person_ids: Sequence[int], path: Path) -> Path:
    """These persons (the window's current list), in the order given, whatever their status."""
    wanted = list(dict.fromkeys(person_ids))
    found: dict[int, Person] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        query = select(Person).where(Person.id.in_(chunk)).options(*_loading())
        found.update((p.id, p) for p in session.scalars(query))
    return write_persons((found[i] for i in wanted if i in found), Path(path))


@long_query
def export_register(session: Session, path: Path) -> Path:
    """`canlian export persons FILE`: everyone on the register, in a workbook the importer reads back."""
    return export_persons(session, Path(path))


@long_query
def export_list_workbook(session: Session, person_ids: Sequence[int] | None, path: Path) -> Path:
    """导出名单: the persons of the list in its order (with None, everyone on the register) as a workbook
    that imports back."""
    if person_ids is None:
        return export_persons(session, path)
    return export_rows(session, person_ids, path)
