"""A customer signs in to the resident portal on a phone: by SMS code, or by password (M03)."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import expect

from propdesk.core.models import Notification
from propdesk.customers.models import Residence
from propdesk.portal.models import LoginCode, PortalAccount
from tests import factories as f

pytestmark = pytest.mark.browser


def form_with(page, button: str):
    """The login page has three forms that each ask for the mobile number: pick one by its button."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def test_m03_customer_signs_in_with_an_sms_code_on_a_phone(live_server, phone, customer, office):
    first = customer.households.get()
    second = f.HouseholdFactory(unit__building__community__office=office)
    Residence.objects.create(customer=customer, household=second, kind=customer.kind)

    phone.goto(f"{live_server.url}/portal/")
    expect(phone).to_have_url(re.compile(r"/portal/login/$"))  # not signed in yet

    ask = form_with(phone, "Send me a code")
    ask.get_by_label("Mobile number").fill("139 1234 5678")
    ask.get_by_role("button", name="Send me a code").click()
    expect(phone.get_by_role("status")).to_have_text(
        "If this number is registered with us, a code is on its way."
    )

    # The customer reads the code in the SMS the portal sent to their mobile.
    sms = Notification.objects.get(event="portal.code", channel="sms", customer=customer)
    assert sms.address == "+8613912345678"
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)

    sign_in = form_with(phone, "Sign in with the code")
    expect(sign_in.get_by_label("Mobile number")).to_have_value("139 1234 5678")
    sign_in.get_by_label("Code from the SMS").fill(code)
    sign_in.get_by_role("button", name="Sign in with the code").click()

    expect(phone).to_have_url(f"{live_server.url}/portal/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello, 张伟")
    expect(phone.locator("main")).to_contain_text(f"Your home: {first.address}")

    # Their other unit is one tap away.
    phone.get_by_text("Switch to another unit").click()
    phone.get_by_role("button", name=second.address).click()
    expect(phone.locator("main")).to_contain_text(f"Your home: {second.address}")

    account = PortalAccount.objects.get()  # the first sign-in opened the account
    assert (account.customer, account.phone) == (customer, "+8613912345678")
    assert account.last_login_at is not None
    assert LoginCode.objects.get().used_at is not None  # the code cannot be used again


def test_m03_customer_signs_in_with_a_password_on_a_phone(live_server, phone, customer):
    PortalAccount.objects.create(
        customer=customer, phone="+8613912345678", password=make_password("zhangwei-2024")
    )
    phone.goto(f"{live_server.url}/portal/login/")
    form = form_with(phone, "Sign in")
    form.get_by_label("Mobile number").fill("13912345678")
    form.get_by_label("Password").fill("wrong-password")
    form.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_text("The mobile number or the password is not right.")).to_be_visible()
    assert PortalAccount.objects.get().failed_logins == 1

    form = form_with(phone, "Sign in")
    form.get_by_label("Mobile number").fill("13912345678")
    form.get_by_label("Password").fill("zhangwei-2024")
    form.get_by_role("button", name="Sign in").click()

    expect(phone).to_have_url(f"{live_server.url}/portal/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello, 张伟")
    account = PortalAccount.objects.get()
    assert account.failed_logins == 0 and account.last_login_at is not None
