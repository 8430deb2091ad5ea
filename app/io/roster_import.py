"""Importing a roster workbook into the register: read it (finding the header under any title rows),
let the clerk check the column mapping and preview each row's fate, then import it in one transaction.

The clerk's actions (the wizard runs them off the GUI thread, the command line calls them as they are):
``preview_import(db, roster)`` (each row's fate, nothing kept) and ``import_roster(db, roster, report)``;
``import_persons(db, path, report)`` is the command line's read_roster + import_roster."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.collection import without_automatic_gc
from app.db.engine import Database
from app.domain.register_rules import REGISTERED_BEFORE_RECORDS
from app.errors import InputError
from app.io import known_rejections
from app.io.headers import FIELD_HEADERS
from app.io.roster_check import OUTCOME_LABELS, Plan, Progress, RowOutcome, check_roster
from app.io.roster_sheet import Roster, RosterRow, read_roster
from app.services.actions import Changes, job
from app.services.register.bulk import make_places, register_many
from app.services.register.people import save_person
from app.services.register.search import keep_statistics

__all__ = [
    "FIELD_HEADERS", "OUTCOME_LABELS", "ImportResult", "PreviewRow", "Roster", "RosterRow", "RowOutcome",
    "import_persons", "import_roster", "preview", "preview_import", "read_roster",
]

log = logging.getLogger("canlian")

IMPORT_REASON = "花名册导入"


@dataclass(frozen=True)
class PreviewRow:
    """A row of the import wizard's preview; outcome is 新增 / 更新 / 不变 / 拒绝. A rejected row also has the
    whole ID number as written (id_written), for the clerk to compare with the paper; the others only masked."""

    row: int
    name: str
    id_masked: str
    outcome: str
    reason: str
    warnings: tuple[str, ...]
    id_written: str = ""


@dataclass(frozen=True)
class ImportResult:
    rows: tuple[RowOutcome, ...]
    sheet_name: str = ""
    ignored: tuple[str, ...] = ()
    other_sheets: tuple[str, ...] = ()
    report: Path | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def rejected(self) -> list[RowOutcome]:
        """Every row not imported: new rejections and those an earlier import rejected already."""
        return [r for r in self.rows if r.is_rejected]

    @property
    def warnings(self) -> list[tuple[int, str, str]]:
        """(row, name, message) for every warning of a row that was taken."""
        return [(r.row, r.name, w) for r in self.rows if not r.is_rejected for w in r.warnings]

    def line(self) -> str:
        return (f"imported {self.count('imported')}, updated {self.count('updated')}, "
                f"unchanged {self.count('unchanged')}, rejected {self.count('rejected')}")

    def messages(self) -> list[str]:
        """Short lines for the clerk: what was left out and where the details are. Never an ID number."""
        lines = []
        if self.ignored:
            lines.append(f"未导入的列：{'、'.join(self.ignored)}")
        if self.other_sheets:
            lines.append(f"只导入了工作表“{self.sheet_name}”，工作表“{'”“'.join(self.other_sheets)}”未导入。")
        still = self.count("still_rejected")
        if still:
            lines.append(f"另有{still}行与此前导入时被拒绝的行相同，仍未导入。")
        if self.warnings:
            lines.append(f"有{len(self.warnings)}条提示（如性别与身份证号不符），这些行已照常导入。")
        if self.report is not None:
            lines.append(f"被拒绝的行和提示已写入 {self.report}")
        elif self.rejected:
            lines.append(f"共{len(self.rejected)}行未导入：用 --report 报告.xlsx 可写出每行的行号和原因。")
        return lines


def _write(session: Session, plan: Plan) -> list[RowOutcome]:
    """Write what the check pass planned: the villages and groups first seen, the new persons in bulk,
    then each changed person on file as the form saves them (a few rows; 低保 ended records overpayments)."""
    make_places(session, plan.places)
    register_many(session, plan.new, IMPORT_REASON)
    outcomes = list(plan.outcomes)
    for index, values in plan.updates:
        try:
            with session.begin_nested():
                on = values.get("certificate_issued") or REGISTERED_BEFORE_RECORDS
                save_person(session, values, on=on, reason=IMPORT_REASON)
        except InputError as exc:  # the check pass foresees every refusal; should one come, only the row goes
            row = outcomes[index]
            outcomes[index] = dataclasses.replace(row, outcome="rejected", reason=str(exc),
                                                  fingerprint=known_rejections.fingerprint({"row": row.row}, str(exc)))
    return outcomes


def preview(session: Session, roster: Roster, today: dt.date | None = None,
            progress: Progress | None = None) -> list[PreviewRow]:
    """What importing the roster would do to each row: the import's own check pass, nothing written."""
    plan = check_roster(session, roster, today or dt.date.today(), progress)
    return [PreviewRow(o.row, o.name, o.id_masked, o.label, o.reason, o.warnings, o.id_written) for o in plan.outcomes]


@job()
def preview_import(db: Database, roster: Roster, *, progress: Progress | None = None,
                   today: dt.date | None = None) -> list[PreviewRow]:
    """The import wizard's 预览: each row's fate, from the import's check pass (nothing is written)."""
    with without_automatic_gc(), db.session() as session:
        return preview(session, roster, today, progress)


@job(Changes.REGISTER | Changes.SUBSIDIES)  # a row ending 低保 records what the living subsidy overpaid
def import_roster(db: Database, roster: Roster, report: Path | None = None, progress: Progress | None = None,
                  today: dt.date | None = None) -> ImportResult:
    """Import every row in one transaction; with report, also write the rejected rows and the warnings
    to that workbook (if it cannot be written, nothing is imported). Then the search learns the
    register's new shape (many persons may have come at once)."""
    today = today or dt.date.today()
    with without_automatic_gc(), db.transaction() as session:
        outcomes = _write(session, check_roster(session, roster, today, progress))
        result = ImportResult(tuple(outcomes), roster.sheet_name, tuple(roster.ignored), tuple(roster.other_sheets),
                              Path(report) if report is not None else None)
        known_rejections.remember(session, (r.fingerprint for r in outcomes if r.outcome == "rejected"), today)
        if result.report is not None:
            from app.io.import_report import write_report  # openpyxl loads only for a report (a quarter second)

            write_report(result.report, roster, result)
    try:
        with db.transaction() as session:
            keep_statistics(session)
    except SQLAlchemyError:  # the import is saved: statistics only speed up the list, and come next time
        log.warning("ANALYZE after the import did not run", exc_info=True)
    return result


@job(Changes.REGISTER | Changes.SUBSIDIES)
def import_persons(db: Database, path: Path, report: Path | None = None) -> ImportResult:
    """The command line's `import persons FILE [--report OUT.xlsx]`."""
    return import_roster(db, read_roster(path), report)
