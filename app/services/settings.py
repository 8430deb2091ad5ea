"""单位信息 (town, office, the three who sign, phone) used on every printout, and other small settings.

unit_info and save_unit_info work inside a caller's session (a report, the demo town, another service);
the window and the command line use the clerk's read and write of it: read_unit_info and change_unit_info."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Setting
from app.domain.region_code import check_region_code
from app.services.actions import Changes, action, query


@dataclass(frozen=True)
class UnitInfo:
    town: str = ""  # 乡镇, e.g. 金塔镇
    office: str = ""  # 单位, e.g. 金塔镇残疾人联合会
    clerk: str = ""  # 经办人
    reviewer: str = ""  # 审核人
    head: str = ""  # 负责人
    phone: str = ""
    code: str = ""  # 统计用区划代码 of the town, 12 digits (app.domain.region_code)

    @property
    def unit_name(self) -> str:
        """What a printout names as its unit: the office, else the town's 残联."""
        return self.office or (f"{self.town}残疾人联合会" if self.town else "")


def get_setting(session: Session, key: str, default: str = "") -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
    session.flush()


def unit_info(session: Session) -> UnitInfo:
    return UnitInfo(**{f.name: get_setting(session, f"unit.{f.name}") for f in fields(UnitInfo)})


def save_unit_info(session: Session, info: UnitInfo) -> None:
    """Keep every field trimmed (InputError, nothing kept, for a 区划代码 that is not 12 digits); the first
    save with a town named makes the office's signing key pair (app.services.signing)."""
    check_region_code(info.code)
    for key, value in asdict(info).items():
        set_setting(session, f"unit.{key}", value.strip())
    if info.town.strip():
        from app.services import signing  # cryptography loads only when a key is made or used, not at start

        signing.ensure_key(session)


@dataclass(frozen=True)
class UnitIdentity:
    """Who the office is to the county: its town, 区划代码 and the fingerprint of its public key."""

    town: str
    code: str
    public_key: str  # hex; "" before the unit information was first saved
    fingerprint: str  # in groups of 4 hex digits; "" without a key


def unit_identity(session: Session) -> UnitIdentity:
    from app.services import signing

    info = unit_info(session)
    public = get_setting(session, signing.PUBLIC_KEY)
    return UnitIdentity(info.town, info.code, public, signing.fingerprint(public) if public else "")


@query
def read_unit_identity(session: Session) -> UnitIdentity:
    """单位信息's 核对码 line, and what a 上报包 names as its sender."""
    return unit_identity(session)


@query
def read_unit_info(session: Session) -> UnitInfo:
    """单位信息 as stored (the window's title, the clerk named in the audit, the 单位信息 form)."""
    return unit_info(session)


@action(Changes.SETTINGS)
def change_unit_info(session: Session, info: UnitInfo) -> UnitInfo:
    """保存 in 单位信息: every field kept trimmed; returns what is stored now."""
    save_unit_info(session, info)
    return unit_info(session)
