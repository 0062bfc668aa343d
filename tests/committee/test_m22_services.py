"""M22: the office meets its owners' committee and representatives every month; every opinion
ends as an action or a reasoned answer; progress is fed back; a month without a meeting is
flagged once."""

import datetime as dt

import pytest

from propdesk.committee import services
from propdesk.committee.models import Action, CommitteeEvent, Item, Meeting, MissedMonth
from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.models import Notification
from propdesk.tickets.models import Channel, Contact

from .conftest import DUE, HELD, NOW


def _decide_all(meeting, director, agent, department):
    first, second = meeting.items.order_by("pk")
    services.item_act(
        actor=director,
        item=first,
        title="修电梯",
        owner=agent,
        department=department,
        due_on=DUE,
        now=NOW,
    )
    services.item_answer(
        actor=director, item=second, answer="绿化带归市政管理，已转告街道。", now=NOW
    )


def test_m22_every_opinion_ends_as_an_action_or_a_reasoned_answer(
    held, director, agent, department
):
    assert set(held.items.values_list("state", flat=True)) == {Item.State.OPEN}
    _decide_all(held, director, agent, department)
    first, second = held.items.order_by("pk")
    assert first.state == Item.State.ACTION and first.action.owner == agent
    assert second.state == Item.State.ANSWERED and "市政" in second.answer
    # Decided once: a second decision is refused, and the first stands.
    with pytest.raises(Conflict) as err:
        services.item_answer(actor=director, item=first, answer="不做了", now=NOW)
    assert err.value.code == "item_decided"
    first.refresh_from_db()
    assert first.state == Item.State.ACTION and first.answer == ""


def test_m22_an_answer_needs_its_reason(held, director):
    item = held.items.first()
    with pytest.raises(DomainError) as err:
        services.item_answer(actor=director, item=item, answer="  ", now=NOW)
    assert err.value.field == "answer"
    item.refresh_from_db()
    assert item.state == Item.State.OPEN


@pytest.mark.parametrize(
    ("missing", "field"), [("owner", "owner"), ("due_on", "due_on"), ("department", "department")]
)
def test_m22_an_action_without_owner_department_or_due_date_is_refused(
    held, director, agent, department, missing, field
):
    item = held.items.first()
    kwargs = {"owner": agent, "department": department, "due_on": DUE}
    kwargs[missing] = None
    with pytest.raises(DomainError) as err:
        services.item_act(actor=director, item=item, title="修电梯", now=NOW, **kwargs)
    assert err.value.field == field and str(err.value.message)
    item.refresh_from_db()
    assert item.state == Item.State.OPEN and not Action.objects.exists()


def test_m22_an_action_due_in_the_past_is_refused(held, director, agent, department):
    with pytest.raises(DomainError) as err:
        services.item_act(
            actor=director,
            item=held.items.first(),
            title="修电梯",
            owner=agent,
            department=department,
            due_on=dt.date(2026, 6, 1),
            now=NOW,
        )
    assert err.value.field == "due_on" and not Action.objects.exists()


def test_m22_minutes_for_a_meeting_in_the_future_are_refused(committee, agent, chair):
    future = services.meeting_plan(
        actor=agent,
        committee=committee,
        planned_for=NOW + dt.timedelta(days=3),
        place="会议室",
        agenda="年度计划",
        now=NOW,
    )
    with pytest.raises(DomainError) as err:
        services.meeting_hold(
            actor=agent, meeting=future, minutes="提前写好的纪要", seats=[chair], now=NOW
        )
    assert err.value.field == "held_at" and err.value.code == "meeting_in_future"
    future.refresh_from_db()
    assert future.state == Meeting.State.PLANNED and future.minutes == "" and future.version == 1
    assert not Contact.objects.exists()


def test_m22_a_meeting_held_without_anyone_of_the_committee_is_refused(planned, agent):
    with pytest.raises(DomainError) as err:
        services.meeting_hold(actor=agent, meeting=planned, minutes="纪要", seats=[], now=NOW)
    assert err.value.field == "seats"
    planned.refresh_from_db()
    assert planned.state == Meeting.State.PLANNED


def test_m22_a_seat_of_another_committee_cannot_attend(planned, agent, other_committee):
    stranger = other_committee.seats.get()
    with pytest.raises(DomainError) as err:
        services.meeting_hold(
            actor=agent, meeting=planned, minutes="纪要", seats=[stranger], now=NOW
        )
    assert err.value.field == "seats"


def test_m12_attendees_have_the_meeting_on_their_history(held, chair, representative, outsider):
    contacts = Contact.objects.filter(channel=Channel.MEETING)
    assert sorted(contacts.values_list("customer_id", flat=True)) == sorted(
        [chair.customer_id, representative.customer_id]
    )
    assert all(c.at == HELD and "电梯维保" in c.summary for c in contacts)
    assert not contacts.filter(customer=outsider).exists()
    assert set(held.staff_attendees.values_list("username", flat=True)) == {"agent", "director"}


def test_m22_members_are_told_of_each_action_update(
    action, agent, director, quality, chair, representative, outsider
):
    def told(customer):
        return Notification.objects.filter(
            customer=customer, event="committee_progress", channel="in_app"
        )

    services.action_progress(actor=agent, action=action, text="控制板已订货", progress=40, now=NOW)
    services.action_done(actor=agent, action=action, text="已更换并试运行", now=NOW)
    services.action_verify(actor=quality, action=action, text="复查运行正常", now=NOW)
    action.refresh_from_db()
    assert action.state == Action.State.VERIFIED and action.progress == 100
    for seat in (chair, representative):
        bodies = list(told(seat.customer).order_by("pk").values_list("body", flat=True))
        assert len(bodies) == 3 and "40%" in bodies[0] and "复查运行正常" in bodies[2]
    assert not told(outsider).exists()
    assert list(action.updates.order_by("at", "pk").values_list("progress", flat=True)) == [
        40,
        100,
        100,
    ]


def test_m22_progress_is_the_owners_or_the_directors(action, technician, director):
    with pytest.raises(Forbidden) as err:
        services.action_progress(actor=technician, action=action, text="我来报", now=NOW)
    assert err.value.code == "not_your_action"
    services.action_progress(actor=director, action=action, text="督办中", progress=10, now=NOW)
    action.refresh_from_db()
    assert action.progress == 10 and action.version == 2


def test_m22_a_stale_version_changes_nothing(action, agent):
    with pytest.raises(Conflict):
        services.action_progress(
            actor=agent, action=action, text="旧页面", progress=90, expected_version=0, now=NOW
        )
    action.refresh_from_db()
    assert action.progress == 0 and not action.updates.exists()


def test_m22_verification_can_send_an_action_back(action, agent, director):
    services.action_done(actor=agent, action=action, text="已处理", now=NOW)
    services.action_reopen(actor=director, action=action, text="3栋仍停运", now=NOW)
    action.refresh_from_db()
    assert action.state == Action.State.OPEN and action.done_at is None
    assert Notification.objects.filter(user=agent, event="committee_action_reopened").exists()


def test_m22_a_month_without_a_meeting_is_flagged_exactly_once(
    committee, other_committee, held, director
):
    july = dt.datetime(2026, 7, 3, 1, 0, tzinfo=dt.UTC)
    first = services.flag_missed_months(now=july)
    # June: this office met (``held``), the other office did not.
    assert first == {"month": "2026-06-01", "flagged": 1}
    flag = MissedMonth.objects.get()
    assert flag.office == other_committee.office and flag.month == dt.date(2026, 6, 1)
    again = services.flag_missed_months(now=july + dt.timedelta(days=1))
    assert again["flagged"] == 0 and MissedMonth.objects.count() == 1
    assert CommitteeEvent.objects.filter(kind="missed").count() == 1


def test_m22_a_cancelled_or_merely_planned_meeting_does_not_count(planned, director):
    services.meeting_cancel(actor=director, meeting=planned, reason="台风", now=NOW)
    services.flag_missed_months(now=dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.UTC))
    assert MissedMonth.objects.filter(office=planned.office, month=dt.date(2026, 6, 1)).exists()
    assert Notification.objects.filter(user=director, event="committee_month_missed").exists()


def test_m22_months_before_the_committee_existed_are_not_flagged(director, office):
    services.committee_create(
        actor=director, office=office, name="新业委会", established_on=dt.date(2026, 6, 5), now=NOW
    )
    assert services.flag_missed_months(now=dt.datetime(2026, 7, 2, tzinfo=dt.UTC))["flagged"] == 0


def test_m22_overdue_actions_alert_their_owner_once_a_day(action, agent):
    late = dt.datetime(2026, 7, 2, 1, 0, tzinfo=dt.UTC)
    assert services.overdue_action_alerts(now=late) == {"reminded": 1}
    assert services.overdue_action_alerts(now=late + dt.timedelta(hours=3)) == {"reminded": 0}
    assert services.overdue_action_alerts(now=late + dt.timedelta(days=1)) == {"reminded": 1}
    alerts = Notification.objects.filter(user=agent, event="committee_action_overdue")
    assert alerts.filter(channel="in_app").count() == 2
    assert action.events.filter(kind="overdue").count() == 1


def test_m22_members_are_owners_and_there_is_one_chair(committee, director, office, chair):
    from tests import factories as f

    tenant = f.CustomerFactory(office=office, kind="tenant")
    with pytest.raises(DomainError) as err:
        services.seat_add(
            actor=director,
            committee=committee,
            customer=tenant,
            kind="member",
            term_from=dt.date(2026, 1, 1),
            now=NOW,
        )
    assert err.value.field == "customer"
    owner = f.CustomerFactory(office=office)
    with pytest.raises(Conflict) as err:
        services.seat_add(
            actor=director,
            committee=committee,
            customer=owner,
            kind="member",
            role="chair",
            term_from=dt.date(2026, 1, 1),
            now=NOW,
        )
    assert err.value.field == "role"
    assert committee.seats.count() == 1


def test_m22_a_member_of_another_office_cannot_be_seated(committee, director, other_customer):
    from propdesk.core.errors import NotFound

    with pytest.raises(NotFound):
        services.seat_add(
            actor=director,
            committee=committee,
            customer=other_customer,
            kind="member",
            term_from=dt.date(2026, 1, 1),
            now=NOW,
        )
