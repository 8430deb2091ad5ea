"""Disability categories and grades (GB/T 26341-2010) and the certificate number built on the ID."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum

from app.domain import idnumber

# Compiled once (re's own cache costs a look-up per call: ten calls per roster row)
_SPACES = re.compile(r"\s+")
_CATEGORY_SUFFIX = re.compile(r"(残疾|类|残)$")
_GRADE_SUFFIX = re.compile(r"(级|级残疾|残疾)$")
_GRADE_MARK = re.compile(r"级$")
_COMPONENT_SEPARATORS = re.compile(r"[+＋,，、;；/和及]")
_CERTIFICATE_FORM = re.compile(r"\d{17}[\dX]\d\d")


class Category(IntEnum):
    VISION = 1  # 视力
    HEARING = 2  # 听力
    SPEECH = 3  # 言语
    PHYSICAL = 4  # 肢体
    INTELLECTUAL = 5  # 智力
    MENTAL = 6  # 精神
    MULTIPLE = 7  # 多重

    @property
    def label(self) -> str:
        return CATEGORY_NAMES[self]


class Grade(IntEnum):
    ONE = 1  # 一级, most severe
    TWO = 2
    THREE = 3
    FOUR = 4

    @property
    def label(self) -> str:
        return GRADE_NAMES[self]

    @property
    def severity(self) -> str:
        """重度 for 一级 and 二级, 中度 for 三级, 轻度 for 四级."""
        return {1: "重度", 2: "重度", 3: "中度", 4: "轻度"}[int(self)]


# keyed by the enums, looked up by the columns' plain ints too
CATEGORY_NAMES: dict[int, str] = {
    Category.VISION: "视力",
    Category.HEARING: "听力",
    Category.SPEECH: "言语",
    Category.PHYSICAL: "肢体",
    Category.INTELLECTUAL: "智力",
    Category.MENTAL: "精神",
    Category.MULTIPLE: "多重",
}
GRADE_NAMES: dict[int, str] = {Grade.ONE: "一级", Grade.TWO: "二级", Grade.THREE: "三级", Grade.FOUR: "四级"}

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "两": 2}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


class CodeError(ValueError):
    """A category, grade or certificate that cannot be right; the text tells the clerk what to fix."""


def _as_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _SPACES.sub("", str(raw)).translate(_FULLWIDTH)


def parse_category(raw: object) -> Category:
    """1-7, 视力, 视力残疾, 视力类 … to a Category."""
    text = _as_text(raw)
    if not text:
        raise CodeError("残疾类别为空。")
    if text.isdigit() and 1 <= int(text) <= 7:
        return Category(int(text))
    stripped = _CATEGORY_SUFFIX.sub("", text)
    for cat, name in CATEGORY_NAMES.items():
        if stripped == name:
            return Category(cat)
    raise CodeError(f"残疾类别“{text}”无法识别：应为视力、听力、言语、肢体、智力、精神、多重之一（或1-7）。")


def parse_grade(raw: object) -> Grade:
    """1-4, 一级, 一, 1级, 壹级, 一级残疾 … to a Grade."""
    text = _as_text(raw)
    if not text:
        raise CodeError("残疾等级为空。")
    core = _GRADE_SUFFIX.sub("", text)
    core = _GRADE_MARK.sub("", core)
    value = int(core) if core.isdigit() else _CHINESE_DIGITS.get(core)
    if value is None or not 1 <= value <= 4:
        raise CodeError(f"残疾等级“{text}”不存在：应为一级至四级（或1-4）。")
    return Grade(value)


def parse_components(raw: object) -> tuple[Category, ...]:
    """The component categories of a 多重 disability, written as 肢体+智力, 4,5, 肢体、智力 …"""
    text = _as_text(raw)
    if not text:
        return ()
    parts = [p for p in _COMPONENT_SEPARATORS.split(text) if p]
    cats = sorted({parse_category(p) for p in parts})
    if Category.MULTIPLE in cats:
        raise CodeError("多重残疾的组成类别不能再是多重。")
    return tuple(cats)


def certificate_number(id18: str, category: Category, grade: Grade) -> str:
    """The 20-character certificate number: the ID, then the category digit, then the grade digit."""
    return f"{id18}{int(category)}{int(grade)}"


def parse_certificate(raw: object) -> tuple[str, Category, Grade]:
    """Split a certificate number into (ID, category, grade), checking each part."""
    text = idnumber.clean(_as_text(raw))
    if not _CERTIFICATE_FORM.fullmatch(text):
        raise CodeError(f"残疾证号应为20位（身份证号加类别、等级各一位），现为“{text}”：请核对。")
    try:
        id18 = idnumber.normalise(text[:18])
    except idnumber.IdNumberError as exc:
        raise CodeError(f"残疾证号的前18位不是有效的身份证号：{exc}") from None
    try:
        category, grade = Category(int(text[18])), Grade(int(text[19]))
    except ValueError:
        raise CodeError(f"残疾证号末两位“{text[18:]}”不是有效的类别和等级：请核对。") from None
    return id18, category, grade


def category_label(value: int | None) -> str:
    """视力 … 多重: the one name of a category code ("" for none)."""
    return CATEGORY_NAMES[Category(value)] if value else ""


def components_label(components: str | Iterable[int]) -> str:
    """The components of a 多重, as stored ("4,5") or as codes, named: 肢体、智力."""
    codes = [int(c) for c in components.split(",") if c.strip()] if isinstance(components, str) else components
    return "、".join(category_label(c) for c in codes)


def category_with_components(category: int, components: str | Iterable[int] = "") -> str:
    """肢体, or 多重（肢体、智力）: the category with the components of a 多重, as lists and forms show it."""
    parts = components_label(components) if category == Category.MULTIPLE else ""
    return category_label(category) + (f"（{parts}）" if parts else "")


def grade_label(value: int | None) -> str:
    return GRADE_NAMES[Grade(value)] if value else ""
