"""The generator and the benchmark keep working: a tiny company, every query run once."""

import phonenumbers
import pytest

from bench.generate import GenerateRefused, generate, mobile
from bench.run import CASES, format_report, run_benchmark
from propdesk.customers.models import CustomerPhone, Household
from propdesk.org.models import Office
from propdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

# No ANALYZE: plans of a tiny database mean nothing, and it would only slow the test down.
SIZE = {"offices": 2, "households_per_office": 5, "tickets_per_household": 2, "analyze": False}


def _quiet(*args):
    pass


def test_generator_fills_the_database_with_unique_numbers():
    rows = generate(**SIZE, out=_quiet)

    assert Office.objects.count() == 2
    assert Household.objects.count() == 10
    assert Ticket.objects.count() == rows["tickets.Ticket"] == 20
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    # The services' format: the local date, then the row id.
    assert all(t.number.endswith(f"{t.pk:06d}") for t in Ticket.objects.all())
    phones = list(CustomerPhone.objects.values_list("number", flat=True))
    assert len(set(phones)) == len(phones)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)


def test_generated_mobiles_are_distinct_and_valid_far_into_the_sequence():
    sample = [mobile(n) for n in (*range(100), *range(10**6, 10**6 + 100), 10**8 - 1)]
    assert len(set(sample)) == len(sample)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in sample)


def test_generator_refuses_a_database_with_offices_unless_appending():
    generate(**SIZE, out=_quiet)

    with pytest.raises(GenerateRefused):
        generate(**SIZE, out=_quiet)
    assert Office.objects.count() == 2

    generate(**SIZE, append=True, out=_quiet)
    assert Office.objects.count() == 4
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 40


def test_every_benchmark_query_runs_and_is_reported():
    generate(**SIZE, out=_quiet)

    # repeat=0: each query runs once, in the warm-up that counts its queries and explains them.
    report = run_benchmark(repeat=0)

    errors = [f"{r.user} / {r.name}: {r.error}" for r in report.results if r.error]
    assert errors == []
    expected = {(case.name, user) for case in CASES for user in case.users}
    assert {(r.name, r.user) for r in report.results} == expected
    assert all(r.skipped or (r.queries > 0 and r.plans) for r in report.results)
    text = format_report(report)
    for case in CASES:
        assert case.name in text
