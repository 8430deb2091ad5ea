"""A cell's text as the font's subsets and codes (app.reports.ruled.PageText._runs, by str.translate tables) is
what reportlab's own splitString and escapePDF make of it, for any text, with characters numbered in the same
order."""

from __future__ import annotations

import random
from pathlib import Path

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
