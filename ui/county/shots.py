"""The county's screens for `canlian gui --screenshots`: a small county of two demo towns built in a
temporary folder (one person registered in both, so that 待核实 has a line), its 县级汇总 tab, and the
preview of a third town's first package (the fingerprint to confirm). The temporary registers' key files
are removed afterwards: the clerk's data folder keeps only its own."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.db.engine import open_database
from app.db.models import Person
from app.demo import fill_demo
from app.services import signing
from app.services.county.importing import accept_package, preview_package
from app.services.report_package.package import export_report_package
from ui.county.import_dialog import ImportPreviewDialog
from ui.main_window import MainWindow
from ui.road import Road


@dataclass
class County:
    window: MainWindow
    third_package: Path


def _town(folder: Path, name: str, seed: int, identities: list[str]) -> Path:
    db = open_database(folder / f"{name}.db")
    try:
        identities.append(db.identity)
        with db.transaction("演示数据") as s:
            fill_demo(s, persons=40, seed=seed, town_name=name)
        return export_report_package(db, folder / "U盘")
    finally:
        db.close()


def _share_an_id(folder: Path) -> None:
    """银河乡 registers a person of 金塔镇 again: the county sees 两地在册."""
    with open_database(folder / "金塔镇.db") as a, open_database(folder / "银河乡.db") as b:
        with a.session() as s:
            id_number = s.scalar(select(Person.id_number).where(Person.status == "在册").order_by(Person.id))
        with b.transaction("演示数据") as s:
            person = s.scalars(select(Person).where(Person.status == "在册").order_by(Person.id)).first()
            assert person is not None and id_number is not None
            person.id_number = id_number


@contextmanager
def county_window() -> Iterator[County]:
    identities: list[str] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        try:
            first = _town(folder, "金塔镇", 5, identities)
            with open_database(folder / "银河乡.db") as b:
                identities.append(b.identity)
                with b.transaction("演示数据") as s:
                    fill_demo(s, persons=40, seed=6, town_name="银河乡")
            _share_an_id(folder)
            with open_database(folder / "银河乡.db") as b:
                second = export_report_package(b, folder / "U盘")
            third = _town(folder, "鼎新镇", 7, identities)
            with open_database(folder / "县残联.db") as county:
                for package in (first, second):
                    accept_package(county, package, register_key=True)
            road = Road.open(folder / "县残联.db")
            try:
                window = MainWindow(road, remember=False, backups=False)
                yield County(window, third)
                window.close()
                window.deleteLater()
            finally:
                road.close()
        finally:
            for identity in identities:
                signing.key_path(identity).unlink(missing_ok=True)


def import_preview(county: County) -> ImportPreviewDialog:
    return ImportPreviewDialog(county.window.road.read(preview_package, county.third_package), county.window)
