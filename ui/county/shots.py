"""The county's screens for `canlian gui --screenshots`: a small county of two demo towns built in a
temporary folder (one person registered in both, so that 待核实 has a line), its 县级汇总 tab, and the
preview of a third town's first package (the fingerprint to confirm), and the county's 政策更新包 as a town
previews it. The temporary towns' key files are
removed afterwards: the clerk's data folder keeps only its own."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.demo.county import build_towns, import_packages, write_policy_package
from app.services.county.importing import preview_package
from app.services.policy_package.importing import preview_policy_package
from ui.county.import_dialog import ImportPreviewDialog
from ui.dialogs.policy_package import PolicyImportDialog
from ui.main_window import MainWindow
from ui.road import Road


@dataclass
class County:
    window: MainWindow
    third_package: Path
    policy_package: Path  # the county's 政策更新包, for a town's window to preview


@contextmanager
def county_window() -> Iterator[County]:
    with tempfile.TemporaryDirectory() as name:
        county = build_towns(Path(name), [("金塔镇", 5, 40), ("银河乡", 6, 40), ("鼎新镇", 7, 40)],
                             shared_person=True)
        try:
            import_packages(county, county.packages[:2])
            policy = write_policy_package(county)
            road = Road.open(county.county_db)
            try:
                window = MainWindow(road, remember=False, backups=False)
                yield County(window, county.packages[2], policy)
                window.close()
                window.deleteLater()
            finally:
                road.close()
        finally:
            county.remove_keys()


def import_preview(county: County) -> ImportPreviewDialog:
    return ImportPreviewDialog(county.window.road.read(preview_package, county.third_package), county.window)


def policy_import_preview(town: MainWindow, county: County) -> PolicyImportDialog:
    """What the county's 政策更新包 would change in this town's 政策设置, before 采用 (the first: 核对码)."""
    return PolicyImportDialog(town.road.read(preview_policy_package, county.policy_package), town)
