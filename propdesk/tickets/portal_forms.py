"""The customer's new request in the portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.portal.forms import PhotosField

from .models import STARS, RatingReason

# What a request without a service item may be about (complaints have their own way in).
REQUEST_KINDS = [
    ("repair", _("Something to repair")),
    ("service", _("A service")),
    ("inquiry", _("A question")),
    ("suggestion", _("A suggestion")),
    ("praise", _("Praise")),
]


class ItemChoiceField(forms.ModelChoiceField):
    """Each item with its price, so the fee standard is seen before asking (M10)."""

    def label_from_instance(self, item):
        return f"{item.category.name} · {item.name} · {item.price_label}"


class RequestForm(BoundedInput, forms.Form):
    """A customer's new request: what, where, by when, with photos."""

    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=REQUEST_KINDS,
        required=False,
    )
    item = ItemChoiceField(
        label=_("Service, with its fee standard (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No particular service"),
    )
    description = forms.CharField(
        label=_("What do you need?"),
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested_deadline = forms.DateTimeField(
        label=_("Done by (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    photos = PhotosField(label=_("Photos (up to 5)"), required=False)

    def __init__(self, *args, items, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels that end in a question ask for no colon
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class RatingForm(BoundedInput, forms.Form):
    """The customer's verdict on finished work: 1 to 5 stars (4 or 5 is satisfied, 1 to 3 asks
    us to come back), the reasons they tick, and a comment."""

    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in reversed(STARS)],  # drawn from 5 down, shown 1 to 5
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose from 1 to 5 stars."),
            "invalid_choice": _("Choose from 1 to 5 stars."),
        },
    )
    reasons = forms.MultipleChoiceField(
        label=_("What stood out?"),
        choices=RatingReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the reasons offered.")},
    )
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
