"""Every rule and exclusion of the two subsidies, against the published wording (DOMAIN.md) and the
shipped defaults (the national rule, Gansu's extension, the 2019 Gansu minimum amounts)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import subsidy_rules as el
from app.domain.months import Month
from app.domain.subsidy_rules import HouseholdFacts, PersonFacts
from app.errors import InputError
from app.services.subsidies.policies import shipped_defaults

NOV = Month(2026, 11)


@pytest.fixture(scope="module")
def policies() -> el.Policies:
    defaults = shipped_defaults()
    return el.Policies(el.parse_living(defaults["living"].rules), el.parse_nursing(defaults["nursing"].rules))


def nursing(policies: el.Policies, category: int, grade: int, components: tuple[int, ...] = ()) -> el.Decision:
    return el.nursing_decision(policies.nursing, PersonFacts(category, grade, components), None, NOV)


@pytest.mark.parametrize(("category", "grade", "fen"), [
    (5, 1, 10000), (6, 1, 10000), (4, 1, 10000), (1, 1, 10000),  # 一级 智力/精神/肢体/视力: 100
    (5, 2, 10000), (6, 2, 10000),  # 二级 智力/精神: 100
    (2, 1, 5000), (3, 1, 5000),  # 一级 听力/言语: 50
    (4, 2, 5000), (1, 2, 5000), (2, 2, 5000), (3, 2, 5000),  # 二级 肢体/视力/听力/言语: 50
    (5, 3, 5000), (6, 3, 5000), (5, 4, 5000), (6, 4, 5000),  # Gansu: 三级/四级 智力/精神 (default 50)
])
def test_nursing_amounts_follow_gansu_2019(policies: el.Policies, category: int, grade: int, fen: int) -> None:
    decision = nursing(policies, category, grade)
    assert decision.qualifies and decision.amount_fen == fen
    assert decision.reason.endswith("，符合护理补贴")


@pytest.mark.parametrize(("category", "grade"), [(4, 3), (1, 3), (2, 3), (3, 4), (4, 4), (1, 4)])
def test_moderate_and_mild_other_than_intellectual_or_mental_get_no_nursing(
        policies: el.Policies, category: int, grade: int) -> None:
    decision = nursing(policies, category, grade)
    assert not decision.qualifies and decision.amount_fen == 0
    assert decision.reason.endswith("，不在护理补贴范围")


def test_multiple_takes_the_most_favourable_component(policies: el.Policies) -> None:
    decision = nursing(policies, 7, 2, (4, 5))  # 二级: 肢体 50, 智力 100
    assert decision.qualifies and decision.amount_fen == 10000
    assert decision.reason == "二级多重残疾（肢体、智力），按智力残疾计，符合护理补贴"
    gansu = nursing(policies, 7, 3, (2, 6))  # 三级 with 精神: Gansu extension
    assert gansu.qualifies and gansu.amount_fen == 5000
    assert not nursing(policies, 7, 3, (1, 4)).qualifies  # 三级 视力+肢体: not covered
    assert nursing(policies, 7, 1).amount_fen == 10000  # no components recorded: the 多重 default


def test_the_published_example_sentences(policies: el.Policies) -> None:
    person = PersonFacts(category=4, grade=1)
    household = HouseholdFacts(dibao=True, dibao_class=2)
    text = el.explain(el.decide(policies, person, household, NOV))
    assert text == "一级肢体残疾，符合护理补贴；低保二类户，符合生活补贴"
    tekun = el.explain(el.decide(policies, person, HouseholdFacts(dibao=True, dibao_class=1, tekun=True), NOV))
    assert tekun == "特困供养人员，不享受两项补贴"


@pytest.mark.parametrize(("dibao_class", "fen"), [(1, 10000), (2, 10000), (3, 5000), (4, 5000)])
def test_living_subsidy_by_dibao_class(policies: el.Policies, dibao_class: int, fen: int) -> None:
    decision = el.living_decision(policies.living, PersonFacts(4, 4), HouseholdFacts(True, dibao_class), NOV)
    assert decision.qualifies and decision.amount_fen == fen


def test_living_subsidy_needs_dibao_and_low_income_only_when_switched_on(policies: el.Policies) -> None:
    low_income = HouseholdFacts(low_income=True)
    plain = el.living_decision(policies.living, PersonFacts(4, 4), low_income, NOV)
    assert not plain.qualifies and plain.reason == "不是低保户，不符合生活补贴"
    assert policies.living is not None
    wider = el.LivingRules(policies.living.class_fen, include_low_income=True, low_income_fen=3000)
    extended = el.living_decision(wider, PersonFacts(4, 4), low_income, NOV)
    assert extended.qualifies and extended.amount_fen == 3000 and "低收入户" in extended.reason
    unknown_class = el.living_decision(policies.living, PersonFacts(4, 4), HouseholdFacts(dibao=True), NOV)
    assert unknown_class.qualifies and unknown_class.amount_fen == 5000 and "未填类别" in unknown_class.reason


def test_work_injury_care_excludes_both(policies: el.Policies) -> None:
    person = PersonFacts(4, 1, work_injury_care=True)
    decisions = el.decide(policies, person, HouseholdFacts(True, 1), NOV)
    assert not any(d.qualifies for d in decisions)
    assert el.explain(decisions) == "领取工伤保险生活护理费，不享受两项补贴"


def test_orphan_allowance_excludes_living_but_not_nursing(policies: el.Policies) -> None:
    child = PersonFacts(5, 1, orphan_allowance=True)
    care, living = el.decide(policies, child, HouseholdFacts(True, 1), NOV)
    assert care.qualifies and care.amount_fen == 10000
    assert not living.qualifies and living.reason == "领取孤儿基本生活费，不享受生活补贴"


def test_choose_the_higher_allowance(policies: el.Policies) -> None:
    higher = PersonFacts(4, 1, other_allowance_kind="高龄津贴", other_allowance_fen=15000)
    decision = el.nursing_decision(policies.nursing, higher, None, NOV)
    assert not decision.qualifies
    assert decision.reason == "已领取高龄津贴每月150.00元，不低于护理补贴100.00元，择高领取，不享受护理补贴"
    equal = PersonFacts(4, 2, other_allowance_kind="因公伤残", other_allowance_fen=5000)
    assert not el.nursing_decision(policies.nursing, equal, None, NOV).qualifies  # at least as high: 择高
    lower = PersonFacts(4, 1, other_allowance_kind="高龄津贴", other_allowance_fen=5000)
    assert el.nursing_decision(policies.nursing, lower, None, NOV).amount_fen == 10000


def test_death_and_moving_out_stop_from_the_month_after(policies: el.Policies) -> None:
    died = PersonFacts(4, 1, status="死亡", status_date=dt.date(2026, 10, 3))
    october = el.nursing_decision(policies.nursing, died, None, Month(2026, 10))
    assert october.qualifies  # paid for the month of death
    november = el.decide(policies, died, HouseholdFacts(True, 2), NOV)
    assert not any(d.qualifies for d in november)
    assert el.explain(november) == "2026-10-03死亡，从2026年11月起停发"
    assert november[0].stop_from == NOV
    moved = PersonFacts(4, 1, status="迁出", status_date=dt.date(2026, 9, 30))
    decision = el.nursing_decision(policies.nursing, moved, None, Month(2026, 10))
    assert decision.reason == "2026-09-30户口迁出，从2026年10月起停发"


def test_no_rule_in_force_says_so() -> None:
    decision = el.living_decision(None, PersonFacts(4, 1), HouseholdFacts(True, 1), Month(2018, 5))
    assert not decision.qualifies and "没有生效的生活补贴标准" in decision.reason


def test_rules_round_trip_and_bad_rules_are_refused(policies: el.Policies) -> None:
    assert policies.living is not None and policies.nursing is not None
    assert el.parse_living(el.living_json(policies.living)) == policies.living
    assert el.parse_nursing(el.nursing_json(policies.nursing)) == policies.nursing
    with pytest.raises(InputError, match="生活补贴标准"):
        el.parse_living({"dibao_class_fen": {"5": 100}})
    with pytest.raises(InputError, match="护理补贴标准"):
        el.parse_nursing({"amounts_fen": {"1": {"4": -5}}})


def test_month_values() -> None:
    assert Month.parse("2026-11") == Month.parse("2026年11月") == Month.parse("202611") == NOV
    assert NOV.next(2) == Month(2027, 1) and Month(2027, 1).previous() == Month(2026, 12)
    assert str(NOV) == "2026-11" and NOV.label == "2026年11月" and NOV.last_day == dt.date(2026, 11, 30)
    assert len(Month(2026, 11).until(Month(2027, 2))) == 4
    with pytest.raises(InputError):
        Month.parse("2026-13")


def test_no_certificate_means_neither_subsidy_said_once(policies: el.Policies) -> None:
    decisions = el.decide(policies, PersonFacts(4, 1, has_certificate=False), HouseholdFacts(True, 1), NOV)
    assert [(d.programme, d.qualifies, d.amount_fen) for d in decisions] == [
        ("nursing", False, 0), ("living", False, 0)]
    assert el.explain(decisions) == "未办理残疾证，不享受两项补贴"


def test_a_recorded_end_of_dibao_dates_the_stop_of_the_living_subsidy(policies: el.Policies) -> None:
    ended = HouseholdFacts(dibao=False, dibao_ended=dt.date(2026, 9, 10))
    decision = el.living_decision(policies.living, PersonFacts(4, 1), ended, NOV)
    assert (decision.qualifies, decision.stop_from) == (False, Month(2026, 10))
    assert decision.reason == "2026-09-10低保取消，从2026年10月起停发生活补贴"
