"""A person's in-app messages: the inbox side of the outbox (reads and the one write, "read")."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification


def inbox_for_user(user) -> QuerySet:
    return Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP)


def unread_count(user) -> int:
    return inbox_for_user(user).filter(read_at__isnull=True).count()


@transaction.atomic
def inbox_mark_read(*, user, now=None) -> int:
    """Mark every unread in-app message of ``user`` read; return how many."""
    return inbox_for_user(user).filter(read_at__isnull=True).update(read_at=now or timezone.now())
