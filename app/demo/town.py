"""The demo town as plain Python values, before anything is written: villages with their groups,
households, and every person who was on the register during the five years (those who died or moved
out included). Later steps (subsidies, visits, devices) read these values to add their own records."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from app.demo.draw import ready
from app.domain.dates import age_on

# Plausible northwestern village names: a town uses the first eleven; a county-sized demo makes more.
VILLAGE_NAMES = (
    "金塔村", "新华村", "团结村", "红旗村", "东风村", "建设村", "胜利村", "和平村", "永丰村", "光明村",
    "前进村", "清泉村", "中东村", "塔院村", "五星村", "三合村",
)
_PREFIX = "金新红东西南北中上下前后大小双三五八胜和平安永丰富兴光明清古长高"
_SUFFIX = "塔华沟坪山河泉岭庄堡寨庙滩渠台川湾营屯梁"

CATEGORY_WEIGHTS = {4: 46, 1: 11, 2: 13, 3: 2, 5: 9, 6: 10, 7: 9}  # 肢体 most common
GRADE_WEIGHTS = {1: 10, 2: 22, 3: 30, 4: 38}
EDUCATION = (("文盲", 18), ("小学", 34), ("初中", 30), ("高中", 9), ("中专", 4), ("大专", 3), ("本科", 2))
ETHNICITY = (("汉族", 92), ("回族", 5), ("蒙古族", 1), ("藏族", 1), ("裕固族", 1))
DIBAO_CLASS_WEIGHTS = {1: 15, 2: 35, 3: 30, 4: 20}
FIRST_REGISTRATIONS = dt.date(2008, 1, 1)  # the second-generation certificates began about then


@dataclass
class DemoVillage:
    id: int
    name: str
    groups: list[tuple[int, str]]  # (group id, "3组")


@dataclass
class DemoHousehold:
    id: int
    village: DemoVillage
    group: tuple[int, str]
    address: str
    members: list[DemoPerson] = field(default_factory=list)
    dibao_class: int | None = None  # 低保 一类..四类 when set
    tekun: bool = False  # 特困供养
    low_income: bool = False  # 低收入

    @property
    def dibao(self) -> bool:
        return self.dibao_class is not None


@dataclass
class DemoPerson:
    """One person; `row` holds the Person columns as they will be inserted."""

    id: int
    household: DemoHousehold
    row: dict[str, Any]
    registered: dt.date
    left: tuple[str, dt.date] | None = None  # (PersonStatus.DEAD or MOVED_OUT, date) within the five years

    @property
    def on_register(self) -> bool:
        return self.left is None

    def age_on(self, day: dt.date) -> int:
        born: dt.date = self.row["birth_date"]
        return age_on(born, day)


def village_names(count: int) -> list[str]:
    names = list(VILLAGE_NAMES[:count])
    for first in _PREFIX:
        for second in _SUFFIX:
            if len(names) >= count:
                return names
            name = f"{first}{second}村"
            if name not in names:
                names.append(name)
    return names


def make_villages(rng: random.Random, persons: int, first_village_id: int, first_group_id: int) -> list[DemoVillage]:
    """About 11 villages for a town; a county-sized demo gets one village per ~300 persons."""
    count = 11 if persons <= 3300 else persons // 300
    villages = []
    group_id = first_group_id
    for offset, name in enumerate(village_names(count)):
        groups = []
        for number in range(1, rng.randint(5, 8) + 1):
            groups.append((group_id, f"{number}组"))
            group_id += 1
        villages.append(DemoVillage(first_village_id + offset, name, groups))
    return villages


def pick(rng: random.Random, weights: dict[int, int]) -> int:
    """random.choices(list(weights), weights=list(weights.values()))[0], its running totals made once."""
    return ready(weights, weights.items())(rng)


def age_range(rng: random.Random, category: int) -> tuple[int, int]:
    """Children are more often 智力, 听力 or 多重; most registered persons are past 45."""
    child_share = 0.15 if category in (2, 5, 7) else 0.03
    roll = rng.random()
    if roll < child_share:
        return 3, 17
    if roll < child_share + 0.42:
        return 18, 59
    return 60, 92


def self_care_for(rng: random.Random, grade: int) -> str:
    roll = rng.random()
    if grade == 1:
        return "不能自理" if roll < 0.7 else "部分自理"
    if grade == 2:
        return "不能自理" if roll < 0.2 else ("部分自理" if roll < 0.7 else "自理")
    if grade == 3:
        return "部分自理" if roll < 0.25 else "自理"
    return "自理"


def weighted_text(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return ready(items, items)(rng)
