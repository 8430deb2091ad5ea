"""The demo step for rehabilitation devices: each year the county's allocation arrives in January, then 30-39
items (the seed town's "30多件") go out over the year to persons whose category and grade suit them, and a
few reusable items (wheelchairs of persons who died) come back.

A county-sized demo scales the same shares with the number of persons on the register, so its figures
look like many towns added up. Rows go in by executemany with their ids worked out here (an issue must be
known before its return points at it): 50,000 issues in well under a second of inserting."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, deque
from typing import Any

from sqlalchemy import func, select

from app.db.models import DeviceReceipt, StockMovement
from app.demo.context import DemoTown
from app.demo.draw import Draw, below
from app.demo.load import _insert
from app.demo.rows import indexes_after
from app.demo.town import DemoPerson
from app.domain.device_rules import DeviceRule, person_disability, replacement_from
from app.domain.words import Movement, PersonStatus
from app.services.devices.catalogue import DeviceTypeInfo, catalogue
from app.services.devices.stock import COUNTY

SEED_TOWN = 345
# How often each type is issued, relative to one another (wheelchairs and crutches most).
WEIGHTS = {"普通轮椅": 8, "拐杖": 7, "坐便椅": 5, "助听器": 5, "助行器": 4, "手杖": 3, "助视器": 3, "盲杖": 2}
MODELS = {"普通轮椅": "H005钢制", "坐便椅": "ZB-01", "助行器": "ZX-02铝合金", "拐杖": "腋下拐可调", "手杖": "四脚手杖",
          "助视器": "4倍手持式", "盲杖": "折叠式", "助听器": "耳背式B40"}
SERIAL_PREFIX = {"普通轮椅": "LY", "助听器": "ZT"}
DONORS = ("金塔县慈善总会", "酒泉市红十字会", "爱心企业捐赠")


class _Stock:
    """Serial numbers waiting in the store room, per type (first in, first out)."""

    def __init__(self) -> None:
        self.serials: dict[int, deque[str]] = {}

    def take(self, type_id: int) -> str:
        queue = self.serials.get(type_id)
        return queue.popleft() if queue else ""


def _candidates(town: DemoTown, types: list[DeviceTypeInfo]) -> dict[int, list[DemoPerson]]:
    """Per type, everyone it suits: persons grouped by (category, grade, components) first, so a county
    of 100,000 asks the rule a few dozen times instead of 800,000."""
    groups: dict[tuple[int, int, str], list[DemoPerson]] = {}
    for person in town.persons:
        groups.setdefault((person.row["category"], person.row["grade"], person.row["components"]), []).append(person)
    return {t.id: [p for key, members in groups.items() if _suits(t.rule, *key) for p in members] for t in types}


def _suits(rule: DeviceRule, category: int, grade: int, components: str) -> bool:
    held = person_disability(category, grade, components)
    if rule.suits_categories and not held.categories() & set(rule.suits_categories):
        return False
    return not rule.suits_grades or held.grade in rule.suits_grades


def _on_register(person: DemoPerson, day: dt.date) -> bool:
    return person.registered <= day and (person.left is None or person.left[1] > day)


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0))


class _Writer:
    """Collects the rows with their ids, then writes them in two executemany calls."""

    def __init__(self, town: DemoTown) -> None:
        self.town = town
        self.movements: list[dict[str, Any]] = []
        self.receipts: list[dict[str, Any]] = []
        self.stock = _Stock()
        self.first_movement = (town.session.scalar(select(func.max(StockMovement.id))) or 0) + 1
        self.first_receipt = (town.session.scalar(select(func.max(DeviceReceipt.id))) or 0) + 1
        self.received: Counter[int] = Counter()  # serial numbers given so far, per type
        self.numbers: Counter[int] = Counter()  # 领取单 numbers used so far, per year

    def move(self, **row: Any) -> int:
        row.setdefault("created_at", _stamp(row["date"]))
        for key in ("source", "batch", "serial", "model", "condition", "reason"):
            row.setdefault(key, "")
        for key in ("person_id", "receipt_id", "returned_movement_id"):
            row.setdefault(key, None)
        row["id"] = self.first_movement + len(self.movements)
        self.movements.append(row)
        return int(row["id"])

    def receive(self, kind: DeviceTypeInfo, day: dt.date, quantity: int, source: str, year: int) -> None:
        prefix = SERIAL_PREFIX.get(kind.name)
        if prefix and kind.has_serial:
            queue = self.stock.serials.setdefault(kind.id, deque())
            start = self.received[kind.id]
            self.received[kind.id] += quantity
            for n in range(start + 1, start + quantity + 1):
                serial = f"{prefix}{year}-{n:04d}"
                self.move(device_type_id=kind.id, kind=Movement.RECEIVED, date=day, quantity=1, source=source,
                          batch=f"{year}年第1批", serial=serial, model=MODELS.get(kind.name, ""))
                queue.append(serial)
        else:
            self.move(device_type_id=kind.id, kind=Movement.RECEIVED, date=day, quantity=quantity, source=source,
                      batch=f"{year}年第1批", model=MODELS.get(kind.name, ""))

    def receipt(self, person: DemoPerson, day: dt.date) -> int:
        self.numbers[day.year] += 1
        number = self.numbers[day.year]
        rid = self.first_receipt + len(self.receipts)
        self.receipts.append({"id": rid, "number": f"{day.year}-{number:04d}", "person_id": person.id, "date": day,
                              "clerk": "", "checker": "", "created_at": _stamp(day)})
        return rid

    def write(self) -> None:
        with indexes_after(self.town.session, DeviceReceipt.__table__, StockMovement.__table__):
            _insert(self.town, DeviceReceipt, self.receipts)
            _insert(self.town, StockMovement, self.movements)


def _plan_year(town: DemoTown, types: list[DeviceTypeInfo], year: int, scale: float,
               last: dict[tuple[int, int], dt.date],
               candidates: dict[int, list[DemoPerson]]) -> list[tuple[dt.date, DemoPerson, DeviceTypeInfo]]:
    """The year's issues: (day, person, type), each to a person it suits and not within its use period."""
    rng = town.rng
    first, final = dt.date(year, 2, 1), min(dt.date(year, 12, 20), town.end)
    if final < first:
        return []
    wanted = max(1, round(rng.randint(30, 39) * scale))
    # the same draws as rng.choices(types, weights), rng.choice(pool) and rng.randrange(days) (app.demo.draw),
    # made ready once: a county's year tries 15,000 issues
    kinds = Draw((t, WEIGHTS.get(t.name, 1)) for t in types)
    draw, days = below(rng), (final - first).days + 1
    plan: list[tuple[dt.date, DemoPerson, DeviceTypeInfo]] = []
    tries = 0
    while len(plan) < wanted and tries < wanted * 30:
        tries += 1
        kind = kinds(rng)
        pool = candidates[kind.id]
        if not pool:
            continue
        person = pool[draw(len(pool))]
        day = first + dt.timedelta(days=draw(days))
        key = (person.id, kind.id)
        due = replacement_from(last[key], kind.use_period_months) if key in last else None
        if not _on_register(person, day) or (due is not None and day < due) or key in last and due is None:
            continue
        last[key] = day
        plan.append((day, person, kind))
    return sorted(plan, key=lambda p: (p[0], p[1].id))


def devices_step(town: DemoTown) -> None:
    """Stock receipts, issues and a few returns over the five years; adds "辅助器具发放N件" to the line."""
    rng: random.Random = town.rng
    types = [t for t in catalogue(town.session) if t.name in WEIGHTS] or catalogue(town.session)
    scale = max(len(town.on_register()), 1) / SEED_TOWN
    candidates = _candidates(town, types)
    writer = _Writer(town)
    last: dict[tuple[int, int], dt.date] = {}
    issued_this_year = 0
    wheelchair_issues: list[tuple[int, DemoPerson, dt.date]] = []
    for year in range(town.start.year, town.year + 1):
        plan = _plan_year(town, types, year, scale, last, candidates)
        arrival = min(dt.date(year, 1, rng.randint(8, 20)), town.end)  # before the year's first issue
        for kind in types:
            need = sum(1 for _, _, k in plan if k.id == kind.id)
            spare = rng.randint(1, 3) * max(1, round(scale))
            writer.receive(kind, arrival, need + spare, COUNTY, year)
        if rng.random() < 0.5:
            writer.receive(types[0], min(dt.date(year, 5, 15), town.end), max(1, round(2 * scale)),
                           rng.choice(DONORS), year)
        for day, person, kind in plan:
            receipt = writer.receipt(person, day)
            mid = writer.move(device_type_id=kind.id, kind=Movement.ISSUED, date=day, quantity=1, person_id=person.id,
                              receipt_id=receipt, model=MODELS.get(kind.name, ""), serial=writer.stock.take(kind.id))
            if kind.reusable and kind.has_serial:
                wheelchair_issues.append((mid, person, day))
        if year == town.year:
            issued_this_year = len(plan)
    for mid, person, day in wheelchair_issues:
        if person.left is None or person.left[0] != PersonStatus.DEAD or rng.random() < 0.4:
            continue
        back = person.left[1] + dt.timedelta(days=rng.randint(10, 60))
        if back <= day or back > town.end:
            continue
        issued = writer.movements[mid - writer.first_movement]
        condition = rng.choice(("完好", "完好", "需维修", "报废"))
        writer.move(device_type_id=issued["device_type_id"], kind=Movement.RETURNED, date=back, quantity=1,
                    person_id=person.id, returned_movement_id=mid, serial=issued["serial"], model=issued["model"],
                    condition=condition, reason="本人去世，家属交回")
        if condition == "报废":
            writer.move(device_type_id=issued["device_type_id"], kind=Movement.WRITTEN_OFF, date=back, quantity=1,
                        serial=issued["serial"], model=issued["model"], reason="退回时已报废：车架锈蚀")
    writer.write()
    town.counts.extras.append(f"辅助器具{town.year}年发放{issued_this_year}件")
