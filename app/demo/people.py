"""Fictional but plausible personal details for the demo town: names by surname frequency, valid IDs,
phones, bank accounts. Everything is drawn from one random.Random so a seed gives the same town."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from app.demo.draw import Draw, below
from app.domain.idnumber import check_char

# The commonest surnames, heaviest first; Gansu adds 马, 魏, 苏 higher than the national list.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 90), ("李", 85), ("张", 80), ("刘", 60), ("陈", 40), ("杨", 45), ("赵", 30), ("马", 30),
    ("黄", 15), ("周", 18), ("吴", 15), ("徐", 14), ("孙", 14), ("胡", 12), ("朱", 12), ("高", 13),
    ("何", 12), ("郭", 11), ("罗", 8), ("魏", 12), ("苏", 9), ("韩", 8), ("曹", 7), ("许", 6),
    ("邓", 5), ("冯", 6), ("宋", 6), ("唐", 5), ("董", 6), ("贾", 6), ("田", 6), ("任", 5),
    ("梁", 5), ("石", 5), ("姚", 4), ("牛", 4), ("雷", 4), ("安", 4), ("薛", 3), ("曾", 3),
    ("单", 2), ("闫", 5), ("侯", 4), ("蒋", 3), ("段", 3), ("白", 4), ("尚", 3), ("祁", 3),
)
_MALE = "明伟强军平建国华文斌勇杰涛刚峰鹏海林志宏飞俊红兵春生福德成忠学义荣祥虎龙山泉宝"
_FEMALE = "芳秀英兰梅娟霞丽萍玲燕红花琴凤珍莉桂敏静娜娥雪艳慧霞琳月香菊翠云"
_FIRST_SYLLABLE = "小玉金永国学春建文志秀桂海明德"

# 酒泉市 and its counties (fictional people, real region codes so the IDs look local).
REGIONS: tuple[tuple[str, int], ...] = (
    ("620921", 70), ("620902", 12), ("620922", 5), ("620981", 5), ("620982", 4), ("620923", 2), ("620924", 2),
)
BANKS = ("甘肃金塔农村商业银行", "中国邮政储蓄银行金塔县支行", "甘肃金塔农村商业银行", "中国农业银行金塔县支行")
_SURNAME, _REGION = Draw(SURNAMES), Draw(REGIONS)  # made ready once (app.demo.draw)
_MOBILE_PREFIXES = ("133", "138", "139", "151", "153", "177", "180", "181", "189", "199", "187", "158")


def surname(rng: random.Random) -> str:
    return _SURNAME(rng)


def given_name(rng: random.Random, male: bool) -> str:
    # rng.choice(pool) drawn as pool[draw(len(pool))]: the same draws (app.demo.draw.below), fewer calls
    pool, draw, random_ = (_MALE if male else _FEMALE), below(rng), rng.random
    if random_() < 0.3:
        return pool[draw(len(pool))]
    first = _FIRST_SYLLABLE[draw(len(_FIRST_SYLLABLE))] if random_() < 0.35 else pool[draw(len(pool))]
    second = pool[draw(len(pool))]
    while second == first:
        second = pool[draw(len(pool))]
    return first + second


def full_name(rng: random.Random, male: bool, family: str | None = None) -> str:
    return (family or surname(rng)) + given_name(rng, male)


def birth_date(rng: random.Random, age_on: dt.date, min_age: int, max_age: int) -> dt.date:
    """A birth date giving an age between min_age and max_age on the day age_on."""
    oldest, days = _birth_span(age_on, min_age, max_age)
    return oldest + dt.timedelta(days=below(rng)(days))  # rng.randrange(days)


@cache
def _birth_span(age_on: dt.date, min_age: int, max_age: int) -> tuple[dt.date, int]:
    """The first possible birth date and how many days may follow it (a town asks it with three age ranges)."""
    oldest = dt.date(age_on.year - max_age - 1, age_on.month, min(age_on.day, 28)) + dt.timedelta(days=1)
    youngest = dt.date(age_on.year - min_age, age_on.month, min(age_on.day, 28))
    return oldest, max(1, (youngest - oldest).days)


class IdMaker:
    """Unique, valid 18-digit IDs whose sequence digit matches the sex."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._below = below(rng)
        self._used: set[str] = set()
        self._days: dict[dt.date, str] = {}  # a birth date as the ID writes it, made once per date

    def make(self, born: dt.date, male: bool) -> str:
        day = self._days.get(born)
        if day is None:
            day = self._days[born] = f"{born:%Y%m%d}"
        while True:
            region = _REGION(self._rng)
            seq = self._below(1000)  # rng.randrange(0, 1000)
            if (seq % 2 == 1) != male:
                seq = (seq + 1) % 1000
            body = f"{region}{day}{seq:03d}"
            if body not in self._used:
                self._used.add(body)
                return body + check_char(body)


_CARD_PREFIXES = ("6228", "6217", "6230")


def mobile(rng: random.Random) -> str:
    draw = below(rng)  # rng.choice and rng.randrange's own draws
    return _MOBILE_PREFIXES[draw(len(_MOBILE_PREFIXES))] + f"{draw(10**8):08d}"


def bank_account(rng: random.Random) -> tuple[str, str]:
    """(bank, account): a 19-digit card number starting 6228 / 6217 like rural debit cards."""
    draw = below(rng)  # rng.choice and rng.randrange's own draws
    return BANKS[draw(len(BANKS))], _CARD_PREFIXES[draw(len(_CARD_PREFIXES))] + f"{draw(10**15):015d}"


def date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=below(rng)((last - first).days + 1))  # rng.randrange(days)
