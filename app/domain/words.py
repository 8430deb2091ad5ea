"""The clerk's words for states and kinds, each defined once. A member's value is the word the database
stores and the screen shows (在册, 发放, 已慰问 …), so it compares equal to the stored text and no data
changes for it. Test membership with `value in tuple(Enum)`: Python 3.11 refuses `str in Enum`."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class PersonStatus(StrEnum):
    """A person on the register, or why no longer (a status change, never a deletion)."""

    ON_REGISTER = "在册"
    MOVED_OUT = "迁出"
    DEAD = "死亡"
    CANCELLED = "注销"  # 注销残疾人证


OFF_REGISTER = (PersonStatus.DEAD, PersonStatus.MOVED_OUT, PersonStatus.CANCELLED)


def status_text(status: str, since: dt.date | None) -> str:
    """A person's status as the screens say it: 2026-11-20死亡 (the day it happened, then what), or 在册."""
    if status == PersonStatus.ON_REGISTER or since is None:
        return str(status)
    return f"{since.isoformat()}{status}"


# what a cause (of a stop, an overpayment) says of each: 户口迁出, not 迁出; looked up by the status column's text
DEPARTURE_CAUSES: dict[str, str] = {
    PersonStatus.DEAD: "死亡", PersonStatus.MOVED_OUT: "户口迁出", PersonStatus.CANCELLED: "注销残疾人证",
}


class LaborAbility(StrEnum):
    """劳动能力."""

    ABLE = "有"
    PARTLY = "部分"
    UNABLE = "无"


class SelfCare(StrEnum):
    """生活自理能力."""

    SELF_CARING = "自理"
    PARTLY = "部分自理"
    DEPENDENT = "不能自理"


class Programme(StrEnum):
    """The two subsidies (两项补贴), stored by these keys."""

    LIVING = "living"  # 困难残疾人生活补贴
    NURSING = "nursing"  # 重度残疾人护理补贴

    @property
    def full_name(self) -> str:
        """The full name, as forms print it."""
        return "困难残疾人生活补贴" if self is Programme.LIVING else "重度残疾人护理补贴"

    @property
    def short(self) -> str:
        """生活补贴 / 护理补贴, as lists and reasons write it."""
        return "生活补贴" if self is Programme.LIVING else "护理补贴"


class Stage(StrEnum):
    """Where an application for a subsidy stands: 申请 → 初审 → 审核 → 审定 → 发放, or closed."""

    APPLIED = "申请"  # at the town window
    FIRST_CHECK = "初审"  # town
    COUNTY_CHECK = "审核"  # county 残联
    DECIDED = "审定"  # county 民政
    PAYING = "发放"
    REFUSED = "不予通过"
    STOPPED = "停发"


STAGES_IN_ORDER = (Stage.APPLIED, Stage.FIRST_CHECK, Stage.COUNTY_CHECK, Stage.DECIDED, Stage.PAYING)
CLOSED_STAGES = (Stage.REFUSED, Stage.STOPPED)


class OverpaymentState(StrEnum):
    """What became of money paid for months after a subsidy should have stopped."""

    OWED = "应追回"
    RECOVERED = "已追回"
    WRITTEN_OFF = "核销"
    CANCELLED = "已撤销"  # recorded in error (the person was restored to the register)


class Settlement(StrEnum):
    """The two kinds of entry against an overpayment."""

    RECOVERY = "追回"
    WRITE_OFF = "核销"


class ReliefKind(StrEnum):
    """The one-off and yearly help the office records in the relief ledger (救助台账)."""

    TEMPORARY = "临时救助"
    MEDICAL = "医疗救助"
    EDUCATION = "教育补助"
    MEDICINE = "精神残疾药物补助"
    HOUSING = "危房改造"  # given to a household
    REHABILITATION = "康复训练"


BY_HOUSEHOLD = (ReliefKind.HOUSING,)


class LineOutcome(StrEnum):
    """What happened on a festival visit to one household of a campaign's list."""

    PENDING = ""  # not recorded yet
    VISITED = "已慰问"
    NOT_FOUND = "未找到"


class Movement(StrEnum):
    """A movement of device stock (stock is their sum): in by 入库 and 退回, out by 发放 and 报损."""

    RECEIVED = "入库"
    ISSUED = "发放"
    RETURNED = "退回"
    WRITTEN_OFF = "报损"
