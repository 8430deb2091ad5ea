"""Importing a roster workbook into the register: read it (finding the header under any title rows),
let the clerk check the column mapping and preview each row's fate, then import it in one transaction.

The clerk's actions (the wizard runs them off the GUI thread, the command line calls them as they are):
``preview_import(db, roster)`` (each row's fate, nothing kept) and ``import_roster(db, roster, report)``;
``import_persons(db, path, report)`` is the command line's read_roster + import_roster."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.domain.idnumber import mask
from app.domain.register_rules import REGISTERED_BEFORE_RECORDS, is_blank, text_of
from app.errors import InputError
from app.io import known_rejections
from app.io.headers import FIELD_HEADERS, REQUIRED, find_header
from app.io.import_report import write_report
from app.io.workbook import Cell, read_workbook
from app.services.actions import Changes, job
from app.services.register.people import check_fields, save_person
from app.services.register.search import keep_statistics

__all__ = [
    "FIELD_HEADERS", "ImportResult", "PreviewRow", "Roster", "RosterRow", "RowOutcome", "import_persons",
    "import_roster", "preview", "preview_import", "read_roster",
]

log = logging.getLogger("canlian")

OUTCOME_LABELS = {"imported": "新增", "updated": "更新", "unchanged": "不变", "rejected": "拒绝", "still_rejected": "拒绝"}
IMPORT_REASON = "花名册导入"
Progress = Callable[[int, int], None]
_EXACT_LIMIT = 2**53  # a number cell above this has lost its last digits
_YES_NO = ("dibao", "lives_alone", "medical_insurance")  # where TRUE and FALSE mean 是 and 否
_DATED = ("certificate_issued", "notes")  # where a date cell makes sense


@dataclass(frozen=True)
class RosterRow:
    """One data row: its number on the sheet (1-based, as Excel shows it) and its cells by column."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Roster:
    """A roster read from a workbook, before anything is saved."""

    path: Path
    sheet_name: str
    header_row: int  # 1-based sheet row of the header (its first line, when it has two)
    headers: list[str]  # the header text of every column, "" where blank
    mapping: dict[str, int]  # field key -> 0-based column index
    ignored: list[str]  # header names of columns that are not imported
    rows: list[RosterRow]
    other_sheets: list[str] = field(default_factory=list)  # further sheets that look like rosters too

    def with_mapping(self, mapping: Mapping[str, int]) -> Roster:
        """The same roster read with the clerk's own choice of column for each field."""
        unknown = [key for key in mapping if key not in FIELD_HEADERS]
        if unknown:
            raise InputError(f"没有名为“{unknown[0]}”的项目：请从列表中选择。")
        if any(not 0 <= col < len(self.headers) for col in mapping.values()):
            raise InputError("所选的列不在表格中：请重新选择。")
        if len(set(mapping.values())) != len(mapping):
            raise InputError("同一列被指定给了两个项目：每列只能对应一个项目。")
        missing = [FIELD_HEADERS[key] for key in REQUIRED if key not in mapping]
        if missing:
            raise InputError(f"请指定“{'”和“'.join(missing)}”所在的列：没有它们无法导入。")
        used = set(mapping.values())
        ignored = [name for i, name in enumerate(self.headers) if name and i not in used]
        return dataclasses.replace(self, mapping=dict(mapping), ignored=ignored)

    def cell(self, row: RosterRow, key: str) -> Cell:
        col = self.mapping.get(key)
        return row.cells[col] if col is not None and col < len(row.cells) else None


@dataclass(frozen=True)
class RowOutcome:
    """What importing one row did (or, in a preview, would do)."""

    row: int
    name: str
    id_masked: str
    outcome: str  # imported / updated / unchanged / rejected / still_rejected (rejected before, same reason)
    reason: str = ""
    warnings: tuple[str, ...] = ()
    fingerprint: str = ""  # of a rejected row: see app.io.known_rejections
    id_written: str = ""  # of a rejected row only: the whole number as the sheet has it, to compare with the card

    @property
    def is_rejected(self) -> bool:
        return self.outcome in ("rejected", "still_rejected")

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


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


def read_roster(path: Path) -> Roster:
    """The first sheet of the workbook with a recognisable header row, or InputError saying what is wrong."""
    path = Path(path)
    sheets = read_workbook(path)
    found = [(sheet, match) for sheet in sheets if (match := find_header(sheet.rows)) is not None]
    if not found:
        raise InputError(
            f"在 {path.name} 中找不到表头行：表头应包含“姓名”和“身份证号”两列，请检查后再导入。"
        )
    sheet, match = found[0]
    sheet.fill_merged(below_row=match.last_row)
    below = sheet.rows[match.last_row + 1:]
    width = max([len(match.names), *map(len, below)])  # a column without a header still goes into the report
    names = match.names + [""] * (width - len(match.names))
    rows = [
        RosterRow(index + 1, tuple(cells))
        for index, cells in enumerate(below, start=match.last_row + 1)
        if any(c is not None for c in cells)
    ]
    return Roster(path, sheet.name, match.first_row + 1, names, match.mapping, match.ignored, rows,
                  [s.name for s, _ in found[1:]])


def _odd_cell(key: str, value: Cell) -> str:
    """Why a cell of this kind cannot stand for this field ("" if it can): TRUE would become a person
    named "True", and 残疾类别 TRUE would become 视力 (TRUE counts as 1)."""
    label = FIELD_HEADERS[key]
    if isinstance(value, bool):
        return "" if key in _YES_NO else f"{label}一栏是逻辑值{str(value).upper()}，不是{label}：请核对这一格。"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{label}一栏的数值无法识别：请核对这一格。"
    if isinstance(value, (dt.date, dt.time, dt.timedelta)) and key not in _DATED:
        return f"{label}一栏是日期或时间，不是{label}：请核对这一格。"
    return ""


def _raw_fields(roster: Roster, row: RosterRow) -> tuple[dict[str, Cell], str, list[str]]:
    """The row as check_person's raw fields, a reason to reject it that the checks cannot see, and warnings."""
    raw = {key: roster.cell(row, key) for key in roster.mapping}
    error = next((reason for key, value in raw.items() if (reason := _odd_cell(key, value))), "")
    warnings: list[str] = []
    id_cell = raw.get("id_number")
    if isinstance(id_cell, (int, float)) and not isinstance(id_cell, bool):
        # Excel keeps 15 digits of a number: an old 15-digit ID survives whole, an 18-digit one never does.
        whole = float(id_cell).is_integer() and 10**14 <= id_cell < 10**15
        raw["id_number"] = str(int(id_cell)) if whole else float(id_cell)
    cert = raw.get("certificate_number")
    if isinstance(cert, (int, float)) and not isinstance(cert, bool) and not error:
        error = "残疾证号被Excel存成了数字，末几位已丢失：请把该列设为文本格式后重新输入残疾证号。"
    account = raw.get("bank_account")
    if isinstance(account, (int, float)) and not isinstance(account, bool) and abs(account) >= _EXACT_LIMIT:
        del raw["bank_account"]
        warnings.append("银行账号被Excel存成了数字，末几位已丢失：此项未导入，请把该列设为文本格式后重新输入。")
    return raw, error, warnings


def _process(session: Session, roster: Roster, today: dt.date, progress: Progress | None) -> list[RowOutcome]:
    """Check and save every row, each in its own savepoint so one bad row spoils nothing else."""
    outcomes = _check_and_save(session, roster, today, progress)
    known = known_rejections.load(session)
    return [dataclasses.replace(o, outcome="still_rejected") if o.outcome == "rejected" and o.fingerprint in known
            else o for o in outcomes]


def _check_and_save(session: Session, roster: Roster, today: dt.date,
                    progress: Progress | None) -> list[RowOutcome]:
    outcomes: list[RowOutcome] = []
    first_row_of: dict[str, int] = {}  # ID -> sheet row of the first row taken with it
    total = len(roster.rows)
    for done, row in enumerate(roster.rows, start=1):
        outcome = _check_row(session, roster, row, today, first_row_of)
        if outcome is not None:
            outcomes.append(outcome)
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
    return outcomes


def _check_row(session: Session, roster: Roster, row: RosterRow, today: dt.date,
               first_row_of: dict[str, int]) -> RowOutcome | None:
    """Check and save one row (None for a row with nothing in the imported columns)."""
    raw, error, warnings = _raw_fields(roster, row)
    if all(is_blank(v) for v in raw.values()):
        return None
    checked = check_fields(session, raw, today)  # an update row need not repeat what is on file
    id18 = checked.values.get("id_number", "")
    name = checked.values.get("name") or (text_of(raw["name"]) if not is_blank(raw.get("name")) else "")
    shown_id = id18 or (text_of(raw["id_number"]) if isinstance(raw.get("id_number"), str) else "")
    if error or not checked.ok:
        outcome, reason = "rejected", error or "".join(checked.errors.values())
    else:
        outcome, reason = _save(session, checked.values, first_row_of.get(id18))
    fingerprint = known_rejections.fingerprint(raw, reason) if reason else ""
    if not reason:
        first_row_of[id18] = row.number
    return RowOutcome(row.number, name, mask(shown_id), outcome, reason, tuple(warnings + checked.warnings),
                      fingerprint, shown_id if outcome == "rejected" else "")


def _save(session: Session, values: dict[str, Any], first_row: int | None) -> tuple[str, str]:
    """Save one checked row: (outcome, "") or ("rejected", reason)."""
    if first_row is not None:
        return "rejected", f"与第{first_row}行身份证号重复：同一人只导入第一行。"
    try:
        with session.begin_nested():
            # registered when the certificate was issued, else at some time before the records began: a
            # roster brings in persons long on the register, not this year's new registrations
            on = values.get("certificate_issued") or REGISTERED_BEFORE_RECORDS
            saved = save_person(session, values, on=on, reason=IMPORT_REASON)
    except InputError as exc:
        return "rejected", str(exc)
    return saved.outcome, ""


def preview(session: Session, roster: Roster, today: dt.date | None = None,
            progress: Progress | None = None) -> list[PreviewRow]:
    """What importing the roster would do to each row, worked out on the register and then rolled back."""
    outer = session.begin_nested() if session.in_transaction() else session.begin()
    session.info.setdefault("actor", "核对花名册")  # the trial's audit rows are rolled back with it
    try:
        outcomes = _process(session, roster, today or dt.date.today(), progress)
    finally:
        outer.rollback()
    return [PreviewRow(o.row, o.name, o.id_masked, o.label, o.reason, o.warnings, o.id_written) for o in outcomes]


@job()
def preview_import(db: Database, roster: Roster, *, progress: Progress | None = None,
                   today: dt.date | None = None) -> list[PreviewRow]:
    """The import wizard's 预览: each row's fate, from a trial import that is rolled back (nothing is kept)."""
    with db.session() as session:
        return preview(session, roster, today, progress)


@job(Changes.REGISTER | Changes.SUBSIDIES)  # a row ending 低保 records what the living subsidy overpaid
def import_roster(db: Database, roster: Roster, report: Path | None = None, progress: Progress | None = None,
                  today: dt.date | None = None) -> ImportResult:
    """Import every row in one transaction; with report, also write the rejected rows and the warnings
    to that workbook (if it cannot be written, nothing is imported). Then the search learns the
    register's new shape (many persons may have come at once)."""
    today = today or dt.date.today()
    with db.transaction() as session:
        outcomes = _process(session, roster, today, progress)
        result = ImportResult(tuple(outcomes), roster.sheet_name, tuple(roster.ignored), tuple(roster.other_sheets),
                              Path(report) if report is not None else None)
        known_rejections.remember(session, (r.fingerprint for r in outcomes if r.outcome == "rejected"), today)
        if result.report is not None:
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
