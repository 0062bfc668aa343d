"""Phone numbers: one normal form (E.164) so that a caller is found through an index."""

import phonenumbers
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

REGION = "CN"


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """Return ``raw`` as E.164 (``+8613812345678``), or raise a DomainError naming ``field``."""
    text = (raw or "").strip()
    if not text:
        raise DomainError(_("Enter a phone number."), code="required", field=field)
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            _("“%(value)s” is not a valid phone number.") % {"value": text},
            code="invalid_phone",
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(raw: str) -> str | None:
    """Like normalize_phone, but None for what is not a number (a withheld caller id, say)."""
    try:
        return normalize_phone(raw)
    except DomainError:
        return None


def display_phone(e164: str) -> str:
    """How staff read a number: national format for Chinese numbers."""
    try:
        number = phonenumbers.parse(e164, REGION)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def mask_phone(number: str) -> str:
    """A number as those who may not call it read it: the national digits with the middle hidden
    (``138****5678``), the country code kept for a foreign number. Anything, even what is not a
    number, gives a mask that hides all but its last digits; the mask's length hides the number's.
    """
    text = (number or "").strip()
    if not text:
        return ""
    prefix = ""
    try:
        parsed = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        digits = "".join(c for c in text if c.isdigit())
    else:
        digits = phonenumbers.national_significant_number(parsed)
        if parsed.country_code != 86:
            prefix = f"+{parsed.country_code} "
    if len(digits) >= 10:
        return f"{prefix}{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 6:
        return f"{prefix}****{digits[-4:]}"
    return f"{prefix}****"
