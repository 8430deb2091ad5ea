"""The summary's figures as sentences ready to paste into a work report, in the seed report's words:
"全镇注册登记残疾人345人，其中有劳动能力的残疾人120人；纳入最低生活保障的残疾人135人；……".

A five-year report says what happened over the years and, for work done every year (relief, visits,
rehabilitation, aids), how much a year on average, as a congress report does ("五年来每年对40余名困难残疾人
给予临时救助"). A year not over yet says "截至2026年11月29日", never "全年". A figure that is zero is left
out: a work report does not say "0人"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.reports.yearly_figures import YearlyFigures, day_text

_CHINESE_NUMBERS = "一二三四五六七八九十"


def money_text(amount: Decimal | str | int) -> str:
    """612345 -> 61.23万元, 600000 -> 60万元, 500 -> 500元, 1234.5 -> 1234.50元: as a work report writes."""
    value = Decimal(amount)
    if value >= 10000:
        text = f"{(value / 10000).quantize(Decimal('0.01'), ROUND_HALF_UP)}".rstrip("0").rstrip(".")
        return f"{text}万元"
    cents = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{cents:.0f}元" if cents == cents.to_integral_value() else f"{cents}元"


def _yearly_average(figures: YearlyFigures, read: Any) -> int:
    years = figures.years
    return int((Decimal(sum(read(y) for y in years)) / len(years)).quantize(Decimal(1), ROUND_HALF_UP))


def _per_person(figures: YearlyFigures, key: str) -> str:
    """Yuan a year per person, over the years given (500元 for a 500-yuan card)."""
    persons = sum(y[key]["persons"] for y in figures.years)
    amount = sum(Decimal(y[key]["amount"]) for y in figures.years)
    return money_text((amount / persons).quantize(Decimal("0.01"), ROUND_HALF_UP)) if persons else money_text(0)


def about(n: int) -> str:
    """43 -> 40余, 17 -> 17, 30 -> 30: a yearly average as a work report rounds it."""
    return f"{n // 10 * 10}余" if n >= 20 and n % 10 else str(n)


def _span(f: YearlyFigures) -> str:
    """What a total is counted over: 2025年, 2021—2025年; 今年以来 or 2022年以来 for a period not over."""
    if f.until is None:
        return f.period_text()
    return f"{f.since}年以来" if f.five_year else "今年以来"


def _years(f: YearlyFigures) -> str:
    """五年来, 三年来: how a congress report opens what was done every year."""
    length = f.year - f.since + 1
    return f"{_CHINESE_NUMBERS[length - 1] if length <= 10 else length}年来"


def _register(f: YearlyFigures) -> str:
    c = f.current
    text = f"截至{day_text(f.until)}，" if f.until is not None else ""
    text += f"全镇注册登记残疾人{c['registered']}人，其中有劳动能力的残疾人{c['labor_capable']}人"
    by_category = sorted(((n, name) for name, n in c["by_category"].items() if n), reverse=True)
    if by_category:
        text += "，按类别分，" + "、".join(f"{name}残疾{n}人" for n, name in by_category)
    moves = [(c["new_registrations"], "新登记"), (c["deaths"], "死亡"), (c["moved_out"], "迁出")]
    said = "，".join(f"{label}{n}人" for n, label in moves if n)
    if said:
        text += f"；{_span(f)}{said}"
    return text + "。"


def _support(f: YearlyFigures) -> list[str]:
    c = f.current
    parts: list[str] = []
    if c["dibao_persons"]:
        parts.append(f"纳入最低生活保障的残疾人{c['dibao_persons']}人")
    if c["two_subsidies_persons"]:
        part = f"享受残疾人“两补”（生活补贴、护理补贴）的{c['two_subsidies_persons']}人"
        detail = [f"{label}{c[key]}人" for key, label in (("living_subsidy_persons", "生活补贴"),
                                                         ("nursing_subsidy_persons", "护理补贴")) if c[key]]
        if detail:
            part += "，其中" + "、".join(detail)
        if Decimal(c["two_subsidies_amount"]):
            part += f"，发放补贴资金{money_text(c['two_subsidies_amount'])}"
        parts.append(part)
    relief = c["temporary_relief"]
    if relief["persons"]:
        if f.five_year:
            average = _yearly_average(f, lambda y: y["temporary_relief"]["persons"])
            parts.append(f"{_years(f)}每年对{about(average)}名困难残疾人给予临时救助（共{relief['persons']}人、"
                         f"{money_text(relief['amount'])}）")
        else:
            parts.append(f"对{relief['persons']}名困难残疾人给予临时救助{money_text(relief['amount'])}")
    if c["medical_aid"]["persons"]:
        parts.append(f"{c['medical_aid']['persons']}名患大病的残疾人获得医疗救助"
                     f"{money_text(c['medical_aid']['amount'])}")
    if c["medical_insurance_persons"]:
        parts.append(f"全镇{c['medical_insurance_persons']}名残疾人参加城乡居民医保")
    if c["visits"]["households"]:
        if f.five_year:
            average = _yearly_average(f, lambda y: y["visits"]["households"])
            parts.append(f"每逢重大节日慰问困难残疾家庭和生活不能自理的残疾人，每年慰问困难残疾家庭{about(average)}户，"
                         f"{_span(f)}共发放慰问金{money_text(c['visits']['amount'])}")
        else:
            parts.append(f"节日慰问困难残疾家庭{c['visits']['households']}户，发放慰问金"
                         f"{money_text(c['visits']['amount'])}")
    housing = c["housing_renovation"]
    if housing["households"]:
        parts.append(f"{_span(f)}有{housing['households']}户残疾人家庭列为危房改造补助对象，"
                     f"投入资金{money_text(housing['amount'])}")
    return ["；".join(parts) + "。"] if parts else []


def _rehabilitation(f: YearlyFigures) -> list[str]:
    c = f.current
    parts: list[str] = []
    every = "每年" if f.five_year else ("" if f.until is not None else "全年")
    if c["rehab_training_persons"]:
        n = _yearly_average(f, lambda y: y["rehab_training_persons"]) if f.five_year else c["rehab_training_persons"]
        parts.append(f"{every}为{n}名肢体、智力、听力残疾和脑瘫儿童等开展康复训练")
    if c["equipment_issued"]["items"]:
        items = (about(_yearly_average(f, lambda y: y["equipment_issued"]["items"])) if f.five_year
                 else str(c["equipment_issued"]["items"]))
        parts.append(f"{every}为残疾人配发各种康复器材{items}件")
    for key, who, what in (("medicine_subsidy", "名精神残疾人", "精神残疾药物补助"),
                           ("education_subsidy", "名残疾学生", "教育补助")):
        given = c[key]
        if not given["persons"]:
            continue
        if f.five_year:
            average = _yearly_average(f, lambda y, k=key: y[k]["persons"])
            per_person = _per_person(f, key)
            parts.append(f"每年对{average}{who}发放{what}，人均每年{per_person}")
        else:
            parts.append(f"对{given['persons']}{who}发放{what}{money_text(given['amount'])}")
    if not parts:
        return []
    opening = f"截至{day_text(f.until)}，" if f.until is not None and not f.five_year else ""
    return [opening + "；".join(parts) + "。"]


def sentences(figures: YearlyFigures) -> list[str]:
    """The paragraphs of the page 工作报告参考文字, in the order of the seed report."""
    return [_register(figures), *_support(figures), *_rehabilitation(figures)]
