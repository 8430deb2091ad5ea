"""A county of demo towns at scale (issue 17): `python scripts/county_scale.py [--towns 15] [--persons 100000]
[--folder DIR]` builds the towns with the demo generator (each its own name, seed and size, so its own
区划代码 and key), writes each town's 上报包, then times what the county does: importing every package into
a new county register (with progress), the county's summary of the year, and its check against the sum of
the towns' own summaries key by key (by_town too: each town's own). With --folder the towns are kept and
reused by the next run. Prints the figures for the README; nothing fails on time, but a county figure that
is not the towns' sum stops the script (exit 1) with the keys that differ."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db.engine import open_database  # noqa: E402
from app.demo import fill_demo  # noqa: E402
from app.services.county.figures import county_summary  # noqa: E402
from app.services.county.importing import accept_package  # noqa: E402
from app.services.report_package.package import export_report_package  # noqa: E402
from app.services.summary.figures import yearly_summary  # noqa: E402
from tests.county_towns import differences  # noqa: E402

NAMES = ("金塔镇", "鼎新镇", "东坝镇", "航天镇", "大庄子镇", "西坝镇", "中东镇", "古城乡", "羊井子湾乡", "银河乡",
         "红光乡", "三合乡", "新民乡", "西湖乡", "北河湾乡", "南山乡", "清水镇", "黄泥堡乡", "下河清乡", "临水乡")


def sizes(towns: int, persons: int) -> list[int]:
    """Towns of different sizes (from half to one and a half times the mean), adding up to persons."""
    weights = [0.5 + i / max(1, towns - 1) for i in range(towns)]
    shares = [int(persons * w / sum(weights)) for w in weights]
    shares[-1] += persons - sum(shares)
    return shares


def build_town(folder: str, name: str, seed: int, persons: int) -> tuple[str, float, dict[str, Any]]:
    """One town and its package (in a process of its own); returns the package, the seconds taken and the
    town's own summary of this year (read from its register, to check the county's figures against)."""
    started = time.perf_counter()
    path = Path(folder)
    packages = sorted((path / "U盘").glob(f"上报包-{name}-*.zip"))
    year = time.localtime().tm_year
    with open_database(path / f"{name}.db") as db:
        if packages:
            return str(packages[-1]), 0.0, yearly_summary(db, year=year)
        with db.transaction("演示数据") as s:
            fill_demo(s, persons=persons, seed=seed, town_name=name)
        package = export_report_package(db, path / "U盘")
        return str(package), time.perf_counter() - started, yearly_summary(db, year=year)


class Said:
    """Progress on stderr, as the window's progress box would show it."""

    def __call__(self, done: int, total: int, text: str = "") -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    def check(self) -> None:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", type=int, default=15)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--folder")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="county-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    plan = [(NAMES[i % len(NAMES)] + (str(i // len(NAMES)) if i >= len(NAMES) else ""), 100 + i, n)
            for i, n in enumerate(sizes(args.towns, args.persons))]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        built = list(pool.map(build_town, [str(folder)] * len(plan), *zip(*plan, strict=True)))
    print(f"built {len(plan)} towns ({args.persons} persons) and their packages in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    county_file = folder / f"县残联-{time.strftime('%H%M%S')}.db"
    total_bytes = sum(Path(p).stat().st_size for p, _, _ in built)
    with open_database(county_file) as county:
        started = time.perf_counter()
        for package, _, _ in built:
            accept_package(county, Path(package), register_key=True, progress=Said())
        imported = time.perf_counter() - started
        year = time.localtime().tm_year
        started = time.perf_counter()
        figures = county_summary(county, year=year)
        summed = time.perf_counter() - started
    own = {name: figures for (name, _, _), (_, _, figures) in zip(plan, built, strict=True)}
    wrong = differences(figures, own)
    for line in wrong:
        print(f"  不符 {line}", file=sys.stderr)
    print(f"county summary = sum of the {len(own)} towns' own summaries, key by key (by_town too): "
          f"{'NO, ' + str(len(wrong)) + ' keys differ' if wrong else 'yes'}", file=sys.stderr)
    print(f"| towns | persons | packages (MB) | import all | county summary {year} | registered |")
    print("|---|---|---|---|---|---|")
    print(f"| {len(plan)} | {args.persons} | {total_bytes / 1e6:.1f} | {imported:.1f} s | {summed * 1000:.0f} ms "
          f"| {figures['registered']} |")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
