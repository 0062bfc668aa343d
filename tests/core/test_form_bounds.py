"""The console's and the portal's forms bound their input as the API does: every text field has
a limit, every date a range, so a 100,000-character paste or a date in the year 612 is refused
on the form, naming the field, before any service runs."""

import importlib
import pkgutil

from django import forms

import propdesk
from propdesk.core.forms import BoundedInput
from propdesk.core.limits import DATE_FLOOR, TEXT_DESCRIPTION, TEXT_NOTE

# Django's own sign-in form: its fields are Django's (the username bounded by the model).
NOT_OURS = {"propdesk.org.forms.SignInForm"}


def propdesk_forms():
    for module in pkgutil.walk_packages(propdesk.__path__, "propdesk."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.startswith("propdesk.")
        and f"{cls.__module__}.{cls.__name__}" not in NOT_OURS
    }


def test_every_form_bounds_its_input():
    found = propdesk_forms()
    assert len(found) > 30
    unbounded = sorted(
        f"{cls.__module__}.{cls.__name__}" for cls in found if not issubclass(cls, BoundedInput)
    )
    assert unbounded == []


def test_text_without_its_own_limit_gets_the_default_and_the_browser_is_told():
    from propdesk.tickets.forms import CancelForm

    field = CancelForm(ticket=None).fields["reason"]
    assert field.max_length == TEXT_NOTE
    assert field.widget.attrs["maxlength"] == str(TEXT_NOTE)


def test_a_description_past_its_limit_is_refused_on_the_form(db):
    from propdesk.catalog.models import ServiceItem
    from propdesk.tickets.portal_forms import RequestForm

    form = RequestForm(data={"description": "漏" * 100_000}, items=ServiceItem.objects.none())
    assert not form.is_valid()
    assert "description" in form.errors
    assert form.fields["description"].max_length == TEXT_DESCRIPTION


def test_a_date_before_the_floor_is_refused_on_the_form():
    from propdesk.history.forms import ContactForm

    form = ContactForm(data={"at": "0612-03-01 10:00"})
    form.is_valid()
    assert "at" in form.errors
    assert str(DATE_FLOOR.year) in " ".join(form.errors["at"])
