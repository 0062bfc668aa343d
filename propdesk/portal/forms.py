from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput
from propdesk.customers.models import MESSAGE_LANGUAGES


class PhoneForm(BoundedInput, forms.Form):
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


class SetPasswordForm(BoundedInput, forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class PreferencesForm(BoundedInput, forms.Form):
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
