from django import forms
from django.utils.translation import gettext_lazy as _


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
