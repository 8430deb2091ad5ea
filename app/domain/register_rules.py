"""Checking a person's fields as the clerk typed them or a workbook held them: normalised values,
errors that block saving (per field, in plain Chinese) and warnings that do not."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeGuard, TypeVar

from app.domain import disability, idnumber
from app.domain.text import clean_name

FIELD_LABELS = {
    "name": "姓名", "sex": "性别", "id_number": "身份证号", "certificate_number": "残疾证号",
    "category": "残疾类别", "components": "多重残疾组成", "grade": "残疾等级", "certificate_issued": "发证日期",
    "village": "村", "group": "组", "address": "住址", "phone": "联系电话", "guardian": "监护人",
    "guardian_phone": "监护人电话", "ethnicity": "民族", "education": "文化程度", "labor_ability": "劳动能力",
    "employment": "就业情况", "self_care": "生活自理能力", "lives_alone": "是否独居",
    "medical_insurance": "城乡居民医保", "bank_name": "开户行", "bank_account": "银行账号", "notes": "备注",
    "dibao": "是否低保", "dibao_class": "低保类别",
}
TEXT_FIELDS = ("address", "guardian", "ethnicity", "education", "employment", "bank_name", "notes", "village")
_YES = {"是", "有", "y", "yes", "√", "✓", "1", "true", "参保", "已参保", "独居", "低保", "低保户"}
_NO = {"否", "无", "n", "no", "×", "0", "false", "未参保", "不是", "非低保"}
_CLASS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
CONTACT_FIELDS = ("phone", "guardian_phone", "bank_account")  # checked when typed, kept as stored when not
_MOBILE = re.compile(r"(?:\+?86)?(1\d{10})")
# 010 and 02X are the only three-digit area codes; local numbers have 7 or 8 digits and never start 0 or 1
_LANDLINE = re.compile(r"(010|02\d|0[3-9]\d\d)([2-9]\d{6,7})")
ACCOUNT_DIGITS = (12, 25)  # bank cards have 16-19 digits, passbook accounts of rural banks 12-25
# The registration date of a person brought in from a roster that does not say when they were registered
# (no 发证日期): before the program's records began. Not a new registration of any year; shown as 不详.
REGISTERED_BEFORE_RECORDS = dt.date(1900, 1, 1)
VILLAGE_MISSING = "村为空：请填写所在村（社区），花名册、慰问和补贴名单都按村编排。"


# Compiled once (re's own cache costs a look-up per call: ten calls per roster row)
_DIBAO_CLASS = re.compile(r"([一二三四1-4])类")
_DATE_WRITTEN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_PHONE_PUNCTUATION = re.compile(r"[\s\-－—()（）]")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_CLASS_DIGIT = re.compile(r"[一二三四1-4]")
_Code = TypeVar("_Code", disability.Category, disability.Grade)


class _Remembered(Generic[_Code]):
    """A code's parse (disability.parse_category or parse_grade) remembered for each cell value: a roster of
    10,000 rows holds a handful of categories and grades, each written the same way thousands of times. The
    answer is the parse's own, a refusal raised again with its own words; a value of another type is another
    value (True is not 1: their text differs). At most _REMEMBERED values, so no roster grows it unbounded."""

    def __init__(self, parse: Callable[[object], _Code]) -> None:
        self._parse: Callable[[object], _Code] = parse
        self._answers: dict[tuple[type, object], _Code | str] = {}

    def parse(self, raw: object) -> _Code:
        try:
            key = (raw.__class__, raw)
            answer = self._answers.get(key)
        except TypeError:  # a value that cannot be a key (none from a workbook or the form): parsed as it is
            return self._parse(raw)
        if answer is None:
            try:
                answer = self._parse(raw)
            except disability.CodeError as exc:
                answer = str(exc)
            if len(self._answers) < _REMEMBERED:
                self._answers[key] = answer
        if isinstance(answer, str):
            raise disability.CodeError(answer)
        return answer


_REMEMBERED = 1000
_CATEGORIES = _Remembered(disability.parse_category)
_GRADES = _Remembered(disability.parse_grade)


@dataclass
class Checked:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def first_error(self) -> str:
        return next(iter(self.errors.values()), "")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: object) -> str:
    """A cell as text: whole floats lose their '.0', everything is stripped."""
    if type(value) is str:  # eight calls a roster row, nearly all with text: str() of a str is itself
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def parse_yes_no(value: object) -> bool | None:
    text = text_of(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def parse_dibao(value: object) -> tuple[bool, int | None] | None:
    """是/否, or 一类低保 / 低保二类 / 2类: (is 低保, class)."""
    text = text_of(value)
    match = _DIBAO_CLASS.search(text)
    if match:
        return True, _CLASS[match.group(1)]
    flag = parse_yes_no(text)
    return None if flag is None else (flag, None)


def parse_labor(value: object) -> str | None:
    text = text_of(value)
    if "部分" in text:
        return "部分"
    if text.startswith(("无", "丧失", "否", "没有")):
        return "无"
    if text.startswith(("有", "是", "具备", "能")):
        return "有"
    return None


def parse_self_care(value: object) -> str | None:
    text = text_of(value)
    if "部分" in text:
        return "部分自理"
    if "不能" in text or "无法" in text or text in ("否", "不自理"):
        return "不能自理"
    if "自理" in text or text in ("是", "能"):
        return "自理"
    return None


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    match = _DATE_WRITTEN.fullmatch(text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_group(value: object) -> str:
    text = text_of(value)
    return f"{text}组" if text.isdigit() else text


def parse_phone(value: object) -> str | None:
    """An 11-digit mobile (spaces, hyphens and +86 dropped) or a landline with its area code, written
    0937-4421234; None when it is neither."""
    compact = _PHONE_PUNCTUATION.sub("", text_of(value))
    mobile = _MOBILE.fullmatch(compact)
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.fullmatch(compact)
    return f"{landline.group(1)}-{landline.group(2)}" if landline else None


def parse_account(value: object) -> str | None:
    digits = _SPACES.sub("", text_of(value))
    low, high = ACCOUNT_DIGITS
    return digits if digits.isdigit() and low <= len(digits) <= high else None


def _check_contacts(given: Mapping[str, Any], stored: Mapping[str, Any] | None, out: Checked) -> None:
    """Phones and the bank account: a value as stored passes as it is (older records may hold a number
    written some other way: they must not block saving the rest); a new or changed one is checked."""
    for key in CONTACT_FIELDS:
        if key not in given:
            continue
        text = _SPACES.sub("", text_of(given[key]))
        kept = text_of(stored.get(key) or "") if stored else ""
        if kept and text == _SPACES.sub("", kept):
            out.values[key] = kept
            continue
        parsed = parse_account(text) if key == "bank_account" else parse_phone(text)
        if parsed is not None:
            out.values[key] = parsed
        elif key == "bank_account":
            low, high = ACCOUNT_DIGITS
            out.errors[key] = f"银行账号“{text}”应为{low}到{high}位数字：请对照存折或银行卡核对。"
        else:
            out.errors[key] = (f"{FIELD_LABELS[key]}“{text}”不是电话号码：手机号为1开头的11位数字，"
                               "座机请连区号一起填写（如0937-4421234）。")


def _held(stored: Mapping[str, Any] | None, key: str) -> TypeGuard[Mapping[str, Any]]:
    return stored is not None and not is_blank(stored.get(key))


def check_person(raw: Mapping[str, Any], today: dt.date | None = None, *, stored: Mapping[str, Any] | None = None,
                 require_village: bool = False) -> Checked:
    """Check the fields given (blank ones are 'not given'); ID, name, category and grade are required,
    and the village too with require_village (a new person). stored: the person's values on the register,
    when there is one: a blank never erases, so a field the register already holds is not required again
    (an update row may say only what changed), and a phone or account left as it was is not checked again."""
    out = Checked()
    values, errors, warnings = out.values, out.errors, out.warnings
    given = {k: v for k, v in raw.items()  # is_blank, inline: a call per field was a tenth of a roster's checking
             if v is not None and not (isinstance(v, str) and not v.strip())}

    name = clean_name(text_of(given.get("name", "")))  # no tab, line break or zero-width space in a name
    if not name:
        if not _held(stored, "name"):
            errors["name"] = "姓名为空：请填写姓名。"
    elif len(name) > 40 or _DIGIT.search(name):
        errors["name"] = f"姓名“{name}”不像人名：请核对。"
    else:
        values["name"] = name

    id18 = None
    try:
        id18 = idnumber.normalise(given.get("id_number"), today)
        values["id_number"] = id18
        values["birth_date"] = idnumber.birth_date_of(id18)
        values["sex"] = idnumber.sex_of(id18)
    except idnumber.IdNumberError as exc:
        errors["id_number"] = str(exc)

    if "sex" in given and id18:
        sex = text_of(given["sex"]).rstrip("性")
        if sex and sex != values["sex"]:
            warnings.append(f"性别填的是“{sex}”，身份证号表明是“{values['sex']}”：已按身份证号记录。")

    _check_codes(given, id18, out, stored)

    _check_contacts(given, stored, out)
    for key in TEXT_FIELDS:
        if key in given:
            values[key] = text_of(given[key])
    if "guardian" in given:
        values["guardian"] = text_of(given["guardian"])
    if "group" in given:
        values["group"] = parse_group(given["group"])
    if require_village and not values.get("village"):
        errors["village"] = VILLAGE_MISSING
    if "certificate_issued" in given:
        issued = parse_date(given["certificate_issued"])
        if issued is None or (today and issued > today):
            errors["certificate_issued"] = "发证日期无法识别：请写成2024-05-01的样子。"
        else:
            values["certificate_issued"] = issued

    _optional_choice(given, "labor_ability", parse_labor, "有、部分、无", values, warnings)
    _optional_choice(given, "self_care", parse_self_care, "自理、部分自理、不能自理", values, warnings)
    for key in ("lives_alone", "medical_insurance"):
        _optional_choice(given, key, parse_yes_no, "是、否", values, warnings)
    if "dibao" in given:
        dibao = parse_dibao(given["dibao"])
        if dibao is None:
            warnings.append(f"是否低保“{text_of(given['dibao'])}”无法识别（应为是或否）：此项未导入。")
        else:
            values["dibao"] = dibao[0]
            if dibao[1]:
                values["dibao_class"] = dibao[1]
    if "dibao_class" in given:
        match = _CLASS_DIGIT.search(text_of(given["dibao_class"]))
        if match:
            values["dibao_class"] = _CLASS[match.group(0)]
            values["dibao"] = True
    return out


def _optional_choice(given: Mapping[str, Any], key: str, parse: Any, allowed: str,
                     values: dict[str, Any], warnings: list[str]) -> None:
    if key not in given:
        return
    parsed = parse(given[key])
    if parsed is None:
        warnings.append(f"{FIELD_LABELS[key]}“{text_of(given[key])}”无法识别（应为{allowed}）：此项未导入。")
    else:
        values[key] = parsed


def _check_codes(given: Mapping[str, Any], id18: str | None, out: Checked,
                 stored: Mapping[str, Any] | None = None) -> None:
    values, errors = out.values, out.errors
    category = grade = None
    if "category" in given:
        try:
            category = _CATEGORIES.parse(given["category"])
        except disability.CodeError as exc:
            errors["category"] = str(exc)
    if "grade" in given:
        try:
            grade = _GRADES.parse(given["grade"])
        except disability.CodeError as exc:
            errors["grade"] = str(exc)
    if "certificate_number" in given:
        try:
            cert_id, cert_cat, cert_grade = disability.parse_certificate(given["certificate_number"])
        except disability.CodeError as exc:
            errors["certificate_number"] = str(exc)
        else:
            if id18 and cert_id != id18:
                errors["certificate_number"] = "残疾证号的前18位与身份证号不一致：请核对两者。"
            elif category is not None and category != cert_cat:
                errors["certificate_number"] = (
                    f"残疾证号表明类别为{cert_cat.label}，与填写的{category.label}不符：请核对。"
                )
            elif grade is not None and grade != cert_grade:
                errors["certificate_number"] = (
                    f"残疾证号表明等级为{cert_grade.label}，与填写的{grade.label}不符：请核对。"
                )
            else:
                category = category or cert_cat
                grade = grade or cert_grade
                values["certificate_number"] = disability.certificate_number(cert_id, cert_cat, cert_grade)
    if "certificate_number" not in given and _held(stored, "certificate_number"):
        _check_against_stored_certificate(str(stored["certificate_number"]), category, grade, errors)
    if category is None and "category" not in errors and not _held(stored, "category"):
        errors["category"] = "残疾类别为空：请填写类别，或填写残疾证号。"
    if grade is None and "grade" not in errors and not _held(stored, "grade"):
        errors["grade"] = "残疾等级为空：请填写等级，或填写残疾证号。"
    if category is not None:
        values["category"] = int(category)
    if grade is not None:
        values["grade"] = int(grade)
    if category is None and _held(stored, "category"):
        category = disability.Category(int(stored["category"]))  # for the 多重 check
    if "components" in given:
        try:
            comps = disability.parse_components(given["components"])
        except disability.CodeError as exc:
            errors["components"] = str(exc)
        else:
            if comps and category != disability.Category.MULTIPLE:
                errors["components"] = "只有多重残疾才填写组成类别。"
            else:
                values["components"] = ",".join(str(int(c)) for c in comps)


def _check_against_stored_certificate(cert: str, category: disability.Category | None,
                                      grade: disability.Grade | None, errors: dict[str, str]) -> None:
    """A category or grade given without a certificate must agree with the certificate on file: the
    certificate number carries both, and the register must not say one thing and the certificate another."""
    try:
        _, cert_cat, cert_grade = disability.parse_certificate(cert)
    except disability.CodeError:
        return  # an old record's odd number: the row cannot be checked against it
    if category is not None and category != cert_cat:
        errors["category"] = (f"登记的残疾证号表明类别为{cert_cat.label}，与填写的{category.label}不符："
                              "请核对，类别改了请同时填写新的残疾证号。")
    if grade is not None and grade != cert_grade:
        errors["grade"] = (f"登记的残疾证号表明等级为{cert_grade.label}，与填写的{grade.label}不符："
                           "请核对，等级改了请同时填写新的残疾证号。")
