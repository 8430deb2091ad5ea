"""`canlian county import PACKAGE` and the 县级汇总 tab's 导入上报包: a town's 上报包 checked and merged into
the county's register.

preview_package says what the package would change since that town's last one (新增, 变更 field by field,
迁出, 死亡, 恢复, the payments it adds) and refuses in one sentence what the county must not take: a
package not whole or changed (package.read_package), signed by another key than the town's registered
one, older than the last accepted (unless forced). accept_package merges it in one transaction; the same
package twice changes nothing. The first package of a town registers its key only when the caller says
the fingerprint was confirmed (the command line asks on stdin, the window in a dialog).

The rows copied from a package are the town's own records, audited in the town; the county's audit holds
each package accepted (its sequence, manifest SHA-256 and the lines below), each town registered and
each field of a person that a package changed."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    CountyPackage,
    CountyPayment,
    CountyPerson,
    CountyStatusChange,
    CountyTown,
    Person,
)
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.money import yuan_plain
from app.domain.words import PersonStatus
from app.services.actions import Changes, Progress, action, query
from app.services.county.checks import find_checks, open_checks
from app.services.county.merging import merge
from app.services.county.towns import become_county, is_county
from app.services.report_package.package import Package, PackageRefused, read_package

# The fields of a person compared between packages, with the word the county clerk reads.
PERSON_FIELDS = {
    "name": "姓名", "id_number": "身份证号", "certificate_number": "残疾证号", "sex": "性别", "birth_date": "出生日期",
    "category": "残疾类别", "grade": "残疾等级", "village": "村", "address": "住址", "phone": "联系电话",
    "household_source_id": "户", "labor_ability": "劳动能力", "medical_insurance": "参加医保",
    "bank_account": "银行账号",
}


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _person(row: dict[str, Any]) -> dict[str, Any]:
    """A package's person as the county's columns (without town and status)."""
    return {"source_id": row["id"], "name": row["name"], "id_number": row["id_number"],
            "certificate_number": row.get("certificate_number") or "", "sex": row.get("sex") or "",
            "birth_date": _day(row.get("birth_date")), "category": int(row.get("category") or 0),
            "grade": int(row.get("grade") or 0), "village": row.get("village") or "",
            "address": row.get("address") or "", "phone": row.get("phone") or "",
            "household_source_id": row.get("household"), "labor_ability": row.get("labor_ability") or "",
            "medical_insurance": bool(row.get("medical_insurance")), "bank_account": row.get("bank_account") or "",
            "status": row["status"], "status_date": _day(row.get("status_date"))}


@dataclass(frozen=True)
class FieldChange:
    """One field of one person changed since the town's last package."""

    person: str  # the name
    field: str  # the clerk's word for it
    old: str
    new: str


@dataclass(frozen=True)
class PackagePreview:
    """What a package is and what accepting it would change."""

    town: str
    code: str
    sequence: int
    as_of: dt.date
    fingerprint: str
    manifest_sha256: str
    first_package: bool  # the town is not registered yet: its key is registered on accepting
    already: bool  # this very package was accepted before: accepting it changes nothing
    last_sequence: int
    added: int
    changed_persons: int
    field_changes: tuple[FieldChange, ...]
    moved_out: int
    dead: int
    restored: int
    payments: int
    payments_fen: int
    first_month: dt.date | None
    last_month: dt.date | None

    def lines(self) -> list[str]:
        """What changed, one line per kind (the command line prints them; the window shows them)."""
        by_field = Counter(change.field for change in self.field_changes)
        fields = "，".join(f"{name}{count}处" for name, count in by_field.most_common())
        months = (f"（{self.first_month:%Y-%m}至{self.last_month:%Y-%m}）"
                  if self.first_month and self.last_month else "")
        return [f"{self.town}（{self.code}）第{self.sequence}号上报包，截至{self.as_of.isoformat()}",
                f"新增 {self.added}人", f"变更 {self.changed_persons}人" + (f"：{fields}" if fields else ""),
                f"迁出 {self.moved_out}人", f"死亡 {self.dead}人", f"恢复 {self.restored}人",
                f"发放 {self.payments}笔 {yuan_plain(self.payments_fen)}元{months}"]


@dataclass(frozen=True)
class ImportResult:
    preview: PackagePreview
    checks_found: int  # new 待核实 lines this package brought to light
    checks_open: int  # all 待核实 lines not yet resolved

    def lines(self) -> list[str]:
        if self.preview.already:
            return [f"{self.preview.town}的第{self.preview.sequence}号上报包已导入过，未作任何改动。"]
        return [*self.preview.lines(), f"待核实 新发现{self.checks_found}条，共{self.checks_open}条未处理"]


def _town(session: Session, package: Package) -> CountyTown | None:
    return session.scalar(select(CountyTown).where(CountyTown.code == package.code))


def _judge(session: Session, package: Package, force: bool) -> tuple[CountyTown | None, bool]:
    """The town the package is from (None: not registered yet) and whether it was accepted before;
    PackageRefused for another key or an older package."""
    town = _town(session, package)
    if town is None:
        return None, False
    if town.public_key != package.public_key:
        raise PackageRefused(f"{package.town}（{package.code}）上报包的签名密钥与县里登记的不同"
                             f"（指纹 {package.fingerprint}）：未导入，请电话向乡镇核实后再处理。")
    seen = session.scalar(select(CountyPackage.id).where(CountyPackage.manifest_sha256 == package.manifest_sha256))
    if seen is not None:
        return town, True
    taken = session.scalar(select(CountyPackage.id).where(CountyPackage.town_id == town.id,
                                                          CountyPackage.sequence == package.sequence))
    if taken is not None or (package.sequence < town.last_sequence and not force):
        raise PackageRefused(f"{package.town}的这个上报包是第{package.sequence}号，县里已导入第{town.last_sequence}号："
                             "较旧或重复的包未导入（确需导入较旧的包请加 --force）。")
    return town, False


def _stored_persons(session: Session, town: CountyTown | None) -> dict[int, dict[str, Any]]:
    if town is None:
        return {}
    columns = [getattr(CountyPerson, name) for name in PERSON_FIELDS]
    stmt = select(CountyPerson.source_id, *columns).where(CountyPerson.town_id == town.id)
    return {source: dict(zip(PERSON_FIELDS, values, strict=True)) for source, *values in session.execute(stmt)}


def _stored_ids(session: Session, column: Any, town_column: Any, town: CountyTown | None) -> set[int]:
    if town is None:
        return set()
    return set(session.scalars(select(column).where(town_column == town.id)))


def _shown(value: Any, name: str = "") -> str:
    """A field's value as the clerk reads it (类别 and 等级 in words, 是/否)."""
    if name in ("category", "grade") and value:
        names = CATEGORY_NAMES if name == "category" else GRADE_NAMES
        return str(names.get(int(value), value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


def _preview(session: Session, package: Package, town: CountyTown | None, already: bool) -> PackagePreview:
    stored = _stored_persons(session, town)
    added, changes, changed = 0, [], set()
    with_bank = bool(package.manifest.get("bank_accounts"))
    for row in package.parts["persons.json"]:
        new = _person(row)
        old = stored.get(new["source_id"])
        if old is None:
            added += 1
            continue
        for name, label in PERSON_FIELDS.items():
            if name == "bank_account" and not with_bank:
                continue
            if _shown(old[name]) != _shown(new[name]):
                changes.append(FieldChange(new["name"], label, _shown(old[name], name), _shown(new[name], name)))
                changed.add(new["source_id"])
    known_changes = _stored_ids(session, CountyStatusChange.source_id, CountyStatusChange.town_id, town)
    fresh = [c for c in package.parts["status_changes.json"] if c["id"] not in known_changes]
    restored = _restored(package.parts["status_changes.json"], {c["id"] for c in fresh})
    known_paid = _stored_ids(session, CountyPayment.source_id, CountyPayment.town_id, town)
    paid = [p for p in package.parts["payments.json"] if p["id"] not in known_paid]
    months = sorted(p["month"] for p in paid)
    return PackagePreview(
        town=package.town, code=package.code, sequence=package.sequence, as_of=package.as_of,
        fingerprint=package.fingerprint, manifest_sha256=package.manifest_sha256, first_package=town is None,
        already=already, last_sequence=town.last_sequence if town else 0, added=added,
        changed_persons=len(changed), field_changes=tuple(changes),
        moved_out=sum(1 for c in fresh if c["status"] == PersonStatus.MOVED_OUT),
        dead=sum(1 for c in fresh if c["status"] == PersonStatus.DEAD), restored=restored,
        payments=len(paid), payments_fen=sum(int(p["amount_fen"]) for p in paid),
        first_month=_day(months[0]) if months else None, last_month=_day(months[-1]) if months else None)


def _restored(changes: list[dict[str, Any]], fresh: set[int]) -> int:
    """New 在册 changes that follow an earlier 迁出, 死亡 or 注销 of the same person: back on the register (恢复)."""
    left: set[int] = set()
    count = 0
    for c in sorted(changes, key=lambda c: (c["date"], c["id"])):
        if c["status"] != PersonStatus.ON_REGISTER:
            left.add(c["person"])
        elif c["person"] in left and c["id"] in fresh:
            count += 1
    return count


def _refuse_a_town_register(session: Session) -> None:
    """A town's own register takes no packages (become_county says the same before any write)."""
    if not is_county(session) and session.scalar(select(func.count()).select_from(Person)):
        raise PackageRefused("这是乡镇的登记册，不能导入上报包：请在县残联自己的数据文件中导入（用 --db 指定）。")


@query
def preview_package(session: Session, path: Path, *, force: bool = False) -> PackagePreview:
    """导入上报包's first step: the package checked and what it would change (PackageRefused otherwise)."""
    _refuse_a_town_register(session)
    package = read_package(path)
    town, already = _judge(session, package, force)
    return _preview(session, package, town, already)


@action(Changes.COUNTY | Changes.SETTINGS, long=True)
def accept_package(session: Session, path: Path, *, register_key: bool = False, force: bool = False,
                   progress: Progress | None = None) -> ImportResult:
    """导入: the package checked again and merged in this one transaction. A town's first package needs
    register_key (its fingerprint confirmed by telephone); the same package again changes nothing."""
    _refuse_a_town_register(session)
    package = read_package(path)
    town, already = _judge(session, package, force)
    preview = _preview(session, package, town, already)
    if already:
        return ImportResult(preview, 0, open_checks(session))
    if town is None:
        if not register_key:
            raise PackageRefused(f"{package.town}（{package.code}）尚未在县里登记，核对码 {package.fingerprint} "
                                 "未经确认：未导入。")
        become_county(session)
        town = CountyTown(code=package.code, name=package.town, public_key=package.public_key,
                          fingerprint=package.fingerprint, last_sequence=0)
        session.add(town)
        session.flush()
    if progress is not None:
        progress(0, 0, f"正在导入{package.town}的上报包……")
    merge(session, town, package, [_person(row) for row in package.parts["persons.json"]])
    forced = package.sequence < town.last_sequence
    town.name, town.last_sequence, town.last_as_of = package.town, package.sequence, package.as_of
    session.add(CountyPackage(town_id=town.id, sequence=package.sequence, as_of=package.as_of,
                              manifest_sha256=package.manifest_sha256,
                              program_version=str(package.manifest.get("version") or ""),
                              schema=str(package.manifest.get("schema") or ""),
                              summaries=json.dumps(package.parts["summaries.json"], ensure_ascii=False),
                              changes="\n".join(preview.lines()), forced=forced))
    session.flush()
    if progress is not None:
        progress(0, 0, "正在查找跨乡镇的待核实情况……")
    found = find_checks(session, town.id)
    return ImportResult(preview, found, open_checks(session))
