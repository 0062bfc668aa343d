"""M16: reminders to the households that have not answered: by hand (the quality team for every
office or one, a director for his own), at most one a day to each household, and automatically a
week and two days before the deadline, each round once however often the job runs. Never to a
household that answered; in the bulk lane, so SMS wait out the quiet hours."""

import datetime as dt

import pytest

from propdesk.core.errors import Conflict, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.surveys import services
from propdesk.surveys.models import CampaignEvent, Participant, Response
from propdesk.surveys.services.reminders import (
    campaign_remind,
    reminders_send,
    survey_reminders,
)

from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db

REMINDED = "survey_reminded"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign(make_campaign, customer, other_customer, make_customer):
    """Three households: ``customer``'s and a neighbour's in ``office``, one in ``other_office``;
    ``customer`` has answered."""
    make_customer()
    campaign = make_campaign()
    services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign),
        channel=Response.Channel.LINK,
        now=NOW,
    )
    return campaign


def sms(**filters):
    return Notification.objects.filter(event=REMINDED, channel="sms", **filters)


def reminded_customers() -> set[int]:
    return set(sms().values_list("customer_id", flat=True))


def test_m16_a_reminder_goes_to_those_who_have_not_answered(
    campaign, quality, customer, other_customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = campaign_remind(actor=quality, campaign=campaign, now=NOW)

    assert count == 2
    assert customer.pk not in reminded_customers()
    assert other_customer.pk in reminded_customers() and len(reminded_customers()) == 2
    mine = sms().get(customer=other_customer)
    token = services.participant_token(participant_of(campaign, other_customer))
    assert f"/s/{token}/" in mine.body
    # Not urgent: the bulk lane, held over the quiet hours like every survey message.
    assert mine.lane == Notification.Lane.BULK and not mine.urgent
    assert Participant.objects.get(household=other_customer.households.get()).reminders == 1
    event = CampaignEvent.objects.get(campaign=campaign, kind="reminded")
    assert event.actor == quality and "2" in event.note


def test_m16_a_household_is_reminded_at_most_once_a_day(
    campaign, quality, django_capture_on_commit_callbacks, time_machine
):
    with django_capture_on_commit_callbacks(execute=True):
        campaign_remind(actor=quality, campaign=campaign, now=NOW)
    with pytest.raises(Conflict) as err:
        campaign_remind(actor=quality, campaign=campaign, now=NOW + dt.timedelta(hours=3))
    assert "reminded today already" in err.value.message
    assert sms().count() == 2

    tomorrow = NOW + dt.timedelta(days=1)
    time_machine.move_to(tomorrow, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_remind(actor=quality, campaign=campaign, now=tomorrow) == 2
    assert sms().count() == 4


def test_m16_a_director_reminds_his_own_offices_households(
    campaign, director, office, other_office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_remind(actor=director, campaign=campaign, now=NOW) == 1
    offices = {
        p.office_id for p in Participant.objects.filter(customer_id__in=reminded_customers())
    }
    assert offices == {office.pk}
    with pytest.raises(NotFound):
        campaign_remind(actor=director, campaign=campaign, office=other_office, now=NOW)


def test_m16_the_quality_team_reminds_one_office(
    campaign, quality, other_office, other_customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_remind(actor=quality, campaign=campaign, office=other_office, now=NOW) == 1
    assert reminded_customers() == {other_customer.pk}


def test_m16_agents_may_not_send_reminders(campaign, agent):
    with pytest.raises(Forbidden):
        campaign_remind(actor=agent, campaign=campaign, now=NOW)
    assert not CampaignEvent.objects.filter(kind="reminded").exists()


def test_m16_no_reminder_after_the_deadline(campaign, quality):
    with pytest.raises(Conflict):
        campaign_remind(actor=quality, campaign=campaign, now=DEADLINE + dt.timedelta(hours=1))
    assert not sms().exists()


def test_m16_the_job_reminds_a_week_and_two_days_before_the_deadline_once_each(
    campaign, customer, time_machine
):
    assert survey_reminders(now=NOW) == {"reminded": 0}  # 20 days ahead: nothing yet

    week = DEADLINE - dt.timedelta(days=7)
    assert survey_reminders(now=week) == {"reminded": 2}
    # Twice, or an hour later, or the next day: nothing more in this round.
    assert survey_reminders(now=week) == {"reminded": 0}
    assert survey_reminders(now=week + dt.timedelta(hours=1)) == {"reminded": 0}
    assert survey_reminders(now=week + dt.timedelta(days=1)) == {"reminded": 0}
    assert sms().count() == 2
    assert customer.pk not in reminded_customers()

    two_days = DEADLINE - dt.timedelta(days=2)
    assert survey_reminders(now=two_days) == {"reminded": 2}
    assert survey_reminders(now=two_days) == {"reminded": 0}
    assert sms().count() == 4
    assert CampaignEvent.objects.filter(campaign=campaign, kind="reminded").count() == 2
    assert survey_reminders(now=DEADLINE + dt.timedelta(hours=1)) == {"reminded": 0}


def test_m16_the_job_on_two_machines_sends_each_reminder_once(campaign, other_customer):
    week = DEADLINE - dt.timedelta(days=7)
    survey_reminders(now=week)
    # The other machine read the households before the first marked them reminded.
    Participant.objects.filter(campaign=campaign).update(reminded_at=None)

    survey_reminders(now=week)

    assert sms(customer=other_customer).count() == 1


def test_m16_the_job_leaves_out_a_household_that_answered_meanwhile(campaign, other_customer):
    services.response_submit(
        participant=participant_of(campaign, other_customer),
        answers=full_answers(campaign),
        channel=Response.Channel.LINK,
        now=NOW,
    )
    assert survey_reminders(now=DEADLINE - dt.timedelta(days=7)) == {"reminded": 1}
    assert other_customer.pk not in reminded_customers()


def test_m16_a_household_reminded_by_hand_in_the_rounds_week_is_not_reminded_again_by_the_job(
    campaign, quality, django_capture_on_commit_callbacks, time_machine
):
    week = DEADLINE - dt.timedelta(days=7)
    time_machine.move_to(week, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_remind(actor=quality, campaign=campaign, now=week)

    assert survey_reminders(now=week + dt.timedelta(hours=1)) == {"reminded": 0}
    assert survey_reminders(now=week + dt.timedelta(days=1)) == {"reminded": 0}
    assert sms().count() == 2


def test_m16_a_household_that_answers_before_the_reminder_is_written_gets_none(
    campaign, quality, other_customer
):
    campaign_remind(actor=quality, campaign=campaign, now=NOW)  # written after commit
    services.response_submit(
        participant=participant_of(campaign, other_customer),
        answers=full_answers(campaign),
        channel=Response.Channel.LINK,
        now=NOW,
    )
    marked = Participant.objects.filter(campaign=campaign, reminded_at=NOW).first()

    reminders_send(campaign_id=campaign.pk, at=marked.reminded_at.isoformat())

    assert other_customer.pk not in reminded_customers()
    assert len(reminded_customers()) == 1
