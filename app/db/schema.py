"""Every mapped class, imported once so that the metadata (and Alembic) sees all tables."""

from app.db import aid_models, models, overpayment_models, support_models, visit_models

Base = models.Base

__all__ = ["Base", "aid_models", "models", "overpayment_models", "support_models", "visit_models"]
