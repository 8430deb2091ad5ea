"""The county's screens for `canlian gui --screenshots`: a small county of two demo towns built in a
temporary folder (one person registered in both, so that 待核实 has a line), its 县级汇总 tab, and the
preview of a third town's first package (the fingerprint to confirm). The temporary towns' key files are
removed afterwards: the clerk's data folder keeps only its own."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.demo.county import build_towns, import_packages
from app.services.county.importing import preview_package
from ui.county.import_dialog import ImportPreviewDialog
from ui.main_window import MainWindow
from ui.road import Road


@dataclass
class County:
    window: MainWindow
    third_package: Path


@contextmanager
def county_window() -> Iterator[County]:
    with tempfile.TemporaryDirectory() as name:
        county = build_towns(Path(name), [("金塔镇", 5, 40), ("银河乡", 6, 40), ("鼎新镇", 7, 40)],
                             shared_person=True)
        try:
            import_packages(county, county.packages[:2])
            road = Road.open(county.county_db)
            try:
                window = MainWindow(road, remember=False, backups=False)
                yield County(window, county.packages[2])
                window.close()
                window.deleteLater()
            finally:
                road.close()
        finally:
            county.remove_keys()


def import_preview(county: County) -> ImportPreviewDialog:
    return ImportPreviewDialog(county.window.road.read(preview_package, county.third_package), county.window)
