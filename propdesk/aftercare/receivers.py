"""The after-service app's answers to the request loop's signals (``tickets.signals``)."""

from django.dispatch import receiver

from propdesk.tickets.signals import rework_opened, ticket_completed

from .services import defects
from .services import rework as rework_services


@receiver(ticket_completed, dispatch_uid="aftercare.defect_watch")
def _watch_major_defects(sender, ticket, actor, now, **kwargs):
    defects.watch_open_for(ticket=ticket, now=now)


@receiver(rework_opened, dispatch_uid="aftercare.rework_followup")
def _follow_up_rework(sender, original, rework, source, complained_at, actor, now, **kwargs):
    rework_services.followup_open(
        original=original, rework=rework, source=source, complained_at=complained_at, now=now
    )
