"""Bulk loading into PostgreSQL for the generator: ``COPY`` from plain tuples, and the tables'
secondary indexes and constraints set aside during a large load and rebuilt after it.

Setting aside is crash-safe: before anything is dropped, the exact definition of every index and
constraint (``pg_get_indexdef``, ``pg_get_constraintdef``) is written to the table ``STASH`` in
the same transaction as the drops. ``restore`` rebuilds them one at a time, each in a transaction
with the removal of its row, and drops ``STASH`` when it is empty. So a load interrupted in any
way (an error, Ctrl-C, a killed process, a lost server) leaves either nothing dropped or the
definitions waiting in ``STASH``; the generator restores whatever it finds there before it does
anything else, and ``python -m bench.generate --restore-indexes`` does only that.
"""

from django.db import connection, transaction

STASH = "bench_generate_stash"

# The tables' indexes other than primary keys, not backing a constraint.
_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1
"""
# Their foreign keys, and unique constraints no foreign key depends on.
_CONSTRAINTS = """
    SELECT c.contype, c.conrelid::regclass::text, quote_ident(c.conname),
           pg_get_constraintdef(c.oid)
    FROM pg_constraint c
    WHERE c.conrelid = ANY(%s::regclass[])
      AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
          SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
    ORDER BY c.contype DESC, 2, 3
"""


def stashed() -> int:
    """How many indexes and constraints wait in ``STASH`` to be rebuilt (0: none set aside)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [STASH])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(f"SELECT count(*) FROM {STASH}")
        return cursor.fetchone()[0]


def set_aside(tables: list[str]) -> int:
    """Drop the tables' secondary indexes, their unique constraints and foreign keys, keeping each
    definition in ``STASH`` (rebuilt in its order: indexes, unique constraints, foreign keys).
    Returns how many were dropped."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred foreign key checks still pending in this transaction would block the drops.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SELECT to_regclass('{STASH}') IS NOT NULL")
        if cursor.fetchone()[0]:
            raise RuntimeError(f"{STASH} exists: restore the indexes set aside first")
        cursor.execute(
            f"CREATE TABLE {STASH} (position serial PRIMARY KEY, drop_sql text NOT NULL, "
            "create_sql text NOT NULL)"
        )
        found = []
        cursor.execute(_INDEXES, [tables])
        for name, definition in cursor.fetchall():
            found.append((f"DROP INDEX {name}", definition))
        cursor.execute(_CONSTRAINTS, [tables])
        for _kind, table, name, definition in cursor.fetchall():
            found.append(
                (
                    f"ALTER TABLE {table} DROP CONSTRAINT {name}",
                    f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}",
                )
            )
        for drop_sql, create_sql in found:
            cursor.execute(
                f"INSERT INTO {STASH} (drop_sql, create_sql) VALUES (%s, %s)",
                [drop_sql, create_sql],
            )
        # Foreign keys first: a unique constraint cannot go while a key leans on it.
        for drop_sql, _create_sql in reversed(found):
            cursor.execute(drop_sql)
    return len(found)


def restore(out=print) -> int:
    """Rebuild everything waiting in ``STASH``, in order, one statement per transaction, then drop
    ``STASH``. Returns how many were rebuilt. Safe to interrupt and to run again."""
    done = 0
    if not stashed():
        _drop_empty_stash()
        return 0
    with connection.cursor() as cursor:
        # Index builds sort in memory rather than on disk; PostgreSQL's default is 64 MB.
        cursor.execute("SET maintenance_work_mem = '1GB'")
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT position, create_sql FROM {STASH} ORDER BY position LIMIT 1 FOR UPDATE"
            )
            row = cursor.fetchone()
            if row is None:
                break
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(row[1])
            cursor.execute(f"DELETE FROM {STASH} WHERE position = %s", [row[0]])
        done += 1
        if out and done % 20 == 0:
            out(f"  {done} indexes and constraints rebuilt")
    _drop_empty_stash()
    with connection.cursor() as cursor:
        cursor.execute("RESET maintenance_work_mem")
    return done


def _drop_empty_stash() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT to_regclass('{STASH}') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute(f"SELECT count(*) FROM {STASH}")
            if cursor.fetchone()[0] == 0:
                cursor.execute(f"DROP TABLE {STASH}")


def definitions(tables: list[str]) -> set[str]:
    """Every index and constraint of the tables: what a load must leave as it found. An index is
    told by its name, table, kind, columns, operator classes and whether it is partial (not by
    its text: PostgreSQL may word a rebuilt index's condition differently)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT concat_ws(' ', i.indexrelid::regclass, i.indrelid::regclass, am.amname, "
            "i.indisunique, i.indisprimary, i.indkey::text, i.indclass::text, "
            "i.indpred IS NOT NULL, i.indexprs IS NOT NULL) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = ANY(%s::regclass[])",
            [tables],
        )
        found = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        return found | {row[0] for row in cursor.fetchall()}


class Copier:
    """Writes rows given as dicts (attribute name → value, missing columns take the field's
    default) with one binary ``COPY ... FROM STDIN`` per model and batch. psycopg turns the values
    (datetimes, decimals, dates, booleans) into PostgreSQL's binary form in C, which the server
    reads without parsing text; no model instance is made."""

    def __init__(self, models):
        self.tables = {}
        with connection.cursor() as cursor:
            for model in models:
                fields = model._meta.concrete_fields
                table = model._meta.db_table
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    [table],
                )
                types = dict(cursor.fetchall())
                defaults = {f.attname: _db_default(f) for f in fields}
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                sql = (
                    f"COPY {connection.ops.quote_name(table)} ({columns}) "
                    "FROM STDIN (FORMAT BINARY)"
                )
                self.tables[model] = (
                    sql,
                    [types[f.column] for f in fields],
                    defaults,
                    _getter([f.attname for f in fields]),
                )

    def write(self, model, rows) -> None:
        sql, types, defaults, getter = self.tables[model]
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.set_types(types)
            write_row = copy.write_row
            for row in rows:
                write_row(getter({**defaults, **row}))


def _db_default(field):
    value = field.get_default()
    if value is None or isinstance(value, str | int | bool):
        return value
    return field.get_db_prep_save(value, connection)  # e.g. a JSON default: psycopg's Jsonb


def _getter(names):
    from operator import itemgetter

    getter = itemgetter(*names)
    return getter if len(names) > 1 else lambda row: (getter(row),)
