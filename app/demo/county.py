"""A county of demo towns (the county's screenshots, the 15-town measuring script): each town a register
file of its own made by the demo generator with its own name, seed and size (so its own 区划代码 and key),
its signed 上报包 written, and the county's register that takes them.

Optionally one person of the first town is registered again in the second (两地在册), so that the county's
待核实 has a line to show. The towns' key files are in the user's data folder like any office's; the caller
that made the county for a moment removes them (DemoCounty.remove_keys)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.db.engine import open_database
from app.db.models import Person
from app.demo import fill_demo
from app.services import signing
from app.services.report_package.package import export_report_package


@dataclass
class DemoCounty:
    folder: Path
    packages: list[Path] = field(default_factory=list)  # one per town, in the order given
    key_files: list[Path] = field(default_factory=list)
    policy_package: Path | None = None  # the county's 政策更新包, once written (write_policy_package)

    @property
    def county_db(self) -> Path:
        return self.folder / "县残联.db"

    def remove_keys(self) -> None:
        for path in self.key_files:
            path.unlink(missing_ok=True)


def _shared_id(folder: Path, first: str, second: str) -> None:
    """The second town registers a person of the first again (the same ID number, 在册 in both)."""
    with open_database(folder / f"{first}.db") as a, open_database(folder / f"{second}.db") as b:
        with a.session() as s:
            id_number = s.scalar(select(Person.id_number).where(Person.status == "在册").order_by(Person.id))
        with b.transaction("演示数据") as s:
            person = s.scalars(select(Person).where(Person.status == "在册").order_by(Person.id)).first()
            if person is not None and id_number is not None:
                person.id_number = id_number


def build_towns(folder: Path, towns: Sequence[tuple[str, int, int]], *, year: int | None = None,
                shared_person: bool = False) -> DemoCounty:
    """Demo towns (name, seed, persons) in folder, each with its package written to folder/U盘."""
    county = DemoCounty(folder)
    for name, seed, persons in towns:
        with open_database(folder / f"{name}.db") as db:
            county.key_files.append(signing.key_path(db.identity))
            with db.transaction("演示数据") as s:
                fill_demo(s, year=year, persons=persons, seed=seed, town_name=name)
    if shared_person and len(towns) > 1:
        _shared_id(folder, towns[0][0], towns[1][0])
    for name, _, _ in towns:
        with open_database(folder / f"{name}.db") as db:
            county.packages.append(export_report_package(db, folder / "U盘"))
    return county


def import_packages(county: DemoCounty, packages: Sequence[Path]) -> None:
    """The county's register takes these packages, each town's key registered as confirmed."""
    from app.services.county.importing import accept_package

    with open_database(county.county_db) as db:
        for package in packages:
            accept_package(db, package, register_key=True)


def write_policy_package(county: DemoCounty, *, name: str = "金塔县") -> Path:
    """The county's own 单位信息 (and so its key), a new 生活补贴 standard from next January and one aid more in
    its catalogue, and the 政策更新包 carrying them from that month, written to folder/U盘."""
    import datetime as dt

    from app.domain.months import Month
    from app.services.county.towns import change_county_mode
    from app.services.devices.catalogue import DeviceTypeValues, save_device_type
    from app.services.policy_package.package import export_policy_package
    from app.services.settings import UnitInfo, change_unit_info
    from app.services.subsidies.policies import save_policy

    january = Month(dt.date.today().year + 1, 1)
    with open_database(county.county_db) as db:
        county.key_files.append(signing.key_path(db.identity))
        change_county_mode(db, True)
        change_unit_info(db, UnitInfo(town=name, office=f"{name}残疾人联合会", code="620921000000"))
        save_policy(db, "living", january, {"dibao_class_fen": {"1": 12000, "2": 12000, "3": 6000, "4": 6000},
                                            "include_low_income": False, "low_income_fen": 5000},
                    "甘民发〔2026〕9号：困难残疾人生活补贴提标（演示）")
        save_device_type(db, DeviceTypeValues(name="助听器（耳背式）", category="听力", unit="台",
                                              use_period_months=60, suits_categories=(3,), needs_assessment=True))
        county.policy_package = export_policy_package(db, county.folder / "U盘", from_month=january)
    return county.policy_package
