"""Office scoping: staff see their office, company roles every office, nobody else anything."""

from propdesk.core.scoping import scope_for
from propdesk.tickets.models import Ticket


def test_staff_see_only_their_office(
    make_ticket, agent, other_agent, other_customer, other_office, quality
):
    mine = make_ticket()
    theirs = make_ticket(actor=other_agent, customer=other_customer)
    assert list(scope_for(Ticket.objects.all(), agent)) == [mine]
    assert list(scope_for(Ticket.objects.all(), other_agent)) == [theirs]
    assert set(scope_for(Ticket.objects.all(), quality)) == {mine, theirs}


def test_anonymous_sees_nothing(make_ticket):
    from django.contrib.auth.models import AnonymousUser

    make_ticket()
    assert not scope_for(Ticket.objects.all(), AnonymousUser()).exists()
