"""What the complaint services share: locking, the visibility check, the timeline, messages."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.lifecycle import check_version
from propdesk.core.notify import is_muted, notify
from propdesk.org.models import Role, User
from propdesk.tickets import events
from propdesk.tickets.models import TicketRecusal

from ..lifecycle import COMPLAINTS
from ..models import Complaint

Owner, State = Complaint.Owner, Complaint.State


def required(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


def check_visible(actor, complaint: Complaint) -> None:
    """Another office's complaint, or one about the actor, is not found (M18: a director never
    sees the handling of a complaint about them)."""
    from ..selectors import complaints_for

    if not complaints_for(actor).filter(pk=complaint.pk).exists():
        raise NotFound()


STALE = _("Someone else changed this complaint meanwhile. Reload it and try again.")


def locked(
    complaint: Complaint, expected_version: int | None = None, *, change: bool = True
) -> Complaint:
    """The complaint's row, locked against a concurrent change, re-read with its request. A
    change made against an older version than the one read is refused (409 ``stale_version``);
    else the version is raised for the change about to be made (a refusal after this rolls it
    back with the rest). ``change`` False: the caller raises it itself (``bump``) if it changes
    anything."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("ticket", "office", "customer")
        .get(pk=complaint.pk)
    )
    check_version(complaint, expected_version, message=STALE)
    if change:
        bump(complaint)
    return complaint


def take(
    actor, complaint: Complaint, action: str, *, expected_version: int | None = None
) -> Complaint:
    """The complaint locked and re-read (``locked``), not found if the actor may not see it, then
    refused as the ``COMPLAINTS`` table refuses ``action``: not theirs at its level (403
    ``not_your_level``), or not in its state (409) — the table ``actions_for`` offers from."""
    complaint = locked(complaint, expected_version)
    check_visible(actor, complaint)
    COMPLAINTS.check(complaint, action, actor=actor)
    return complaint


def bump(complaint: Complaint) -> None:
    """Raise the locked complaint's version: it has changed."""
    Complaint.objects.filter(pk=complaint.pk).update(version=F("version") + 1)
    complaint.version += 1


def record(complaint: Complaint, kind: str, *, actor, now, note: str = "") -> None:
    events.record(ticket=complaint.ticket, kind=kind, actor=actor, at=now, note=note)


def _hidden(complaint: Complaint):
    return TicketRecusal.objects.filter(ticket_id=complaint.ticket_id).values("user_id")


def handlers(complaint: Complaint, owner: str | None = None):
    """Who handles it at its level: the office's agents and director, Quality, or leadership;
    never anyone it is about."""
    owner = owner or complaint.owner
    if owner == Owner.SERVICE_CENTER:
        staff = User.objects.desk_of(complaint.office_id)
    else:
        role = Role.QUALITY if owner == Owner.QUALITY else Role.LEADERSHIP
        staff = User.objects.filter(role=role, is_active=True)
    return staff.exclude(pk__in=_hidden(complaint))


def office_desk(complaint: Complaint):
    """The office's agents and director (who carry out a company plan), less those recused."""
    return handlers(complaint, Owner.SERVICE_CENTER)


def context(complaint: Complaint, **extra) -> dict:
    return {
        "number": complaint.ticket.number,
        "customer": complaint.customer.name,
        "summary": complaint.account[:80],
        "office": complaint.office.name,
        "first_due": _when(complaint.first_response_due_at),
        "due": _when(complaint.ticket.due_at),
        **extra,
    }


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def tell_staff(complaint: Complaint, event: str, subject, body, *, users, now, key: str, **extra):
    """One message per person, once per ``key`` (a job run twice says nothing more)."""
    if is_muted():
        return  # nothing would be written: neither the message nor ``users`` is worth reading
    data = context(complaint, **extra)
    link = reverse("console:complaint", args=[complaint.pk])
    for user in users:
        notify(
            event=f"complaint.{event}",
            subject=subject,
            body=body,
            context=data,
            user=user,
            link=link,
            now=now,
            dedupe_key=f"complaint:{complaint.pk}:{key}:user:{user.pk}",
        )


def tell_customer(complaint: Complaint, event: str, subject, body, *, now, key: str, **extra):
    if is_muted():
        return
    notify(
        event=f"complaint.{event}",
        subject=subject,
        body=body,
        context=context(complaint, **extra),
        customer=complaint.customer,
        link=reverse("portal:complaint", args=[complaint.pk]),
        now=now,
        dedupe_key=f"complaint:{complaint.pk}:{key}",
    )
