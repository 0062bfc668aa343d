"""The generator's PostgreSQL path: rows written with COPY, the tables' indexes and constraints set
aside for the load and always back afterwards, offices written by two processes side by side."""

import psycopg
import pytest
from django.db import connection
from django.db.models import F

from bench import generate as gen
from bench import pgload
from propdesk.complaints.models import Complaint
from propdesk.tickets.models import Contact, Kind, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SIZE = {"offices": 2, "households_per_office": 60, "tickets_per_household": 5, "analyze": False}
TABLES = [model._meta.db_table for model in gen.MODELS]


@pytest.fixture(scope="module", autouse=True)
def _planner_sizes_forgotten(django_db_blocker):
    """Building an index records the table's size in place, outside the test's transaction: a
    load rolled back with the test leaves the tables recorded as empty though their pages hold
    the dead rows, and PostgreSQL then plans every later test's queries for empty tables (the
    demo's build took minutes on each query). Once this module is done, the tables are marked as
    never measured again, from a connection of their own, as a new database's are."""
    yield
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            autocommit=True,
        ) as own:
            own.execute(
                "UPDATE pg_class SET reltuples = -1, relpages = 0, relallvisible = 0"
                " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
            )


def _quiet(*args):
    pass


def _assert_complete(rows):
    """Every table holds what the run says it wrote; every complaint request has its complaint."""
    counts = {model._meta.label: model.objects.count() for model in gen.MODELS}
    assert counts == {label: rows[label] for label in counts}
    assert rows["tickets.Ticket"] == 2 * 60 * 5
    assert rows["complaints.Complaint"] > 0 and rows["community.Registration"] > 0
    assert not Ticket.objects.filter(kind=Kind.COMPLAINT, complaint__isnull=True).exists()
    assert not Complaint.objects.exclude(ticket__kind=Kind.COMPLAINT).exists()
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(t.number.endswith(f"{t.pk:06d}") for t in Ticket.objects.only("number"))


def _next_id(model):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        return cursor.fetchone()[0]


def test_a_load_with_indexes_set_aside_leaves_every_index_and_constraint_as_it_was():
    before = pgload.definitions(TABLES)
    assert len(before) > 100

    rows = gen.generate(**SIZE, indexes="drop", out=_quiet)

    _assert_complete(rows)
    assert pgload.definitions(TABLES) == before
    assert pgload.stashed() == 0
    # The sequences moved past the keys handed out.
    for model in (Ticket, Contact, Complaint):
        assert _next_id(model) > max(model.objects.values_list("pk", flat=True))


def test_a_run_that_fails_midway_still_rebuilds_the_indexes(monkeypatch):
    before = pgload.definitions(TABLES)
    written = []
    households = gen._households

    def fail_on_the_second_office(run, office, indexes):
        written.append(office.pk)
        if len(set(written)) > 1:
            raise RuntimeError("the load broke off")
        households(run, office, indexes)

    monkeypatch.setattr(gen, "_households", fail_on_the_second_office)

    with pytest.raises(RuntimeError, match="broke off"):
        gen.generate(**SIZE, indexes="drop", out=_quiet)

    assert Ticket.objects.exists()  # the first office was written
    assert pgload.definitions(TABLES) == before
    assert pgload.stashed() == 0


def test_indexes_set_aside_by_a_killed_run_are_rebuilt_by_the_next_run():
    before = pgload.definitions(TABLES)
    # What a run killed during its load leaves: the definitions waiting, the indexes gone.
    dropped = pgload.set_aside(TABLES)
    assert dropped > 100
    assert pgload.stashed() == dropped
    left = pgload.definitions(TABLES)
    assert left < before and len(left) <= len(before) - dropped

    messages = []
    gen.generate(**SIZE, indexes="keep", out=messages.append)

    assert messages[0].startswith("Rebuilding the indexes and constraints an interrupted run")
    assert pgload.definitions(TABLES) == before
    assert pgload.stashed() == 0


def test_restore_indexes_from_the_command_line(capsys):
    before = pgload.definitions(TABLES)
    dropped = pgload.set_aside(TABLES)

    assert gen.main(["--restore-indexes"]) == 0

    assert f"Rebuilt {dropped} indexes and constraints" in capsys.readouterr().out
    assert pgload.definitions(TABLES) == before


@pytest.mark.django_db(transaction=True)
def test_two_workers_write_disjoint_keys_and_the_same_kind_of_company():
    before = pgload.definitions(TABLES)

    rows = gen.generate(**SIZE, workers=2, indexes="drop", out=_quiet)

    _assert_complete(rows)
    assert pgload.definitions(TABLES) == before
    # Each office's requests point at its own customers, households and staff.
    assert not Ticket.objects.exclude(customer__office=F("office")).exists()
    assert not Ticket.objects.exclude(household__office=F("office")).exists()
    assert not Ticket.objects.exclude(created_by__office=F("office")).exists()
    for model in (Ticket, Contact):
        assert _next_id(model) > max(model.objects.values_list("pk", flat=True))
