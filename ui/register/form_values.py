"""The person form's values: a stored person as the form's raw fields, and what a cleared field saves."""

from __future__ import annotations

from typing import Any

from app.db.models import Person
from app.domain.disability import components_label

# A field the clerk cleared is saved as blank (registry.save_person leaves absent keys as stored).
BLANK_VALUES: dict[str, Any] = {
    "certificate_number": None, "certificate_issued": None, "components": "", "phone": "", "address": "",
    "guardian": "", "guardian_phone": "", "ethnicity": "", "education": "", "labor_ability": "",
    "employment": "", "self_care": "", "bank_name": "", "bank_account": "", "notes": "",
}


def load_person_raw(person: Person) -> dict[str, Any]:
    """The form's fields for a stored person (read inside the session that loaded it)."""
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
        "dibao_class": ["", "一类", "二类", "三类", "四类"][dibao_class] if dibao_class else "",
        "bank_name": person.bank_name or "", "bank_account": person.bank_account or "",
        "notes": person.notes or "",
    }
