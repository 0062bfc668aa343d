import pytest

from propdesk.portal.auth import SESSION_KEY
from propdesk.portal.models import PortalAccount


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def portal(client, customer):
    """A browser signed in to the portal as ``customer``."""
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


@pytest.fixture
def customer_api(customer):
    """An app signed in to the customer API (/api/v1/portal/) as ``customer``, with a token."""
    from rest_framework.test import APIClient

    from propdesk.portal.tokens import token_issue

    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    _token, raw = token_issue(account=account)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    client.raw_token = raw
    return client
