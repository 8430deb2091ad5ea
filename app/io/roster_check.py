"""The check pass of a roster import: every row's fate worked out in Python against what the register
holds, read once (the persons and certificates the roster names, the villages and groups), without
writing anything. The wizard's preview is this pass; the import then writes what it planned.

The rules are those of saving row by row (app.services.register.people.save_person): a row that fails
the checks is rejected, and one whose person is on file is checked again against the values on file (a
field the register holds need not be repeated); the second row of an ID is rejected; a new person
needs a village and a certificate nobody holds; a person on file is updated only where a cell says
something else (an empty cell never erases a stored value)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, Village, VillageGroup
from app.domain.idnumber import mask
from app.domain.register_rules import VILLAGE_MISSING, Checked, check_person, is_blank, text_of
from app.io import known_rejections
from app.io.headers import FIELD_HEADERS
from app.io.roster_sheet import Roster, RosterRow
from app.io.workbook import Cell
from app.services.register.bulk import scalar_default, table_of
from app.services.register.households import HOUSEHOLD_FIELDS
from app.services.register.people import PERSON_FIELDS

OUTCOME_LABELS = {"imported": "新增", "updated": "更新", "unchanged": "不变", "rejected": "拒绝",
                  "still_rejected": "拒绝"}
Progress = Callable[[int, int], None]
_EXACT_LIMIT = 2**53  # a number cell above this has lost its last digits
_YES_NO = ("dibao", "lives_alone", "medical_insurance")  # where TRUE and FALSE mean 是 and 否
_DATED = ("certificate_issued", "notes")  # where a date cell makes sense
_IN_CHUNK = 500  # numbers per IN (...) when reading what the register holds of the roster's persons


@dataclass(frozen=True)
class RowOutcome:
    """What importing one row did (or, in a preview, would do)."""

    row: int
    name: str
    id_masked: str
    outcome: str  # imported / updated / unchanged / rejected / still_rejected (rejected before, same reason)
    reason: str = ""
    warnings: tuple[str, ...] = ()
    fingerprint: str = ""  # of a rejected row: see app.io.known_rejections
    id_written: str = ""  # of a rejected row only: the whole number as the sheet has it, to compare with the card

    @property
    def is_rejected(self) -> bool:
        return self.outcome in ("rejected", "still_rejected")

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class OnFile:
    """A person the register holds (or this roster adds), as the checks and the update compare them."""

    values: dict[str, Any]  # PERSON_FIELDS and "village" by name: what check_person reads as stored
    group: str | None  # the group's name
    household: dict[str, Any] | None  # HOUSEHOLD_FIELDS of their household, None without one


@dataclass
class Plan:
    """Every row's fate, and what the import writes for it."""

    outcomes: list[RowOutcome]
    new: list[dict[str, Any]] = field(default_factory=list)  # checked values of each new person, in row order
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (outcome's index, checked values)
    places: list[tuple[str, str | None]] = field(default_factory=list)  # (village, None) or (village, group) to make


def _odd_cell(key: str, value: Cell) -> str:
    """Why a cell of this kind cannot stand for this field ("" if it can): TRUE would become a person
    named "True", and 残疾类别 TRUE would become 视力 (TRUE counts as 1)."""
    label = FIELD_HEADERS[key]
    if isinstance(value, bool):
        return "" if key in _YES_NO else f"{label}一栏是逻辑值{str(value).upper()}，不是{label}：请核对这一格。"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{label}一栏的数值无法识别：请核对这一格。"
    if isinstance(value, (dt.date, dt.time, dt.timedelta)) and key not in _DATED:
        return f"{label}一栏是日期或时间，不是{label}：请核对这一格。"
    return ""


def raw_fields(roster: Roster, row: RosterRow) -> tuple[dict[str, Cell], str, list[str]]:
    """The row as check_person's raw fields, a reason to reject it that the checks cannot see, and warnings."""
    cells, width = row.cells, len(row.cells)
    raw = {key: cells[col] if col < width else None for key, col in roster.mapping.items()}  # Roster.cell, inline
    # text, int and empty cells (nearly all) are never odd: only the rest need a look
    error = next((reason for key, value in raw.items()
                  if type(value) not in _PLAIN and (reason := _odd_cell(key, value))), "")
    warnings: list[str] = []
    id_cell = raw.get("id_number")
    if isinstance(id_cell, (int, float)) and not isinstance(id_cell, bool):
        # Excel keeps 15 digits of a number: an old 15-digit ID survives whole, an 18-digit one never does.
        whole = float(id_cell).is_integer() and 10**14 <= id_cell < 10**15
        raw["id_number"] = str(int(id_cell)) if whole else float(id_cell)
    cert = raw.get("certificate_number")
    if isinstance(cert, (int, float)) and not isinstance(cert, bool) and not error:
        error = "残疾证号被Excel存成了数字，末几位已丢失：请把该列设为文本格式后重新输入残疾证号。"
    account = raw.get("bank_account")
    if isinstance(account, (int, float)) and not isinstance(account, bool) and abs(account) >= _EXACT_LIMIT:
        del raw["bank_account"]
        warnings.append("银行账号被Excel存成了数字，末几位已丢失：此项未导入，请把该列设为文本格式后重新输入。")
    return raw, error, warnings


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start:start + _IN_CHUNK]


_DEFAULTS = {c.key: scalar_default(c) for c in table_of(Person).columns}
_PLAIN = (str, int, type(None))
_STORED = {key: _DEFAULTS[key] for key in PERSON_FIELDS}  # a new person as stored, before their own values
_HOUSEHOLD = {key: False if key != "dibao_class" else None for key in HOUSEHOLD_FIELDS}  # a new household, likewise


class Register:
    """What the register holds of this roster, read once, and kept up to date as the pass takes rows:
    the persons by ID, who holds each certificate, the villages and their groups."""

    def __init__(self, session: Session, ids: Iterable[str], certificates: Iterable[str]) -> None:
        self.persons: dict[str, OnFile] = {}
        self.holders: dict[str, str] = {}  # certificate -> ID of the person holding it
        self.names: dict[str, str] = {}  # ID -> name, of the holders read
        columns = [getattr(Person, key) for key in PERSON_FIELDS]
        hardship = [getattr(Household, key) for key in HOUSEHOLD_FIELDS]
        for chunk in _chunks(sorted(set(ids))):
            query = (select(*columns, Village.name, VillageGroup.name, Household.id, *hardship)
                     .outerjoin(Village, Village.id == Person.village_id)
                     .outerjoin(VillageGroup, VillageGroup.id == Person.group_id)
                     .outerjoin(Household, Household.id == Person.household_id)
                     .where(Person.id_number.in_(chunk)))
            for row in session.execute(query):
                values = dict(zip(PERSON_FIELDS, row, strict=False))
                values["village"] = row[len(PERSON_FIELDS)] or ""
                rest = row[len(PERSON_FIELDS) + 2:]
                household = dict(zip(HOUSEHOLD_FIELDS, rest[1:], strict=True)) if rest[0] is not None else None
                self.persons[values["id_number"]] = OnFile(values, row[len(PERSON_FIELDS) + 1], household)
        for chunk in _chunks(sorted(set(certificates))):
            holders = select(Person.certificate_number, Person.id_number, Person.name).where(
                Person.certificate_number.in_(chunk))
            for cert, id18, name in session.execute(holders):
                if cert is None:  # the query asks for certificates in chunk: never, said for the checker
                    continue
                self.holders[cert] = id18
                self.names[id18] = name
        self.villages = set(session.scalars(select(Village.name)))
        # names two towns' villages share (county staff on a county's server see both): a row cannot say which
        self.shared = set(session.scalars(select(Village.name).group_by(Village.name).having(func.count() > 1)))
        self.groups = {(v, g) for v, g in session.execute(
            select(Village.name, VillageGroup.name).join(Village, Village.id == VillageGroup.village_id))}

    def holder_name(self, id18: str) -> str:
        person = self.persons.get(id18)
        return str(person.values["name"]) if person is not None else self.names[id18]


@dataclass
class _Read:
    """A row read and given the plain checks (those that need nothing from the register)."""

    row: RosterRow
    raw: dict[str, Cell]
    error: str
    warnings: list[str]
    checked: Checked


def check_roster(session: Session, roster: Roster, today: dt.date, progress: Progress | None = None) -> Plan:
    """Every row's fate (rows with nothing in the imported columns left out), nothing written; rows
    rejected before for the same reason count as still rejected."""
    read: list[_Read] = []
    total = len(roster.rows)
    for done, row in enumerate(roster.rows, start=1):
        raw, error, warnings = raw_fields(roster, row)
        if not all(is_blank(v) for v in raw.values()):
            read.append(_Read(row, raw, error, warnings, check_person(raw, today)))
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
    ids = {r.checked.values["id_number"] for r in read if "id_number" in r.checked.values}
    certificates = {r.checked.values["certificate_number"] for r in read if r.checked.values.get("certificate_number")}
    register = Register(session, ids, certificates)
    plan = Plan([])
    first_row_of: dict[str, int] = {}  # ID -> sheet row of the first row taken with it
    for line in read:
        _decide(register, plan, line, today, first_row_of)
    known = known_rejections.load(session)
    plan.outcomes = [dataclasses.replace(o, outcome="still_rejected")
                     if o.outcome == "rejected" and o.fingerprint in known else o for o in plan.outcomes]
    return plan


def _decide(register: Register, plan: Plan, line: _Read, today: dt.date, first_row_of: dict[str, int]) -> None:
    raw, checked = line.raw, line.checked
    if not checked.ok and "id_number" in checked.values:  # an update row need not repeat what is on file
        on_file = register.persons.get(checked.values["id_number"])
        if on_file is not None:
            checked = check_person(raw, today, stored=on_file.values)
    id18 = checked.values.get("id_number", "")
    name = checked.values.get("name") or (text_of(raw["name"]) if not is_blank(raw.get("name")) else "")
    shown_id = id18 or (text_of(raw["id_number"]) if isinstance(raw.get("id_number"), str) else "")
    if line.error or not checked.ok:
        outcome, reason = "rejected", line.error or "".join(checked.errors.values())
    elif id18 in first_row_of:
        outcome, reason = "rejected", f"与第{first_row_of[id18]}行身份证号重复：同一人只导入第一行。"
    else:
        outcome, reason = _take(register, plan, checked.values, len(plan.outcomes))
    fingerprint = known_rejections.fingerprint(raw, reason) if reason else ""
    if not reason:
        first_row_of[id18] = line.row.number
    plan.outcomes.append(RowOutcome(line.row.number, name, mask(shown_id), outcome, reason,
                                    tuple(line.warnings + checked.warnings), fingerprint,
                                    shown_id if outcome == "rejected" else ""))


def _certificate_taken(register: Register, values: dict[str, Any], id18: str) -> str:
    cert = values.get("certificate_number")
    holder = register.holders.get(cert) if cert else None
    if holder is None or holder == id18:
        return ""
    return f"残疾证号{cert}已登记在{register.holder_name(holder)}名下：请核对。"


def _take(register: Register, plan: Plan, values: dict[str, Any], index: int) -> tuple[str, str]:
    """A checked row: (outcome, "") as it is planned, or ("rejected", reason)."""
    id18 = values["id_number"]
    taken = _certificate_taken(register, values, id18)
    if taken:
        return "rejected", taken
    on_file = register.persons.get(id18)
    village = str(values.get("village") or "").strip()
    if village in register.shared and (on_file is None or village != on_file.values["village"]):
        return "rejected", f"“{village}”不止一个乡镇有：请由该镇的经办人导入此行。"
    if on_file is None:
        if not village:
            return "rejected", VILLAGE_MISSING
        _place(register, plan, values["village"], values.get("group"))
        plan.new.append(values)
        stored, household = _STORED.copy(), _HOUSEHOLD.copy()  # then the row's own values (each key is there)
        for key in values.keys() & _STORED.keys():
            stored[key] = values[key]
        for key in values.keys() & _HOUSEHOLD.keys():
            household[key] = values[key]
        stored["village"] = values["village"]
        register.persons[id18] = OnFile(stored, values.get("group"), household)
        _hold_certificate(register, id18, None, values.get("certificate_number"))
        return "imported", ""
    if not _changes(register, plan, on_file, values):
        return "unchanged", ""
    plan.updates.append((index, values))
    return "updated", ""


def _hold_certificate(register: Register, id18: str, old: str | None, new: str | None) -> None:
    if old and old != new and register.holders.get(old) == id18:
        del register.holders[old]
    if new:
        register.holders[new] = id18


def _place(register: Register, plan: Plan, village: str | None, group: str | None) -> None:
    """The village and group a saved row is placed in, planned to be made when new (in the order saving
    row by row made them, so that they get the same numbers)."""
    if not village:
        return
    if village not in register.villages:
        register.villages.add(village)
        plan.places.append((village, None))
    if group and (village, group) not in register.groups:
        register.groups.add((village, group))
        plan.places.append((village, group))


def _changes(register: Register, plan: Plan, on_file: OnFile, values: dict[str, Any]) -> bool:
    """Apply the row to the person on file as saving does (people._apply); whether anything changed."""
    stored = on_file.values
    changed = False
    old_cert = stored["certificate_number"]
    for key in PERSON_FIELDS:
        if key in values and values[key] != stored[key]:
            stored[key] = values[key]
            changed = True
    _hold_certificate(register, str(stored["id_number"]), old_cert, stored["certificate_number"])
    village = values.get("village")
    if village and village != stored["village"]:
        stored["village"] = village
        on_file.group = None
        changed = True
    group = values.get("group")
    if group and stored["village"] and group != on_file.group:
        on_file.group = group
        changed = True
    _place(register, plan, village or None, None)
    if group and stored["village"]:
        _place(register, plan, str(stored["village"]), group)
    if on_file.household is not None:
        for key in HOUSEHOLD_FIELDS:
            if key in values and values[key] != on_file.household[key]:
                on_file.household[key] = values[key]
                changed = True
    return changed
