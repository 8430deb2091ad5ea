"""Issue 17's Done-when: the county summary of 15 demo towns equals the sum of their 15 town summaries,
key by key, and by_town equals each town's own. Fifteen small towns of different seeds, names and sizes
(6-20 persons: the demo's five years of payments, visits and aids still make every key count)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.db.engine import open_database
from app.services.county.figures import county_summary
from app.services.county.importing import accept_package
from app.services.report_package.package import export_report_package
from app.services.summary.figures import yearly_summary
from tests.county_towns import YEAR, differences, make_town

NAMES = ("金塔镇", "鼎新镇", "东坝镇", "航天镇", "大庄子镇", "西坝镇", "中东镇", "古城乡", "羊井子湾乡", "银河乡",
         "红光乡", "三合乡", "新民乡", "西湖乡", "北河湾乡")
TOWNS = [(name, 300 + i, 6 + i) for i, name in enumerate(NAMES)]  # seeds 300-314, 6-20 persons


@pytest.fixture(scope="module")
def fifteen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]], set[str]]:
    """The county register with the 15 packages imported; each town's own summary of the year; their codes."""
    folder = tmp_path_factory.mktemp("fifteen")
    own: dict[str, dict[str, Any]] = {}
    codes: set[str] = set()
    with open_database(folder / "县残联.db") as county:
        for name, seed, persons in TOWNS:
            town = make_town(folder, name, seed=seed, persons=persons)
            try:
                own[name] = yearly_summary(town, year=YEAR)
                result = accept_package(county, export_report_package(town, folder / "U盘"), register_key=True)
                codes.add(result.preview.code)
            finally:
                town.close()
    return folder / "县残联.db", own, codes


def test_fifteen_distinct_towns_were_imported(fifteen: tuple[Path, dict[str, Any], set[str]]) -> None:
    _, own, codes = fifteen
    assert len(own) == 15 and len(codes) == 15
    assert len({f["registered"] for f in own.values()}) > 5  # towns of different sizes


def test_the_county_of_fifteen_towns_is_their_sum_key_by_key(
        fifteen: tuple[Path, dict[str, Any], set[str]]) -> None:
    path, own, _ = fifteen
    with open_database(path) as county:
        figures = county_summary(county, year=YEAR)
    assert differences(figures, own) == []
    assert figures["registered"] == sum(f["registered"] for f in own.values()) > 0
    assert figures["towns_without_figures"] == []


def test_the_printed_county_json_is_the_same_sum(
        fifteen: tuple[Path, dict[str, Any], set[str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, own, _ = fifteen
    assert main(["--db", str(path), "summary", "--year", str(YEAR), "--county", "--json"]) == 0
    assert differences(json.loads(capsys.readouterr().out), own) == []


def test_the_comparison_finds_a_town_left_out(fifteen: tuple[Path, dict[str, Any], set[str]]) -> None:
    """The check can fail: one town's figures more (as if its package were imported twice) is found."""
    path, own, _ = fifteen
    with open_database(path) as county:
        figures = county_summary(county, year=YEAR)
    doubled = {**own, "金塔镇2": own["金塔镇"]}
    found = differences(figures, doubled)
    assert any(line.startswith("registered:") for line in found)
    assert any(line.startswith("by_town") for line in found)
