"""Recording what happened on each line: visited (when, what was given, by whom, signed), nobody found,
or a wrong record undone; or the whole signed roster at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from app.db.models import VisitCampaign, VisitLine
from app.domain.money import fen
from app.domain.words import LineOutcome
from app.errors import InputError
from app.services.visits.lines import _line, line_views


def check_day(on: dt.date) -> None:
    if on > dt.date.today():
        raise InputError("慰问日期不能晚于今天：请核对日期。")


def record_visit(session: Session, line_id: int, *, on: dt.date, given: Decimal | int | str | None = None,
                 given_goods: str | None = None, visitor: str = "", signed: bool = True) -> VisitLine:
    """The household was visited: when, what was given (default: what was planned), by whom, signed."""
    line = _line(session, line_id)
    if not line.included:
        raise InputError("这一户不在慰问名单中：请先加入名单再登记。")
    check_day(on)
    line.outcome, line.visited_on = LineOutcome.VISITED, on
    line.given_fen = line.amount_fen if given is None else fen(given)
    line.given_goods = line.goods if given_goods is None else given_goods.strip()
    line.visitor, line.signed = visitor.strip(), signed
    session.flush()
    return line


def record_not_found(session: Session, line_id: int, *, on: dt.date, visitor: str = "") -> VisitLine:
    """Nobody was found at home (外出, 住院): nothing was given."""
    line = _line(session, line_id)
    if not line.included:
        raise InputError("这一户不在慰问名单中。")
    check_day(on)
    line.outcome, line.visited_on, line.given_fen, line.given_goods = LineOutcome.NOT_FOUND, on, None, ""
    line.visitor, line.signed = visitor.strip(), False
    session.flush()
    return line


def clear_record(session: Session, line_id: int) -> VisitLine:
    """Undo a recorded result that was wrong (the audit keeps what it was)."""
    line = _line(session, line_id)
    line.outcome, line.visited_on, line.given_fen, line.given_goods = "", None, None, ""
    line.visitor, line.signed = "", False
    session.flush()
    return line


def record_all(session: Session, campaign: VisitCampaign, *, on: dt.date, visitor: str = "") -> int:
    """Every household on the list not yet recorded was visited as planned and signed (the signed roster
    came back complete). Households whose disabled members are no longer on the register are left for
    the clerk to decide. Returns how many were recorded."""
    check_day(on)
    count = 0
    for view in line_views(session, campaign):
        if view.included and not view.outcome and not view.all_departed:
            record_visit(session, view.id, on=on, visitor=visitor or campaign.leader)
            count += 1
    return count
