"""The embedded Chinese font of every printed form, and text measured and broken into lines in it (CJK
style: between any two characters, never starting a line with punctuation)."""

from __future__ import annotations

import contextlib
import functools
import operator
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.lib.rl_accel import instanceStringWidthTTF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from app.paths import cache_dir, font_path

FONT = "WQY"
MAX_LINES = 8  # a cell longer than this is cut with "…" so one row never outgrows a page
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")
_NO_LINE_END = set("（《「『“‘(")


def register_font() -> str:
    """Embed WenQuanYi Micro Hei (shipped in resources/fonts) once per process. Never a CID font:
    those are not embedded and print as boxes or nothing on a PC without Chinese fonts."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_load_font(font_path()))
    return FONT


def _load_font(path: Path) -> TTFont:
    """The font as reportlab parses it, which takes a third of a second of every printing process: so the
    parsed tables are kept in the user's cache folder (named by the font file, reportlab and Python, so a
    new font or version parses afresh) and read back in milliseconds; any trouble with the cache, and the
    font is parsed as usual."""
    stat = path.stat()
    cache = cache_dir() / (f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}-reportlab{reportlab.Version}"
                           f"-py{sys.version_info[0]}{sys.version_info[1]}.pickle")
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        saved = pickle.loads(cache.read_bytes())  # the user's own cache folder, written only by _keep_font
        return _font_from(saved, path)
    font = TTFont(FONT, str(path), subfontIndex=0)
    with contextlib.suppress(OSError):  # a read-only home keeps nothing, and prints all the same
        _keep_font(font, cache)
    return font


def _keep_font(font: TTFont, cache: Path) -> None:
    face = {k: v for k, v in font.face.__dict__.items() if k not in ("_ttf_data", "_pdfScale")}
    own = {k: v for k, v in font.__dict__.items() if k not in ("face", "state")}
    cache.parent.mkdir(parents=True, exist_ok=True)
    part = cache.with_name(f".{cache.name}.{os.getpid()}")
    part.write_bytes(pickle.dumps((own, face), protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(part, cache)


def _font_from(saved: tuple[dict[str, object], dict[str, object]], path: Path) -> TTFont:
    own, face_fields = saved
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(face_fields)
    # the glyphs the PDF embeds are cut from the file itself; the scale as TTFontFace.__init__ sets it
    face._ttf_data = path.read_bytes()  # type: ignore[attr-defined]
    units = face.unitsPerEm
    scale = (lambda x: x) if units == 1000 else functools.partial(operator.mul, 1000 / units)
    face._pdfScale = scale  # type: ignore[attr-defined]
    font = TTFont.__new__(TTFont)
    font.__dict__.update(own)
    font.face = face
    font.state = WeakKeyDictionary()
    return font


def text_width(text: str, size: float) -> float:
    return float(_measure()(text, size))


_KEEP_SHAPES = 50_000  # widths of shapes kept (a county register's ID numbers, names and addresses: a few thousand)


class _SameAdvance(dict[int, int]):
    """ord(character) -> ord of the first character met that advances as far in the font, for str.translate."""

    def __init__(self, font: TTFont) -> None:
        super().__init__()
        self.advances: dict[int, float] = font.face.charWidths
        self.default = float(font.face.defaultWidth)
        self.first: dict[float, int] = {}

    def __missing__(self, key: int) -> int:
        advance = float(self.advances.get(key, self.default))  # as the font's measure reads it: a double
        value = self[key] = self.first.setdefault(advance, key)
        return value


@functools.cache
def same_advance() -> dict[int, int]:
    """The table for str.translate that puts each character as the first one met that advances as far in the
    embedded font: texts of one shape are exactly as wide (ShapeWidths)."""
    font = pdfmetrics.getFont(register_font())
    return _SameAdvance(font) if isinstance(font, TTFont) else {}


class ShapeWidths:
    """Text widths in one size measured by shape: the font's measure adds each character's advance in order, so
    two texts whose characters advance alike one by one are exactly as wide, to the last bit. A text's shape
    (each character put as the first one met that advances as far) is made by str.translate in C and measured
    once: a county register's 100,000 ID numbers are a handful of shapes (18 digits, or 17 and an X), its
    names a few (two or three ideographs), its addresses a few thousand, instead of 450,000 measures."""

    def __init__(self, size: float) -> None:
        font = pdfmetrics.getFont(register_font())
        self.size = size
        self.same: dict[int, int] | None = same_advance() if isinstance(font, TTFont) else None
        self.widths: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        if self.same is None:
            return text_width(text, self.size)
        shape = text.translate(self.same)
        width = self.widths.get(shape)
        if width is None:
            width = text_width(shape, self.size)
            if len(self.widths) < _KEEP_SHAPES:
                self.widths[shape] = width
        return width


@functools.cache
def _measure() -> Callable[[str, float], float]:
    """The embedded font's own measure, without looking the font up by name for each of a county register's
    half a million distinct cells."""
    font = pdfmetrics.getFont(register_font())
    if isinstance(font, TTFont):  # TTFont.stringWidth only hands its arguments to reportlab's C helper
        return functools.partial(instanceStringWidthTTF, font, encoding="utf8")
    measure: Callable[[str, float], float] = font.stringWidth
    return measure


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
