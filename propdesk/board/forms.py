from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput


class TargetForm(BoundedInput, forms.Form):
    """One measure's new target (empty: no target), with why, and the version the page showed."""

    measure = forms.CharField(max_length=60, widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Target"), required=False, max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
