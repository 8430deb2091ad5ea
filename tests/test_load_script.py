"""scripts/load.py, the county server's load test, in short: two clerks (a town's and the county's) for a few
seconds on a throwaway cluster of its own; it must finish with every check passed (exit 0) and print its
table. The README's figures are of the full run (10 clerks, 60 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.pg_cluster import Cluster

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "load.py"


def test_the_load_test_runs_and_finds_nothing_lost(pg_cluster: Cluster) -> None:  # pg_cluster: skipped as it is
    done = subprocess.run([sys.executable, str(SCRIPT), "--clerks", "2", "--seconds", "4", "--persons", "60"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("2 clerks (1 town clerks, 1 county staff)")
    assert "| action | count | p50 ms | p95 ms |" in lines
    assert lines[-1].startswith("checked: ") and ", 0 lost or inconsistent;" in lines[-1]
