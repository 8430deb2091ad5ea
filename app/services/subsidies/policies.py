"""Policies as data: the rules and amounts of each programme from the month they take effect.

The shipped defaults (resources/policies/*.json: the national rule with Gansu's extension and the 2019
Gansu minimum amounts, and default amounts for the one-off relief kinds) apply until the clerk saves a
version of their own; saving writes the defaults first, so the history shows what was in force before.
A change is a new version from its month: earlier months keep the rule they were paid under, and a
month already confirmed for payment cannot be changed afterwards."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import PolicyVersion, SubsidyPayment
from app.domain import subsidy_rules
from app.domain.months import Month
from app.domain.words import Programme, ReliefKind
from app.errors import InputError
from app.paths import resource_path
from app.services.actions import Changes, action, query

ALL_PROGRAMMES = (*Programme, *ReliefKind)


@dataclass(frozen=True)
class PolicyRecord:
    """One version of one programme's rules. id is None for a shipped default not yet saved."""

    id: int | None
    programme: str
    effective: Month
    rules: dict[str, Any]
    note: str


def _record(raw: dict[str, Any]) -> PolicyRecord:
    return PolicyRecord(None, raw["programme"], Month.parse(raw["effective_month"]), dict(raw["rules"]),
                        raw.get("note", ""))


def shipped_defaults() -> dict[str, PolicyRecord]:
    """The defaults shipped in resources/policies, by programme."""
    folder = resource_path("policies")
    found: dict[str, PolicyRecord] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for raw in data if isinstance(data, list) else [data]:
            record = _record(raw)
            found[record.programme] = record
    return found


@query
def versions(session: Session, programme: str) -> list[PolicyRecord]:
    """Every version of a programme, earliest first; the shipped default while none is saved."""
    rows = session.scalars(
        select(PolicyVersion).where(PolicyVersion.programme == programme).order_by(PolicyVersion.effective_month)
    ).all()
    if rows:
        return [PolicyRecord(r.id, r.programme, Month.of(r.effective_month), json.loads(r.rules), r.note)
                for r in rows]
    default = shipped_defaults().get(programme)
    return [default] if default else []


def install_defaults(session: Session) -> int:
    """Write the shipped defaults of every programme that has no saved version; returns how many."""
    have = set(session.scalars(select(PolicyVersion.programme).distinct()))
    added = 0
    for programme, record in shipped_defaults().items():
        if programme in have:
            continue
        try:  # another clerk's first confirmation may write the same default at the same moment: theirs stands
            with session.begin_nested():
                session.add(PolicyVersion(programme=programme, effective_month=record.effective.first_day,
                                          rules=json.dumps(record.rules, ensure_ascii=False), note=record.note))
                session.flush()
        except IntegrityError:
            continue
        added += 1
    return added


class PolicyBook:
    """All versions of every programme, read once, to answer "which rule was in force in month M"
    for many months (a roster, a review, the demo's five years) without a query each."""

    def __init__(self, by_programme: dict[str, list[PolicyRecord]]) -> None:
        self._by = by_programme
        self._starts = {p: [r.effective for r in rs] for p, rs in by_programme.items()}

    @classmethod
    def load(cls, session: Session) -> PolicyBook:
        return cls({p: versions.in_session(session, p) for p in ALL_PROGRAMMES})

    def record(self, programme: str, month: Month) -> PolicyRecord | None:
        starts = self._starts.get(programme, [])
        index = bisect.bisect_right(starts, month) - 1
        return self._by[programme][index] if index >= 0 else None

    def policies(self, month: Month) -> subsidy_rules.Policies:
        living = self.record(Programme.LIVING, month)
        nursing = self.record(Programme.NURSING, month)
        return subsidy_rules.Policies(
            subsidy_rules.parse_living(living.rules) if living else None,
            subsidy_rules.parse_nursing(nursing.rules) if nursing else None,
        )


def last_confirmed_month(session: Session) -> Month | None:
    last = session.scalar(select(func.max(SubsidyPayment.month)))
    return Month.of(last) if last else None


def _check_rules(programme: str, rules: dict[str, Any]) -> None:
    if programme == Programme.LIVING:
        subsidy_rules.parse_living(rules)
    elif programme == Programme.NURSING:
        subsidy_rules.parse_nursing(rules)
    elif programme in tuple(ReliefKind):
        fen = rules.get("default_fen")
        if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
            raise InputError(f"{programme}的默认金额应为不小于0的金额：请重新填写。")
    else:
        raise InputError(f"没有名为“{programme}”的补助项目。")


@action(Changes.SUBSIDIES)
def save_policy(session: Session, programme: str, effective: Month, rules: dict[str, Any],
                note: str = "") -> PolicyRecord:
    """A new version of a programme's rules from `effective` (or a correction of a version from that same
    month). Refused for a subsidy month already confirmed for payment: those amounts were paid."""
    _check_rules(programme, rules)
    if programme in tuple(Programme):
        confirmed = last_confirmed_month(session)
        if confirmed is not None and effective <= confirmed:
            raise InputError(f"{confirmed.label}及以前的补贴已确认发放，新标准只能从{confirmed.next().label}起生效："
                             "请改生效月份。")
    install_defaults(session)
    text = json.dumps(rules, ensure_ascii=False, sort_keys=True)
    row = session.scalar(select(PolicyVersion).where(PolicyVersion.programme == programme,
                                                      PolicyVersion.effective_month == effective.first_day))
    if row is None:
        row = PolicyVersion(programme=programme, effective_month=effective.first_day, rules=text, note=note.strip())
        session.add(row)
    else:
        row.rules = text
        row.note = note.strip() or row.note
    session.flush()
    return PolicyRecord(row.id, programme, effective, rules, row.note)


@query
def relief_default_fen(session: Session, kind: str, month: Month) -> int:
    """The default amount of a relief kind in force in that month (0 when none)."""
    record = PolicyBook({kind: versions.in_session(session, kind)}).record(kind, month)
    return int(record.rules.get("default_fen", 0)) if record else 0
