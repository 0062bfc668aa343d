"""M06: customers of the office hear of a new edition once, and publishing does not wait for it."""

import pytest
from django.urls import reverse

from propdesk.core.models import Notification
from propdesk.guide import services
from tests import factories as f
from tests.queries import count_queries, same_queries


def test_m06_customers_of_the_office_are_notified_once_per_edition(
    director, catalogue, customer, other_customer, office, django_capture_on_commit_callbacks
):
    others = [f.CustomerFactory(office=office) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        edition = services.edition_publish(actor=director, office=office)
    inbox = Notification.objects.filter(event="guide.published", channel="in_app")
    assert set(inbox.values_list("customer_id", flat=True)) == {
        customer.pk,
        *(c.pk for c in others),
    }
    assert inbox.get(customer=customer).link == reverse("portal:guide_edition", args=[1])
    # SMS too, for customers who chose it (the default).
    assert Notification.objects.filter(event="guide.published", channel="sms").count() == 4
    total = Notification.objects.count()
    assert services.edition_announce.delay(edition_id=edition.pk).get() == 0  # again: nothing new
    assert services.edition_announce(edition_id=edition.pk, chunk=2) == 0
    assert Notification.objects.count() == total


def test_m06_announcing_in_chunks_reaches_everyone(director, catalogue, office):
    people = [f.CustomerFactory(office=office) for _ in range(5)]
    edition = services.edition_publish(actor=director, office=office)
    services.edition_announce(edition_id=edition.pk, chunk=2)
    reached = Notification.objects.filter(event="guide.published", channel="in_app")
    assert reached.count() == len(people)


def _publish_queries(client, office, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        count_queries() as ctx,
    ):
        response = client.post(reverse("console:guide_publish", args=[office.pk]))
    assert response.status_code == 302
    assert len(callbacks) >= 1  # the announcement, enqueued after commit
    return ctx


@pytest.mark.django_db
def test_m06_publish_query_count_does_not_grow_with_the_customers(
    client, director, catalogue, office, django_capture_on_commit_callbacks
):
    client.force_login(director)
    f.CustomerFactory(office=office)
    few = _publish_queries(client, office, django_capture_on_commit_callbacks)
    for _ in range(30):
        f.CustomerFactory(office=office)
    f.ServiceItemFactory(name="空调清洗")
    many = _publish_queries(client, office, django_capture_on_commit_callbacks)
    same_queries(few, many)
    assert not Notification.objects.filter(event="guide.published").exists()
