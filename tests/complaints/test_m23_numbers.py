"""M19, M23: per office and for the company, how the complaints received in a period went —
responded (on time), resolved on time, answered, escalated for lateness — and the complaint rate."""

import datetime as dt

import pytest
import time_machine

from propdesk.complaints import selectors
from propdesk.complaints.services import clocks, intake
from tests import factories as f

from .conftest import NOW, close_out

pytestmark = pytest.mark.django_db


def test_m23_response_rate_and_complaint_rate_per_office_and_company(
    file, agent, other_customer, customer, quality, at
):
    with time_machine.travel(NOW, tick=False):  # created_at falls in the period
        live = file()
        close_out(live, handler=agent, now=at(5))
        intake.complaint_file_by_customer(
            customer=customer, account="没人回复", category="timeliness", now=NOW
        )
        intake.complaint_file_by_customer(
            customer=other_customer, account="噪音", category="neighbours", now=NOW
        )
        f.CustomerFactory(office=customer.office)  # one more household, no complaint
    clocks.clock_alerts(now=at(30))  # the written one missed its first response: escalated
    period = {"start": NOW - dt.timedelta(days=1), "end": NOW + dt.timedelta(days=1)}
    rows, total = selectors.numbers(quality, now=at(30), **period)
    mine = next(r for r in rows if r.office == customer.office)
    assert (mine.received, mine.responded, mine.responded_on_time) == (2, 1, 1)
    assert (mine.answered, mine.satisfied, mine.closed) == (1, 1, 1)
    assert mine.escalated_late == 1 and mine.company_level == 1
    assert mine.response_rate == 50.0
    assert mine.complaint_rate == 100.0  # two complaints, two households
    assert (total.received, total.households) == (3, 3)
    own_rows, own_total = selectors.numbers(agent, now=at(30), **period)
    assert [r.office for r in own_rows] == [customer.office] and own_total.received == 2
