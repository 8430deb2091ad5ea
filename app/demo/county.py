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
