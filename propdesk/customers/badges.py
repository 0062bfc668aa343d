"""Badges other apps give a customer wherever staff see them: the owners' committee's seats, say.

The roster stands below those apps, so it cannot ask them; each registers a provider from its
``AppConfig.ready()``: a function of customer ids giving each its badges, in one query for all.
A list attaches them to its page with ``attach_badges`` (one query per provider, whatever the
page's length); a page about one customer gets them through ``{% customer_badges %}``.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Badge:
    label: str
    colour: str = "blue"


Provider = Callable[[list[int]], dict[int, list[Badge]]]
_PROVIDERS: list[Provider] = []


def register_badges(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def attach_badges(customers: Iterable) -> list:
    """Set ``badges`` on each customer; returns them as a list."""
    customers = list(customers)
    ids = [c.pk for c in customers]
    found: dict[int, list[Badge]] = defaultdict(list)
    if ids:
        for provider in _PROVIDERS:
            for customer_id, badges in provider(ids).items():
                found[customer_id].extend(badges)
    for customer in customers:
        customer.badges = found.get(customer.pk, [])
    return customers


def badges_of(customer) -> list[Badge]:
    if not hasattr(customer, "badges"):
        attach_badges([customer])
    return customer.badges
