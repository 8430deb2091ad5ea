import datetime as dt
import json
import re

import pytest

from app.db.engine import Database
from app.errors import InputError
from app.services.register import people, status_changes, villages
from app.services.summary.figures import format_table, summarise
from tests.factories import make_id


def _contract_keys() -> list[str]:
    """The keys of the county's contract, in its order (docs/cli.md lists them, tests/test_cli_reference.py
    holds the page to what the summary writes)."""
    keys = ["year", "since", "registered", "by_category", "by_grade", "by_village", "labor_capable",
            "dibao_persons", "medical_insurance_persons", "living_subsidy_persons", "nursing_subsidy_persons",
            "two_subsidies_persons", "two_subsidies_amount", "temporary_relief", "medical_aid",
            "education_subsidy", "medicine_subsidy", "housing_renovation", "visits", "equipment_issued",
            "rehab_training_persons", "new_registrations", "deaths", "moved_out"]
    return keys


ADDED_KEYS = ["overpayments"]  # after the contract's keys, which stay as CLI.md writes them


@pytest.fixture
def town(db: Database) -> Database:
    """Four persons with a history: 甲 registered 2020; 乙 2020, died 2024-05-01; 丙 registered 2024, moved
    out 2025-03-01; 丁 registered 2025 in a 低保 household, able to work and insured."""
    with db.transaction() as s:
        people.save_checked(s, {"name": "甲", "id_number": make_id(seq="111"), "category": "视力",
                                  "grade": "一级", "village": "金塔村"}, on=dt.date(2020, 1, 10))
        villages.village_named(s, "空村")
        a = people.save_checked(s, {"name": "乙", "id_number": make_id(seq="222"), "category": "肢体",
                                      "grade": "二级", "village": "新华村"}, on=dt.date(2020, 6, 1)).person
        b = people.save_checked(s, {"name": "丙", "id_number": make_id(seq="333"), "category": "多重",
                                      "components": "肢体+智力", "grade": "三级", "village": "新华村"},
                                  on=dt.date(2024, 2, 1)).person
        people.save_checked(s, {"name": "丁", "id_number": make_id(seq="444"), "category": "精神", "grade": "四级",
                                  "village": "金塔村", "labor_ability": "有", "medical_insurance": "是",
                                  "dibao": "二类"}, on=dt.date(2025, 7, 1))
        status_changes.change_status(s, a, "死亡", dt.date(2024, 5, 1), "病故")
        status_changes.change_status(s, b, "迁出", dt.date(2025, 3, 1))
    return db


def test_every_contract_key_is_there_even_when_empty(db: Database) -> None:
    with db.session() as s:
        figures = summarise(s, year=2025)
    assert list(figures) == _contract_keys() + ADDED_KEYS
    assert figures["overpayments"] == {"persons": 0, "amount": "0.00", "recovered": "0.00", "written_off": "0.00",
                                       "outstanding": "0.00"}
    assert figures["by_category"] == {"视力": 0, "听力": 0, "言语": 0, "肢体": 0, "智力": 0, "精神": 0, "多重": 0}
    assert list(figures["by_grade"]) == ["一级", "二级", "三级", "四级"]
    assert figures["temporary_relief"] == {"persons": 0, "amount": "0.00"}
    assert figures["two_subsidies_amount"] == "0.00"
    json.dumps(figures)


def test_the_register_is_read_from_the_history(town: Database) -> None:
    with town.session() as s:
        y2023, y2024, y2025 = (summarise(s, year=y) for y in (2023, 2024, 2025))
    assert (y2023["registered"], y2023["new_registrations"], y2023["deaths"]) == (2, 0, 0)
    assert (y2024["registered"], y2024["new_registrations"], y2024["deaths"], y2024["moved_out"]) == (2, 1, 1, 0)
    assert (y2025["registered"], y2025["new_registrations"], y2025["moved_out"]) == (2, 1, 1)
    assert y2024["by_category"]["多重"] == 1 and y2024["by_category"]["肢体"] == 0
    assert y2025["by_village"] == {"金塔村": 2, "空村": 0, "新华村": 0}
    assert y2025["by_grade"] == {"一级": 1, "二级": 0, "三级": 0, "四级": 1}
    assert (y2025["labor_capable"], y2025["dibao_persons"], y2025["medical_insurance_persons"]) == (1, 1, 1)


def test_a_five_year_period_counts_every_change_in_it(town: Database) -> None:
    with town.session() as s:
        figures = summarise(s, year=2025, since=2021)
    assert (figures["since"], figures["year"]) == (2021, 2025)
    moves = (figures["new_registrations"], figures["deaths"], figures["moved_out"])
    assert (figures["registered"], moves) == (2, (2, 1, 1))
    with pytest.raises(InputError, match="起始年份"), town.session() as s:
        summarise(s, year=2021, since=2025)


def test_the_table_reads_in_chinese(town: Database) -> None:
    with town.session() as s:
        table = format_table(summarise(s, year=2025, since=2021))
    assert table.splitlines()[0] == "2021—2025年残疾人工作统计"
    assert re.search(r"在册残疾人\s+2人", table)
    assert re.search(r"临时救助\s+0人，0.00元", table)
    assert re.search(r"金塔村\s+2人", table)


def test_overpayments_of_the_year_against_an_independent_sum(db: Database) -> None:
    """应追回 raised, recovered, written off and still owed: the summary's figures against plain SQL."""
    from sqlalchemy import select, text

    from app.db.models import Overpayment
    from app.domain.months import Month
    from app.services.subsidies import overpayments, payments
    from tests.services.subsidies.builders import paying, person

    today = dt.date.today()
    with db.transaction() as s:
        zhang, wang, zhao = person(s, "张三", 1), person(s, "王五", 3, dibao_class=2), person(s, "赵六", 4)
        for who, programmes in ((zhang, ("nursing",)), (wang, ("nursing", "living")), (zhao, ("nursing",))):
            for programme in programmes:
                paying(s, who.id, programme, Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        status_changes.change_status(s, zhang, "死亡", dt.date(2025, 8, 15), "病故")  # 300 owed
        status_changes.change_status(s, wang, "迁出", dt.date(2025, 9, 30))  # 200 + 200 owed
        status_changes.change_status(s, zhao, "死亡", dt.date(2025, 10, 2))  # 100 owed, then restored: cancelled
        status_changes.change_status(s, zhao, "在册", today, "误报")
        owed = {(r.person_id, r.programme): r.id for r in s.scalars(select(Overpayment))}
        overpayments.recover.in_session(s, owed[(zhang.id, "nursing")], today, 10000, "家属现金退回")
        overpayments.write_off.in_session(s, owed[(wang.id, "living")], today, "经县残联批准")
    with db.session() as s:
        figures = summarise(s, year=today.year)["overpayments"]
        before = summarise(s, year=today.year - 1)["overpayments"]
        raised = s.execute(text("select count(distinct person_id), sum(amount_fen) from overpayment"
                                " where state <> '已撤销'")).one()
        entries = dict(s.execute(text("select e.kind, sum(e.amount_fen) from overpayment_entry e join overpayment o"
                                      " on o.id = e.overpayment_id where o.state <> '已撤销' group by e.kind")).all())
    assert figures == {"persons": raised[0], "amount": f"{raised[1] / 100:.2f}",
                       "recovered": f"{entries['追回'] / 100:.2f}", "written_off": f"{entries['核销'] / 100:.2f}",
                       "outstanding": f"{(raised[1] - entries['追回'] - entries['核销']) / 100:.2f}"}
    assert figures == {"persons": 2, "amount": "700.00", "recovered": "100.00", "written_off": "200.00",
                       "outstanding": "400.00"}
    assert before == {"persons": 0, "amount": "0.00", "recovered": "0.00", "written_off": "0.00", "outstanding": "0.00"}
    with db.session() as s:
        table = format_table(summarise(s, year=today.year)).splitlines()
    assert [line.split() for line in table if line.startswith("两项补贴应追回")] == [
        ["两项补贴应追回", "应追回2人700.00元，已追回100.00元，核销200.00元，未追回400.00元"]]


def test_a_return_to_the_register_is_no_new_registration(town: Database) -> None:
    """新登记 counts a person's first 在册 only: 丙 (registered 2024, moved out 2025-03) back on 2025-09-01
    is not new in 2025. Each year and the five years are checked against the independent count."""
    from sqlalchemy import select

    from app.db.models import Person
    from tests.reports.independent import Span, movements

    with town.transaction() as s:
        back = s.scalars(select(Person).where(Person.name == "丙")).one()
        status_changes.change_status(s, back, "在册", dt.date(2025, 9, 1))
    with town.session() as s:
        found = {(since, year): summarise(s, year=year, since=since)["new_registrations"]
                 for since, year in [(y, y) for y in range(2019, 2027)] + [(2021, 2025), (2024, 2025)]}
    with town.engine.connect() as conn:
        expected = {(since, year): movements(conn, Span(dt.date(since, 1, 1), dt.date(year, 12, 31)))[
            "new_registrations"] for since, year in found}
    assert found == expected
    assert (found[(2024, 2024)], found[(2025, 2025)], found[(2024, 2025)]) == (1, 1, 2)
