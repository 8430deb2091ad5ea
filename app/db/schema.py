"""Every mapped class, imported once so that the metadata (and Alembic) sees all tables."""

from app.db import models

Base = models.Base

__all__ = ["Base", "models"]
