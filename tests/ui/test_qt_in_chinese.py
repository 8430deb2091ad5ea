"""Qt's own words in Chinese from the start, checked in a fresh process: tests/ui/fresh_qt_in_chinese.py
takes Qt back to how it is before the program starts (no translation, the C locale) and starts it as ui.app
does; after a few hundred windows of other tests in one process that reset is not a start (it once crashed
Qt there), so its tests run as the program runs: in a process of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_qt_speaks_chinese_from_the_start_in_a_fresh_process(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t"),
         str(ROOT / "tests" / "ui" / "fresh_qt_in_chinese.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
    assert "3 passed" in ran.stdout
