from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.customers.models import MESSAGE_LANGUAGES

# What a request without a service item may be about (complaints have their own way in).
REQUEST_KINDS = [
    ("repair", _("Something to repair")),
    ("service", _("A service")),
    ("inquiry", _("A question")),
    ("suggestion", _("A suggestion")),
    ("praise", _("Praise")),
]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PasswordSignInForm(PhoneForm):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class CodeSignInForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class PreferencesForm(forms.Form):
    """How the customer wants to hear from us; the portal inbox always gets every message."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=MESSAGE_LANGUAGES,
        required=False,
    )
    notify_by_sms = forms.BooleanField(label=_("Text messages (SMS)"), required=False)
    notify_by_email = forms.BooleanField(label=_("E-mail"), required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by the service (size, real image)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ItemChoiceField(forms.ModelChoiceField):
    """Each item with its price, so the fee standard is seen before asking (M10)."""

    def label_from_instance(self, item):
        return f"{item.category.name} · {item.name} · {item.price_label}"


class RequestForm(forms.Form):
    """A customer's new request: what, where, by when, with photos."""

    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=REQUEST_KINDS,
        required=False,
    )
    item = ItemChoiceField(
        label=_("Service, with its fee standard (optional)"), queryset=None, required=False
    )
    description = forms.CharField(
        label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 3})
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
