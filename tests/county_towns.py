"""Demo towns for the 上报包 and 县级汇总 tests: each a register file of its own, with its own name,
区划代码 and signing key, and the county's empty register; a county register with its own key and new
standards for the 政策更新包 tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.db.engine import Database, open_database
from app.demo import fill_demo
from app.domain.months import Month
from app.services.county.towns import change_county_mode
from app.services.devices.catalogue import DeviceTypeValues, catalogue_types, save_device_type
from app.services.settings import UnitInfo, change_unit_info
from app.services.subsidies.policies import save_policy

YEAR = dt.date.today().year
NEXT_YEAR = Month(YEAR + 1, 1)
LIVING = {"dibao_class_fen": {"1": 12000, "2": 12000, "3": 6000, "4": 6000}, "include_low_income": False,
          "low_income_fen": 5000}
HEARING_AID = DeviceTypeValues(name="助听器（耳背式）", category="听力", unit="台", use_period_months=60,
                               suits_categories=(3,), needs_assessment=True)


def make_county(folder: Path, name: str = "金塔县") -> Database:
    """A county register with its own 单位信息 (and so its key), a new living standard from next January and
    a catalogue with one item more and one changed."""
    county = open_database(folder / f"{name}残联.db")
    change_county_mode(county, True)
    change_unit_info(county, UnitInfo(town=name, office=f"{name}残疾人联合会", code="620921000000"))
    save_policy(county, "living", NEXT_YEAR, LIVING, "甘民发〔2026〕9号")
    save_device_type(county, HEARING_AID)
    first = catalogue_types(county)[0]
    save_device_type(county, dataclasses.replace(first, use_period_months=72), first.id)
    return county


def make_town(folder: Path, name: str, *, seed: int, persons: int = 40, year: int = YEAR) -> Database:
    """A demo town of its own in folder/<name>.db (open: the caller closes it)."""
    db = open_database(folder / f"{name}.db")
    with db.transaction("演示数据") as s:
        fill_demo(s, year=year, persons=persons, seed=seed, town_name=name)
    return db


def flat(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A summary's figures as one level of dotted keys (visits.households, by_category.肢体, ...)."""
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def differences(county: dict[str, Any], own: dict[str, dict[str, Any]]) -> list[str]:
    """Where the county's figures differ from the sum of the towns' own summaries, key by key (amounts as
    Decimal yuan, counts as integers), and by_town from each town's own; [] when they agree. Summed here
    independently of app.services.county.figures.add_figures: flattened, every key of every town."""
    found: list[str] = []
    towns = {name: flat({**figures, "by_village": {}}) for name, figures in own.items()}
    county_flat = flat({**county, "by_village": {}, "by_town": {}})
    keys = {key for figures in towns.values() for key in figures} - {"year", "since"}
    for key in sorted(keys):
        values = [figures.get(key) for figures in towns.values() if key in figures]
        expected: Any = (sum(Decimal(v) for v in values) if isinstance(values[0], str)
                         else sum(int(v) for v in values))
        got = county_flat.get(key)
        if got is None or (Decimal(got) if isinstance(expected, Decimal) else got) != expected:
            found.append(f"{key}: 县 {got} ≠ 各乡镇之和 {expected}")
    villages = {f"{town}·{village}": n for town, figures in own.items() for village, n in figures["by_village"].items()}
    if county.get("by_village") != villages:
        found.append("by_village: 县的各村人数与各乡镇的不符")
    for town, figures in own.items():
        if county.get("by_town", {}).get(town) != figures:
            found.append(f"by_town.{town}: 与该乡镇自己的统计不符")
    if set(county.get("by_town", {})) != set(own):
        found.append(f"by_town: 县里有 {sorted(county.get('by_town', {}))}，乡镇是 {sorted(own)}")
    return found
