"""M16: who may do what in the staff surveys API, by role and by whose office the household is
in. The table is ``surveys/permissions.py``; another office's household is not found (404), an
action the role may not take is 403, and neither changes anything."""

import pytest

from propdesk.org.models import Role
from propdesk.surveys.models import Campaign, CampaignEvent, Questionnaire, Response
from tests import factories as f

from .answers_fixtures import staff_api_fixture  # noqa: F401  a fixture
from .conftest import NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db
C = "/api/v1/surveys/campaigns/"
R = Role
ROLES = list(Role)
OFFICE_ROLES = {R.AGENT, R.TECHNICIAN, R.DIRECTOR}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def as_role(office, staff_api):
    def make(role):
        user = f.UserFactory(
            username=f"u_{role}", role=role, office=office if role in OFFICE_ROLES else None
        )
        return staff_api(user)

    return make


@pytest.fixture
def running(make_campaign, customer, other_customer):
    return make_campaign()


def expect(role, allowed_roles, ok):
    return ok if role in allowed_roles else 403


VIEW = set(ROLES) - {R.TECHNICIAN}
MANAGE = {R.QUALITY, R.ADMIN}
REMIND = {R.DIRECTOR, R.QUALITY, R.ADMIN}
ENTER = {R.AGENT, R.DIRECTOR, R.FOLLOWUP, R.QUALITY, R.ADMIN}


@pytest.mark.parametrize("role", ROLES)
def test_m16_reading_campaigns_by_role(role, as_role, running):
    api = as_role(role)
    assert api.get(C).status_code == expect(role, VIEW, 200)
    assert api.get(f"{C}{running.pk}/").status_code == expect(role, VIEW, 200)
    assert api.get("/api/v1/surveys/questionnaires/").status_code == expect(role, VIEW, 200)


@pytest.mark.parametrize("role", ROLES)
def test_m16_creating_and_launching_campaigns_by_role(role, as_role, make_campaign):
    api = as_role(role)
    draft = make_campaign(launch=False)
    body = {
        "title": "专项",
        "year": 2026,
        "season": "special",
        "deadline": "2026-06-30T00:00+08:00",
    }

    created = api.post(C, body, format="json")
    launched = api.post(f"{C}{draft.pk}/launch/", {"version": 1}, format="json")

    assert created.status_code == expect(role, MANAGE, 201)
    assert launched.status_code == expect(role, MANAGE, 200)
    if role not in MANAGE:
        assert Campaign.objects.count() == 1
        assert Campaign.objects.get().state == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_m16_making_a_questionnaire_draft_by_role(role, as_role):
    created = as_role(role).post("/api/v1/surveys/questionnaires/", format="json")

    assert created.status_code == expect(role, MANAGE, 201)
    assert Questionnaire.objects.filter(state="draft").exists() == (role in MANAGE)


@pytest.mark.parametrize("role", ROLES)
def test_m16_reminding_by_role(role, as_role, running):
    sent = as_role(role).post(f"{C}{running.pk}/remind/", {}, format="json")

    assert sent.status_code == expect(role, REMIND, 202)
    assert CampaignEvent.objects.filter(kind="reminded").exists() == (role in REMIND)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "other"])
def test_m16_paper_entry_by_role_and_office(
    role, whose, as_role, running, customer, other_customer
):
    household = customer if whose == "own" else other_customer
    code = participant_of(running, household).code

    entered = as_role(role).post(
        f"{C}{running.pk}/paper/", {"code": code, "answers": full_answers(running)}, format="json"
    )

    if role == R.TECHNICIAN:
        expected = 403
    elif whose == "other" and role in OFFICE_ROLES:
        expected = 404  # another office's household is not there at all
    else:
        expected = expect(role, ENTER, 201)
    assert entered.status_code == expected
    assert Response.objects.exists() == (expected == 201)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "other"])
def test_m16_reading_a_household_by_role_and_office(
    role, whose, as_role, running, customer, other_customer
):
    household = customer if whose == "own" else other_customer
    participant = participant_of(running, household)

    read = as_role(role).get(f"{C}{running.pk}/participants/{participant.pk}/")

    if role == R.TECHNICIAN:
        assert read.status_code == 403
    elif whose == "other" and role in OFFICE_ROLES:
        assert read.status_code == 404
    else:
        assert read.status_code == 200
        assert read.json()["code"] == participant.code
