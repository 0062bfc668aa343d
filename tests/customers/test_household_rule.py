"""M01: a customer's household is one they live in (or own) now. A unit they moved out of keeps
its history, but nothing new is filed against it: no request, no contact."""

import pytest

from propdesk.core.errors import DomainError
from propdesk.customers.models import Household, Residence
from propdesk.history import selectors as history_selectors
from propdesk.history.forms import ContactForm
from propdesk.tickets.models import Channel, Kind
from propdesk.tickets.services import contact_record, ticket_create
from tests import factories as f


@pytest.fixture
def moved(agent, customer, household, office):
    """The customer moved out of ``household`` (a new household took the unit) into another one;
    before that, a request and a contact were recorded against the old one."""
    ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="厨房漏水",
        household=household,
    )
    contact_record(
        actor=agent,
        customer=customer,
        household=household,
        summary="问物业费",
        channel=Channel.HOTLINE,
        direction="in",
    )
    household.is_active = False
    household.save(update_fields=["is_active"])
    f.HouseholdFactory(unit=household.unit)  # the unit's new residents
    new_home = f.HouseholdFactory(unit__building__community__office=office)
    Residence.objects.create(customer=customer, household=new_home, kind=customer.kind)
    return household, new_home


def _file(agent, customer, household):
    return ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="水管又坏了",
        household=household,
    )


def _contact(agent, customer, household):
    return contact_record(
        actor=agent,
        customer=customer,
        household=household,
        summary="来电咨询",
        channel=Channel.HOTLINE,
        direction="in",
    )


def test_m01_a_customer_files_only_for_a_household_they_live_in(agent, customer, moved):
    former, current = moved
    assert list(Household.objects.of_customer(customer)) == [current]
    with pytest.raises(DomainError) as refused:
        _file(agent, customer, former)
    assert refused.value.field == "household"
    assert _file(agent, customer, current).household == current
    # With one home left, a request without a household is filed for it.
    assert _file(agent, customer, None).household == current


def test_m01_a_contact_is_recorded_only_against_a_household_the_customer_lives_in(
    agent, customer, moved
):
    former, current = moved
    with pytest.raises(DomainError) as refused:
        _contact(agent, customer, former)
    assert refused.value.field == "household"
    assert _contact(agent, customer, current).household == current
    # The console's form offers only the home they live in now.
    form = ContactForm(households=[former, current])
    assert [pk for pk, _label in form.fields["household"].choices if pk] == [current.pk]


def test_m01_the_household_they_left_keeps_its_history(agent, customer, moved):
    former, _current = moved
    history = history_selectors.household_history(former)
    assert [t.description for t in history.tickets] == ["厨房漏水"]
    assert "问物业费" in {c.summary for c in history.contacts}
