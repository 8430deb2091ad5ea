"""What the demo steps share: the session, the seeded random source, the period, the town built so far,
and the counts each step adds to the one line `canlian demo` prints."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.demo.town import DemoHousehold, DemoPerson, DemoVillage


@dataclass
class DemoCounts:
    year: int
    registered: int = 0
    villages: int = 0
    households: int = 0
    dibao_persons: int = 0
    labor_capable: int = 0
    insured: int = 0
    new_registrations: int = 0
    deaths: int = 0
    moved_out: int = 0
    extras: list[str] = field(default_factory=list)  # added by later steps, e.g. "两项补贴112人"

    def line(self) -> str:
        parts = [
            f"在册{self.registered}人", f"{self.villages}个村", f"{self.households}户",
            f"低保{self.dibao_persons}人", f"有劳动能力{self.labor_capable}人", f"参加医保{self.insured}人",
            f"{self.year - 4}-{self.year}年新登记{self.new_registrations}人、"
            f"死亡{self.deaths}人、迁出{self.moved_out}人",
            *self.extras,
        ]
        return f"演示乡镇（{self.year}年）：" + "，".join(parts)


@dataclass
class DemoTown:
    """The shared state of one demo fill. `end` is the last day anything may be dated: the last day of
    the year, or today when the year is the current one (no record is dated in the future)."""

    session: Session
    rng: random.Random
    year: int
    end: dt.date
    town: str
    counts: DemoCounts
    villages: list[DemoVillage] = field(default_factory=list)
    households: list[DemoHousehold] = field(default_factory=list)
    persons: list[DemoPerson] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        """The first day of the five years the demo's history covers."""
        return dt.date(self.year - 4, 1, 1)

    def on_register(self) -> list[DemoPerson]:
        return [p for p in self.persons if p.on_register]
