"""The manual's screenshots, made by the program itself so they never go stale: the demo town in a temporary
folder, `canlian gui --screenshots`, each NN-name.png kept as name.png (the names resources/manual/index.html
shows). build.spec runs it and ships the folder inside the build; from source:
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.manual_images build/manual-images"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path


def manual_name(shot: Path) -> str:
    """01-register.png -> register.png"""
    return re.sub(r"^\d+-", "", shot.name)


def write_manual_images(folder: Path) -> list[Path]:
    """Screenshots of the demo town into folder (emptied first); returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.cli import main as command_line  # the demo town as `canlian demo` makes it (no store opened here)
    from ui.app import run_gui

    with tempfile.TemporaryDirectory(prefix="canlian-manual-") as tmp:
        db_path = Path(tmp) / "canlian.db"
        if command_line(["--db", str(db_path), "demo", "--persons", "345", "--seed", "1"]) != 0:
            raise RuntimeError("演示乡镇没有生成")
        shots = Path(tmp) / "shots"
        if run_gui(db_path, screenshots=shots) != 0:
            raise RuntimeError("截图没有完成")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        written: list[Path] = []
        for shot in sorted((shots / "1366x768" / "normal").glob("*.png")):  # the commonest screen, normal text
            target = folder / manual_name(shot)
            shutil.copyfile(shot, target)
            written.append(target)
    return written


if __name__ == "__main__":
    made = write_manual_images(Path(sys.argv[1] if len(sys.argv) > 1 else "build/manual-images"))
    sys.stdout.write(f"{len(made)} screenshots for the manual\n")
