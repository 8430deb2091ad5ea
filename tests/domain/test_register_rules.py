from app.domain.register_rules import check_person
from tests.factories import make_id


def test_certificate_fills_category_and_grade() -> None:
    id18 = make_id()
    checked = check_person({"name": "王五", "id_number": id18, "certificate_number": id18 + "61"})
    assert checked.ok
    assert (checked.values["category"], checked.values["grade"]) == (6, 1)


def test_certificate_contradicting_grade_is_an_error() -> None:
    id18 = make_id()
    checked = check_person({"name": "王五", "id_number": id18, "certificate_number": id18 + "61", "grade": "二级"})
    assert "一级" in checked.errors["certificate_number"]


def test_certificate_of_another_id_is_an_error() -> None:
    checked = check_person({"name": "王五", "id_number": make_id(seq="111"),
                            "certificate_number": make_id(seq="222") + "41"})
    assert "不一致" in checked.errors["certificate_number"]


def test_sex_contradicting_id_is_a_warning_and_id_wins() -> None:
    checked = check_person({"name": "王五", "id_number": make_id(seq="123"), "sex": "女", "category": 4, "grade": 3})
    assert checked.ok and checked.values["sex"] == "男"
    assert "性别" in checked.warnings[0]


def test_required_fields() -> None:
    checked = check_person({"name": " ", "id_number": ""})
    assert set(checked.errors) == {"name", "id_number", "category", "grade"}


def test_yes_no_and_choices() -> None:
    checked = check_person({"name": "王五", "id_number": make_id(), "category": 4, "grade": 3, "dibao": "二类低保",
                            "labor_ability": "部分丧失", "self_care": "完全不能自理", "group": 3.0})
    assert checked.values["dibao"] is True and checked.values["dibao_class"] == 2
    assert checked.values["labor_ability"] == "部分"
    assert checked.values["self_care"] == "不能自理"
    assert checked.values["group"] == "3组"


def _base(**fields: object) -> dict[str, object]:
    return {"name": "王五", "id_number": make_id(), "category": 4, "grade": 3, **fields}


def test_a_mobile_or_a_landline_with_its_area_code_is_a_phone() -> None:
    checked = check_person(_base(phone="139 0000 1111", guardian_phone="(0937)4421234",
                                 bank_account=6228480012345678901))
    assert checked.ok
    assert checked.values["phone"] == "13900001111"
    assert checked.values["guardian_phone"] == "0937-4421234"
    assert checked.values["bank_account"] == "6228480012345678901"
    assert check_person(_base(phone="010-62345678")).values["phone"] == "010-62345678"
    assert check_person(_base(phone=13900001111.0)).values["phone"] == "13900001111"  # a number cell


def test_a_phone_that_is_neither_is_explained_at_its_field() -> None:
    for bad in ("12345", "1390000111", "139000011112", "4421234", "0937-44212", "13900001111/13900002222"):
        checked = check_person(_base(phone=bad, guardian_phone=bad))
        assert "联系电话" in checked.errors["phone"] and "11位" in checked.errors["phone"]
        assert "监护人电话" in checked.errors["guardian_phone"]
        assert bad in checked.errors["phone"]


def test_a_bank_account_is_digits_of_a_plausible_length() -> None:
    for bad in ("62284800", "6228-4800-1234-5678-901-2345-6789-01", "622848001234567890X", "农信社"):
        assert "银行账号" in check_person(_base(bank_account=bad)).errors["bank_account"]
    assert check_person(_base(bank_account="6228 4800 1234 5678 901")).values["bank_account"] == "6228480012345678901"


def test_an_odd_phone_already_stored_passes_untouched_but_not_when_changed() -> None:
    stored = {"phone": "4421234（村委会）", "guardian_phone": "", "bank_account": "12345"}
    untouched = check_person(_base(phone="4421234（村委会）", bank_account="12345"), stored=stored)
    assert untouched.ok and untouched.values["phone"] == "4421234（村委会）"
    changed = check_person(_base(phone="4421235", bank_account="12345"), stored=stored)
    assert set(changed.errors) == {"phone"}


def test_a_village_is_required_where_asked() -> None:
    assert check_person(_base()).ok
    missing = check_person(_base(village=" "), require_village=True)
    assert set(missing.errors) == {"village"} and "村为空" in missing.errors["village"]
    assert check_person(_base(village="金塔村"), require_village=True).ok


def test_categories_and_grades_remembered_give_the_parse_s_own_answers() -> None:
    """check_person remembers each category and grade cell's parse: every value, asked again and again and
    in any order, gets what disability's parse itself answers (the category or the refusal's words); True
    and 1 are different cells."""
    import datetime as dt
    import itertools

    from app.domain import disability

    cells: list[object] = ["肢体", "肢体残疾", " 视力 ", "4", 4, 4.0, True, 1, "多重", "八", "一级", "二", 2, 2.5,
                           "壹级", "5级", False, dt.date(2024, 1, 1), "精神类", "１"]
    for cell in itertools.chain(cells, reversed(cells), cells):
        for key, parse in (("category", disability.parse_category), ("grade", disability.parse_grade)):
            try:
                expected: object = int(parse(cell))
            except disability.CodeError as exc:
                expected = str(exc)
            checked = check_person({"name": "张三", "id_number": make_id(), key: cell})
            assert checked.values.get(key, checked.errors.get(key)) == expected, (key, cell)
