"""The declarative base every mapped class shares, and the time rows are stamped with."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    pass
