"""M07 in the resident portal: the activities for the customer's homes, registering (places
confirmed, or a number on the waiting list), cancelling, and feedback after coming."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.community import services
from propdesk.community.models import Activity, Registration
from tests import factories as f
from tests.queries import count_queries, max_queries

from .conftest import NOW, START

pytestmark = pytest.mark.django_db
R = Registration.State


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The pages read the clock: it stands at NOW, when the fixtures' activities are open."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def other_director(other_office):
    return f.UserFactory(role="director", office=other_office)


@pytest.fixture
def publish(director):
    def publish(activity, actor=None):
        return services.activity_publish(
            actor=actor or director, activity=activity, notify_customers=False, now=NOW
        )

    return publish


@pytest.fixture
def full(open_activity, make_customer):
    """``open_activity`` with both its places taken by another resident."""
    services.register(activity=open_activity, customer=make_customer(), seats=2, now=NOW)
    return open_activity


def url(name, activity):
    return reverse(f"portal:{name}", args=[activity.pk])


def text(response) -> str:
    return response.content.decode()


# --- the list -----------------------------------------------------------------------------------


def test_m07_the_list_shows_only_activities_for_the_customers_homes(
    portal,
    open_activity,
    make_activity,
    publish,
    community,
    neighbour,
    other_director,
    other_office,
):
    ours = publish(make_activity(title="本小区亲子活动", community=community))
    theirs = neighbour.households.get().unit.building.community
    publish(make_activity(title="邻小区活动", community=theirs))
    make_activity(title="草稿活动")
    other = make_activity(
        actor=other_director, office=other_office, title="别处活动", kind=Activity.Kind.TRAVEL
    )
    publish(other, actor=other_director)

    page = portal.get(reverse("portal:activities"))

    assert page.status_code == 200
    assert [row["activity"] for row in page.context["rows"]] == [open_activity, ours]
    body = text(page)
    assert "中秋游园会" in body and "本小区亲子活动" in body
    for hidden in ("邻小区活动", "草稿活动", "别处活动"):
        assert hidden not in body
    assert "Culture and entertainment" in body and "会所多功能厅" in body
    assert "2 places left" in body


def test_m07_the_list_says_when_nothing_is_on(portal):
    body = text(portal.get(reverse("portal:activities")))
    assert "No activities are open for your home at the moment." in body
    assert "You have not registered for an activity yet." in body


def test_m07_the_list_marks_full_activities_and_the_customers_place(portal, full, customer):
    services.register(activity=full, customer=customer, now=NOW)
    body = text(portal.get(reverse("portal:activities")))
    assert "Full — waiting list" in body
    assert "Waiting list: number 1" in body


def test_m07_the_list_marks_confirmed_places(portal, open_activity, customer):
    services.register(activity=open_activity, customer=customer, seats=2, now=NOW)
    body = text(portal.get(reverse("portal:activities")))
    assert "Registered: 2 places" in body
    assert "Full — waiting list" in body


def test_m07_my_activities_offer_feedback_after_coming(
    portal, open_activity, customer, agent, director, time_machine
):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    services.registration_check_in(actor=agent, registration=registration, now=START)
    held = START + dt.timedelta(hours=3)
    services.activity_finish(actor=director, activity=open_activity, now=held)
    time_machine.move_to(held, tick=False)
    page = portal.get(reverse("portal:activities"))
    assert page.context["rows"] == []  # no longer upcoming, but among the customer's own
    [row] = page.context["my_rows"]
    assert row["registration"] == registration and row["can_feedback"]
    assert "Give feedback" in text(page) and "Attended" in text(page)


def test_m07_the_list_queries_do_not_grow(portal, make_activity, publish, customer, make_customer):
    def count():
        with count_queries() as queries:
            assert portal.get(reverse("portal:activities")).status_code == 200
        return queries

    def one_more(i):
        activity = publish(make_activity(title=f"活动{i}", capacity=1))
        services.register(activity=activity, customer=make_customer(), now=NOW)
        services.register(activity=activity, customer=customer, now=NOW)  # waiting, number 1

    one_more(0)
    few = count()
    for i in range(1, 8):
        one_more(i)
    with max_queries(len(few)):
        page = portal.get(reverse("portal:activities"))
    assert len(page.context["rows"]) == len(page.context["my_rows"]) == 8
    assert text(page).count("Waiting list: number 1") == 16  # the list's badge and "my activities"


# --- one activity and registering ------------------------------------------------------------


def test_m07_the_open_day_page_names_the_facilities(portal, make_activity, publish):
    day = publish(
        make_activity(
            kind=Activity.Kind.OPEN_DAY,
            title="认识我们的家园",
            facilities="水泵房、配电房",
            description="欢迎业主参观",
        )
    )
    page = portal.get(url("activity", day))
    assert page.status_code == 200
    body = text(page)
    for shown in ("认识我们的家园", "Facilities to visit", "水泵房、配电房", "欢迎业主参观"):
        assert shown in body
    assert "2 places left" in body
    assert page.context["can_register"] and page.context["registration"] is None


def test_m07_registering_confirms_the_places(portal, open_activity, customer):
    response = portal.post(url("activity_register", open_activity), {"seats": "2"}, follow=True)

    assert response.redirect_chain == [(url("activity", open_activity), 302)]
    body = text(response)
    assert "Registered: your places are confirmed." in body
    assert "Your 2 places are confirmed." in body
    assert "Cancel my registration" in body
    assert not response.context["can_register"]
    registration = Registration.objects.get()
    assert (registration.customer, registration.seats, registration.state) == (
        customer,
        2,
        R.CONFIRMED,
    )
    assert registration.channel == Registration.Channel.PORTAL


def test_m07_a_full_activity_puts_the_customer_on_the_waiting_list(portal, full, customer):
    page = text(portal.get(url("activity", full)))
    assert "Full — waiting list" in page and "Join the waiting list" in page

    response = portal.post(url("activity_register", full), {"seats": "1"}, follow=True)

    body = text(response)
    assert "The activity is full: you are number 1 on the waiting list." in body
    assert "You are number 1 on the waiting list." in body
    assert Registration.objects.get(customer=customer).state == R.WAITING


def test_m07_registering_twice_is_refused_and_nothing_is_added(portal, open_activity, customer):
    portal.post(url("activity_register", open_activity), {"seats": "1"})
    response = portal.post(url("activity_register", open_activity), {"seats": "1"})
    assert response.status_code == 409
    assert "Already registered: your places are confirmed." in text(response)
    assert Registration.objects.filter(customer=customer).count() == 1


def test_m07_registering_twice_from_the_waiting_list_says_the_number(portal, full, customer):
    portal.post(url("activity_register", full), {"seats": "1"})
    response = portal.post(url("activity_register", full), {"seats": "1"})
    assert response.status_code == 409
    assert "Already registered: on the waiting list, number 1." in text(response)
    assert Registration.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize("seats", ["0", "6", "two", ""])
def test_m07_a_party_of_1_to_5_people(portal, open_activity, seats):
    response = portal.post(url("activity_register", open_activity), {"seats": seats})
    assert response.status_code == 400
    assert "Register between 1 and 5 people." in text(response)
    assert not Registration.objects.exists()


def test_m07_registering_after_it_closes_is_refused(portal, open_activity, time_machine):
    time_machine.move_to(START, tick=False)
    page = portal.get(url("activity", open_activity))
    assert not page.context["can_register"]
    response = portal.post(url("activity_register", open_activity), {"seats": "1"})
    assert response.status_code == 409
    assert "Registration for this activity has closed." in text(response)
    assert not Registration.objects.exists()


def test_m07_registering_is_a_post(portal, open_activity):
    assert portal.get(url("activity_register", open_activity)).status_code == 405


# --- cancelling -------------------------------------------------------------------------------


def test_m07_cancelling_asks_first_then_moves_the_waiting_list_up(
    portal, open_activity, customer, make_customer
):
    mine = services.register(activity=open_activity, customer=customer, seats=2, now=NOW)
    waiting = services.register(activity=open_activity, customer=make_customer(), now=NOW)
    assert waiting.state == R.WAITING

    confirm = portal.get(url("activity_cancel", open_activity))
    assert confirm.status_code == 200
    assert "Are you sure?" in text(confirm)
    mine.refresh_from_db()
    assert mine.state == R.CONFIRMED  # asking changes nothing

    response = portal.post(url("activity_cancel", open_activity), follow=True)

    body = text(response)
    assert "Cancelled: your registration is withdrawn." in body
    assert "Your registration is cancelled." in body
    assert response.context["can_register"]  # they may register again
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.state, waiting.state) == (R.CANCELLED, R.CONFIRMED)


def test_m07_cancelling_without_a_registration_is_not_found(portal, open_activity):
    assert portal.get(url("activity_cancel", open_activity)).status_code == 404
    assert portal.post(url("activity_cancel", open_activity)).status_code == 404


def test_m07_cancelling_twice_is_refused(portal, open_activity, customer):
    services.register(activity=open_activity, customer=customer, now=NOW)
    portal.post(url("activity_cancel", open_activity))
    # The question is not asked again: the page says where things stand.
    assert portal.get(url("activity_cancel", open_activity)).status_code == 302
    response = portal.post(url("activity_cancel", open_activity))
    assert response.status_code == 409
    assert "This registration is no longer open: it cannot be cancelled." in text(response)


def test_m07_no_cancelling_once_it_has_started(portal, open_activity, customer, time_machine):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    time_machine.move_to(START + dt.timedelta(minutes=10), tick=False)
    assert not portal.get(url("activity", open_activity)).context["can_cancel"]
    response = portal.post(url("activity_cancel", open_activity))
    assert response.status_code == 409
    assert "The activity has started" in text(response)
    registration.refresh_from_db()
    assert registration.state == R.CONFIRMED


def test_m07_a_cancelled_activity_tells_those_registered_why(
    portal, open_activity, customer, director
):
    services.register(activity=open_activity, customer=customer, now=NOW)
    services.activity_cancel(actor=director, activity=open_activity, reason="台风预警", now=NOW)
    page = portal.get(url("activity", open_activity))
    assert page.status_code == 200
    body = text(page)
    assert "Cancelled" in body and "Reason: 台风预警" in body
    assert "Your registration is cancelled." in body
    ctx = page.context
    assert not (ctx["can_register"] or ctx["can_cancel"] or ctx["can_feedback"])
    mine = portal.get(reverse("portal:activities"))
    assert mine.context["rows"] == []
    assert "The activity is cancelled" in text(mine)


# --- feedback ---------------------------------------------------------------------------------


def test_m07_feedback_only_after_coming(portal, open_activity, customer, agent, time_machine):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    assert not portal.get(url("activity", open_activity)).context["can_feedback"]
    response = portal.post(url("activity_feedback", open_activity), {"rating": "5"})
    assert response.status_code == 409
    assert "Feedback is for those who came to the activity." in text(response)

    services.registration_check_in(actor=agent, registration=registration, now=START)
    time_machine.move_to(START + dt.timedelta(hours=1), tick=False)
    page = portal.get(url("activity", open_activity))
    assert page.context["can_feedback"]
    assert "How was it?" in text(page) and 'type="radio" name="rating" value="5"' in text(page)

    response = portal.post(
        url("activity_feedback", open_activity), {"rating": "4", "comment": "很热闹"}, follow=True
    )

    body = text(response)
    assert "Thank you for your feedback." in body and "You rated it 4/5." in body
    assert not response.context["can_feedback"]
    registration.refresh_from_db()
    assert (registration.rating, registration.comment) == (4, "很热闹")


@pytest.mark.parametrize("rating", ["0", "6", "good", ""])
def test_m07_a_rating_from_1_to_5(portal, open_activity, customer, agent, time_machine, rating):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    services.registration_check_in(actor=agent, registration=registration, now=START)
    time_machine.move_to(START + dt.timedelta(hours=1), tick=False)
    response = portal.post(
        url("activity_feedback", open_activity), {"rating": rating, "comment": "还行"}
    )
    assert response.status_code == 400
    body = text(response)
    assert "Rate from 1 (poor) to 5 (excellent)." in body
    assert "还行</textarea>" in body  # what they wrote is kept
    registration.refresh_from_db()
    assert registration.feedback_at is None


def test_m07_feedback_once(portal, open_activity, customer, agent, time_machine):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    services.registration_check_in(actor=agent, registration=registration, now=START)
    time_machine.move_to(START + dt.timedelta(hours=1), tick=False)
    portal.post(url("activity_feedback", open_activity), {"rating": "5"})
    response = portal.post(url("activity_feedback", open_activity), {"rating": "1"})
    assert response.status_code == 409
    assert "Feedback for this activity has already been given." in text(response)
    registration.refresh_from_db()
    assert registration.rating == 5


# --- whose activity ---------------------------------------------------------------------------


@pytest.fixture
def not_theirs(make_activity, publish, other_director, other_office, neighbour):
    """Activities the customer may not see: another office's, another community's, a draft."""
    theirs = neighbour.households.get().unit.building.community
    return {
        "other_office": publish(
            make_activity(actor=other_director, office=other_office, title="别处活动"),
            actor=other_director,
        ),
        "other_community": publish(make_activity(title="邻小区活动", community=theirs)),
        "draft": make_activity(title="草稿活动"),
    }


@pytest.mark.parametrize("key", ["other_office", "other_community", "draft"])
def test_m07_an_activity_not_for_the_customer_is_not_found(portal, not_theirs, key):
    activity = not_theirs[key]
    assert portal.get(url("activity", activity)).status_code == 404
    assert portal.post(url("activity_register", activity), {"seats": "1"}).status_code == 404
    assert portal.get(url("activity_cancel", activity)).status_code == 404
    assert portal.post(url("activity_feedback", activity), {"rating": "5"}).status_code == 404
    assert not Registration.objects.exists()


def test_m07_another_customers_registration_is_not_theirs(portal, open_activity, neighbour):
    services.register(activity=open_activity, customer=neighbour, now=NOW)
    assert portal.get(url("activity", open_activity)).context["registration"] is None
    assert portal.post(url("activity_cancel", open_activity)).status_code == 404
    assert Registration.objects.get().state == R.CONFIRMED


@pytest.mark.parametrize("name", ["activities", "activity", "activity_cancel"])
def test_m07_signing_in_comes_first(client, open_activity, name):
    args = [] if name == "activities" else [open_activity.pk]
    response = client.get(reverse(f"portal:{name}", args=args))
    assert response.status_code == 302 and response.url == reverse("portal:login")


def test_m07_registering_signed_out_registers_nobody(client, open_activity):
    response = client.post(url("activity_register", open_activity), {"seats": "1"})
    assert response.status_code == 302 and response.url == reverse("portal:login")
    assert not Registration.objects.exists()


def test_m07_the_portal_menu_leads_to_activities(portal):
    # Activities are under the portal's community tab.
    body = text(portal.get(reverse("portal:hub")))
    assert f'href="{reverse("portal:activities")}"' in body
