"""What a signed-in customer may see: their own households and their own requests, nothing else."""

from django.db.models import QuerySet

from propdesk.core.errors import NotFound
from propdesk.customers.models import Household
from propdesk.tickets import events
from propdesk.tickets.models import Ticket


def households_of(account) -> QuerySet:
    return (
        Household.objects.filter(residences__customer=account.customer, is_active=True)
        .select_related("unit__building__community")
        .order_by("pk")
    )


def household_of(account, pk) -> Household:
    try:
        return households_of(account).get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def current_household(request, account) -> Household | None:
    """The unit the customer is looking at: the one they switched to, else their first."""
    households = list(households_of(account))
    chosen = request.session.get("portal_household_id")
    return next((h for h in households if h.pk == chosen), households[0] if households else None)


def requests_of(account, household, *, limit: int = 20) -> list[Ticket]:
    qs = Ticket.objects.filter(customer=account.customer).select_related("item", "complaint")
    if household is not None:
        qs = qs.filter(household=household)
    return list(qs.order_by("-created_at", "-pk")[:limit])


def request_of(account, pk) -> Ticket:
    """One of the customer's own requests, or NotFound: another's is not there at all."""
    try:
        return Ticket.objects.select_related(
            "item", "household__unit__building__community", "rework_of"
        ).get(pk=pk, customer=account.customer)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def timeline_of(ticket) -> list:
    """What the customer may read of the request's history: internal events stay internal, and
    so do notes that were not said to or by the customer."""
    timeline = list(ticket.events.filter(customer_visible=True).order_by("at", "pk"))
    for event in timeline:
        event.customer_note = events.customer_note(event)
    return timeline


def pending_quote(ticket):
    return ticket.quotes.filter(state="sent").prefetch_related("lines").first()


def pending_proposal(ticket, now):
    """A new deadline waiting for the customer's answer, while it can still be agreed to."""
    if now >= ticket.due_at:
        return None
    return ticket.extension_proposals.filter(state="waiting", old_due_at=ticket.due_at).first()
