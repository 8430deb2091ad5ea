"""节日慰问花名册: by village with 小计 and 合计 in households and yuan, masked IDs, a wide signature column,
a household whose disabled person died after the list was drawn left off with a note, PDF, workbook, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.db.engine import Database
from app.reports import ReportRequest, build_report, write_report
from app.reports.table import Kind, lines
from app.services.register import households, people, status_changes, villages
from app.services.settings import UnitInfo, save_unit_info
from app.services.visits import campaigns, recording
from app.services.visits.criteria import Criteria
from app.services.visits.lines import apply_proposal, line_views
from app.services.visits.lines import totals as visit_totals
from tests.factories import add_person, make_id
from tests.reports.helpers import page_count, pages_text, squeeze

NAME = "2027年春节慰问"


@pytest.fixture
def town(db: Database) -> Database:
    """新华村: 甲 (低保一类); 金塔村: 乙 and 丙 in one 低保 household, 丁 (不能自理, dies after the list)."""
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", office="金塔镇残疾人联合会", clerk="李红梅", head="王志强"))
        add_person(s, "甲", id_number=make_id("19500101", "101"), village="新华村", dibao="一类")
        yi = add_person(s, "乙", id_number=make_id("19500101", "102"), dibao="二类")
        bing = add_person(s, "丙", id_number=make_id("19600101", "103"), grade="一级", category="多重",
                          components="听力+智力")
        households.move_to_household(s, bing, yi.household)
        ding = add_person(s, "丁", id_number=make_id("19400101", "104"), self_care="不能自理")
        campaign = campaigns.create_campaign(s, festival="春节", year=2027, budget="0", standard="300",
                                          goods="米面油", leader="张副镇长")
        apply_proposal(s, campaign, Criteria())
        status_changes.change_status(s, ding, "死亡", dt.date.today(), "病故")
    return db


def _request(tmp_path: Path, suffix: str = ".pdf", **kw: object) -> ReportRequest:
    args: dict[str, object] = {"campaign": NAME, **kw}
    return ReportRequest(kind="visit-roster", out=tmp_path / f"v{suffix}", today=dt.date(2027, 1, 20),
                         **args)  # type: ignore[arg-type]


def test_rows_by_village_with_totals_in_households_and_yuan(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        report = build_report(s, _request(tmp_path))
        table = list(lines(report))
    assert report.title == "金塔镇2027年春节慰问困难残疾人花名册"
    assert table[0].cells == ["序号", "户主/慰问对象", "残疾人", "身份证号", "类别等级", "住址", "慰问金额（元）",
                              "慰问物品", "签字（手印）"]
    data = [line.cells for line in table if line.kind is Kind.DATA]
    assert [line.cells[0] for line in table if line.kind is Kind.HEADING] == ["新华村", "金塔村"]  # register order
    yi, bing = make_id("19500101", "102"), make_id("19600101", "103")
    assert data[1][1:5] == ["乙", "乙\n丙", f"6209**********{yi[-4:]}\n6209**********{bing[-4:]}",
                            "肢体二级\n多重（听力、智力）一级"]  # one line for the household, both named
    assert all("**********" in row[3] for row in data)  # never a whole ID
    assert str(data[0][6]) == "300.00" and data[0][7] == "米面油" and data[0][8] == ""
    assert [row[0] for row in data] == [1, 2]
    subtotal = [line.cells for line in table if line.kind is Kind.SUBTOTAL]
    assert subtotal[0][0] == "新华村小计 1户" and subtotal[1][0] == "金塔村小计 1户"
    total = table[-1].cells
    assert total[0] == "计划合计 2户" and str(total[6]) == "600.00"  # nothing recorded yet: the plan
    assert report.note.startswith("注：本表为慰问计划，尚未登记发放结果，合计为计划发放金额。")
    assert [r for r, _ in report.signers] == ["经办人", "村干部", "带队领导"] and report.signers[2][1] == "张副镇长"
    assert "丁已死亡" in report.note and "未列入本表" in report.note  # never silently on a signing sheet


def test_an_old_roster_reprints_as_it_was_signed(town: Database, tmp_path: Path) -> None:
    """丙 dies after the household was visited with 乙: the reprint still lists both (what was signed)."""
    year = dt.date.today().year - 1
    festival = campaigns.festival_day("春节", year)
    with town.transaction() as s:
        campaign = campaigns.create_campaign(s, festival="春节", year=year, standard="300")
        apply_proposal(s, campaign, Criteria())
        line = next(v for v in line_views(s, campaign) if v.head == "乙")
        recording.record_visit(s, line.id, on=festival - dt.timedelta(days=3))
        bing = next(p for p in line.persons if p.name == "丙")
        person = people.get_person(s, bing.id)
        person.status, person.status_date = "死亡", festival + dt.timedelta(days=40)
        name = campaign.name
    with town.session() as s:
        report = build_report(s, _request(tmp_path, campaign=name))
        data = [line.cells for line in lines(report) if line.kind is Kind.DATA]
    assert [row[2] for row in data] == ["甲", "乙\n丙"]
    assert "丙" not in report.note


def test_one_village_alone(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        village = next(v for v in villages.list_villages(s) if v.name == "新华村")
        report = build_report(s, _request(tmp_path, village_id=village.id))
        table = list(lines(report))
    assert report.title == "金塔镇新华村2027年春节慰问困难残疾人花名册"
    assert [line.cells[1] for line in table if line.kind is Kind.DATA] == ["甲"]
    assert "丁" not in report.note


def test_pdf_reads_like_the_form(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        out = write_report(s, _request(tmp_path))
    assert page_count(out) == 1
    text = squeeze(pages_text(out)[0])
    for expected in ("金塔镇2027年春节慰问困难残疾人花名册", "签字（手印）", "计划合计2户", "600.00", "经办人：李红梅",
                     "村干部：", "带队领导：张副镇长", "第1页共1页", "（盖章）"):
        assert expected in text
    assert make_id("19500101", "101") not in text


def test_workbook_has_the_same_rows(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        out = write_report(s, _request(tmp_path, ".xlsx"))
    rows = [[c for c in row if c not in (None, "")] for row in load_workbook(out).active.iter_rows(values_only=True)]
    flat = [str(c) for row in rows for c in row]
    assert "金塔镇2027年春节慰问困难残疾人花名册" in flat and "计划合计 2户" in flat and "600" in flat


def test_cli_writes_the_roster_and_refuses_an_unknown_campaign(town: Database, db_path: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    town.close()
    out = tmp_path / "roster.pdf"
    assert main(["--db", town.where, "report", "visit-roster", "--campaign", NAME, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out) and out.read_bytes().startswith(b"%PDF")
    assert main(["--db", town.where, "report", "visit-roster", "--campaign", "2099年春节慰问",
                 "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert "没有名为“2099年春节慰问”的慰问" in err and NAME in err
    assert main(["--db", town.where, "report", "visit-roster", "--out", str(tmp_path / "y.pdf")]) == 2
    assert "--campaign" in capsys.readouterr().err


def _recorded_campaign(town: Database) -> str:
    """Last year's round: 乙's household visited and given 300 yuan, 甲 not found at home (nothing given)."""
    year = dt.date.today().year - 1
    festival = campaigns.festival_day("春节", year)
    with town.transaction() as s:
        campaign = campaigns.create_campaign(s, festival="春节", year=year, standard="300")
        apply_proposal(s, campaign, Criteria())  # 丁 died today: not proposed
        by_head = {v.head: v for v in line_views(s, campaign) if v.included}
        assert set(by_head) == {"甲", "乙"}
        recording.record_visit(s, by_head["乙"].id, on=festival)
        recording.record_not_found(s, by_head["甲"].id, on=festival)
        return campaign.name


def test_a_line_not_given_prints_as_such_and_every_total_is_what_was_given(
    town: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """甲 was not found: the reprint says 未发放：未找到 with no amount, and the 实发合计 (PDF, workbook) is the
    300 yuan given to 乙's household, as the summary's `visits` and the screen's total say."""
    name = _recorded_campaign(town)
    with town.session() as s:
        totals = visit_totals(s, campaigns.campaign_named(s, name))
        pdf = write_report(s, _request(tmp_path, campaign=name))
        book = write_report(s, _request(tmp_path, ".xlsx", campaign=name))
    assert (totals.visited, totals.not_found, totals.given_fen) == (1, 1, 30000)
    text = squeeze("".join(pages_text(pdf)))
    assert f"{name}困难残疾人花名册（发放结果）" in text
    assert "未发放：未找到" in text and "实发合计1户300.00" in text and "600.00" not in text
    assert "未找到的1户未发放，不计金额" in text
    rows = list(load_workbook(book).active.iter_rows(values_only=True))
    jia = next(r for r in rows if "甲" in r)
    assert "未发放：未找到" in jia and not any(isinstance(c, (int, float)) and c > 1 for c in jia[1:])
    total = next(r for r in rows if r[0] == "实发合计 1户")
    assert 300 in total and 600 not in total
    town.close()
    assert main(["--db", town.where, "summary", "--year", name[:4], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["visits"] == {"households": 1, "amount": "300.00"}
