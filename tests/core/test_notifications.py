"""The outbox: written with its cause, delivered exactly once, retried, quiet at night."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from propdesk.core import delivery
from propdesk.core.models import Notification
from propdesk.core.notify import notify
from tests.queries import assert_queries

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=SHANGHAI)
SUBJECT = _("Request %(number)s received")
BODY = _("We have received your request %(number)s.")


class RecordingSms:
    """Stands in for the SMS gateway (it leaves the process); remembers every key it was given."""

    sent: list = []
    fail_next = 0
    die_before = None  # a key on which the run is killed before sending

    def send(self, *, to, text, key):
        if key == RecordingSms.die_before:
            RecordingSms.die_before = None
            raise KeyboardInterrupt("killed mid-run")
        if RecordingSms.fail_next:
            RecordingSms.fail_next -= 1
            raise OSError("gateway down")
        RecordingSms.sent.append(key)


@pytest.fixture(autouse=True)
def sms(settings):
    settings.PROPDESK_SMS_BACKEND = "tests.core.test_notifications.RecordingSms"
    settings.PROPDESK_QUIET_HOURS = (22, 8)
    RecordingSms.sent, RecordingSms.fail_next, RecordingSms.die_before = [], 0, None
    return RecordingSms


def tell(customer, **kwargs):
    return notify(
        event="ticket.received",
        subject=SUBJECT,
        body=BODY,
        context={"number": "261127000001"},
        customer=customer,
        now=kwargs.pop("now", NOON),
        **kwargs,
    )


def test_a_message_is_written_in_the_recipients_language_on_each_channel(customer, agent):
    rows = tell(customer)
    assert sorted(r.channel for r in rows) == ["in_app", "sms"]
    sms_row = next(r for r in rows if r.channel == "sms")
    assert sms_row.address == "+8613912345678" and sms_row.language == "zh-hans"
    agent.language = "en"
    [staff_row] = notify(event="x", subject=SUBJECT, body=BODY, context={"number": "7"}, user=agent)
    assert staff_row.body == "We have received your request 7." and staff_row.channel == "in_app"


def test_no_message_survives_a_rolled_back_change(customer):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(customer)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


def test_the_same_cause_notifies_once(customer):
    tell(customer, dedupe_key="ticket:1:received")
    tell(customer, dedupe_key="ticket:1:received")
    assert Notification.objects.count() == 2  # one in-app, one SMS


def test_a_key_said_unseen_is_not_looked_for_and_still_written_once(customer):
    # ``unseen`` spares the look for what was written already (a request just created); if the
    # caller were wrong, the unique key would still keep the message from being written twice.
    with assert_queries(2):  # the phone; the insert
        tell(customer, dedupe_key="ticket:1:received", unseen=True)
    tell(customer, dedupe_key="ticket:1:received", unseen=True)
    assert Notification.objects.count() == 2


def test_one_change_that_writes_many_messages_schedules_one_delivery_run(
    customer, other_customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        tell(customer)
        tell(other_customer)
    assert Notification.objects.filter(channel="sms").count() == 2
    assert len(callbacks) == 1  # one run delivers both


def test_delivery_sends_each_message_once(customer, sms):
    tell(customer)
    tell(customer)
    assert delivery.deliver_due(now=NOON) == 2
    assert delivery.deliver_due(now=NOON + dt.timedelta(hours=1)) == 0
    assert len(sms.sent) == len(set(sms.sent)) == 2
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_a_failed_send_is_retried_later_then_given_up(customer, sms):
    [_inbox, message] = tell(customer)
    sms.fail_next = 99
    now = NOON
    for _attempt in range(delivery.MAX_ATTEMPTS):
        message.refresh_from_db()
        now = max(now, message.next_attempt_at)
        delivery.deliver_due(now=now)
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert "gateway down" in message.last_error and sms.sent == []


def test_a_retry_waits_and_then_succeeds(customer, sms):
    [_inbox, message] = tell(customer)
    sms.fail_next = 1
    assert delivery.deliver_due(now=NOON) == 0
    message.refresh_from_db()
    assert message.state == "pending" and message.next_attempt_at > NOON
    assert delivery.deliver_due(now=NOON) == 0  # not due yet
    assert delivery.deliver_due(now=message.next_attempt_at) == 1


def test_quiet_hours_hold_non_urgent_sms_until_morning(customer, sms):
    night = dt.datetime(2026, 11, 27, 23, 30, tzinfo=SHANGHAI)
    [_inbox, quiet] = tell(customer, now=night)
    [_inbox, urgent] = tell(customer, now=night, urgent=True)
    assert delivery.deliver_due(now=night) == 1
    quiet.refresh_from_db()
    assert quiet.state == "pending" and quiet.attempts == 0
    assert quiet.next_attempt_at == dt.datetime(2026, 11, 28, 8, 0, tzinfo=SHANGHAI)
    assert delivery.deliver_due(now=quiet.next_attempt_at) == 1


def test_killing_the_run_mid_way_still_delivers_every_message_exactly_once(customer, sms):
    messages = [tell(customer)[1] for _i in range(3)]
    sms.die_before = delivery.idempotency_key(messages[1])
    with pytest.raises(KeyboardInterrupt):
        delivery.deliver_due(now=NOON)
    # Restarted at once: the killed run's claim still holds, so nothing is sent twice.
    delivery.deliver_due(now=NOON + dt.timedelta(seconds=1))
    # After the claim lapses, the message that was in flight goes out.
    delivery.deliver_due(now=NOON + delivery.LEASE + dt.timedelta(minutes=1))
    assert sorted(sms.sent) == sorted(delivery.idempotency_key(m) for m in messages)
    assert set(Notification.objects.filter(channel="sms").values_list("state", flat=True)) == {
        "sent"
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_message_once(customer, sms, monkeypatch):
    # Each message commits on its own here; the run its commit would start (eagerly, with the
    # real clock) is left out, so that the two runs below are the ones that send.
    monkeypatch.setattr("propdesk.core.notify._schedule_delivery", lambda: None)
    for _i in range(20):
        tell(customer)
    assert not sms.sent
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            delivery.deliver_due(now=NOON)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(sms.sent) == len(set(sms.sent)) == 20
