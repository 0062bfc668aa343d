"""The resident portal's pages: sign in, see one's households and requests, switch unit."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.aftercare.services import rework as aftercare_rework
from propdesk.catalog.selectors import items_for_office
from propdesk.core.errors import DomainError, NotFound
from propdesk.core.inbox import inbox_for_customer, inbox_mark_read
from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.customers.services import customer_set_preferences
from propdesk.tickets import services as tickets
from propdesk.tickets.lifecycle import TRANSITIONS
from propdesk.tickets.models import Channel, Kind

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
    RequestForm,
    SetPasswordForm,
)


def _show(form, err: DomainError) -> int:
    form.add_error(err.field if err.field in form.fields else None, err.message)
    return err.status


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
            status = _show(form, err)
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


def _home(request, *, password_form=None, status=200):
    account = request.portal_account
    household = selectors.current_household(request, account)
    context = {
        "customer": account.customer,
        "households": list(selectors.households_of(account)),
        "household": household,
        "requests": selectors.requests_of(account, household),
        "password_form": password_form or SetPasswordForm(),
    }
    return render(request, "portal/home.html", context, status=status)


@portal_login_required
def home(request):
    return _home(request)


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
            _show(form, err)
        else:
            keep_signed_in(request, request.portal_account)
            messages.success(request, _("Your password is set."))
            return redirect("portal:home")
    return _home(request, password_form=form, status=400)


def _request_or_404(request, pk):
    try:
        return selectors.request_of(request.portal_account, pk)
    except NotFound:
        raise Http404 from None


@portal_login_required
def request_detail(request, pk, *, error=None, status=200):
    ticket = _request_or_404(request, pk)
    if ticket.kind == Kind.COMPLAINT:  # a complaint has a page of its own
        return redirect("portal:complaint", pk=ticket.complaint.pk)
    context = {
        "ticket": ticket,
        "timeline": selectors.timeline_of(ticket),
        "photos": list(ticket.photos.all()),
        "reworks": list(ticket.reworks.all()),
        "quote": selectors.pending_quote(ticket),
        "proposal": selectors.pending_proposal(ticket, timezone.now()),
        # The lifecycle decides: cancelling until a technician is on the way, confirming once done.
        "can_cancel": ticket.status in TRANSITIONS["cancel"].sources,
        "can_confirm": ticket.status in TRANSITIONS["close"].sources,
        # M15: "The problem came back", within 90 days of the closing.
        "can_rework": aftercare_rework.customer_may_rework(ticket, timezone.now()),
        "rework_days": aftercare_rework.PORTAL_REWORK_DAYS,
        "error": error,
    }
    return render(request, "portal/request_detail.html", context, status=status)


@require_POST
@portal_login_required
def request_act(request, pk, action):
    """The customer's own steps: answer the fee or a new deadline, confirm and rate, cancel
    before dispatch, ask for rework when the problem came back."""
    ticket = _request_or_404(request, pk)
    if ticket.kind == Kind.COMPLAINT:
        return redirect("portal:complaint", pk=ticket.complaint.pk)
    customer = request.portal_account.customer
    post = request.POST
    try:
        if action == "quote":
            quote = selectors.pending_quote(ticket)
            if quote is None:
                raise DomainError(_("There is no fee waiting for your answer."), code="no_quote")
            tickets.quote_answer_by_customer(
                customer=customer, quote=quote, accepted=post.get("answer") == "accept"
            )
        elif action == "extension":
            proposal = selectors.pending_proposal(ticket, timezone.now())
            if proposal is None:
                raise DomainError(
                    _("There is no new deadline waiting for your answer."), code="no_proposal"
                )
            tickets.extension_answer_by_customer(
                customer=customer,
                proposal=proposal,
                agreed=post.get("answer") == "agree",
                comment=post.get("comment", ""),
            )
        elif action == "confirm":
            tickets.ticket_customer_confirm(
                ticket=ticket,
                satisfied=post.get("satisfied") == "yes",
                comment=post.get("comment", ""),
                channel=Channel.PORTAL,
            )
        elif action == "cancel":
            tickets.ticket_cancel(actor=None, ticket=ticket, reason=post.get("reason", ""))
        elif action == "rework":
            rework = aftercare_rework.rework_open_by_customer(
                customer=customer, original=ticket, complaint=post.get("complaint", "")
            )
            messages.success(
                request,
                _("We are sorry. Rework %(number)s is opened and will be done by %(due)s.")
                % {
                    "number": rework.number,
                    "due": timezone.localtime(rework.due_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("portal:request", pk=rework.pk)
        else:
            raise Http404
    except DomainError as err:
        return request_detail.__wrapped__(request, pk, error=err.message, status=err.status)
    messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("portal:request", pk=pk)


@portal_login_required
def request_new(request):
    account = request.portal_account
    household = selectors.current_household(request, account)
    items = items_for_office(account.customer.office_id).filter(in_scope=True)
    form = RequestForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            item = d["item"]
            try:
                ticket = tickets.ticket_create_by_customer(
                    customer=account.customer,
                    household=household,
                    kind=d["kind"] or None,
                    item=item,
                    description=d["description"],
                    requested_deadline=d["requested_deadline"],
                    photos=d["photos"],
                )
            except DomainError as err:
                status = _show(form, err)
            else:
                messages.success(
                    request, _("Request %(number)s received.") % {"number": ticket.number}
                )
                return redirect("portal:request", pk=ticket.pk)
    context = {"form": form, "household": household}
    return render(request, "portal/request_new.html", context, status=status)


@portal_login_required
def inbox(request):
    """The customer's messages, newest first; unread ones are marked new until they say so."""
    customer = request.portal_account.customer
    if request.method == "POST":
        inbox_mark_read(customer=customer)
        return redirect("portal:inbox")
    page = CappedPaginator(inbox_for_customer(customer), 20).get_page(request.GET.get("page"))
    unread = {m.pk for m in page if m.read_at is None}
    return render(request, "portal/inbox.html", {"page": page, "unread": unread})


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
                status = _show(form, err)
            else:
                messages.success(request, _("Your choices are saved."))
                response = redirect("portal:preferences")
                if not customer.language:
                    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
                return _in_their_language(response, customer)
    return render(request, "portal/preferences.html", {"form": form}, status=status)


@portal_login_required
def request_photo(request, pk, photo_pk):
    """A photo the customer filed with their own request; anyone else's is not there."""
    ticket = _request_or_404(request, pk)
    photo = ticket.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return serve_file(photo.image.name)
