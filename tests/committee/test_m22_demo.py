"""M22 in the demo: a year of meetings per office, with every opinion decided, actions in every
state, and one office missing a month, flagged once."""

import pytest
from django.db import transaction
from django.test import override_settings

from propdesk.committee.models import Action, Committee, Item, Meeting, MissedMonth
from propdesk.demo.builder import DemoBuilder
from propdesk.tickets.models import Channel, Contact

pytestmark = pytest.mark.usefixtures("demo_committees", "db")


@pytest.fixture(scope="module")
def demo_committees(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
        ),
        transaction.atomic(),
    ):
        builder = DemoBuilder(seed=2026, scale=0.05)
        builder.build()  # the builder seats the committees itself (build_committees)
        yield builder
        transaction.set_rollback(True)


def test_m22_each_office_has_a_committee_and_a_year_of_meetings():
    for committee in Committee.objects.all():
        held = committee.meetings.filter(state=Meeting.State.HELD)
        assert held.count() >= 10
        assert committee.seats.filter(role="chair").count() == 1
    assert Committee.objects.count() >= 2


def test_m22_every_opinion_of_the_demo_is_decided_and_actions_are_in_every_state():
    assert not Item.objects.filter(state=Item.State.OPEN).exists()
    assert Item.objects.filter(state=Item.State.ANSWERED).exists()
    assert set(Action.objects.values_list("state", flat=True)) == set(Action.State.values)


def test_m22_one_office_missed_a_month_and_it_is_flagged():
    assert MissedMonth.objects.count() == 1
    missed = MissedMonth.objects.get()
    assert Meeting.objects.filter(office=missed.office, state=Meeting.State.CANCELLED).exists()


def test_m12_meetings_are_on_the_attendees_history():
    meeting = Meeting.objects.filter(state=Meeting.State.HELD).order_by("-held_at").first()
    attendees = set(meeting.seat_attendees.values_list("customer_id", flat=True))
    on_history = set(
        Contact.objects.filter(channel=Channel.MEETING, at=meeting.held_at).values_list(
            "customer_id", flat=True
        )
    )
    assert attendees and attendees <= on_history
