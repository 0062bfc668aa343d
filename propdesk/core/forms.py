"""What every HTML form shares: bounded input, a human placeholder instead of Django's empty
choice, and a service's refusal shown on the form it came from."""

import datetime as dt

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, NotFound
from .limits import DATE_CEILING, DATE_FLOOR, TEXT_NOTE
from .templatetags.periods import parse_day


class BoundedInput:
    """Put first among a form's bases (``class F(BoundedInput, forms.Form)``): every text field
    without a ``max_length`` gets the default limit (``core.limits.TEXT_NOTE``; a field that
    needs more or less says so), shown to the browser as ``maxlength``; every date and datetime
    is refused outside ``DATE_FLOOR``..``DATE_CEILING``. The API's serializers do the same
    (``core.serializers``), so the console, the portal and the API accept the same input.
    A choice left at Django's "---------" reads "Choose…" instead (``placeholder``); a form says
    better where it can ("All offices", "Choose a building…")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _humane_empty_choice(field)
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


DJANGO_EMPTY_LABEL = "---------"


def placeholder(field, text) -> None:
    """What a choice field offers for "nothing chosen": ``text`` ("All offices" in a filter,
    "Choose a building…" where one must be chosen) instead of Django's "---------". For a field
    set up in a form's ``__init__``; a field declared on the class gives ``empty_label``."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:  # None: a required field with an initial value
            field.empty_label = text
        return
    choices = list(field.choices)
    if choices and choices[0][0] in ("", None):
        field.choices = [("", text), *choices[1:]]


def _humane_empty_choice(field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = _("Choose…")
    elif isinstance(field, forms.ChoiceField) and isinstance(field.choices, list | tuple):
        first = field.choices[0] if field.choices else None
        if first and first[0] in ("", None) and str(first[1]) == DJANGO_EMPTY_LABEL:
            field.choices = [("", _("Choose…")), *field.choices[1:]]


class WeekInput(forms.DateInput):
    """A date input standing for the week its day falls in (every browser has one; Safari, iOS
    and WeChat have no ``type=week``). A week given by its key in an old link, ``2026-W49``,
    shows as its Monday."""

    input_type = "date"

    def format_value(self, value):
        day = parse_day(value) if isinstance(value, str) else value
        if isinstance(day, dt.date):
            return day.isoformat()
        return super().format_value(value)


class WeekField(forms.Field):
    """A week, chosen as any day in it (``2026-12-02``, what the date input sends) or by its ISO
    key (``2026-W49``, which older links and bookmarks carry): cleaned to its Monday. Anything
    else is refused with a message saying what was wrong, never read as the current week."""

    widget = WeekInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        day = parse_day(value)
        if day is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a date. Pick any day of the week you want."),
                code="invalid",
                params={"value": str(value)[:40]},
            )
        _within_years(day)
        return day - dt.timedelta(days=day.weekday())


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
