"""The rules of issuing a device: whom it suits, the use period, which warnings need a reason."""

from __future__ import annotations

import datetime as dt

from app.domain.device_rules import (
    DeviceRule,
    Disability,
    Level,
    add_months,
    codes,
    issue_warnings,
    person_disability,
    replacement_from,
    suits_text,
)

WHEELCHAIR = DeviceRule("普通轮椅", suits_categories=(4,), suits_grades=(1, 2), use_period_months=36,
                     needs_assessment=True)
HEARING_AID = DeviceRule("助听器", suits_categories=(2,), use_period_months=60)


def test_a_wheelchair_suits_a_grade_one_physical_person_with_only_the_assessment_reminder() -> None:
    found = issue_warnings(WHEELCHAIR, Disability(4, 1), None, dt.date(2026, 3, 1))
    assert [w.level for w in found] == [Level.REMINDER]
    assert not found[0].needs_reason and "评估" in found[0].text


def test_a_hearing_aid_for_a_person_without_hearing_disability_is_a_warning_naming_both() -> None:
    (warning,) = issue_warnings(HEARING_AID, Disability(4, 2), None, dt.date(2026, 3, 1))
    assert warning.needs_reason
    assert warning.text == "助听器适用于听力残疾人，此人为肢体残疾。"


def test_multiple_disability_counts_its_components() -> None:
    person = person_disability(7, 2, "2,5")
    assert person.categories() == {7, 2, 5}
    assert issue_warnings(HEARING_AID, person, None, dt.date(2026, 3, 1)) == []
    assert person_disability(4, 2, "2,5").components == ()  # components only mean something for 多重


def test_wrong_grade_is_a_warning() -> None:
    (grade, _reminder) = issue_warnings(WHEELCHAIR, Disability(4, 4), None, dt.date(2026, 3, 1))
    assert grade.needs_reason and "一级、二级" in grade.text and "四级" in grade.text


def test_within_the_use_period_is_a_warning_with_the_day_a_replacement_is_allowed() -> None:
    rule = DeviceRule("拐杖", use_period_months=12)
    (warning,) = issue_warnings(rule, Disability(4, 3), dt.date(2025, 6, 30), dt.date(2026, 6, 29))
    assert warning.needs_reason and "2026年06月30日起" in warning.text and "使用期1年" in warning.text
    assert issue_warnings(rule, Disability(4, 3), dt.date(2025, 6, 30), dt.date(2026, 6, 30)) == []
    assert issue_warnings(DeviceRule("坐垫"), Disability(4, 3), dt.date(2026, 6, 1), dt.date(2026, 6, 2)) == []


def test_months_are_added_to_the_last_day_of_a_short_month() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert replacement_from(dt.date(2023, 5, 4), 36) == dt.date(2026, 5, 4)
    assert replacement_from(dt.date(2023, 5, 4), 0) is None


def test_codes_and_how_suitability_reads() -> None:
    assert codes("2,1，4") == (1, 2, 4) and codes("") == ()
    assert suits_text((4,), (1, 2)) == "肢体 一级、二级"
    assert suits_text((2,), ()) == "听力"
    assert suits_text((), ()) == "不限"
