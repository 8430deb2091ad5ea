"""Demo step: five years of the relief ledger, as the seed report tells it for a town of 345 (counts scale
with the town's size): each year 40-49 persons given 临时救助 (200-2000 yuan, hard-up households first),
a few 医疗救助, 24 精神残疾药物补助 cards of 500 yuan (mostly the same persons year after year), 7 students
given 500 yuan 教育补助, 17 in 康复训练 (children with 肢体, 智力 or 听力 disability first); and over the five
years 35 households' 危房改造, 7 a year, 600,000-699,999 yuan in all."""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

from app.db.models import ReliefEntry
from app.demo.context import DemoTown
from app.demo.draw import below
from app.demo.rows import indexes_after, insert_rows
from app.demo.town import DemoHousehold, DemoPerson
from app.domain.words import ReliefKind

SEED_TOWN = 345
APPROVER = "王志强"
HOSPITALS = ("酒泉市中医院", "肃州区康复医院", "酒泉现代康复医院")
RELIEF_NOTES = ("因病致困", "遭受意外伤害", "冬季取暖困难", "子女上学困难", "房屋受灾", "家庭成员重病")


def _day(rng: random.Random, year: int, town: DemoTown, first: tuple[int, int] = (1, 1),
         last: tuple[int, int] = (12, 28)) -> dt.date:
    start, days = _span(year, town.end, first, last)
    if not days:
        return start
    return start + dt.timedelta(days=below(rng)(days))  # rng.randrange(days)


@cache
def _span(year: int, end: dt.date, first: tuple[int, int], last: tuple[int, int]) -> tuple[dt.date, int]:
    """The first day a date of the year may fall on and how many days it may fall on (0: that day alone),
    worked out once: a county's ledger dates 158,000 entries on a few dozen spans."""
    start, stop = dt.date(year, *first), min(dt.date(year, *last), end)
    if stop <= start:
        return min(start, end), 0
    return start, (stop - start).days + 1


def _entry(kind: str, day: dt.date, fen: int, *, person: DemoPerson | None = None,
           household: DemoHousehold | None = None, item: str = "", note: str = "") -> dict[str, Any]:
    return {"kind": kind, "person_id": person.id if person else None,
            "household_id": household.id if household else None, "date": day, "amount_fen": fen,
            "item": item, "approver": APPROVER, "note": note, "cancelled": False,
            "created_at": dt.datetime.combine(day, dt.time(11, 0))}


def _pick(rng: random.Random, persons: list[DemoPerson], count: int,
          weight: Callable[[DemoPerson], float] | dict[int, float]) -> list[DemoPerson]:
    """count persons, the heavier more likely (an ordering by weighted random keys). weight: a person's, or
    the 1 / weight of each household (_exponents: a county's yearly picks among 100,000 persons ask it once)."""
    if count <= 0:
        return []
    if isinstance(weight, dict):
        exponents = list(map(weight.__getitem__, map(_HOUSEHOLD_ID, persons)))  # C loops, not Python's
    else:
        exponents = [1 / max(weight(p), 1e-6) for p in persons]
    draw = rng.random
    # a draw per person in the persons' order, each raised to its exponent (map's C loop, not Python's)
    drawn = [draw() for _ in exponents]
    return [persons[index] for index in _largest(list(map(pow, drawn, exponents)), count)]


def _largest(keys: list[float], count: int) -> list[int]:
    """The indexes of the count largest keys, largest first, equal keys the later index first: what
    heapq.nlargest(count, zip(keys, indexes)) gives, without a tuple per person to build and compare (a
    county's picks rank 100,000 persons a dozen times). The indexes go in last first, and both ways below
    keep the order they came in among equal keys."""
    backwards = range(len(keys) - 1, -1, -1)
    if count * 30 < len(keys):  # few wanted: a heap
        return heapq.nlargest(count, backwards, key=keys.__getitem__)
    return sorted(backwards, key=keys.__getitem__, reverse=True)[:count]


_HOUSEHOLD_ID = attrgetter("household.id")


def _exponents(town: DemoTown) -> dict[int, float]:
    """Each household's 1 / _hard_up, as _pick raises a member's random key to (fixed once the register is made)."""
    return {h.id: 1 / max(_hard_up(h.members[0]), 1e-6) for h in town.households}


def _hard_up(person: DemoPerson) -> float:
    household = person.household
    return 4.0 if household.dibao or household.tekun else 2.0 if household.low_income else 1.0


def _is_mental(person: DemoPerson) -> bool:
    return person.row["category"] == 6 or "6" in person.row.get("components", "").split(",")


def _rehab_weight(person: DemoPerson, day: dt.date) -> float:
    child = person.age_on(day) < 18
    parts = {str(person.row["category"]), *person.row.get("components", "").split(",")}
    fitting = bool(parts & {"2", "4", "5"})
    return 50.0 if child and fitting else 10.0 if child else 2.0 if fitting else 0.2


def _steady(town: DemoTown) -> list[DemoPerson]:
    """Persons on the register through all five years: the office's regular recipients."""
    days = [min(dt.date(year, 6, 30), town.end) for year in range(town.year - 4, town.year + 1)]
    first, last = min(days), max(days)  # on the register on each day: registered by the first, there at the last
    return [p for p in town.persons if p.registered <= first and (p.left is None or p.left[1] >= last)]


def relief_step(town: DemoTown) -> None:
    """The yearly relief goes to the same circle of persons year after year, as in a real town (the same
    hard-up families relieved, the same children in training, the same card holders and students), so that
    the five-year summary counts the persons the seed report names: 40余, 17, 24, 7."""
    rng = town.rng
    scale = len(town.on_register()) / SEED_TOWN
    rows: list[dict[str, Any]] = []
    steady = _steady(town)
    first_mid = dt.date(town.year - 4, 6, 30)
    hard_up = _exponents(town)
    relief_pool = _pick(rng, steady, round(rng.randint(45, 49) * scale), hard_up)
    medicine = _pick(rng, [p for p in steady if _is_mental(p)], round(24 * scale), lambda p: 1.0)
    students = _pick(rng, [p for p in steady if 6 <= p.age_on(dt.date(town.year - 4, 9, 1)) <= 18
                           and p.row["education"] != "学前"], round(7 * scale), hard_up)
    rehab = _pick(rng, steady, round(17 * scale), lambda p: _rehab_weight(p, first_mid))
    presents: dict[int, list[DemoPerson]] = {}  # who is on the register at each year's middle (_housing too)
    for year in range(town.year - 4, town.year + 1):
        mid = min(dt.date(year, 6, 30), town.end)
        present = presents[year] = [p for p in town.persons
                                    if p.registered <= mid and (p.left is None or p.left[1] >= mid)]
        relieved = _pick(rng, relief_pool, min(len(relief_pool), round(rng.randint(40, 45) * scale)), hard_up)
        for person in relieved:
            day = _day(rng, year, town)  # drawn before the amount, as the seed town was first drawn
            fen = rng.choice((2, 3, 5, 5, 8, 10, 15, 20)) * 10000
            rows.append(_entry(ReliefKind.TEMPORARY, day, fen,
                               person=person, note=rng.choice(RELIEF_NOTES)))
        for person in _pick(rng, present, round(rng.randint(8, 14) * scale), hard_up):
            rows.append(_entry(ReliefKind.MEDICAL, _day(rng, year, town), rng.randint(10, 80) * 10000, person=person,
                               item="住院", note="大病住院，报销后个人负担较重"))
        day = _day(rng, year, town, (3, 1), (3, 31))
        rows += [_entry(ReliefKind.MEDICINE, day, 50000, person=p, item="药物补助卡") for p in medicine]
        if dt.date(year, 9, 1) <= town.end:
            day = _day(rng, year, town, (9, 1), (9, 30))
            rows += [_entry(ReliefKind.EDUCATION, day, 50000, person=p, item="残疾学生") for p in students]
        for person in rehab:
            rows.append(_entry(ReliefKind.REHABILITATION, _day(rng, year, town, (3, 1), (11, 30)), 0, person=person,
                               item=rng.choice(HOSPITALS), note="定点医院康复训练"))
    rows += _housing(town, scale, hard_up, presents)
    with indexes_after(town.session, ReliefEntry.__table__):  # made once after the rows
        insert_rows(town.session, ReliefEntry.__table__, rows)
    relief = sum(1 for r in rows if r["kind"] == ReliefKind.TEMPORARY and r["date"].year == town.year)
    houses = sum(1 for r in rows if r["kind"] == ReliefKind.HOUSING)
    town.counts.extras.append(f"临时救助{relief}人，危房改造{houses}户（五年）")


def _housing(town: DemoTown, scale: float, hard_up: dict[int, float],
             presents: dict[int, list[DemoPerson]]) -> list[dict[str, Any]]:
    """7 households a year (35 over five years), hard-up first; the amounts share a total of 610,000-680,000
    yuan (scaled), each a multiple of 100 yuan. presents: who is on the register at each year's middle."""
    rng = town.rng
    count = round(35 * scale)
    if count == 0:
        return []
    chosen: list[tuple[int, DemoHousehold]] = []
    used: set[int] = set()
    for year in range(town.year - 4, town.year + 1):
        share = count // 5 + (1 if year - town.year + 4 < count % 5 else 0)
        # the households with a member on the register at the year's middle, in the households' order: found
        # from the persons then present (a set) instead of asking each of a county's 106,000 households
        present = set(map(_HOUSEHOLD_ID, presents[year]))
        living = [h for h in town.households if h.id in present and h.id not in used]
        for head in _pick(rng, [h.members[0] for h in living], share, hard_up):
            used.add(head.household.id)
            chosen.append((year, head.household))
    if not chosen:
        return []
    total = round(rng.randint(61, 68) * 10000 * len(chosen) / 35 / 100) * 10000  # fen, whole hundreds of yuan
    shares = [rng.uniform(0.75, 1.25) for _ in chosen]
    whole = sum(shares)  # once, not per household (a county's 10,000 households made it 100 million additions)
    amounts = [round(total * share / whole / 10000) * 10000 for share in shares]
    amounts[-1] += total - sum(amounts)
    return [_entry(ReliefKind.HOUSING, _day(rng, year, town, (4, 1), (10, 31)), fen, household=household,
                   item=rng.choice(("原址翻建", "维修加固", "异地新建")), note="经逐户调查核实")
            for (year, household), fen in zip(chosen, amounts, strict=True)]


