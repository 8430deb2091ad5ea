"""Rows an earlier import already rejected, remembered by a fingerprint of their content and reason.

Importing the same file again must change nothing and report nothing new: a row rejected before for
the same reason is counted as "still rejected" (named in the messages and the report), not again as
a new rejection. A row that would now pass (the clerk fixed the register meanwhile) is imported as usual.
Only fingerprints are kept, never an ID number."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from sqlalchemy.orm import Session

from app.services.settings import get_setting, set_setting

_KEY = "import.known_rejections"
_KEEP = 5000  # the most recent ones; older rosters are not imported again


def fingerprint(raw: Mapping[str, object], reason: str) -> str:
    """The same row (same fields, same values of the same kind) rejected for the same reason."""
    content = sorted((key, type(value).__name__, str(value)) for key, value in raw.items() if value is not None)
    digest = hashlib.sha256(json.dumps([content, reason], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:20]


def load(session: Session) -> set[str]:
    text = get_setting(session, _KEY)
    return set(json.loads(text)) if text else set()


def remember(session: Session, fingerprints: Iterable[str]) -> None:
    """Add these to what is remembered (a no-op when all are known already)."""
    stored = json.loads(get_setting(session, _KEY) or "[]")
    known = set(stored)
    new = [f for f in dict.fromkeys(fingerprints) if f not in known]
    if new:
        set_setting(session, _KEY, json.dumps((stored + new)[-_KEEP:]))
