"""What a signed-in customer may see of their homes: their own households, nothing else. Their
requests are read by ``tickets.selectors`` (``request_of``, ``own_requests``…)."""

from django.db.models import QuerySet

from propdesk.core.errors import NotFound
from propdesk.customers.models import Household


def households_of(account) -> QuerySet:
    return (
        Household.objects.of_customer(account.customer)
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
