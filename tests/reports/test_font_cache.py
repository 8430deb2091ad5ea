"""The parsed font kept in the user's cache folder measures and embeds text as the freshly parsed one does,
and a damaged cache is parsed afresh rather than refused (tests/conftest.py gives each test its own home)."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from app.paths import cache_dir, font_path
from app.reports.fonts import _load_font
from tests.reports.helpers import pages_text, pdf_fonts

TEXT = "金塔镇残疾人花名册 620921198001011234 第 1 页"


def _write(font: object, pdf: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(font)  # type: ignore[arg-type]
    canvas = Canvas(str(pdf), initialFontName=font.fontName)  # type: ignore[attr-defined]
    canvas.setFont(font.fontName, 12)  # type: ignore[attr-defined]
    canvas.drawString(72, 720, TEXT)
    canvas.save()
    return pdf


def test_the_cached_font_prints_as_the_parsed_one(tmp_path: Path) -> None:
    parsed = _load_font(font_path())
    kept = list(cache_dir().glob("*.pickle"))
    assert len(kept) == 1
    cached = _load_font(font_path())
    assert cached.face is not parsed.face
    assert cached.stringWidth(TEXT, 10) == parsed.stringWidth(TEXT, 10)
    pdf = _write(cached, tmp_path / "cached.pdf")
    assert pages_text(pdf)[0].strip() == TEXT
    assert all(embedded == "yes" for _, _, embedded, _ in pdf_fonts(pdf))


def test_a_damaged_cache_is_parsed_afresh(tmp_path: Path) -> None:
    _load_font(font_path())
    (kept,) = cache_dir().glob("*.pickle")
    kept.write_bytes(b"not a font")
    font = _load_font(font_path())
    assert pages_text(_write(font, tmp_path / "fresh.pdf"))[0].strip() == TEXT
    assert kept.read_bytes() != b"not a font"  # and kept again
