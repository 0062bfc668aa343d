"""The resident portal's own pages: signing in and out, the customer's password, unit, language,
messages and choices. The pages of requests, notices, activities and complaints are their apps'
(``<app>/portal_views.py``); the root URLconf puts them all under /portal/."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.forms import show_error
from propdesk.core.inbox import inbox_for_customer, inbox_mark_read
from propdesk.core.pagination import CappedPaginator
from propdesk.customers.services import customer_set_preferences

from . import selectors, services
from .auth import (
    keep_signed_in,
    portal_login,
    portal_login_required,
    portal_logout,
    signed_in_account,
)
from .forms import (
    CodeSignInForm,
    PasswordSignInForm,
    PhoneForm,
    PreferencesForm,
    SetPasswordForm,
)
from .todos import still_open, todo_events, todos_for


def login(request):
    """Sign in with a password, or ask for a code by SMS and sign in with it."""
    password_form = PasswordSignInForm(prefix="pw")
    code_request_form = PhoneForm(prefix="ask")
    code_form = CodeSignInForm(prefix="code")
    status = 200
    action = request.POST.get("action")
    if request.method == "POST":
        status = 400
        try:
            if action == "password":
                password_form = PasswordSignInForm(request.POST, prefix="pw")
                if password_form.is_valid():
                    account = services.password_sign_in(**password_form.cleaned_data)
                    portal_login(request, account)
                    return _in_their_language(redirect("portal:home"), account.customer)
            elif action == "ask":
                code_request_form = PhoneForm(request.POST, prefix="ask")
                if code_request_form.is_valid():
                    services.code_request(phone=code_request_form.cleaned_data["phone"])
                    messages.info(
                        request, _("If this number is registered with us, a code is on its way.")
                    )
                    code_form = CodeSignInForm(
                        prefix="code", initial={"phone": code_request_form.cleaned_data["phone"]}
                    )
                    status = 200
            elif action == "code":
                code_form = CodeSignInForm(request.POST, prefix="code")
                if code_form.is_valid():
                    account = services.code_sign_in(**code_form.cleaned_data)
                    portal_login(request, account)
                    return _in_their_language(redirect("portal:home"), account.customer)
        except DomainError as err:
            form = {"password": password_form, "ask": code_request_form}.get(action, code_form)
            status = show_error(form, err)
    context = {
        "password_form": password_form,
        "ask_form": code_request_form,
        "code_form": code_form,
    }
    return render(request, "portal/login.html", context, status=status)


def _in_their_language(response, customer):
    """The portal speaks the language the customer chose, from sign-in on, on this device."""
    if customer.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            customer.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response


@require_POST
def language(request):
    """Switch the portal's language; a signed-in customer's messages follow it too."""
    chosen = request.POST.get("language", "")
    if chosen not in dict(settings.LANGUAGES):
        chosen = settings.LANGUAGE_CODE
    account = signed_in_account(request)
    if account is not None:
        customer_set_preferences(customer=account.customer, language=chosen)
    response = redirect(request.POST.get("next") or "portal:home")
    if not url_has_allowed_host_and_scheme(
        response.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        response = redirect("portal:home")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


@require_POST
def logout(request):
    portal_logout(request)
    return redirect("portal:login")


@require_POST
@portal_login_required
def switch_household(request, pk):
    try:
        household = selectors.household_of(request.portal_account, pk)
    except NotFound:
        raise Http404 from None  # another customer's unit is not there at all
    request.session["portal_household_id"] = household.pk
    return redirect("portal:home")


@require_POST
@portal_login_required
def set_password(request):
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.password_set(account=request.portal_account, **form.cleaned_data)
        except DomainError as err:
            show_error(form, err)
        else:
            keep_signed_in(request, request.portal_account)
            messages.success(request, _("Your password is set."))
            return redirect("portal:me")
    # The front page only offers the form; a refusal is shown on it, on a page of its own.
    return render(request, "portal/password.html", {"password_form": form}, status=400)


@portal_login_required
def inbox(request):
    """The customer's messages, newest first; unread ones are marked new until they say so."""
    customer = request.portal_account.customer
    if request.method == "POST":
        inbox_mark_read(customer=customer)
        return redirect("portal:inbox")
    page = CappedPaginator(inbox_for_customer(customer), 20).get_page(request.GET.get("page"))
    unread = {m.pk for m in page if m.read_at is None}
    # A message that asks for something (a fee, a new deadline, a survey) is a to-do only while
    # its question is open: answered here, in the app or by phone, it reads as done.
    todos = todos_for(customer)
    asking = todo_events()
    for message in page:
        message.todo = message.event in asking
        message.todo_open = message.todo and still_open(message, todos)
    context = {"page": page, "unread": unread, "todos": todos, "portal_todo_count": len(todos)}
    return render(request, "portal/inbox.html", context)


@portal_login_required
def me(request):
    """The customer's own page: who they are, their units, how we reach them, their password,
    the portal's language, signing out."""
    account = request.portal_account
    context = {
        "customer": account.customer,
        "account": account,
        "households": list(selectors.households_of(account)),
        "password_form": SetPasswordForm(),
    }
    return render(request, "portal/me.html", context)


@portal_login_required
def hub(request):
    """The community tab: activities, the forum, surveys, the Service Guide, complaints and,
    for its members, the owners' committee."""
    return render(request, "portal/hub.html")


@portal_login_required
def preferences(request):
    customer = request.portal_account.customer
    initial = {f: getattr(customer, f) for f in PreferencesForm.base_fields}
    form = PreferencesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                customer = customer_set_preferences(customer=customer, **form.cleaned_data)
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Your choices are saved."))
                response = redirect("portal:preferences")
                if not customer.language:
                    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
                return _in_their_language(response, customer)
    return render(request, "portal/preferences.html", {"form": form}, status=status)
