"""What every HTML form shares: bounded input, and a service's refusal shown on the form it came
from."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, NotFound
from .limits import DATE_CEILING, DATE_FLOOR, TEXT_NOTE


class BoundedInput:
    """Put first among a form's bases (``class F(BoundedInput, forms.Form)``): every text field
    without a ``max_length`` gets the default limit (``core.limits.TEXT_NOTE``; a field that
    needs more or less says so), shown to the browser as ``maxlength``; every date and datetime
    is refused outside ``DATE_FLOOR``..``DATE_CEILING``. The API's serializers do the same
    (``core.serializers``), so the console, the portal and the API accept the same input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = TEXT_NOTE
                field.validators.append(_TextLimit(TEXT_NOTE))
                field.widget.attrs.setdefault("maxlength", str(TEXT_NOTE))
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(_within_years)


class _TextLimit(MaxLengthValidator):
    """The length limit, for text: a field built on CharField that cleans its input into
    something else (a week into its Monday) has no length to check."""

    def __call__(self, value):
        if isinstance(value, str):
            super().__call__(value)


def _within_years(value) -> None:
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if not DATE_FLOOR <= day <= DATE_CEILING:
        raise forms.ValidationError(
            _("Enter a date between the years %(floor)s and %(ceiling)s."),
            code="out_of_range",
            params={"floor": DATE_FLOOR.year, "ceiling": DATE_CEILING.year},
        )


def show_error(form, err: DomainError, *, missing_is_bad_input: bool = False) -> int:
    """Put ``err`` on the visible field it names, else on the form as a whole; the page's status.

    A form with forms inside (lines, say) places it itself, in ``add_service_error``. With
    ``missing_is_bad_input``, a record the form names that is not there (``NotFound``) is the
    input's fault, 400, rather than the service's 404.
    """
    if hasattr(form, "add_service_error"):
        form.add_service_error(err)
    else:
        field = err.field if err.field in form.fields and not form[err.field].is_hidden else None
        form.add_error(field, err.message)
    if missing_is_bad_input and isinstance(err, NotFound):
        return 400
    return err.status


def rendered_version(form) -> int:
    """The record's version the page was rendered with (a form's ``version`` field, validated),
    for the service to check. A page without one, an old one, is refused like a stale one."""
    from django.utils.translation import gettext_lazy as _

    from .errors import Conflict

    form.is_valid()  # the other fields are the caller's; this reads the version alone
    # An unbound form (a POST with no fields at all) has no cleaned data: no version either.
    version = getattr(form, "cleaned_data", {}).get("version")
    if version is None:
        raise Conflict(
            _("This page is out of date. Reload it and try again."),
            code="version_required",
            field="version",
        )
    return version
