"""Text from elsewhere (a workbook from another office, WPS, a phone, a paste) made fit to keep: what
cannot be seen is taken out, every kind of space becomes one plain space, so what is stored is what the
clerk sees, and every workbook and PDF can hold it."""

from __future__ import annotations

import re
import unicodedata

# Letters that print as nothing although Unicode counts them as letters (Hangul fillers, braille blank).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_BREAKS = frozenset("\t\n\r\x0b\x0c\x85")  # controls that separate words: a space, not nothing
_SPACES = re.compile(r" {2,}")
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_SPACE_IN_NAME = re.compile(rf"(?<={_HAN}) (?={_HAN})")


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _kept(ch: str) -> str:
    """The character as it is kept: '' for one that cannot be seen, ' ' for a space or line break."""
    if ch in _BLANK_LETTERS:
        return ""
    if ch in _BREAKS:
        return " "
    kind = unicodedata.category(ch)
    if kind in ("Cc", "Cf", "Cs") or _is_noncharacter(ch):  # BEL, NUL, DEL, zero-width, direction marks
        return ""
    if kind in ("Zs", "Zl", "Zp"):  # no-break, ideographic and the other spaces, line separators
        return " "
    return ch  # private-use characters stay: rare characters of names are often typed with them


def clean(text: str) -> str:
    r"""Invisible and control characters out, spaces and line breaks as one plain space, no space at
    either end: '\u200b张三\t' -> '张三'."""
    if not (text.isprintable() and "  " not in text and text == text.strip()
            and _BLANK_LETTERS.isdisjoint(text)):
        text = _SPACES.sub(" ", "".join(map(_kept, text))).strip()
    return text


def clean_name(text: str) -> str:
    """A name cleaned, and the spaces that align two-character names (张  三) taken out: '张三'."""
    return _SPACE_IN_NAME.sub("", clean(text))
