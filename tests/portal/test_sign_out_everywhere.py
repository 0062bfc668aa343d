"""A new password ends every other sign-in: other browsers and other apps' tokens."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from propdesk.portal.auth import session_fields
from propdesk.portal.models import PortalAccount
from propdesk.portal.tokens import token_issue, token_use

pytestmark = pytest.mark.django_db


def _browser(account) -> Client:
    client = Client()
    session = client.session
    session.update(session_fields(account))
    session.save()
    return client


def test_a_new_password_in_the_portal_signs_other_browsers_out(customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    here, elsewhere = _browser(account), _browser(account)
    _token, raw = token_issue(account=account)
    assert elsewhere.get("/portal/").status_code == 200
    answer = here.post("/portal/password/", {"password": "a-new-secret"})
    assert answer.status_code == 302
    assert here.get("/portal/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/portal/")["Location"] == "/portal/login/"
    assert token_use(raw) is None  # and the app's token is revoked


def test_a_new_password_through_the_api_keeps_that_token_only(customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    _mine, raw = token_issue(account=account)
    _other, other_raw = token_issue(account=account)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    answer = api.post("/api/v1/portal/me/password/", {"password": "a-new-secret"}, format="json")
    assert answer.status_code == 204
    assert token_use(raw) is not None and token_use(other_raw) is None


def test_a_session_without_the_password_digest_is_not_signed_in(customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    client = Client()
    session = client.session
    session["portal_account_id"] = account.pk  # an id alone proves nothing
    session.save()
    assert client.get("/portal/")["Location"] == "/portal/login/"


def test_ended_tokens_are_purged_after_a_month_once(customer):
    import datetime as dt

    from django.utils import timezone

    from propdesk.core.jobs import run_job
    from propdesk.portal.models import PortalToken
    from propdesk.portal.tokens import token_revoke

    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    now = timezone.now()
    old = now - dt.timedelta(days=70)
    token_issue(account=account, now=old)  # expired 40 days ago
    revoked, _raw = token_issue(account=account, now=now - dt.timedelta(days=45))
    token_revoke(token=revoked, now=now - dt.timedelta(days=40))
    live, _raw = token_issue(account=account, now=now)
    run_job("purge_portal_tokens", now=now)
    run_job("purge_portal_tokens", now=now)
    assert list(PortalToken.objects.all()) == [live]
