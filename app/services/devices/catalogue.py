"""The catalogue of device types (辅助器具目录): the defaults shipped in resources/devices/catalogue.json, put
into the register once when it is made (revision 0006 reads them through read_catalogue), then edited by
the clerk in 器具目录. The rules of each type (whom it suits, its use period, whether an assessment comes
first) are data here, never constants in code."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import DeviceType
from app.domain.device_rules import DeviceRule, codes, codes_text, parse_categories, parse_grades, suits_text
from app.domain.disability import CodeError
from app.errors import InputError, NotFound
from app.paths import resource_path
from app.services.actions import Changes, action, query

CATEGORIES = ("肢体", "视力", "听力", "言语", "智力", "精神", "其他")  # the catalogue's groupings


@dataclass(frozen=True)
class DeviceTypeValues:
    """What the clerk edits of a type (and what the catalogue file holds)."""

    name: str
    category: str = "肢体"
    unit: str = "件"
    reusable: bool = False
    use_period_months: int = 0
    suits_categories: tuple[int, ...] = ()
    suits_grades: tuple[int, ...] = ()
    needs_assessment: bool = False
    has_serial: bool = False
    reorder_level: int = 0
    active: bool = True


@dataclass(frozen=True)
class DeviceTypeInfo(DeviceTypeValues):
    id: int = 0

    @property
    def rule(self) -> DeviceRule:
        return DeviceRule(self.name, self.suits_categories, self.suits_grades, self.use_period_months,
                       self.needs_assessment)

    @property
    def suits(self) -> str:
        return suits_text(self.suits_categories, self.suits_grades)

    @property
    def period_text(self) -> str:
        months = self.use_period_months
        if months <= 0:
            return "不限"
        return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def default_catalogue_path() -> Path:
    return resource_path("devices", "catalogue.json")


def read_catalogue(path: Path | None = None) -> list[DeviceTypeValues]:
    """The types in a catalogue file; category and grade names (肢体, 一级) become codes."""
    path = path or default_catalogue_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [_values(entry) for entry in data["types"]]
    except (OSError, ValueError, KeyError, TypeError, CodeError) as exc:
        raise InputError(f"器具目录文件 {path} 无法读取（{exc}）：请检查文件内容。") from None


def _values(entry: dict[str, Any]) -> DeviceTypeValues:
    return DeviceTypeValues(
        name=str(entry["name"]), category=str(entry.get("category", "肢体")), unit=str(entry.get("unit", "件")),
        reusable=bool(entry.get("reusable", False)), use_period_months=int(entry.get("use_period_months", 0)),
        suits_categories=parse_categories(entry.get("suits_categories", [])),
        suits_grades=parse_grades(entry.get("suits_grades", [])),
        needs_assessment=bool(entry.get("needs_assessment", False)), has_serial=bool(entry.get("has_serial", False)),
        reorder_level=int(entry.get("reorder_level", 0)),
    )


def _info(row: DeviceType) -> DeviceTypeInfo:
    return DeviceTypeInfo(
        id=row.id, name=row.name, category=row.category, unit=row.unit, reusable=row.reusable,
        use_period_months=row.use_period_months, suits_categories=codes(row.suits_categories),
        suits_grades=codes(row.suits_grades), needs_assessment=row.needs_assessment, has_serial=row.has_serial,
        reorder_level=row.reorder_level, active=row.active,
    )


def catalogue(session: Session, *, include_inactive: bool = False) -> list[DeviceTypeInfo]:
    """The types in the catalogue's order: by grouping (肢体 first), then name."""
    stmt = select(DeviceType)
    if not include_inactive:
        stmt = stmt.where(DeviceType.active.is_(True))
    rows = [_info(r) for r in session.scalars(stmt)]
    order = {name: i for i, name in enumerate(CATEGORIES)}
    return sorted(rows, key=lambda t: (order.get(t.category, len(order)), t.id))


@query
def catalogue_types(session: Session, *, include_inactive: bool = False) -> list[DeviceTypeInfo]:
    """The types a chooser offers (in use only), or every one for 器具目录 (include_inactive)."""
    return catalogue(session, include_inactive=include_inactive)


def device_type(session: Session, device_type_id: int) -> DeviceTypeInfo:
    row = session.get(DeviceType, device_type_id)
    if row is None:
        raise NotFound("找不到这种器具：请刷新器具目录后重选。")
    return _info(row)


@action(Changes.DEVICES)
def save_device_type(session: Session, values: DeviceTypeValues, device_type_id: int | None = None) -> DeviceTypeInfo:
    """Add a type (device_type_id None) or change one. A type is never deleted: set active=False to hide it."""
    name = values.name.strip()
    if not name:
        raise InputError("器具名称为空：请填写名称，如“普通轮椅”。")
    if not values.unit.strip():
        raise InputError(f"“{name}”的计量单位为空：请填写，如“辆”“副”“台”。")
    if values.use_period_months < 0 or values.reorder_level < 0:
        raise InputError(f"“{name}”的使用年限和补货线不能为负数：请改为0或正数。")
    same = session.scalar(select(DeviceType).where(DeviceType.name == name))
    if same is not None and same.id != device_type_id:
        raise InputError(f"目录中已有“{name}”：请换一个名称，或修改原有的那一种。")
    row = DeviceType() if device_type_id is None else session.get(DeviceType, device_type_id)
    if row is None:
        raise NotFound("找不到要修改的器具：请刷新器具目录。")
    for f in fields(DeviceTypeValues):
        value = getattr(values, f.name)
        if f.name in ("suits_categories", "suits_grades"):
            value = codes_text(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(row, f.name, value)
    if device_type_id is None:
        row.stock_version = 0
        session.add(row)
    session.flush()
    return _info(row)
