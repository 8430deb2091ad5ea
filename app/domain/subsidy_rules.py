"""Who qualifies for the two subsidies (两项补贴, 国发〔2015〕52号, with Gansu's extension) in a month, how
much, and why, in the clerk's words. Pure functions over plain facts: the services read the person,
household and policy from the database; the rules and amounts themselves are policy data
(resources/policies/*.json, editable), never constants here.

Decisions, in the order the published rules read:
- not on the register: paid up to the month of death or moving out, stopped from the month after;
- no disability certificate (no 残疾证号 on the register): neither subsidy (未办理残疾证);
- 特困供养 or 工伤保险生活护理费: neither subsidy;
- 孤儿 / 事实无人抚养儿童 allowance: no living subsidy, the nursing subsidy may be paid;
- 困难残疾人生活补贴: persons in 低保 households, the amount by the 低保 class (and 低收入 where the policy
  switch extends it);
- 重度残疾人护理补贴: the grade × category table of the policy (一级/二级 all categories, Gansu adds 三级/四级
  智力/精神); 多重 takes its most favourable component;
- 择高: an overlapping old-age / 因公伤残 / 离休 allowance at least as high as the subsidy means the subsidy
  is not paid (the higher one is kept)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.disability import (
    CATEGORY_NAMES,
    GRADE_NAMES,
    Category,
    category_label,
    components_label,
    grade_label,
)
from app.domain.money import yuan
from app.domain.months import Month
from app.domain.words import DEPARTURE_CAUSES, PersonStatus, Programme
from app.errors import InputError

CLASS_NAMES = {1: "一类", 2: "二类", 3: "三类", 4: "四类"}


@dataclass(frozen=True)
class PersonFacts:
    category: int
    grade: int
    components: tuple[int, ...] = ()
    status: str = PersonStatus.ON_REGISTER
    status_date: dt.date | None = None
    work_injury_care: bool = False  # 工伤保险生活护理费
    orphan_allowance: bool = False  # 孤儿 / 事实无人抚养儿童基本生活费
    other_allowance_kind: str = ""  # 高龄津贴, 因公伤残 …, paid instead when higher (择高)
    other_allowance_fen: int = 0
    has_certificate: bool = True  # a 残疾证号 on the register: both subsidies require one


@dataclass(frozen=True)
class HouseholdFacts:
    dibao: bool = False  # 低保户
    dibao_class: int | None = None  # 1..4
    tekun: bool = False  # 特困供养
    low_income: bool = False  # 低收入
    dibao_ended: dt.date | None = None  # 低保停止日期, when recorded: the living subsidy stops the month after


@dataclass(frozen=True)
class LivingRules:
    """The living subsidy's amounts per month by 低保 class; 低收入 households only when switched on."""

    class_fen: Mapping[int, int]
    include_low_income: bool = False
    low_income_fen: int = 0


@dataclass(frozen=True)
class NursingRules:
    """The nursing subsidy's amounts per month by (grade, category); absent means not covered."""

    amounts: Mapping[tuple[int, int], int] = field(default_factory=dict)

    def amount(self, grade: int, category: int) -> int | None:
        return self.amounts.get((grade, category))


@dataclass(frozen=True)
class Decision:
    programme: str
    qualifies: bool
    amount_fen: int
    reason: str
    stop_from: Month | None = None  # the first month not paid, when the register dates it (left, 低保 ended)
    both: bool = False  # an exclusion from both subsidies (the explanation says it once)


def parse_living(rules: Mapping[str, Any]) -> LivingRules:
    """The living subsidy's rules from their JSON form; InputError names what is wrong."""
    try:
        classes = {int(k): _fen(v) for k, v in dict(rules["dibao_class_fen"]).items()}
        if not set(classes) <= set(CLASS_NAMES):
            raise ValueError
        return LivingRules(classes, bool(rules.get("include_low_income", False)),
                           _fen(rules.get("low_income_fen", 0)))
    except (KeyError, TypeError, ValueError):
        raise InputError("生活补贴标准的格式不对：应按低保一类至四类各写每月金额。") from None


def parse_nursing(rules: Mapping[str, Any]) -> NursingRules:
    """The nursing subsidy's table from its JSON form: {"grade": {"category": fen}}."""
    try:
        amounts: dict[tuple[int, int], int] = {}
        for grade, row in dict(rules["amounts_fen"]).items():
            for category, fen in dict(row).items():
                key = (int(grade), int(category))
                if key[0] not in GRADE_NAMES or key[1] not in CATEGORY_NAMES:
                    raise ValueError
                amounts[key] = _fen(fen)
        return NursingRules(amounts)
    except (KeyError, TypeError, ValueError):
        raise InputError("护理补贴标准的格式不对：应按等级和类别各写每月金额。") from None


def living_json(rules: LivingRules) -> dict[str, Any]:
    return {"dibao_class_fen": {str(k): v for k, v in sorted(rules.class_fen.items())},
            "include_low_income": rules.include_low_income, "low_income_fen": rules.low_income_fen}


def nursing_json(rules: NursingRules) -> dict[str, Any]:
    table: dict[str, dict[str, int]] = {}
    for (grade, category), fen in sorted(rules.amounts.items()):
        table.setdefault(str(grade), {})[str(category)] = fen
    return {"amounts_fen": table}


def _fen(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(value)
    return value


def disability_text(person: PersonFacts) -> str:
    """一级肢体残疾, or 二级多重残疾（肢体、智力）."""
    text = f"{grade_label(person.grade)}{category_label(person.category)}残疾"
    if person.category == Category.MULTIPLE and person.components:
        text += f"（{components_label(person.components)}）"
    return text


def nursing_amount(rules: NursingRules, person: PersonFacts) -> tuple[int | None, int]:
    """The table amount and the category it was found under: a 多重 person gets the most favourable of
    their components (their own 多重 entry when no components are recorded)."""
    if person.category == Category.MULTIPLE and person.components:
        found = [(rules.amount(person.grade, c), c) for c in person.components]
        paid = [(fen, c) for fen, c in found if fen is not None]
        if not paid:
            return None, person.category
        fen, category = max(paid, key=lambda pair: (pair[0], -pair[1]))
        return fen, category
    return rules.amount(person.grade, person.category), person.category


def living_amount(rules: LivingRules, household: HouseholdFacts) -> tuple[int | None, str]:
    """The amount for this household and how it is described (低保二类户, 低收入户)."""
    if household.dibao:
        dibao_class = household.dibao_class
        if dibao_class is not None and dibao_class in rules.class_fen:
            return rules.class_fen[dibao_class], f"低保{CLASS_NAMES[dibao_class]}户"
        lowest = min(rules.class_fen.values(), default=0)
        return lowest, "低保户（未填类别，按最低标准）"
    if household.low_income and rules.include_low_income:
        return rules.low_income_fen, "低收入户（本地扩大范围）"
    return None, ""


def _left(person: PersonFacts, month: Month, programme: str) -> Decision | None:
    """Paid through the month of death or moving out; from the month after, not."""
    if person.status == PersonStatus.ON_REGISTER or person.status_date is None:
        return None
    stop = Month.of(person.status_date).next()
    if month < stop:
        return None
    what = DEPARTURE_CAUSES.get(person.status, person.status)
    return Decision(programme, False, 0, f"{person.status_date.isoformat()}{what}，从{stop.label}起停发",
                    stop_from=stop, both=True)


NO_CERTIFICATE = "未办理残疾证，不享受两项补贴"


def _excluded(person: PersonFacts, household: HouseholdFacts | None, programme: str) -> Decision | None:
    if not person.has_certificate:
        return Decision(programme, False, 0, NO_CERTIFICATE, both=True)
    if household is not None and household.tekun:
        return Decision(programme, False, 0, "特困供养人员，不享受两项补贴", both=True)
    if person.work_injury_care:
        return Decision(programme, False, 0, "领取工伤保险生活护理费，不享受两项补贴", both=True)
    return None


def _choose_higher(person: PersonFacts, programme: str, fen: int, reason: str) -> Decision:
    """择高: the overlapping allowance is kept when it is at least the subsidy."""
    if person.other_allowance_kind and person.other_allowance_fen >= fen:
        kind = person.other_allowance_kind
        return Decision(programme, False, 0,
                        f"已领取{kind}每月{yuan(person.other_allowance_fen)}元，不低于{Programme(programme).short}"
                        f"{yuan(fen)}元，择高领取，不享受{Programme(programme).short}")
    return Decision(programme, True, fen, reason)


def living_decision(rules: LivingRules | None, person: PersonFacts, household: HouseholdFacts | None,
                    month: Month) -> Decision:
    """困难残疾人生活补贴 for this person in this month."""
    gone = _left(person, month, Programme.LIVING) or _excluded(person, household, Programme.LIVING)
    if gone:
        return gone
    if rules is None:
        return Decision(Programme.LIVING, False, 0, f"{month.label}没有生效的生活补贴标准，请在政策设置中填写")
    if person.orphan_allowance:
        return Decision(Programme.LIVING, False, 0, "领取孤儿基本生活费，不享受生活补贴")
    fen, described = living_amount(rules, household or HouseholdFacts())
    if fen is None:
        ended = household.dibao_ended if household is not None else None
        if ended is not None:
            stop = Month.of(ended).next()
            return Decision(Programme.LIVING, False, 0, f"{ended.isoformat()}低保取消，从{stop.label}起停发生活补贴",
                            stop_from=stop)
        wider = "、低收入户" if rules.include_low_income else ""
        return Decision(Programme.LIVING, False, 0, f"不是低保户{wider}，不符合生活补贴")
    return _choose_higher(person, Programme.LIVING, fen, f"{described}，符合生活补贴")


def nursing_decision(rules: NursingRules | None, person: PersonFacts, household: HouseholdFacts | None,
                     month: Month) -> Decision:
    """重度残疾人护理补贴 for this person in this month."""
    gone = _left(person, month, Programme.NURSING) or _excluded(person, household, Programme.NURSING)
    if gone:
        return gone
    if rules is None:
        return Decision(Programme.NURSING, False, 0, f"{month.label}没有生效的护理补贴标准，请在政策设置中填写")
    fen, counted = nursing_amount(rules, person)
    described = disability_text(person)
    if fen is None:
        return Decision(Programme.NURSING, False, 0, f"{described}，不在护理补贴范围")
    if counted != person.category:
        described += f"，按{category_label(counted)}残疾计"
    return _choose_higher(person, Programme.NURSING, fen, f"{described}，符合护理补贴")


@dataclass(frozen=True)
class Policies:
    """The rules in force for one month (None: no rule in force yet)."""

    living: LivingRules | None
    nursing: NursingRules | None


def decide(policies: Policies, person: PersonFacts, household: HouseholdFacts | None,
           month: Month) -> list[Decision]:
    """Both programmes, nursing first (as the clerk reads the certificate before the household)."""
    return [nursing_decision(policies.nursing, person, household, month),
            living_decision(policies.living, person, household, month)]


def explain(decisions: Sequence[Decision]) -> str:
    """One line in plain Chinese: "一级肢体残疾，符合护理补贴；低保二类户，符合生活补贴", and an exclusion
    from both subsidies said once ("特困供养人员，不享受两项补贴")."""
    reasons: list[str] = []
    for decision in decisions:
        if decision.reason not in reasons:
            reasons.append(decision.reason)
    return "；".join(reasons)


def components_of(text: str) -> tuple[int, ...]:
    """Person.components ("4,5") as a tuple of category codes."""
    return tuple(sorted({int(part) for part in text.split(",") if part.strip().isdigit()}))
