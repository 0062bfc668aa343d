"""M05: publishing to 10,000 customers does not hold the request; a task writes the messages."""

import pytest

from propdesk.core.models import Notification
from propdesk.customers.models import Customer, CustomerPhone, Household, Residence, Unit
from propdesk.notices import services
from propdesk.notices.services import notice_fan_out
from tests import factories as f
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db
Channel = Notification.Channel


def _residents(office, n: int, *, sms_every: int = 0, email_every: int = 0) -> list[Customer]:
    """``n`` customers of ``office`` in one new building, made with a few bulk inserts."""
    building = f.BuildingFactory(community__office=office)
    units = Unit.objects.bulk_create(
        [Unit(building=building, number=str(1000 + i)) for i in range(max(1, n // 100))]
    )
    households = Household.objects.bulk_create([Household(office=office, unit=u) for u in units])
    customers = Customer.objects.bulk_create(
        [
            Customer(
                office=office,
                name=f"住户{i}",
                kind=Customer.Kind.OWNER,
                notify_by_sms=bool(sms_every) and i % sms_every == 0,
                notify_by_email=bool(email_every) and i % email_every == 0,
                email=f"c{i}@example.com" if email_every and i % email_every == 0 else "",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    Residence.objects.bulk_create(
        [
            Residence(customer=c, household=households[i % len(households)], kind="owner")
            for i, c in enumerate(customers)
        ],
        batch_size=1000,
    )
    CustomerPhone.objects.bulk_create(
        [
            CustomerPhone(customer=c, number=f"+86139{i:08d}", is_primary=True)
            for i, c in enumerate(customers)
        ],
        batch_size=1000,
    )
    return building, customers


def _publish_queries(django_capture_on_commit_callbacks, director, notice):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        count_queries() as queries,
    ):
        services.notice_publish(actor=director, notice=notice)
    return queries, callbacks


def test_m05_publishing_to_10000_customers_takes_as_many_queries_as_to_one(
    make_notice, director, office, django_capture_on_commit_callbacks
):
    small_building, _ = _residents(office, 1)
    big_building, _ = _residents(office, 10_000)
    small = make_notice(scope="buildings", buildings=[small_building], by_notification=True)
    big = make_notice(scope="buildings", buildings=[big_building], by_notification=True)

    n_small, _ = _publish_queries(django_capture_on_commit_callbacks, director, small)
    n_big, callbacks = _publish_queries(django_capture_on_commit_callbacks, director, big)
    same_queries(n_small, n_big)
    assert len(callbacks) == 1  # the fan-out, queued for after the commit
    assert not Notification.objects.exists()  # nothing written inside the request


def test_m05_fan_out_writes_one_message_per_customer_per_channel_and_is_idempotent(
    make_notice, director, office, other_customer
):
    building, customers = _residents(office, 45, sms_every=3, email_every=5)
    notice = make_notice(scope="buildings", buildings=[building], by_notification=True, urgent=True)
    services.notice_publish(actor=director, notice=notice)

    written = services.notice_fan_out(notice_id=notice.pk, chunk=10)  # five chunks
    sms, email = len(customers[::3]), len(customers[::5])
    assert written == 45 + sms + email
    rows = Notification.objects.filter(event="notice_published")
    assert rows.filter(channel=Channel.IN_APP).count() == 45
    assert set(rows.filter(channel=Channel.IN_APP).values_list("customer", flat=True)) == {
        c.pk for c in customers
    }
    assert rows.filter(channel=Channel.SMS).count() == sms
    assert rows.filter(channel=Channel.EMAIL).count() == email
    assert not rows.filter(customer=other_customer).exists()
    assert all(rows.values_list("urgent", flat=True))  # urgent: not held over quiet hours
    assert rows.first().link == f"/portal/notices/{notice.pk}/"

    assert services.notice_fan_out(notice_id=notice.pk, chunk=7) == 0  # run again: nothing new
    assert notice_fan_out.delay(notice_id=notice.pk).get() == 0
    assert rows.count() == written


def test_m05_fan_out_of_a_notice_without_notification_writes_nothing(published):
    assert services.notice_fan_out(notice_id=published.pk) == 0
    assert not Notification.objects.exists()


def test_m05_the_task_runs_after_the_publish_commits(
    make_notice, director, customer, django_capture_on_commit_callbacks
):
    notice = make_notice(by_notification=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_publish(actor=director, notice=notice)
    assert Notification.objects.filter(customer=customer, channel=Channel.IN_APP).count() == 1
