import datetime as dt

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import PolicyVersion
from app.domain.months import Month
from app.errors import InputError
from app.services.subsidies import payments, policies
from app.services.subsidies.policies import PolicyBook
from tests.services.subsidies.builders import paying, person


def test_shipped_defaults_apply_until_the_clerk_saves(db: Database) -> None:
    living = policies.versions(db, "living")
    assert [v.id for v in living] == [None] and living[0].effective == Month(2019, 1)
    assert living[0].rules["dibao_class_fen"]["1"] == 10000 and not living[0].rules["include_low_income"]
    assert "甘肃" in living[0].note
    assert policies.relief_default_fen(db, "教育补助", Month(2026, 1)) == 50000
    with db.session() as s:
        assert PolicyBook.load(s).record("nursing", Month(2018, 12)) is None
    with db.transaction() as s:
        assert policies.install_defaults(s) == 8
        assert policies.install_defaults(s) == 0


def test_an_edit_takes_effect_from_its_month_only(db: Database) -> None:
    rules = dict(policies.versions(db, "nursing")[0].rules)
    rules["amounts_fen"] = {**rules["amounts_fen"], "1": {**rules["amounts_fen"]["1"], "4": 12000}}
    saved = policies.save_policy(db, "nursing", Month(2027, 1), rules, "县里提高一级肢体标准")
    assert saved.id is not None
    with db.session() as s:
        book = PolicyBook.load(s)
        assert book.policies(Month(2026, 12)).nursing.amount(1, 4) == 10000  # type: ignore[union-attr]
        assert book.policies(Month(2027, 1)).nursing.amount(1, 4) == 12000  # type: ignore[union-attr]
    assert len(policies.versions(db, "nursing")) == 2  # the default was written first: history kept


def test_confirmed_months_keep_their_rule(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        payments.confirm_month.in_session(s, Month(2025, 3), today=dt.date(2025, 3, 20))
        paid_under = s.scalar(select(func.max(PolicyVersion.id)).where(PolicyVersion.programme == "nursing"))
        assert paid_under is not None
    with pytest.raises(InputError, match="2025年3月及以前的补贴已确认发放"):
        policies.save_policy(db, "nursing", Month(2025, 3), policies.versions(db, "nursing")[0].rules)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PolicyVersion)) == 8  # the defaults, nothing more


@pytest.mark.parametrize(("programme", "rules", "message"), [
    ("living", {"dibao_class_fen": {"1": "一百"}}, "生活补贴标准的格式不对"),
    ("nursing", {}, "护理补贴标准的格式不对"),
    ("教育补助", {"default_fen": -1}, "默认金额"),
    ("养老补贴", {}, "没有名为"),
])
def test_bad_rules_are_refused(db: Database, programme: str, rules: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        policies.save_policy(db, programme, Month(2027, 1), rules)
