"""The authenticator app (TOTP, django-otp) for company roles: enrolled in the console with a QR
code, then asked for at every sign-in, the console's and the API token's; a setting makes it
mandatory for company roles; an administrator removes a lost one."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from propdesk.core.errors import Forbidden
from propdesk.org import services
from propdesk.org.models import SecurityEvent

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
TOKEN = "/api/v1/auth/token/"
ENROL = "/console/account/authenticator/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clock(time_machine):
    """Frozen time, moved on by hand: each code of the app is good once, for its 30 seconds."""
    time_machine.move_to(timezone.now(), tick=False)

    def step():
        time_machine.shift(dt.timedelta(seconds=31))

    return step


def code_of(device) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def wrong_code(device) -> str:
    return "000000" if code_of(device) != "000000" else "111111"


@pytest.fixture
def enrolled(quality, clock):
    device = services.totp_begin(user=quality)
    services.totp_confirm(user=quality, code=code_of(device))
    clock()
    return device


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- enrolling ----------------------------------------------------------------------------------


def test_a_company_role_enrols_with_a_qr_code_and_a_right_code(client, quality, clock):
    client.force_login(quality)
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=quality, confirmed=False)
    assert services.totp_secret(device) in html
    wrong = client.post(ENROL, {"code": wrong_code(device)})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    clock()
    assert client.post(ENROL, {"code": code_of(device)}).status_code == 302
    assert TOTPDevice.objects.get(user=quality).confirmed
    event = SecurityEvent.objects.get()
    assert (event.kind, event.subject, event.actor) == ("totp_enrolled", "staff:quality", quality)
    assert "You sign in with your password and the code" in client.get(ENROL).content.decode()


def test_the_secret_stays_the_same_until_confirmed(client, quality):
    client.force_login(quality)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=quality).count() == 1


def test_office_roles_have_no_authenticator_page(client, agent):
    client.force_login(agent)
    assert client.get(ENROL).status_code == 403
    assert ENROL not in client.get("/console/").content.decode()


# --- the console asks for the code ---------------------------------------------------------------


def test_once_enrolled_the_console_asks_for_the_code(client, quality, enrolled, clock):
    response = client.post(LOGIN, {"username": "quality", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client)  # the password alone is not enough
    assert client.get("/console/").status_code == 302
    wrong = client.post(CODE, {"code": wrong_code(enrolled)})
    assert wrong.status_code == 400 and not signed_in(client)
    assert "not right" in wrong.content.decode()
    clock()
    right = client.post(CODE, {"code": code_of(enrolled)})
    assert right.status_code == 302 and signed_in(client)


def test_the_code_page_without_a_password_first_sends_back(client, quality, enrolled):
    response = client.post(CODE, {"code": code_of(enrolled)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_lock(client, quality, enrolled, clock):
    client.post(LOGIN, {"username": "quality", "password": "pw"})
    statuses = []
    for _try in range(5):
        clock()
        statuses.append(client.post(CODE, {"code": wrong_code(enrolled)}).status_code)
    assert statuses == [400, 400, 400, 400, 429]
    clock()
    # Locked: even the password and a right code are refused now.
    assert client.post(LOGIN, {"username": "quality", "password": "pw"}).status_code == 429


# --- the API token asks for it too -------------------------------------------------------------


def test_once_enrolled_the_token_needs_the_code(api, quality, enrolled, clock):
    body = {"username": "quality", "password": "pw"}
    missing = api.post(TOKEN, body, format="json")
    assert missing.status_code == 400
    assert (missing.json()["code"], missing.json()["field"]) == ("otp_required", "otp")
    wrong = api.post(TOKEN, {**body, "otp": wrong_code(enrolled)}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_otp"
    clock()
    right = api.post(TOKEN, {**body, "otp": code_of(enrolled)}, format="json")
    assert right.status_code == 200 and right.json()["token"]


def test_without_an_authenticator_no_code_is_asked(api, quality):
    answer = api.post(TOKEN, {"username": "quality", "password": "pw"}, format="json")
    assert answer.status_code == 200


# --- mandatory for company roles ----------------------------------------------------------------


def test_the_setting_makes_it_mandatory_for_company_roles(client, api, settings, quality, agent):
    settings.PROPDESK_TOTP_REQUIRED = True
    refused = api.post(TOKEN, {"username": "quality", "password": "pw"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "otp_enrolment_required"
    # An office role is not held.
    assert (
        api.post(TOKEN, {"username": "agent", "password": "pw"}, format="json").status_code == 200
    )
    client.post(LOGIN, {"username": "quality", "password": "pw"})
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"] == ENROL
    assert client.get(ENROL).status_code == 200
    assert client.get("/api/v1/me/").status_code == 403


def test_once_enrolled_the_mandatory_setting_lets_them_work(client, settings, quality, enrolled):
    settings.PROPDESK_TOTP_REQUIRED = True
    client.force_login(quality)
    assert client.get("/console/").status_code == 200


# --- a lost phone ---------------------------------------------------------------------------------


def test_an_administrator_removes_a_lost_authenticator_audited(api, quality, enrolled, admin_user):
    with pytest.raises(Forbidden):
        services.totp_remove(actor=quality, user=quality)
    services.totp_remove(actor=admin_user, user=quality, ip="10.1.2.3")
    assert not TOTPDevice.objects.filter(user=quality).exists()
    assert SecurityEvent.objects.filter(kind="totp_removed", actor=admin_user).exists()
    answer = api.post(TOKEN, {"username": "quality", "password": "pw"}, format="json")
    assert answer.status_code == 200


def test_the_admin_never_shows_the_key(client, admin_user, quality, enrolled):
    client.force_login(admin_user)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[enrolled.pk]))
    assert page.status_code == 200
    assert enrolled.key not in page.content.decode()
    assert services.totp_secret(enrolled) not in page.content.decode()
