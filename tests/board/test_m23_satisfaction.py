"""M23 on the board: failed services weighed so that one failure outweighs a hundred successes
(100 − 1 < 0), the customers' ratings, the complaint rate per 100 households and every
complaint responded to."""

from decimal import Decimal

import pytest

from propdesk.aftercare.models import FollowupCall
from propdesk.board import selectors, services
from propdesk.board.targets import GREEN, NONE, RED, judge
from propdesk.core.measures import Figure, measure
from propdesk.tickets.measures import zero_defect_balance
from propdesk.tickets.models import Kind, Status
from tests import factories as f

from .conftest import NOW, WEEK_NOW, at, call, complaint, figure, ticket

pytestmark = pytest.mark.django_db
FAILED = "m23_failed_services"


def test_m23_one_failure_in_a_hundred_and_one_services_is_below_zero():
    assert zero_defect_balance(Figure(1, 101)) == -1  # 100 good − 101 < 0
    assert zero_defect_balance(Figure(0, 5)) == 5
    assert zero_defect_balance(Figure(1, 203)) == 101  # 202 good outweigh it
    assert zero_defect_balance(Figure(0, 0)) is None
    m = measure(FAILED)
    assert judge(m, m.value(Figure(1, 101)), Decimal(0)) == RED
    assert judge(m, m.value(Figure(0, 101)), Decimal(0)) == GREEN
    assert judge(m, m.value(Figure(0, 0)), Decimal(0)) == NONE


@pytest.fixture
def services_done(customer, other_customer):
    """Week 24's completed services of the office: one good, one rated unsatisfied, one
    reopened, one reworked (its rework order is not a service of its own)."""
    good = ticket(customer, due=at(9), completed=at(8), satisfied=True)
    unsatisfied = ticket(customer, due=at(9), completed=at(8), satisfied=False)
    reopened = ticket(customer, due=at(9), completed=at(9), reopen_count=1, kind=Kind.SERVICE)
    reworked = ticket(customer, due=at(9), completed=at(9))
    ticket(customer, due=at(10), completed=at(10), rework_of=reworked)
    ticket(customer, due=at(9), completed=at(8), kind=Kind.INQUIRY)  # not a service
    ticket(customer, due=at(9), status=Status.DISPATCHED)  # not done
    ticket(other_customer, due=at(9), completed=at(8), satisfied=False)
    return good, unsatisfied, reopened, reworked


def test_m23_failed_services_figure_and_balance(services_done, office):
    fig = figure(FAILED, office)
    assert fig == Figure(3, 4)
    assert measure(FAILED).shown(fig) == 1 - 3 * 101


def test_m23_drill_down_lists_exactly_the_failed_services(services_done, office, director):
    good, unsatisfied, reopened, reworked = services_done
    found = selectors.cases(
        director, FAILED, office_id=office.pk, period=WEEK_NOW, missed=True, now=NOW
    )
    assert {t.pk for t in found.records} == {unsatisfied.pk, reopened.pk, reworked.pk}


def test_m23_customers_ratings_of_their_requests(services_done, office, director):
    assert figure("m23_request_rating", office) == Figure(1, 2)
    found = selectors.cases(
        director, "m23_request_rating", office_id=office.pk, period=WEEK_NOW, missed=True, now=NOW
    )
    assert [t.pk for t in found.records] == [services_done[1].pk]


def test_m23_satisfied_when_called_back(customer, office):
    sample = FollowupCall.Kind.SAMPLE
    call(customer, kind=sample, due=at(14), done=at(9), reached=True, satisfied=True)
    call(customer, kind=sample, due=at(14), done=at(9), reached=True, satisfied=False)
    call(customer, kind=sample, due=at(14), done=at(9), reached=False)  # not reached: not asked
    assert figure("m23_followup_satisfied", office) == Figure(1, 2)


@pytest.fixture
def complaints_received(customer, other_customer):
    """Two complaints received in week 24, one responded to; and one in another office."""
    answered = complaint(
        customer, received=at(8), response_due=at(8, 14), responded=at(8, 13), due=at(15)
    )
    silent = complaint(customer, received=at(9), response_due=at(9, 14), due=at(16))
    complaint(other_customer, received=at(9), response_due=at(9, 14), due=at(16))
    return answered, silent


def test_m23_complaints_per_hundred_households(complaints_received, office, customer):
    for _ in range(3):
        f.CustomerFactory(office=office)  # four households in all
    fig = figure("m23_complaint_rate", office)
    assert fig == Figure(2, 4)
    assert measure("m23_complaint_rate").shown(fig) == Decimal("50.0")


def test_m23_complaint_rate_has_no_target_until_one_is_set(
    complaints_received, office, director, quality
):
    def line():
        board = selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW)
        return next(x for x in board.lines if x.measure.key == "m23_complaint_rate")

    assert line().target is None and line().status == NONE
    services.target_set(actor=quality, measure="m23_complaint_rate", value="200", now=NOW)
    assert line().status == GREEN  # 2 per 1 household = 200 ≤ 200
    services.target_set(
        actor=quality, measure="m23_complaint_rate", value="199", version=1, now=NOW
    )
    assert line().status == RED


def test_m23_every_complaint_responded_to(complaints_received, office, director):
    answered, silent = complaints_received
    assert figure("m23_complaints_responded", office) == Figure(1, 2)
    found = selectors.cases(
        director,
        "m23_complaints_responded",
        office_id=office.pk,
        period=WEEK_NOW,
        missed=True,
        now=NOW,
    )
    assert [c.pk for c in found.records] == [silent.pk]


def test_m23_company_figure_adds_the_offices(services_done, quality):
    board = selectors.company_board(quality, period=WEEK_NOW, now=NOW)
    line = next(x for x in board.lines if x.measure.key == FAILED)
    assert line.current.figure == Figure(4, 5)  # the other office's unsatisfied one too
