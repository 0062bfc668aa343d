"""``{% customer_badges customer %}``: the badges other apps give the customer (customers.badges)."""

from django import template

from ..badges import badges_of

register = template.Library()


@register.inclusion_tag("customers/partials/badges.html")
def customer_badges(customer):
    return {"badges": badges_of(customer)}
