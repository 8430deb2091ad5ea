"""The database: engine and sessions (engine.py), mapped classes (models/, one module per part of the work),
Alembic migrations."""
