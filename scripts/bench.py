"""The speed benchmarks of issue 15 (`./dev.sh bench [--persons N]`): runs every scripts/bench_*.py (found by
name, so a new area's script needs no edit here) one after the other and prints the speed table's header
once, then each script's rows: | what | program | floor | ratio | goal |. Progress goes to stderr. Timings
depend on the machine: nothing here fails on time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_A_BENCHMARK = {"bench_common.py"}  # what the scripts share


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print("| what | program | floor | ratio | goal |\n|---|---|---|---|---|", flush=True)
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if script.name in NOT_A_BENCHMARK:
            continue
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        failed |= subprocess.run([sys.executable, str(script), *args], check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
