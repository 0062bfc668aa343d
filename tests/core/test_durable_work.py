"""Durable background work, in one process: lanes, the delivery gate, a broker that is down,
deferred work the sweeper finishes, the repeat window of a delivery, and e-mail settings.

The same guarantees with a real Celery worker killed by SIGKILL, a real Redis stopped and
PostgreSQL are in ``test_durable_work_live.py``."""

import datetime as dt
import os
import subprocess
import sys
import zoneinfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError as BrokerDown

from propdesk.core import background, delivery
from propdesk.core.models import DeferredTask, Notification
from propdesk.core.notify import notify

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=SHANGHAI)
Lane = Notification.Lane


class RecordingSms:
    """The gateway: remembers each key it was given, in order; may die after sending."""

    sent: list = []
    die_after = None  # a key on which the run is killed after the gateway took the message

    def send(self, *, to, text, key):
        RecordingSms.sent.append(key)
        if key == RecordingSms.die_after:
            RecordingSms.die_after = None
            raise KeyboardInterrupt("killed after sending")


@pytest.fixture(autouse=True)
def sms(settings):
    settings.PROPDESK_SMS_BACKEND = "tests.core.test_durable_work.RecordingSms"
    settings.PROPDESK_QUIET_HOURS = (22, 8)
    RecordingSms.sent, RecordingSms.die_after = [], None
    cache.clear()  # the delivery gates
    yield RecordingSms
    cache.clear()


def message(customer, *, now=NOON, **kwargs) -> Notification:
    rows = notify(
        event="test",
        subject="Code",
        body="Your code is %(code)s",
        context={"code": "123456"},
        customer=customer,
        channels=["sms"],
        now=now,
        **kwargs,
    )
    return rows[0]


def bulk_messages(customer, n: int, *, now=NOON) -> None:
    Notification.objects.bulk_create(
        [
            Notification(
                event="notice_published",
                channel="sms",
                customer=customer,
                address="+8613900000000",
                language="en",
                subject="Notice",
                body="Water off on Saturday",
                next_attempt_at=now - dt.timedelta(minutes=1),  # older than anything urgent
            )
            for _ in range(n)
        ]
    )


# --- lanes --------------------------------------------------------------------------------


def test_urgent_and_request_messages_go_in_the_urgent_lane_the_rest_in_bulk(customer, make_ticket):
    assert message(customer, urgent=True).lane == Lane.URGENT  # a sign-in code, an emergency
    assert message(customer).lane == Lane.BULK
    make_ticket()  # the customer hears the request was received: its own update
    received = Notification.objects.get(event="ticket.received", channel="sms")
    assert received.lane == Lane.URGENT and not received.urgent  # still quiet at night


def test_the_urgent_lane_is_sent_before_older_bulk_messages(customer, sms):
    bulk_messages(customer, 30)
    code = message(customer, urgent=True)
    assert delivery.deliver_due(now=NOON, lane=Lane.URGENT) == 1
    assert sms.sent == [delivery.idempotency_key(code)]  # no bulk message sent by its run
    sms.sent.clear()
    code2 = message(customer, urgent=True)
    assert delivery.deliver_due(now=NOON, limit=10) == 11
    assert sms.sent[0] == delivery.idempotency_key(code2)  # first, though the newest


@pytest.mark.parametrize(("seconds", "position"), [(60, delivery.BATCH), (0, 3)])
def test_a_bulk_run_looks_at_the_urgent_lane_before_each_batch(
    customer, sms, monkeypatch, seconds, position
):
    """A batch ends after ``BATCH`` messages or ``URGENT_EVERY`` seconds, whichever is first."""
    monkeypatch.setattr(delivery, "URGENT_EVERY", seconds)
    bulk_messages(customer, delivery.BATCH * 2 + 5)
    late = []

    def send(self, *, to, text, key):
        RecordingSms.sent.append(key)
        if len(RecordingSms.sent) == 3 and not late:  # a code requested while bulk is sent
            late.append(message(customer, urgent=True, now=NOON))

    monkeypatch.setattr(RecordingSms, "send", send)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOON)
    assert delivery.run_lane(Lane.BULK) == delivery.BATCH * 2 + 6
    # Sent right after the batch it arrived in, not after the 105 bulk messages.
    assert sms.sent.index(delivery.idempotency_key(late[0])) == position


def test_delivery_finds_a_lanes_due_messages_through_its_index(customer):
    bulk_messages(customer, 50)
    query = delivery.due(Lane.URGENT, now=NOON).values_list("pk", flat=True)[:200]
    with CaptureQueriesContext(connection) as queries:
        list(query)
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a small table: could it?
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "notification_lane_due" in plan, plan
    assert "SORT" not in plan.upper(), plan  # the index gives the order too


# --- one waiting delivery task per lane ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_hundred_commits_queue_one_delivery_task_per_lane(customer, monkeypatch):
    queued = []
    monkeypatch.setattr(
        delivery.deliver_notifications,
        "apply_async",
        lambda kwargs, **options: queued.append((kwargs["lane"], options.get("queue"))),
    )
    for _ in range(200):
        with transaction.atomic():
            message(customer)
            message(customer, urgent=True)
    assert sorted(queued) == [("bulk", None), ("urgent", "propdesk.urgent")]
    delivery.open_gate(Lane.BULK)  # the bulk run starts: the next commit may queue another
    with transaction.atomic():
        message(customer)
        message(customer, urgent=True)
    assert sorted(queued) == [("bulk", None), ("bulk", None), ("urgent", "propdesk.urgent")]


# --- a broker that is down -----------------------------------------------------------------


def test_a_broker_that_is_down_leaves_the_change_committed_and_the_work_owed(
    customer, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(delivery.deliver_notifications, "apply_async", down)
    monkeypatch.setattr(background.run_deferred, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):  # raises nothing
        code = message(customer, urgent=True)
        work = background.defer("tests.core.test_durable_work.tally", key="tally:1")
    assert "Connection refused" in caplog.text
    assert not cache.get(delivery._gate(Lane.URGENT))  # the next commit will try again
    assert Notification.objects.get(pk=code.pk).state == "pending"
    assert DeferredTask.objects.get(pk=work.pk).finished_at is None


# --- deferred work and the sweeper ---------------------------------------------------------

ran: list = []


def tally(**kwargs):
    ran.append(kwargs)
    return len(ran)


def test_the_sweeper_finishes_work_that_was_never_run_once(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    ran.clear()
    monkeypatch.setattr(background, "send", lambda pk: False)  # the broker was down
    with django_capture_on_commit_callbacks(execute=True):
        work = background.defer("tests.core.test_durable_work.tally", key="tally:2", n=2)
    monkeypatch.undo()
    now = work.created_at
    assert background.sweep(now=now)["resent"] == 0  # not due yet: its send may be on the way
    later = now + background.LEASE
    assert background.sweep(now=later)["resent"] == 1  # runs it (in-process: no broker)
    assert background.sweep(now=later + background.LEASE)["resent"] == 0  # finished
    work.refresh_from_db()
    assert ran == [{"n": 2}] and work.finished_at and work.attempts == 1


def test_two_sweepers_at_once_send_each_piece_of_work_once(db, monkeypatch):
    sent = []
    monkeypatch.setattr(background, "send", lambda pk: sent.append(pk) or True)
    work = [background.defer("tests.core.test_durable_work.tally", key=f"t:{i}") for i in range(3)]
    later = work[-1].created_at + background.LEASE
    # Both see the same three due; each piece is claimed by one of them only.
    assert background.sweep(now=later)["resent"] == 3
    assert background.sweep(now=later)["resent"] == 0
    assert sorted(sent) == sorted(w.pk for w in work)


def fail_once(**kwargs):
    ran.append(kwargs)
    if len(ran) == 1:
        raise RuntimeError("the database went away")


def test_failed_work_is_retried_after_a_pause(db, django_capture_on_commit_callbacks, caplog):
    ran.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the failure does not propagate
        work = background.defer("tests.core.test_durable_work.fail_once", key="fail:1")
    work.refresh_from_db()
    assert work.finished_at is None and "went away" in work.last_error
    assert background.sweep(now=work.next_run_at - dt.timedelta(seconds=1))["resent"] == 0
    assert background.sweep(now=work.next_run_at)["resent"] == 1
    work.refresh_from_db()
    assert work.finished_at and work.attempts == 2 and len(ran) == 2


def test_the_sweeper_starts_a_run_for_each_lane_with_messages_due(customer, monkeypatch):
    monkeypatch.setattr("propdesk.core.notify._schedule_delivery", lambda: None)
    message(customer, urgent=True)
    kicked = []
    monkeypatch.setattr(delivery, "kick", kicked.append)
    assert background.sweep(now=NOON)["lanes"] == "urgent"
    assert kicked == [Lane.URGENT]


# --- the repeat window -----------------------------------------------------------------------


def test_a_message_sent_by_a_run_that_died_is_repeated_only_after_the_lease(customer, sms):
    """The window for a repeat (docs/operations.md#guarantees): a run killed after the gateway
    took a message and before recording it leaves the message claimed for ``LEASE``; the first
    delivery run after that sends it again, with the same key."""
    assert dt.timedelta(seconds=30) == delivery.LEASE
    sent = message(customer)
    key = delivery.idempotency_key(sent)
    sms.die_after = key
    with pytest.raises(KeyboardInterrupt):
        delivery.deliver_due(now=NOON)
    just_before = NOON + delivery.LEASE - dt.timedelta(seconds=1)
    assert delivery.deliver_due(now=just_before) == 0
    assert delivery.deliver_due(now=NOON + delivery.LEASE + dt.timedelta(seconds=1)) == 1
    assert sms.sent == [key, key]  # the same key: a gateway that honours it sends once
    assert delivery.deliver_due(now=NOON + 10 * delivery.LEASE) == 0


def test_an_email_carries_its_key_as_its_message_id(agent, settings):
    settings.DEFAULT_FROM_EMAIL = "Service Center <service@wuye.example.com>"
    agent.email = "agent@wuye.example.com"
    [_inbox, email] = notify(event="x", subject="Hello", body="Body", user=agent)
    delivery.deliver_due(now=email.next_attempt_at)
    sent = mail.outbox[0].message()
    assert sent["Message-ID"] == f"<propdesk-notification-{email.pk}@wuye.example.com>"


# --- e-mail settings -----------------------------------------------------------------------


def settings_from(env: dict) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
        "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL, "
        "s.SERVER_EMAIL, s.EMAIL_BACKEND)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "propdesk.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_email_setting_comes_from_the_environment():
    run = settings_from(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example.com",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "propdesk",
            "EMAIL_HOST_PASSWORD": "s3cret",
            "EMAIL_USE_TLS": "true",
            "EMAIL_TIMEOUT": "7",
            "DEFAULT_FROM_EMAIL": "service@example.com",
            "SERVER_EMAIL": "errors@example.com",
        }
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "smtp.example.com",
        "587",
        "propdesk",
        "s3cret",
        "True",
        "False",
        "7",
        "service@example.com",
        "errors@example.com",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_tls_and_ssl_at_once_are_refused_at_start_up():
    run = settings_from({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"})
    assert run.returncode != 0 and "EMAIL_USE_TLS or EMAIL_USE_SSL, not both" in run.stderr
