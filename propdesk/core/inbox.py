"""A person's in-app messages: the inbox side of the outbox (reads and the one write, "read").

A person is a member of staff (``user``) or a customer (``customer``): exactly one of the two."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification


def _inbox(user=None, customer=None) -> QuerySet:
    if (user is None) == (customer is None):
        raise ValueError("an inbox belongs to exactly one of user or customer")
    mine = {"user": user} if user is not None else {"customer": customer}
    return Notification.objects.filter(channel=Notification.Channel.IN_APP, **mine)


def inbox_for_user(user) -> QuerySet:
    return _inbox(user=user)


def inbox_for_customer(customer) -> QuerySet:
    return _inbox(customer=customer)


def unread_count(user=None, *, customer=None) -> int:
    return _inbox(user, customer).filter(read_at__isnull=True).count()


@transaction.atomic
def inbox_mark_read(*, user=None, customer=None, now=None) -> int:
    """Mark every unread in-app message of the person read; return how many."""
    return _inbox(user, customer).filter(read_at__isnull=True).update(read_at=now or timezone.now())
