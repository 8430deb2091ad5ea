from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.db.engine import Database
from app.errors import InputError
from app.reports import KINDS, ReportRequest, build_report, write_report
from app.reports.table import lines
from app.services.register import people, status_changes, villages
from app.services.settings import UnitInfo, save_unit_info
from tests.factories import add_person, make_id
from tests.reports.helpers import page_count, pages_text, squeeze

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def town(db: Database) -> Database:
    """Two villages (红光村 registered first, so it prints first), groups 2组 and 10组, one person dead."""
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", clerk="王芳", reviewer="李建国", head="赵志强"))
        add_person(s, "赵六", id_number=make_id("19600101", "111"), village="红光村", group="10组",
                   address="红光村10组8号", phone="13900000001")
        add_person(s, "钱七", id_number=make_id("19700101", "112"), village="红光村", group="2组", dibao="二类")
        add_person(s, "张三", id_number=make_id("19800101", "123"), village="金塔村", group="1组",
                   category="多重", components="肢体,智力")
        add_person(s, "阿明", id_number=make_id("19900101", "133"), village="金塔村", group="1组")
        gone = add_person(s, "孙死", id_number=make_id("19500101", "135"), village="金塔村", group="1组")
        status_changes.change_status(s, gone, "死亡", dt.date.today(), "病故")
    return db


def _table(db: Database, **kwargs: object) -> list[list[object]]:
    with db.session() as s:
        report = build_report(s, ReportRequest("registry", Path("x.pdf"), today=TODAY, **kwargs))  # type: ignore[arg-type]
        return [[ln.kind.value, *ln.cells] for ln in lines(report)]


def test_register_is_printed_by_village_then_group_then_pinyin(town: Database) -> None:
    rows = _table(town)
    assert rows[0][1:] == ["序号", "姓名", "性别", "年龄", "身份证号", "类别", "等级", "低保", "组", "住址", "联系电话",
                           "备注"]
    order = [r[1] if r[0] != "data" else r[2] for r in rows[1:]]
    assert order == ["红光村", "钱七", "赵六", "红光村小计 2人", "金塔村", "阿明", "张三", "金塔村小计 2人", "合计 4人"]
    zhao = next(r for r in rows if r[2] == "赵六")
    assert zhao[1:] == [2, "赵六", "男", 66, make_id("19600101", "111"), "肢体", "二级", "", "10组", "红光村10组8号",
                        "13900000001", ""]
    assert next(r for r in rows if r[2] == "钱七")[8] == "二类"
    zhang = next(r for r in rows if r[2] == "张三")
    assert zhang[6] == "多重（肢体、智力）"


def test_ids_are_full_by_default_and_masked_on_request(town: Database) -> None:
    full = make_id("19600101", "111")
    assert any(r[5] == full for r in _table(town) if r[0] == "data")
    masked = [r[5] for r in _table(town, mask_ids=True) if r[0] == "data"]
    assert masked[1] == full[:4] + "*" * 10 + full[-4:]
    with town.session() as s:
        report = build_report(s, ReportRequest("registry", Path("x.pdf"), mask_ids=True))
    assert "隐去" in report.note


def test_the_current_filter_prints_only_those_persons(town: Database) -> None:
    with town.session() as s:
        zhang = people.find_person(s, make_id("19800101", "123"))
        hongguang = next(v for v in villages.list_villages(s) if v.name == "红光村")
        assert zhang is not None
        chosen, village = [zhang.id], hongguang.id
    names = [r[2] for r in _table(town, person_ids=chosen) if r[0] == "data"]
    assert names == ["张三"]
    names = [r[2] for r in _table(town, village_id=village) if r[0] == "data"]
    assert names == ["钱七", "赵六"]
    with town.session() as s:
        report = build_report(s, ReportRequest("registry", Path("x.pdf"), village_id=village))
        assert report.title == "金塔镇红光村残疾人花名册"


def test_registry_pdf_shows_the_town_the_signers_and_page_numbers(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        out = write_report(s, ReportRequest("registry", tmp_path / "花名册.pdf", today=TODAY))
    assert out == tmp_path / "花名册.pdf" and page_count(out) == 1
    text = squeeze(pages_text(out)[0])
    assert "金塔镇残疾人花名册" in text and "单位：金塔镇残疾人联合会" in text and "日期：2026年11月29日" in text
    assert "经办人：王芳" in text and "审核人：李建国" in text and "负责人：赵志强" in text
    assert make_id("19600101", "111") in text and "合计4人" in text and "第1页共1页" in text
    assert "孙死" not in text


def test_registry_workbook_round_trips(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        out = write_report(s, ReportRequest("registry", tmp_path / "花名册.xlsx", today=TODAY))
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[3]][:5] == ["序号", "姓名", "性别", "年龄", "身份证号"]
    zhao = next(row for row in ws.iter_rows(min_row=4, values_only=True) if row[1] == "赵六")
    assert zhao[4] == make_id("19600101", "111") and zhao[10] == "13900000001"


def test_unknown_and_unwritten_kinds_and_bad_file_names_are_refused(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        with pytest.raises(InputError, match="registry、subsidy-roster、visit-roster、equipment、yearly"):
            write_report(s, ReportRequest("roster", tmp_path / "x.pdf"))
        with pytest.raises(InputError, match="不存在"):
            write_report(s, ReportRequest("subsidy-roster", tmp_path / "x.pdf", month="2026-13"))
        with pytest.raises(InputError, match=r"\.pdf 或 \.xlsx"):
            write_report(s, ReportRequest("registry", tmp_path / "x.doc"))
        with pytest.raises(InputError, match="不存在"):
            write_report(s, ReportRequest("registry", tmp_path / "no" / "x.pdf"))
    assert set(KINDS) == {"registry", "subsidy-roster", "visit-roster", "equipment", "yearly", "overpayment",
                          "county"}
    assert not list(tmp_path.glob("x.*"))


def test_cli_report_prints_the_path(town: Database, db_path: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    town.close()
    out = tmp_path / "reg.pdf"
    assert main(["--db", str(db_path), "report", "registry", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_report_for_a_month_that_does_not_exist_exits_2_with_one_line(town: Database, db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    town.close()
    out = tmp_path / "s.pdf"
    assert main(["--db", str(db_path), "report", "subsidy-roster", "--out", str(out), "--month", "2026-13"]) == 2
    err = capsys.readouterr().err.strip()
    assert "不存在" in err and "\n" not in err
    assert not out.exists()


def test_a_village_going_over_a_page_continues_on_the_next(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        given = "明华强军芳英兰梅"
        for i in range(40):
            add_person(s, f"李{given[i % 8]}{given[i // 8]}", id_number=make_id("19800101", f"{i * 2 + 101:03d}"),
                       village="金塔村", group=f"{i % 3 + 1}组")
    with db.session() as s:
        out = write_report(s, ReportRequest("registry", tmp_path / "r.pdf", today=TODAY))
    texts = [squeeze(t) for t in pages_text(out)]
    assert len(texts) == page_count(out) >= 2
    assert "金塔村（续）" in texts[1] and "合计40人" in texts[-1]
    assert all(f"第{n}页共{len(texts)}页" in t for n, t in enumerate(texts, start=1))
    assert all("身份证号" in t for t in texts)
