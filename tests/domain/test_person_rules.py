from app.domain.person_rules import check_person
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
