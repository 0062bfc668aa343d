import pytest
from django.urls import reverse


@pytest.fixture
def staff(agent, technician, director, other_agent, other_technician, quality):
    return None


def test_staff_list_is_office_scoped(api, agent, staff, other_technician):
    api.force_authenticate(agent)
    usernames = {row["username"] for row in api.get(reverse("api-staff")).json()["results"]}
    assert {"agent", "tech", "director"} <= usernames
    assert "other_tech" not in usernames and "quality" not in usernames


def test_company_role_sees_every_office(api, quality, staff):
    api.force_authenticate(quality)
    rows = api.get(reverse("api-staff"), {"role": "technician"}).json()["results"]
    assert {r["username"] for r in rows} == {"tech", "other_tech"}


def test_offices_are_scoped(api, agent, office, other_office, quality):
    api.force_authenticate(agent)
    assert [o["code"] for o in api.get(reverse("api-offices")).json()["results"]] == ["cuiyuan"]
    api.force_authenticate(quality)
    assert len(api.get(reverse("api-offices")).json()["results"]) == 2


def test_token_login(api, agent):
    response = api.post(
        reverse("api-token"), {"username": "agent", "password": "pw"}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(reverse("api-me")).json()["username"] == "agent"


def test_wrong_password_gets_no_token(api, agent):
    response = api.post(
        reverse("api-token"), {"username": "agent", "password": "bad"}, format="json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_anonymous_is_refused(api, db):
    assert api.get(reverse("api-staff")).status_code in (401, 403)
