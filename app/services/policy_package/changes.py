"""What a 政策更新包 would change in a town's 政策设置 and 器具目录, in the clerk's words: each standard's
amounts old → new with the month it starts from, and the catalogue's items added or changed. A version
the town already has (the same rules from the same month, or the rules in force then) changes nothing
and is not listed; a catalogue item the town has and the county's has not is left as it is."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from app.domain.device_rules import suits_text
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.money import yuan_plain
from app.domain.months import Month
from app.domain.words import Programme
from app.services.devices.catalogue import DeviceTypeInfo, DeviceTypeValues

CLASSES = ("一类", "二类", "三类", "四类")


def programme_name(programme: str) -> str:
    return Programme(programme).full_name if programme in tuple(Programme) else programme


def _amount(fen: Any) -> str:
    return "不在范围" if fen is None else f"{yuan_plain(int(fen))}元"


def _yes(value: Any) -> str:
    return "是" if value else "否"


def rule_items(programme: str, rules: dict[str, Any]) -> dict[str, str]:
    """A programme's rules as {what the clerk reads: its value} (低保一类户: 100.00元, 一级肢体: 100.00元)."""
    if programme == Programme.LIVING:
        items = {f"低保{name}户": _amount(rules.get("dibao_class_fen", {}).get(str(i + 1)))
                 for i, name in enumerate(CLASSES)}
        items["扩大到低收入户"] = _yes(rules.get("include_low_income"))
        items["低收入户"] = _amount(rules.get("low_income_fen"))
        return items
    if programme == Programme.NURSING:
        table = rules.get("amounts_fen", {})
        return {f"{grade_name}{name}": _amount(table.get(str(int(grade)), {}).get(str(int(category))))
                for grade, grade_name in GRADE_NAMES.items() for category, name in CATEGORY_NAMES.items()}
    return {"默认金额": _amount(rules.get("default_fen")),
            "计算方式": "按户" if rules.get("per") == "household" else "按人"}


@dataclass(frozen=True)
class StandardChange:
    """One programme's standard from a month: new (no version of the town starts that month) or corrected."""

    programme: str
    effective: Month
    rules: dict[str, Any]
    note: str
    changes: tuple[tuple[str, str, str], ...]  # (what, old, new)
    paid_through: Month | None = None  # set: not taken, the town has confirmed payments up to this month

    def line(self) -> str:
        said = "；".join(f"{what} {old} → {new}" for what, old, new in self.changes)
        if self.paid_through is not None:
            return (f"不采用：{programme_name(self.programme)} 从{self.effective.label}起的标准（本镇"
                    f"{self.paid_through.label}及以前已确认发放，按原标准不变）：{said}")
        return f"{programme_name(self.programme)} 从{self.effective.label}起：{said}"


def standard_change(programme: str, effective: Month, old: dict[str, Any] | None, new: dict[str, Any],
                    note: str) -> StandardChange | None:
    """The change from the rules in force at that month (None: none was) to the county's; None when equal."""
    before = rule_items(programme, old) if old is not None else {}
    after = rule_items(programme, new)
    changes = tuple((what, before.get(what, "无"), value) for what, value in after.items()
                    if before.get(what) != value)
    return StandardChange(programme, effective, new, note, changes) if changes else None


ITEM_FIELDS = {"category": "分类", "unit": "单位", "reusable": "可回收再用", "use_period_months": "使用年限（月）",
               "needs_assessment": "需先评估", "has_serial": "有编号", "active": "在用"}


def _shown(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return _yes(value)
    return str(value)


@dataclass(frozen=True)
class ItemChange:
    """One catalogue item the county's catalogue adds (device_type_id None) or changes."""

    name: str
    values: DeviceTypeValues
    device_type_id: int | None
    changes: tuple[tuple[str, str, str], ...]

    def line(self) -> str:
        if self.device_type_id is None:
            return f"器具目录 新增：{self.name}（{self.values.category}，单位{self.values.unit}）"
        return f"器具目录 变更：{self.name} " + "；".join(f"{what} {old} → {new}" for what, old, new in self.changes)


def item_values(raw: dict[str, Any]) -> DeviceTypeValues:
    given: dict[str, Any] = {f.name: raw[f.name] for f in fields(DeviceTypeValues) if f.name in raw}
    for name in ("suits_categories", "suits_grades"):  # JSON lists; the catalogue keeps tuples of codes
        given[name] = tuple(int(code) for code in given.get(name, ()))
    return DeviceTypeValues(**given)


def item_change(raw: dict[str, Any], mine: DeviceTypeInfo | None) -> ItemChange | None:
    """The county's item against the town's of the same name (None: the town has none); None when equal.
    The town's 补货线 is its own stock's and is kept."""
    county = item_values(raw)
    if mine is None:
        return ItemChange(county.name, county, None, ())
    changes = [(label, _shown(name, getattr(mine, name)), _shown(name, getattr(county, name)))
               for name, label in ITEM_FIELDS.items() if getattr(mine, name) != getattr(county, name)]
    old_suits = suits_text(mine.suits_categories, mine.suits_grades)
    new_suits = suits_text(county.suits_categories, county.suits_grades)
    if old_suits != new_suits:
        changes.append(("适用对象", old_suits, new_suits))
    if not changes:
        return None
    kept = DeviceTypeValues(**{**{f.name: getattr(county, f.name) for f in fields(DeviceTypeValues)},
                               "reorder_level": mine.reorder_level})
    return ItemChange(county.name, kept, mine.id, tuple(changes))
