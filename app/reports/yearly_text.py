"""The summary's figures as sentences ready to paste into a work report, in the seed report's words:
"全镇注册登记残疾人345人，其中有劳动能力的残疾人120人；纳入最低生活保障的残疾人135人；……".

Each sentence says only what its records show: who was helped is named from the records themselves
(app.services.summary.work_report: children and adults by the ID's birth date on the day of the record, the
categories present, the festivals held), never from what such work usually is ("脑瘫儿童", "每逢重大节日",
"患大病"). A five-year report says how much a year on average (平均每年, as a congress report does) only for
work that every year of the period has records of; otherwise it gives the total. A year not over yet says
"截至2026年11月29日", never "全年"; subsidies not confirmed for every month name the months they cover. A
figure that is zero is left out: a work report does not say "0人"."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.domain import festivals
from app.domain.dates import chinese_date
from app.domain.money import work_report_text
from app.reports.yearly_figures import YearlyFigures, months_text
from app.services.summary.records import CAMPAIGNS, LEDGER, STOCK
from app.services.summary.work_report import Trained

_CHINESE_NUMBERS = "一二三四五六七八九十"


def _yearly_average(figures: YearlyFigures, read: Any) -> int:
    years = figures.years
    return int((Decimal(sum(read(y) for y in years)) / len(years)).quantize(Decimal(1), ROUND_HALF_UP))


def _per_person(figures: YearlyFigures, key: str) -> str:
    """Yuan a year per person, over the years given (500元 for a 500-yuan card)."""
    persons = sum(y[key]["persons"] for y in figures.years)
    amount = sum(Decimal(y[key]["amount"]) for y in figures.years)
    if not persons:
        return work_report_text(0)
    return work_report_text((amount / persons).quantize(Decimal("0.01"), ROUND_HALF_UP))


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
    text = f"截至{chinese_date(f.until)}，" if f.until is not None else ""
    text += f"全镇注册登记残疾人{c['registered']}人，其中有劳动能力的残疾人{c['labor_capable']}人"
    by_category = sorted(((n, name) for name, n in c["by_category"].items() if n), reverse=True)
    if by_category:
        text += "，按类别分，" + "、".join(f"{name}残疾{n}人" for n, name in by_category)
    moves = [(c["new_registrations"], "新登记"), (c["deaths"], "死亡"), (c["moved_out"], "迁出")]
    said = "，".join(f"{label}{n}人" for n, label in moves if n)
    if said:
        text += f"；{_span(f)}{said}"
    return text + "。"


def _every_year(f: YearlyFigures, source: str) -> bool:
    """An average a year is said only over years that all have records of the kind."""
    return f.five_year and source in f.records.every_year


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
            months = months_text(f.paid_months) if f.unpaid_months else ""
            part += f"，{months}发放补贴资金{work_report_text(c['two_subsidies_amount'])}"
        parts.append(part)
    relief = c["temporary_relief"]
    if relief["persons"]:
        if _every_year(f, LEDGER):
            average = _yearly_average(f, lambda y: y["temporary_relief"]["persons"])
            parts.append(f"{_years(f)}平均每年对{about(average)}名残疾人给予临时救助（共{relief['persons']}人、"
                         f"{work_report_text(relief['amount'])}）")
        else:
            parts.append(f"{_total(f)}对{relief['persons']}名残疾人给予临时救助{work_report_text(relief['amount'])}")
    if c["medical_aid"]["persons"]:
        parts.append(f"{_total(f) and _total(f) + '有'}{c['medical_aid']['persons']}名残疾人获得医疗救助"
                     f"{work_report_text(c['medical_aid']['amount'])}")
    if c["medical_insurance_persons"]:
        parts.append(f"全镇{c['medical_insurance_persons']}名残疾人参加城乡居民医保")
    if c["visits"]["households"]:
        parts.append(_visits(f))
    housing = c["housing_renovation"]
    if housing["households"]:
        parts.append(f"{_span(f)}有{housing['households']}户残疾人家庭列为危房改造补助对象，"
                     f"投入资金{work_report_text(housing['amount'])}")
    return ["；".join(parts) + "。"] if parts else []


def _total(f: YearlyFigures) -> str:
    """How a total over several years opens (2022年以来共, 2021—2025年共); nothing for one year."""
    return f"{_span(f)}共" if f.five_year else ""


def _visits(f: YearlyFigures) -> str:
    """春节慰问困难残疾家庭23户，发放慰问金6900元: the festivals held and 困难 only as the lines show them."""
    c, r = f.current, f.records
    held = festival_text(r.visit_festivals)
    families = f"{'困难' if r.visits_all_hard_up else ''}残疾家庭"
    amount = Decimal(c["visits"]["amount"])
    given = "、".join(([f"慰问金{work_report_text(amount)}"] if amount else []) + (["慰问品"] if r.visit_goods else []))
    if _every_year(f, CAMPAIGNS):
        average = _yearly_average(f, lambda y: y["visits"]["households"])
        text = f"{_years(f)}平均每年{held}慰问{families}{about(average)}户"
        return text + (f"，{_span(f)}共发放{given}" if given else "")
    opening, together = (_span(f), "共") if f.five_year else ("", "")
    text = f"{opening}{held}{together}慰问{families}{c['visits']['households']}户"
    return text + (f"，发放{given}" if given else "")


def who_trained(trained: list[Trained]) -> str:
    """17名残疾人…，其中肢体、智力残疾儿童8名，肢体、视力残疾成年人9名; or 8名肢体、智力残疾儿童 when all are
    children: the ages and categories of those trained, nothing more."""
    children = [t for t in trained if t.child]
    adults = [t for t in trained if not t.child]
    if not adults:
        return f"{len(trained)}名{categories_text(children)}残疾儿童"
    if not children:
        return f"{len(trained)}名{categories_text(adults)}残疾人"
    return (f"{len(trained)}名残疾人（{categories_text(children)}残疾儿童{len(children)}名，"
            f"{categories_text(adults)}残疾成年人{len(adults)}名）")


def _devices(f: YearlyFigures) -> str:
    """轮椅8件、拐杖6件、助听器5件等: the three kinds issued most, 等 when there were more."""
    kinds = f.records.devices
    text = "、".join(f"{name}{n}件" for name, n in kinds[:3])
    return text + ("等" if len(kinds) > 3 else "")


def _rehabilitation(f: YearlyFigures) -> list[str]:
    c = f.current
    parts: list[str] = []
    every = "" if f.until is not None else "全年"
    if c["rehab_training_persons"]:
        if _every_year(f, LEDGER):
            n = _yearly_average(f, lambda y: y["rehab_training_persons"])
            parts.append(f"{_years(f)}平均每年为{n}名残疾人开展康复训练，{_span(f)}共训练{who_trained(f.records.trained)}")
        else:
            parts.append(f"{_total(f) or every}为{who_trained(f.records.trained)}开展康复训练")
    issued = c["equipment_issued"]
    if issued["items"]:
        if _every_year(f, STOCK):
            items = about(_yearly_average(f, lambda y: y["equipment_issued"]["items"]))
            parts.append(f"{_years(f)}平均每年配发辅助器具{items}件（共为{issued['persons']}名残疾人配发"
                         f"{issued['items']}件，{_devices(f)}）")
        else:
            parts.append(f"{_total(f) or every}为{issued['persons']}名残疾人配发辅助器具{issued['items']}件"
                         f"（{_devices(f)}）")
    for key, what in (("medicine_subsidy", "精神残疾药物补助"), ("education_subsidy", "教育补助")):
        given = c[key]
        if not given["persons"]:
            continue
        who = "名残疾学生" if key == "education_subsidy" else (
            "名精神残疾人" if f.records.medicine_all_mental else "名残疾人")
        if _every_year(f, LEDGER):
            average = _yearly_average(f, lambda y, k=key: y[k]["persons"])
            parts.append(f"{_years(f)}平均每年对{average}{who}发放{what}，人均每年{_per_person(f, key)}")
        else:
            parts.append(f"{_total(f)}对{given['persons']}{who}发放{what}{work_report_text(given['amount'])}")
    if not parts:
        return []
    opening = f"截至{chinese_date(f.until)}，" if f.until is not None and not f.five_year else ""
    return [opening + "；".join(parts) + "。"]


def sentences(figures: YearlyFigures) -> list[str]:
    """The paragraphs of the page 工作报告参考文字, in the order of the seed report."""
    return [_register(figures), *_support(figures), *_rehabilitation(figures)]


def festival_text(held: list[str]) -> str:
    """春节, 春节、中秋; a campaign of no named festival (其他) makes it 春节等节日, or 节日 alone."""
    named = [f for f in held if f != festivals.OTHER]
    if festivals.OTHER in held:
        return ("、".join(named) + "等" if named else "") + "节日"
    return "、".join(named)


def categories_text(trained: list[Trained]) -> str:
    """肢体、智力、听力: the categories present, the most frequent first."""
    counts = Counter(t.category for t in trained)
    return "、".join(name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
