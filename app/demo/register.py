"""The first demo step: the register. Villages, households and persons over five years (registrations,
deaths, moves out), tuned so the year's figures match the seed town: 345 on the register, 120 able to
work, about 135 in 低保 households, about 342 insured. Other town sizes scale the same shares."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from app.demo import people
from app.demo.context import DemoTown
from app.demo.draw import Draw, below
from app.demo.town import (
    CATEGORY_WEIGHTS,
    DIBAO_CLASS_WEIGHTS,
    EDUCATION,
    ETHNICITY,
    FIRST_REGISTRATIONS,
    GRADE_WEIGHTS,
    DemoHousehold,
    DemoPerson,
    age_range,
    make_villages,
    self_care_for,
)
from app.domain.names import search_keys
from app.domain.words import PersonStatus

# The seed town's shares (DOMAIN.md): of 345 on the register, 120 able to work, 130+ in 低保, 340+ insured.
SEED_TOWN = 345
LABOR_SHARE = 120 / SEED_TOWN
DIBAO_SHARE = 135 / SEED_TOWN
UNINSURED_SHARE = 3 / SEED_TOWN
DEATHS_SHARE = 0.10  # over five years, of those on the register at the end
MOVED_SHARE = 0.035
RECENT_SHARE = 0.22  # of those on the register, registered within the five years
EMPLOYMENT = (("务农", 60), ("外出务工", 18), ("个体经营", 10), ("公益性岗位", 7), ("福利企业", 5))


# the weighted draws made ready once (app.demo.draw: the same draws as random.choices)
_CATEGORY, _GRADE = Draw(CATEGORY_WEIGHTS.items()), Draw(GRADE_WEIGHTS.items())
_DIBAO_CLASS = Draw(DIBAO_CLASS_WEIGHTS.items())
_ETHNICITY, _EDUCATION, _EMPLOYMENT = Draw(ETHNICITY), Draw(EDUCATION), Draw(EMPLOYMENT)


@cache
def _keys(name: str) -> tuple[str, str]:
    return search_keys(name)


def build_register(town: DemoTown, persons: int, first_ids: dict[str, int]) -> None:
    """Fill town.villages, town.households and town.persons (nothing is written here)."""
    rng = town.rng
    deaths = round(persons * DEATHS_SHARE)
    moved = round(persons * MOVED_SHARE)
    total = persons + deaths + moved
    town.villages = make_villages(rng, persons, first_ids["village"], first_ids["group"])
    ids = people.IdMaker(rng)
    person_id, household_id = first_ids["person"], first_ids["household"]
    house_numbers: dict[int, int] = {}  # the last number given in each group
    draw, villages = below(rng), town.villages  # rng.choice(seq) is seq[draw(len(seq))], the same draw
    while len(town.persons) < total:
        village = villages[draw(len(villages))]
        group = village.groups[draw(len(village.groups))]
        number = house_numbers[group[0]] = _next_house_number(house_numbers.get(group[0], 0), household_id)
        household = DemoHousehold(household_id, village, group, f"{village.name}{group[1]}{number}号")
        household_id += 1
        town.households.append(household)
        size = 2 if rng.random() < 0.07 and total - len(town.persons) >= 2 else 1
        family = people.surname(rng)
        for index in range(size):
            same_family = index == 0 or rng.random() < 0.6
            person = _make_person(town, ids, household, person_id, family if same_family else None)
            person_id += 1
            household.members.append(person)
            town.persons.append(person)
    ages = {p.id: p.age_on(town.end) for p in town.persons}  # asked again and again below: worked out once
    _choose_leavers(town, deaths, moved, ages)
    _date_registrations(town)
    _labour(town, round(persons * LABOR_SHARE), ages)
    _insurance(town, round(persons * UNINSURED_SHARE))
    _household_hardship(town, round(persons * DIBAO_SHARE), ages)


def _next_house_number(last: int, household_id: int) -> int:
    """A group's next 门牌号 with gaps (most houses of a group have no disabled resident), taken from the
    household's id rather than the random source so the rest of the town stays as the seed report has it."""
    return last + 1 + household_id * 7 % 4


def _make_person(town: DemoTown, ids: people.IdMaker, household: DemoHousehold, person_id: int,
                 family: str | None) -> DemoPerson:
    rng = town.rng
    category = _CATEGORY(rng)
    grade = _GRADE(rng)
    components = ""
    if category == 7:
        components = ",".join(str(c) for c in sorted(rng.sample(range(1, 7), 2)))
    low, high = age_range(rng, category)
    born = people.birth_date(rng, town.end, low, high)
    male = rng.random() < 0.56
    id18 = ids.make(born, male)
    name = people.full_name(rng, male, family)
    initials, pinyin = _keys(name)
    age = town.end.year - born.year
    # components are single digits 1-6 joined by commas: holding 5 or 6 is holding the character
    needs_guardian = category in (5, 6) or age < 18 or "5" in components or "6" in components
    guardian = people.full_name(rng, rng.random() < 0.5, name[0] if age < 18 else None) if needs_guardian else ""
    bank, account = people.bank_account(rng) if rng.random() < 0.92 else ("", "")
    row: dict[str, Any] = {
        "id": person_id, "name": name, "id_number": id18, "sex": "男" if male else "女", "birth_date": born,
        "category": category, "components": components, "grade": grade,
        "certificate_number": f"{id18}{category}{grade}" if rng.random() < 0.95 else None,
        "phone": people.mobile(rng) if age >= 18 and rng.random() < (0.3 if needs_guardian else 0.85) else "",
        "address": household.address, "guardian": guardian,
        "guardian_phone": people.mobile(rng) if guardian else "",
        "ethnicity": _ETHNICITY(rng),
        "education": ("在校" if age >= 6 else "学前") if age < 18 else _EDUCATION(rng),
        "self_care": self_care_for(rng, grade), "lives_alone": False,
        "bank_name": bank, "bank_account": account, "notes": "",
        "village_id": household.village.id, "group_id": household.group[0], "household_id": household.id,
        "initials": initials, "pinyin": pinyin,
    }
    return DemoPerson(person_id, household, row, registered=town.end)


def _choose_leavers(town: DemoTown, deaths: int, moved: int, ages: dict[int, int]) -> None:
    """Deaths fall mostly on the old, moves on the working-age; each of the five years gets its share."""
    rng = town.rng
    adults = [p for p in town.persons if ages[p.id] >= 18]
    by_death_risk = sorted(adults, key=lambda p: rng.random() * (1 if ages[p.id] >= 60 else 5))
    dying = by_death_risk[:deaths]
    rest = by_death_risk[deaths:]
    moving = sorted(rest, key=lambda p: rng.random() * (1 if ages[p.id] < 60 else 3))[:moved]
    for status, group in ((PersonStatus.DEAD, dying), (PersonStatus.MOVED_OUT, moving)):
        for index, person in enumerate(group):
            year = town.year - 4 + index % 5
            first = dt.date(year, 1, 1)
            last = min(dt.date(year, 12, 31), town.end)
            person.left = (status, people.date_between(rng, first, last))


def _date_registrations(town: DemoTown) -> None:
    """Most were registered before the five years; about a fifth within them; always before leaving.
    (What is the same for everyone is worked out once, and each day's stamps once: a county has 113,500.)"""
    rng = town.rng
    random_, between = rng.random, people.date_between
    first_possible = min(FIRST_REGISTRATIONS, dt.date(town.year - 12, 1, 1))  # an early demo year
    start, end = town.start, town.end
    before_start = start - dt.timedelta(days=1)
    year_on, month = dt.timedelta(days=366), dt.timedelta(days=30)
    created = _DayStamps(dt.time(9, 30))
    updated = _DayStamps(dt.time(10, 0))
    for person in town.persons:
        row = person.row
        born: dt.date = row["birth_date"]
        earliest = max(first_possible, born + year_on)
        left = person.left
        latest = left[1] - month if left else end
        recent_first = max(earliest, start)
        share = 0.15 if left else RECENT_SHARE
        if (random_() < share or earliest >= start) and recent_first <= latest:
            day = between(rng, recent_first, latest)
        else:
            day = between(rng, earliest, min(latest, before_start))
        person.registered = day
        row["certificate_issued"] = day if row["certificate_number"] else None
        row["status"], row["status_date"] = left or (PersonStatus.ON_REGISTER, day)
        row["created_at"] = created[day]
        row["updated_at"] = updated[row["status_date"]]


class _DayStamps(dict[dt.date, dt.datetime]):
    """A day's stamp at one time of day, made once per day (datetimes are immutable: shared safely)."""

    def __init__(self, time: dt.time) -> None:
        super().__init__()
        self.time = time

    def __missing__(self, day: dt.date) -> dt.datetime:
        stamp = self[day] = dt.datetime.combine(day, self.time)
        return stamp


def _labour(town: DemoTown, able: int, ages: dict[int, int]) -> None:
    """Exactly `able` persons on the register get 有: working-age and milder grades first."""
    rng = town.rng

    def rank(person: DemoPerson) -> tuple[int, float]:
        working = 18 <= ages[person.id] < 60
        mild = person.row["grade"] >= 3 and person.row["category"] not in (5, 6)
        return (0 if working and mild else 1 if working else 2), rng.random()

    on_register = sorted(town.on_register(), key=rank)
    chosen = {p.id for p in on_register[:able]}
    for person in town.persons:
        working = 18 <= ages[person.id] < 60
        if person.id in chosen or (not person.on_register and working and rng.random() < 0.4):
            person.row["labor_ability"] = "有"
            person.row["employment"] = _EMPLOYMENT(rng)
        else:
            person.row["labor_ability"] = "部分" if working and rng.random() < 0.5 else "无"
            person.row["employment"] = "务农" if person.row["labor_ability"] == "部分" else ""


def _insurance(town: DemoTown, uninsured: int) -> None:
    rng = town.rng
    left_out = {p.id for p in rng.sample(town.on_register(), uninsured)}
    for person in town.persons:
        insured = person.id not in left_out if person.on_register else rng.random() < 0.97
        person.row["medical_insurance"] = insured


def _household_hardship(town: DemoTown, dibao_persons: int, ages: dict[int, int]) -> None:
    """低保 households until `dibao_persons` on the register are covered (severe cases first, loosely),
    then a few 特困供养 and 低收入 households; the elderly alone live alone."""
    rng = town.rng
    living = [h for h in town.households if any(m.on_register for m in h.members)]
    gone = [h for h in town.households if not any(m.on_register for m in h.members)]

    def need(household: DemoHousehold) -> float:
        severe = any(m.row["grade"] <= 2 for m in household.members)
        return rng.random() * (0.5 if severe else 1.0)

    covered = 0
    rest: list[DemoHousehold] = []
    for household in sorted(living, key=need):
        if covered < dibao_persons:
            household.dibao_class = _DIBAO_CLASS(rng)
            covered += sum(m.on_register for m in household.members)
        else:
            rest.append(household)
    for household in gone:
        if rng.random() < 0.35:
            household.dibao_class = _DIBAO_CLASS(rng)
    alone_old = [h for h in rest if len(h.members) == 1 and ages[h.members[0].id] >= 60]
    for household in rng.sample(alone_old, min(len(alone_old), max(1, round(len(living) * 0.015)))):
        household.tekun = True
        household.members[0].row["lives_alone"] = True
    others = [h for h in rest if not h.tekun]
    for household in rng.sample(others, min(len(others), round(len(living) * 0.05))):
        household.low_income = True
    for household in town.households:
        for member in household.members:
            if len(household.members) == 1 and ages[member.id] >= 60 and rng.random() < 0.15:
                member.row["lives_alone"] = True

