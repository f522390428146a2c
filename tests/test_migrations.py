"""The migration scripts build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from sop_training.extensions import db

from .conftest import drop_everything


def test_upgrade_from_empty_matches_models(app):
    drop_everything(db.engine)
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
