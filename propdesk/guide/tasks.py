"""Celery tasks of the Service Guide: thin wrappers around its services."""

from celery import shared_task

from . import services


@shared_task(name="propdesk.guide.announce_edition")
def announce_edition(edition_id: int) -> int:
    """Tell the office's customers of a new edition (M06), after its publication commits."""
    return services.edition_announce(edition_id=edition_id)
