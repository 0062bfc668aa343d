"""The committee's badges on a customer wherever staff see them (``customers.badges``): a seat
whose term includes today, as member (with the chair named) or representative."""

from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.customers.badges import Badge

from .models import Seat, current_seats


def seat_badges(customer_ids: list[int]) -> dict[int, list[Badge]]:
    seats = (
        Seat.objects.filter(current_seats(timezone.localdate()), customer_id__in=customer_ids)
        .order_by()
        .values_list("customer_id", "kind", "role")
    )
    found: dict[int, list[Badge]] = {}
    for customer_id, kind, role in seats:
        if kind == Seat.Kind.REPRESENTATIVE:
            label = _("Customer representative")
        elif role == Seat.Role.CHAIR:
            label = _("Owners' committee chair")
        else:
            label = _("Owners' committee")
        found.setdefault(customer_id, []).append(Badge(label))
    return found
