"""Widths measured by shape (app.reports.fonts.ShapeWidths) are the font's own measure to the last bit, for any
text: the layout fits a county register's half a million distinct cells by them."""

from __future__ import annotations

import random

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.reports.fonts import ShapeWidths, register_font, text_width


def _characters() -> list[str]:
    font = pdfmetrics.getFont(register_font())
    assert isinstance(font, TTFont)
    # every character the font has, a few it has not (measured at its default width), digits and punctuation
    return [chr(c) for c in font.face.charWidths if c < 0x10000] + ["\U0001f600", "\ue000", "\x07"]


def test_a_text_measured_by_its_shape_is_as_wide_as_the_font_measures_it() -> None:
    chars = _characters()
    draw = random.Random(15)
    texts = ["", "620921194506012987", "62092119450526906X", "金塔村1组126号", "王霞", "（续）", "100000"]
    texts += ["".join(draw.choice(chars) for _ in range(draw.randint(1, 24))) for _ in range(20_000)]
    for size in (10.0, 7.3):
        widths = ShapeWidths(size)
        for text in texts * 2:  # the second time from the kept shapes
            assert widths(text) == text_width(text, size), text


def test_texts_of_one_shape_share_one_measure() -> None:
    widths = ShapeWidths(10.0)
    for n in range(1000):
        widths(f"6209211945{n:08d}")
    assert len(widths.widths) <= 2  # digits advance alike in this font: one shape (a test of the font as much)


def test_characters_that_advance_differently_are_not_taken_for_one_another() -> None:
    widths = ShapeWidths(10.0)
    assert widths("iiii") == text_width("iiii", 10.0) != widths("WWWW") == text_width("WWWW", 10.0)
