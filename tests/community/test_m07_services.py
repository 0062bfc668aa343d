"""M07: community activities — drafting, announcing, registering with a waiting list that moves
up, check-in on the day, attendance, feedback, cancelling, and the reminder job."""

import datetime as dt

import pytest

from propdesk.community import selectors, services
from propdesk.community.models import Activity, ActivityEvent, Registration
from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.notices import selectors as notice_selectors
from propdesk.notices.models import Notice

from .conftest import NOW, START

pytestmark = pytest.mark.django_db
R = Registration.State


def _states(*registrations):
    for r in registrations:
        r.refresh_from_db()
    return tuple(r.state for r in registrations)


def _messages(customer, event):
    return Notification.objects.filter(customer=customer, event=event, channel="in_app")


# --- drafting and publishing ------------------------------------------------------------------


def test_m07_the_kinds_the_manual_names():
    assert set(Activity.Kind.values) == {
        "open_day",
        "culture",
        "early_education",
        "travel",
        "stocks",
        "other",
    }


def test_m07_an_open_day_names_the_facilities_to_visit(make_activity):
    with pytest.raises(DomainError) as err:
        make_activity(kind=Activity.Kind.OPEN_DAY, title="认识我们的家园")
    assert err.value.field == "facilities"
    day = make_activity(
        kind=Activity.Kind.OPEN_DAY, title="认识我们的家园", facilities="水泵房、配电房、监控中心"
    )
    assert day.facilities == "水泵房、配电房、监控中心"
    assert day.registration_closes_at == day.starts_at  # by default, until it starts


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": NOW - dt.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": START - dt.timedelta(minutes=1)}, "ends_at"),
        ({"registration_closes_at": START + dt.timedelta(hours=1)}, "registration_closes_at"),
        ({"registration_closes_at": NOW - dt.timedelta(hours=1)}, "registration_closes_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "20"}, "capacity"),
        ({"title": "  "}, "title"),
        ({"place": ""}, "place"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_m07_bad_input_is_refused_and_nothing_is_created(make_activity, change, field):
    with pytest.raises(DomainError) as err:
        make_activity(**change)
    assert err.value.field == field
    assert not Activity.objects.exists()


def test_m07_the_community_must_be_the_offices(make_activity, other_customer):
    theirs = other_customer.households.get().unit.building.community
    with pytest.raises(DomainError) as err:
        make_activity(community=theirs)
    assert err.value.field == "community"


def test_m07_who_may_draft_and_publish(make_activity, technician, agent, other_agent, director):
    with pytest.raises(Forbidden):
        make_activity(actor=technician)
    draft = make_activity(actor=agent)
    with pytest.raises(Forbidden):  # agents draft; the director publishes
        services.activity_publish(actor=agent, activity=draft, now=NOW)
    with pytest.raises(Forbidden):  # another office's agent
        services.activity_update(actor=other_agent, activity=draft, title="x", now=NOW)
    services.activity_publish(actor=director, activity=draft, now=NOW)
    assert Activity.objects.get().state == Activity.State.PUBLISHED


def test_m07_publishing_announces_it_as_a_community_notice(
    make_activity, director, customer, other_customer
):
    activity = services.activity_publish(
        actor=director,
        activity=make_activity(description="猜灯谜、做月饼"),
        notify_customers=True,
        now=NOW,
    )
    notice = activity.notice
    assert notice.state == Notice.State.PUBLISHED
    assert notice.category == Notice.Category.COMMUNITY
    assert (notice.scope, notice.office) == (Notice.Scope.OFFICE, activity.office)
    assert "会所多功能厅" in notice.body and "猜灯谜、做月饼" in notice.body
    visible = set(notice_selectors.notices_for_customer(customer).values_list("pk", flat=True))
    assert visible == {notice.pk}
    assert not notice_selectors.notices_for_customer(other_customer).exists()
    assert activity.events.filter(kind=ActivityEvent.Kind.PUBLISHED).exists()
    with pytest.raises(Conflict):
        services.activity_publish(actor=director, activity=activity, now=NOW)


def test_m07_a_community_activity_is_announced_to_that_community_only(
    make_activity, director, customer, neighbour, community
):
    activity = services.activity_publish(
        actor=director, activity=make_activity(community=community), now=NOW
    )
    assert activity.notice.scope == Notice.Scope.BUILDINGS
    assert set(activity.notice.buildings.all()) == set(community.buildings.all())
    assert services.in_audience(activity, customer)
    assert not services.in_audience(activity, neighbour)
    with pytest.raises(NotFound):
        services.register(activity=activity, customer=neighbour, now=NOW)


def test_m07_a_published_activity_keeps_its_time_and_place(open_activity, director):
    with pytest.raises(Conflict) as err:
        services.activity_update(actor=director, activity=open_activity, place="小区广场", now=NOW)
    assert err.value.field == "place"
    open_activity.refresh_from_db()
    assert open_activity.place == "会所多功能厅"
    services.activity_update(actor=director, activity=open_activity, description="带孩子", now=NOW)
    open_activity.refresh_from_db()
    assert open_activity.description == "带孩子"


# --- registration and the waiting list --------------------------------------------------------


def test_m07_full_activity_puts_people_on_a_waiting_list_in_order(
    open_activity, customer, make_customer, at
):
    a, b, c = make_customer(), make_customer(), make_customer()
    first = services.register(activity=open_activity, customer=customer, now=at(1))
    second = services.register(activity=open_activity, customer=a, now=at(2))
    third = services.register(activity=open_activity, customer=b, now=at(3))
    fourth = services.register(activity=open_activity, customer=c, now=at(4))
    assert _states(first, second, third, fourth) == (R.CONFIRMED, R.CONFIRMED, R.WAITING, R.WAITING)
    assert [services.waiting_position(r) for r in (third, fourth)] == [1, 2]
    assert services.seats_taken(open_activity) == 2
    assert _messages(b, "activity_waitlisted").get().body.count("number 1") == 1


def test_m07_cancelling_moves_the_waiting_list_up(open_activity, customer, make_customer, at):
    a, b, c = make_customer(), make_customer(), make_customer()
    first = services.register(activity=open_activity, customer=customer, now=at(1))
    services.register(activity=open_activity, customer=a, now=at(2))
    waiting = services.register(activity=open_activity, customer=b, now=at(3))
    last = services.register(activity=open_activity, customer=c, now=at(4))
    services.registration_cancel(registration=first, customer=customer, now=at(5))
    assert _states(first, waiting, last) == (R.CANCELLED, R.CONFIRMED, R.WAITING)
    assert services.waiting_position(last) == 1
    assert _messages(b, "activity_promoted").count() == 1
    kinds = list(open_activity.events.values_list("kind", flat=True))
    assert kinds[:2] == [ActivityEvent.Kind.PROMOTED, ActivityEvent.Kind.WITHDRAWN]


def test_m07_a_party_that_does_not_fit_keeps_its_place_and_the_next_who_fits_moves_up(
    make_activity, director, customer, make_customer, at
):
    activity = services.activity_publish(
        actor=director, activity=make_activity(capacity=3), notify_customers=False, now=NOW
    )
    family, single, late = make_customer(), make_customer(), make_customer()
    one = services.register(activity=activity, customer=customer, seats=2, now=at(1))
    services.register(activity=activity, customer=make_customer(), seats=1, now=at(2))
    big = services.register(activity=activity, customer=family, seats=3, now=at(3))
    small = services.register(activity=activity, customer=single, seats=1, now=at(4))
    services.register(activity=activity, customer=late, seats=2, now=at(5))
    services.registration_cancel(registration=one, customer=customer, now=at(6))
    # Two places free: the family of three does not fit yet; the single does, and so on.
    assert _states(big, small) == (R.WAITING, R.CONFIRMED)
    assert services.waiting_position(big) == 1
    assert services.seats_taken(activity) == 2


def test_m07_a_newcomer_does_not_jump_the_waiting_list(open_activity, customer, make_customer, at):
    a, b = make_customer(), make_customer()
    services.register(activity=open_activity, customer=customer, now=at(1))
    services.register(activity=open_activity, customer=a, seats=2, now=at(2))  # waits (1 left)
    late = services.register(activity=open_activity, customer=b, now=at(3))
    assert late.state == R.WAITING  # one place is free, but someone was waiting first
    assert services.waiting_position(late) == 2


def test_m07_registering_twice_gets_a_clear_answer(open_activity, customer, make_customer, at):
    services.register(activity=open_activity, customer=customer, now=at(1))
    with pytest.raises(Conflict) as err:
        services.register(activity=open_activity, customer=customer, now=at(2))
    assert err.value.code == "already_registered"
    assert "confirmed" in str(err.value.message)
    a, b = make_customer(), make_customer()
    services.register(activity=open_activity, customer=a, now=at(3))
    services.register(activity=open_activity, customer=b, now=at(4))
    with pytest.raises(Conflict) as err:
        services.register(activity=open_activity, customer=b, now=at(5))
    assert "waiting list, number 1" in str(err.value.message)
    assert open_activity.registrations.count() == 3


def test_m07_one_may_register_again_after_cancelling(open_activity, customer, at):
    first = services.register(activity=open_activity, customer=customer, now=at(1))
    services.registration_cancel(registration=first, customer=customer, now=at(2))
    again = services.register(activity=open_activity, customer=customer, now=at(3))
    assert again.state == R.CONFIRMED and again.pk != first.pk


@pytest.mark.parametrize("seats", [0, 6, "2", None, True])
def test_m07_the_number_of_people_is_checked(open_activity, customer, seats):
    with pytest.raises(DomainError) as err:
        services.register(activity=open_activity, customer=customer, seats=seats, now=NOW)
    assert err.value.field == "seats"
    assert not open_activity.registrations.exists()


def test_m07_registration_closes(make_activity, director, customer):
    activity = make_activity(registration_closes_at=START - dt.timedelta(days=1))
    with pytest.raises(Conflict):  # a draft takes no registrations
        services.register(activity=activity, customer=customer, now=NOW)
    services.activity_publish(actor=director, activity=activity, notify_customers=False, now=NOW)
    with pytest.raises(Conflict) as err:
        services.register(activity=activity, customer=customer, now=START - dt.timedelta(hours=2))
    assert err.value.code == "registration_closed"


def test_m07_staff_register_a_caller_of_their_office_only(
    open_activity, agent, other_agent, technician, customer, other_customer
):
    registration = services.register(
        activity=open_activity, customer=customer, actor=agent, note="电话报名", now=NOW
    )
    assert (registration.channel, registration.registered_by) == ("staff", agent)
    with pytest.raises(DomainError) as err:  # a customer the activity is not for
        services.register(activity=open_activity, customer=other_customer, actor=agent, now=NOW)
    assert err.value.code == "not_invited"
    with pytest.raises(Forbidden):
        services.register(activity=open_activity, customer=customer, actor=other_agent, now=NOW)
    with pytest.raises(Forbidden):
        services.register(activity=open_activity, customer=customer, actor=technician, now=NOW)


def test_m07_a_customer_cancels_only_their_own(open_activity, customer, make_customer, at):
    mine = services.register(activity=open_activity, customer=customer, now=at(1))
    with pytest.raises(NotFound):
        services.registration_cancel(registration=mine, customer=make_customer(), now=at(2))
    assert _states(mine) == (R.CONFIRMED,)


def test_m07_a_larger_capacity_moves_the_list_up_a_smaller_one_drops_nobody(
    open_activity, director, customer, make_customer, at
):
    a, b = make_customer(), make_customer()
    services.register(activity=open_activity, customer=customer, now=at(1))
    services.register(activity=open_activity, customer=a, now=at(2))
    waiting = services.register(activity=open_activity, customer=b, now=at(3))
    with pytest.raises(Conflict) as err:
        services.activity_update(actor=director, activity=open_activity, capacity=1, now=at(4))
    assert err.value.field == "capacity"
    services.activity_update(actor=director, activity=open_activity, capacity=3, now=at(4))
    assert _states(waiting) == (R.CONFIRMED,)


# --- the day, attendance and feedback ---------------------------------------------------------


def test_m07_check_in_on_the_day_attendance_and_feedback(
    open_activity, agent, director, customer, make_customer, at
):
    came = services.register(activity=open_activity, customer=customer, now=at(1))
    stayed_home = services.register(activity=open_activity, customer=make_customer(), now=at(2))
    waiting = services.register(activity=open_activity, customer=make_customer(), now=at(3))
    with pytest.raises(Conflict) as err:  # the day before
        services.registration_check_in(
            actor=agent, registration=came, now=START - dt.timedelta(days=1)
        )
    assert err.value.code == "not_the_day"
    with pytest.raises(Conflict):  # not confirmed
        services.registration_check_in(actor=agent, registration=waiting, now=START)
    services.registration_check_in(
        actor=agent, registration=came, now=START - dt.timedelta(hours=1)
    )
    with pytest.raises(Conflict):
        services.registration_check_in(actor=agent, registration=came, now=START)
    with pytest.raises(Conflict) as err:  # checked in early, but it has not started
        services.registration_feedback(
            registration=came, customer=customer, rating=5, now=START - dt.timedelta(minutes=30)
        )
    assert err.value.code == "not_started"
    with pytest.raises(Conflict):  # not before it starts
        services.activity_finish(
            actor=director, activity=open_activity, now=START - dt.timedelta(hours=1)
        )
    end = START + dt.timedelta(hours=2)
    services.activity_finish(actor=director, activity=open_activity, now=end)
    assert _states(came, stayed_home, waiting) == (R.ATTENDED, R.ABSENT, R.CANCELLED)
    assert _messages(customer, "activity_feedback").count() == 1
    with pytest.raises(Conflict):  # only those who came
        services.registration_feedback(
            registration=stayed_home, customer=stayed_home.customer, rating=5, now=end
        )
    with pytest.raises(DomainError) as err:
        services.registration_feedback(registration=came, customer=customer, rating=7, now=end)
    assert err.value.field == "rating"
    services.registration_feedback(
        registration=came, customer=customer, rating=4, comment="很开心", now=end
    )
    with pytest.raises(Conflict):  # once
        services.registration_feedback(registration=came, customer=customer, rating=5, now=end)
    result = selectors.summary(open_activity)
    assert (result.attended, result.absent, result.feedback, result.rating) == (1, 1, 1, 4.0)


def test_m07_staff_record_feedback_told_by_phone(
    open_activity, agent, followup, director, customer
):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    services.registration_check_in(actor=agent, registration=registration, now=START)
    services.activity_finish(
        actor=director, activity=open_activity, now=START + dt.timedelta(hours=2)
    )
    services.registration_feedback(registration=registration, actor=followup, rating=5, now=START)
    registration.refresh_from_db()
    assert registration.rating == 5


# --- cancelling the activity ------------------------------------------------------------------


def test_m07_cancelling_tells_everyone_and_corrects_the_announcement(
    open_activity, director, customer, make_customer, at
):
    waiting_customer = make_customer()
    services.register(activity=open_activity, customer=customer, now=at(1))
    services.register(activity=open_activity, customer=make_customer(), seats=1, now=at(2))
    services.register(activity=open_activity, customer=waiting_customer, now=at(3))
    with pytest.raises(DomainError) as err:
        services.activity_cancel(actor=director, activity=open_activity, reason=" ", now=at(4))
    assert err.value.field == "reason"
    services.activity_cancel(actor=director, activity=open_activity, reason="台风预警", now=at(4))
    assert not open_activity.registrations.exclude(state=R.CANCELLED).exists()
    for someone in (customer, waiting_customer):
        assert "台风预警" in _messages(someone, "activity_cancelled").get().body
    notice = Notice.objects.get(pk=open_activity.notice_id)
    assert notice.revisions.count() == 2 and "台风预警" in notice.body
    with pytest.raises(Conflict):
        services.register(activity=open_activity, customer=make_customer(), now=at(5))


def test_m07_audit_history_of_every_change(open_activity, director, customer):
    registration = services.register(activity=open_activity, customer=customer, now=NOW)
    services.registration_cancel(registration=registration, customer=customer, now=NOW)
    assert registration.history.count() == 2
    assert open_activity.history.count() >= 2  # created, published


# --- the reminder job -------------------------------------------------------------------------


def test_m07_reminders_a_day_ahead_once(open_activity, customer, make_customer):
    from propdesk.core.jobs import run_job

    services.register(activity=open_activity, customer=customer, now=NOW)
    waiting = make_customer()
    services.register(activity=open_activity, customer=make_customer(), now=NOW)
    services.register(activity=open_activity, customer=waiting, now=NOW)
    two_days_before = START - dt.timedelta(days=2)
    assert services.send_reminders(now=two_days_before) == {"reminded": 0}
    day_before = START - dt.timedelta(hours=20)
    run_job("activity_reminders", now=day_before)
    run_job("activity_reminders", now=day_before + dt.timedelta(hours=1))
    assert _messages(customer, "activity_reminder").count() == 1
    assert not _messages(waiting, "activity_reminder").exists()


def test_m07_the_company_sees_every_office_staff_their_own(
    open_activity, agent, other_agent, quality
):
    assert list(selectors.activities_for_user(agent)) == [open_activity]
    assert list(selectors.activities_for_user(other_agent)) == []
    assert list(selectors.activities_for_user(quality)) == [open_activity]
    with pytest.raises(NotFound):
        selectors.activity_get(other_agent, open_activity.pk)
