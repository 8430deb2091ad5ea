"""Each claim of each work-report sentence (工作报告参考文字) against the records, on three seeded towns, for a
year not over, a whole year, and five years to today and to last year's end.

A sentence is cut into its clauses (at "；"); every clause must be one of the forms below, or the test fails:
a new kind of claim must come with its check. Each form's numbers and words (ages, categories, festivals,
困难, 精神, the months paid, 平均每年) are checked against what tests.reports.independent counts with plain SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine

from app.db.engine import open_database
from app.reports.yearly_figures import gather
from app.reports.yearly_text import sentences
from tests.reports import independent as sql
from tests.reports.conftest import TOWNS

TODAY = dt.date.today()
Y = TODAY.year
PERIODS = {
    "this year": (Y, None), "last year": (Y - 1, None), "five years": (Y, Y - 4), "five to last year": (Y - 1, Y - 5),
}
MONEY = r"\d+(?:\.\d+)?万元|\d+(?:\.\d{2})?元"
CATEGORY = "视力|听力|言语|肢体|智力|精神|多重"
CATS = rf"(?:{CATEGORY})(?:、(?:{CATEGORY}))*"
FESTIVAL = r"(?:春节|全国助残日|中秋|国际残疾人日)"
FESTIVALS = rf"{FESTIVAL}(?:、{FESTIVAL})*(?:等节日)?|节日"
SPAN = r"今年以来|\d{4}年以来|\d{4}—\d{4}年|\d{4}年"
YEARS = r"[一二三四五六七八九十]年来"
HARD_UP = ("低保", "特困", "低收入")


def money(text: str) -> Decimal:
    return Decimal(text[:-2]) * 10000 if text.endswith("万元") else Decimal(text[:-1])


def said(amount_fen: int, text: str) -> bool:
    """The amount as a work report rounds it: 9.25万元 for 92,480 yuan, 6900元 exactly."""
    value = Decimal(amount_fen) / 100
    if text.endswith("万元"):
        return (value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(text[:-2])
    return value == money(text)


def rounded(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def about_fits(text: str, average: int) -> bool:
    """40余 says 41-49; 17 says 17."""
    if text.endswith("余"):
        base = int(text[:-1])
        return base < average < base + 10
    return int(text) == average


def age_on(id_number: str, day: dt.date) -> int:
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def months_said(text: str) -> list[dt.date]:
    """2026年1—10月、12月 / 2022年1月—2026年10月 back to the months."""
    out, year = [], 0
    for part in text.split("、"):
        m = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})(?:月?—(?:(\d{4})年)?(\d{1,2}))?月", part)
        assert m, part
        year = int(m[1]) if m[1] else year
        first = dt.date(year, int(m[2]), 1)
        last_year = int(m[3]) if m[3] else year
        last = dt.date(last_year, int(m[4]), 1) if m[4] else first
        while first <= last:
            out.append(first)
            first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        year = last_year
    return out


class Claims:
    """The period's records, and a check for each form of clause."""

    def __init__(self, conn: Connection, year: int, since: int) -> None:
        self.conn, self.year, self.since = conn, year, since
        self.unfinished = dt.date(year, 12, 31) > TODAY
        self.end = TODAY if self.unfinished else dt.date(year, 12, 31)
        self.span = sql.Span(dt.date(since, 1, 1), self.end)
        self.years = range(since, year + 1)
        self.five = since != year
        self.figures = sql.figures(conn, self.span)
        self.checked: list[str] = []

    # --- words every clause may use ---
    def span_word(self) -> str:
        if self.unfinished:
            return f"{self.since}年以来" if self.five else "今年以来"
        return f"{self.since}—{self.year}年" if self.five else f"{self.year}年"

    def years_word(self) -> str:
        return f"{'一二三四五六七八九十'[len(self.years) - 1]}年来"

    def per_year(self, count: Callable[[sql.Span], int]) -> int:
        values = sql.per_year(self.conn, self.years, self.end, count)
        return rounded(Decimal(sum(values)) / len(values))

    def every_year(self, table: str) -> bool:
        return sql.years_with(self.conn, table, self.years, self.end) == set(self.years)

    def averaged(self, m: re.Match[str], table: str) -> None:
        """平均每年 only over a period of several years that all have records of the kind, opened 五年来."""
        assert self.five and m["years"] == self.years_word() and self.every_year(table), m[0]

    def total_opening(self, opening: str | None) -> None:
        """A total over several years opens with the span (2022年以来共); one year with nothing or 全年."""
        if self.five:
            assert opening is not None and opening.startswith(self.span_word()), opening
        else:
            assert opening in (None, "", "全年") and (opening != "全年" or not self.unfinished), opening

    # --- the forms ---
    def forms(self) -> list[tuple[str, Callable[[re.Match[str]], None]]]:
        return [
            (r"(?:截至(?P<day>\d{4}年\d{1,2}月\d{1,2}日)，)?全镇注册登记残疾人(?P<n>\d+)人，其中有劳动能力的残疾人(?P<labor>\d+)人"
             r"(?:，按类别分，(?P<cats>.+))?", self.register),
            (rf"(?P<span>{SPAN})(?P<moves>(?:新登记|死亡|迁出)\d+人(?:，(?:新登记|死亡|迁出)\d+人)*)", self.moves),
            (r"纳入最低生活保障的残疾人(?P<n>\d+)人", lambda m: self.equal(m["n"], self.figures["dibao_persons"])),
            (r"享受残疾人“两补”（生活补贴、护理补贴）的(?P<n>\d+)人(?:，其中(?P<detail>[^，]+))?"
             rf"(?:，(?P<months>[^，]*?)发放补贴资金(?P<money>{MONEY}))?", self.subsidies),
            (rf"(?P<years>{YEARS})平均每年对(?P<about>\d+余?)名残疾人给予临时救助（共(?P<n>\d+)人、(?P<money>{MONEY})）",
             lambda m: self.ledger_average(m, "临时救助", "temporary_relief")),
            (rf"(?P<open>(?:{SPAN})共)?对(?P<n>\d+)名残疾人给予临时救助(?P<money>{MONEY})",
             lambda m: self.ledger_total(m, "临时救助", "temporary_relief")),
            (rf"(?:(?P<open>{SPAN})共有)?(?P<n>\d+)名残疾人获得医疗救助(?P<money>{MONEY})",
             lambda m: self.ledger_total(m, "医疗救助", "medical_aid")),
            (r"全镇(?P<n>\d+)名残疾人参加城乡居民医保",
             lambda m: self.equal(m["n"], self.figures["medical_insurance_persons"])),
            (rf"(?P<years>{YEARS})平均每年(?P<fest>{FESTIVALS})慰问(?P<hard>困难)?残疾家庭(?P<about>\d+余?)户"
             rf"(?:，(?P<open>{SPAN})共发放(?P<given>.+))?", self.visits),
            (rf"(?P<open>{SPAN})?(?P<fest>{FESTIVALS})(?P<gong>共)?慰问(?P<hard>困难)?残疾家庭(?P<n>\d+)户(?:，发放(?P<given>.+))?",
             self.visits),
            (rf"(?P<span>{SPAN})有(?P<n>\d+)户残疾人家庭列为危房改造补助对象，投入资金(?P<money>{MONEY})",
             self.housing),
            (rf"(?:截至(?P<day>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)，)?(?P<years>{YEARS})平均每年为(?P<avg>\d+)名残疾人开展康复训练，"
             rf"(?P<span>{SPAN})共训练(?P<who>.+)", self.rehab),
            (rf"(?:截至(?P<day>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)，)?(?P<open>全年|(?:{SPAN})共)?为(?P<who>.+)开展康复训练",
             self.rehab),
            (rf"(?:截至(?P<day>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)，)?(?P<years>{YEARS})平均每年配发辅助器具(?P<about>\d+余?)件"
             r"（共为(?P<persons>\d+)名残疾人配发(?P<items>\d+)件，(?P<kinds>.+)）", self.devices),
            (rf"(?:截至(?P<day>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)，)?(?P<open>全年|(?:{SPAN})共)?为(?P<persons>\d+)名残疾人"
             r"配发辅助器具(?P<items>\d+)件（(?P<kinds>.+)）", self.devices),
            (rf"(?:截至(?P<day>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)，)?(?P<years>{YEARS})平均每年对(?P<avg>\d+)名(?P<who>精神残疾人|残疾人|残疾学生)"
             rf"发放(?P<what>精神残疾药物补助|教育补助)，人均每年(?P<per>{MONEY})", self.allowance),
            (rf"(?:截至(?P<day>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)，)?(?P<open>(?:{SPAN})共)?对(?P<n>\d+)名"
             rf"(?P<who>精神残疾人|残疾人|残疾学生)发放(?P<what>精神残疾药物补助|教育补助)(?P<money>{MONEY})",
             self.allowance),
        ]

    def check(self, paragraph: str) -> None:
        assert paragraph.endswith("。"), paragraph
        for clause in paragraph[:-1].split("；"):
            matched = [(form, check) for form, check in self.forms() if re.fullmatch(form, clause)]
            assert matched, f"a claim no check knows: {clause}"
            form, check = matched[0]
            check(re.fullmatch(form, clause))  # type: ignore[arg-type]
            self.checked.append(clause)

    @staticmethod
    def equal(text: str, value: int) -> None:
        assert int(text) == value, (text, value)

    def day(self, m: re.Match[str]) -> None:
        """截至 today opens a sentence of a year not over, and only that."""
        if m["day"] is not None:
            assert self.unfinished and m["day"] == f"{TODAY.year}年{TODAY.month}月{TODAY.day}日", m[0]

    # --- checks ---
    def register(self, m: re.Match[str]) -> None:
        assert (m["day"] is not None) == self.unfinished
        self.day(m)
        self.equal(m["n"], self.figures["registered"])
        self.equal(m["labor"], self.figures["labor_capable"])
        said_categories = {c: int(n) for c, n in re.findall(rf"({CATEGORY})残疾(\d+)人", m["cats"] or "")}
        assert said_categories == {c: n for c, n in self.figures["by_category"].items() if n}

    def moves(self, m: re.Match[str]) -> None:
        assert m["span"] == self.span_word()
        names = {"新登记": "new_registrations", "死亡": "deaths", "迁出": "moved_out"}
        said_moves = {names[k]: int(n) for k, n in re.findall(r"(新登记|死亡|迁出)(\d+)人", m["moves"])}
        assert said_moves == {k: self.figures[k] for k in names.values() if self.figures[k]}

    def subsidies(self, m: re.Match[str]) -> None:
        paid = sql.subsidies(self.conn, self.span)
        self.equal(m["n"], paid["two_subsidies_persons"])
        detail = dict(re.findall(r"(生活补贴|护理补贴)(\d+)人", m["detail"] or ""))
        assert {k: int(v) for k, v in detail.items()} == {
            k: v for k, v in (("生活补贴", paid["living_subsidy_persons"]),
                              ("护理补贴", paid["nursing_subsidy_persons"])) if v}
        assert said(paid["two_subsidies_fen"], m["money"])
        every_month = [dt.date(y, mo, 1) for y in self.years for mo in range(1, 13) if dt.date(y, mo, 1) <= self.end]
        if paid["months"] == every_month:
            assert not m["months"]
        else:  # not every month confirmed: the sentence names the months the money is of
            assert months_said(m["months"]) == paid["months"], m["months"]

    def ledger_average(self, m: re.Match[str], kind: str, key: str) -> None:
        self.averaged(m, "ledger")
        found = sql.ledger(self.conn, self.span, kind)
        self.equal(m["n"], found["persons"])
        assert said(found["fen"], m["money"])
        assert about_fits(m["about"], self.per_year(lambda s: sql.ledger(self.conn, s, kind)["persons"]))

    def ledger_total(self, m: re.Match[str], kind: str, key: str) -> None:
        self.total_opening(m["open"])
        found = sql.ledger(self.conn, self.span, kind)
        self.equal(m["n"], found["persons"])
        assert said(found["fen"], m["money"])

    def visits(self, m: re.Match[str]) -> None:
        lines = sql.given_lines(self.conn, self.span)
        held = list(dict.fromkeys(line.festival for line in lines))
        named = [f for f in held if f != "其他"]
        expected = ("、".join(named) + "等" if named else "") + "节日" if "其他" in held else "、".join(named)
        assert m["fest"] == expected
        hard_up = all(any(w in (line.reason or "") for w in HARD_UP) for line in lines)
        assert bool(m["hard"]) == hard_up, "困难 only where every household given something was listed as hard up"
        given = sql.visits(self.conn, self.span)
        averaged = m.groupdict().get("about") is not None
        if averaged:
            self.averaged(m, "campaigns")
            assert about_fits(m["about"], self.per_year(lambda s: sql.visits(self.conn, s)["households"]))
        else:
            self.equal(m["n"], given["households"])
            assert bool(m["gong"]) == self.five
            self.total_opening(m["open"])
        if m["given"]:
            parts = m["given"].split("、")
            if averaged:
                assert m["open"] == self.span_word()
            goods = any(line.given_goods for line in lines)
            assert ("慰问品" in parts) == goods
            cash = [p for p in parts if p.startswith("慰问金")]
            assert bool(cash) == bool(given["fen"]) and (not cash or said(given["fen"], cash[0][3:]))

    def housing(self, m: re.Match[str]) -> None:
        assert m["span"] == self.span_word()
        found = self.figures["housing_renovation"]
        self.equal(m["n"], found["households"])
        assert said(rounded(Decimal(found["amount"]) * 100), m["money"])

    def trained(self) -> list[tuple[str, bool]]:
        days = sql.first_record_days(self.conn, self.span, "康复训练")
        people = sql.persons_by_id(self.conn, set(days))
        return [(sql.CATEGORIES[people[p].category], age_on(people[p].id_number, day) < 18) for p, day in days.items()]

    def rehab(self, m: re.Match[str]) -> None:
        self.day(m)
        trained = self.trained()
        who = m["who"]
        if m.groupdict().get("avg") is not None:
            self.averaged(m, "ledger")
            assert int(m["avg"]) == self.per_year(lambda s: sql.ledger(self.conn, s, "康复训练")["persons"])
            assert m["span"] == self.span_word()
        else:
            self.total_opening(m["open"])
        children = [c for c, child in trained if child]
        adults = [c for c, child in trained if not child]
        mixed = re.fullmatch(rf"(\d+)名残疾人（({CATS})残疾儿童(\d+)名，({CATS})残疾成年人(\d+)名）", who)
        only = re.fullmatch(rf"(\d+)名({CATS})残疾(儿童|人)", who)
        assert mixed or only, who
        if mixed:
            assert int(mixed[1]) == len(trained) and int(mixed[3]) == len(children) and int(mixed[5]) == len(adults)
            assert set(mixed[2].split("、")) == set(children) and set(mixed[4].split("、")) == set(adults)
        else:
            group = children if only[3] == "儿童" else adults  # type: ignore[index]
            assert int(only[1]) == len(trained) == len(group)  # type: ignore[index]
            assert set(only[2].split("、")) == set(group)  # type: ignore[index]

    def devices(self, m: re.Match[str]) -> None:
        self.day(m)
        issued = sql.equipment(self.conn, self.span)
        self.equal(m["persons"], issued["persons"])
        self.equal(m["items"], issued["items"])
        if m.groupdict().get("about") is not None:
            self.averaged(m, "stock")
            assert about_fits(m["about"], self.per_year(lambda s: sql.equipment(self.conn, s)["items"]))
        else:
            self.total_opening(m["open"])
        kinds = sql.devices_by_kind(self.conn, self.span)
        text = m["kinds"]
        more = text.endswith("等")
        listed = dict(re.findall(r"([^、\d]+)(\d+)件", text))
        assert {k: int(v) for k, v in listed.items()} == {k: kinds[k] for k in listed}
        assert more == (len(kinds) > len(listed))
        assert min(int(v) for v in listed.values()) >= max([n for k, n in kinds.items() if k not in listed] or [0])

    def allowance(self, m: re.Match[str]) -> None:
        self.day(m)
        kind = m["what"]
        found = sql.ledger(self.conn, self.span, kind)
        if kind == "教育补助":
            assert m["who"] == "残疾学生"  # the aid is for students: the kind says so
        else:
            days = sql.first_record_days(self.conn, self.span, kind)
            people = sql.persons_by_id(self.conn, set(days)).values()
            mental = all(p.category == 6 or "6" in (p.components or "").split(",") for p in people)
            assert m["who"] == ("精神残疾人" if mental else "残疾人")
        if m.groupdict().get("avg") is not None:
            self.averaged(m, "ledger")
            per_year = sql.per_year(self.conn, self.years, self.end,
                                    lambda s: sql.ledger(self.conn, s, kind)["persons"])
            assert int(m["avg"]) == rounded(Decimal(sum(per_year)) / len(per_year))
            each = Decimal(found["fen"]) / sum(per_year)  # fen a person a year
            assert said(rounded(each), m["per"])
        else:
            self.total_opening(m["open"])
            self.equal(m["n"], found["persons"])
            assert said(found["fen"], m["money"])


@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("town", list(TOWNS))
def test_every_claim_of_every_sentence_is_in_the_records(seeded_towns: dict[str, Path], town: str, period: str) -> None:
    year, since = PERIODS[period]
    path = seeded_towns[town]
    db = open_database(path)
    try:
        with db.session() as s:
            paragraphs = sentences(gather(s, year=year, since=since, today=TODAY))
    finally:
        db.close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            claims = Claims(conn, year, since or year)
            for paragraph in paragraphs:
                claims.check(paragraph)
    finally:
        engine.dispose()
    assert len(claims.checked) >= 12, claims.checked  # register, subsidies, relief … aids, each checked


def test_the_checker_catches_what_the_old_sentence_said(seeded_towns: dict[str, Path]) -> None:
    """The sentence the issue quotes, 为17名肢体、智力、听力残疾和脑瘫儿童等开展康复训练, is refused (脑瘫 is no
    category the register has), and so is the same without 脑瘫: the demo town's 17 include adults."""
    engine = create_engine(f"sqlite:///{seeded_towns['demo']}")
    try:
        with engine.connect() as conn:
            claims = Claims(conn, Y, Y)
            with pytest.raises(AssertionError, match="脑瘫"):
                claims.check("为17名肢体、智力、听力残疾和脑瘫儿童等开展康复训练。")
            assert any(not child for _, child in claims.trained())
            with pytest.raises(AssertionError):
                claims.check("为17名肢体、智力、听力残疾儿童开展康复训练。")
    finally:
        engine.dispose()
