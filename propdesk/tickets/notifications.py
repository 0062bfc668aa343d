"""Who is told what, and when, about a request: the messages and the one function that sends them.

Each message is a subject and a body with ``%(name)s`` placeholders, translated into the
recipient's language when written (see ``core.notify``). Customers hear of every step they take
part in; staff hear of new requests in their office and of work orders given to them.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.notify import is_muted, notify, notify_many
from propdesk.org.models import User

from .models import Kind

CUSTOMER_MESSAGES = {
    "received": (
        _("Request %(number)s received"),
        _("We have received your request %(number)s (%(item)s). We will confirm it with you soon."),
    ),
    "confirmed": (
        _("Request %(number)s confirmed"),
        _("Request %(number)s is confirmed: %(note)s. We will finish it by %(due)s."),
    ),
    "quoted": (
        _("Please confirm the fee for request %(number)s"),
        _(
            "The fee for request %(number)s is ¥%(total)s (%(terms)s). Accept or decline before "
            "%(expires)s: %(link)s"
        ),
    ),
    "dispatched": (
        _("A technician is on the way for request %(number)s"),
        _("%(technician)s will handle request %(number)s, by %(due)s."),
    ),
    "extension_proposed": (
        _("May we have until %(new_due)s for request %(number)s?"),
        _(
            "We need more time for request %(number)s: %(note)s. We propose to finish it by "
            "%(new_due)s instead of %(due)s. Please agree or refuse: %(link)s"
        ),
    ),
    "extended": (
        _("New deadline for request %(number)s"),
        _("As agreed with you, request %(number)s will be finished by %(due)s: %(note)s"),
    ),
    "completed": (
        _("Request %(number)s is done: please confirm"),
        _(
            "The work on request %(number)s is done: %(note)s. Please confirm and tell us whether "
            "you are satisfied."
        ),
    ),
    "closed": (
        _("Request %(number)s closed"),
        _("Thank you for confirming request %(number)s. It is now closed."),
    ),
    "rework_opened": (
        _("Rework %(number)s opened"),
        _(
            "We are sorry the result of request %(original)s was not right. Rework %(number)s "
            "is opened with high priority and will be done by %(due)s."
        ),
    ),
}

STAFF_MESSAGES = {
    "new_in_office": (
        _("New request %(number)s"),
        _("New request %(number)s from %(customer)s (%(address)s): %(summary)s"),
    ),
    "assigned": (
        _("Work order %(number)s is yours"),
        _(
            "Work order %(number)s for %(customer)s (%(address)s) is yours, due %(due)s: %(summary)s"
        ),
    ),
    "extension_agreed": (
        _("%(customer)s agreed to the new deadline of %(number)s"),
        _("%(customer)s agreed: request %(number)s is now due %(due)s. %(comment)s"),
    ),
    "extension_refused": (
        _("%(customer)s refused the new deadline of %(number)s"),
        _(
            "%(customer)s refused the proposed deadline: request %(number)s is still due %(due)s. "
            "%(comment)s"
        ),
    ),
    "rework_opened": (
        _("Rework %(number)s: customer not satisfied"),
        _(
            "%(customer)s (%(address)s) is not satisfied with %(original)s. Rework %(number)s is "
            "due %(due)s: %(summary)s"
        ),
    ),
}


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _context(ticket, **extra) -> dict:
    return {
        "number": ticket.number,
        # The kind's label stays lazy, so it is rendered in the recipient's language.
        "item": ticket.item.name if ticket.item_id else Kind(ticket.kind).label,
        "due": _when(ticket.due_at),
        "customer": ticket.customer.name,
        "address": ticket.household.address if ticket.household_id else "",
        "summary": ticket.description[:80],
        **extra,
    }


def tell_customer(
    ticket, event: str, *, now, urgent: bool = False, link: str = "", unseen=False, **extra
):
    """``link`` is what the message's text gives (a fee's one-time page, say); in the inbox every
    message about a request leads to the request's page in the portal. ``unseen``: the request
    was written in this transaction, so no message about it can exist yet (``core.notify``)."""
    if is_muted():
        return  # nothing would be written: the message's context is not worth reading
    subject, body = CUSTOMER_MESSAGES[event]
    notify(
        event=f"ticket.{event}",
        subject=subject,
        body=body,
        context=_context(ticket, link=link or portal_link(ticket), **extra),
        customer=ticket.customer,
        urgent=urgent,
        lane="urgent",  # a request's own update goes before notices and announcements
        link=portal_link(ticket),
        now=now,
        dedupe_key=f"ticket:{ticket.pk}:{event}:{ticket.version}",
        unseen=unseen,
    )


def tell_staff(ticket, event: str, *, users, now, unseen=False, **extra):
    if is_muted():
        return  # nor would anyone in ``users`` (a query, perhaps) be told anything
    users = list(users)
    if not users:
        return
    subject, body = STAFF_MESSAGES[event]
    # Everyone at once: one look for what was written already, one insert. Each one's key is
    # ``ticket:<pk>:<event>:<version>:user:<user pk>:<channel>``.
    notify_many(
        event=f"ticket.{event}",
        subject=subject,
        body=body,
        context=_context(ticket, **extra),
        users=users,
        lane="urgent",
        link=reverse("console:ticket_detail", args=[ticket.pk]),
        now=now,
        dedupe_key=f"ticket:{ticket.pk}:{event}:{ticket.version}",
        unseen=unseen,
    )


def office_desk(ticket):
    """Who answers new requests in the request's office: its agents and director."""
    return (
        User.objects.desk_of(ticket.office_id)
        .exclude(pk=ticket.created_by_id)
        .exclude(pk__in=ticket.recusals.values("user_id"))  # never told of a complaint about them
    )


def portal_link(ticket) -> str:
    """The request's page in the resident portal (a path: ``core.notify`` makes the message's
    text absolute, on SITE_URL or the address the change was made on)."""
    return reverse("portal:request", args=[ticket.pk])


def quote_link(token: str) -> str:
    """The fee's one-time page, answered without signing in (a path, as ``portal_link``)."""
    return reverse("public:quote", args=[token])
