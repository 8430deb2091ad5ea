"""Rows an earlier import already rejected, remembered by a fingerprint of their content and reason.

Importing the same file again must change nothing and report nothing new: a row rejected before for
the same reason is counted as "still rejected" (named in the messages and the report), not again as
a new rejection. A row that would now pass (the clerk fixed the register meanwhile) is imported as usual.
Each fingerprint is one small setting row (so the audit log gets one short line for it); never an ID."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Setting

_PREFIX = "import.rejected."


def fingerprint(raw: Mapping[str, object], reason: str) -> str:
    """The same row (same fields, same values of the same kind) rejected for the same reason."""
    content = sorted((key, type(value).__name__, str(value)) for key, value in raw.items() if value is not None)
    digest = hashlib.sha256(json.dumps([content, reason], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:20]


def load(session: Session) -> set[str]:
    keys = session.scalars(select(Setting.key).where(Setting.key.startswith(_PREFIX, autoescape=True)))
    return {key[len(_PREFIX):] for key in keys}


def remember(session: Session, fingerprints: Iterable[str], on: dt.date) -> None:
    """Add these to what is remembered, with the day they were first rejected (known ones are left as they are)."""
    known = load(session)
    new = [f for f in dict.fromkeys(fingerprints) if f not in known]
    session.add_all(Setting(key=_PREFIX + f, value=on.isoformat()) for f in new)
    if new:
        session.flush()
