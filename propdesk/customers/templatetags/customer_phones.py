"""Customers' numbers on console pages, full or masked (``customers.privacy``).

``{% load customer_phones %}``, then:

- ``{% phone number record %}``: a ``tel:`` link with the number in the national format for those
  who may read it with ``record`` (the customer, or the work or call it is shown on), the masked
  number for everyone else; ``link=False`` for text without the link.
- ``{% sees_phone record as full %}``: the answer itself, for pages that draw the number their own
  way (the work order's call button).
"""

from django import template
from django.utils.html import format_html

from propdesk.core.phones import display_phone, mask_phone

from ..privacy import sees_phone as _sees_phone

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def phone(context, number, record, link=True):
    if not number:
        return ""
    if not _sees_phone(_user(context), record):
        return format_html('<span class="masked">{}</span>', mask_phone(number))
    if link:
        return format_html('<a href="tel:{}">{}</a>', number, display_phone(number))
    return display_phone(number)


@register.simple_tag(takes_context=True)
def sees_phone(context, record) -> bool:
    return _sees_phone(_user(context), record)
