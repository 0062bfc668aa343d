"""Customers sign in by mobile: a one-time SMS code, or a password; both lock after 5 failures."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from propdesk.core.errors import DomainError, TooManyRequests
from propdesk.core.models import Notification
from propdesk.portal import services
from propdesk.portal.models import LoginCode, PortalAccount

PHONE = "13912345678"  # the ``customer`` persona's mobile


def sent_code() -> str:
    body = Notification.objects.filter(event="portal.code").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_m03_a_code_by_sms_signs_the_customer_in_and_opens_the_account(customer):
    now = timezone.now()
    services.code_request(phone=PHONE, now=now)
    sms = Notification.objects.get(event="portal.code")
    assert (sms.channel, sms.urgent, sms.address) == ("sms", True, "+8613912345678")
    account = services.code_sign_in(phone=PHONE, code=sent_code(), now=now)
    assert account.customer == customer and account.phone == "+8613912345678"


def test_a_code_is_used_once(customer):
    services.code_request(phone=PHONE)
    code = sent_code()
    services.code_sign_in(phone=PHONE, code=code)
    with pytest.raises(DomainError) as err:
        services.code_sign_in(phone=PHONE, code=code)
    assert err.value.field == "code"


def test_a_code_expires_after_five_minutes(customer):
    now = timezone.now()
    services.code_request(phone=PHONE, now=now)
    with pytest.raises(DomainError):
        services.code_sign_in(phone=PHONE, code=sent_code(), now=now + dt.timedelta(minutes=6))
    assert not PortalAccount.objects.exists()


def test_a_code_dies_after_five_wrong_tries(customer):
    now = timezone.now()
    services.code_request(phone=PHONE, now=now)
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(5):
        with pytest.raises(DomainError):
            services.code_sign_in(phone=PHONE, code=wrong, now=now)
    assert LoginCode.objects.get().attempts == 5
    with pytest.raises(DomainError):
        services.code_sign_in(phone=PHONE, code=code, now=now)  # even the right code is dead now


def test_codes_are_rate_limited(customer):
    now = timezone.now()
    services.code_request(phone=PHONE, now=now)
    with pytest.raises(TooManyRequests):
        services.code_request(phone=PHONE, now=now + dt.timedelta(seconds=30))
    for minute in range(1, 5):
        services.code_request(phone=PHONE, now=now + dt.timedelta(minutes=minute))
    with pytest.raises(TooManyRequests):
        services.code_request(phone=PHONE, now=now + dt.timedelta(minutes=10))
    assert LoginCode.objects.count() == 5


def test_an_unknown_number_gets_no_sms_and_no_hint(db):
    services.code_request(phone="13700000001")  # says nothing either way
    assert not Notification.objects.exists()
    with pytest.raises(DomainError):
        services.code_sign_in(phone="13700000001", code="123456")


def test_an_invalid_number_is_refused_naming_the_field(db):
    with pytest.raises(DomainError) as err:
        services.code_request(phone="12345")
    assert err.value.field == "phone"
    assert not LoginCode.objects.exists()


@pytest.fixture
def account(customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    services.password_set(account=account, password="longenough")
    return account


def test_password_sign_in(account):
    assert services.password_sign_in(phone=PHONE, password="longenough") == account


def test_five_wrong_passwords_lock_the_account_for_a_while(account):
    now = timezone.now()
    for _try in range(5):
        with pytest.raises(DomainError):
            services.password_sign_in(phone=PHONE, password="nope", now=now)
    with pytest.raises(TooManyRequests):
        services.password_sign_in(phone=PHONE, password="longenough", now=now)
    later = now + services.lock_for() + dt.timedelta(seconds=1)
    assert services.password_sign_in(phone=PHONE, password="longenough", now=later) == account


def test_a_short_password_is_refused(account):
    with pytest.raises(DomainError) as err:
        services.password_set(account=account, password="short")
    assert err.value.field == "password"


def test_the_code_goes_out_when_the_request_commits(
    customer, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level("INFO", logger="propdesk.sms")
    with django_capture_on_commit_callbacks(execute=True):
        services.code_request(phone=PHONE)
    sms = Notification.objects.get(event="portal.code")
    assert sms.state == "sent"
    assert any(sms.body in record.getMessage() for record in caplog.records)
