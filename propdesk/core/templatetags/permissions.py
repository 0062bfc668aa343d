"""``{% if user|may:"followup.view" %}``: the permission table (core.permissions) in templates."""

from django import template

from propdesk.core.permissions import allowed

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return allowed(user, action)
