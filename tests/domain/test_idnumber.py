import datetime as dt

import pytest

from app.domain import idnumber
from app.domain.idnumber import IdNumberError
from tests.factories import make_id


def test_check_character_follows_the_standard() -> None:
    assert idnumber.check_char("11010519491231002") == "X"  # the standard's own example
    assert idnumber.normalise("11010519491231002x") == "11010519491231002X"


def test_cleaning_spaces_fullwidth_and_lower_x() -> None:
    assert idnumber.normalise(" １１０１０５ 19491231002ｘ ") == "11010519491231002X"


def test_fifteen_digit_id_is_upgraded() -> None:
    assert idnumber.normalise("110105491231002") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("110105194912310021", "没有通过校验"),
        ("110105194913310021", "出生日期"),
        ("1101051949", "18位"),
        (6.201021980010111e17, "文本格式"),
        ("6.20102198001011E+17", "文本格式"),
        ("", "为空"),
    ],
)
def test_bad_ids_say_what_to_fix(raw: object, words: str) -> None:
    with pytest.raises(IdNumberError, match=words):
        idnumber.normalise(raw)


def test_a_number_that_does_not_check_sends_the_clerk_to_the_whole_card_not_the_last_digit() -> None:
    """"最后一位应为2" made clerks change the last digit: the register then held a number that checks but
    belongs to no one. The message says the number does not check and to compare all of it with the card."""
    good = make_id("19750312", "242")
    wrong_last = good[:-1] + ("0" if good[-1] != "0" else "1")
    swapped = good[:14] + good[15] + good[14] + good[16:]  # 2 and 4 of the sequence number the wrong way round
    for bad in (wrong_last, swapped):
        with pytest.raises(IdNumberError) as refused:
            idnumber.normalise(bad)
        message = str(refused.value)
        assert "没有通过校验" in message and "对照身份证" in message and "整个号码" in message
        assert "最后一位" not in message and "应为" not in message and "校验位" not in message


def test_future_birth_date_is_refused() -> None:
    future = make_id(birth=(dt.date.today() + dt.timedelta(days=400)).strftime("%Y%m%d"))
    with pytest.raises(IdNumberError, match="不可能"):
        idnumber.normalise(future)


def test_birth_sex_age_and_mask() -> None:
    id18 = make_id(birth="19800215", seq="124")
    assert idnumber.birth_date_of(id18) == dt.date(1980, 2, 15)
    assert idnumber.sex_of(id18) == "女"
    assert idnumber.sex_of(make_id(seq="123")) == "男"
    assert idnumber.age_on(id18, dt.date(2026, 2, 14)) == 45
    assert idnumber.age_on(id18, dt.date(2026, 2, 15)) == 46
    assert idnumber.mask(id18) == id18[:4] + "*" * 10 + id18[-4:]


def test_the_quick_check_character_is_the_weighted_sum_of_the_standard() -> None:
    """check_char reads ASCII digits by their codes: the same character as the standard's sum of each
    digit's value times its weight, for every digit at every place; full-width digits as before."""
    import random

    rng = random.Random(15)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    bodies = ["".join(rng.choice("0123456789") for _ in range(17)) for _ in range(2000)]
    bodies += [str(d) * 17 for d in range(10)]
    for body in bodies:
        total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
        assert idnumber.check_char(body) == "10X98765432"[total % 11]
    assert idnumber.check_char("１１０１０５１９４９１２３１００２") == "X"
    with pytest.raises(ValueError):
        idnumber.check_char("1101051949123100 ")


def test_the_last_answer_kept_is_for_the_same_value_and_day_only() -> None:
    """normalise keeps its last answer (a roster row's ID is checked again inside its certificate number):
    another day, another type or another value is checked afresh."""
    born_tomorrow = make_id("20300602")
    assert idnumber.normalise(born_tomorrow, dt.date(2030, 6, 3)) == born_tomorrow
    with pytest.raises(IdNumberError, match="不可能"):
        idnumber.normalise(born_tomorrow, dt.date(2030, 6, 1))
    fifteen = "110105491231002"
    assert idnumber.normalise(fifteen) == "11010519491231002X"
    with pytest.raises(IdNumberError, match="文本格式"):
        idnumber.normalise(float(fifteen))
    assert idnumber.normalise(int(fifteen)) == "11010519491231002X"
    assert idnumber.normalise("11010519491231002x") == "11010519491231002X"
    with pytest.raises(IdNumberError, match="校验"):
        idnumber.normalise("110105194912310021")


def test_a_plain_eighteen_character_cell_gets_the_answer_of_the_whole_check() -> None:
    """normalise takes a plain cell of 17 ASCII digits and a digit or X straight to the date and the check
    character: for such cells (good, with a wrong check character, an impossible or a missing date) and for
    those that only look alike (full-width digits, a lower-case x, spaces) the answer is the whole check's,
    made here step by step as before."""
    good = make_id("19491231", "002")
    cells = [good, good[:-1] + ("0" if good[-1] != "0" else "1"), make_id("20990101"), "620921" + "19490231" + "0021",
             "620921" + "18800101" + "0021", good.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
             "11010519491231002x", " " + good, good + " ", "11010519491231002X", "1" * 18, "123456789012345678"]
    today = dt.date(2026, 11, 30)

    def whole_check(raw: str) -> str:
        text = idnumber.clean(raw)
        assert len(text) == 18 and text[:17].isdigit()
        try:
            born = idnumber.birth_date_of(text)
        except ValueError:
            return "出生日期不存在"
        if born > today or born.year < 1890:
            return "出生日期不可能"
        return text if text[17] == idnumber.check_char(text[:17]) else idnumber.CHECK_FAILED

    for cell in cells:
        try:
            answer = idnumber.normalise(cell, today)
        except IdNumberError as exc:
            answer = str(exc)
        expected = whole_check(cell)
        assert answer == expected or expected in answer, cell
