"""The portal's complaint form: what the customer says, in their own words (M17).

The form only reads the input; the intake service decides what is acceptable (the amount, the
deadline, the photos) and its messages are shown on the fields.
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.portal.forms import PhotosField

from .models import Complaint


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, household):
        return household.address


class ComplaintForm(BoundedInput, forms.Form):
    account = forms.CharField(
        label=_("What happened? Tell us in your own words."),
        max_length=TEXT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell us what happened, in your own words.")},
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", "—"), *Complaint.Category.choices],
        error_messages={"required": _("Choose what the complaint is about.")},
    )
    household = HouseholdChoiceField(
        label=_("Which home?"), queryset=None, required=False, empty_label=None
    )
    involves_compensation = forms.BooleanField(
        label=_("I claim compensation for a loss"), required=False
    )
    # Text, not a number field: the service reads the amount and says what is wrong with it.
    compensation_claimed = forms.CharField(
        label=_("How much (CNY, optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    requested_deadline = forms.DateTimeField(
        label=_("Needs to be solved by (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    photos = PhotosField(label=_("Photos (up to 5)"), required=False)
    # Made once when the page is shown: sending the same form twice files one complaint.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args, households, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels that end in a question ask for no colon
        super().__init__(*args, **kwargs)
        if len(households) > 1:
            self.fields["household"].queryset = households
        else:
            del self.fields["household"]  # one home: it is that one
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
