"""A customer's portal account follows the settings' sign-in policy, and staff of the customer's
office (or the administrator) may unlock it early; each unlock is audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.core.errors import DomainError, Forbidden, TooManyRequests
from propdesk.org.models import SecurityEvent
from propdesk.portal import services
from propdesk.portal.models import PortalAccount

PHONE = "13912345678"


@pytest.fixture
def account(customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    services.password_set(account=account, password="longenough")
    return account


def lock(n=5):
    for _try in range(n):
        with pytest.raises(DomainError):
            services.password_sign_in(phone=PHONE, password="nope")


def test_the_lock_follows_the_settings(account, settings):
    settings.PROPDESK_SIGNIN_LOCK_AFTER = 3
    settings.PROPDESK_SIGNIN_LOCK_MINUTES = 60
    lock(3)
    account.refresh_from_db()
    assert 59 * 60 < (account.locked_until - timezone.now()).total_seconds() <= 60 * 60
    with pytest.raises(TooManyRequests):
        services.password_sign_in(phone=PHONE, password="longenough")


def test_staff_of_the_customers_office_unlock_it_audited(account, agent, settings):
    settings.LANGUAGE_CODE = "en"
    lock()
    services.account_unlock(actor=agent, account=account, ip="10.0.0.5")
    assert services.password_sign_in(phone=PHONE, password="longenough") == account
    event = SecurityEvent.objects.get()
    assert (event.kind, event.subject, event.actor, event.ip_address, event.note) == (
        "unlock",
        "customer:+8613912345678",
        agent,
        "10.0.0.5",
        "was locked",
    )


@pytest.mark.parametrize("who", ["technician", "followup", "other_agent"])
def test_others_may_not_unlock_it(request, account, who):
    lock()
    with pytest.raises(Forbidden):
        services.account_unlock(actor=request.getfixturevalue(who), account=account)
    assert not SecurityEvent.objects.exists()
    with pytest.raises(TooManyRequests):
        services.password_sign_in(phone=PHONE, password="longenough")


def test_the_admin_action_unlocks_and_audits(client, account, admin_user):
    lock()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:portal_portalaccount_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [account.pk]},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.locked_until is None and account.failed_logins == 0
    assert SecurityEvent.objects.get().actor == admin_user
