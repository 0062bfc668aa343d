"""A customer's phone number, full or masked: the one way every page, API answer and list shows it.

Who reads the full number is the permission ``customer.see_phone`` (``customers/permissions.py``),
asked about the record the number is shown with: the customer himself (a list, his page, a
search), or the work or call it is shown on (a request, a work order, a hotline call). Office staff
who serve the customer and the company roles that call customers read it whole; a technician only
on a work order of his that is still open (the work order is the record); everyone else, and
everywhere else, reads ``core.phones.mask_phone``.
"""

from propdesk.core import serializers
from propdesk.core.permissions import allowed
from propdesk.core.phones import display_phone, mask_phone

SEE_PHONE = "customer.see_phone"


def sees_phone(user, record) -> bool:
    """May ``user`` read the full numbers of the customer ``record`` is about?"""
    return allowed(user, SEE_PHONE, record)


def shown_phone(user, record, number: str, *, display: bool = True) -> str:
    """``number`` (E.164) as ``user`` may read it with ``record``: in the national format (or
    as stored, ``display=False``) when he may, else masked."""
    if not number:
        return number
    if sees_phone(user, record):
        return display_phone(number) if display else number
    return mask_phone(number)


class PhoneField(serializers.CharField):
    """A read-only API field for a customer's number, full or masked for the request's user.

    ``record`` picks the record the permission is asked about from the serialized object (by
    default the object itself); ``display=True`` gives the national format instead of E.164. With
    no request in the context nobody is known, so the number is masked."""

    def __init__(self, *, record=None, display: bool = False, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.record = record or (lambda obj: obj)
        self.display = display

    def get_attribute(self, instance):
        return super().get_attribute(instance), self.record(instance)

    def to_representation(self, value):
        number, record = value
        request = self.context.get("request")
        return shown_phone(
            getattr(request, "user", None), record, number or "", display=self.display
        )
