"""The yearly summary: the PDF, the workbook and `canlian summary --json` agree with each other and with
counts this test makes itself with plain SQL on the test database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Date, bindparam, text

from app.cli import main
from app.db.engine import Database
from app.db.models import SubsidyPayment
from app.reports import ReportRequest, build_report, write_report
from app.reports.yearly_figures import all_figures, gather
from app.services.register import people, status_changes
from app.services.settings import UnitInfo, save_unit_info
from tests.factories import make_id
from tests.reports.helpers import page_count, pages_text, squeeze

YEAR = 2025


@pytest.fixture
def town(db: Database) -> Database:
    """Seven persons over 2023-2025 in two villages, two deaths and a move, and subsidy payments."""
    roster = [  # name, category, grade, village, registered, labour, 低保, insured
        ("甲", "视力", "一级", "金塔村", dt.date(2020, 3, 1), "有", "一类", "是"),
        ("乙", "肢体", "二级", "金塔村", dt.date(2021, 5, 1), "无", "", "是"),
        ("丙", "肢体", "三级", "新华村", dt.date(2024, 2, 1), "有", "二类", "否"),
        ("丁", "精神", "四级", "新华村", dt.date(2025, 7, 1), "部分", "三类", "是"),
        ("戊", "听力", "二级", "金塔村", dt.date(2025, 8, 1), "有", "", "是"),
        ("己", "智力", "一级", "新华村", dt.date(2019, 1, 1), "无", "一类", "是"),
        ("庚", "肢体", "四级", "金塔村", dt.date(2018, 1, 1), "有", "", "否"),
    ]
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", office="金塔镇残疾人联合会"))
        persons = {}
        for n, (name, category, grade, village, on, labour, dibao, insured) in enumerate(roster):
            raw = {"name": name, "id_number": make_id(seq=f"{n + 1:03d}"), "category": category, "grade": grade,
                   "village": village, "labor_ability": labour, "medical_insurance": insured, "dibao": dibao}
            persons[name] = people.save_checked(s, raw, on=on).person
        status_changes.change_status(s, persons["己"], "死亡", dt.date(2025, 4, 1))
        status_changes.change_status(s, persons["庚"], "迁出", dt.date(2024, 9, 1))
        status_changes.change_status(s, persons["乙"], "死亡", dt.date(2023, 6, 1))
        for month in range(1, 13):
            s.add(SubsidyPayment(person_id=persons["甲"].id, programme="living", month=dt.date(YEAR, month, 1),
                                 amount_fen=10000))
            s.add(SubsidyPayment(person_id=persons["甲"].id, programme="nursing", month=dt.date(YEAR, month, 1),
                                 amount_fen=5050))
        s.add(SubsidyPayment(person_id=persons["丙"].id, programme="living", month=dt.date(YEAR - 1, 12, 1),
                             amount_fen=10000))
    return db


def _sql_counts(town: Database, end: dt.date, start: dt.date) -> dict[str, Any]:
    """The register figures, counted here with plain SQL (on either store), not by the program."""
    status = ("(select status from status_change c where c.person_id = p.id and c.date <= :end "
              "order by c.date desc, c.id desc limit 1)")
    with town.engine.connect() as conn:
        def one(sql: str) -> int:
            dates = [bindparam(name, type_=Date) for name in ("end", "start") if f":{name}" in sql]
            statement = text(sql).bindparams(*dates)
            return int(conn.execute(statement, {"end": end, "start": start}).scalar_one())

        on = f"from person p left join household h on h.id = p.household_id where {status} = '在册'"
        counts = {
            "registered": one(f"select count(*) {on}"),
            "labor_capable": one(f"select count(*) {on} and p.labor_ability = '有'"),
            "dibao_persons": one(f"select count(*) {on} and h.dibao"),
            "medical_insurance_persons": one(f"select count(*) {on} and p.medical_insurance"),
            "deaths": one("select count(*) from status_change where status = '死亡' and date between :start and :end"),
            "moved_out": one("select count(*) from status_change where status = '迁出'"
                             " and date between :start and :end"),
            "limbs": one(f"select count(*) {on} and p.category = 4"),
            "jinta": one(f"select count(*) {on} and p.village_id = (select id from village where name = '金塔村')"),
            "living_fen": one("select coalesce(sum(amount_fen), 0) from subsidy_payment where programme = 'living' "
                              "and month between :start and :end"),
        }
    return counts


def _json(db_path: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["--db", str(db_path), "summary", "--year", str(YEAR), "--json", *extra]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def _printed(value: int | Decimal, money: bool) -> str:
    return f"{value:,.2f}" if money else str(value)


@pytest.mark.parametrize("since", [None, YEAR - 2])
def test_pdf_workbook_and_json_agree_with_the_database(
    town: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], since: int | None
) -> None:
    town.close()  # the command line opens the database itself
    db_path = town.where
    extra = ["--since", str(since)] if since else []
    figures = _json(db_path, capsys, *extra)
    start = dt.date(since or YEAR, 1, 1)
    sql = _sql_counts(town, dt.date(YEAR, 12, 31), start)
    for key in ("registered", "labor_capable", "dibao_persons", "medical_insurance_persons", "deaths", "moved_out"):
        assert figures[key] == sql[key], key
    assert figures["by_category"]["肢体"] == sql["limbs"] and figures["by_village"]["金塔村"] == sql["jinta"]
    assert (figures["registered"], figures["deaths"]) == ((4, 1) if since is None else (4, 2))

    pdf, book = tmp_path / "年度统计.pdf", tmp_path / "年度统计.xlsx"
    for out in (pdf, book):
        assert main(["--db", str(db_path), "report", "yearly", "--year", str(YEAR), *extra, "--out", str(out)]) == 0
    capsys.readouterr()

    sheet = load_workbook(book)["汇总"]
    by_label = {str(r[0]).split("：", 1)[1]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True)
                if r[1] is not None}  # the notes under the table have one cell
    text = squeeze("".join(pages_text(pdf)))
    period = f"{YEAR}年" if since is None else f"{since}—{YEAR}年"
    assert f"金塔镇残疾人工作统计（{period}）" in text and page_count(pdf) >= 3
    for figure in all_figures():
        current = by_label[f"{figure.label}（{figure.unit}）"][0]
        if figure.label == "困难残疾人生活补贴金额":
            assert current == Decimal(sql["living_fen"]) / 100
        elif figure.label != "重度残疾人护理补贴金额":
            assert current == figure.read(figures), figure.label
        assert f"{figure.label}（{figure.unit}）{_printed(current, figure.money)}" in text, figure.label
    assert "工作报告参考文字" in text
    assert f"全镇注册登记残疾人{sql['registered']}人，其中有劳动能力的残疾人{sql['labor_capable']}人" in text
    assert f"纳入最低生活保障的残疾人{sql['dibao_persons']}人" in text


def test_the_previous_period_and_the_change(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        report = build_report(s, ReportRequest("yearly", tmp_path / "x.pdf", year=YEAR))
        rows = {r[0]: r[1:] for r in report.rows if isinstance(r, list)}
    assert rows["注册登记残疾人（人）"] == ["4", "3", "+1"]  # end of 2024: 甲 丙 己; end of 2025: 甲 丙 丁 戊
    assert rows["死亡（人）"] == ["1", "0", "+1"]
    assert rows["迁出（人）"] == ["0", "1", "-1"]
    # 2024 confirmed December only: twelve months against one is no comparison (like for like, or "—")
    assert rows["困难残疾人生活补贴金额（元）"] == ["1,200.00", "—", "—"]
    assert rows["重度残疾人护理补贴金额（元）"] == ["606.00", "—", "—"]
    assert "两项补贴按确认发放的月份统计：本期2025年1—12月；上期2024年1—11月没有发放记录，不作比较。" in report.note


def test_every_summary_key_is_printed(town: Database, tmp_path: Path) -> None:
    """The sections cover every key of the summary, so figures added by later modules are printed."""
    from app.services.summary.figures import Period, empty_figures

    readable = {**empty_figures(Period(YEAR, YEAR)), "programme_amounts": {"living": "0", "nursing": "0"}}
    used: set[str] = set()

    class Watch(dict[str, Any]):
        def __getitem__(self, key: str) -> Any:
            used.add(key)
            return super().__getitem__(key)

    for figure in all_figures():
        figure.read(Watch(readable))
    skipped = {"year", "since", "by_category", "by_grade", "by_village"}  # the period; the tables below
    assert set(readable) - {"programme_amounts"} - skipped <= used


def test_a_year_with_nothing_still_prints(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        out = write_report(s, ReportRequest("yearly", tmp_path / "空.pdf", year=YEAR))
        book = write_report(s, ReportRequest("yearly", tmp_path / "空.xlsx", year=YEAR))
    assert page_count(out) >= 2 and book.exists()
    assert "全镇注册登记残疾人0人" in squeeze("".join(pages_text(out)))


def test_the_demo_town_reads_like_the_seed_report(db: Database) -> None:
    """`canlian demo` then the five-year summary: the sentences quote the seed report's figures
    (345 registered, 120 able to work, 130余 in 低保, 100余 on the two subsidies, 40余 relieved and 20余
    households visited a year, 340余 insured, 17 in rehabilitation and 30多 aids a year, 24 medicine cards
    and 7 students at 500 yuan, 35 houses for about 60余万元)."""
    import re

    from app.demo import fill_demo
    from app.reports.yearly_figures import gather
    from app.reports.yearly_text import sentences

    last = dt.date.today().year - 1
    with db.transaction() as s:
        fill_demo(s, year=last)
    with db.session() as s:
        text = "".join(sentences(gather(s, year=last, since=last - 4)))
    expected = (
        r"全镇注册登记残疾人345人，其中有劳动能力的残疾人120人", r"纳入最低生活保障的残疾人13\d人",
        r"享受残疾人“两补”（生活补贴、护理补贴）的1[01]\d人",
        r"五年来平均每年对40余名残疾人给予临时救助（共4\d人、\d+(\.\d+)?万元）",
        r"全镇34\d名残疾人参加城乡居民医保", r"平均每年春节慰问困难残疾家庭20余?户",
        r"有35户残疾人家庭列为危房改造补助对象，投入资金6\d(\.\d+)?万元", r"平均每年为17名残疾人开展康复训练",
        r"平均每年配发辅助器具30余?件",
        r"平均每年对24名精神残疾人发放精神残疾药物补助，人均每年500元",
        r"平均每年对7名残疾学生发放教育补助，人均每年500元",
    )
    missing = [pattern for pattern in expected if not re.search(pattern, text)]
    assert not missing, text


def _rows(db: Database, year: int, since: int | None = None, today: dt.date | None = None) -> dict[str, list[str]]:
    from app.reports.yearly_figures import gather
    from app.reports.yearly_rows import summary_rows

    with db.session() as s:
        figures = gather(s, year=year, since=since, today=today)
    return {row[0]: row[1:] for _, row in summary_rows(figures)}


def test_an_earlier_period_without_records_is_not_compared(town: Database, tmp_path: Path) -> None:
    """2016-2020 has registrations but no deaths, payments, ledger, campaigns or stock: "—", not "+2"."""
    rows = _rows(town, YEAR, since=YEAR - 4)
    assert rows["注册登记残疾人（人）"] == ["4", "3", "+1"]  # 甲, 己, 庚 were on the register at the end of 2020
    assert rows["死亡（人）"] == ["2", "—", "—"]
    assert rows["迁出（人）"] == ["1", "—", "—"]
    assert rows["两项补贴合计金额（元）"] == ["1,906.00", "—", "—"]
    assert rows["临时救助人数（人）"] == ["0", "—", "—"] and rows["节日慰问户数（户）"] == ["0", "—", "—"]
    single = _rows(town, YEAR - 1)  # 2023 had a death but no payments
    assert single["死亡（人）"] == ["0", "1", "-1"]
    assert single["两项补贴合计金额（元）"] == ["100.00", "—", "—"]
    with town.session() as s:
        out = write_report(s, ReportRequest("yearly", tmp_path / "y.pdf", year=YEAR, since=YEAR - 4,
                                            today=dt.date(YEAR + 1, 3, 1)))
    text = squeeze("".join(pages_text(out)))
    assert "上期无记录的项目不作比较" in text and "死亡（人）2——" in text


def test_a_year_not_over_is_counted_to_today_and_compared_with_the_same_days_a_year_back(
    town: Database, tmp_path: Path
) -> None:
    from app.services.subsidies import relief_ledger
    from app.services.summary.figures import summarise

    today = dt.date(YEAR, 6, 30)
    with town.transaction() as s:
        bing = s.query(SubsidyPayment).filter_by(month=dt.date(YEAR - 1, 12, 1)).one().person_id
        for month in range(1, 12):
            s.add(SubsidyPayment(person_id=bing, programme="living", month=dt.date(YEAR - 1, month, 1),
                                 amount_fen=10000))
        relief_ledger.record_relief.in_session(s, "康复训练", person_id=bing, on=dt.date(YEAR, 3, 1),
                                               item="酒泉市康复医院")
    with town.session() as s:
        assert summarise(s, year=YEAR, until=today)["registered"] == 2  # 己 died in April, 丁 and 戊 came later
        assert summarise(s, year=YEAR)["registered"] == 4
    rows = _rows(town, YEAR, today=today)
    assert rows["注册登记残疾人（人）"] == ["2", "4", "-2"]  # 30 June against 30 June
    assert rows["困难残疾人生活补贴金额（元）"] == ["600.00", "600.00", "0"]  # January-June both years, not 1,200
    with town.session() as s:
        out = write_report(s, ReportRequest("yearly", tmp_path / "y.pdf", year=YEAR, today=today))
    text = squeeze("".join(pages_text(out)))
    for expected in ("（本年度尚未结束，数字截至打印当日）", "上年同期", "2024年1月1日—6月30日",
                     "截至2025年6月30日在册", "截至2025年6月30日，全镇注册登记残疾人2人",
                     "为1名肢体残疾人开展康复训练"):  # 丙 is 45
        assert expected in text, expected
    assert "全年" not in text.split("工作报告参考文字")[1] and "2025年末" not in text


def test_a_year_not_over_compares_the_same_confirmed_months_of_both_years(db: Database, tmp_path: Path) -> None:
    """29 November: ten months confirmed this year at 110 yuan, eleven last year at 100. Like for like is
    January-October of both years: +100 yuan, not 1,100 - 1,100 = 0 (or -7,650 in the demo town), and the
    report says which months it compared."""
    today = dt.date(YEAR, 11, 29)
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", office="金塔镇残疾人联合会"))
        jia = people.save_checked(s, {"name": "甲", "id_number": make_id(seq="011"), "category": "肢体",
                                        "grade": "一级", "village": "金塔村"}, on=dt.date(YEAR - 3, 1, 1)).person
        for month in range(1, 12):
            s.add(SubsidyPayment(person_id=jia.id, programme="living", month=dt.date(YEAR - 1, month, 1),
                                 amount_fen=10000))
        for month in range(1, 11):
            s.add(SubsidyPayment(person_id=jia.id, programme="living", month=dt.date(YEAR, month, 1),
                                 amount_fen=11000))
    rows = _rows(db, YEAR, today=today)
    assert rows["困难残疾人生活补贴金额（元）"] == ["1,100.00", "1,000.00", "+100.00"]
    assert rows["两项补贴合计金额（元）"] == ["1,100.00", "1,000.00", "+100.00"]
    assert rows["两项补贴合计人数（人）"] == ["1", "1", "0"]
    months = (f"两项补贴按确认发放的月份统计：本期{YEAR}年1—10月（{YEAR}年11月尚未确认发放），"
              f"上年同期为同样的月份{YEAR - 1}年1—10月。")
    with db.session() as s:
        pdf = write_report(s, ReportRequest("yearly", tmp_path / "y.pdf", year=YEAR, today=today))
        book = write_report(s, ReportRequest("yearly", tmp_path / "y.xlsx", year=YEAR, today=today))
    text = squeeze("".join(pages_text(pdf)))
    assert "两项补贴合计金额（元）1,100.001,000.00+100.00" in text and months in text
    assert f"{YEAR}年1—10月发放补贴资金1100元" in text  # the sentence names the months too
    sheet = load_workbook(book)["汇总"]
    cells = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert ("两项补贴：两项补贴合计金额（元）", Decimal("1100.00"), Decimal("1000.00"), Decimal("100.00")) in [
        tuple(Decimal(str(c)) if isinstance(c, (int, float)) else c for c in row) for row in cells]
    assert any(row[0] == months for row in cells)
    with db.session() as s:  # last year: December never confirmed, and nothing paid the year before
        last = gather(s, year=YEAR - 1)
    assert last.unpaid_months == [dt.date(YEAR - 1, 12, 1)]
    assert _rows(db, YEAR - 1)["两项补贴合计金额（元）"] == ["1,100.00", "—", "—"]


def test_the_years_overpayments_are_in_the_report(town: Database, tmp_path: Path) -> None:
    """甲's death dated 2025-08-15, recorded now after September-December 2025 were paid: 应追回 in this year's
    figures, as the summary counts it and as plain SQL sums it."""
    from sqlalchemy import text

    from app.reports.yearly_figures import gather
    from app.reports.yearly_rows import summary_rows

    today = dt.date.today()
    with town.transaction() as s:
        jia = s.scalars(select_person("甲")).one()
        status_changes.change_status(s, jia, "死亡", dt.date(2025, 8, 15), "病故")
    with town.session() as s:
        rows = {row[0]: row[1] for _section, row in summary_rows(gather(s, year=today.year, today=today))}
        owed = s.execute(text("select sum(amount_fen) from overpayment")).scalar()
    assert owed == 4 * (10000 + 5050)
    assert rows["两项补贴应追回人数（人）"] == "1" and rows["两项补贴应追回金额（元）"] == "602.00"
    assert rows["两项补贴未追回金额（元）"] == "602.00" and rows["两项补贴已追回金额（元）"] == "0.00"
    with town.session() as s:
        out = write_report(s, ReportRequest("yearly", tmp_path / "y.pdf", year=today.year, today=today))
    assert "两项补贴应追回金额（元）602.00" in squeeze("".join(pages_text(out)))


def select_person(name: str) -> Any:
    from sqlalchemy import select

    from app.db.models import Person

    return select(Person).where(Person.name == name)
