"""Signing staff in: the one check behind the console's sign-in page and the API's token.

A password is checked by Django's ``authenticate``, in front of which django-axes refuses a
locked-out username (settings: ``AXES_*``, from ``PROPDESK_SIGNIN_LOCK_*``): after that many wrong
tries in a row, the username is locked for that long, whether or not such a user exists, so the
answer never tells. A user who enrolled an authenticator app (TOTP, ``django-otp``) gives its
code too, and a wrong code counts as a wrong try. Each sign-in address may also try only so often
(``SignInRateThrottle``). Failed tries are in django-axes' failure log (who, when, from where),
shown in the admin; an administrator unlocks through ``org.services.staff_unlock``.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from rest_framework.throttling import SimpleRateThrottle

from propdesk.core.errors import DomainError, Forbidden, TooManyRequests

from .models import User

WRONG = _("The username or the password is not right.")
WRONG_CODE = _("The code from your authenticator app is not right.")
CODE_NEEDED = _("Enter the 6-digit code from your authenticator app.")
TOO_OFTEN = _("Too many sign-in attempts from your address. Wait a minute and try again.")
ENROL_FIRST = _(
    "Your role signs in with an authenticator app. Sign in to the console and set it up first."
)


def _http_request(request):
    """The Django request under a DRF one: django-axes marks a lockout on it, and its
    middleware reads the mark there."""
    return getattr(request, "_request", request)


def lock_ends_at(username: str):
    """When the lock on ``username`` ends, or None if it is not locked."""
    from axes.models import AccessAttempt

    last = (
        AccessAttempt.objects.filter(username=username)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return last + settings.AXES_COOLOFF_TIME if last else None


def locked(username: str) -> TooManyRequests:
    ends = lock_ends_at(username) or timezone.now() + settings.AXES_COOLOFF_TIME
    return TooManyRequests(
        _("Too many wrong tries. Try again after %(time)s.")
        % {"time": timezone.localtime(ends).strftime("%H:%M")},
        code="locked",
    )


def _is_locked(request, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": username})


def _failed(request, username: str) -> None:
    """A wrong try after the password: counted by django-axes as a wrong password is."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def check_password(request, *, username: str, password: str) -> User:
    """The user ``username`` and ``password`` name, or a refusal: 400 for a wrong pair, 429
    while the username is locked (the try that locks it included)."""
    http = _http_request(request)
    user = authenticate(http, username=username, password=password)
    if getattr(http, "axes_locked_out", False):
        raise locked(username)
    if user is None:
        raise DomainError(WRONG, code="wrong_password", field="password")
    return user


def authenticator(user: User):
    """The user's confirmed authenticator (a django-otp TOTP device), if they enrolled one."""
    return next(iter(devices_for_user(user, confirmed=True)), None)


def must_enrol(user: User) -> bool:
    """The setting makes an authenticator mandatory for company roles, and this one has none."""
    return settings.PROPDESK_TOTP_REQUIRED and user.is_company_role and authenticator(user) is None


def check_code(request, *, user: User, code: str | None) -> None:
    """The second step, for a user who enrolled an authenticator: its current code."""
    http = _http_request(request)
    device = authenticator(user)
    if device is None:
        return
    if _is_locked(http, user.username):
        raise locked(user.username)
    code = (code or "").strip()
    if not code:
        raise DomainError(CODE_NEEDED, code="otp_required", field="otp")
    if not device.verify_token(code):
        _failed(http, user.username)
        if _is_locked(http, user.username):
            raise locked(user.username)
        raise DomainError(WRONG_CODE, code="wrong_otp", field="otp")


def sign_in(request, *, username: str, password: str, code: str | None) -> User:
    """Both steps at once (the API's token): password, then the authenticator's code."""
    user = check_password(request, username=username, password=password)
    check_code(request, user=user, code=code)
    if must_enrol(user):
        raise Forbidden(ENROL_FIRST, code="otp_enrolment_required")
    return user


def client_ip(request) -> str | None:
    """The client's address as the audit records it: behind ``PROPDESK_PROXY_COUNT`` proxies,
    from X-Forwarded-For (django-axes' reading, so both records agree)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(_http_request(request))


def signed_in(request, user: User) -> None:
    """A sign-in that opens no session (the API's token) is told like one that does: the
    user's last sign-in is recorded, django-axes logs it and clears the count of wrong tries."""
    user_logged_in.send(sender=user.__class__, request=_http_request(request), user=user)


class SignInRateThrottle(SimpleRateThrottle):
    """How often one address may try to sign in (``signin`` in DRF's throttle rates), whoever
    it tries: slows guessing across many usernames, which the per-username lock does not."""

    scope = "signin"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer when a sign-in met a lock (``AXES_LOCKOUT_CALLABLE``): the page or
    the API answer the view made, which already says so, as a 429."""
    if original_response is None:
        return HttpResponse(str(locked((credentials or {}).get("username") or "")), status=429)
    original_response.status_code = 429
    return original_response


def signin_logs_purge(*, now) -> dict:
    """Periodic job: forget sign-ins and failed tries older than ``PROPDESK_SIGNIN_LOG_DAYS``
    (django-axes' logs grow with every try, a guesser's included). Deleting what is already
    gone changes nothing, so it may run twice or on two machines."""
    from axes.models import AccessFailureLog, AccessLog

    cutoff = now - dt.timedelta(days=settings.PROPDESK_SIGNIN_LOG_DAYS)
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    sign_ins, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    return {"deleted": failures + sign_ins}
