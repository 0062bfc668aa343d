"""M16: a campaign covers every household of every office once; its one-time link answers once;
paper and online answers count the same; each office's return rate is exact, and the answer
that reaches 60% is recorded once; bad input changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.customers.models import Household
from propdesk.surveys import services
from propdesk.surveys.models import (
    Answer,
    Campaign,
    CampaignEvent,
    CampaignOffice,
    Participant,
    Response,
)
from propdesk.tickets.models import Channel, Contact
from tests import factories as f

from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db

LINK, PORTAL, PAPER = Response.Channel.LINK, Response.Channel.PORTAL, Response.Channel.PAPER


def test_m16_a_campaign_covers_every_household_of_every_office_once(
    make_campaign, make_customer, office, other_office, customer, other_customer
):
    make_customer()
    moved_out = make_customer().households.get()
    Household.objects.filter(pk=moved_out.pk).update(is_active=False)
    # Two owners of one household: still one participant.
    f.CustomerFactory(office=office, household=customer.households.get())

    campaign = make_campaign()

    households = set(Household.objects.filter(is_active=True).values_list("pk", flat=True))
    invited = list(
        Participant.objects.filter(campaign=campaign).values_list("household", flat=True)
    )
    assert sorted(invited) == sorted(households)
    parts = {p.office_id: p.households for p in CampaignOffice.objects.filter(campaign=campaign)}
    assert parts == {office.pk: 2, other_office.pk: 1}
    codes = Participant.objects.filter(campaign=campaign).values_list("code", flat=True)
    assert len(set(codes)) == 3


def test_m16_the_participant_list_is_frozen_at_launch(make_campaign, make_customer, customer):
    campaign = make_campaign()
    newcomer = make_customer()

    assert not Participant.objects.filter(
        campaign=campaign, household=newcomer.households.get()
    ).exists()
    with pytest.raises(Conflict):
        services.campaign_launch(actor=None, campaign=campaign, now=NOW)
    assert Participant.objects.filter(campaign=campaign).count() == 1


def test_m16_each_household_is_invited_with_its_own_link(
    make_campaign, customer, make_customer, django_capture_on_commit_callbacks
):
    make_customer()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign()

    sms = Notification.objects.filter(event="survey_invited", channel="sms")
    assert sms.count() == 2
    mine = sms.get(customer=customer)
    token = services.participant_token(participant_of(campaign, customer))
    assert f"/s/{token}/" in mine.body
    # Running the fan-out again writes nothing more.
    services.invitations_send(campaign_id=campaign.pk)
    assert sms.count() == 2


def test_m16_a_token_answers_once(make_campaign, customer):
    campaign = make_campaign()
    token = services.participant_token(participant_of(campaign, customer))
    participant = services.participant_by_token(token)

    services.response_submit(
        participant=participant, answers=full_answers(campaign), channel=LINK, now=NOW
    )
    with pytest.raises(Conflict) as refused:
        services.response_submit(
            participant=participant, answers=full_answers(campaign, 1), channel=LINK, now=NOW
        )

    assert refused.value.code == "already_answered"
    assert Response.objects.count() == 1
    assert Response.objects.get().score == 5
    assert CampaignOffice.objects.get(campaign=campaign).responses == 1


def test_m16_a_wrong_token_is_not_found(make_campaign, customer):
    make_campaign()
    with pytest.raises(NotFound):
        services.participant_by_token("not-a-token")


def test_m16_the_answer_can_be_changed_until_the_deadline(make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    response = services.response_submit(
        participant=participant, answers=full_answers(campaign, 2), channel=LINK, now=NOW
    )

    services.response_change(
        response=response,
        answers=full_answers(campaign, 4, opinion="电梯太慢"),
        channel=LINK,
        expected_version=1,
        now=NOW + dt.timedelta(days=1),
    )
    response.refresh_from_db()
    assert (response.score, response.opinion, response.version) == (4, "电梯太慢", 2)
    assert Answer.objects.filter(response=response, score=2).count() == 0
    # The earlier answers stay in the audit history.
    assert response.history.earliest().data[next(iter(response.data))] == 2
    assert CampaignOffice.objects.get(campaign=campaign).responses == 1

    with pytest.raises(Conflict) as late:
        services.response_change(
            response=response, answers=full_answers(campaign), channel=LINK, now=DEADLINE
        )
    assert late.value.code == "deadline_passed"
    response.refresh_from_db()
    assert response.score == 4


def test_m16_an_answer_after_the_deadline_is_refused_and_changes_nothing(make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)

    with pytest.raises(Conflict) as refused:
        services.response_submit(
            participant=participant, answers=full_answers(campaign), channel=LINK, now=DEADLINE
        )

    assert refused.value.code == "deadline_passed"
    assert "deadline" in refused.value.message
    assert not Response.objects.exists()
    participant.refresh_from_db()
    assert participant.responded_at is None


def test_m16_an_incomplete_required_answer_is_refused_naming_the_question(make_campaign, customer):
    campaign = make_campaign()
    answers = full_answers(campaign)
    first = campaign.questionnaire.questions.get(position=1)
    del answers[str(first.pk)]

    with pytest.raises(DomainError) as refused:
        services.response_submit(
            participant=participant_of(campaign, customer),
            answers=answers,
            channel=LINK,
            now=NOW,
        )

    assert refused.value.field == f"answers.{first.pk}"
    assert "Question 1" in refused.value.message
    assert not Response.objects.exists()
    assert CampaignOffice.objects.get(campaign=campaign).responses == 0


@pytest.mark.parametrize(
    "bad",
    [0, 6, "5x", True, 4.5, [5]],
)
def test_m16_a_score_outside_1_to_5_is_refused(make_campaign, customer, bad):
    campaign = make_campaign()
    answers = full_answers(campaign)
    first = campaign.questionnaire.questions.get(position=1)
    answers[str(first.pk)] = bad

    with pytest.raises(DomainError) as refused:
        services.response_submit(
            participant=participant_of(campaign, customer), answers=answers, channel=LINK, now=NOW
        )
    assert refused.value.field == f"answers.{first.pk}"
    assert not Response.objects.exists()


def test_m16_an_unknown_option_or_question_is_refused(make_campaign, customer):
    campaign = make_campaign()
    choice = campaign.questionnaire.questions.get(kind="choice")
    answers = full_answers(campaign)
    answers[str(choice.pk)] = "carrier pigeon"
    participant = participant_of(campaign, customer)
    with pytest.raises(DomainError) as refused:
        services.response_submit(participant=participant, answers=answers, channel=LINK, now=NOW)
    assert refused.value.field == f"answers.{choice.pk}"

    answers = full_answers(campaign)
    answers["999999"] = 5
    with pytest.raises(DomainError) as refused:
        services.response_submit(participant=participant, answers=answers, channel=LINK, now=NOW)
    assert refused.value.field == "answers.999999"
    assert not Response.objects.exists()


def test_m16_paper_and_online_answers_count_the_same(make_campaign, make_customer, customer, agent):
    second = make_customer()
    campaign = make_campaign()

    online = services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign, 3),
        channel=LINK,
        now=NOW,
    )
    paper = services.response_submit(
        participant=services.participant_by_code(
            actor=agent, campaign=campaign, code=participant_of(campaign, second).code.lower()
        ),
        answers=full_answers(campaign, 3),
        channel=PAPER,
        actor=agent,
        now=NOW,
    )

    assert CampaignOffice.objects.get(campaign=campaign).responses == 2
    assert paper.entered_by == agent and online.entered_by is None

    def given(response):
        return sorted(
            Answer.objects.filter(response=response).values_list("question", "option", "text")
        ), sorted(Answer.objects.filter(response=response, score=3).values_list("question"))

    assert given(online) == given(paper)


def test_m16_a_paper_form_for_a_household_outside_the_campaign_is_refused(
    make_campaign, make_customer, agent, other_customer, office
):
    campaign = make_campaign()
    newcomer = make_customer()  # moved in after the launch

    with pytest.raises(NotFound) as unknown:
        services.participant_by_code(actor=agent, campaign=campaign, code=f"{office.code}-99999")
    assert unknown.value.field == "code"
    # Another office's household is not found for this office's staff either.
    with pytest.raises(NotFound):
        services.participant_by_code(
            actor=agent, campaign=campaign, code=participant_of(campaign, other_customer).code
        )
    assert not Participant.objects.filter(household=newcomer.households.get()).exists()
    assert not Response.objects.exists()


def test_m16_staff_enter_paper_only_for_their_office_and_role(
    make_campaign, other_customer, agent, technician, other_agent
):
    campaign = make_campaign()
    participant = participant_of(campaign, other_customer)

    with pytest.raises(NotFound):
        services.response_submit(
            participant=participant,
            answers=full_answers(campaign),
            channel=PAPER,
            actor=agent,
            now=NOW,
        )
    with pytest.raises(Forbidden):
        services.response_submit(
            participant=participant_of(campaign, other_customer),
            answers=full_answers(campaign),
            channel=PAPER,
            actor=f.UserFactory(role="technician", office=other_customer.office),
            now=NOW,
        )
    services.response_submit(
        participant=participant,
        answers=full_answers(campaign),
        channel=PAPER,
        actor=other_agent,
        now=NOW,
    )
    assert Response.objects.count() == 1


def test_m16_the_portal_answers_only_for_the_customers_own_household(
    make_campaign, customer, other_customer
):
    campaign = make_campaign()
    with pytest.raises(NotFound):
        services.response_submit(
            participant=participant_of(campaign, other_customer),
            answers=full_answers(campaign),
            channel=PORTAL,
            customer=customer,
            now=NOW,
        )
    services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign),
        channel=PORTAL,
        customer=customer,
        now=NOW,
    )
    assert Response.objects.get().customer == customer


def test_m16_the_return_rate_per_office_is_exact_and_reaching_60_percent_is_recorded_once(
    make_campaign, make_customer, customer, office, other_office, other_customer
):
    residents = [customer] + [make_customer() for _ in range(4)]  # 5 households: 3 reach 60%
    campaign = make_campaign()
    part = CampaignOffice.objects.get(campaign=campaign, office=office)
    assert part.households == 5

    for n, resident in enumerate(residents[:4], start=1):
        services.response_submit(
            participant=participant_of(campaign, resident),
            answers=full_answers(campaign),
            channel=LINK,
            now=NOW + dt.timedelta(hours=n),
        )
        part.refresh_from_db()
        assert part.responses == n
        assert part.return_rate == Decimal(n) / 5
    assert part.reached_at == NOW + dt.timedelta(hours=3)
    reached = CampaignEvent.objects.filter(kind="target_reached", office=office)
    assert reached.count() == 1
    other = CampaignOffice.objects.get(campaign=campaign, office=other_office)
    assert (other.responses, other.reached_at) == (0, None)
    assert Response.objects.filter(office=office).count() == part.responses


def test_m16_an_answer_is_on_the_customers_history(make_campaign, customer):
    campaign = make_campaign()
    services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign, 2, opinion="垃圾清运不及时"),
        channel=LINK,
        now=NOW,
    )
    contact = Contact.objects.get(customer=customer, channel=Channel.SURVEY)
    assert contact.stage == "after" and contact.direction == "in"
    assert "垃圾清运不及时" in contact.summary
    assert contact.household == customer.households.get()


def test_m16_the_analysis_clock_starts_after_the_deadline_for_offices_that_reached_the_target(
    make_campaign, customer, other_customer, office
):
    campaign = make_campaign()
    services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign),
        channel=LINK,
        now=NOW,
    )
    assert services.analysis_clocks(now=DEADLINE - dt.timedelta(minutes=1)) == {"clocks_started": 0}

    assert services.analysis_clocks(now=DEADLINE) == {"clocks_started": 1}
    assert services.analysis_clocks(now=DEADLINE) == {"clocks_started": 0}
    parts = {p.office_id: p.analysis_due_at for p in campaign.offices.all()}
    assert parts[office.pk] == DEADLINE + dt.timedelta(days=7)
    assert parts[other_customer.office_id] is None  # 0 of 1: never reached


def test_m16_the_june_and_november_campaigns_are_created_once(customer):
    june = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)
    assert services.seasonal_campaigns(now=june)["created"] == 1
    assert services.seasonal_campaigns(now=june + dt.timedelta(hours=1)) == {"created": 0}
    campaign = Campaign.objects.get()
    assert (campaign.season, campaign.state) == ("june", "running")
    assert campaign.participants.count() == 1
    # The deadline is the end of June in Shanghai.
    assert campaign.deadline == dt.datetime(2026, 6, 30, 16, 0, tzinfo=dt.UTC)
    assert services.seasonal_campaigns(now=dt.datetime(2026, 7, 1, 1, tzinfo=dt.UTC)) == {
        "created": 0
    }
    assert (
        services.seasonal_campaigns(now=dt.datetime(2026, 11, 1, 1, tzinfo=dt.UTC))["created"] == 1
    )


def test_m16_campaign_input_is_checked(quality, agent, customer):
    with pytest.raises(DomainError) as past:
        services.campaign_create(
            actor=quality, title="x", year=2026, season="june", deadline=NOW, now=NOW
        )
    assert past.value.field == "deadline"
    with pytest.raises(DomainError) as season:
        services.campaign_create(
            actor=quality, title="x", year=2026, season="may", deadline=DEADLINE, now=NOW
        )
    assert season.value.field == "season"
    with pytest.raises(Forbidden):
        services.campaign_create(
            actor=agent, title="x", year=2026, season="june", deadline=DEADLINE, now=NOW
        )
    services.campaign_create(
        actor=quality, title="x", year=2026, season="june", deadline=DEADLINE, now=NOW
    )
    with pytest.raises(DomainError) as twice:
        services.campaign_create(
            actor=quality, title="y", year=2026, season="june", deadline=DEADLINE, now=NOW
        )
    assert twice.value.field == "season"
    assert Campaign.objects.count() == 1


def test_m16_the_database_keeps_one_participant_per_household(make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    with pytest.raises(IntegrityError):
        Participant.objects.create(
            campaign=campaign,
            office=participant.office,
            household=participant.household,
            code="X-1",
            salt="s",
            token_hash="h",
        )
