"""导入政策更新包 in a town (`canlian import policy-package FILE`, 文件 → 导入政策更新包…): the county's
package checked and what it would change in 政策设置 shown before anything is written.

Refused in one sentence, nothing changed: a package not whole or changed (package.read_policy_package),
signed by another key than the county's registered one, not newer than the last accepted, the county's
own register. A standard that would start in a month the town has already confirmed for payment is shown
as 不采用 and not written (those months were paid under the rules then in force); the rest is taken. The first
package registers the county's key only when the caller says its 核对码 was confirmed (the command line
asks on stdin, the window with a tick), as the county registers a town's key. The same package again
changes nothing. Accepting writes every changed standard (policies.save_policy) and catalogue item
(catalogue.save_device_type) in one transaction, each audited, with the package's number in the note."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.months import Month
from app.errors import InputError
from app.services import signing
from app.services.actions import Changes, action, query
from app.services.county.towns import is_county
from app.services.devices.catalogue import catalogue, save_device_type
from app.services.policy_package.changes import ItemChange, StandardChange, item_change, programme_name, standard_change
from app.services.policy_package.package import PolicyPackage, read_policy_package
from app.services.report_package.package import PackageRefused
from app.services.settings import get_setting, set_setting
from app.services.subsidies.policies import PolicyBook, last_confirmed_month, save_policy
from app.services.subsidies.policies import _check_rules as check_rules

COUNTY_KEY = "county.public_key"  # the county office's registered public key (hex)
COUNTY_NAME = "county.name"
LAST_SEQUENCE = "policy_package.last_accepted"  # the number of the last 政策更新包 this town accepted
LAST_MANIFEST = "policy_package.last_sha256"  # the audit names a field in 40 characters: "<key>.value"


@dataclass(frozen=True)
class PolicyPreview:
    """What a 政策更新包 is and what accepting it would change."""

    county: str
    sequence: int
    created: str
    fingerprint: str
    first_package: bool  # the county's key is not registered yet: registered on accepting
    already: bool  # this very package was accepted before: accepting it changes nothing
    standards: tuple[StandardChange, ...]
    items: tuple[ItemChange, ...]

    @property
    def taken(self) -> tuple[StandardChange, ...]:
        """The standards accepting writes (not those from a month already paid)."""
        return tuple(c for c in self.standards if c.paid_through is None)

    def lines(self) -> list[str]:
        """What would change, one line per standard and catalogue item (the command line prints them;
        the window lists them)."""
        head = f"{self.county}第{self.sequence}号政策更新包（{self.created[:10]}生成）"
        if self.already:
            return [f"{head}已导入过，未作任何改动。"]
        body = [c.line() for c in self.standards] + [c.line() for c in self.items]
        return [head, *(body or ["政策设置和器具目录都与本镇现有的一致，无需改动。"])]


def _refuse_the_county(session: Session) -> None:
    if is_county(session):
        raise PackageRefused("这是县残联的数据文件：政策更新包由乡镇导入，请在乡镇的数据文件中导入。")


def _judge(session: Session, package: PolicyPackage) -> tuple[bool, bool]:
    """(first package: the county's key not registered yet, already accepted); PackageRefused for another
    key or an older package."""
    registered = get_setting(session, COUNTY_KEY)
    if registered and registered != package.public_key:
        raise PackageRefused(f"政策更新包的签名密钥与本镇登记的县残联密钥不同（核对码 {package.fingerprint}）："
                             "未导入，请电话向县残联核实。")
    if get_setting(session, LAST_MANIFEST) == package.manifest_sha256:
        return False, True
    last = int(get_setting(session, LAST_SEQUENCE) or "0")
    if package.sequence <= last:
        raise PackageRefused(f"这个政策更新包是第{package.sequence}号，本镇已导入第{last}号：较旧的包未导入，"
                             "请用县残联最新发来的政策更新包。")
    return not registered, False


def _standards(session: Session, package: PolicyPackage) -> list[StandardChange]:
    book = PolicyBook.load(session)
    confirmed = last_confirmed_month(session)
    found = []
    for raw in package.policies:
        programme, effective = str(raw["programme"]), Month.parse(str(raw["effective_month"]))
        try:
            check_rules(programme, dict(raw["rules"]))
        except InputError as exc:
            raise PackageRefused(f"政策更新包中{programme_name(programme)}的标准不对（{exc}）："
                                 "未导入，请县残联核对后重新生成。") from None
        in_force = book.record(programme, effective)
        change = standard_change(programme, effective, in_force.rules if in_force else None,
                                 dict(raw["rules"]), str(raw.get("note", "")))
        if change is None:
            continue
        if confirmed is not None and effective <= confirmed and programme in ("living", "nursing"):
            change = replace(change, paid_through=confirmed)  # shown, not taken: those months were paid
        found.append(change)
    return found


def _items(session: Session, package: PolicyPackage) -> list[ItemChange]:
    mine = {item.name: item for item in catalogue(session, include_inactive=True)}
    found = (item_change(raw, mine.get(str(raw["name"]))) for raw in package.catalogue)
    return [change for change in found if change is not None]


def _preview(session: Session, path: Path) -> tuple[PolicyPackage, PolicyPreview]:
    _refuse_the_county(session)
    package = read_policy_package(path)
    first, already = _judge(session, package)
    standards = () if already else tuple(_standards(session, package))
    items = () if already else tuple(_items(session, package))
    return package, PolicyPreview(package.county, package.sequence, package.created, package.fingerprint, first,
                                  already, standards, items)


@query
def preview_policy_package(session: Session, path: Path) -> PolicyPreview:
    """导入政策更新包's first step: the package checked and what it would change (PackageRefused otherwise)."""
    return _preview(session, path)[1]


@action(Changes.SUBSIDIES | Changes.DEVICES | Changes.SETTINGS)
def accept_policy_package(session: Session, path: Path, *, register_key: bool = False) -> PolicyPreview:
    """采用: the package checked again and every change written in this one transaction. The first package
    needs register_key (the county's 核对码 confirmed by telephone); the same package again changes nothing."""
    package, preview = _preview(session, path)
    if preview.already:
        return preview
    if preview.first_package:
        if not register_key:
            raise PackageRefused(f"县残联的核对码 {package.fingerprint} 未经确认：政策更新包未导入。")
        set_setting(session, COUNTY_KEY, package.public_key)
        set_setting(session, COUNTY_NAME, package.county)
    said = f"{package.county}第{package.sequence}号政策更新包"
    for change in preview.taken:
        note = f"{said}：{change.note}" if change.note and not change.note.startswith(said) else change.note or said
        save_policy.in_session(session, change.programme, change.effective, change.rules, note)
    for item in preview.items:
        save_device_type.in_session(session, item.values, item.device_type_id)
    set_setting(session, LAST_SEQUENCE, str(package.sequence))
    set_setting(session, LAST_MANIFEST, package.manifest_sha256)
    return preview


@query
def registered_county(session: Session) -> tuple[str, str]:
    """(the county's name, its key's 核对码) as registered by the first 政策更新包; ("", "") before."""
    key = get_setting(session, COUNTY_KEY)
    return get_setting(session, COUNTY_NAME), signing.fingerprint(key) if key else ""
