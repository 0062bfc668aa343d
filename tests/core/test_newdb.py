"""A new database built from the models (``core.newdb``) is the database the migrations build.

The test database here was built by running every migration. A second, new database is built by
``build_new`` in a subprocess (its own settings, its own connection) and described the same way:
tables, columns with their types, nullability and defaults, every index and constraint, and the
migrations recorded as applied. Any difference fails with the table it is in.
"""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from propdesk.core.newdb import build_new

ROOT = Path(__file__).resolve().parents[2]


def _named(name: str) -> str:
    # SQLite numbers the constraints it has no name for (a positive integer's CHECK, a foreign
    # key) in the order of the columns, which is the order the fields were added in: not a
    # difference.
    return "" if re.fullmatch(r"__unnamed_constraint_\d+__|fk_\d+", name) else name


def describe(conn) -> dict:
    """The schema of ``conn``'s database as plain data, comparable across two databases."""
    introspection = conn.introspection
    tables = {}
    with conn.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = sorted(
                [
                    c.name,
                    str(c.type_code),
                    c.internal_size,
                    c.precision,
                    c.scale,
                    c.null_ok,
                    c.default,
                    c.collation,
                ]
                for c in introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                [
                    _named(name),
                    details["columns"],
                    bool(details["primary_key"]),
                    bool(details["unique"]),
                    list(details["foreign_key"] or []),
                    bool(details["check"]),
                    bool(details["index"]),
                    str(details.get("type") or ""),
                    details.get("orders") or [],
                ]
                for name, details in introspection.get_constraints(cursor, table).items()
            )
            tables[table] = {"columns": columns, "constraints": constraints}
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        applied = [list(row) for row in cursor.fetchall()]
    # Through JSON, as the other database's description arrives: tuples become lists alike.
    return json.loads(json.dumps({"tables": tables, "applied": applied}))


BUILD = """
import json, django
django.setup()
from django.db import connection
from propdesk.core.newdb import build_new
from tests.core.test_newdb import describe
assert build_new(), "the new database was not empty"
assert not build_new(), "a database with tables was built again"
print(json.dumps(describe(connection)))
"""


def run_elsewhere(code: str, database_url: str, **env) -> str:
    """Run ``code`` in a new Python process on the database at ``database_url``; its output."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "propdesk.settings",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def built_elsewhere(database_url: str) -> dict:
    return json.loads(run_elsewhere(BUILD, database_url).strip().splitlines()[-1])


@pytest.fixture
def new_database_url(tmp_path):
    """The address of a database that does not exist yet, on the backend the tests run on;
    dropped afterwards."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.sqlite3'}"
        return
    import psycopg

    name = f"propdesk_newdb_{uuid.uuid4().hex[:12]}"
    server = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        yield f"postgres://{settings['USER']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _differences(migrated: dict, built: dict) -> list[str]:
    found = []
    for table in sorted(set(migrated["tables"]) | set(built["tables"])):
        old, new = migrated["tables"].get(table), built["tables"].get(table)
        if old is None or new is None:
            found.append(f"{table}: only in the {'built' if old is None else 'migrated'} database")
            continue
        for part in ("columns", "constraints"):
            for row in old[part]:
                if row not in new[part]:
                    found.append(f"{table} {part}, only when migrated: {row}")
            for row in new[part]:
                if row not in old[part]:
                    found.append(f"{table} {part}, only when built: {row}")
    if migrated["applied"] != built["applied"]:
        found.append("the migrations recorded as applied differ")
    return found


@pytest.mark.django_db
def test_a_new_database_built_from_the_models_is_the_migrated_schema(new_database_url):
    built = built_elsewhere(new_database_url)
    migrated = describe(connection)
    assert len(built["tables"]) > 100 and built["applied"]
    differences = _differences(migrated, built)
    assert not differences, "\n".join(differences)


@pytest.mark.django_db
def test_a_database_with_tables_is_left_to_migrate():
    tables = connection.introspection.table_names()
    assert build_new() is False
    assert connection.introspection.table_names() == tables


PREPARE = """
import io, django
django.setup()
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from propdesk.core.management.commands.serve import prepare
out = io.StringIO()
prepare(OutputWrapper(out), demo=False)
plan = io.StringIO()
call_command("showmigrations", "--plan", stdout=plan)
print(out.getvalue())
print("unapplied:", plan.getvalue().count("[ ]"), "applied:", plan.getvalue().count("[X]"))
print("permissions:", Permission.objects.count())
"""


def test_serve_builds_a_new_database_with_every_migration_applied(tmp_path):
    out = run_elsewhere(
        PREPARE,
        f"sqlite:///{tmp_path / 'new.sqlite3'}",
        PROPDESK_VAR_DIR=str(tmp_path / "var"),  # static files collected there too
    )
    assert "A new database: its tables are created." in out
    assert "unapplied: 0 " in out
    assert int(out.split("applied: ")[-1].split()[0]) > 80
    assert int(out.split("permissions: ")[-1].split()[0]) > 100
