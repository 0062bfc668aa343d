"""Changes to the Service Guide (M06): publishing an edition, and telling customers about it."""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.background import checkpoint, defer, resume_from
from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.notify import notify
from propdesk.core.permissions import allowed, require
from propdesk.core.scoping import can_see_office
from propdesk.customers.models import Customer
from propdesk.org.models import Office

from . import selectors
from .models import GuideEdition, GuideEntry

NOTIFY_CHUNK = 500  # customers written per transaction when announcing an edition

NEW_EDITION_SUBJECT = _("New Service Guide: edition %(number)s")
NEW_EDITION_BODY = _(
    "%(office)s has published edition %(number)s of its Service Guide on %(date)s: our services, "
    "their hours, contact phones and prices. Read it in the portal."
)


def can_publish(user, office) -> bool:
    return allowed(user, "guide.publish", office)


def edition_publish(*, actor, office: Office, now: dt.datetime | None = None) -> GuideEdition:
    """Freeze the office's current catalogue as its next edition (1, 2, … per office).

    Another office's guide is not found (404) for office staff; a role that may not publish gets
    403; a catalogue unchanged since the latest edition is refused (409), as is an empty one (400).
    Customers of the office are told after commit, by a task, in chunks.
    """
    now = now or timezone.now()
    if not can_see_office(actor, office.pk):
        raise NotFound(field="office")
    require(actor, "guide.publish", office)
    with transaction.atomic():
        # One publication at a time per office: the lock makes the numbers follow each other.
        office = Office.objects.select_for_update().get(pk=office.pk)
        draft = selectors.draft_compile(office)
        entries = draft.draft_entries
        if not entries:
            raise DomainError(
                _("The office offers no services yet: there is nothing to publish."),
                code="guide_empty",
                field="office",
            )
        digest = selectors.fingerprint(draft, entries)
        latest = (
            GuideEdition.objects.filter(office=office)
            .order_by("-number")
            .only("number", "fingerprint")
            .first()
        )
        if latest is not None and latest.fingerprint == digest:
            raise Conflict(
                _("No changes since edition %(number)s.") % {"number": latest.number},
                code="guide_unchanged",
                field="office",
            )
        number = (
            GuideEdition.objects.filter(office=office).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        edition = GuideEdition.objects.create(
            office=office,
            number=number,
            published_at=now,
            published_by=actor,
            hotline_complaint=draft.hotline_complaint,
            hotline_service=draft.hotline_service,
            hotline_duty=draft.hotline_duty,
            fingerprint=digest,
        )
        for entry in entries:
            entry.edition = edition
        GuideEntry.objects.bulk_create(entries)

        # Recorded with the edition, so the announcement is made even if the broker or the
        # worker dies (core.background).
        defer(
            "propdesk.guide.services.edition_announce",
            key=f"guide:{edition.pk}:announce",
            edition_id=edition.pk,
        )
    return edition


# A Celery task too: scheduled after the publication commits, on a worker when there is one.
@shared_task(name="propdesk.guide.announce_edition")
def edition_announce(*, edition_id: int, chunk: int = NOTIFY_CHUNK, now=None) -> int:
    """Tell every customer of the edition's office, in-app and on their own channels.

    Idempotent: each message carries ``guide:<edition>:customer:<customer>``, so running it again
    (a retry, a second worker) writes nothing twice. Customers are read in chunks by id, each
    chunk in its own transaction, so an office of thousands never holds one long transaction.
    Returns the number of messages written.
    """
    now = now or timezone.now()
    edition = GuideEdition.objects.select_related("office").filter(pk=edition_id).first()
    if edition is None:
        return 0
    link = reverse("portal:guide_edition", args=[edition.number])
    context = {
        "office": edition.office.name,
        "number": edition.number,
        "date": timezone.localtime(edition.published_at).date().isoformat(),
    }
    written, after = 0, resume_from(0)
    while True:
        customers = list(
            Customer.objects.filter(office_id=edition.office_id, pk__gt=after).order_by("pk")[
                :chunk
            ]
        )
        if not customers:
            return written
        with transaction.atomic():
            checkpoint(customers[-1].pk)  # commits with the chunk: a new run resumes after it
            for customer in customers:
                written += len(
                    notify(
                        event="guide.published",
                        subject=NEW_EDITION_SUBJECT,
                        body=NEW_EDITION_BODY,
                        context=context,
                        customer=customer,
                        link=link,
                        dedupe_key=f"guide:{edition.pk}:customer:{customer.pk}",
                        now=now,
                    )
                )
        after = customers[-1].pk
