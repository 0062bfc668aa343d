"""A new database built in one step from the models (docs/decisions.md, "A new database is built
from the models").

``migrate`` replays the schema's whole history: on a new database Django renders the model states
after every operation of every migration to arrive where the models already are, which costs
about a minute of CPU for propdesk's 88 migrations, all before a newcomer sees the first page. A
database without a single table has no history to keep, so ``build_new`` creates the tables
straight from the models the migrations describe at their end, rendered once (as Django's test
runner does from the app's models for a database it does not migrate), and records every
migration as applied, in the same transaction: the next ``migrate`` starts from here and applies
only what comes later. ``tests/core/test_newdb.py`` checks on SQLite and
PostgreSQL that the result is the schema the migrations build, table by table, column by column,
index by index and constraint by constraint.
"""

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def build_new(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create every table of a database that has none, with every migration recorded as applied.
    Returns whether it did; a database with any table at all is left to ``migrate``."""
    connection = connections[using]
    if connection.introspection.table_names():
        return False
    loader = MigrationLoader(connection)
    # The models as the migrations leave them, rendered once (not the app's own classes: the
    # migrations' state is what ``migrate`` would have built, down to the type of an
    # auto-created many-to-many table's id).
    models = loader.project_state().apps.get_models()
    # Every migration on disk, squashed ones and those they replace alike, as migrate records them.
    applied = sorted(loader.disk_migrations)
    recorder = MigrationRecorder(connection)
    # One schema editor: one transaction on SQLite and PostgreSQL, so a start interrupted here
    # leaves an empty database again, never tables without their migrations recorded.
    with connection.schema_editor() as editor:
        for model in models:
            if model._meta.can_migrate(connection) and router.allow_migrate_model(using, model):
                editor.create_model(model)  # with its many-to-many tables
        editor.create_model(recorder.Migration)
        recorder.migration_qs.bulk_create(
            [recorder.Migration(app=app, name=name) for app, name in applied]
        )
    return True
