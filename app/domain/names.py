"""Search keys for names: pinyin initials and full pinyin, with surnames read the way names are read."""

from __future__ import annotations

from collections.abc import Callable, Container
from functools import cache

# Surnames whose everyday reading differs from the character's most common one (TOOLCHAIN.md).
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "查": "zha", "朴": "piao", "区": "ou",
    "乐": "yue", "盖": "ge", "缪": "miao", "尉": "yu", "覃": "qin", "翟": "zhai", "黑": "he",
    "召": "shao", "种": "chong", "秘": "bi", "员": "yun", "万俟": "mo qi", "尉迟": "yu chi",
    "长孙": "zhang sun", "宿": "su", "过": "guo", "隗": "wei", "适": "kuo", "沈": "shen", "任": "ren",
    "华": "hua", "纪": "ji", "繁": "po", "重": "chong", "冼": "xian", "都": "du", "句": "gou",
}


@cache
def _pypinyin() -> tuple[Callable[..., list[str]], Container[int], Container[str]]:
    """lazy_pinyin and its dictionaries of characters and phrases, loaded when a name is first read (a quarter
    second: not at start), then found here at once (an import statement per name cost more than its reading)."""
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    return lazy_pinyin, PINYIN_DICT, PHRASES_DICT


@cache
def _character(char: str) -> list[str]:
    return _pypinyin()[0](char, errors="ignore")


def _reading(text: str) -> list[str]:
    """lazy_pinyin(text, errors="ignore"), sooner: text of Chinese characters in which no phrase of
    pypinyin's dictionary occurs reads character by character, as pypinyin then reads it (a roster of
    100,000 names spends most of its pinyin time segmenting names that hold no phrase)."""
    lazy_pinyin, characters, phrases = _pypinyin()
    if all(ord(c) in characters for c in text) and not any(
            text[i:j] in phrases for i in range(len(text)) for j in range(i + 2, len(text) + 1)):
        return [p for c in text for p in _character(c)]
    return lazy_pinyin(text, errors="ignore")


def syllables(name: str) -> list[str]:
    """One pinyin syllable per character, the surname read as a surname."""
    name = name.strip()
    for length in (2, 1):
        surname = name[:length]
        if len(name) > length and surname in SURNAME_READINGS:
            return [*SURNAME_READINGS[surname].split(), *_reading(name[length:])]
    return _reading(name)


def search_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin), lower-case ASCII: 张三 -> ("zs", "zhangsan"), 曾超 -> ("zc", "zengchao")."""
    parts = [p.lower() for p in syllables(name) if p]
    return "".join(p[0] for p in parts), "".join(parts)
