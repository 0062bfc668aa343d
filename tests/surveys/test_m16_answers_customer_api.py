"""M16 in the customer API (/api/v1/portal/surveys/): the customer's participations, the
questionnaire, answering once (idempotent with a key), changing with the version read (428
without, 409 with an older one); another household's is 404."""

import datetime as dt

import pytest

from propdesk.surveys.models import Response
from tests.queries import count_queries, same_queries

from .answers_fixtures import first_scale
from .conftest import NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/portal/surveys/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_m16_the_customer_lists_their_households_surveys(customer_api, make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)

    body = customer_api.get(BASE).json()

    assert [row["id"] for row in body["results"]] == [participant.pk]
    row = body["results"][0]
    assert row["campaign_title"] == campaign.title
    assert row["is_open"] is True and row["answered_at"] is None


def test_m16_the_customer_reads_the_questionnaire_in_their_language(
    customer_api, make_campaign, customer
):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)

    body = customer_api.get(f"{BASE}{participant.pk}/").json()

    question = first_scale(campaign)
    assert body["questions"][0]["id"] == question.pk
    assert body["questions"][0]["display_text"] == question.text_en
    assert body["response"] is None
    customer_api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {customer_api.raw_token}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    chinese = customer_api.get(f"{BASE}{participant.pk}/").json()
    assert chinese["questions"][0]["display_text"] == question.text


def test_m16_the_customer_answers_once_then_changes_with_the_version(
    customer_api, make_campaign, customer
):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    url = f"{BASE}{participant.pk}/answers/"
    early = customer_api.put(url, {"answers": full_answers(campaign), "version": 1}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "not_answered"

    created = customer_api.post(url, {"answers": full_answers(campaign, 4)}, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["response"]["version"] == 1
    response = Response.objects.get(participant=participant)
    assert response.channel == Response.Channel.PORTAL and response.customer == customer

    again = customer_api.post(url, {"answers": full_answers(campaign, 1)}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_answered"

    blind = customer_api.put(url, {"answers": full_answers(campaign, 2)}, format="json")
    assert blind.status_code == 428

    changed = customer_api.put(
        url, {"answers": full_answers(campaign, 2), "version": 1}, format="json"
    )
    assert changed.status_code == 200
    assert changed["ETag"] == '"2"'

    stale = customer_api.patch(
        url, {"answers": full_answers(campaign, 5)}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    response.refresh_from_db()
    assert response.score == 2 and response.version == 2


def test_m16_an_answer_posted_twice_with_one_key_is_taken_once(
    customer_api, make_campaign, customer
):
    campaign = make_campaign()
    url = f"{BASE}{participant_of(campaign, customer).pk}/answers/"
    body = {"answers": full_answers(campaign, 4)}

    first = customer_api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = customer_api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert Response.objects.count() == 1
    other = customer_api.post(
        url, {"answers": full_answers(campaign, 1)}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422


def test_m16_a_missing_answer_is_a_400_naming_the_question(customer_api, make_campaign, customer):
    campaign = make_campaign()
    answers = full_answers(campaign)
    question = first_scale(campaign)
    del answers[str(question.pk)]

    refused = customer_api.post(
        f"{BASE}{participant_of(campaign, customer).pk}/answers/",
        {"answers": answers},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["field"] == f"answers.{question.pk}"
    assert not Response.objects.exists()


def test_m16_after_the_deadline_the_api_refuses_and_changes_nothing(
    customer_api, make_campaign, customer, time_machine
):
    campaign = make_campaign(deadline=NOW + dt.timedelta(hours=1))
    url = f"{BASE}{participant_of(campaign, customer).pk}/answers/"
    time_machine.move_to(NOW + dt.timedelta(hours=2), tick=False)

    late = customer_api.post(url, {"answers": full_answers(campaign)}, format="json")

    assert late.status_code == 409 and late.json()["code"] == "deadline_passed"
    assert not Response.objects.exists()


def test_m16_another_households_survey_is_404_in_the_customer_api(
    customer_api, make_campaign, other_customer
):
    campaign = make_campaign()
    theirs = participant_of(campaign, other_customer)

    assert customer_api.get(f"{BASE}{theirs.pk}/").status_code == 404
    posted = customer_api.post(
        f"{BASE}{theirs.pk}/answers/", {"answers": full_answers(campaign)}, format="json"
    )
    assert posted.status_code == 404
    assert not Response.objects.exists()


def test_m16_the_customer_list_reads_as_many_queries_for_many_surveys(customer_api, make_campaign):
    make_campaign()
    customer_api.get(BASE)  # the token's first use of the day is recorded once
    with count_queries() as one:
        customer_api.get(BASE)
    for n in range(3):
        make_campaign(title=f"专项{n}", season="special")
    with count_queries() as four:
        assert len(customer_api.get(BASE).json()["results"]) == 4

    same_queries(one, four)
