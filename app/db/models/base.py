"""The declarative base every mapped class shares, and the time rows are stamped with."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    # every class here maps one Table (SQLAlchemy types __table__ as any FromClause): bulk writes use its insert()
    __table__: ClassVar[Table]
