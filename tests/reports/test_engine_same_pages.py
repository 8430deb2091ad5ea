"""The engine draws the ruled table straight on the canvas (issue 15: a county register in seconds); the
pages must show exactly what the platypus engine before it showed. Every form of the demo town, and tables
built to reach the engine's corners (shrunk IDs, cells cut at eight lines, a draft's mark, upright paper, a
receipt's sign box), are printed with both: the same number of pages, the same text on each page, and
pictures of each page that differ nowhere by more than the width of a ruled line."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database, open_database
from app.db.models import DeviceReceipt
from app.reports import ReportRequest, build_report
from app.reports.device_receipt import build_receipt
from app.reports.engine import render_pdf
from app.reports.stock_sheet import build_stock_sheet
from app.reports.table import Column, Section, TableReport, Uncounted
from tests.reports import platypus_engine
from tests.reports.helpers import page_count, pages_text

TODAY = dt.date.today()
YEAR = TODAY.year
FORMS: dict[str, Callable[[Session], TableReport]] = {
    "registry": lambda s: build_report(s, ReportRequest("registry", Path("x.pdf"), today=TODAY)),
    "registry-masked": lambda s: build_report(s, ReportRequest("registry", Path("x.pdf"), mask_ids=True,
                                                               today=TODAY)),
    "subsidy-roster": lambda s: build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"),
                                                              month=f"{YEAR}-06", today=TODAY)),
    "subsidy-roster-draft": lambda s: build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"),
                                                                    month=f"{YEAR}-12", today=TODAY)),
    "visit-roster": lambda s: build_report(s, ReportRequest("visit-roster", Path("x.pdf"),
                                                            campaign=f"{YEAR}年春节慰问", today=TODAY)),
    "equipment": lambda s: build_report(s, ReportRequest("equipment", Path("x.pdf"), year=YEAR, today=TODAY)),
    "overpayment": lambda s: build_report(s, ReportRequest("overpayment", Path("x.pdf"), today=TODAY)),
    "receipt": lambda s: build_receipt(s, s.scalars(select(DeviceReceipt.id).order_by(DeviceReceipt.id)).first() or 0),
    "stock": lambda s: build_stock_sheet(s, YEAR, TODAY),
}


def _corner_cases() -> dict[str, TableReport]:
    columns = [Column("姓名", 20), Column("身份证号", 40, wrap=False, text=True), Column("住址", 60, align="LEFT"),
               Column("数量", 12, align="RIGHT", total=True), Column("金额", 20, align="RIGHT", total=True, money=True)]

    def rows(count: int, long: bool) -> Iterator[object]:
        for i in range(count):
            if i % 37 == 0:
                yield Section(f"第{i // 37 + 1}村（含“新村”，路口）")
            address = "金塔镇金塔村三组128号院（靠近村委会），东侧" * (1 + i % (12 if long else 3))
            cells = (f"张{i}" * (1 + i % 5), f"62092119800101{i:04d}" + "X" * (i % 7), address, i % 4,
                     Decimal(i) / 4)
            yield Uncounted(cells) if i % 11 == 5 else cells

    base = {"title": "金塔镇测试花名册", "unit": "金塔镇残疾人联合会", "date_text": "2026年11月29日",
            "columns": columns}
    return {
        "landscape-long-cells": TableReport(**base, rows=rows(160, long=True)),  # type: ignore[arg-type]
        "upright-signed-draft": TableReport(**base, rows=rows(95, long=False), landscape=False,  # type: ignore[arg-type]
                                            signature_column="签字（手印）", mark="草表（未确认发放）",
                                            note="说明：本表金额单位为元。\n" + "第二行说明文字，" * 30,
                                            preamble=("领取人：张三", "住址：金塔村")),
        "sign-box-no-totals": TableReport(**base, rows=rows(3, long=False), numbered=False,  # type: ignore[arg-type]
                                          subtotals=False, grand_total=False, sign_box="领取人签字（手印）"),
        "empty": TableReport(**base, rows=iter(())),  # type: ignore[arg-type]
    }


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    from app.demo import fill_demo

    db = open_database(tmp_path_factory.mktemp("same-pages") / "demo.db")
    with db.transaction("演示数据") as s:
        fill_demo(s)  # the demo town: 345 persons, seed 1, this year
    yield db
    db.close()


def _pictures(pdf: Path, folder: Path) -> list[Image.Image]:
    stem = folder / pdf.stem
    subprocess.run(["pdftoppm", "-gray", "-r", "60", "-png", str(pdf), str(stem)], check=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob(f"{pdf.stem}-*.png"))]


def _assert_same(old: Path, new: Path, tmp_path: Path) -> None:
    assert page_count(new) == page_count(old)
    old_text, new_text = pages_text(old), pages_text(new)
    for number, (was, now) in enumerate(zip(old_text, new_text, strict=True), start=1):
        assert now == was, f"page {number} reads differently"
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    for number, (was, now) in enumerate(zip(_pictures(old, tmp_path / "old"), _pictures(new, tmp_path / "new"),
                                            strict=True), start=1):
        assert now.size == was.size
        difference = ImageChops.difference(was, now).point(lambda v: 255 if v > 96 else 0)
        # a ruled line drawn as one stroke instead of a row's worth may shade a pixel differently, never more
        assert difference.getbbox() is None or sum(difference.histogram()[255:]) < 20, f"page {number} looks different"


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_of_the_demo_town_prints_as_before(town: Database, tmp_path: Path, form: str) -> None:
    with town.session() as s:
        platypus_engine.render_pdf(FORMS[form](s), tmp_path / "old.pdf")
    with town.session() as s:
        render_pdf(FORMS[form](s), tmp_path / "new.pdf")
    _assert_same(tmp_path / "old.pdf", tmp_path / "new.pdf", tmp_path)


@pytest.mark.parametrize("case", list(_corner_cases()))
def test_the_engines_corners_print_as_before(tmp_path: Path, case: str) -> None:
    platypus_engine.render_pdf(_corner_cases()[case], tmp_path / "old.pdf")
    render_pdf(_corner_cases()[case], tmp_path / "new.pdf")
    _assert_same(tmp_path / "old.pdf", tmp_path / "new.pdf", tmp_path)


@pytest.fixture(scope="module")
def town_of_2000(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    from app.demo import fill_demo

    db = open_database(tmp_path_factory.mktemp("same-pages-2000") / "demo.db")
    with db.transaction("演示数据") as s:
        fill_demo(s, persons=2000)  # enough rows that every village's values come back over many pages
    yield db
    db.close()


@pytest.mark.parametrize("form", ["registry"])
def test_a_register_of_2000_prints_as_before(town_of_2000: Database, tmp_path: Path, form: str) -> None:
    """The engine keeps what it has worked out for a value that comes back in its column (its place, its
    encoded text, the font it needs): over a hundred pages every cell must still read and sit as platypus
    put it."""
    with town_of_2000.session() as s:
        platypus_engine.render_pdf(FORMS[form](s), tmp_path / "old.pdf")
    with town_of_2000.session() as s:
        render_pdf(FORMS[form](s), tmp_path / "new.pdf")
    assert page_count(tmp_path / "new.pdf") > 50
    _assert_same(tmp_path / "old.pdf", tmp_path / "new.pdf", tmp_path)
