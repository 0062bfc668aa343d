"""Audit history (core.history): the manager behind ``Model.history`` is made once per model."""

import pytest

from propdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_made_once_and_still_reads_one_records_history(
    make_ticket, agent
):
    first, second = make_ticket(), make_ticket()
    assert type(first.history) is type(second.history) is type(Ticket.history)
    # Each record's manager still reads its own rows, the class's every row.
    assert [h.id for h in first.history.all()] == [first.pk]
    assert Ticket.history.count() == 2
    assert first.history.get().history_user == agent
