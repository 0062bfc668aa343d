"""M05: a notice's fan-out is owed until it is done: recorded with the publication, resumed after
its last chunk when its run dies, never writing a message twice (the same with a real worker
killed by SIGKILL: tests/core/test_durable_work_live.py)."""

import pytest

from propdesk.core import background
from propdesk.core import notify as outbox
from propdesk.core.models import DeferredTask, Notification
from propdesk.notices import services
from tests.notices.test_m05_fan_out import _residents

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """The worker dies: nothing after it runs, not even ``except Exception``."""


def test_m05_a_fan_out_killed_mid_way_resumes_after_its_last_chunk(
    make_notice, director, office, monkeypatch, django_capture_on_commit_callbacks
):
    building, customers = _residents(office, 50, sms_every=2)
    notice = make_notice(scope="buildings", buildings=[building], by_notification=True)
    monkeypatch.setattr(services, "FAN_OUT_CHUNK", 10)
    real_notify_many = outbox.notify_many
    chunks = []

    def notify_many(**kwargs):
        chunks.append([c.pk for c in kwargs["customers"]])
        if len(chunks) == 3:
            raise Killed  # the third chunk's transaction never commits
        return real_notify_many(**kwargs)

    monkeypatch.setattr(services, "notify_many", notify_many)
    with pytest.raises(Killed), django_capture_on_commit_callbacks(execute=True):
        services.notice_publish(actor=director, notice=notice)

    work = DeferredTask.objects.get(key=f"notice:{notice.pk}:fan_out")
    written = Notification.objects.filter(event="notice_published")
    assert work.finished_at is None
    assert work.progress == chunks[1][-1]  # the second chunk's last customer, committed with it
    assert written.filter(channel="in_app").count() == 20

    # The sweeper, once the dead run's lease is over, runs it again: it starts at chunk three.
    assert background.sweep(now=work.next_run_at)["resent"] == 1
    assert chunks[3][0] == chunks[2][0] and len(chunks) == 3 + 3  # chunks 3, 4 and 5 only
    work.refresh_from_db()
    assert work.finished_at and work.attempts == 2
    assert written.filter(channel="in_app").count() == 50
    assert written.filter(channel="sms").count() == 25
    assert written.values("customer", "channel").distinct().count() == 75


def test_m05_publishing_records_the_fan_out_with_the_notice(
    make_notice, director, customer, django_capture_on_commit_callbacks
):
    notice = make_notice(by_notification=True)
    with django_capture_on_commit_callbacks(execute=False):
        services.notice_publish(actor=director, notice=notice)
    work = DeferredTask.objects.get()
    assert (work.key, work.kwargs) == (f"notice:{notice.pk}:fan_out", {"notice_id": notice.pk})
    assert work.func == "propdesk.notices.services.notice_fan_out" and work.finished_at is None
