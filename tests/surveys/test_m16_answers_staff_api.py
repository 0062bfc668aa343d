"""M16 in the staff API (/api/v1/surveys/): campaigns created, launched and read with each
office's return rate; a change needs the version (428 without, 409 stale); the households not
answered, by office or code; paper entry by the printed code (once, idempotent with a key);
the questionnaire's versions."""

import datetime as dt

import pytest

from propdesk.surveys import services
from propdesk.surveys.models import Campaign, Participant, Questionnaire, Response
from tests.queries import count_queries, same_queries

from .answers_fixtures import first_scale, staff_api_fixture  # noqa: F401  a fixture
from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db
C = "/api/v1/surveys/campaigns/"
Q = "/api/v1/surveys/questionnaires/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def create_body(**overrides):
    return {
        "title": "2026年6月客户满意率调查",
        "year": 2026,
        "season": "june",
        "deadline": DEADLINE.isoformat(),
        **overrides,
    }


def test_m16_the_quality_team_creates_and_launches_a_campaign(
    staff_api, quality, customer, other_customer
):
    api = staff_api(quality)

    created = api.post(C, create_body(), format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft" and body["version"] == 1
    assert body["questionnaire_version"] == 1
    assert "launch" in body["allowed_actions"]
    pk = body["id"]

    blind = api.post(f"{C}{pk}/launch/", {}, format="json")
    assert blind.status_code == 428
    stale = api.post(f"{C}{pk}/launch/", {"version": 7}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert Campaign.objects.get(pk=pk).state == "draft"

    launched = api.post(f"{C}{pk}/launch/", {}, format="json", HTTP_IF_MATCH='"1"')

    assert launched.status_code == 200
    body = launched.json()
    assert body["state"] == "running" and launched["ETag"] == '"2"'
    assert {o["office"]: o["households"] for o in body["offices"]} == {
        customer.office_id: 1,
        other_customer.office_id: 1,
    }
    assert body["totals"] == {"households": 2, "responses": 0, "return_rate": "0.0000"}


def test_m16_a_campaign_created_twice_with_one_key_is_created_once(staff_api, quality):
    api = staff_api(quality)
    first = api.post(C, create_body(), format="json", HTTP_IDEMPOTENCY_KEY="june")
    retry = api.post(C, create_body(), format="json", HTTP_IDEMPOTENCY_KEY="june")

    assert first.status_code == retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert Campaign.objects.count() == 1


def test_m16_a_bad_campaign_is_refused_naming_the_field(staff_api, quality):
    api = staff_api(quality)
    past = api.post(
        C, create_body(deadline=(NOW - dt.timedelta(days=1)).isoformat()), format="json"
    )
    season = api.post(C, create_body(season="spring"), format="json")

    assert past.status_code == 400 and past.json()["field"] == "deadline"
    assert season.status_code == 400 and season.json()["field"] == "season"
    assert not Campaign.objects.exists()


def test_m16_editing_a_campaign_needs_its_version(staff_api, quality, make_campaign):
    campaign = make_campaign()
    api = staff_api(quality)
    later = (DEADLINE + dt.timedelta(days=3)).isoformat()

    assert api.patch(f"{C}{campaign.pk}/", {"deadline": later}, format="json").status_code == 428
    edited = api.patch(
        f"{C}{campaign.pk}/", {"deadline": later, "version": campaign.version}, format="json"
    )
    assert edited.status_code == 200
    earlier = api.patch(
        f"{C}{campaign.pk}/",
        {"deadline": DEADLINE.isoformat(), "version": edited.json()["version"]},
        format="json",
    )
    assert earlier.status_code == 400 and earlier.json()["field"] == "deadline"


def test_m16_the_campaign_detail_shows_a_director_only_his_office(
    staff_api, director, make_campaign, customer, other_customer
):
    campaign = make_campaign()

    body = staff_api(director).get(f"{C}{campaign.pk}/").json()

    assert [o["office"] for o in body["offices"]] == [customer.office_id]
    assert body["totals"]["households"] == 1


def test_m16_the_participants_filter_answered_and_office_and_code(
    staff_api, quality, make_campaign, customer, other_customer, office, make_customer
):
    make_customer()
    campaign = make_campaign()
    answered = participant_of(campaign, customer)
    api = staff_api(quality)
    api.post(
        f"{C}{campaign.pk}/paper/",
        {"code": answered.code, "answers": full_answers(campaign)},
        format="json",
    )
    url = f"{C}{campaign.pk}/participants/"

    waiting = api.get(url, {"answered": "false", "office": office.pk}).json()["results"]
    done = api.get(url, {"answered": "true"}).json()["results"]
    everyone = api.get(url).json()["results"]
    by_code = api.get(url, {"q": answered.code.lower()}).json()["results"]

    assert len(waiting) == 1 and waiting[0]["office"] == office.pk
    assert waiting[0]["id"] != answered.pk
    assert [p["id"] for p in done] == [answered.pk]
    assert done[0]["response"]["channel"] == "paper"
    assert len(everyone) == 3
    assert [p["id"] for p in by_code] == [answered.pk]
    assert api.get(url, {"answered": "maybe"}).status_code == 400


def test_m16_a_director_sees_only_his_offices_participants(
    staff_api, director, make_campaign, customer, other_customer
):
    campaign = make_campaign()
    api = staff_api(director)
    theirs = participant_of(campaign, other_customer)

    rows = api.get(f"{C}{campaign.pk}/participants/").json()["results"]

    assert [p["id"] for p in rows] == [participant_of(campaign, customer).pk]
    assert api.get(f"{C}{campaign.pk}/participants/{theirs.pk}/").status_code == 404


def test_m16_paper_entry_by_code_counts_once(staff_api, agent, make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    api = staff_api(agent)
    url = f"{C}{campaign.pk}/paper/"
    body = {"code": participant.code, "answers": full_answers(campaign, 3, "楼道灯坏了")}

    entered = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="form-1")
    retry = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="form-1")
    second = api.post(url, body, format="json")

    assert entered.status_code == 201, entered.json()
    assert entered.json()["response"]["entered_by"] == agent.pk
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert second.status_code == 409 and second.json()["code"] == "already_answered"
    response = Response.objects.get()
    assert response.channel == "paper" and response.entered_by == agent
    assert response.opinion == "楼道灯坏了"


def test_m16_paper_entry_refuses_bad_input_and_changes_nothing(
    staff_api, agent, make_campaign, customer, other_customer
):
    campaign = make_campaign()
    api = staff_api(agent)
    url = f"{C}{campaign.pk}/paper/"
    answers = full_answers(campaign)
    question = first_scale(campaign)

    unknown = api.post(url, {"code": "NOPE-1", "answers": answers}, format="json")
    theirs = api.post(
        url,
        {"code": participant_of(campaign, other_customer).code, "answers": answers},
        format="json",
    )
    out_of_range = api.post(
        url,
        {
            "code": participant_of(campaign, customer).code,
            "answers": {**answers, str(question.pk): 9},
        },
        format="json",
    )

    assert unknown.status_code == 404 and unknown.json()["field"] == "code"
    assert theirs.status_code == 404 and theirs.json()["field"] == "code"
    assert out_of_range.status_code == 400
    assert out_of_range.json()["field"] == f"answers.{question.pk}"
    assert not Response.objects.exists()


def test_m16_the_questionnaire_api_makes_and_publishes_a_new_version(staff_api, quality):
    api = staff_api(quality)

    draft = api.post(Q, format="json")
    assert draft.status_code == 201
    body = draft.json()
    assert body["number"] == 2 and body["state"] == "draft"
    pk = body["id"]
    count = len(body["questions"])

    added = api.post(
        f"{Q}{pk}/questions/",
        {"kind": "choice", "text": "您家几口人?", "options": [{"label": "1"}, {"label": "2+"}]},
        format="json",
    )
    assert added.status_code == 201
    new = added.json()["questions"][-1]
    assert [o["value"] for o in new["options"]] == ["o1", "o2"]

    changed = api.patch(f"{Q}{pk}/questions/{new['id']}/", {"required": False}, format="json")
    assert changed.status_code == 200 and changed.json()["questions"][-1]["required"] is False
    ids = [q["id"] for q in changed.json()["questions"]]
    reordered = api.post(f"{Q}{pk}/questions/order/", {"order": ids[::-1]}, format="json")
    assert reordered.json()["questions"][0]["id"] == new["id"]
    removed = api.delete(f"{Q}{pk}/questions/{new['id']}/")
    assert len(removed.json()["questions"]) == count

    published = api.post(f"{Q}{pk}/publish/", format="json")
    assert published.status_code == 200 and published.json()["state"] == "published"
    frozen = api.patch(f"{Q}{pk}/", {"title": "改"}, format="json")
    assert frozen.status_code == 409 and frozen.json()["code"] == "questionnaire_published"
    assert [row["number"] for row in api.get(Q).json()["results"]] == [2, 1]
    assert Questionnaire.objects.get(pk=pk).title != "改"


def test_m16_the_campaign_list_filters_and_reads_few_queries(staff_api, quality, make_campaign):
    api = staff_api(quality)
    make_campaign()
    with count_queries() as one:
        api.get(C)
    for n in range(3):
        make_campaign(title=f"专项{n}", season="special", launch=False)
    with count_queries() as four:
        assert len(api.get(C).json()["results"]) == 4
    same_queries(one, four)

    assert len(api.get(C, {"state": "draft"}).json()["results"]) == 3
    assert len(api.get(C, {"season": "june"}).json()["results"]) == 1
    assert api.get(C, {"state": "lost"}).status_code == 400


def test_m16_the_participant_list_reads_as_many_queries_for_many_households(
    staff_api, quality, make_customer, make_campaign, customer
):
    campaign = make_campaign()
    api = staff_api(quality)
    url = f"{C}{campaign.pk}/participants/"
    with count_queries() as one:
        api.get(url)
    campaign2 = make_campaign(title="专项", season="special", launch=False)
    for _n in range(4):
        make_customer()
    services.campaign_launch(actor=quality, campaign=campaign2, now=NOW)
    Participant.objects.filter(campaign=campaign2).update(responded_at=NOW)
    with count_queries() as five:
        assert len(api.get(f"{C}{campaign2.pk}/participants/").json()["results"]) == 5
    same_queries(one, five)


def test_m16_a_reminder_through_the_api(staff_api, director, make_campaign, customer):
    campaign = make_campaign()
    api = staff_api(director)

    sent = api.post(f"{C}{campaign.pk}/remind/", {}, format="json")
    again = api.post(f"{C}{campaign.pk}/remind/", {}, format="json")

    assert sent.status_code == 202 and sent.json() == {"households": 1}
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_remind"
