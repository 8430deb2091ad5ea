"""What the benchmark scripts share (scripts/bench_*.py): the 100,000-person register, built once with
`canlian demo --persons N` into the temp folder and reused while the schema and the demo's parameters stay
the same; timing a whole process; and the one Markdown row each figure prints:

    | what | program | floor | ratio | goal |

The floor is the best plain tool doing the same work on the same data, measured in the same run. Rows go
to stdout and nothing else does; progress goes to stderr."""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERSONS = 100_000
SEED = 1
HEADER = "| what | program | floor | ratio | goal |\n|---|---|---|---|---|"


def say(text: str) -> None:
    """Progress, on stderr (stdout holds only the table's rows)."""
    print(text, file=sys.stderr, flush=True)


def folder() -> Path:
    path = Path(tempfile.gettempdir()) / "canlian-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def canlian(*args: str) -> list[str]:
    """The command line as the clerk runs it (the same interpreter, this checkout)."""
    return [sys.executable, "-m", "app", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


CPU = {"last": 0.0}  # CPU seconds (user + system) of the last process run_timed ran


def compiled_program() -> None:
    """The program's modules compiled to bytecode before a command is timed, as an installed program (and the
    frozen build) has them: where PYTHONDONTWRITEBYTECODE is set (on this machine it is) each run would compile
    them all again, 0.3 s of CPU (imports, start) that no clerk's program spends."""
    import compileall

    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        say("PYTHONDONTWRITEBYTECODE is set: compiling the program's modules once first")
    for package in ("app", "ui"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def run_timed(command: Sequence[str]) -> float:
    """Seconds a whole process takes, from start to exit; its output is dropped, a failure stops the bench.
    Its CPU seconds are kept in CPU["last"] (on a loaded machine they say more than the wall clock)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(list(command), cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds


def best_of(runs: int, command: Sequence[str]) -> float:
    return min(run_timed(command) for _ in range(runs))


def register_key(persons: int = PERSONS, seed: int = SEED) -> str:
    """What the cached register depends on: the schema's revision and the demo's parameters (its year is
    this year, the command's default)."""
    from app.db.engine import head_revision

    return f"{head_revision()}-{dt.date.today().year}-p{persons}-s{seed}"


def build_register(path: Path, persons: int = PERSONS, seed: int = SEED) -> float:
    """Build a demo register at path by `canlian demo` (a whole process); its seconds."""
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    return run_timed(canlian("--db", str(path), "demo", "--persons", str(persons), "--seed", str(seed)))


def register(persons: int = PERSONS, seed: int = SEED, *, rebuild: bool = False) -> Path:
    """The cached register of `persons` (built when missing or stale, or with rebuild)."""
    path = folder() / f"canlian-{register_key(persons, seed)}.db"
    if rebuild or not path.exists():
        say(f"building the {persons:,}-person register (canlian demo) …")
        fresh = path.with_name(path.name + ".building")
        build_register(fresh, persons, seed)
        fresh.replace(path)
        for leftover in path.parent.glob(fresh.name + "*"):
            leftover.unlink()
    return path


def copy_of(path: Path, name: str) -> Path:
    """A copy of a register to change (the cached one stays as built)."""
    target = folder() / name
    for old in target.parent.glob(target.name + "*"):
        old.unlink()
    shutil.copyfile(path, target)
    return target


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def load(cpu: float | None = None) -> str:
    """The machine's load average over the last minute, said beside a figure (with the process's CPU
    seconds when given): the benchmarks share two cores with other work, so a time means little without it."""
    spent = f", CPU {seconds(cpu)}" if cpu is not None else ""
    return f" (load {os.getloadavg()[0]:.1f}{spent})"


def row(what: str, program: float, floor: float | None, goal: str, note: str = "") -> str:
    """One row of the speed table, printed at once; note follows the program's time (e.g. load())."""
    ratio = f"{program / floor:.1f}×" if floor else "—"
    line = f"| {what} | {seconds(program)}{note} | {seconds(floor) if floor else '—'} | {ratio} | {goal} |"
    print(line, flush=True)
    return line
