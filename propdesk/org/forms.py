from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.forms import BoundedInput

from . import signin


class SignInForm(AuthenticationForm):
    """The console's (and the admin's) sign-in: the password step, through ``org.signin``, so
    a locked username is refused with its own message and the page is a 429."""

    status = 200

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = signin.check_password(
                    self.request, username=username, password=password
                )
            except DomainError as err:
                self.status = err.status
                raise ValidationError(err.message, code=err.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(BoundedInput, forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
