"""The office's written analysis of a campaign (M16)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_DOCUMENT


class AnalysisForm(BoundedInput, forms.Form):
    analysis = forms.CharField(
        label=_("Analysis and conclusions"),
        max_length=TEXT_DOCUMENT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What the figures say, the issues raised by many, and what the office will do."
        ),
    )
    # The version the page was rendered with: a change made meanwhile is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
