"""The generator and the benchmark keep working: a tiny company, every query run once."""

from collections import Counter

import phonenumbers
import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from bench.generate import GenerateRefused, generate, mobile
from bench.run import CASES, format_report, run_benchmark
from propdesk.community.models import Activity, Registration
from propdesk.complaints.models import (
    Complaint,
    CorrectiveActionReport,
    Escalation,
    PreventiveMeasure,
)
from propdesk.customers.models import CustomerPhone, Household
from propdesk.org.models import Office
from propdesk.tickets.models import Kind, Status, Ticket, TicketRecusal

pytestmark = pytest.mark.django_db

# No ANALYZE: plans of a tiny database mean nothing, and it would only slow the test down.
SIZE = {"offices": 2, "households_per_office": 5, "tickets_per_household": 2, "analyze": False}
# Enough requests for complaints (7% of them) in every state, and for a major one's report.
COMPLAINTS_SIZE = {**SIZE, "households_per_office": 60, "tickets_per_household": 5}


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
    generate(**COMPLAINTS_SIZE, out=_quiet)

    # repeat=0: each query runs once, in the warm-up that counts its queries and explains them.
    report = run_benchmark(repeat=0)

    errors = [f"{r.user} / {r.name}: {r.error}" for r in report.results if r.error]
    assert errors == []
    # The generated company has a sample for every query: a complaint, an activity, a director.
    assert [f"{r.user} / {r.name}: {r.skipped}" for r in report.results if r.skipped] == []
    rows = {(r.name, r.user): r.rows for r in report.results}
    assert rows["complaints: number", "agent"] == 1
    assert rows["activity: registrations", "agent"] >= 10
    assert rows["my measures", "director"] > 0
    expected = {(case.name, user) for case in CASES for user in case.users}
    assert {(r.name, r.user) for r in report.results} == expected
    assert all(r.skipped or (r.queries > 0 and r.plans) for r in report.results)
    text = format_report(report)
    for case in CASES:
        assert case.name in text


def test_generator_gives_every_complaint_request_its_complaint():
    rows = generate(**COMPLAINTS_SIZE, out=_quiet)

    complaints = Complaint.objects.select_related("ticket")
    assert rows["complaints.Complaint"] == complaints.count() > 0
    assert Ticket.objects.filter(kind=Kind.COMPLAINT, complaint__isnull=True).count() == 0
    assert Complaint.objects.exclude(ticket__kind=Kind.COMPLAINT).count() == 0
    # The complaint's state follows its request's (tickets.lifecycle's complaint moves).
    follows = {
        Status.NEW: {"received"},
        Status.IN_PROGRESS: {"in_progress"},
        Status.COMPLETED: {"resolved", "answered"},
        Status.CLOSED: {"closed"},
    }
    states = Counter()
    for c in complaints:
        states[c.state] += 1
        assert c.state in follows[c.ticket.status], (c.ticket.status, c.state)
        assert c.office_id == c.ticket.office_id and c.customer_id == c.ticket.customer_id
        assert (c.first_responded_at is None) == (c.state == "received")
        assert c.first_response_due_at > c.created_at == c.ticket.created_at
        if c.involves_compensation or c.against_director:
            assert c.owner == "leadership"
        if c.state == "closed":
            assert c.answered_at and c.cause_category and c.cause_analysis and c.closed_at
            assert c.resolved_at <= c.answered_at <= c.closed_at <= timezone.now()
        else:
            assert not c.measures.exists()
    assert {"in_progress", "closed"} <= set(states)
    owners = Counter(Complaint.objects.values_list("owner", flat=True))
    assert owners["service_center"] > owners["quality"] + owners["leadership"] > 0
    assert Escalation.objects.exists()
    # The staff a complaint names are recused from its request.
    for c in Complaint.objects.filter(about_staff__isnull=False).distinct():
        named = set(c.about_staff.values_list("pk", flat=True))
        assert named == set(
            TicketRecusal.objects.filter(ticket=c.ticket_id).values_list("user_id", flat=True)
        )

    measures = PreventiveMeasure.objects.select_related("complaint", "owner")
    assert rows["complaints.PreventiveMeasure"] == measures.count() > 0
    for m in measures:
        assert m.complaint.state == "closed" and m.complaint.substantiated
        assert m.due_on >= timezone.localdate(m.complaint.analysed_at)
        assert m.owner.role in ("agent", "director", "quality")
    for report in CorrectiveActionReport.objects.select_related("complaint"):
        assert report.complaint.severity == "major"
        if report.state == "approved":
            assert report.number.startswith("CAR-") and report.complaint.state == "closed"
            assert report.approved_by_id not in (report.prepared_by_id, report.submitted_by_id)


def test_generator_writes_activities_with_registrations():
    rows = generate(**COMPLAINTS_SIZE, out=_quiet)

    assert rows["community.Activity"] == Activity.objects.count()
    for office in Office.objects.all():
        assert Activity.objects.filter(office=office).count() >= 20  # a few a month for a year
    assert not Registration.objects.filter(activity__state="draft").exists()
    now = timezone.now()
    for activity in Activity.objects.exclude(state="draft"):
        registrations = activity.registrations.all()
        assert 10 <= len(registrations) <= 60
        assert {r.customer.office_id for r in registrations} == {activity.office_id}
        live = [r.customer_id for r in registrations if r.state != "cancelled"]
        assert len(live) == len(set(live))
        taken = registrations.filter(state__in=["confirmed", "attended"]).aggregate(n=Sum("seats"))[
            "n"
        ]
        assert (taken or 0) <= activity.capacity
        assert all(r.queued_at <= min(activity.registration_closes_at, now) for r in registrations)
        if activity.state == "finished":
            assert not registrations.filter(state__in=["confirmed", "waiting"]).exists()
        if activity.state == "cancelled":
            assert not registrations.exclude(state="cancelled").exists()
    upcoming = Activity.objects.filter(Q(starts_at__gte=now), ~Q(state="finished"))
    assert upcoming.exists()
