"""The portal's own sign-in session: a customer is never a staff user."""

from functools import wraps

from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import PortalAccount

SESSION_KEY = "portal_account_id"
# A digest of the account's password: a new password signs out every other browser.
HASH_KEY = "portal_account_hash"


def session_hash(account: PortalAccount) -> str:
    return salted_hmac("propdesk.portal.session", account.password or "-").hexdigest()


def session_fields(account: PortalAccount) -> dict:
    """What a signed-in portal session holds."""
    return {SESSION_KEY: account.pk, HASH_KEY: session_hash(account)}


def portal_login(request, account: PortalAccount) -> None:
    request.session.cycle_key()  # a new session id at sign-in: no session fixation
    request.session.update(session_fields(account))


def keep_signed_in(request, account: PortalAccount) -> None:
    """After the customer changed their password here: this browser stays signed in."""
    request.session[HASH_KEY] = session_hash(account)


def portal_logout(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop("portal_household_id", None)
    request.session.cycle_key()


def signed_in_account(request) -> PortalAccount | None:
    """The customer signed in to the portal in this browser, if any."""
    account_id = request.session.get(SESSION_KEY)
    if not account_id:
        return None
    account = (
        PortalAccount.objects.select_related("customer")
        .filter(pk=account_id, is_active=True)
        .first()
    )
    if account is None or not constant_time_compare(
        request.session.get(HASH_KEY, ""), session_hash(account)
    ):
        return None
    return account


def portal_login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        account = signed_in_account(request)
        if account is None:
            return redirect("portal:login")
        request.portal_account = account
        return view(request, *args, **kwargs)

    return wrapper
