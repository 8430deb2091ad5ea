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
