from celery import shared_task

from .delivery import deliver_due


@shared_task(name="propdesk.core.deliver_notifications")
def deliver_notifications() -> int:
    """Deliver the outbox; the periodic schedule runs it too, to pick up retries."""
    return deliver_due()
