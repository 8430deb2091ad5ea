"""The persons on the register: registering, updating from checked values (the form, a roster row), finding
one by ID or certificate, their audit trail.

The clerk's actions on one person (the window and the command line call these): ``person_form`` (the form's
fields of a stored person), ``check_form`` (the form's checks as the clerk types), ``save_form`` (register a
new person or save the form of a stored one), ``find_by_number`` (who holds an ID or certificate number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import AuditEntry, Household, Person, StatusChange, Village
from app.domain import idnumber
from app.domain.disability import components_label
from app.domain.names import search_keys
from app.domain.register_rules import REGISTERED_BEFORE_RECORDS, VILLAGE_MISSING, Checked, check_person
from app.domain.words import OFF_REGISTER, PersonStatus, status_text
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.register import told
from app.services.register.households import HOUSEHOLD_FIELDS, dibao_changed
from app.services.register.meanwhile import check_unchanged
from app.services.register.villages import group_named, village_named

PERSON_FIELDS = (
    "name", "id_number", "certificate_number", "sex", "birth_date", "category", "components", "grade",
    "certificate_issued", "phone", "address", "guardian", "guardian_phone", "ethnicity", "education",
    "labor_ability", "employment", "self_care", "lives_alone", "medical_insurance", "bank_name",
    "bank_account", "notes",
)


@dataclass
class SaveResult:
    person: Person
    outcome: str  # "imported" (new), "updated", "unchanged"
    changed: list[str] = field(default_factory=list)


def find_person(session: Session, text: str) -> Person | None:
    """The person with this ID (15 or 18 digits) or certificate number, or None."""
    cleaned = idnumber.clean(text)
    if len(cleaned) == 20:
        found = session.scalar(select(Person).where(Person.certificate_number == cleaned))
        if found:
            return found
        cleaned = cleaned[:18]
    try:
        id18 = idnumber.normalise(cleaned)
    except idnumber.IdNumberError:
        return None
    return session.scalar(select(Person).where(Person.id_number == id18))


def get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("找不到这个人：可能已被他人修改，请刷新列表。")
    return person


def save_person(
    session: Session, values: dict[str, Any], *, on: dt.date | None = None, reason: str = "登记"
) -> SaveResult:
    """Register a new person, or update the one with this ID. Values are checked ones
    (app.domain.register_rules); a key that is absent is left as stored: a blank never erases."""
    id18 = values["id_number"]
    person = session.scalar(select(Person).where(Person.id_number == id18))
    if person is None:
        return SaveResult(_register(session, values, on or dt.date.today(), reason), "imported")
    changed = _apply(session, person, values)
    return SaveResult(person, "updated" if changed else "unchanged", changed)


def _check_certificate_free(session: Session, values: dict[str, Any], person: Person | None) -> None:
    cert = values.get("certificate_number")
    if not cert:
        return
    other = session.scalar(select(Person).where(Person.certificate_number == cert))
    if other is not None and other is not person:
        raise InputError(f"残疾证号{cert}已登记在{other.name}名下：请核对。")


def _register(session: Session, values: dict[str, Any], on: dt.date, reason: str) -> Person:
    _check_certificate_free(session, values, None)
    if not str(values.get("village") or "").strip():
        raise InputError(VILLAGE_MISSING)
    person = Person(status=PersonStatus.ON_REGISTER, status_date=None if on == REGISTERED_BEFORE_RECORDS else on)
    for key in PERSON_FIELDS:
        if key in values:
            setattr(person, key, values[key])
    person.initials, person.pinyin = search_keys(person.name)
    _place(session, person, values)  # before the person joins the session: its look-ups flush nothing
    household = Household(village_id=person.village_id, group_id=person.group_id, address=person.address)
    for key in HOUSEHOLD_FIELDS:
        if key in values:
            setattr(household, key, values[key])
    person.household = household
    household.head = person
    person.status_changes.append(StatusChange(status=PersonStatus.ON_REGISTER, date=on, reason=reason))
    session.add(person)
    session.flush()  # one flush for the person, the household and the first status (a roster: 3x faster)
    return person


def _place(session: Session, person: Person, values: dict[str, Any]) -> list[str]:
    changed = []
    current = session.get(Village, person.village_id) if person.village_id else None
    if values.get("village") and (current is None or current.name != str(values["village"]).strip()):
        village = village_named(session, values["village"])
        if person.village_id != village.id:
            person.village_id = village.id
            person.group_id = None
            changed.append("village")
    if values.get("group") and person.village_id:
        person_village = session.get(Village, person.village_id)
        assert person_village is not None
        group = group_named(session, person_village, values["group"])
        if person.group_id != group.id:
            person.group_id = group.id
            changed.append("group")
    return changed


def _apply(session: Session, person: Person, values: dict[str, Any]) -> list[str]:
    _check_certificate_free(session, values, person)
    changed = []
    for key in PERSON_FIELDS:
        if key in values and values[key] != getattr(person, key):
            setattr(person, key, values[key])
            changed.append(key)
    if "name" in changed:
        person.initials, person.pinyin = search_keys(person.name)
    changed += _place(session, person, values)
    household = person.household
    if household is not None:
        for key in HOUSEHOLD_FIELDS:
            if key in values and values[key] != getattr(household, key):
                setattr(household, key, values[key])
                changed.append(key)
        if "dibao" in changed:  # from the form or an import: ended today unless a date is given
            dibao_changed(session, household, values.get("dibao_ended"))
    session.flush()
    return changed


def stored_values(person: Person) -> dict[str, Any]:
    """The person's fields as the register holds them (the village by name), as check_person reads them."""
    values = {key: getattr(person, key) for key in PERSON_FIELDS}
    values["village"] = person.village.name if person.village else ""
    return values


def check_fields(session: Session, raw: dict[str, Any], today: dt.date | None = None) -> Checked:
    """check_person on raw fields, with the values on file of the person with that ID, if any: a field
    the register already holds is not required again, and a phone or account stored before such checks,
    given again unchanged, is not refused. Looked up only when the plain check fails."""
    checked = check_person(raw, today)
    if checked.ok or "id_number" not in checked.values:
        return checked
    person = session.scalar(select(Person).where(Person.id_number == checked.values["id_number"]))
    if person is None:
        return checked
    return check_person(raw, today, stored=stored_values(person))


def save_checked(session: Session, raw: dict[str, Any], **kwargs: Any) -> SaveResult:
    """Check raw fields (as typed) and save them; InputError with the first problem if they do not pass."""
    checked = check_fields(session, raw)
    if not checked.ok:
        raise InputError(checked.first_error())
    return save_person(session, checked.values, **kwargs)


def update_person(session: Session, person: Person, values: dict[str, Any]) -> SaveResult:
    """Change this person's fields from checked values (the window's form), the ID number included;
    an ID or certificate already held by someone else is refused."""
    id18 = values.get("id_number")
    if id18 and id18 != person.id_number:
        other = session.scalar(select(Person).where(Person.id_number == id18))
        if other is not None:
            raise InputError(f"身份证号已登记在{other.name}名下：请核对号码。")
    changed = _apply(session, person, values)
    return SaveResult(person, "updated" if changed else "unchanged", changed)


def audit_trail(session: Session, person_id: int) -> list[AuditEntry]:
    """The audit rows of one person, oldest first: what the history panel shows."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "person", AuditEntry.entity_id == person_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


# --- the person form (登记表) -------------------------------------------------------------------------

DIBAO_CLASS_NAMES = ("", "一类", "二类", "三类", "四类")  # Household.dibao_class 1..4 as the form shows it

# A field the clerk cleared on the form is saved as blank (save_person leaves absent keys as stored).
BLANK_VALUES: dict[str, Any] = {
    "certificate_number": None, "certificate_issued": None, "components": "", "phone": "", "address": "",
    "guardian": "", "guardian_phone": "", "ethnicity": "", "education": "", "labor_ability": "",
    "employment": "", "self_care": "", "bank_name": "", "bank_account": "", "notes": "",
}


@dataclass(frozen=True)
class PersonForm:
    """登记表 of one stored person: every field as the form shows it (text, or the choice's value), keyed
    like Person (what check_person reads), and the person's status since when."""

    person_id: int
    fields: Mapping[str, Any]
    status: str
    status_date: dt.date | None
    version: int  # the person's version as loaded: save_form refuses a save over another clerk's since

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    @property
    def status_text(self) -> str:
        """2026-11-20死亡, or 在册."""
        return status_text(self.status, self.status_date)

    @property
    def read_only(self) -> bool:
        """Off the register (dead, moved out, cancelled): the form only shows the record until the clerk
        chooses 更正, so a closed record is not changed by a stray key."""
        return self.status in OFF_REGISTER


@dataclass(frozen=True)
class PersonBrief:
    """Who holds a number: enough to say 李四（金塔村，在册） and to open their form."""

    id: int
    name: str
    village: str
    status: str


@dataclass(frozen=True)
class SavedPerson:
    person_id: int
    outcome: str  # "imported" (new), "updated", "unchanged"
    changed: tuple[str, ...] = ()
    name: str = ""

    @property
    def line(self) -> str:
        """What the clerk is told: 已登记张三 / 已保存张三的登记表."""
        return told.saved(self.name, self.outcome)


def form_fields(person: Person) -> dict[str, Any]:
    """The form's fields of a stored person (read inside the session that loaded it)."""
    household = person.household
    dibao = bool(household and household.dibao)
    dibao_class = household.dibao_class if household and household.dibao_class else None
    return {
        "name": person.name, "id_number": person.id_number, "ethnicity": person.ethnicity or "",
        "education": person.education or "", "certificate_number": person.certificate_number or "",
        "category": person.category, "grade": person.grade,
        "components": components_label(person.components),
        "certificate_issued": person.certificate_issued.isoformat() if person.certificate_issued else "",
        "village": person.village.name if person.village else "",
        "group": person.group.name if person.group else "", "address": person.address or "",
        "phone": person.phone or "", "guardian": person.guardian or "", "guardian_phone": person.guardian_phone or "",
        "labor_ability": person.labor_ability or "", "employment": person.employment or "",
        "self_care": person.self_care or "", "lives_alone": "是" if person.lives_alone else "否",
        "medical_insurance": "是" if person.medical_insurance else "否", "dibao": "是" if dibao else "否",
        "dibao_class": DIBAO_CLASS_NAMES[dibao_class] if dibao_class else "",
        "bank_name": person.bank_name or "", "bank_account": person.bank_account or "",
        "notes": person.notes or "",
    }


@query
def person_form(session: Session, person_id: int) -> PersonForm:
    """The form of one person on the register (NotFound if another clerk's change took them away)."""
    person = get_person(session, person_id)
    return PersonForm(person.id, form_fields(person), person.status, person.status_date, person.version)


def check_form(raw: Mapping[str, Any], stored: Mapping[str, Any] | None, today: dt.date | None = None) -> Checked:
    """The form's fields as typed, checked: stored is the person's form as loaded (None for a new person),
    so a phone or account left as it was is not checked again. A new person needs a village; a stored one
    cannot have theirs emptied (a blank never erases it)."""
    require_village = stored is None or bool(str(stored.get("village") or "").strip())
    return check_person(raw, today or dt.date.today(), stored=stored, require_village=require_village)


def _form_values(raw: Mapping[str, Any], checked: Checked) -> dict[str, Any]:
    """What saving the form writes: the checked values, and a blank for each field the clerk cleared."""
    values = dict(checked.values)
    for key, blank in BLANK_VALUES.items():
        if key not in values and key not in checked.errors and not str(raw.get(key) or "").strip():
            values[key] = blank
    if not values.get("dibao"):
        values["dibao_class"] = None
    return values


@action(Changes.REGISTER | Changes.SUBSIDIES)  # ending 低保 here records what the living subsidy overpaid
def save_form(session: Session, person_id: int | None, raw: Mapping[str, Any], *,
              version: int | None = None) -> SavedPerson:
    """Save the form as typed: register a new person (person_id None) or change a stored one, the ID
    number included. InputError with the first problem if the fields do not pass, or if the ID is
    already another person's (a new person is never registered twice). version: the person's version
    the form was opened on (PersonForm.version): ChangedMeanwhile if another clerk saved them since."""
    person = get_person(session, person_id) if person_id is not None else None
    if person is not None:
        check_unchanged(session, person, version, f"{person.name}的资料")
    checked = check_form(raw, form_fields(person) if person is not None else None)
    if not checked.ok:
        raise InputError(checked.first_error())
    values = _form_values(raw, checked)
    if person is None:
        other = session.scalar(select(Person).where(Person.id_number == values["id_number"]))
        if other is not None:
            raise InputError(f"这个身份证号已登记在{other.name}名下，不能重复登记：请打开此人的登记表修改。")
        result = save_person(session, values)
    else:
        result = update_person(session, person, values)
    return SavedPerson(result.person.id, result.outcome, tuple(result.changed), result.person.name)


@query
def find_by_number(session: Session, text: str) -> PersonBrief | None:
    """Who holds this ID (15 or 18 digits) or certificate number, or None."""
    person = find_person(session, text)
    if person is None:
        return None
    return PersonBrief(person.id, person.name, person.village.name if person.village else "", person.status)
