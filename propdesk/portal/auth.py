"""The portal's own sign-in session: a customer is never a staff user."""

from functools import wraps

from django.shortcuts import redirect

from .models import PortalAccount

SESSION_KEY = "portal_account_id"


def portal_login(request, account: PortalAccount) -> None:
    request.session.cycle_key()  # a new session id at sign-in: no session fixation
    request.session[SESSION_KEY] = account.pk


def portal_logout(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop("portal_household_id", None)
    request.session.cycle_key()


def signed_in_account(request) -> PortalAccount | None:
    """The customer signed in to the portal in this browser, if any."""
    account_id = request.session.get(SESSION_KEY)
    if not account_id:
        return None
    return (
        PortalAccount.objects.select_related("customer")
        .filter(pk=account_id, is_active=True)
        .first()
    )


def portal_login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        account = signed_in_account(request)
        if account is None:
            return redirect("portal:login")
        request.portal_account = account
        return view(request, *args, **kwargs)

    return wrapper
