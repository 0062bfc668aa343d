"""The customer API's sign-in: an SMS code or a password for a token, with the portal's own rate
limits and lockout; the token opens the customer API and nothing of the staff's, and back."""

import datetime as dt
import re

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from propdesk.core.models import Notification
from propdesk.core.tokens import token_hash
from propdesk.org.tokens import token_issue as staff_token_issue
from propdesk.portal import services
from propdesk.portal.models import PortalAccount, PortalToken
from propdesk.portal.tokens import token_issue

PHONE = "13912345678"  # the ``customer`` persona's mobile
URL = "/api/v1/portal/"


@pytest.fixture
def app():
    """An app not signed in yet."""
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def sent_code() -> str:
    body = Notification.objects.filter(event="portal.code").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def sign_in(app, **body):
    return app.post(f"{URL}auth/token/", {"phone": PHONE, **body}, format="json")


def bearer(client, raw):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


# --- signing in -------------------------------------------------------------------------------


def test_m03_an_app_signs_in_with_an_sms_code_and_gets_a_token(app, customer):
    asked = app.post(f"{URL}auth/code/", {"phone": PHONE}, format="json")
    assert asked.status_code == 202
    assert asked.json()["detail"] == "If this number is registered with us, a code is on its way."
    answer = sign_in(app, code=sent_code())
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_at"]
    assert answer["Cache-Control"] == "no-store"
    # Only a hash is kept: the token itself is nowhere in the database.
    token = PortalToken.objects.get()
    assert token.key_hash == token_hash(body["token"]) and body["token"] not in token.key_hash
    assert token.account.customer == customer
    me = bearer(app, body["token"]).get(f"{URL}me/")
    assert me.status_code == 200 and me.json()["customer"]["name"] == "张伟"


def test_an_unknown_number_hears_the_same_as_a_registered_one(app, db):
    asked = app.post(f"{URL}auth/code/", {"phone": "13700000000"}, format="json")
    assert asked.status_code == 202
    assert not Notification.objects.filter(event="portal.code").exists()


def test_an_app_signs_in_with_a_password(app, customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    services.password_set(account=account, password="secret-123")
    answer = sign_in(app, password="secret-123")
    assert answer.status_code == 200
    assert PortalToken.objects.get().account == account


def test_a_wrong_code_is_refused_on_the_code_and_gives_no_token(app, customer):
    app.post(f"{URL}auth/code/", {"phone": PHONE}, format="json")
    wrong = "000000" if sent_code() != "000000" else "111111"
    answer = sign_in(app, code=wrong)
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("wrong_code", "code")
    assert not PortalToken.objects.exists()


def test_five_wrong_passwords_lock_the_account_as_on_the_portal(app, customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    services.password_set(account=account, password="secret-123")
    for _try in range(5):
        wrong = sign_in(app, password="not-it")
        assert wrong.status_code == 400 and wrong.json()["field"] == "password"
    locked = sign_in(app, password="secret-123")  # even the right one, for 15 minutes
    assert locked.status_code == 429 and locked.json()["code"] == "locked"
    assert not PortalToken.objects.exists()


def test_codes_are_rate_limited_as_on_the_portal(app, customer):
    assert app.post(f"{URL}auth/code/", {"phone": PHONE}, format="json").status_code == 202
    again = app.post(f"{URL}auth/code/", {"phone": PHONE}, format="json")
    assert again.status_code == 429 and again.json()["field"] == "phone"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"phone": PHONE}, "code"),  # neither a code nor a password
        ({"phone": PHONE, "code": "123456", "password": "secret-123"}, "password"),  # both
        ({"code": "123456"}, "phone"),
        ({"phone": "not a phone", "code": "123456"}, "phone"),
        ({"phone": ["13912345678"], "code": "123456"}, "phone"),  # a list, not a string
    ],
)
def test_sign_in_input_is_checked_naming_the_field(app, customer, body, field):
    answer = app.post(f"{URL}auth/token/", body, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert not PortalToken.objects.exists() and not PortalAccount.objects.exists()


def test_a_code_request_without_a_phone_is_400(app, db):
    answer = app.post(f"{URL}auth/code/", {}, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "phone"


# --- the token's life -------------------------------------------------------------------------


def test_sign_out_revokes_the_token(customer_api):
    assert customer_api.post(f"{URL}auth/sign-out/").status_code == 204
    token = PortalToken.objects.get()
    assert token.revoked_at is not None
    refused = customer_api.get(f"{URL}me/")
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"


def test_a_token_lasts_30_days(customer_api, time_machine):
    token = PortalToken.objects.get()
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    time_machine.move_to(token.expires_at - dt.timedelta(minutes=1))
    assert customer_api.get(f"{URL}me/").status_code == 200
    time_machine.move_to(token.expires_at + dt.timedelta(minutes=1))
    assert customer_api.get(f"{URL}me/").status_code == 401


def test_a_deactivated_account_signs_out_everywhere(customer_api):
    PortalAccount.objects.update(is_active=False)
    assert customer_api.get(f"{URL}me/").status_code == 401


def test_when_a_token_was_last_used_is_recorded(customer_api):
    assert PortalToken.objects.get().last_used_at is None
    customer_api.get(f"{URL}me/")
    assert PortalToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer", "Bearer a b", "Bearer é"])
def test_a_bad_token_is_401_and_says_how_to_authenticate(app, db, header):
    app.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    answer = app.get(f"{URL}me/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_no_token_is_401(app, db):
    answer = app.get(f"{URL}requests/")
    assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated"


# --- customers and staff stay apart -----------------------------------------------------------

STAFF_ENDPOINTS = [
    ("get", "/api/v1/tickets/"),
    ("post", "/api/v1/tickets/"),
    ("get", "/api/v1/customers/"),
    ("get", "/api/v1/households/"),
    ("get", "/api/v1/contacts/"),
    ("get", "/api/v1/catalog/items/"),
    ("get", "/api/v1/technicians/"),
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/hotline/calls/"),
]


@pytest.mark.parametrize("method,url", STAFF_ENDPOINTS)
def test_a_customer_token_opens_no_staff_endpoint(customer_api, make_ticket, method, url):
    make_ticket()  # something there to leak, if anything did
    as_bearer = getattr(customer_api, method)(url, {}, format="json")
    assert as_bearer.status_code in (401, 403)
    assert as_bearer.json()["code"] == "not_authenticated"
    # Nor does it pass for a staff token under the staff's keyword.
    customer_api.credentials(HTTP_AUTHORIZATION=f"Token {customer_api.raw_token}")
    as_staff_token = getattr(customer_api, method)(url, {}, format="json")
    assert as_staff_token.status_code in (401, 403)
    assert as_staff_token.json()["code"] == "authentication_failed"


def test_a_customer_token_does_not_open_the_schema(customer_api):
    assert customer_api.get("/api/schema/").status_code in (401, 403)


CUSTOMER_ENDPOINTS = [
    ("get", f"{URL}me/"),
    ("get", f"{URL}items/"),
    ("get", f"{URL}requests/"),
    ("post", f"{URL}requests/"),
    ("post", f"{URL}auth/sign-out/"),
]


@pytest.mark.parametrize("method,url", CUSTOMER_ENDPOINTS)
def test_staff_cannot_use_the_customer_endpoints(client, agent, customer, method, url):
    # A signed-in console session,
    client.force_login(agent)
    assert getattr(client, method)(url).status_code == 401
    # a staff token,
    staff = APIClient()
    _token, raw = staff_token_issue(user=agent)
    staff.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert getattr(staff, method)(url, {}, format="json").status_code == 401
    # or a staff token sent as a customer's,
    staff.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert getattr(staff, method)(url, {}, format="json").status_code == 401
    # or a staff user forced in past authentication: none of them is a customer.
    forced = APIClient()
    forced.force_authenticate(agent)
    assert getattr(forced, method)(url, {}, format="json").status_code == 403


def test_a_token_belongs_to_its_customer_only(customer_api, other_customer):
    theirs = PortalAccount.objects.create(customer=other_customer, phone="+8613800009999")
    _token, raw = token_issue(account=theirs)
    me = bearer(APIClient(), raw).get(f"{URL}me/").json()
    assert me["customer"]["name"] == "孙丽"
    assert customer_api.get(f"{URL}me/").json()["customer"]["name"] == "张伟"


# --- the schema -------------------------------------------------------------------------------


def test_the_schema_documents_the_customer_api_and_its_token(db, capsys):
    GENERATOR_STATS.reset()  # warnings of an earlier generation in this process are not ours
    # The whole API: the customer's endpoints are served by the apps they belong to.
    generator = SchemaGenerator(patterns=[path("api/v1/", include("propdesk.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err
    validate_schema(schema)
    scheme = schema["components"]["securitySchemes"]["customerToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    paths = schema["paths"]
    assert paths["/api/v1/portal/me/"]["get"]["security"] == [{"customerToken": []}]
    assert paths["/api/v1/portal/auth/token/"]["post"]["security"] == [{}]  # open: signing in
    for url in (
        "/api/v1/portal/auth/code/",
        "/api/v1/portal/auth/sign-out/",
        "/api/v1/portal/items/",
        "/api/v1/portal/requests/",
        "/api/v1/portal/requests/{id}/",
        "/api/v1/portal/requests/{id}/quotes/{quote_id}/answer/",
        "/api/v1/portal/requests/{id}/proposals/{proposal_id}/answer/",
        "/api/v1/portal/requests/{id}/confirm/",
        "/api/v1/portal/requests/{id}/cancel/",
    ):
        assert url in paths
