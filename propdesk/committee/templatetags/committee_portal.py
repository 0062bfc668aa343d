"""The portal's menu asks here whether the signed-in customer sits on an owners' committee (M22),
so the committee's pages are offered only to those they are for: its members and the customer
representatives, as the pages themselves decide (``portal_views``)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def on_committee(customer) -> bool:
    """Whether ``customer`` has a current seat (one query, on the index seat_customer)."""
    if customer is None:
        return False
    return selectors.seats_of_customer(customer).exists()
