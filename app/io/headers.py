"""The roster's column headers: the names the clerk's workbooks use for each register field, and
finding the header row under whatever title rows sit above it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.io.workbook import Cell

# Field key -> the header the export writes (and the label the mapping screen shows), in export order.
FIELD_HEADERS: dict[str, str] = {
    "name": "姓名", "sex": "性别", "id_number": "身份证号", "certificate_number": "残疾证号",
    "category": "残疾类别", "components": "多重残疾组成", "grade": "残疾等级", "certificate_issued": "发证日期",
    "village": "村", "group": "组", "address": "住址", "phone": "联系电话", "dibao": "是否低保",
    "dibao_class": "低保类别", "labor_ability": "劳动能力", "self_care": "生活自理能力", "lives_alone": "是否独居",
    "medical_insurance": "城乡居民医保", "guardian": "监护人", "guardian_phone": "监护人电话", "ethnicity": "民族",
    "education": "文化程度", "employment": "就业情况", "bank_name": "开户行", "bank_account": "银行账号",
    "notes": "备注",
}

# Other names seen on rosters, compared after normalising (spaces out, full-width brackets as ASCII).
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("残疾人姓名",),
    "id_number": ("身份证号码", "公民身份号码", "身份证", "居民身份证号", "居民身份证号码"),
    "certificate_number": ("残疾人证号", "残疾证号码", "残疾人证号码", "残疾证编号"),
    "category": ("类别", "残疾类型"),
    "grade": ("等级", "残疾级别"),
    "village": ("所在村", "村(社区)", "村社区", "村(居)", "村名"),
    "group": ("村民小组", "组别", "社"),
    "address": ("家庭住址", "现住址", "地址", "户籍地址"),
    "phone": ("电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"),
    "dibao": ("低保", "是否低保户"),
    "self_care": ("自理能力",),
    "medical_insurance": ("医保", "是否参加医保"),
    "bank_account": ("银行卡号", "账号"),
}

_LOOKUP: dict[str, str] = {}
for _key, _label in FIELD_HEADERS.items():
    for _text in (_label, *_ALIASES.get(_key, ())):
        _LOOKUP[unicodedata.normalize("NFKC", _text)] = _key

REQUIRED = ("name", "id_number")
_SCAN_ROWS = 30


def normalise_header(value: Cell) -> str:
    """姓 名 / 身份证号* / 村（社区） as 姓名 / 身份证号 / 村(社区)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s*:：]+", "", text)


def field_of(value: Cell) -> str | None:
    """The field a header cell names, or None: 身份证号码(18位) is still 身份证号."""
    text = normalise_header(value)
    if not text:
        return None
    if text in _LOOKUP:
        return _LOOKUP[text]
    return _LOOKUP.get(re.sub(r"\([^()]*\)$", "", text))


@dataclass
class HeaderMatch:
    """Where the header sits (0-based row indexes) and which column holds each field."""

    first_row: int
    last_row: int  # the same as first_row, or the row under it when the header has a second line
    names: list[str] = field(default_factory=list)  # the header text of every column
    mapping: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def find_header(rows: Sequence[Sequence[Cell]]) -> HeaderMatch | None:
    """The row among the first ones naming the most fields (at least 姓名 and 身份证号), or None."""
    best: int | None = None
    best_score = 0
    for index, row in enumerate(rows[:_SCAN_ROWS]):
        fields = {f for f in map(field_of, row) if f}
        if all(f in fields for f in REQUIRED) and len(fields) > best_score:
            best, best_score = index, len(fields)
    if best is None:
        return None
    names = [normalise_header(c) for c in rows[best]]
    last = best
    below = list(rows[best + 1]) if best + 1 < len(rows) else []
    if _is_second_header_line(names, below):
        last = best + 1
        for i, cell in enumerate(below):
            if field_of(cell) and i < len(names):
                names[i] = normalise_header(cell)
    match = HeaderMatch(best, last, names)
    match.mapping, match.ignored = mapping_for(names)
    return match


def _is_second_header_line(names: Sequence[str], below: Sequence[Cell]) -> bool:
    """True for a line like 类别 | 等级 under a merged 残疾情况: it names a new field and holds no person."""
    mapping, _ = mapping_for(names)
    if any(mapping[key] < len(below) and below[mapping[key]] is not None for key in REQUIRED):
        return False
    return any(field_of(cell) not in (None, *mapping) for cell in below)


def mapping_for(names: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Field -> column for header names (the first column naming a field wins), and the names ignored."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(names):
        key = field_of(name)
        if key and key not in mapping:
            mapping[key] = index
        elif name:
            ignored.append(name)
    return mapping, ignored
