"""Changes to staff members' sign-in: unlocking, ending tokens, the authenticator app (TOTP).

Each one checks the actor's permission where it is done to someone else, and leaves a
``SecurityEvent`` (who, to whom, when, from where) in the same transaction.
"""

import base64

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from propdesk.core.errors import DomainError
from propdesk.core.permissions import require

from . import tokens
from .models import SecurityEvent, User


def subject_of(user: User) -> str:
    return f"staff:{user.username}"


def security_event(*, kind, subject: str, actor=None, ip=None, note: str = "", now=None):
    """Record what was done to a sign-in (``SecurityEvent``); portal accounts' too."""
    return SecurityEvent.objects.create(
        at=now or timezone.now(),
        kind=kind,
        subject=subject,
        actor=actor,
        ip_address=ip or None,
        note=note[:200],
    )


@transaction.atomic
def staff_unlock(*, actor: User, username: str, ip=None, now=None) -> int:
    """Clear the wrong tries that lock the sign-in of ``username`` (a user's, or a name nobody
    has that a guesser tried); how many were cleared. Audited even when nothing was locked, so
    the record shows who looked at the account."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    require(actor, "staff.unlock")
    if not username:
        raise DomainError(_("Say whose sign-in to unlock."), code="required", field="username")
    attempts = AccessAttempt.objects.filter(username=username)
    cleared = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    reset(username=username)
    security_event(
        kind=SecurityEvent.Kind.UNLOCK,
        subject=f"staff:{username}",
        actor=actor,
        ip=ip,
        note=str(_("%(count)s wrong tries cleared") % {"count": cleared}),
        now=now,
    )
    return cleared


@transaction.atomic
def staff_tokens_revoke(*, actor: User, user: User, ip=None, now=None) -> int:
    """End every API token of ``user`` (an administrator's doing: a token leaked)."""
    require(actor, "staff.revoke")
    now = now or timezone.now()
    count = tokens.tokens_revoke_all(user=user, now=now)
    security_event(
        kind=SecurityEvent.Kind.TOKEN_REVOKED,
        subject=subject_of(user),
        actor=actor,
        ip=ip,
        note=str(_("%(count)s tokens revoked") % {"count": count}),
        now=now,
    )
    return count


def totp_secret(device: TOTPDevice) -> str:
    """The device's key as authenticator apps take it typed in (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def totp_begin(*, user: User) -> TOTPDevice:
    """Start enrolling an authenticator app: a new secret, not yet in force. Asking again gives
    the same one until it is confirmed. Refused when one is already in force."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise DomainError(
            _("You already sign in with an authenticator app."), code="already_enrolled"
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="propdesk", confirmed=False)


@transaction.atomic
def totp_confirm(*, user: User, code: str, ip=None, now=None) -> TOTPDevice:
    """Put the secret in force once the app shows a right code: from now on signing in asks
    for it."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise DomainError(_("Start setting up the app again."), code="not_started", field="code")
    if not device.verify_token((code or "").strip()):
        raise DomainError(
            _("The code is not right. Check the app's clock and enter the code it shows now."),
            code="wrong_otp",
            field="code",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    security_event(
        kind=SecurityEvent.Kind.TOTP_ENROLLED, subject=subject_of(user), actor=user, ip=ip, now=now
    )
    return device


@transaction.atomic
def totp_remove(*, actor: User, user: User, ip=None, now=None) -> int:
    """Remove ``user``'s authenticator (a lost phone): they sign in with the password alone and
    may enrol again. An administrator's doing."""
    require(actor, "staff.revoke")
    count, _deleted = TOTPDevice.objects.filter(user=user).delete()
    security_event(
        kind=SecurityEvent.Kind.TOTP_REMOVED, subject=subject_of(user), actor=actor, ip=ip, now=now
    )
    return count
