"""Signing customers in to the portal: a password, or a one-time code sent by SMS.

Codes expire after 5 minutes, are used once, and die after 5 wrong tries; a number gets at most
one code a minute and five an hour. ``PROPDESK_SIGNIN_LOCK_AFTER`` wrong passwords or codes in a
row (5) lock the account for ``PROPDESK_SIGNIN_LOCK_MINUTES`` (15): the policy staff sign-in
shares (``org.signin``). Messages never say whether a number is registered. Staff unlock an
account early with ``account_unlock``, which is audited.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, TooManyRequests
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.core.phones import normalize_phone
from propdesk.customers.models import Customer
from propdesk.org.models import SecurityEvent
from propdesk.org.services import security_event

from .models import LoginCode, PortalAccount

CODE_TTL = dt.timedelta(minutes=5)
CODE_ATTEMPTS = 5
CODES_PER_HOUR = 5
CODE_INTERVAL = dt.timedelta(minutes=1)


def lock_after() -> int:
    return settings.PROPDESK_SIGNIN_LOCK_AFTER


def lock_for() -> dt.timedelta:
    return dt.timedelta(minutes=settings.PROPDESK_SIGNIN_LOCK_MINUTES)


WRONG = _("The mobile number or the code is not right.")
WRONG_PASSWORD = _("The mobile number or the password is not right.")
CODE_SUBJECT = _("Your sign-in code")
CODE_BODY = _("Your propdesk sign-in code is %(code)s. It is valid for 5 minutes; do not share it.")


def _customer_for(phone: str) -> Customer | None:
    """The one customer with this mobile, or None (nobody, or several: staff must sort it out)."""
    found = list(Customer.objects.filter(phones__number=phone).distinct()[:2])
    return found[0] if len(found) == 1 else None


def _check_lock(account: PortalAccount | None, now) -> None:
    if account is not None and account.locked_until and account.locked_until > now:
        raise TooManyRequests(
            _("Too many wrong tries. Try again after %(time)s.")
            % {"time": timezone.localtime(account.locked_until).strftime("%H:%M")},
            code="locked",
        )


def _failed(account: PortalAccount | None, now) -> None:
    if account is None:
        return
    PortalAccount.objects.filter(pk=account.pk).update(failed_logins=F("failed_logins") + 1)
    account.refresh_from_db(fields=["failed_logins"])
    if account.failed_logins >= lock_after():
        PortalAccount.objects.filter(pk=account.pk).update(
            locked_until=now + lock_for(), failed_logins=0
        )


def _signed_in(account: PortalAccount, now) -> PortalAccount:
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    account.save(update_fields=["failed_logins", "locked_until", "last_login_at", "updated_at"])
    return account


@transaction.atomic
def code_request(*, phone: str, now=None) -> None:
    """Send a sign-in code to ``phone`` if it belongs to one customer; say nothing either way."""
    now = now or timezone.now()
    phone = normalize_phone(phone, field="phone")
    recent = LoginCode.objects.filter(phone=phone, created_at__gt=now - dt.timedelta(hours=1))
    latest = recent.order_by("-created_at").first()
    if latest and latest.created_at > now - CODE_INTERVAL:
        raise TooManyRequests(_("A code was sent less than a minute ago."), field="phone")
    if recent.count() >= CODES_PER_HOUR:
        raise TooManyRequests(_("Too many codes this hour. Try again later."), field="phone")
    account = PortalAccount.objects.filter(phone=phone).select_related("customer").first()
    _check_lock(account, now)
    customer = account.customer if account else _customer_for(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    # Recorded even for unknown numbers, so the rate limit cannot tell registered ones apart.
    LoginCode.objects.create(
        phone=phone, code_hash=make_password(code), created_at=now, expires_at=now + CODE_TTL
    )
    if customer is not None and (account is None or account.is_active):
        notify(
            event="portal.code",
            subject=CODE_SUBJECT,
            body=CODE_BODY,
            context={"code": code},
            customer=customer,
            channels=["sms"],
            urgent=True,
            now=now,
        )


def _refuse_after_commit(attempt):
    """Run ``attempt`` in a transaction; a refusal it returns is raised only after commit, so the
    failed try it counted is kept (raising inside would roll the count back)."""

    def run(**kwargs):
        with transaction.atomic():
            result = attempt(**kwargs)
        if isinstance(result, DomainError):
            raise result
        return result

    run.__doc__ = attempt.__doc__
    return run


@_refuse_after_commit
def code_sign_in(*, phone: str, code: str, now=None) -> PortalAccount:
    """Sign in with the latest code sent to ``phone``; the first sign-in opens the account."""
    now = now or timezone.now()
    phone = normalize_phone(phone, field="phone")
    account = PortalAccount.objects.select_for_update().filter(phone=phone).first()
    _check_lock(account, now)
    latest = (
        LoginCode.objects.select_for_update()
        .filter(phone=phone, used_at__isnull=True, expires_at__gt=now, attempts__lt=CODE_ATTEMPTS)
        .order_by("-created_at")
        .first()
    )
    if latest is None or not check_password((code or "").strip(), latest.code_hash):
        if latest is not None:
            LoginCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
        _failed(account, now)
        return DomainError(WRONG, code="wrong_code", field="code")
    customer = account.customer if account else _customer_for(phone)
    if customer is None or (account is not None and not account.is_active):
        return DomainError(WRONG, code="wrong_code", field="code")
    latest.used_at = now
    latest.save(update_fields=["used_at"])
    if account is None:
        account = PortalAccount.objects.create(customer=customer, phone=phone)
    return _signed_in(account, now)


@_refuse_after_commit
def password_sign_in(*, phone: str, password: str, now=None) -> PortalAccount:
    now = now or timezone.now()
    phone = normalize_phone(phone, field="phone")
    account = PortalAccount.objects.select_for_update().filter(phone=phone).first()
    _check_lock(account, now)
    if (
        account is None
        or not account.is_active
        or not account.password
        or not check_password(password or "", account.password)
    ):
        _failed(account, now)
        return DomainError(WRONG_PASSWORD, code="wrong_password", field="password")
    return _signed_in(account, now)


@transaction.atomic
def password_set(*, account: PortalAccount, password: str, keep_token=None, now=None) -> None:
    """Set or change the password. Every other sign-in ends: other browsers' sessions (their
    digest of the password no longer matches) and every app token but ``keep_token``."""
    from .models import PortalToken

    now = now or timezone.now()
    if len(password or "") < 8:
        raise DomainError(
            _("Choose a password of at least 8 characters."), code="too_short", field="password"
        )
    account.password = make_password(password)
    account.save(update_fields=["password", "updated_at"])
    live = PortalToken.objects.filter(account=account, revoked_at__isnull=True)
    if keep_token is not None:
        live = live.exclude(pk=keep_token.pk)
    live.update(revoked_at=now)


@transaction.atomic
def account_unlock(*, actor, account: PortalAccount, ip=None, now=None) -> None:
    """Lift the lock on a customer's account before it ends by itself (the customer called,
    and staff know it is them), and clear its wrong tries. Audited (``org.SecurityEvent``)."""
    now = now or timezone.now()
    require(actor, "portal_account.unlock", account.customer)
    account = PortalAccount.objects.select_for_update().get(pk=account.pk)
    was_locked = bool(account.locked_until and account.locked_until > now)
    account.failed_logins, account.locked_until = 0, None
    account.save(update_fields=["failed_logins", "locked_until", "updated_at"])
    security_event(
        kind=SecurityEvent.Kind.UNLOCK,
        subject=f"customer:{account.phone}",
        actor=actor,
        ip=ip,
        note=str(_("was locked") if was_locked else _("was not locked")),
        now=now,
    )
