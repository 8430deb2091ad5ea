from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.reports.engine import BODY_SIZE, render_pdf, render_xlsx
from app.reports.fonts import FONT, break_lines, register_font, text_width
from app.reports.table import Column, Kind, Section, TableReport, lines
from tests.reports.helpers import page_count, pages_text, squeeze

COLUMNS = [
    Column("姓名", 20),
    Column("身份证号", 40, wrap=False, text=True),
    Column("住址", 60, align="LEFT"),
    Column("金额", 20, align="RIGHT", total=True),
]


def _report(rows: int, **kwargs: object) -> TableReport:
    def stream():  # type: ignore[no-untyped-def]
        for i in range(rows):
            if i % 50 == 0:
                yield Section(f"第{i // 50 + 1}村")
            yield (f"张{i}", f"62092119800101{i:04d}", "金塔镇金塔村三组" * (1 + i % 3), Decimal("100.50"))

    fields: dict[str, object] = {"title": "金塔镇测试花名册", "unit": "金塔镇残疾人联合会",
                                 "date_text": "2026年11月29日", "columns": COLUMNS, "rows": stream()}
    fields.update(kwargs)
    return TableReport(**fields)  # type: ignore[arg-type]


def test_lines_number_rows_and_add_subtotals_and_total() -> None:
    got = list(lines(_report(120)))
    assert got[0].kind is Kind.HEADER and got[0].cells == ["序号", "姓名", "身份证号", "住址", "金额"]
    data = [ln for ln in got if ln.kind is Kind.DATA]
    assert [ln.cells[0] for ln in data] == list(range(1, 121))
    subtotals = [ln.cells for ln in got if ln.kind is Kind.SUBTOTAL]
    assert subtotals[0][0] == "第1村小计 50人" and subtotals[0][-1] == Decimal("5025.00")
    assert subtotals[-1][0] == "第3村小计 20人"
    assert got[-1].kind is Kind.TOTAL and got[-1].cells[0] == "合计 120人"
    assert got[-1].cells[-1] == Decimal("12060.00")


def test_signature_column_comes_last_and_empty() -> None:
    got = list(lines(_report(3, signature_column="签字（手印）")))
    assert got[0].cells[-1] == "签字（手印）"
    assert all(ln.cells[-1] == "" for ln in got if ln.kind is Kind.DATA)


def test_long_text_breaks_within_the_width_and_keeps_house_numbers_whole() -> None:
    register_font()
    width = text_width("金塔镇金塔村", BODY_SIZE)
    parts = break_lines("金塔镇金塔村三组128号院（靠近村委会），东侧", width, BODY_SIZE)
    assert "".join(parts) == "金塔镇金塔村三组128号院（靠近村委会），东侧"
    assert all(text_width(p, BODY_SIZE) <= width + text_width("，", BODY_SIZE) for p in parts)
    assert not any(p.startswith(("，", "）")) or p.endswith("（") for p in parts)
    assert any("128" in p for p in parts)


def test_a_very_long_cell_is_cut_with_an_ellipsis() -> None:
    register_font()
    parts = break_lines("很长的备注" * 200, 50, BODY_SIZE)
    assert len(parts) == 8 and parts[-1].endswith("…")


def test_pdf_embeds_the_chinese_font_with_a_unicode_map(tmp_path: Path) -> None:
    out = render_pdf(_report(10), tmp_path / "r.pdf")
    data = out.read_bytes()
    assert b"/FontFile2" in data and b"/ToUnicode" in data
    assert b"WenQuanYi" in data
    assert b"STSong" not in data and b"Helvetica" not in data
    assert FONT == "WQY"
    assert not list(tmp_path.glob(".*part"))


def test_every_page_has_the_header_and_its_number_of_the_total(tmp_path: Path) -> None:
    out = render_pdf(_report(150), tmp_path / "r.pdf")
    total = page_count(out)
    assert total > 3
    texts = [squeeze(t) for t in pages_text(out)]
    assert len(texts) == total
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{total}页" in text
        assert "序号姓名身份证号住址金额" in text
    assert "金塔镇测试花名册" in texts[0] and "单位：金塔镇残疾人联合会" in texts[0]
    assert "金塔镇测试花名册（续）" in texts[1]
    assert "合计150人" in texts[-1] and "15075.00" in texts[-1]
    assert "经办人：" in texts[-1] and "负责人：" in texts[-1] and "（盖章）" in texts[-1]


def test_a_section_that_goes_over_a_page_is_marked_continued(tmp_path: Path) -> None:
    out = render_pdf(_report(49), tmp_path / "r.pdf")
    texts = [squeeze(t) for t in pages_text(out)]
    assert len(texts) > 1
    assert "第1村（续）" in texts[1]


def test_portrait_and_an_empty_report_still_print_the_frame(tmp_path: Path) -> None:
    out = render_pdf(_report(0, landscape=False), tmp_path / "r.pdf")
    assert page_count(out) == 1
    text = squeeze(pages_text(out)[0])
    assert "合计0人" in text and "第1页共1页" in text


def test_workbook_has_the_same_table_with_ids_as_text_and_print_setup(tmp_path: Path) -> None:
    out = render_xlsx(_report(60, signature_column="签字（手印）"), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "金塔镇测试花名册"
    assert [c.value for c in ws[3]] == ["序号", "姓名", "身份证号", "住址", "金额", "签字（手印）"]
    assert ws["A4"].value == "第1村"
    assert ws["A5"].value == 1 and ws["C5"].value == "620921198001010000"
    assert ws["C5"].number_format == "@"
    assert ws["E5"].value == 100.5
    values = [row[0] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert "第1村小计 50人" in values and "合计 60人" in values
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert not list(tmp_path.glob(".*part"))


def test_an_id_in_a_narrow_column_shrinks_rather_than_breaks(tmp_path: Path) -> None:
    narrow = [Column("姓名", 20), Column("身份证号", 17, wrap=False, text=True), Column("住址", 60)]
    report = TableReport("窄列", "单位", "2026年1月1日", narrow, iter([("张三", "62092119800101123X", "金塔村")]),
                         landscape=False)
    text = squeeze(pages_text(render_pdf(report, tmp_path / "r.pdf"))[0])
    assert "62092119800101123X" in text


def test_progress_hears_of_every_page(tmp_path: Path) -> None:
    seen: list[int] = []
    out = render_pdf(_report(150), tmp_path / "r.pdf", progress=seen.append)
    assert seen == list(range(1, page_count(out) + 1))


def test_the_totals_and_the_signers_never_stand_alone_on_the_last_page() -> None:
    from app.reports.engine import _Layout, _paginate

    register_font()
    alone = []
    for rows in range(1, 130):
        report = _report(rows, signers=[("经办人", ""), ("审核人", ""), ("负责人", "")], note="说明：测试。")
        pages = list(_paginate(_Layout(report), lines(report)))
        if len(pages) > 1 and not any(r.kind is Kind.DATA for r in pages[-1].rows):
            alone.append(rows)
        assert sum(r.kind is Kind.DATA for p in pages for r in p.rows) == rows  # nothing lost or doubled
    assert alone == []


def test_a_long_note_is_broken_over_lines_within_the_page(tmp_path: Path) -> None:
    note = "说明：" + "困难残疾人生活补贴61人4450.00元；" * 4 + "\n无银行账号的18人次现金发放，须本人签字并按手印。"
    out = render_pdf(_report(3, note=note), tmp_path / "r.pdf")
    text = squeeze(pages_text(out)[-1])
    assert "困难残疾人生活补贴61人4450.00元；" * 4 in text
    assert "无银行账号的18人次现金发放，须本人签字并按手印。" in text


def _villages(sizes: list[int], **kwargs: object) -> TableReport:
    def stream():  # type: ignore[no-untyped-def]
        for v, size in enumerate(sizes, start=1):
            yield Section(f"第{v}村")
            for i in range(size):
                yield (f"张{i}", f"62092119800101{i:04d}", "金塔镇金塔村三组", Decimal("100.00"))

    return TableReport(title="金塔镇测试花名册", unit="金塔镇残疾人联合会", date_text="2026年11月29日",
                       columns=COLUMNS, rows=stream(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("signature", [None, "签字（手印）"])
def test_a_page_never_ends_on_a_village_heading_nor_starts_a_village_again_without_its_rows(
        tmp_path: Path, signature: str | None) -> None:
    """Whatever the sizes of the villages: under "第N村（续）" there is a person's row, never the 小计 alone,
    and a page never ends with a village's heading whose rows are all on the next page."""
    for first in range(1, 40):
        out = render_pdf(_villages([first, 2, 25, 1], signature_column=signature), tmp_path / f"r{first}.pdf")
        for number, text in enumerate(pages_text(out), start=1):
            rows = [line.split() for line in text.splitlines() if line.strip()]
            table = [r for r in rows if r[0] != "第" and not r[0].startswith(("金塔镇测试花名册", "单位", "经办人"))]
            for i, row in enumerate(table):
                if re.fullmatch(r"第\d村（续）", row[0]):
                    assert i + 1 < len(table) and table[i + 1][0].isdigit(), (first, number, table[i:i + 2])
            body = [r for r in table if r[0] != "序号"]
            assert not re.fullmatch(r"第\d村", body[-1][0]), (first, number, "heading last")


@pytest.mark.parametrize("was_on", [True, False])
def test_automatic_collection_pauses_while_printing_and_comes_back_as_it_was(tmp_path: Path, was_on: bool) -> None:
    import gc

    seen: list[bool] = []
    (gc.enable if was_on else gc.disable)()
    try:
        render_pdf(_report(120), tmp_path / "x.pdf", progress=lambda _: seen.append(gc.isenabled()))
        after = gc.isenabled()
    finally:
        gc.enable()
    assert seen and not any(seen)  # a county register's millions of cells are never walked by the collector
    assert after is was_on  # the window's own collector (ui/collector.py) keeps it off; the command line on
