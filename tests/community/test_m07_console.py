"""M07 in the console: the list, writing and publishing an activity, registering callers, the
waiting list, the check-in desk, feedback, cancelling and holding; who may do what."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.community import services
from propdesk.community.models import Activity, Registration
from propdesk.notices.models import Notice
from tests import factories as f
from tests.queries import count_queries, max_queries, same_queries

from .conftest import NOW, START

pytestmark = pytest.mark.django_db

LIST = reverse("console:activities")
NEW = reverse("console:activity_new")
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The views read the real clock: it stands at NOW unless a test moves it."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def as_agent(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def as_director(client, director):
    client.force_login(director)
    return client


def url(name, activity, *args):
    return reverse(f"console:{name}", args=[activity.pk, *args])


def act(activity, registration, action):
    return reverse("console:registration_act", args=[activity.pk, registration.pk, action])


def _form(**kwargs):
    """The new-activity form as the browser posts it (datetime-local, Shanghai time)."""
    data = {
        "kind": "culture",
        "title": "亲子手工课",
        "description": "带孩子一起做灯笼。",
        "facilities": "",
        "place": "会所多功能厅",
        "starts_at": "2026-06-06T18:00",  # START
        "ends_at": "2026-06-06T20:00",
        "registration_closes_at": "",
        "capacity": "30",
        "community": "",
    }
    data.update(kwargs)
    return data


def _edit_form(activity, **kwargs):
    """The edit form as it comes pre-filled, with ``kwargs`` changed."""
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "description": activity.description,
        "facilities": activity.facilities,
        "place": activity.place,
        "capacity": str(activity.capacity),
        "ends_at": "2026-06-06T20:00",
    }
    return _form(**{**data, **kwargs})


def text(response) -> str:
    return response.content.decode()


# --- the list ---------------------------------------------------------------------------------


def test_m07_console_list_filters(
    client, as_agent, make_activity, open_activity, director, other_agent, quality
):
    open_day = make_activity(
        kind=Activity.Kind.OPEN_DAY, title="认识我们的家园", facilities="水泵房\n监控中心"
    )
    past = make_activity(
        title="春季踏青",
        kind=Activity.Kind.TRAVEL,
        now=NOW - dt.timedelta(days=30),
        starts_at=NOW - dt.timedelta(days=10),
        ends_at=NOW - dt.timedelta(days=10) + HOUR,
    )
    theirs = make_activity(actor=other_agent, title="认识碧湖")

    def listed(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return [a.pk for a in response.context["page"]]

    assert sorted(listed()) == sorted([open_day.pk, past.pk, open_activity.pk])
    assert listed(q="认识") == [open_day.pk]
    assert listed(state="published") == [open_activity.pk]
    assert listed(kind="open_day") == [open_day.pk]
    assert listed(when="past") == [past.pk]
    assert set(listed(when="upcoming")) == {open_day.pk, open_activity.pk}
    page = text(client.get(LIST))
    assert "New activity" in page and "0 / 2" in page and "Registration open" in page
    assert "No activity matches these filters." in text(client.get(LIST, {"q": "没有"}))
    # A company role sees every office's and narrows by office; an office role has no filter.
    assert "office" not in client.get(LIST).context["form"].fields
    client.force_login(quality)
    assert listed(q="认识", office=theirs.office_id) == [theirs.pk]


def test_m07_console_list_queries_do_not_grow(as_agent, make_activity, make_customer, director):
    def queries():
        with count_queries() as captured:
            response = as_agent.get(LIST, {"when": "upcoming"})
        assert response.status_code == 200
        return captured, len(response.context["page"])

    make_activity(title="活动0")
    one = queries()
    for i in range(1, 12):
        activity = services.activity_publish(
            actor=director, activity=make_activity(title=f"活动{i}"), now=NOW
        )
        services.register(activity=activity, customer=make_customer(), actor=director, now=NOW)
    many = queries()
    assert one[1] == 1 and many[1] == 12
    same_queries(one[0], many[0])
    with max_queries(8):
        as_agent.get(LIST)


# --- writing ----------------------------------------------------------------------------------


def test_m07_console_create_a_draft(as_agent, agent, office, community):
    response = as_agent.post(NEW, _form(community=str(community.pk)))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == url("activity", activity)
    assert activity.office == office and activity.community == community
    assert activity.state == Activity.State.DRAFT and activity.created_by == agent
    assert activity.starts_at == START and activity.registration_closes_at == START
    assert activity.capacity == 30
    page = text(as_agent.get(response.url))
    assert "Activity saved as a draft." in page and "亲子手工课" in page


def test_m07_console_create_starting_in_the_past_is_refused(as_agent):
    response = as_agent.post(NEW, _form(starts_at="2026-05-30T10:00", ends_at="2026-05-30T12:00"))
    assert response.status_code == 400
    assert "The activity must start in the future." in text(response)
    assert response.context["form"].errors["starts_at"]
    assert not Activity.objects.exists()


def test_m07_console_open_day_needs_its_facilities(as_agent):
    response = as_agent.post(NEW, _form(kind="open_day", title="认识我们的家园"))
    assert response.status_code == 400
    assert response.context["form"].errors["facilities"] == [
        "An open day names the facilities customers will visit."
    ]
    assert not Activity.objects.exists()
    response = as_agent.post(NEW, _form(kind="open_day", facilities="水泵房\n配电室"))
    assert response.status_code == 302 and Activity.objects.get().facilities == "水泵房\n配电室"


def test_m07_console_bad_input_is_shown_on_the_form(as_agent):
    response = as_agent.post(NEW, _form(capacity="很多", ends_at="2026-06-06T17:00"))
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"]
    response = as_agent.post(NEW, _form(ends_at="2026-06-06T17:00"))
    assert response.status_code == 400
    assert "The activity must end after it starts." in text(response)
    response = as_agent.post(NEW, _form(capacity="0"))
    assert response.status_code == 400 and "The capacity is between 1 and" in text(response)
    assert not Activity.objects.exists()


def test_m07_console_another_offices_community_is_refused(
    client, as_agent, other_customer, admin_user, office
):
    theirs = other_customer.households.get().unit.building.community
    response = as_agent.post(NEW, _form(community=str(theirs.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["community"] == [
        "Choose a community of the activity's office."
    ]
    # A company role may pick any community, but only of the office it chose.
    client.force_login(admin_user)
    response = client.post(NEW, _form(office=str(office.pk), community=str(theirs.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["community"] == [
        "Choose a community of the activity's office."
    ]
    assert not Activity.objects.exists()
    response = client.post(NEW, _form(office=str(office.pk)))
    assert response.status_code == 302 and Activity.objects.get().office == office


def test_m07_console_edit_a_draft(as_agent, make_activity):
    activity = make_activity()
    page = as_agent.get(url("activity_edit", activity))
    assert page.status_code == 200 and 'value="2026-06-06T18:00"' in text(page)
    response = as_agent.post(
        url("activity_edit", activity), _edit_form(activity, place="小区花园", capacity="40")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.place == "小区花园" and activity.capacity == 40
    assert activity.starts_at == START  # untouched times stay as they were


def test_m07_console_a_published_activitys_place_cannot_change(as_director, open_activity):
    response = as_director.post(
        url("activity_edit", open_activity), _edit_form(open_activity, place="小区花园")
    )
    assert response.status_code == 409
    assert "Customers have registered for this time, place and audience" in text(response)
    assert response.context["form"].errors["place"]
    open_activity.refresh_from_db()
    assert open_activity.place == "会所多功能厅"
    # Its description and places may still change.
    response = as_director.post(
        url("activity_edit", open_activity),
        _edit_form(open_activity, capacity="3", description="欢迎全家参加"),
    )
    assert response.status_code == 302
    open_activity.refresh_from_db()
    assert open_activity.capacity == 3 and open_activity.description == "欢迎全家参加"


def test_m07_console_an_agent_cannot_edit_a_published_activity(as_agent, open_activity):
    assert as_agent.get(url("activity_edit", open_activity)).status_code == 403


# --- publishing -------------------------------------------------------------------------------


def test_m07_console_publish_asks_then_announces(as_director, make_activity, customer):
    activity = make_activity()
    confirm = as_director.get(url("activity_publish", activity))
    assert confirm.status_code == 200
    assert "announced in a community notice" in text(confirm)
    assert "Also send a message to every customer" in text(confirm)
    activity.refresh_from_db()
    assert activity.state == Activity.State.DRAFT and not Notice.objects.exists()
    response = as_director.post(url("activity_publish", activity), {"notify_customers": "on"})
    assert response.status_code == 302
    activity.refresh_from_db()
    notice = Notice.objects.get()
    assert activity.state == Activity.State.PUBLISHED and activity.notice == notice
    assert notice.state == Notice.State.PUBLISHED and notice.by_notification
    page = text(as_director.get(url("activity", activity)))
    assert reverse("console:notice", args=[notice.pk]) in page
    # Twice is refused with a message.
    response = as_director.post(url("activity_publish", activity))
    assert response.status_code == 409 and "Only a draft can be published." in text(response)


def test_m07_console_publish_without_messages(as_director, make_activity):
    activity = make_activity()
    as_director.post(url("activity_publish", activity))
    assert not Notice.objects.get().by_notification


def test_m07_console_an_agent_may_not_publish(as_agent, make_activity):
    activity = make_activity()
    assert as_agent.post(url("activity_publish", activity)).status_code == 403
    activity.refresh_from_db()
    assert activity.state == Activity.State.DRAFT


# --- registering a caller ---------------------------------------------------------------------


def test_m07_console_register_callers_then_the_waiting_list(
    as_agent, open_activity, customer, neighbour
):
    search = as_agent.get(url("activity_register", open_activity), {"q": "张"})
    assert search.status_code == 200 and [c.pk for c in search.context["matches"]] == [customer.pk]
    assert "张伟" in text(search)
    response = as_agent.post(
        url("activity_register", open_activity),
        {"customer": customer.pk, "seats": "2", "note": "带孙子"},
        follow=True,
    )
    assert "张伟 is registered: 2 places confirmed." in text(response)
    registration = Registration.objects.get(customer=customer)
    assert registration.state == Registration.State.CONFIRMED
    assert registration.channel == Registration.Channel.STAFF and registration.note == "带孙子"
    # Full: the next caller waits, and is told their number.
    response = as_agent.post(
        url("activity_register", open_activity),
        {"customer": neighbour.pk, "seats": "1"},
        follow=True,
    )
    assert "王芳 is on the waiting list, number 1." in text(response)
    assert Registration.objects.get(customer=neighbour).state == Registration.State.WAITING
    # Twice is refused and says why.
    response = as_agent.post(
        url("activity_register", open_activity), {"customer": customer.pk, "seats": "1"}
    )
    assert response.status_code == 409
    assert "Already registered: your places are confirmed." in text(response)
    assert Registration.objects.filter(customer=customer).count() == 1
    # The search shows who has registered already.
    search = as_agent.get(url("activity_register", open_activity), {"q": "张"})
    assert "Confirmed" in text(search)


def test_m07_console_register_refusals(
    as_agent, make_activity, director, customer, neighbour, other_customer, community, time_machine
):
    activity = services.activity_publish(
        actor=director, activity=make_activity(community=community), now=NOW
    )
    register = url("activity_register", activity)
    # Too many people.
    response = as_agent.post(register, {"customer": customer.pk, "seats": "9"})
    assert response.status_code == 400 and "Select a valid choice" in text(response)
    # Not invited: the neighbour lives in another community of the office.
    response = as_agent.post(register, {"customer": neighbour.pk, "seats": "1"})
    assert response.status_code == 400
    assert "This customer does not live where the activity is held for." in text(response)
    # Another office's customer is not found.
    response = as_agent.post(register, {"customer": other_customer.pk, "seats": "1"})
    assert response.status_code == 404
    assert not Registration.objects.exists()
    # Registration has closed.
    time_machine.move_to(START + dt.timedelta(minutes=1), tick=False)
    response = as_agent.post(register, {"customer": customer.pk, "seats": "1"})
    assert response.status_code == 409
    assert "Registration for this activity has closed." in text(response)
    assert not Registration.objects.exists()


def test_m07_console_search_finds_only_the_office_customers(
    as_agent, open_activity, other_customer
):
    response = as_agent.get(url("activity_register", open_activity), {"q": "孙丽"})
    assert response.context["matches"] == []
    assert "No customer of the office matches" in text(response)


# --- the registrations ------------------------------------------------------------------------


def test_m07_console_cancel_for_a_caller_moves_the_waiting_list_up(
    as_agent, open_activity, director, customer, neighbour
):
    held = services.register(
        activity=open_activity, customer=customer, seats=2, actor=director, now=NOW
    )
    waiting = services.register(
        activity=open_activity, customer=neighbour, seats=1, actor=director, now=NOW + HOUR
    )
    page = as_agent.get(url("activity", open_activity))
    assert [r.pk for r in page.context["waiting"]] == [waiting.pk]
    assert page.context["waiting"][0].position == 1
    confirm = as_agent.get(act(open_activity, held, "cancel"))
    assert confirm.status_code == 200 and "2 places are freed" in text(confirm)
    held.refresh_from_db()
    assert held.state == Registration.State.CONFIRMED
    response = as_agent.post(act(open_activity, held, "cancel"), follow=True)
    assert "Registration of 张伟 cancelled." in text(response)
    assert [r.pk for r in response.context["seated"]] == [waiting.pk]
    assert response.context["waiting"] == [] and "Nobody is waiting." in text(response)
    assert response.context["summary"].taken == 1
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.CONFIRMED


def test_m07_console_check_in_on_the_day(
    as_agent, open_activity, director, customer, neighbour, time_machine
):
    first = services.register(
        activity=open_activity, customer=customer, seats=1, actor=director, now=NOW
    )
    services.register(activity=open_activity, customer=neighbour, seats=1, actor=director, now=NOW)
    # Not before the day.
    response = as_agent.post(act(open_activity, first, "check_in"), {"from": "checkin"})
    assert response.status_code == 409
    assert "Check-in opens on the day of the activity" in text(response)
    time_machine.move_to(START - HOUR, tick=False)
    desk = as_agent.get(url("activity_checkin", open_activity))
    assert desk.status_code == 200 and "0 of 2 people checked in" in text(desk)
    assert [r.customer.name for r in desk.context["rows"]] == sorted(["张伟", "王芳"])
    response = as_agent.post(act(open_activity, first, "check_in"), {"from": "checkin"})
    assert response.status_code == 302 and response.url == url("activity_checkin", open_activity)
    desk = as_agent.get(response.url)
    assert "张伟 checked in." in text(desk) and "1 of 2 people checked in" in text(desk)
    first.refresh_from_db()
    assert first.state == Registration.State.ATTENDED
    # Twice is refused on the desk.
    response = as_agent.post(act(open_activity, first, "check_in"), {"from": "checkin"})
    assert response.status_code == 409 and "Already checked in." in text(response)
    assert as_agent.get(act(open_activity, first, "check_in")).status_code == 405


def test_m07_console_mark_as_held_then_record_feedback(
    as_director, open_activity, director, customer, time_machine
):
    registration = services.register(
        activity=open_activity, customer=customer, seats=2, actor=director, now=NOW
    )
    assert as_director.post(url("activity_finish", open_activity)).status_code == 409
    time_machine.move_to(START - HOUR, tick=False)
    services.registration_check_in(registration=registration, actor=director, now=START - HOUR)
    time_machine.move_to(START + 3 * HOUR, tick=False)
    confirm = as_director.get(url("activity_finish", open_activity))
    assert confirm.status_code == 200 and "2 of 2 people with places have checked in" in text(
        confirm
    )
    assert as_director.post(url("activity_finish", open_activity)).status_code == 302
    open_activity.refresh_from_db()
    assert open_activity.state == Activity.State.FINISHED
    feedback = act(open_activity, registration, "feedback")
    assert as_director.get(feedback).status_code == 200
    response = as_director.post(feedback, {"rating": "9"})
    assert response.status_code == 400 and response.context["form"].errors["rating"]
    response = as_director.post(feedback, {"rating": "4", "comment": "讲解很清楚"}, follow=True)
    assert "Feedback recorded." in text(response) and "average 4.0 / 5" in text(response)
    registration.refresh_from_db()
    assert registration.rating == 4 and registration.comment == "讲解很清楚"
    # Once only.
    response = as_director.post(feedback, {"rating": "5"})
    assert response.status_code == 409
    assert "Feedback for this activity has already been given." in text(response)


def test_m07_console_feedback_is_for_those_who_came(as_agent, open_activity, director, customer):
    registration = services.register(
        activity=open_activity, customer=customer, actor=director, now=NOW
    )
    response = as_agent.post(act(open_activity, registration, "feedback"), {"rating": "5"})
    assert response.status_code == 409
    assert "Feedback is for those who came to the activity." in text(response)


def test_m07_console_detail_queries_do_not_grow(
    as_director, open_activity, director, make_customer
):
    def queries():
        with count_queries() as captured:
            response = as_director.get(url("activity", open_activity))
        assert response.status_code == 200
        return captured

    services.register(activity=open_activity, customer=make_customer(), actor=director, now=NOW)
    one = queries()
    for _ in range(6):
        services.register(activity=open_activity, customer=make_customer(), actor=director, now=NOW)
    same_queries(one, queries())


# --- cancelling the activity ------------------------------------------------------------------


def test_m07_console_cancel_needs_a_reason(as_director, open_activity, director, customer):
    services.register(activity=open_activity, customer=customer, actor=director, now=NOW)
    assert as_director.get(url("activity_cancel", open_activity)).status_code == 200
    response = as_director.post(url("activity_cancel", open_activity), {"reason": " "})
    assert response.status_code == 400
    assert "Say why the activity is cancelled" in text(response)
    open_activity.refresh_from_db()
    assert open_activity.state == Activity.State.PUBLISHED
    response = as_director.post(url("activity_cancel", open_activity), {"reason": "台风预警"})
    assert response.status_code == 302
    open_activity.refresh_from_db()
    assert open_activity.state == Activity.State.CANCELLED
    assert Registration.objects.get().state == Registration.State.CANCELLED
    page = text(as_director.get(url("activity", open_activity)))
    assert "台风预警" in page
    # Nothing more to change.
    response = as_director.get(url("activity_edit", open_activity), follow=True)
    assert "A held or cancelled activity cannot be changed." in text(response)
    response = as_director.post(url("activity_cancel", open_activity), {"reason": "再次"})
    assert response.status_code == 409


# --- who may -----------------------------------------------------------------------------------


def test_m07_console_a_technician_cannot_create_or_register(
    client, technician, open_activity, customer
):
    client.force_login(technician)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403
    assert Activity.objects.count() == 1
    # Seeing is for everyone; the buttons are not.
    page = client.get(url("activity", open_activity))
    assert page.status_code == 200 and "Register a caller" not in text(page)
    assert "New activity" not in text(client.get(LIST))
    response = client.post(
        url("activity_register", open_activity), {"customer": customer.pk, "seats": "1"}
    )
    assert response.status_code == 403 and not Registration.objects.exists()


def test_m07_console_another_offices_activity_is_404(
    client, other_agent, open_activity, director, customer
):
    registration = services.register(
        activity=open_activity, customer=customer, actor=director, now=NOW
    )
    client.force_login(other_agent)
    for name in ("activity", "activity_edit", "activity_register", "activity_checkin"):
        assert client.get(url(name, open_activity)).status_code == 404
    for name in ("activity_publish", "activity_cancel", "activity_finish"):
        assert client.post(url(name, open_activity), {"reason": "x"}).status_code == 404
    for action in ("cancel", "check_in", "feedback"):
        assert client.post(act(open_activity, registration, action)).status_code == 404
    assert client.get(LIST).context["page"].object_list.count() == 0
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED


def test_m07_console_unknown_registration_or_action_is_404(as_agent, open_activity):
    assert (
        as_agent.get(
            reverse("console:registration_act", args=[open_activity.pk, 999, "cancel"])
        ).status_code
        == 404
    )
    other = f.CustomerFactory(office=open_activity.office)
    registration = services.register(activity=open_activity, customer=other, now=NOW)
    assert as_agent.post(act(open_activity, registration, "delete")).status_code == 404


def test_m07_console_pages_render_in_chinese(
    settings, as_director, open_activity, director, customer
):
    settings.LANGUAGE_CODE = "zh-hans"
    services.register(activity=open_activity, customer=customer, actor=director, now=NOW)
    for page in (
        LIST,
        NEW,
        url("activity", open_activity),
        url("activity_edit", open_activity),
        url("activity_register", open_activity) + "?q=张",
        url("activity_checkin", open_activity),
        url("activity_cancel", open_activity),
    ):
        response = as_director.get(page)
        assert response.status_code == 200, page
        assert 'lang="zh-hans"' in text(response)
