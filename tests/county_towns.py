"""Demo towns for the 上报包 and 县级汇总 tests: each a register file of its own, with its own name,
区划代码 and signing key, and the county's empty register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.db.engine import Database, open_database
from app.demo import fill_demo

YEAR = dt.date.today().year


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
