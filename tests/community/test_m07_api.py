"""M07 through the API: staff manage activities and register callers; a customer registers,
waits, cancels and rates through the customer API. The clock stands at ``NOW`` throughout."""

import datetime as dt

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from propdesk.community import services
from propdesk.community.models import Activity, Registration
from propdesk.org.tokens import token_issue as staff_token_issue
from propdesk.portal.models import PortalAccount
from propdesk.portal.tokens import token_issue
from tests import factories as f
from tests.queries import count_queries, max_queries, same_queries

from .conftest import NOW, START

pytestmark = pytest.mark.django_db

LIST = "/api/v1/activities/"
PORTAL = "/api/v1/portal/activities/"

NEW = {
    "kind": "culture",
    "title": "中秋游园会",
    "place": "会所多功能厅",
    "starts_at": START.isoformat(),
    "ends_at": (START + dt.timedelta(hours=2)).isoformat(),
    "capacity": 30,
}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The views read the real clock: it stands still at NOW (before any token is issued)."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def staff_api(api, director):
    api.force_authenticate(director)
    return api


@pytest.fixture
def as_user(api):
    def sign_in(user):
        api.force_authenticate(user)
        return api

    return sign_in


@pytest.fixture
def app_for():
    """``app_for(customer)``: an app signed in to the customer API as that customer."""

    def sign_in(customer):
        phone = customer.phones.first().number
        account = PortalAccount.objects.create(customer=customer, phone=phone)
        _token, raw = token_issue(account=account)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return client

    return sign_in


def detail(activity) -> str:
    return f"{LIST}{activity.pk}/"


def seen(activity) -> int:
    """The activity's version as the client last read it (an id or the activity)."""
    pk = getattr(activity, "pk", activity)
    return Activity.objects.values_list("version", flat=True).get(pk=pk)


def registrations(activity) -> str:
    return f"{LIST}{activity.pk}/registrations/"


def reg_action(registration, name) -> str:
    return f"{registrations(registration.activity)}{registration.pk}/{name}/"


def portal(activity, name="") -> str:
    return f"{PORTAL}{activity.pk}/" + (f"{name}/" if name else "")


def register(activity, customer, seats=1):
    return services.register(activity=activity, customer=customer, seats=seats, now=NOW)


def attended(activity, customer, director):
    """The customer registered, came, and the activity was held."""
    registration = register(activity, customer)
    services.registration_check_in(
        actor=director, registration=registration, now=START + dt.timedelta(minutes=10)
    )
    services.activity_finish(actor=director, activity=activity, now=START + dt.timedelta(hours=3))
    registration.refresh_from_db()
    return registration


def queries(client, url, **params):
    with count_queries() as captured:
        answer = client.get(url, params)
    assert answer.status_code == 200, answer.json()
    return captured


# --- staff: writing and publishing --------------------------------------------------------------


def test_m07_api_create_edit_publish_and_the_lock(staff_api, office):
    created = staff_api.post(LIST, NEW, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert (body["office"], body["state"], body["notice"]) == (office.pk, "draft", None)
    assert body["summary"] == {
        "capacity": 30,
        "taken": 0,
        "free": 30,
        "waiting": 0,
        "attended": 0,
        "absent": 0,
        "feedback": 0,
        "rating": None,
    }
    # Registration closes when the activity starts, unless it says otherwise.
    assert body["registration_closes_at"] == body["starts_at"]
    moved = staff_api.patch(
        f"{LIST}{pk}/", {"place": "小区广场", "version": seen(pk)}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["place"] == "小区广场"

    published = staff_api.post(
        f"{LIST}{pk}/publish/", {"notify_customers": False, "version": seen(pk)}, format="json"
    )
    assert published.status_code == 200, published.json()
    assert published.json()["state"] == "published"
    assert published.json()["notice"] == Activity.objects.get().notice_id is not None

    locked = staff_api.patch(f"{LIST}{pk}/", {"place": "会所", "version": seen(pk)}, format="json")
    assert locked.status_code == 409
    assert (locked.json()["code"], locked.json()["field"]) == ("activity_published", "place")
    later = (START + dt.timedelta(days=1)).isoformat()
    locked = staff_api.patch(
        f"{LIST}{pk}/", {"starts_at": later, "version": seen(pk)}, format="json"
    )
    assert locked.status_code == 409 and locked.json()["field"] == "starts_at"
    assert Activity.objects.get().place == "小区广场"
    # What people did not register for may still change.
    bigger = staff_api.patch(
        f"{LIST}{pk}/", {"capacity": 40, "place": "小区广场", "version": seen(pk)}, format="json"
    )
    assert bigger.status_code == 200 and bigger.json()["summary"]["free"] == 40

    again = staff_api.post(f"{LIST}{pk}/publish/", {"version": seen(pk)}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "not_a_draft"


def test_m07_api_an_open_day_names_its_facilities(staff_api):
    answer = staff_api.post(LIST, {**NEW, "kind": "open_day"}, format="json")
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("facilities_required", "facilities")
    tour = {**NEW, "kind": "open_day", "facilities": "水泵房、监控中心"}
    assert staff_api.post(LIST, tour, format="json").status_code == 201


@pytest.mark.parametrize(
    "change,field",
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "two"}, "capacity"),
        ({"starts_at": "next saturday"}, "starts_at"),
        ({"starts_at": (NOW - dt.timedelta(hours=1)).isoformat()}, "starts_at"),
        ({"ends_at": (START - dt.timedelta(hours=1)).isoformat()}, "ends_at"),
        (
            {"registration_closes_at": (START + dt.timedelta(hours=1)).isoformat()},
            "registration_closes_at",
        ),
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"place": "  "}, "place"),
        ({"community": 999999}, "community"),
    ],
)
def test_m07_api_bad_input_names_the_field(staff_api, change, field):
    answer = staff_api.post(LIST, {**NEW, **change}, format="json")
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == field
    assert answer.json()["detail"]
    assert not Activity.objects.exists()


def test_m07_api_missing_fields_are_named(staff_api):
    answer = staff_api.post(LIST, {"kind": "culture"}, format="json")
    assert answer.status_code == 400
    assert {"title", "place", "starts_at", "ends_at", "capacity"} <= set(answer.json()["errors"])


def test_m07_api_another_offices_community_is_refused(staff_api, other_customer):
    theirs = other_customer.households.get().unit.building.community
    answer = staff_api.post(LIST, {**NEW, "community": theirs.pk}, format="json")
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("invalid_community", "community")


def test_m07_api_a_technician_cannot_create_and_an_agent_cannot_publish(
    as_user, technician, agent, make_activity
):
    assert as_user(technician).post(LIST, NEW, format="json").status_code == 403
    assert not Activity.objects.exists()
    draft = make_activity()
    answer = as_user(agent).post(f"{detail(draft)}publish/", {"version": 1}, format="json")
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_m07_api_changing_a_published_activity(staff_api, open_activity, customer):
    register(open_activity, customer, seats=2)
    url = detail(open_activity)
    smaller = staff_api.patch(url, {"capacity": 1, "version": seen(open_activity)}, format="json")
    assert smaller.status_code == 409
    assert (smaller.json()["code"], smaller.json()["field"]) == ("capacity_below_taken", "capacity")
    for body, field in (({"capacity": "x"}, "capacity"), ({"ends_at": "soon"}, "ends_at")):
        bad = staff_api.patch(url, {**body, "version": seen(open_activity)}, format="json")
        assert bad.status_code == 400 and bad.json()["field"] == field
    described = staff_api.patch(
        url, {"description": "请穿运动鞋", "version": seen(open_activity)}, format="json"
    )
    assert described.status_code == 200 and described.json()["description"] == "请穿运动鞋"
    open_activity.refresh_from_db()
    assert open_activity.capacity == 2


def test_m07_api_another_offices_activity_is_404(as_user, other_agent, open_activity, customer):
    registration = register(open_activity, customer)
    api = as_user(other_agent)
    assert api.get(detail(open_activity)).status_code == 404
    assert api.patch(detail(open_activity), {"capacity": 5}, format="json").status_code == 404
    assert api.post(f"{detail(open_activity)}finish/").status_code == 404
    assert api.get(registrations(open_activity)).status_code == 404
    assert api.post(reg_action(registration, "cancel")).status_code == 404
    assert api.get(LIST).json()["count"] == 0
    registration.refresh_from_db()
    assert registration.state == "confirmed"


def test_m07_api_publish_checks_its_input(staff_api, make_activity):
    draft = make_activity()
    answer = staff_api.post(
        f"{detail(draft)}publish/", {"notify_customers": "maybe"}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["field"] == "notify_customers"
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.notice_id is None


def test_m07_api_cancel_needs_a_reason_and_ends_every_registration(
    staff_api, open_activity, customer, make_customer
):
    register(open_activity, customer, seats=2)
    waiting = register(open_activity, make_customer())
    url = f"{detail(open_activity)}cancel/"
    missing = staff_api.post(url, {"version": seen(open_activity)}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    blank = staff_api.post(url, {"reason": "  ", "version": seen(open_activity)}, format="json")
    assert blank.status_code == 400
    assert (blank.json()["code"], blank.json()["field"]) == ("reason_required", "reason")
    cancelled = staff_api.post(
        url, {"reason": "台风预警", "version": seen(open_activity)}, format="json"
    )
    assert cancelled.status_code == 200
    assert (cancelled.json()["state"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "台风预警",
    )
    assert cancelled.json()["summary"]["taken"] == 0
    waiting.refresh_from_db()
    assert waiting.state == "cancelled"
    again = staff_api.post(url, {"reason": "再取消", "version": seen(open_activity)}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "activity_closed"


def test_m07_api_finish_records_attendance(
    staff_api, open_activity, customer, make_customer, _clock
):
    came = register(open_activity, customer)
    register(open_activity, make_customer())  # confirmed, never comes
    url = f"{detail(open_activity)}finish/"
    early = staff_api.post(url, HTTP_IF_MATCH=f'"{seen(open_activity)}"')
    assert early.status_code == 409 and early.json()["code"] == "not_started"
    _clock.move_to(START + dt.timedelta(minutes=5), tick=False)
    assert staff_api.post(reg_action(came, "check-in")).status_code == 200
    _clock.move_to(START + dt.timedelta(hours=3), tick=False)
    held = staff_api.post(url, HTTP_IF_MATCH=f'"{seen(open_activity)}"')
    assert held.status_code == 200
    assert held.json()["state"] == "finished"
    summary = held.json()["summary"]
    assert (summary["attended"], summary["absent"], summary["taken"]) == (1, 1, 1)


# --- staff: the list ----------------------------------------------------------------------------


def test_m07_api_list_filters_with_counts(
    staff_api, make_activity, open_activity, customer, make_customer, director
):
    register(open_activity, customer, seats=2)
    register(open_activity, make_customer())  # waits
    make_activity(
        title="早教讲座",
        kind="early_education",
        starts_at=START + dt.timedelta(days=1),
        ends_at=START + dt.timedelta(days=1, hours=1),
    )
    rows = staff_api.get(LIST, {"state": "published"}).json()["results"]
    assert [(r["id"], r["taken"], r["waiting"]) for r in rows] == [(open_activity.pk, 2, 1)]
    rows = staff_api.get(LIST, {"kind": "early_education"}).json()["results"]
    assert [r["title"] for r in rows] == ["早教讲座"]
    assert [r["title"] for r in staff_api.get(LIST, {"q": "早教"}).json()["results"]] == [
        "早教讲座"
    ]
    upcoming = staff_api.get(LIST, {"upcoming": "true"}).json()["results"]
    assert [r["title"] for r in upcoming] == ["中秋游园会", "早教讲座"]  # soonest first
    assert staff_api.get(LIST, {"upcoming": "false"}).json()["count"] == 0
    draft = staff_api.get(LIST, {"state": "draft"}).json()["results"]
    assert [(r["taken"], r["waiting"]) for r in draft] == [(0, 0)]


@pytest.mark.parametrize(
    "params,field",
    [({"state": "open"}, "state"), ({"upcoming": "soon"}, "upcoming"), ({"office": "x"}, "office")],
)
def test_m07_api_list_bad_filters_name_the_field(staff_api, params, field):
    answer = staff_api.get(LIST, params)
    assert answer.status_code == 400 and answer.json()["field"] == field


def test_m07_api_list_query_count_does_not_grow(staff_api, make_activity, director, make_customer):
    def published(i):
        activity = make_activity(title=f"活动{i}")
        services.activity_publish(
            actor=director, activity=activity, notify_customers=False, now=NOW
        )
        register(activity, make_customer())
        return activity

    published(0)
    few = queries(staff_api, LIST)
    for i in range(1, 8):
        published(i)
    same_queries(few, queries(staff_api, LIST))
    assert len(few) <= 4, few
    assert staff_api.get(LIST).json()["results"][0]["taken"] == 1


# --- staff: registrations -----------------------------------------------------------------------


def test_m07_api_register_a_caller_confirmed_then_waiting(
    staff_api, open_activity, customer, make_customer, director
):
    url = registrations(open_activity)
    first = staff_api.post(
        url, {"customer": customer.pk, "seats": 2, "note": "带老人"}, format="json"
    )
    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["state"], body["seats"], body["position"], body["channel"]) == (
        "confirmed",
        2,
        None,
        "staff",
    )
    assert (body["customer"], body["customer_name"], body["note"]) == (
        customer.pk,
        "张伟",
        "带老人",
    )
    neighbour = make_customer()
    full = staff_api.post(url, {"customer": neighbour.pk}, format="json")
    assert full.status_code == 201
    assert (full.json()["state"], full.json()["position"]) == ("waiting", 1)
    assert Registration.objects.get(pk=full.json()["id"]).registered_by == director

    twice = staff_api.post(url, {"customer": customer.pk}, format="json")
    assert twice.status_code == 409
    assert (twice.json()["code"], twice.json()["field"]) == ("already_registered", "customer")
    assert Registration.objects.count() == 2


@pytest.mark.parametrize(
    "body,status,field",
    [
        ({"seats": "two"}, 400, "seats"),
        ({"seats": 9}, 400, "seats"),
        ({"seats": 0}, 400, "seats"),
        ({"customer": None}, 400, "customer"),
        ({"customer": "张伟"}, 400, "customer"),
        ({"customer": 999999}, 404, "customer"),
    ],
)
def test_m07_api_register_a_caller_bad_input(
    staff_api, open_activity, customer, body, status, field
):
    answer = staff_api.post(
        registrations(open_activity), {"customer": customer.pk, **body}, format="json"
    )
    assert answer.status_code == status, answer.json()
    assert answer.json()["field"] == field
    assert not Registration.objects.exists()


def test_m07_api_another_offices_customer_is_404(staff_api, open_activity, other_customer):
    answer = staff_api.post(
        registrations(open_activity), {"customer": other_customer.pk}, format="json"
    )
    assert answer.status_code == 404 and answer.json()["field"] == "customer"
    assert not Registration.objects.exists()


def test_m07_api_registering_for_a_draft_is_409(staff_api, make_activity, customer):
    answer = staff_api.post(
        registrations(make_activity()), {"customer": customer.pk}, format="json"
    )
    assert answer.status_code == 409 and answer.json()["code"] == "registration_not_open"


def test_m07_api_a_caller_from_another_community_is_not_invited(
    staff_api, make_activity, director, community, neighbour
):
    ours = services.activity_publish(
        actor=director,
        activity=make_activity(community=community),
        notify_customers=False,
        now=NOW,
    )
    answer = staff_api.post(registrations(ours), {"customer": neighbour.pk}, format="json")
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("not_invited", "customer")
    assert not Registration.objects.exists()


def test_m07_api_a_technician_cannot_register_a_caller(
    as_user, technician, open_activity, customer
):
    answer = as_user(technician).post(
        registrations(open_activity), {"customer": customer.pk}, format="json"
    )
    assert answer.status_code == 403
    assert not Registration.objects.exists()


def test_m07_api_registrations_in_queue_order_with_positions(
    staff_api, open_activity, customer, make_customer
):
    register(open_activity, customer, seats=2)
    waiting = [
        services.register(
            activity=open_activity, customer=make_customer(), now=NOW + dt.timedelta(minutes=i)
        )
        for i in range(1, 4)
    ]
    with max_queries(5):
        rows = staff_api.get(registrations(open_activity)).json()["results"]
    assert [(r["customer_name"], r["state"], r["position"]) for r in rows] == [
        ("张伟", "confirmed", None),
        *[(w.customer.name, "waiting", n) for n, w in enumerate(waiting, 1)],
    ]
    only = staff_api.get(registrations(open_activity), {"state": "waiting"}).json()["results"]
    assert [r["position"] for r in only] == [1, 2, 3]
    bad = staff_api.get(registrations(open_activity), {"state": "maybe"})
    assert bad.status_code == 400 and bad.json()["field"] == "state"


def test_m07_api_cancelling_for_a_caller_moves_the_waiting_list_up(
    staff_api, open_activity, customer, make_customer
):
    held = register(open_activity, customer, seats=2)
    waiting = register(open_activity, make_customer())
    cancelled = staff_api.post(reg_action(held, "cancel"))
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.state == "confirmed"
    again = staff_api.post(reg_action(held, "cancel"))
    assert again.status_code == 409 and again.json()["code"] == "registration_closed"
    assert staff_api.post(f"{registrations(open_activity)}999999/cancel/").status_code == 404


def test_m07_api_check_in_on_the_day_only(
    staff_api, open_activity, customer, make_customer, _clock
):
    registration = register(open_activity, customer)
    waiting = register(open_activity, make_customer(), seats=2)
    early = staff_api.post(reg_action(registration, "check-in"))
    assert early.status_code == 409 and early.json()["code"] == "not_the_day"
    _clock.move_to(START - dt.timedelta(hours=1), tick=False)
    checked = staff_api.post(reg_action(registration, "check-in"))
    assert checked.status_code == 200
    assert checked.json()["state"] == "attended" and checked.json()["checked_in_at"]
    twice = staff_api.post(reg_action(registration, "check-in"))
    assert twice.status_code == 409 and twice.json()["code"] == "already_checked_in"
    not_confirmed = staff_api.post(reg_action(waiting, "check-in"))
    assert not_confirmed.status_code == 409 and not_confirmed.json()["code"] == "not_confirmed"


def test_m07_api_followup_records_feedback_told_by_phone(
    as_user, followup, technician, director, open_activity, customer, _clock
):
    registration = attended(open_activity, customer, director)
    _clock.move_to(START + dt.timedelta(hours=4), tick=False)
    url = reg_action(registration, "feedback")
    assert as_user(technician).post(url, {"rating": 5}, format="json").status_code == 403
    api = as_user(followup)
    for body, field in (({"rating": 7}, "rating"), ({"rating": "good"}, "rating"), ({}, "rating")):
        bad = api.post(url, body, format="json")
        assert bad.status_code == 400 and bad.json()["field"] == field
    given = api.post(url, {"rating": 4, "comment": "很好"}, format="json")
    assert given.status_code == 200, given.json()
    assert (given.json()["rating"], given.json()["comment"]) == (4, "很好")
    twice = api.post(url, {"rating": 5}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "feedback_given"
    summary = as_user(director).get(detail(open_activity)).json()["summary"]
    assert (summary["feedback"], summary["rating"]) == (1, 4.0)


def test_m07_api_feedback_only_from_those_who_came(staff_api, open_activity, customer):
    registration = register(open_activity, customer)
    answer = staff_api.post(reg_action(registration, "feedback"), {"rating": 5}, format="json")
    assert answer.status_code == 409
    assert (answer.json()["code"], answer.json()["field"]) == ("did_not_attend", "rating")


# --- the customer API ---------------------------------------------------------------------------


def test_m07_customer_the_waiting_list_through_the_app(
    customer_api, app_for, open_activity, customer, make_customer
):
    second = make_customer()
    second_app = app_for(second)

    mine = customer_api.post(portal(open_activity, "register"), {"seats": 2}, format="json")
    assert mine.status_code == 201, mine.json()
    assert (mine.json()["state"], mine.json()["seats"], mine.json()["position"]) == (
        "confirmed",
        2,
        None,
    )
    assert mine.json()["activity"]["id"] == open_activity.pk

    theirs = second_app.post(portal(open_activity, "register"), {"seats": 1}, format="json")
    assert theirs.status_code == 201
    assert (theirs.json()["state"], theirs.json()["position"]) == ("waiting", 1)
    twice = second_app.post(portal(open_activity, "register"), {}, format="json")
    assert twice.status_code == 409
    assert (twice.json()["code"], twice.json()["field"]) == ("already_registered", "customer")
    assert "number 1" in twice.json()["detail"]

    row = second_app.get(PORTAL).json()["results"][0]
    assert row["places_left"] == 0 and row["registration_open"] is True
    assert row["my_registration"] == {"state": "waiting", "seats": 1, "position": 1}

    cancelled = customer_api.post(portal(open_activity, "cancel"))
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    moved_up = second_app.get(portal(open_activity)).json()
    assert moved_up["my_registration"] == {"state": "confirmed", "seats": 1, "position": None}
    assert moved_up["places_left"] == 1
    assert [r["state"] for r in second_app.get(f"{PORTAL}mine/").json()["results"]] == ["confirmed"]
    # Cancelled, the first customer may register again: the only place left is theirs.
    again = customer_api.post(portal(open_activity, "register"), {"seats": 1}, format="json")
    assert again.status_code == 201 and again.json()["state"] == "confirmed"


def test_m07_customer_sees_only_activities_for_their_homes(
    customer_api, open_activity, make_activity, director, other_office, neighbour
):
    make_activity(title="草稿")  # a draft is for nobody yet
    theirs_director = f.UserFactory(role="director", office=other_office)
    theirs = services.activity_publish(
        actor=theirs_director,
        activity=make_activity(actor=theirs_director, office=other_office, title="碧湖活动"),
        notify_customers=False,
        now=NOW,
    )
    elsewhere = neighbour.households.get().unit.building.community
    next_door = services.activity_publish(
        actor=director,
        activity=make_activity(title="邻区活动", community=elsewhere),
        notify_customers=False,
        now=NOW,
    )
    listed = customer_api.get(PORTAL).json()
    assert [(r["id"], r["my_registration"]) for r in listed["results"]] == [
        (open_activity.pk, None)
    ]
    assert listed["results"][0]["places_left"] == 2
    for hidden in (theirs, next_door, Activity.objects.get(title="草稿")):
        assert customer_api.get(portal(hidden)).status_code == 404
        answer = customer_api.post(portal(hidden, "register"), {"seats": 1}, format="json")
        assert answer.status_code == 404
    assert not Registration.objects.exists()


def test_m07_customer_list_query_count_does_not_grow(
    customer_api, make_activity, director, customer, make_customer
):
    def published(i, *, waiting=False):
        activity = make_activity(title=f"活动{i}", capacity=1)
        services.activity_publish(
            actor=director, activity=activity, notify_customers=False, now=NOW
        )
        if waiting:
            register(activity, make_customer())
        register(activity, customer)
        return activity

    published(0)
    customer_api.get(PORTAL)  # the token's first use of the day is recorded once
    few = queries(customer_api, PORTAL)
    for i in range(1, 8):
        published(i, waiting=i % 2 == 0)
    more = queries(customer_api, PORTAL)
    assert len(more) <= len(few) + 1, more  # the waiting lists' positions: one query
    rows = customer_api.get(PORTAL).json()["results"]
    assert {r["my_registration"]["position"] for r in rows} == {None, 1}
    mine = queries(customer_api, f"{PORTAL}mine/")
    assert len(mine) <= len(few) + 1, mine


@pytest.mark.parametrize(
    "body,field", [({"seats": "two"}, "seats"), ({"seats": 0}, "seats"), ({"seats": 6}, "seats")]
)
def test_m07_customer_register_bad_input(customer_api, open_activity, body, field):
    answer = customer_api.post(portal(open_activity, "register"), body, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert not Registration.objects.exists()


def test_m07_customer_registration_closed_is_409(customer_api, make_activity, director, _clock):
    closes = START - dt.timedelta(days=1)
    activity = services.activity_publish(
        actor=director,
        activity=make_activity(registration_closes_at=closes),
        notify_customers=False,
        now=NOW,
    )
    _clock.move_to(closes + dt.timedelta(minutes=1), tick=False)
    row = customer_api.get(PORTAL).json()["results"][0]
    assert row["registration_open"] is False
    answer = customer_api.post(portal(activity, "register"), {"seats": 1}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "registration_closed"


def test_m07_customer_cancel_without_a_registration_is_404(customer_api, open_activity):
    answer = customer_api.post(portal(open_activity, "cancel"))
    assert answer.status_code == 404 and answer.json()["field"] == "registration"
    feedback = customer_api.post(portal(open_activity, "feedback"), {"rating": 5}, format="json")
    assert feedback.status_code == 404 and feedback.json()["field"] == "registration"


def test_m07_customer_feedback_after_coming(
    customer_api, open_activity, customer, director, _clock
):
    url = portal(open_activity, "feedback")
    register(open_activity, customer)
    early = customer_api.post(url, {"rating": 5}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "did_not_attend"
    Registration.objects.all().delete()
    attended(open_activity, customer, director)
    _clock.move_to(START + dt.timedelta(hours=4), tick=False)
    bad = customer_api.post(url, {"rating": 7}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "rating"
    wrong_type = customer_api.post(url, {"rating": "five"}, format="json")
    assert wrong_type.status_code == 400 and wrong_type.json()["field"] == "rating"
    given = customer_api.post(url, {"rating": 5, "comment": "孩子很喜欢"}, format="json")
    assert given.status_code == 200
    assert (given.json()["state"], given.json()["rating"]) == ("attended", 5)
    # A held activity stays in the customer's own list and can be opened.
    assert customer_api.get(portal(open_activity)).json()["state"] == "finished"
    rows = customer_api.get(f"{PORTAL}mine/").json()["results"]
    assert [(r["activity"]["id"], r["comment"]) for r in rows] == [(open_activity.pk, "孩子很喜欢")]
    twice = customer_api.post(url, {"rating": 4}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "feedback_given"


def test_m07_customer_cannot_cancel_once_started(customer_api, open_activity, customer, _clock):
    register(open_activity, customer)
    _clock.move_to(START + dt.timedelta(minutes=1), tick=False)
    answer = customer_api.post(portal(open_activity, "cancel"))
    assert answer.status_code == 409 and answer.json()["code"] == "activity_started"


# --- who opens what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,url", [("get", LIST), ("post", LIST), ("get", "/api/v1/activities/{id}/registrations/")]
)
def test_m07_a_customer_token_opens_no_staff_endpoint(customer_api, open_activity, method, url):
    answer = getattr(customer_api, method)(url.format(id=open_activity.pk), NEW, format="json")
    assert answer.status_code in (401, 403)
    assert not Activity.objects.exclude(pk=open_activity.pk).exists()


def test_m07_staff_open_no_customer_endpoint(api, agent, open_activity):
    api.force_authenticate(agent)  # as a staff session is
    assert api.get(PORTAL).status_code in (401, 403)
    answer = api.post(portal(open_activity, "register"), {"seats": 1}, format="json")
    assert answer.status_code in (401, 403)
    api.force_authenticate(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {staff_token_issue(user=agent)[1]}")
    assert api.get(LIST).status_code == 200  # the staff token works where it belongs
    assert api.get(PORTAL).status_code == 401
    assert api.get(f"{PORTAL}mine/").status_code == 401
    assert not Registration.objects.exists()


def test_m07_openapi_schema_of_the_activity_endpoints_has_no_warnings(db, capsys):
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("propdesk.community.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err
    assert "/api/v1/activities/{id}/registrations/{reg_pk}/check-in/" in schema["paths"]
    assert "/api/v1/portal/activities/{id}/register/" in schema["paths"]
    portal_list = schema["paths"]["/api/v1/portal/activities/"]["get"]
    assert portal_list["tags"] == ["customer"]
