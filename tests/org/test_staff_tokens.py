"""Staff API tokens: stored hashed, expire after PROPDESK_STAFF_TOKEN_DAYS, revoked by DELETE, by
an administrator, and all at once when their user is deactivated or changes password."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from propdesk.core.errors import Forbidden
from propdesk.org import services
from propdesk.org.models import SecurityEvent, StaffToken
from propdesk.org.tokens import token_issue, tokens_purge

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def with_token(raw) -> APIClient:
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return app


def sign_in(api, username="agent", password="pw"):
    return api.post(TOKEN, {"username": username, "password": password}, format="json")


def test_signing_in_gives_a_token_that_expires_and_is_stored_hashed(api, agent, settings):
    answer = sign_in(api)
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    body = answer.json()
    assert body["token_type"] == "Token"
    token = StaffToken.objects.get()
    assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in token.key_hash
    assert settings.PROPDESK_STAFF_TOKEN_DAYS == 30
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert with_token(body["token"]).get(ME).json()["username"] == "agent"


def test_the_lifetime_comes_from_the_setting(api, agent, settings):
    settings.PROPDESK_STAFF_TOKEN_DAYS = 7
    sign_in(api)
    token = StaffToken.objects.get()
    assert token.expires_at - token.created_at == dt.timedelta(days=7)


def test_an_expired_token_is_refused_with_401(agent, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    _token, raw = token_issue(user=agent, now=now)
    time_machine.move_to(now + dt.timedelta(days=30, seconds=1), tick=False)
    answer = with_token(raw).get(ME)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"
    assert answer.json()["code"] == "authentication_failed"


def test_delete_revokes_the_token_it_is_sent_with(agent):
    _one, raw = token_issue(user=agent)
    _two, other = token_issue(user=agent)
    app = with_token(raw)
    assert app.delete(TOKEN).status_code == 204
    assert app.get(ME).status_code == 401
    assert app.delete(TOKEN).status_code == 401
    assert with_token(other).get(ME).status_code == 200  # only that one


def test_delete_without_a_token_is_refused(api, client, agent):
    assert api.delete(TOKEN).status_code == 401
    client.force_login(agent)  # a console session has no token to revoke
    assert client.delete(TOKEN).status_code in (401, 403)


def test_a_bogus_header_does_not_stop_signing_in(agent):
    assert sign_in(with_token("old-token")).status_code == 200


def test_deactivating_a_user_revokes_their_tokens(agent):
    _token, raw = token_issue(user=agent)
    agent.is_active = False
    agent.save()
    assert StaffToken.objects.get().revoked_at is not None
    agent.is_active = True
    agent.save()
    assert with_token(raw).get(ME).status_code == 401  # revoked for good


def test_a_new_password_revokes_every_token(agent):
    tokens = [token_issue(user=agent)[1] for _n in range(2)]
    agent.set_password("a-new-password")
    agent.save()
    assert all(with_token(raw).get(ME).status_code == 401 for raw in tokens)
    assert not StaffToken.objects.filter(revoked_at__isnull=True).exists()


def test_other_saves_leave_tokens_alone(agent):
    _token, raw = token_issue(user=agent)
    agent.phone = "+8613900000000"
    agent.save()
    agent.save(update_fields=["last_login"])
    assert with_token(raw).get(ME).status_code == 200


def test_an_administrator_revokes_a_users_tokens_audited(agent, admin_user, director):
    _token, raw = token_issue(user=agent)
    with pytest.raises(Forbidden):
        services.staff_tokens_revoke(actor=director, user=agent)
    assert with_token(raw).get(ME).status_code == 200
    assert services.staff_tokens_revoke(actor=admin_user, user=agent, ip="10.0.0.9") == 1
    assert with_token(raw).get(ME).status_code == 401
    event = SecurityEvent.objects.get()
    assert (event.kind, event.subject, event.actor, event.ip_address) == (
        "token_revoked",
        "staff:agent",
        admin_user,
        "10.0.0.9",
    )


def test_the_admin_lists_tokens_without_their_keys(client, agent, admin_user):
    token, raw = token_issue(user=agent)
    client.force_login(admin_user)
    page = client.get(reverse("admin:org_stafftoken_change", args=[token.pk])).content.decode()
    assert raw not in page and token.key_hash not in page
    assert client.post(reverse("admin:org_stafftoken_delete", args=[token.pk])).status_code == 403


def test_ended_tokens_are_purged_after_a_month(agent):
    now = timezone.now()
    live, _ = token_issue(user=agent, now=now)
    old, _ = token_issue(user=agent, now=now - dt.timedelta(days=61))
    assert tokens_purge(now=now) == {"deleted": 1}
    assert list(StaffToken.objects.all()) == [live]


def test_the_schema_describes_the_token(client, agent):
    client.force_login(agent)
    schema = client.get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    operations = schema["paths"]["/api/v1/auth/token/"]
    assert set(operations) >= {"post", "delete"}
    assert "429" in operations["post"]["responses"]
