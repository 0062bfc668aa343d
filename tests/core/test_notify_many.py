"""core.notify.notify_many: one bulk insert for many customers, on their own channels."""

import pytest
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import Notification
from propdesk.core.notify import muted, notify_many
from tests import factories as f
from tests.queries import max_queries

pytestmark = pytest.mark.django_db


def test_notify_many_honours_channels_languages_and_dedupe(office):
    zh = f.CustomerFactory(office=office, language="zh-hans", notify_by_sms=True)
    en = f.CustomerFactory(
        office=office, language="en", notify_by_sms=False, notify_by_email=True, email="a@b.cn"
    )
    no_mail = f.CustomerFactory(office=office, notify_by_sms=False, notify_by_email=True)
    with max_queries(4):
        written = notify_many(
            event="test",
            subject=_("Notice: %(title)s"),
            body="%(title)s",
            context={"title": "停水"},
            customers=[zh, en, no_mail],
            dedupe_key="t:1",
        )
    assert written == 5  # three in-app, one SMS, one e-mail; no address, no e-mail
    rows = Notification.objects.filter(event="test")
    sms = rows.get(channel="sms")
    assert sms.customer == zh and sms.address == zh.phones.get().number
    assert sms.state == Notification.State.PENDING
    assert rows.get(channel="email").address == "a@b.cn"
    assert rows.get(customer=en, channel="in_app").language == "en"
    assert rows.get(customer=en, channel="in_app").state == Notification.State.SENT
    assert (
        notify_many(
            event="test", subject="s", body="b", customers=[zh, en, no_mail], dedupe_key="t:1"
        )
        == 0
    )
    assert rows.count() == 5


def test_notify_many_is_silent_when_muted(office):
    with muted():
        assert (
            notify_many(
                event="x",
                subject="s",
                body="b",
                customers=[f.CustomerFactory(office=office)],
                dedupe_key="k",
            )
            == 0
        )
    assert not Notification.objects.exists()
