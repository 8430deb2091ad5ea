"""Every printed form as it leaves the office: the only font a PDF names is the embedded Chinese one (a
PC without it would print boxes or nothing), the yearly and five-year summaries are signed and sealed,
and the 领取单 has a box to sign or press a thumb in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import Database, open_database
from app.db.models import DeviceReceipt
from app.demo import fill_demo
from app.reports import ReportRequest, write_report
from app.reports.device_receipt import write_receipt
from app.reports.stock_sheet import write_stock_sheet
from tests.reports.helpers import pages_text, pdf_fonts, ruled_boxes, squeeze, words

YEAR = dt.date.today().year - 1
MM = 72 / 25.4  # points in a millimetre


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A small demo town (signers 李红梅 / 张建国 / 王志强) with a year of every kind of record."""
    db = open_database(tmp_path_factory.mktemp("forms") / "demo.db")
    with db.transaction() as s:
        fill_demo(s, year=YEAR, persons=80, seed=3)
    yield db
    db.close()


def _write(db: Database, form: str, out: Path) -> Path:
    with db.session() as s:
        if form == "receipt":
            return write_receipt(s, s.scalars(select(DeviceReceipt.id).order_by(DeviceReceipt.id)).first(), out)
        if form == "stock":
            return write_stock_sheet(s, out, YEAR)
        kind, _, five = form.partition("/")
        request = ReportRequest(kind, out, year=YEAR, since=YEAR - 4 if five else None, month=f"{YEAR}-06",
                                campaign=f"{YEAR}年春节慰问")
        return write_report(s, request)


FORMS = ["registry", "subsidy-roster", "visit-roster", "equipment", "yearly", "yearly/five", "receipt", "stock"]


@pytest.mark.parametrize("form", FORMS)
def test_a_form_names_no_font_but_the_embedded_one(demo: Database, tmp_path: Path, form: str) -> None:
    pdf = _write(demo, form, tmp_path / "form.pdf")
    fonts = pdf_fonts(pdf)
    assert fonts, "no font at all"
    for name, kind, embedded, unicode_map in fonts:
        assert "WenQuanYiMicroHei" in name and kind == "TrueType", name
        assert (embedded, unicode_map) == ("yes", "yes"), name


@pytest.mark.parametrize("form", ["yearly", "yearly/five"])
def test_the_yearly_summaries_carry_the_signers_and_room_for_the_seal(demo: Database, tmp_path: Path,
                                                                       form: str) -> None:
    texts = [squeeze(t) for t in pages_text(_write(demo, form, tmp_path / "yearly.pdf"))]
    words_page = next(i for i, t in enumerate(texts) if t.startswith("工作报告参考文字"))
    signed = texts[words_page - 1]  # the figures end signed; the sentences after them are a draft
    assert "经办人：李红梅" in signed and "审核人：张建国" in signed and "负责人：王志强" in signed
    assert "金塔镇残疾人联合会（盖章）" in signed
    assert not any("经办人" in t for t in texts[words_page:])


def test_the_receipt_has_a_box_to_sign_or_press_a_thumb_in(demo: Database, tmp_path: Path) -> None:
    pdf = _write(demo, "receipt", tmp_path / "receipt.pdf")
    boxes = ruled_boxes(pdf, min_width=60 * MM, min_height=25 * MM)
    assert boxes, "no box of at least 60 x 25 mm"
    label = next(w for w in words(pdf) if "签字" in w[0])
    assert any(x0 <= label[1] and label[3] <= x1 and y0 <= label[2] and label[4] <= y1 for x0, y0, x1, y1 in boxes)
    text = squeeze(pages_text(pdf)[0])
    assert "经办人：李红梅" in text and "审核人：张建国" in text
