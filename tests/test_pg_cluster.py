"""Without PostgreSQL the PostgreSQL cases are skipped, saying why; in CI (CANLIAN_CI=1) they fail instead
(issue 16: the README's commands work without PostgreSQL, and CI never passes without it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASE = "tests/db/test_schema.py::test_postgresql_migrated_to_the_newest_revision_is_what_the_models_say"


def _pytest_without_postgres(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", CASE],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "CANLIAN_PG_BIN": str(tmp_path / "nowhere"), **env})


@pytest.mark.slow
def test_without_postgresql_its_cases_are_skipped_with_the_reason(tmp_path: Path) -> None:
    done = _pytest_without_postgres(tmp_path, CANLIAN_CI="")
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout and "PostgreSQL not available" in done.stdout and "initdb" in done.stdout


@pytest.mark.slow
def test_in_ci_they_fail_instead(tmp_path: Path) -> None:
    done = _pytest_without_postgres(tmp_path, CANLIAN_CI="1")
    assert done.returncode == 1, done.stdout
    assert "CI must test on PostgreSQL" in done.stdout and "1 error" in done.stdout and "skipped in" not in done.stdout
