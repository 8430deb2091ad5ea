"""The county's figures (`canlian summary --year Y --county`): the same keys as a town's summary, each the
sum over the towns of their own summaries for that year as their latest 上报包 carried them (signed, so
the county adds exactly what each town reported), plus by_town {town: its figures}. The county's own check
of them is 待核实's 发放与统计不符 (county.checks), which sums the payments sent against the town's figure.

Villages keep their town's name (金塔镇·东坝村): two towns may each have a village of the same name."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.db.models import CountyPackage, CountyTown
from app.domain.money import fen, yuan_plain
from app.errors import InputError
from app.services.actions import query
from app.services.summary.figures import Period, empty_figures

_NOT_SUMMED = {"year", "since"}


def _is_amount(key: str, value: Any) -> bool:
    return isinstance(value, str) and (key == "amount" or key.endswith("_amount") or key in (
        "recovered", "written_off", "outstanding"))


def add_figures(total: dict[str, Any], figures: dict[str, Any]) -> None:
    """Add one town's figures into the total, key by key (amounts as fen, counts as integers)."""
    for key, value in figures.items():
        if key in _NOT_SUMMED:
            continue
        if isinstance(value, dict):
            add_figures(total.setdefault(key, {}), value)
        elif _is_amount(key, value):
            total[key] = yuan_plain(fen(str(total.get(key, "0"))) + fen(value))
        elif isinstance(value, int):
            total[key] = int(total.get(key, 0)) + value


def town_figures(session: Session, year: int) -> dict[str, dict[str, Any]]:
    """Each town's own figures of the year from its latest accepted package, by town name ({} for a town
    whose latest package does not reach that year)."""
    stmt = (select(CountyTown.name, CountyPackage.summaries)
            .join(CountyPackage, and_(CountyPackage.town_id == CountyTown.id,
                                      CountyPackage.sequence == CountyTown.last_sequence))
            .order_by(CountyTown.code))
    return {name: json.loads(summaries).get(str(year), {}) for name, summaries in session.execute(stmt)}


@query
def county_summary(session: Session, *, year: int) -> dict[str, Any]:
    """The county's figures of the year: the sum of its towns' own, with by_town and the towns whose
    package has no figures for the year (towns_without_figures)."""
    by_town = town_figures(session, year)
    if not by_town:
        raise InputError("县里还没有导入任何乡镇的上报包：请先用 canlian county import 导入。")
    total = empty_figures(Period(since=year, year=year))
    total["by_village"] = {}
    for town, figures in by_town.items():
        if not figures:
            continue
        add_figures(total, {**figures, "by_village": {}})
        for village, count in figures["by_village"].items():
            total["by_village"][f"{town}·{village}"] = count
    total["by_town"] = {town: figures for town, figures in by_town.items() if figures}
    total["towns_without_figures"] = [town for town, figures in by_town.items() if not figures]
    return total


@dataclass(frozen=True)
class TownFigures:
    """A town's line of the county's yearly report: who, its latest package's date, its own figures."""

    name: str
    code: str
    as_of: dt.date | None
    figures: dict[str, Any]  # {} when its latest package has no figures for the year


def town_lines(session: Session, year: int) -> list[TownFigures]:
    """Every registered town by 区划代码, with its own figures of the year."""
    by_town = town_figures(session, year)
    return [TownFigures(t.name, t.code, t.last_as_of, by_town.get(t.name, {}))
            for t in session.scalars(select(CountyTown).order_by(CountyTown.code))]


@dataclass(frozen=True)
class LateTown:
    """A line of the county report's 上报情况 page: a town whose package does not cover the period."""

    name: str
    code: str
    sequence: int  # the number of its last accepted package (0: none accepted)
    as_of: dt.date | None  # that package's date (None: 未报送)
    imported: dt.date | None  # the day the county accepted it
    missing: bool  # its package has no figures of the year at all (else: made before the period ended)


def period_end(year: int) -> dt.date:
    """The day a package must reach to cover the year: 31 December, or today in the year still running."""
    return min(dt.date(year, 12, 31), dt.date.today())


def late_towns(session: Session, year: int) -> list[LateTown]:
    """The towns whose last accepted package is missing for the year or made before the period's end,
    by 区划代码, with the date of that package and of its acceptance."""
    by_town = town_figures(session, year)
    end = period_end(year)
    stmt = (select(CountyTown, CountyPackage.imported_at)
            .outerjoin(CountyPackage, and_(CountyPackage.town_id == CountyTown.id,
                                           CountyPackage.sequence == CountyTown.last_sequence))
            .order_by(CountyTown.code))
    late = []
    for town, imported in session.execute(stmt):
        missing = not by_town.get(town.name)
        if missing or town.last_as_of is None or town.last_as_of < end:
            late.append(LateTown(town.name, town.code, town.last_sequence, town.last_as_of,
                                 imported.date() if imported else None, missing))
    return late
