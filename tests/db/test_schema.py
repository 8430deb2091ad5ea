"""The migrations and the models describe one schema: a register migrated to the newest revision is what
the models say, so autogenerate finds nothing to add, drop or alter (a model changed without its revision,
or a revision without its model, fails here)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table

from app.db.engine import open_database
from app.db.schema import Base
from app.db.search_index import include_name
from tests.pg_cluster import Cluster


def _differences(db_path: Path, metadata: MetaData) -> list[object]:
    with open_database(db_path) as db, db.engine.connect() as conn:
        # the search index (FTS5 and its shadow tables, kept by triggers) is SQLite's own, not in the models
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False,
                                                         "include_name": include_name})
        return list(compare_metadata(context, metadata))


def test_the_newest_revision_is_what_the_models_say(db_path: Path) -> None:
    assert _differences(db_path, Base.metadata) == []


def test_a_model_without_its_revision_is_found(db_path: Path) -> None:
    """The check can fail: a table the models have and no revision made is reported."""
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("unmigrated", metadata, Column("id", Integer, primary_key=True))
    assert [diff[0] for diff in _differences(db_path, metadata)] == ["add_table"]


def test_postgresql_migrated_to_the_newest_revision_is_what_the_models_say(pg_cluster: Cluster,
                                                                           pg_template: str) -> None:
    """The same revisions build PostgreSQL: nothing to add, drop or alter there either."""
    with open_database(pg_cluster.url(pg_template)) as db, db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False,
                                                         "include_name": include_name})
        assert list(compare_metadata(context, Base.metadata)) == []
