"""Resident ID numbers (居民身份证号, GB 11643-1999) and the 15-digit ones before them (GB 11643-1989)."""

from __future__ import annotations

import datetime as dt
import re
from operator import mul

from app.domain import dates

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_CODES_OF_ZERO = ord("0") * sum(_WEIGHTS)  # what ASCII digits' codes add to the weighted sum beyond their values
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_FLOAT_LIKE = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$|^\d+\.\d+$|^\d+\.0$")


CHECK_FAILED = "身份证号没有通过校验：号码中有数字抄错或前后颠倒，请对照身份证逐位核对整个号码。"


# Compiled once (re's own cache costs a look-up per call: ten calls per roster row)
_SPACES = re.compile(r"\s+")
_FIFTEEN_DIGITS = re.compile(r"\d{15}")
_EIGHTEEN_CHARACTERS = re.compile(r"\d{17}[\dX]")


class IdNumberError(ValueError):
    """An ID number that cannot be right; the text tells the clerk what to fix."""


def check_char(first17: str) -> str:
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"check_char takes the first 17 characters, not {len(first17)}")
    if first17.isascii() and first17.isdigit():  # nearly always: each digit's code is 48 past its value
        total = sum(map(mul, first17.encode(), _WEIGHTS)) - _CODES_OF_ZERO
    else:  # int() also reads full-width digits, and refuses what is no digit, as before
        total = sum(map(mul, map(int, first17), _WEIGHTS))
    return _CHECK[total % 11]


def clean(raw: str) -> str:
    """Spaces out, full-width digits to half-width, x to X."""
    return _SPACES.sub("", str(raw)).translate(_FULLWIDTH).upper()


def upgrade_15(id15: str) -> str:
    """A 15-digit ID (region + YYMMDD + 3) made into its 18-digit form."""
    body = id15[:6] + "19" + id15[6:]
    return body + check_char(body)


def birth_date_of(id18: str) -> dt.date:
    s = id18[6:14]
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


def sex_of(id18: str) -> str:
    """男 for an odd sequence digit, 女 for an even one."""
    return "男" if int(id18[16]) % 2 else "女"


def age_on(id18: str, day: dt.date) -> int:
    """The holder's age on `day`, from the birth date in the ID."""
    return dates.age_on(birth_date_of(id18), day)


def looks_like_excel_float(raw: object) -> bool:
    """True for a cell Excel kept as a number: the last digits of such an ID are gone for good."""
    if isinstance(raw, float):
        return True
    return isinstance(raw, str) and bool(_FLOAT_LIKE.match(raw.strip()))


# The last answer of normalise: a roster row's ID is checked again at once as the start of its certificate
# number (disability.parse_certificate), with the same day. A tuple is replaced whole: threads see one or the other.
_last_answer: tuple[type, object, dt.date, str] | None = None


def normalise(raw: object, today: dt.date | None = None) -> str:
    """The 18-character ID for what a clerk typed or a workbook held, or IdNumberError saying why not."""
    global _last_answer
    day = today or dt.date.today()
    last = _last_answer
    if last is not None and last[0] is raw.__class__ and last[1] == raw and last[2] == day:
        return last[3]
    answer = _normalise(raw, day)
    _last_answer = (raw.__class__, raw, day, answer)
    return answer


def _normalise(raw: object, today: dt.date) -> str:
    if type(raw) is str and raw.isascii() and _EIGHTEEN_CHARACTERS.fullmatch(raw):
        # nearly every roster cell: 17 ASCII digits and a digit or X, which cleaning leaves as it is, and
        # neither a number Excel kept nor an old 15-digit ID: straight to the date and the check character
        return _checked(raw, today)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise IdNumberError("身份证号为空，请填写18位身份证号。")
    if looks_like_excel_float(raw):
        raise IdNumberError("身份证号被Excel存成了数字，末几位已丢失：请把该列设为文本格式后重新输入身份证号。")
    if isinstance(raw, int):
        raw = str(raw)
    text = clean(str(raw))
    if _FIFTEEN_DIGITS.fullmatch(text):
        text = upgrade_15(text)
    if not _EIGHTEEN_CHARACTERS.fullmatch(text):
        raise IdNumberError(f"身份证号应为18位（最后一位可为X），现为{len(text)}位：请核对后重新填写。")
    return _checked(text, today)


def _checked(text: str, today: dt.date) -> str:
    """An ID of 18 characters (17 digits and a digit or X): itself, if its birth date and check character hold."""
    try:
        born = birth_date_of(text)
    except ValueError:
        raise IdNumberError("身份证号中的出生日期不存在：请核对第7至14位。") from None
    if born > today or born.year < 1890:
        raise IdNumberError("身份证号中的出生日期不可能：请核对第7至14位。")
    if text[17] != check_char(text[:17]):
        # Never the character that would fit: a clerk told "最后一位应为2" changes the last digit, and the
        # register then holds a number that checks but is someone else's; the mistake is anywhere in it.
        raise IdNumberError(CHECK_FAILED)
    return text


def is_valid(raw: object) -> bool:
    try:
        normalise(raw)
    except IdNumberError:
        return False
    return True


def mask(id_number: str | None) -> str:
    """6201**********1234: the region's first four and the last four digits, for lists that are seen by many."""
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
