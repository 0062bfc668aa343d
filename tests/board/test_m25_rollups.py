"""M25: the rollups the boards read. After any sequence of changes to the records, a refresh
leaves every measure's rollups equal to the counts from the records, office by office and period
by period; the boards show them while they are fresh and count live when they are not; a refresh
repeated, or two at once, writes the same rows."""

import datetime as dt
import random
import threading

import pytest
import time_machine
from django.db import connection

from propdesk.aftercare.models import FollowupCall
from propdesk.board import rollups, selectors
from propdesk.board.models import Rollup
from propdesk.complaints.models import Complaint
from propdesk.core import measures as registry
from propdesk.core.measures import MONTH, PERIOD_KINDS, TREND_LENGTH, WEEK, ZERO, last_periods
from propdesk.tickets.models import Charge, Kind, Status, Ticket
from tests.queries import count_queries

from .conftest import NOW, WEEK_NOW, call, charge, complaint, ticket

pytestmark = pytest.mark.django_db
COMPANY = Rollup.COMPANY


def assert_rollups_equal_the_records(now, depth=TREND_LENGTH):
    """Every measure, both kinds of period, the last ``depth`` periods: what is stored equals
    what ``compute`` counts from the records now, for each office and for the company."""
    for kind in PERIOD_KINDS:
        periods = last_periods(kind, now, depth)
        for m in registry.measures():
            raw = m.compute(periods, now=now, office_ids=None)
            company = registry.total(raw, len(periods))
            for i, period in enumerate(periods):
                stored = rollups.rolled_up(m.key, kind, period.start)
                expected = {o: row[i] for o, row in raw.items() if row[i] != ZERO}
                got = {o: fig for o, fig in stored.items() if o != COMPANY and fig != ZERO}
                assert got == expected, (m.key, period.key)
                assert stored[COMPANY] == company[i], (m.key, period.key)


def assert_boards_equal_the_records(now, offices):
    """What ``rollups.read`` gives the boards equals the live count, trend and office rows."""
    for kind in PERIOD_KINDS:
        periods = last_periods(kind, now, TREND_LENGTH)
        company = rollups.read(periods, now=now, with_offices=True)
        for m in registry.measures():
            raw = m.compute(periods, now=now, office_ids=None)
            assert company[m.key].trend == registry.total(raw, len(periods)), m.key
            assert {o: f for o, f in company[m.key].offices.items() if f != ZERO} == {
                o: row[-1] for o, row in raw.items() if row[-1] != ZERO
            }, m.key
        for office in offices:
            one = rollups.read(periods, now=now, office_id=office.pk)
            for m in registry.measures():
                raw = m.compute(periods, now=now, office_ids=[office.pk])
                expected = raw.get(office.pk, [ZERO] * len(periods))
                assert one[m.key].trend == expected, (m.key, office.code)


# --- any sequence of changes ------------------------------------------------------------------


class Changes:
    """Random changes to the records a measure reads — new requests, completions early and
    late, cancellations, ratings, reopenings, rework, charges added and removed, complaints
    received, answered and resolved, follow-up calls made — over two offices and the last
    weeks, with the clock moving on and a refresh now and then."""

    def __init__(self, seed, customers, staff, now):
        self.rng = random.Random(seed)
        self.customers = customers
        self.staff = staff
        self.now = now - dt.timedelta(days=20)
        self.end = now

    def moment(self, back_days=70):
        return self.now - dt.timedelta(hours=self.rng.randint(0, back_days * 24))

    def _some(self, qs):
        ids = list(qs.values_list("pk", flat=True))
        return qs.model.objects.get(pk=self.rng.choice(ids)) if ids else None

    def new_request(self):
        due = self.moment() + dt.timedelta(days=self.rng.randint(0, 5))
        done = self.rng.random() < 0.6
        completed = due + dt.timedelta(hours=self.rng.randint(-30, 30)) if done else None
        if completed and completed > self.now:
            completed = self.now
        ticket(
            self.rng.choice(self.customers),
            due=due,
            completed=completed,
            kind=self.rng.choice([Kind.REPAIR, Kind.SERVICE, Kind.INQUIRY]),
            status=Status.CLOSED if completed else Status.DISPATCHED,
        )

    def complete(self):
        t = self._some(
            Ticket.objects.filter(completed_at__isnull=True).exclude(kind=Kind.COMPLAINT)
        )
        if t:
            Ticket.objects.filter(pk=t.pk).update(completed_at=self.now, status=Status.CLOSED)

    def cancel(self):
        if t := self._some(Ticket.objects.filter(completed_at__isnull=True)):
            Ticket.objects.filter(pk=t.pk).update(status=Status.CANCELLED)

    def rate(self):
        if t := self._some(Ticket.objects.filter(completed_at__isnull=False)):
            Ticket.objects.filter(pk=t.pk).update(satisfied=self.rng.random() < 0.7)

    def reopen(self):
        if t := self._some(Ticket.objects.filter(completed_at__isnull=False)):
            Ticket.objects.filter(pk=t.pk).update(reopen_count=t.reopen_count + 1)

    def rework(self):
        if t := self._some(Ticket.objects.filter(completed_at__isnull=False, kind=Kind.REPAIR)):
            ticket(t.customer, due=self.now + dt.timedelta(days=1), rework_of=t)

    def add_charge(self):
        charge(
            self.rng.choice(self.customers),
            amount=str(self.rng.randint(1, 500)),
            at_=self.moment(),
            by=self.staff,
            is_special=self.rng.random() < 0.3,
        )

    def remove_charge(self):
        if c := self._some(Charge.objects.all()):
            c.delete()

    def new_complaint(self):
        received = self.moment()
        complaint(
            self.rng.choice(self.customers),
            received=received,
            response_due=received + dt.timedelta(hours=2),
            due=received + dt.timedelta(days=3),
        )

    def answer_complaint(self):
        if c := self._some(Complaint.objects.filter(first_responded_at__isnull=True)):
            Complaint.objects.filter(pk=c.pk).update(first_responded_at=self.now)

    def resolve_complaint(self):
        if c := self._some(Complaint.objects.filter(resolved_at__isnull=True)):
            Complaint.objects.filter(pk=c.pk).update(
                resolved_at=self.now, state=Complaint.State.RESOLVED
            )

    def follow_up(self):
        call(
            self.rng.choice(self.customers),
            kind=FollowupCall.Kind.SAMPLE,
            due=self.moment(),
            done=self.now if self.rng.random() < 0.7 else None,
        )

    def time_passes(self):
        self.now = min(self.end, self.now + dt.timedelta(hours=self.rng.randint(1, 72)))

    def refresh(self):
        if self.rng.random() < 0.5:
            rollups.refresh_recent(now=self.now)
        else:
            rollups.refresh_all(now=self.now)

    def run(self, steps):
        moves = [
            (self.new_request, 6),
            (self.complete, 3),
            (self.cancel, 1),
            (self.rate, 2),
            (self.reopen, 1),
            (self.rework, 1),
            (self.add_charge, 2),
            (self.remove_charge, 1),
            (self.new_complaint, 2),
            (self.answer_complaint, 1),
            (self.resolve_complaint, 1),
            (self.follow_up, 2),
            (self.time_passes, 3),
            (self.refresh, 2),
        ]
        funcs, weights = zip(*moves, strict=True)
        for _ in range(steps):
            self.rng.choices(funcs, weights)[0]()


@pytest.mark.parametrize("seed", range(8))
def test_m25_rollups_equal_the_records_after_any_sequence_of_changes(
    seed, customer, other_customer, office, other_office, agent
):
    changes = Changes(seed, [customer, other_customer], agent, NOW)
    changes.run(60)
    # The recent periods after the few minutes' refresh …
    rollups.refresh_recent(now=changes.now)
    assert_rollups_equal_the_records(changes.now, depth=rollups.RECENT)
    # … and the whole trend after the night's, as the boards read them.
    rollups.refresh_all(now=changes.now)
    assert_rollups_equal_the_records(changes.now)
    assert_boards_equal_the_records(changes.now, [office, other_office])


def test_m25_an_office_with_nothing_left_to_count_is_rolled_up_as_zero(customer, agent, office):
    c = charge(customer, amount="120", at_=NOW - dt.timedelta(hours=3), by=agent)
    rollups.refresh_recent(now=NOW)
    stored = rollups.rolled_up("m24_revenue", WEEK, WEEK_NOW.start)
    assert stored[office.pk].numerator == 120 and stored[COMPANY].numerator == 120
    c.delete()
    rollups.refresh_recent(now=NOW)
    stored = rollups.rolled_up("m24_revenue", WEEK, WEEK_NOW.start)
    assert stored[office.pk] == ZERO and stored[COMPANY] == ZERO


def test_m25_a_refresh_twice_changes_nothing_more(customer, agent):
    charge(customer, amount="80", at_=NOW - dt.timedelta(days=2), by=agent)
    ticket(customer, due=NOW - dt.timedelta(days=1))
    rollups.refresh_all(now=NOW)
    first = sorted(
        Rollup.objects.values_list("measure", "kind", "start", "office", "numerator", "denominator")
    )
    rollups.refresh_all(now=NOW)
    assert (
        sorted(
            Rollup.objects.values_list(
                "measure", "kind", "start", "office", "numerator", "denominator"
            )
        )
        == first
    )
    # One company row per measure, kind and period: 12 weeks and 12 months each.
    assert Rollup.objects.filter(office=COMPANY).count() == len(registry.measures()) * 2 * 12


# --- the boards read them ---------------------------------------------------------------------


@pytest.fixture
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("_clock")
def test_m25_board_shows_the_rollups_while_fresh_and_counts_live_when_stale(
    director, customer, agent, office
):
    charge(customer, amount="100", at_=NOW - dt.timedelta(hours=5), by=agent)
    board = selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW)
    assert board.computed_at is None  # nothing rolled up yet: counted from the records

    computed = NOW - dt.timedelta(minutes=5)
    rollups.refresh_recent(now=computed)
    charge(customer, amount="50", at_=NOW - dt.timedelta(hours=1), by=agent)  # after the refresh
    board = selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW)
    revenue = next(line for line in board.lines if line.measure.key == "m24_revenue")
    assert revenue.current.value == 100 and board.computed_at == computed

    # The job stopped: half an hour later the open week is counted from the records again.
    later = NOW + rollups.MAX_AGE_OPEN + dt.timedelta(minutes=1)
    board = selectors.office_board(director, office.pk, period=WEEK_NOW, now=later)
    revenue = next(line for line in board.lines if line.measure.key == "m24_revenue")
    assert revenue.current.value == 150


@pytest.mark.usefixtures("_clock")
def test_m25_the_console_board_says_when_its_figures_were_counted(client, director, office):
    rollups.refresh_all(now=NOW - dt.timedelta(minutes=7))
    client.force_login(director)
    page = client.get(f"/console/board/offices/{office.pk}/").content.decode()
    assert "16:53" in page  # 17:00 less 7 minutes, Shanghai time


@pytest.mark.usefixtures("_clock")
def test_m25_boards_from_rollups_take_a_fixed_few_queries(
    client, quality, director, office, customer, other_customer, agent
):
    for day in range(1, 30):
        charge(customer, amount="10", at_=NOW - dt.timedelta(days=day), by=agent)
        ticket(other_customer, due=NOW - dt.timedelta(days=day))
    rollups.refresh_all(now=NOW)
    month = last_periods(MONTH, NOW, TREND_LENGTH)
    with count_queries() as q:
        selectors.company_board(quality, period=month[-1], now=NOW)
    # The rollups of every measure at once (the trend, then each office's figures), the
    # targets and the offices: no count per measure.
    assert len(q) <= 4, [x["sql"] for x in q]
    with count_queries() as q:
        selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW)
    assert len(q) <= 3, [x["sql"] for x in q]


# --- two refreshes at once --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_m25_two_refreshes_at_once_write_the_same_rows_once(customer, agent):
    charge(customer, amount="60", at_=NOW - dt.timedelta(days=3), by=agent)
    ticket(customer, due=NOW - dt.timedelta(days=2))
    barrier = threading.Barrier(2)
    errors = []

    def refresh():
        try:
            barrier.wait()
            rollups.refresh_all(now=NOW)
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
    assert_rollups_equal_the_records(NOW)
    assert Rollup.objects.filter(office=COMPANY).count() == len(registry.measures()) * 2 * 12
