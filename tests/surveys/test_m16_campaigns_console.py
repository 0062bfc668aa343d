"""M16 in the console: the campaigns list, a new campaign, a campaign's page with each office's
return rate (exact, red until its target is reached, green after), launching and closing behind a
confirmation, an office's households not answered yet, and the questionnaire's versions; who
sees which page, as the permission table says, for their own office and another."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from propdesk.surveys import services
from propdesk.surveys.models import Campaign, CampaignEvent, Participant, Questionnaire
from tests.queries import count_queries, max_queries, same_queries

from .campaigns_fixtures import *  # noqa: F403
from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db

LIST = reverse("console:surveys_campaigns")
NEW = reverse("console:survey_campaign_new")


def url(name, campaign, *args):
    return reverse(f"console:{name}", args=[campaign.pk, *args])


def answer(campaign, customer, *, score=5, now=NOW):
    return services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign, score=score),
        channel="link",
        now=now,
    )


# --- who sees what: role × page × own or other office -------------------------------------------

OFFICE_ROLES = ["agent", "director"]
ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin"]


def _pages(campaign, office, other_office, participant):
    return {
        "list": LIST,
        "detail": url("survey_campaign", campaign),
        "new": NEW,
        "not_answered_own": url("survey_not_answered", campaign, office.pk),
        "not_answered_other": url("survey_not_answered", campaign, other_office.pk),
        "print_one_own": url("survey_paper_one", campaign, participant.pk),
        "print_office_own": url("survey_paper_office", campaign, office.pk),
        "enter": url("survey_enter", campaign),
        "questionnaires": reverse("console:surveys_questionnaires"),
        "questionnaire": reverse("console:survey_questionnaire", args=[campaign.questionnaire_id]),
    }


# The permission table (surveys/permissions.py) as pages: survey.view for the list, the campaign
# and its offices (scoped to the office); survey.manage for a new campaign; survey.enter to
# print and type in paper questionnaires. A technician has no part in surveys.
EXPECTED = {
    #             list detail new  own  other p1   pOff enter qs   q
    "agent":      (200, 200, 403, 200, 404, 200, 200, 200, 200, 200),
    "technician": (403, 404, 403, 404, 404, 404, 404, 404, 403, 404),
    "director":   (200, 200, 403, 200, 404, 200, 200, 200, 200, 200),
    "followup":   (200, 200, 403, 200, 200, 200, 200, 200, 200, 200),
    "quality":    (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "leadership": (200, 200, 403, 200, 200, 403, 403, 403, 200, 200),
    "admin":      (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_m16_each_role_sees_the_survey_pages_the_permission_table_gives(
    role, signed_in, running, office, other_office, customer
):
    client = signed_in(role)
    pages = _pages(running, office, other_office, participant_of(running, customer))
    statuses = tuple(client.get(page).status_code for page in pages.values())
    assert dict(zip(pages, statuses, strict=True)) == dict(zip(pages, EXPECTED[role], strict=True))


def test_m16_another_offices_staff_see_their_own_office_not_ours(
    signed_in, running, office, other_office, customer, other_customer
):
    client = signed_in("other_director")
    assert client.get(url("survey_not_answered", running, office.pk)).status_code == 404
    assert (
        client.get(url("survey_paper_one", running, participant_of(running, customer).pk))
    ).status_code == 404
    own = client.get(url("survey_not_answered", running, other_office.pk))
    assert own.status_code == 200
    assert participant_of(running, other_customer).code in own.text


def test_m16_a_technician_is_refused_the_list(signed_in, running):
    assert signed_in("technician").get(LIST).status_code == 403


# --- the list -------------------------------------------------------------------------------


def test_m16_the_list_filters_by_state_and_year_and_says_when_nothing_matches(
    signed_in, running, quality
):
    draft = services.campaign_create(
        actor=quality,
        title="2026年专项调查",
        year=2026,
        season=Campaign.Season.SPECIAL,
        deadline=DEADLINE,
        now=NOW,
    )
    client = signed_in("agent")
    page = client.get(LIST).text
    assert running.title in page and draft.title in page
    drafts = client.get(LIST, {"state": "draft"}).text
    assert draft.title in drafts and running.title not in drafts
    none = client.get(LIST, {"state": "closed"}).text
    assert "No campaign matches these filters." in none


def test_m16_the_list_is_empty_before_any_campaign(signed_in, clock):
    assert "No campaigns yet." in signed_in("agent").get(LIST).text


def test_m16_the_list_takes_as_many_queries_for_many_campaigns(signed_in, running, quality):
    client = signed_in("quality")
    with count_queries() as first:
        client.get(LIST)
    for n in range(4):
        services.campaign_create(
            actor=quality,
            title=f"专项{n}",
            year=2026,
            season=Campaign.Season.SPECIAL,
            deadline=DEADLINE,
            now=NOW,
        )
    with count_queries() as then:
        page = client.get(LIST)
    assert page.text.count("专项") == 4
    same_queries(first, then)


# --- a new campaign -------------------------------------------------------------------------


def _new(**changes):
    data = {
        "title": "2026年11月客户满意率调查",
        "year": "2026",
        "season": "november",
        "deadline": "2026-11-30T23:59",
        "audience": "owners",
        "target_rate": "0.60",
        "questionnaire": "",
    }
    return {**data, **changes}


def test_m16_quality_creates_a_campaign_asking_the_latest_published_questionnaire(
    signed_in, clock, quality
):
    v1 = services.questionnaire_install_default(now=NOW)
    v2 = Questionnaire.objects.create(
        number=2, title="第二版", state=Questionnaire.State.PUBLISHED, published_at=NOW
    )
    Questionnaire.objects.create(number=3, title="草稿", state=Questionnaire.State.DRAFT)
    client = signed_in("quality")
    form = client.get(NEW).text
    # The latest published version is chosen; a draft is not offered.
    assert re.search(rf'<option value="{v2.pk}" selected>', form)
    assert "草稿" not in form and f"{v1.display_title} (v1)" in form

    response = client.post(NEW, _new(questionnaire=str(v2.pk)))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("survey_campaign", campaign)
    assert campaign.questionnaire == v2
    assert campaign.state == Campaign.State.DRAFT
    assert campaign.created_by == quality
    assert campaign.events.get().kind == CampaignEvent.Kind.CREATED


@pytest.mark.parametrize(
    "changes, field_message",
    [
        ({"title": ""}, "This field is required."),
        ({"deadline": "2026-05-01T10:00"}, "The collection deadline must be in the future."),
        ({"target_rate": "1.50"}, "The target return rate is a share between 0 and 1"),
        ({"year": "2030"}, "Enter this year or the next."),
    ],
)
def test_m16_a_bad_new_campaign_is_refused_on_its_field_and_nothing_is_created(
    signed_in, clock, changes, field_message
):
    response = signed_in("admin").post(NEW, _new(**changes))
    assert response.status_code == 400
    assert field_message in response.text
    assert not Campaign.objects.exists()


def test_m16_a_second_campaign_for_the_season_is_refused(signed_in, running):
    response = signed_in("quality").post(NEW, _new(season="june", deadline="2026-06-30T23:00"))
    assert response.status_code == 400
    assert "There is a campaign for this season already." in response.text
    assert Campaign.objects.count() == 1


def test_m16_editing_a_running_campaign_offers_the_title_and_deadline_only(signed_in, running):
    client = signed_in("quality")
    form = client.get(url("survey_campaign_edit", running)).text
    assert 'name="deadline"' in form and 'name="audience"' not in form
    earlier = client.post(
        url("survey_campaign_edit", running),
        {"version": running.version, "title": running.title, "deadline": "2026-06-10T10:00"},
    )
    assert earlier.status_code == 400
    assert "may be extended, not brought forward" in earlier.text
    later = client.post(
        url("survey_campaign_edit", running),
        {"version": running.version, "title": "六月调查", "deadline": "2026-06-30T18:00"},
    )
    assert later.status_code == 302
    running.refresh_from_db()
    assert running.title == "六月调查"
    assert running.deadline == dt.datetime(2026, 6, 30, 10, 0, tzinfo=dt.UTC)


# --- the campaign's page: buttons, launching and closing ----------------------------------------


def _buttons(page: str) -> set[str]:
    found = set()
    for name, text in (("edit", "/edit/"), ("launch", "/launch/"), ("close", "/close/")):
        if text in page:
            found.add(name)
    if "/enter/" in page:
        found.add("enter")
    return found


def test_m16_the_page_offers_only_what_the_lifecycle_allows(signed_in, running, quality, clock):
    draft = services.campaign_create(
        actor=quality,
        title="专项",
        year=2026,
        season=Campaign.Season.SPECIAL,
        deadline=DEADLINE,
        now=NOW,
    )
    assert _buttons(signed_in("quality").get(url("survey_campaign", draft)).text) == {
        "edit",
        "launch",
    }
    assert _buttons(signed_in("agent").get(url("survey_campaign", draft)).text) == set()
    # Running, before its deadline: edit and type in paper, not yet close.
    assert _buttons(signed_in("quality").get(url("survey_campaign", running)).text) == {
        "edit",
        "enter",
    }
    assert _buttons(signed_in("agent").get(url("survey_campaign", running)).text) == {"enter"}
    assert _buttons(signed_in("leadership").get(url("survey_campaign", running)).text) == set()
    clock.move_to(DEADLINE + dt.timedelta(minutes=1), tick=False)
    assert _buttons(signed_in("quality").get(url("survey_campaign", running)).text) == {
        "edit",
        "close",
    }


def test_m16_launching_asks_for_confirmation_then_invites_every_household(
    signed_in, quality, clock, customer, neighbours, other_customer
):
    draft = services.campaign_create(
        actor=quality, title="六月", year=2026, season="june", deadline=DEADLINE, now=NOW
    )
    client = signed_in("quality")
    confirm = client.get(url("survey_campaign_launch", draft))
    assert confirm.status_code == 200
    assert "The 4 households now on the roster are invited" in confirm.text
    draft.refresh_from_db()
    assert draft.state == Campaign.State.DRAFT  # a GET changes nothing

    response = client.post(url("survey_campaign_launch", draft), {"version": draft.version})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Campaign.State.RUNNING and draft.launched_by == quality
    assert Participant.objects.filter(campaign=draft).count() == 4
    page = client.get(url("survey_campaign", draft)).text
    assert "Launched; households invited" in page


def test_m16_a_stale_launch_is_refused_and_changes_nothing(signed_in, quality, clock, customer):
    draft = services.campaign_create(
        actor=quality, title="六月", year=2026, season="june", deadline=DEADLINE, now=NOW
    )
    services.campaign_edit(actor=quality, campaign=draft, title="六月调查", now=NOW)
    response = signed_in("quality").post(url("survey_campaign_launch", draft), {"version": 1})
    assert response.status_code == 409
    assert "Someone else changed this campaign meanwhile" in response.text
    draft.refresh_from_db()
    assert draft.state == Campaign.State.DRAFT
    assert not Participant.objects.filter(campaign=draft).exists()


def test_m16_only_quality_and_admin_launch(signed_in, quality, clock):
    draft = services.campaign_create(
        actor=quality, title="六月", year=2026, season="june", deadline=DEADLINE, now=NOW
    )
    for role in ("agent", "director", "leadership", "followup"):
        client = signed_in(role)
        assert client.get(url("survey_campaign_launch", draft)).status_code == 403
        assert client.post(url("survey_campaign_launch", draft), {"version": 1}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == Campaign.State.DRAFT


def test_m16_closing_before_the_deadline_is_refused_after_it_confirmed(signed_in, running, clock):
    client = signed_in("quality")
    early = client.post(url("survey_campaign_close", running), {"version": running.version})
    assert early.status_code == 400
    assert "A campaign is closed after its collection deadline." in early.text
    running.refresh_from_db()
    assert running.state == Campaign.State.RUNNING

    clock.move_to(DEADLINE + dt.timedelta(hours=1), tick=False)
    client = signed_in("quality")  # a new day's sign-in
    confirm = client.get(url("survey_campaign_close", running))
    assert "No more answers are taken" in confirm.text
    done = client.post(url("survey_campaign_close", running), {"version": running.version})
    assert done.status_code == 302
    running.refresh_from_db()
    assert running.state == Campaign.State.CLOSED
    assert running.events.filter(kind=CampaignEvent.Kind.CLOSED).exists()


# --- the return rate by office -----------------------------------------------------------------


def _rows(page: str) -> dict[str, dict]:
    """The return-rate table's rows by office code: class, rate text and reached cell."""
    rows = {}
    for match in re.finditer(
        r'<tr class="(?P<cls>reached|not-reached)" data-office="(?P<office>[^"]+)">(?P<body>.*?)</tr>',
        page,
        re.S,
    ):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match["body"], re.S)
        rows[match["office"]] = {
            "class": match["cls"],
            "households": cells[1].strip(),
            "answered": cells[2].strip(),
            "rate": cells[3].strip(),
            "bar": "rate-bar green" in cells[4] and "green" or "red",
            "reached": re.sub(r"<[^>]+>", "", cells[5]).strip(),
        }
    return rows


def test_m16_the_return_rate_per_office_is_exact_red_until_60_percent_then_green(
    signed_in, running, customer, neighbours, other_customer
):
    client = signed_in("quality")
    answer(running, customer)
    rows = _rows(client.get(url("survey_campaign", running)).text)
    # 1 of 3 is 33.3%: red, and 2 answers are needed (60% of 3 is 1.8, rounded up).
    assert rows["cuiyuan"] == {
        "class": "not-reached",
        "households": "3",
        "answered": "1",
        "rate": "33.3%",
        "bar": "red",
        "reached": "2 needed",
    }
    assert rows["bihu"]["rate"] == "0.0%" and rows["bihu"]["bar"] == "red"

    answer(running, neighbours[0], now=NOW + dt.timedelta(hours=3))

    rows = _rows(client.get(url("survey_campaign", running)).text)
    assert rows["cuiyuan"]["rate"] == "66.7%"
    assert rows["cuiyuan"]["class"] == "reached" and rows["cuiyuan"]["bar"] == "green"
    assert rows["cuiyuan"]["reached"] == "2026-06-01 13:00"  # Shanghai time
    assert rows["bihu"]["bar"] == "red"


def test_m16_office_staff_see_their_offices_row_company_roles_see_all(
    signed_in, running, office, other_office
):
    assert set(_rows(signed_in("agent").get(url("survey_campaign", running)).text)) == {"cuiyuan"}
    assert set(_rows(signed_in("other_director").get(url("survey_campaign", running)).text)) == {
        "bihu"
    }
    assert set(_rows(signed_in("leadership").get(url("survey_campaign", running)).text)) == {
        "cuiyuan",
        "bihu",
    }


def test_m16_the_campaign_page_takes_as_many_queries_for_many_offices_and_events(
    signed_in, running, company, quality
):
    client = signed_in("quality")
    with count_queries() as first:
        client.get(url("survey_campaign", running))
    services.campaign_edit(actor=quality, campaign=running, title="六月调查", now=NOW)
    services.campaign_edit(actor=quality, campaign=running, title="六月调查二", now=NOW)
    with count_queries() as then:
        client.get(url("survey_campaign", running))
    same_queries(first, then)


# --- an office's households not answered yet ----------------------------------------------------


def test_m16_the_not_answered_list_shows_each_household_to_visit(
    signed_in, running, office, customer, neighbours
):
    answer(running, neighbours[0])
    page = signed_in("agent").get(url("survey_not_answered", running, office.pk)).text
    mine = participant_of(running, customer)
    assert mine.code in page and customer.households.get().address in page
    assert "张伟" in page and 'href="tel:+8613912345678"' in page
    assert participant_of(running, neighbours[0]).code not in page  # answered
    assert "王芳" not in page
    assert "李娜" in page


def test_m16_the_not_answered_list_masks_phones_for_leadership(
    signed_in, running, office, customer
):
    page = signed_in("leadership").get(url("survey_not_answered", running, office.pk)).text
    assert "张伟" in page
    assert "+8613912345678" not in page and 'class="masked"' in page


def test_m16_the_not_answered_list_searches_by_code_and_name(
    signed_in, running, office, customer, neighbours
):
    client = signed_in("director")
    mine = participant_of(running, customer)
    by_code = client.get(url("survey_not_answered", running, office.pk), {"q": mine.code}).text
    assert "张伟" in by_code and "李娜" not in by_code
    by_name = client.get(url("survey_not_answered", running, office.pk), {"q": "李"}).text
    assert "李娜" in by_name and "张伟" not in by_name
    nothing = client.get(url("survey_not_answered", running, office.pk), {"q": "无此人"}).text
    assert "No household not yet answered matches this search." in nothing


def test_m16_the_not_answered_list_says_when_everyone_has_answered(
    signed_in, running, other_office, other_customer
):
    answer(running, other_customer)
    page = signed_in("quality").get(url("survey_not_answered", running, other_office.pk)).text
    assert "Every household of the office has answered." in page


def test_m16_the_not_answered_list_takes_as_many_queries_for_many_households(
    signed_in, running, office, make_customer, quality
):
    client = signed_in("agent")
    target = url("survey_not_answered", running, office.pk)
    with count_queries() as first:
        client.get(target)
    special = services.campaign_create(
        actor=quality,
        title="专项",
        year=2026,
        season=Campaign.Season.SPECIAL,
        deadline=DEADLINE,
        now=NOW,
    )
    for _n in range(6):
        make_customer()
    services.campaign_launch(actor=quality, campaign=special, now=NOW)
    with count_queries() as one:
        client.get(url("survey_not_answered", special, office.pk))
    same_queries(first, one)
    with max_queries(len(first.captured_queries)):
        page = client.get(url("survey_not_answered", special, office.pk))
    assert page.text.count("<code>") == 9


def test_m16_the_not_answered_list_pages_through_a_big_office(
    signed_in, running, office, quality, monkeypatch
):
    from propdesk.surveys.views import campaigns as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    special = services.campaign_create(
        actor=quality, title="专项", year=2026, season="special", deadline=DEADLINE, now=NOW
    )
    services.campaign_launch(actor=quality, campaign=special, now=NOW)
    client = signed_in("agent")
    first = client.get(url("survey_not_answered", special, office.pk)).text
    second = client.get(url("survey_not_answered", special, office.pk), {"page": 2}).text
    assert first.count("<code>") == 2 and second.count("<code>") == 1
    assert "Page 1 of 2" in first


# --- the questionnaire --------------------------------------------------------------------------


def test_m16_the_questionnaire_pages_list_versions_and_show_every_question(signed_in, running):
    client = signed_in("agent")
    versions = client.get(reverse("console:surveys_questionnaires")).text
    assert "v1" in versions and "Published" in versions
    page = client.get(reverse("console:survey_questionnaire", args=[running.questionnaire_id]))
    questions = list(running.questionnaire.questions.all())
    assert len(questions) == 12
    for question in questions:
        assert escape(question.display_text) in page.text
    assert running.title in page.text  # the campaigns that ask it
