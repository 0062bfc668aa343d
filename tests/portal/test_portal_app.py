"""The resident portal as an app: the front page leads with what waits for the resident (a fee,
a new deadline, work to confirm) and drops each once it is done, here or by phone; a request is
rated in stars with reasons, which the measures still count as satisfied or not; messages link
to their subject on the address the resident used, or SITE_URL when it is set."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.core.measures import MONTH, period_of
from propdesk.core.models import Notification
from propdesk.tickets import services
from propdesk.tickets.measures import m23_rating_compute
from propdesk.tickets.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(dispatched, technician):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=dispatched, work_summary="已修好")


@pytest.fixture
def quoted(make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="更换水龙头"
    )
    quote, _token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    return quote


def waiting(portal) -> str:
    """The front page's "Waiting for you" section."""
    page = portal.get("/portal/").content.decode()
    start = page.index('id="waiting"')
    return page[start : page.index("</section>", start)]


def test_the_home_leads_with_a_fee_and_drops_it_once_accepted_by_phone(portal, quoted, agent):
    ticket = quoted.ticket
    section = waiting(portal)
    assert "Accept or decline the fee of ¥80.00" in section
    assert f'href="/portal/requests/{ticket.pk}/"' in section
    # The inbox says the fee message still asks for an answer.
    inbox = portal.get("/portal/messages/").content.decode()
    assert "Waiting for you" in inbox

    services.quote_record_answer(
        actor=agent, quote=quoted, accepted=True, via="phone", answered_by_name="张伟"
    )
    section = waiting(portal)
    assert "Accept or decline the fee" not in section
    assert "Nothing waits for your answer." in section
    inbox = portal.get("/portal/messages/").content.decode()
    assert "Waiting for you" not in inbox and ">Done<" in inbox  # the fee message reads as done


def test_the_home_lists_a_new_deadline_until_it_is_answered(portal, dispatched, agent, customer):
    new_due = dispatched.due_at + dt.timedelta(days=1)
    proposal = services.extension_propose(
        actor=agent, ticket=dispatched, new_due_at=new_due, reason="等配件"
    )
    assert "May we finish by" in waiting(portal)
    services.extension_answer_by_customer(customer=customer, proposal=proposal, agreed=True)
    assert "May we finish by" not in waiting(portal)


def test_the_home_lists_work_to_confirm_until_it_is_rated(portal, completed):
    assert "The work is done: confirm it and rate it" in waiting(portal)
    response = portal.post(
        f"/portal/requests/{completed.pk}/confirm/", {"stars": "4", "reasons": ["on_time"]}
    )
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.status == Status.CLOSED
    assert (completed.stars, completed.satisfied) == (4, True)
    assert completed.satisfaction_reasons == ["on_time"]
    assert "The work is done" not in waiting(portal)


@pytest.mark.parametrize("stars", ["0", "6", "x", None])
def test_bad_stars_are_refused_on_the_form_and_change_nothing(portal, completed, stars):
    data = {"comment": "好"} if stars is None else {"stars": stars}
    response = portal.post(f"/portal/requests/{completed.pk}/confirm/", data)
    assert response.status_code == 400
    assert "Choose from 1 to 5 stars." in response.content.decode()
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED and completed.stars is None


def test_few_stars_with_a_reason_open_rework(portal, completed):
    portal.post(f"/portal/requests/{completed.pk}/confirm/", {"stars": "2", "reasons": ["late"]})
    completed.refresh_from_db()
    assert completed.status == Status.REOPENED and completed.satisfied is False
    assert completed.satisfaction_comment == "Came late" and completed.reworks.exists()


@pytest.mark.parametrize("stars", [0, 6, "x", None])
def test_the_api_refuses_bad_stars_naming_the_field(customer_api, completed, stars):
    body = {} if stars is None else {"stars": stars}
    response = customer_api.post(
        f"/api/v1/portal/requests/{completed.pk}/confirm/", body, format="json"
    )
    assert response.status_code == 400
    assert "stars" in str(response.json())
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED


def test_the_api_takes_stars_and_reasons(customer_api, completed, technician):
    response = customer_api.post(
        f"/api/v1/portal/requests/{completed.pk}/confirm/",
        {"stars": 5, "reasons": ["tidy", "friendly"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stars"], body["satisfied"], body["status"]) == (5, True, "closed")
    assert body["reasons"] == ["tidy", "friendly"] and body["technician"] == technician.display_name
    bad = customer_api.post(
        f"/api/v1/portal/requests/{completed.pk}/confirm/",
        {"stars": 5, "reasons": ["nonsense"]},
        format="json",
    )
    assert bad.status_code == 400 and "reasons" in str(bad.json())


def test_the_request_shows_technician_charge_and_work_photos_to_its_customer_only(
    portal, completed, technician, other_agent, other_customer, make_ticket
):
    page = portal.get(f"/portal/requests/{completed.pk}/").content.decode()
    assert technician.display_name in page and "Final charge" in page
    assert "Free of charge" in page
    theirs = make_ticket(actor=other_agent, customer=other_customer)
    assert portal.get(f"/portal/requests/{theirs.pk}/").status_code == 404
    assert portal.get(f"/portal/requests/{theirs.pk}/work-photos/1/").status_code == 404
    assert portal.post(f"/portal/requests/{theirs.pk}/confirm/", {"stars": "5"}).status_code == 404


def test_the_measures_count_four_and_five_stars_as_satisfied(
    portal, make_ticket, technician, agent, free_item
):
    rated = []
    for stars in ("5", "4", "3"):
        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=free_item), confirmation="上门"
        )
        ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
        for step in ticket.checklist.all():
            services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk)
        ticket.refresh_from_db()
        ticket = services.ticket_complete(actor=technician, ticket=ticket, work_summary="好")
        portal.post(
            f"/portal/requests/{ticket.pk}/confirm/", {"stars": stars, "reasons": ["fixed"]}
        )
        rated.append(ticket)
    month = period_of(MONTH, timezone.localdate())
    figure = m23_rating_compute([month], now=timezone.now())[rated[0].office_id][0]
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_message_text_links_on_the_request_host_or_site_url(portal, dispatched, agent, settings):
    from propdesk.core.notify import SiteAddressMiddleware

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["wx.example.cn", "testserver"]
    new_due = dispatched.due_at + dt.timedelta(days=1)

    class Request:
        scheme = "https"

        def get_host(self):
            return "wx.example.cn"

    def propose(reason):
        services.extension_propose(
            actor=agent, ticket=dispatched, new_due_at=new_due, reason=reason
        )
        dispatched.refresh_from_db()
        return Notification.objects.filter(event="ticket.extension_proposed").latest("pk")

    SiteAddressMiddleware(lambda request: propose("等配件"))(Request())
    message = Notification.objects.filter(event="ticket.extension_proposed").latest("pk")
    assert f"https://wx.example.cn/portal/requests/{dispatched.pk}/" in message.body
    assert message.link == f"/portal/requests/{dispatched.pk}/"

    settings.SITE_URL = "https://desk.example.com"
    message = propose("还要等一天")
    assert f"https://desk.example.com/portal/requests/{dispatched.pk}/" in message.body
