"""dev.sh and the README name the same system libraries, libxcb-cursor0 among them (Qt >= 6.5's window on a
real X display needs it), and dev.sh installs it when run as root or prints the apt-get line otherwise."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fake_bin(folder: Path, uid: int) -> Path:
    """id, dpkg-query (libxcb-cursor0 not installed), apt-get (writes what it was asked), pdftotext."""
    folder.mkdir()
    log = folder / "apt.log"
    scripts = {
        "id": f"#!/bin/sh\necho {uid}\n",
        "dpkg-query": "#!/bin/sh\nprintf 'unknown ok not-installed'\n",
        "apt-get": f"#!/bin/sh\necho \"$@\" >> {log}\n",
        "pdftotext": "#!/bin/sh\nexit 0\n",
    }
    for name, text in scripts.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o755)
    return log


def test_the_readme_lists_every_library_dev_sh_installs() -> None:
    script = (ROOT / "dev.sh").read_text(encoding="utf-8")
    named = set()
    for variable in ("QT_LIBS", "X_LIBS"):
        found = re.search(rf'^{variable}="([^"]*)"', script, re.M)
        assert found, variable
        named |= set(found.group(1).split())
    assert "libxcb-cursor0" in named
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"Qt needs a few system libraries\s*\(`([^`]*)`", readme)
    assert listed and set(listed.group(1).split()) == named


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="dev.sh checks Qt with .venv")
@pytest.mark.parametrize("uid", [0, 1000])
def test_dev_sh_installs_libxcb_cursor0_or_says_how(tmp_path: Path, uid: int) -> None:
    log = _fake_bin(tmp_path / "bin", uid)
    result = subprocess.run([str(ROOT / "dev.sh"), "libs"], env={"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
                                                                  "HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    if uid == 0:
        assert "libxcb-cursor0" in log.read_text()
    else:
        assert not log.exists()
        assert "sudo apt-get install -y libxcb-cursor0" in result.stderr
