import pytest

from app.domain.disability import (
    Category,
    CodeError,
    Grade,
    parse_category,
    parse_certificate,
    parse_components,
    parse_grade,
)
from tests.factories import make_id


@pytest.mark.parametrize("raw", ["4", 4, 4.0, "肢体", "肢体残疾", " 肢体 ", "４"])
def test_category_spellings(raw: object) -> None:
    assert parse_category(raw) is Category.PHYSICAL


@pytest.mark.parametrize("raw", ["1", 1, "一级", "一", "1级", "壹级", "一级残疾"])
def test_grade_spellings(raw: object) -> None:
    assert parse_grade(raw) is Grade.ONE


@pytest.mark.parametrize("raw", ["特级", "5", "五级", "0"])
def test_grades_that_do_not_exist(raw: str) -> None:
    with pytest.raises(CodeError, match="不存在"):
        parse_grade(raw)


def test_unknown_category() -> None:
    with pytest.raises(CodeError, match="无法识别"):
        parse_category("心理")


def test_certificate_splits_into_id_category_grade() -> None:
    id18 = make_id()
    assert parse_certificate(id18 + "52") == (id18, Category.INTELLECTUAL, Grade.TWO)
    with pytest.raises(CodeError):
        parse_certificate(id18 + "92")
    with pytest.raises(CodeError):
        parse_certificate(id18[:17] + "0" + "52")


def test_severity_and_components() -> None:
    assert Grade.TWO.severity == "重度" and Grade.THREE.severity == "中度" and Grade.FOUR.severity == "轻度"
    assert parse_components("智力+肢体") == (Category.PHYSICAL, Category.INTELLECTUAL)
    with pytest.raises(CodeError):
        parse_components("多重,肢体")
