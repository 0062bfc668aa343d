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
