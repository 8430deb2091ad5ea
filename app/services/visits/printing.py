"""打印花名册 from the 节日慰问 tab: the 慰问花名册 of a campaign (all villages or one), or one file per village
for each village cadre to take along. Jobs (app.services.actions): the report reads in a session of its own
while the window goes on; the command line writes the same form with `canlian report visit-roster`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.db.engine import Database
from app.services.actions import Progress, job


@job()
def write_roster(db: Database, campaign: str, village_id: int | None, path: Path) -> Path:
    """The 慰问花名册 (PDF, or a workbook when path ends in .xlsx) of the campaign named, all villages or one."""
    # imported here: the reports read these services, so the services load them only when printing
    from app.reports import ReportRequest, write_report

    request = ReportRequest(kind="visit-roster", out=path, campaign=campaign, village_id=village_id)
    with db.session() as session:
        return write_report(session, request)


@job()
def write_village_rosters(db: Database, campaign: str, villages: Sequence[tuple[int, str]], folder: Path,
                          suffix: str = ".pdf", *, progress: Progress | None = None) -> Path:
    """One roster per village, named 花名册-村名, in a new folder; returns the folder."""
    folder.mkdir(parents=True)
    for done, (village_id, village) in enumerate(villages):
        if progress is not None:
            progress(done, len(villages), f"正在打印{village}……")
        write_roster(db, campaign, village_id, folder / f"{campaign}花名册-{village}{suffix}")
    return folder
