"""单位信息's identity (issue 17): the 12-digit 统计用区划代码, and the signing key pair made on the first
save, kept out of the database and its audit, shown by the fingerprint of its public key."""

from __future__ import annotations

import re
import stat

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEntry, Setting
from app.errors import InputError
from app.services import signing
from app.services.settings import UnitInfo, change_unit_info, read_unit_identity, read_unit_info


def test_a_region_code_of_twelve_digits_is_kept(db: Database) -> None:
    change_unit_info(db, UnitInfo(town="金塔镇", code=" 620921100000 "))
    assert read_unit_info(db).code == "620921100000"


@pytest.mark.parametrize("code", ["62092110000", "6209211000001", "62092110000X", "６２０９２１１０００００"])
def test_a_region_code_not_of_twelve_digits_is_refused_and_nothing_kept(db: Database, code: str) -> None:
    with pytest.raises(InputError, match="统计用区划代码.*12位数字"):
        change_unit_info(db, UnitInfo(town="金塔镇", code=code))
    assert read_unit_info(db) == UnitInfo()
    assert read_unit_identity(db).public_key == ""


def test_the_first_save_makes_the_key_pair_and_shows_its_fingerprint(db: Database) -> None:
    assert read_unit_identity(db).fingerprint == ""
    change_unit_info(db, UnitInfo(town="金塔镇", code="620921100000"))
    identity = read_unit_identity(db)
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", identity.fingerprint)
    key_file = signing.key_path(db.identity)
    assert key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = signing.load_key(db.identity)
    assert key is not None and signing.public_hex(key) == identity.public_key
    # a later save keeps the same key: the county confirmed this fingerprint once
    change_unit_info(db, UnitInfo(town="金塔镇", code="620921100000", clerk="李红梅"))
    assert read_unit_identity(db).fingerprint == identity.fingerprint


def test_the_private_key_is_nowhere_in_the_database(db: Database) -> None:
    change_unit_info(db, UnitInfo(town="金塔镇", code="620921100000"))
    pem = signing.key_path(db.identity).read_text()
    secret = "".join(pem.splitlines()[1:-1])
    with db.session() as s:
        stored = [*s.scalars(select(Setting.value)), *s.scalars(select(AuditEntry.new_value))]
    assert not any(secret in (value or "") for value in stored)
    assert any(read_unit_identity(db).public_key == value for value in stored)


def test_a_signature_checks_with_the_public_key_only(db: Database) -> None:
    change_unit_info(db, UnitInfo(town="金塔镇"))
    key = signing.load_key(db.identity)
    assert key is not None
    public = read_unit_identity(db).public_key
    assert signing.verify(public, signing.sign(key, b"manifest"), b"manifest")
    assert not signing.verify(public, signing.sign(key, b"manifest"), b"manifesT")
