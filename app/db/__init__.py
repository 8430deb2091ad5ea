"""The database: engine and sessions (engine.py), mapped classes (models.py), Alembic migrations."""
