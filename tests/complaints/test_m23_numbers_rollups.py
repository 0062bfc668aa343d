"""M19, M23: the complaint numbers read rollups of closed complaints and count the rest from the
records. After any sequence of complaints received, responded to, escalated, resolved, answered
(satisfied or not) and closed, with the clock moving and refreshes in between, the numbers read
equal the count from the records, per office and for the company, over any period; a period
never rolled up, or rolled up too long ago, is counted from the records; a refresh repeated, or
two at once, writes the same rows."""

import datetime as dt
import itertools
import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from propdesk.complaints import rollups, selectors
from propdesk.complaints.models import Complaint, Escalation, NumbersRollup
from propdesk.tickets.models import Channel, Kind, Status, Ticket
from tests.queries import assert_queries, count_queries, same_queries

pytestmark = pytest.mark.django_db
COMPANY = NumbersRollup.COMPANY
State, Owner = Complaint.State, Complaint.Owner
# Wednesday 10 June 2026, 17:00 in Shanghai.
NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 17, 0))
_numbers = itertools.count(1)


def local(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def days(first: dt.date, last: dt.date) -> dict:
    """The page's period: local days ``first`` to ``last``, both included."""
    return {"start": local(first), "end": local(last + dt.timedelta(days=1))}


def complaint(customer, *, received, due, response_due):
    t = Ticket.objects.create(
        number=f"C{next(_numbers):06d}",
        office=customer.office,
        customer=customer,
        kind=Kind.COMPLAINT,
        channel=Channel.HOTLINE,
        status=Status.NEW,
        description="楼道垃圾三天没人清理",
        due_at=due,
    )
    c = Complaint.objects.create(
        ticket=t,
        office=customer.office,
        customer=customer,
        account="楼道垃圾三天没人清理",
        category=Complaint.Category.ENVIRONMENT,
        owner=Owner.SERVICE_CENTER,
        state=State.RECEIVED,
        first_response_due_at=response_due,
    )
    Complaint.objects.filter(pk=c.pk).update(created_at=received)
    return c


def assert_numbers_equal_the_records(user, period, now):
    """What the page reads equals the count from the records, office by office and in all."""
    rows, total = selectors.numbers(user, now=now, **period)
    live_rows, live_total = selectors.numbers(user, now=now, live=True, **period)
    assert [vars(r) for r in rows] == [vars(r) for r in live_rows], period
    assert vars(total) == vars(live_total), period
    return total


# --- any sequence of changes ------------------------------------------------------------------


class Changes:
    """Random changes to complaints over two offices and the last months — received (some long
    ago), responded to, escalated by hand or by a missed clock, deadlines extended, resolved,
    answered satisfied or not (handling resumes), closed — with the clock moving on and a
    refresh now and then."""

    def __init__(self, seed, customers, now):
        self.rng = random.Random(seed)
        self.customers = customers
        self.now = now - dt.timedelta(days=30)
        self.end = now

    def _some(self, **filters):
        ids = list(Complaint.objects.filter(**filters).values_list("pk", flat=True))
        return Complaint.objects.get(pk=self.rng.choice(ids)) if ids else None

    def _set(self, c, **fields):
        Complaint.objects.filter(pk=c.pk).update(**fields)

    def receive(self):
        # Mostly lately, some a year and more ago (months no job counts).
        back = self.rng.choice([3, 20, 60, 200, 500])
        received = self.now - dt.timedelta(hours=self.rng.randint(0, back * 24))
        complaint(
            self.rng.choice(self.customers),
            received=received,
            response_due=received + dt.timedelta(hours=self.rng.choice([2, 24])),
            due=received + dt.timedelta(days=self.rng.randint(1, 6)),
        )

    def respond(self):
        if c := self._some(state=State.RECEIVED):
            self._set(c, state=State.IN_PROGRESS, first_responded_at=self.now)

    def escalate(self):
        if c := self._some(state__in=Complaint.OPEN_STATES):
            cause = self.rng.choice(list(Escalation.Cause))
            Escalation.objects.get_or_create(
                complaint=c,
                cause=cause,
                defaults={
                    "at": self.now,
                    "from_owner": c.owner,
                    "to_owner": Owner.QUALITY,
                    "reason": "超时",
                },
            )
            self._set(c, owner=self.rng.choice([Owner.QUALITY, Owner.LEADERSHIP]))

    def extend(self):
        if c := self._some(state__in=Complaint.OPEN_STATES):
            hours = self.rng.randint(1, 96)
            Ticket.objects.filter(pk=c.ticket_id).update(
                due_at=self.now + dt.timedelta(hours=hours)
            )

    def resolve(self):
        if c := self._some(state__in=Complaint.OPEN_STATES):
            self._set(c, state=State.RESOLVED, resolved_at=self.now)
            if c.first_responded_at is None:
                self._set(c, first_responded_at=self.now)

    def answer(self):
        if c := self._some(state=State.RESOLVED):
            satisfied = self.rng.choice([True, True, None, False])
            if satisfied is False:  # handling resumes
                self._set(c, state=State.IN_PROGRESS, answer_satisfied=False, resolved_at=None)
            else:
                self._set(c, state=State.ANSWERED, answered_at=self.now, answer_satisfied=satisfied)

    def close(self):
        if c := self._some(state=State.ANSWERED):
            self._set(
                c,
                state=State.CLOSED,
                closed_at=self.now,
                cause_category=Complaint.Cause.PROCESS,
                cause_analysis="排班漏排",
            )

    def time_passes(self):
        self.now = min(self.end, self.now + dt.timedelta(hours=self.rng.randint(1, 72)))

    def refresh(self):
        if self.rng.random() < 0.6:
            rollups.refresh_recent(now=self.now)
        else:
            rollups.refresh_all(now=self.now)

    def run(self, steps):
        moves = [
            (self.receive, 8),
            (self.respond, 3),
            (self.escalate, 1),
            (self.extend, 1),
            (self.resolve, 3),
            (self.answer, 3),
            (self.close, 3),
            (self.time_passes, 3),
            (self.refresh, 2),
        ]
        funcs, weights = zip(*moves, strict=True)
        for _ in range(steps):
            self.rng.choices(funcs, weights)[0]()


def periods(now):
    today = timezone.localdate(now)
    return [
        days(today - dt.timedelta(days=29), today),  # the page's default
        days(today - dt.timedelta(days=365), today),  # a year
        days(dt.date(2026, 3, 1), dt.date(2026, 5, 31)),  # whole months
        days(dt.date(2026, 2, 17), dt.date(2026, 4, 3)),  # months and days at either end
        days(today, today),  # today
        days(dt.date(2025, 1, 1), dt.date(2025, 3, 31)),  # no job counts so far back
        # Not whole days (the selector's own callers pass midnights; others may not).
        {"start": NOW - dt.timedelta(days=40, hours=5), "end": NOW - dt.timedelta(hours=3)},
    ]


@pytest.mark.parametrize("seed", range(8))
def test_m23_numbers_equal_the_records_after_any_sequence_of_changes(
    seed, customer, other_customer, quality, agent
):
    changes = Changes(seed, [customer, other_customer], NOW)
    for _round in range(3):
        changes.run(40)
        # Whatever the jobs did last — between refreshes too — every period reads true.
        for period in periods(changes.now):
            assert_numbers_equal_the_records(quality, period, changes.now)
            assert_numbers_equal_the_records(agent, period, changes.now)
    rollups.refresh_all(now=changes.now)
    later = changes.now + dt.timedelta(hours=5)  # open complaints fall overdue meanwhile
    for period in periods(later):
        total = assert_numbers_equal_the_records(quality, period, later)
    assert total.received or Complaint.objects.count() == 0


def test_m23_the_rollups_hold_the_closed_complaints_and_the_rest_is_counted_live(
    customer, other_customer, quality
):
    received = NOW - dt.timedelta(days=12)
    closed = complaint(customer, received=received, response_due=received, due=received)
    Complaint.objects.filter(pk=closed.pk).update(
        state=State.CLOSED,
        first_responded_at=received,
        resolved_at=received,
        answered_at=received,
        answer_satisfied=True,
        closed_at=received + dt.timedelta(days=1),
        cause_category=Complaint.Cause.PROCESS,
        cause_analysis="排班漏排",
    )
    complaint(other_customer, received=received, response_due=received, due=received)
    rollups.refresh_recent(now=NOW)
    month = rollups.period_of("month", received)
    company = NumbersRollup.objects.get(kind="month", start=month.start, office=COMPANY)
    assert (company.received, company.closed, company.satisfied) == (1, 1, 1)
    assert company.settled_before == NOW - rollups.SETTLE_MARGIN
    assert not NumbersRollup.objects.filter(office=other_customer.office_id).exists()

    period = days(received.date() - dt.timedelta(days=3), timezone.localdate(NOW))
    read = rollups.read(None, now=NOW, **period)
    assert read.rolled_days == 16
    rows, total = selectors.numbers(quality, now=NOW, **period)
    assert (total.received, total.closed, total.open_overdue) == (2, 1, 1)


# --- never wrong for want of a job ------------------------------------------------------------


def test_m23_periods_never_rolled_up_or_rolled_up_long_ago_are_counted_live(
    customer, other_customer, quality
):
    changes = Changes(7, [customer, other_customer], NOW)
    changes.run(60)
    now = changes.now
    year = days(timezone.localdate(now) - dt.timedelta(days=365), timezone.localdate(now))
    assert rollups.read(None, now=now, **year).rolled_days == 0  # no job has run
    assert_numbers_equal_the_records(quality, year, now)

    rollups.refresh_recent(now=now)  # this month and the last: the rest of the year is live
    today = timezone.localdate(now)
    this_and_last = (today - rollups.period_of("month", today).previous().start).days + 1
    assert rollups.read(None, now=now, **year).rolled_days == this_and_last
    assert_numbers_equal_the_records(quality, year, now)

    rollups.refresh_all(now=now)
    assert rollups.read(None, now=now, **year).rolled_days == 366
    # The job stopped: two days on, its rows are no longer read, and changes made meanwhile
    # (even behind the services' back) are counted.
    later = now + rollups.MAX_AGE + dt.timedelta(minutes=1)
    Complaint.objects.filter(state=State.CLOSED).update(answer_satisfied=False)
    assert rollups.read(None, now=later, **year).rolled_days == 0
    total = assert_numbers_equal_the_records(quality, year, later)
    assert total.satisfied == Complaint.objects.filter(answer_satisfied=True).count()


def test_m23_a_refresh_twice_changes_nothing_more(customer, other_customer):
    changes = Changes(3, [customer, other_customer], NOW)
    changes.run(80)
    rollups.refresh_all(now=changes.now)
    counts = ("kind", "start", "office", *rollups.ROLLED)
    first = sorted(NumbersRollup.objects.values_list(*counts, "computed_at"))
    assert (
        rollups.refresh_all(now=changes.now) == NumbersRollup.objects.filter(office=COMPANY).count()
    )  # the company's rows again, no office's
    assert sorted(NumbersRollup.objects.values_list(*counts, "computed_at")) == first
    # One company row per day and per month of the last 14 months.
    months = rollups.last_periods("month", changes.now, rollups.ALL_MONTHS)
    assert NumbersRollup.objects.filter(office=COMPANY, kind="month").count() == 14
    assert NumbersRollup.objects.filter(office=COMPANY, kind="day").count() == sum(
        (m.end - m.start).days for m in months
    )


# --- a fixed few queries ----------------------------------------------------------------------


def test_m23_numbers_from_rollups_take_a_fixed_few_queries(customer, other_customer, quality):
    changes = Changes(5, [customer, other_customer], NOW)
    changes.run(40)
    rollups.refresh_all(now=changes.now)
    today = timezone.localdate(changes.now)
    year = days(today - dt.timedelta(days=365), today)
    # The offices, the company's rows (when and up to when each day and month was counted),
    # the sums of the offices' rows, the complaints not settled then, the households.
    with assert_queries(5) as few:
        selectors.numbers(quality, now=changes.now, **year)
    changes.run(120)
    rollups.refresh_all(now=changes.now)
    with count_queries() as many:
        selectors.numbers(quality, now=changes.now, **year)
    same_queries(few, many)


# --- two refreshes at once --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_m23_two_refreshes_at_once_write_the_same_rows_once(customer, other_customer, quality):
    changes = Changes(11, [customer, other_customer], NOW)
    changes.run(80)
    now = changes.now
    barrier = threading.Barrier(2)
    errors = []

    def refresh():
        try:
            barrier.wait()
            rollups.refresh_all(now=now)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    today = timezone.localdate(now)
    year = days(today - dt.timedelta(days=365), today)
    assert rollups.read(None, now=now, **year).rolled_days == 366
    assert_numbers_equal_the_records(quality, year, now)
    months = rollups.last_periods("month", now, rollups.ALL_MONTHS)
    assert NumbersRollup.objects.filter(office=COMPANY).count() == 14 + sum(
        (m.end - m.start).days for m in months
    )
