"""The portal's forum forms (M21): shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.core.limits import TEXT_LINE, TEXT_NOTE
from propdesk.portal.forms import PhotosField

from .models import MAX_TEXT, Topic

COMPANY = "company"  # the company-wide forum, among the communities


class PostForm(BoundedInput, forms.Form):
    forum = forms.ChoiceField(label=_("Forum"))
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=TEXT_LINE)
    text = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    photos = PhotosField(label=_("Photos (up to 5)"), required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [(str(c.pk), c.name) for c in communities] + [
            (COMPANY, _("Company-wide forum"))
        ]


class ReplyForm(BoundedInput, forms.Form):
    text = forms.CharField(
        label=_("Your reply"), max_length=TEXT_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(BoundedInput, forms.Form):
    reason = forms.CharField(label=_("What is wrong with it?"), max_length=TEXT_NOTE)
    reply = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(BoundedInput, forms.Form):
    about = forms.ChoiceField(label=_("What are you reviewing?"))
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, items, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [
            (
                _("Your completed requests"),
                [(f"ticket:{t.pk}", f"{t.number} {t.description[:30]}") for t in tickets],
            ),
            (_("Services"), [(f"item:{i.pk}", i.name) for i in items]),
        ]
