"""The customer chooses how we reach them and in which language, and reads messages in the portal."""

from django.conf import settings

from propdesk.core.models import Notification
from propdesk.customers.models import Customer


def test_the_customer_chooses_e_mail_instead_of_sms(portal, customer, make_ticket):
    response = portal.post(
        "/portal/settings/",
        {"language": "en", "notify_by_email": "on", "email": "zhang.wei@example.com"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.notify_by_sms, customer.notify_by_email, customer.email) == (
        False,
        True,
        "zhang.wei@example.com",
    )
    make_ticket()
    channels = Notification.objects.filter(customer=customer, event="ticket.received")
    assert sorted(channels.values_list("channel", "address")) == [
        ("email", "zhang.wei@example.com"),
        ("in_app", ""),
    ]
    # Their own choice is in the audit history, made by no staff member.
    assert customer.history.first().history_user is None


def test_messages_are_written_in_the_customers_language(portal, customer, make_ticket, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    portal.post("/portal/settings/", {"language": "en", "notify_by_sms": "on"})
    customer.refresh_from_db()
    ticket = make_ticket()
    sms = Notification.objects.get(customer=customer, event="ticket.received", channel="sms")
    assert sms.language == "en"
    assert sms.subject == f"Request {ticket.number} received"


def test_e_mail_without_an_address_is_refused_and_nothing_changes(portal, customer):
    response = portal.post("/portal/settings/", {"notify_by_email": "on", "email": ""})
    assert response.status_code == 400
    assert "Give an e-mail address to receive messages by e-mail." in response.content.decode()
    customer.refresh_from_db()
    assert (customer.notify_by_sms, customer.notify_by_email) == (True, False)


def test_a_malformed_address_or_language_is_refused(portal, customer):
    bad_email = portal.post("/portal/settings/", {"email": "not-an-address"})
    assert bad_email.status_code == 400
    bad_language = portal.post("/portal/settings/", {"language": "klingon"})
    assert bad_language.status_code == 400
    customer.refresh_from_db()
    assert (customer.email, customer.language) == ("", "")


def test_the_portal_speaks_the_chosen_language(portal, customer, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert "您好" in portal.get("/portal/").content.decode()
    response = portal.post("/portal/language/", {"language": "en", "next": "/portal/"})
    assert response.status_code == 302 and response.url == "/portal/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Hello" in portal.get("/portal/").content.decode()
    assert Customer.objects.get(pk=customer.pk).language == "en"


def test_the_language_switch_never_redirects_off_site(client, db):
    response = client.post("/portal/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/portal/"


def test_signing_in_restores_the_customers_language(client, customer):
    from propdesk.portal.models import PortalAccount
    from propdesk.portal.services import password_set

    customer.language = "en"
    customer.save()
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    password_set(account=account, password="long-enough-1")
    response = client.post(
        "/portal/login/",
        {"action": "password", "pw-phone": "13912345678", "pw-password": "long-enough-1"},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_inbox_shows_unread_messages_and_marks_them_read(portal, customer, make_ticket):
    ticket = make_ticket()
    home = portal.get("/portal/").content.decode()
    assert "1 unread message" in home
    page = portal.get("/portal/messages/").content.decode()
    assert f"Request {ticket.number} received" in page and "Mark all as read" in page
    portal.post("/portal/messages/")
    assert not Notification.objects.filter(
        customer=customer, read_at__isnull=True, channel="in_app"
    ).exists()
    assert "unread message" not in portal.get("/portal/").content.decode()


def test_the_inbox_holds_only_ones_own_messages(portal, make_ticket, other_agent, other_customer):
    theirs = make_ticket(actor=other_agent, customer=other_customer)
    page = portal.get("/portal/messages/").content.decode()
    assert theirs.number not in page
    assert "No messages yet." in page


def test_staff_record_the_customers_choice_in_the_console(client, agent, customer):
    client.force_login(agent)
    response = client.post(
        f"/console/customers/{customer.pk}/edit/",
        {
            "name": customer.name,
            "kind": customer.kind,
            "language": "en",
            "notify_by_sms": "on",
            "version": customer.version,
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.language == "en"
    assert customer.history.first().history_user == agent
