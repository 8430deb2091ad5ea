"""The embedded Chinese font of every printed form, and text measured and broken into lines in it (CJK
style: between any two characters, never starting a line with punctuation)."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import font_path

FONT = "WQY"
MAX_LINES = 8  # a cell longer than this is cut with "…" so one row never outgrows a page
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")
_NO_LINE_END = set("（《「『“‘(")


def register_font() -> str:
    """Embed WenQuanYi Micro Hei (shipped in resources/fonts) once per process. Never a CID font:
    those are not embedded and print as boxes or nothing on a PC without Chinese fonts."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def break_lines(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking between any two characters (CJK), never starting a line with punctuation."""
    result: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for ch in paragraph:
            w = text_width(ch, size)
            cut = 0
            if line and used + w > width:  # past the edge: break where the rules allow, or here at last
                cut = _break_point(line, ch) or (len(line) if used + w > width + size else 0)
            if cut:
                result.append(line[:cut])
                line = line[cut:]
                used = text_width(line, size)
            line += ch
            used += w
        result.append(line)
    if len(result) > MAX_LINES:
        result = result[:MAX_LINES]
        result[-1] = result[-1][:-1] + "…"
    return result


def _break_point(line: str, following: str) -> int:
    """Where to end the line (0: nowhere): punctuation never starts the next line, house numbers and
    Latin words stay whole, an opening bracket never ends a line."""
    cut = len(line)
    if following in _NO_LINE_START:
        cut -= 1  # take the last character along so the punctuation does not start a line
        while cut > 0 and line[cut] in _NO_LINE_START:
            cut -= 1
    elif _is_word(following):
        start = cut
        while start > 0 and _is_word(line[start - 1]):
            start -= 1
        if start > 0:
            cut = start
    while cut > 0 and line[cut - 1] in _NO_LINE_END:
        cut -= 1
    return cut


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
