"""A cell's text as the font's subsets and codes (app.reports.ruled.PageText._runs, by str.translate tables) is
what reportlab's own splitString and escapePDF make of it, for any text, with characters numbered in the same
order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.reports.fonts import FONT, register_font
from app.reports.ruled import PageText


def _as_reportlab_shows(font: TTFont, doc: object, text: str) -> list[tuple[int, str]]:
    return [(subset, f"({escapePDF(codes)}) Tj") for subset, codes in font.splitString(text, doc)]


def test_a_cells_runs_are_reportlabs_own(tmp_path: Path) -> None:
    register_font()
    font = pdfmetrics.getFont(FONT)
    assert isinstance(font, TTFont)
    chars = [chr(c) for c in font.face.charWidths if 0x20 < c < 0x10000][:3000] + list("()\\\t\x01")
    draw = random.Random(5)
    texts = ["金塔村1组126号", "王霞", "(1)\\", "620921194506012987", "（续）"]
    texts += ["".join(draw.choice(chars) for _ in range(draw.randint(1, 16))) for _ in range(5000)]
    ours = PageText(Canvas(str(tmp_path / "a.pdf"), initialFontName=FONT))
    theirs = Canvas(str(tmp_path / "b.pdf"), initialFontName=FONT)
    for text in texts:  # new characters are numbered as they come, in both documents alike
        assert ours._runs(text) == _as_reportlab_shows(font, theirs._doc, text), text  # type: ignore[attr-defined]
    assert max(subset for text in texts for subset, _ in ours._runs(text)) > 3  # many subsets were met


def test_values_shown_once_are_the_operators_kept_values_give(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the values a column keeps, a value is shown straight away (ruled._show_once): the file is the very
    bytes it is when every value is kept and placed (_Placed), over names, IDs, addresses in two subsets and
    amounts, centred, left and right."""
    from reportlab import rl_config

    from app.reports import ruled
    from app.reports.engine import render_pdf
    from tests.reports.test_engine import _report

    monkeypatch.setattr(rl_config, "invariant", 1)  # no date or random ID in the file: bytes compare
    monkeypatch.setattr(ruled, "_KEEP_PLACED", 10**9)
    kept = render_pdf(_report(700), tmp_path / "kept.pdf").read_bytes()
    monkeypatch.setattr(ruled, "_KEEP_PLACED", 20)
    shown = {"once": 0}
    show_once = ruled._show_once

    def counted(*args: object) -> tuple[int, float]:
        shown["once"] += 1
        return show_once(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ruled, "_show_once", counted)
    once = render_pdf(_report(700), tmp_path / "once.pdf").read_bytes()
    assert shown["once"] > 1000
    assert once == kept
