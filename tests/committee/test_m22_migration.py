"""M22: the committee replaces the two customer flags, and the migration keeps today's data:
each flagged customer gets a seat on their office's committee, before the flags are removed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("committee", "0001_initial"), ("customers", "0004_customer_version")]
AFTER = [("committee", "0002_from_customer_flags"), ("customers", "0005_remove_committee_flags")]


@pytest.fixture
def executor():
    """Leaves the schema as it found it: every app at its latest migration, so that the tests
    after this one (and workers sharing the database) see every column."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_m22_the_flags_become_seats_on_each_offices_committee(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Company = old.get_model("org", "Company")
    Office = old.get_model("org", "Office")
    Customer = old.get_model("customers", "Customer")
    company = Company.objects.create(name="公司")
    cuiyuan = Office.objects.create(company=company, name="翠苑管理处", code="cuiyuan")
    bihu = Office.objects.create(company=company, name="碧湖管理处", code="bihu")
    Office.objects.create(company=company, name="无业委会管理处", code="none")
    member = Customer.objects.create(
        office=cuiyuan, name="张伟", kind="owner", is_committee_member=True
    )
    both = Customer.objects.create(
        office=cuiyuan, name="李强", kind="owner", is_committee_member=True, is_representative=True
    )
    rep = Customer.objects.create(office=bihu, name="王芳", kind="tenant", is_representative=True)
    Customer.objects.create(office=bihu, name="赵磊", kind="owner")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Committee = new.get_model("committee", "Committee")
    Seat = new.get_model("committee", "Seat")
    assert sorted(Committee.objects.values_list("name", flat=True)) == [
        "碧湖管理处业主委员会",
        "翠苑管理处业主委员会",
    ]
    seats = {(s.customer_id, s.kind, s.committee.office_id) for s in Seat.objects.all()}
    assert seats == {
        (member.pk, "member", cuiyuan.pk),
        (both.pk, "member", cuiyuan.pk),
        (both.pk, "representative", cuiyuan.pk),
        (rep.pk, "representative", bihu.pk),
    }
    assert all(s.term_to is None for s in Seat.objects.all())
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "customers_customer"
        )
    ]
    assert "is_committee_member" not in columns and "is_representative" not in columns
