"""Console forms for the customer's history: record a contact, filter the contacts log.

They only shape input; the services validate it and decide.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.customers.forms import BLANK
from propdesk.tickets.models import Channel, Contact


class ContactForm(BoundedInput, forms.Form):
    """Record one interaction with the customer (M01): channel, direction, stage, summary."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Contact.Direction.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Contact.Stage.choices)
    household = forms.ChoiceField(label=_("Household"), required=False)
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Of the customer's households, those they live in now (``Household.objects.of_customer``,
        # which the service checks): a unit they left keeps its history, but takes nothing new.
        current = [(h.pk, h.address) for h in households if h.is_active]
        self.fields["household"].choices = BLANK + current


class ContactFilterForm(BoundedInput, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=BLANK + Channel.choices, required=False)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=BLANK + Contact.Direction.choices, required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=BLANK + Contact.Stage.choices, required=False
    )
