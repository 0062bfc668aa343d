"""Console pages of community activities (M07): the list, an activity with its registrations
and timeline, the forms, the confirmations, registering a caller and the check-in desk. Thin:
selector → form → service → render; a service's refusal is shown on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404
from propdesk.customers import selectors as customer_selectors

from . import selectors, services
from .forms import (
    SEAT_CHOICES,
    ActivityFilterForm,
    ActivityForm,
    CancelForm,
    FeedbackForm,
    FinishForm,
    PublishForm,
    RegisterForm,
)
from .lifecycle import ACTIVITIES, REGISTRATIONS
from .models import Activity, Registration

PAGE_SIZE = 50
SEARCH_RESULTS = 20  # callers found on the register page; narrow the search for more
TIMELINE_LIMIT = 200
State, RState = Activity.State, Registration.State
SEATED = (RState.CONFIRMED, RState.ATTENDED, RState.ABSENT)
CLOSED = _("A held or cancelled activity cannot be changed.")


def _posted(request):
    """The POST data, even when empty: an empty POST is a bound form that says what is missing."""
    return request.POST if request.method == "POST" else None


def _require(user, action, activity=None) -> None:
    if not allowed(user, action, activity):
        raise PermissionDenied


# --- the list ---------------------------------------------------------------------------------


@login_required
@require_GET
def activity_list(request):
    form = ActivityFilterForm(request.GET or None, user=request.user)
    activities = selectors.activities_for_user(request.user, form.filters())
    page = CappedPaginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/list.html",
        {"form": form, "page": page, "can_create": allowed(request.user, "activity.edit")},
    )


# --- one activity -----------------------------------------------------------------------------


def _grouped(user, activity) -> dict:
    """The registrations in queue order, grouped as the desk reads them, each with the actions
    the user may take on it now; the waiting list numbered as customers are told their place."""
    seated, waiting, cancelled = [], [], []
    for registration in selectors.registrations_for(activity):
        registration.activity = activity
        registration.actions = REGISTRATIONS.actions_for(user, registration)
        if registration.state in SEATED:
            seated.append(registration)
        elif registration.state == RState.WAITING:
            registration.position = len(waiting) + 1
            waiting.append(registration)
        else:
            cancelled.append(registration)
    return {"seated": seated, "waiting": waiting, "cancelled": cancelled}


def _abilities(user, activity) -> dict:
    """The page's buttons: exactly what the activity's lifecycle offers this user now."""
    offered = ACTIVITIES.actions_for(user, activity)
    return {
        "can_edit": "edit" in offered,
        "can_publish": "publish" in offered,
        "can_cancel": "cancel" in offered,
        "can_finish": "finish" in offered,
        "can_register": "register" in offered,
        # The check-in desk lists the registrations while the activity is open.
        "can_desk": activity.state == State.PUBLISHED
        and allowed(user, "activity.register", activity),
    }


def _detail_context(user, activity, **extra) -> dict:
    return {
        "activity": activity,
        "summary": selectors.summary(activity),
        "events": selectors.timeline(activity)[:TIMELINE_LIMIT],
        **_grouped(user, activity),
        **_abilities(user, activity),
        **extra,
    }


def _refused(request, activity, err: DomainError, *, page: str = "detail"):
    """A service said no: its message on the page the user acted from, with its status."""
    messages.error(request, err.message)
    activity = selectors.activity_get(request.user, activity.pk)
    if page == "checkin":
        return render(request, "community/checkin.html", _desk_context(activity), status=err.status)
    return render(
        request,
        "community/detail.html",
        _detail_context(request.user, activity),
        status=err.status,
    )


@login_required
@require_GET
def activity_detail(request, pk):
    activity = get_or_404(selectors.activity_get, request.user, pk)
    return render(request, "community/detail.html", _detail_context(request.user, activity))


# --- writing ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    _require(request.user, "activity.edit")
    form = ActivityForm(_posted(request), user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                activity = services.activity_create(actor=request.user, **form.activity_fields())
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Activity saved as a draft."))
                return redirect("console:activity", pk=activity.pk)
    return render(request, "community/form.html", {"form": form, "activity": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = get_or_404(selectors.activity_get, request.user, pk)
    if activity.state in (State.FINISHED, State.CANCELLED):
        messages.error(request, CLOSED)
        return redirect("console:activity", pk=activity.pk)
    if not ACTIVITIES.may(request.user, activity, "edit"):
        raise PermissionDenied
    form = ActivityForm(_posted(request), user=request.user, activity=activity)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    expected_version=form.expected_version,
                    **form.activity_fields(),
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Activity saved."))
                return redirect("console:activity", pk=activity.pk)
    return render(
        request, "community/form.html", {"form": form, "activity": activity}, status=status
    )


# --- publishing, cancelling, finishing --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def activity_publish(request, pk):
    """GET asks for confirmation (and whether to message every customer); POST publishes."""
    activity = get_or_404(selectors.activity_get, request.user, pk)
    _require(request.user, "activity.publish", activity)
    form = PublishForm(_posted(request), activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_publish(
                actor=request.user,
                activity=activity,
                notify_customers=form.cleaned_data["notify_customers"],
                expected_version=form.expected_version,
            )
        except DomainError as err:
            return _refused(request, activity, err)
        messages.success(request, _("Activity published: registration is open."))
        return redirect("console:activity", pk=activity.pk)
    return render(request, "community/confirm_publish.html", {"activity": activity, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def activity_cancel(request, pk):
    activity = get_or_404(selectors.activity_get, request.user, pk)
    _require(request.user, "activity.publish", activity)
    form = CancelForm(_posted(request), activity=activity)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.activity_cancel(
                    actor=request.user,
                    activity=activity,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.expected_version,
                )
            except DomainError as err:
                if err.field != "reason":
                    return _refused(request, activity, err)
                status = show_error(form, err)
            else:
                messages.success(request, _("Activity cancelled; everyone registered is told."))
                return redirect("console:activity", pk=activity.pk)
    return render(
        request,
        "community/confirm_cancel.html",
        {"activity": activity, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_finish(request, pk):
    activity = get_or_404(selectors.activity_get, request.user, pk)
    _require(request.user, "activity.publish", activity)
    form = FinishForm(_posted(request), activity=activity)
    if request.method == "POST":
        try:
            # An invalid version (not a number) is simply not sent: the last word wins.
            version = form.expected_version if form.is_valid() else None
            services.activity_finish(
                actor=request.user, activity=activity, expected_version=version
            )
        except DomainError as err:
            return _refused(request, activity, err)
        messages.success(request, _("Activity marked as held; attendance recorded."))
        return redirect("console:activity", pk=activity.pk)
    summary = selectors.summary(activity)
    return render(
        request,
        "community/confirm_finish.html",
        {"activity": activity, "summary": summary, "form": form},
    )


# --- registering a caller ---------------------------------------------------------------------


def _matches(user, activity, q: str) -> list:
    """The office's customers matching the search, each with their live registration."""
    if not q:
        return []
    found = list(
        customer_selectors.customer_list(user, q).filter(office=activity.office_id)[:SEARCH_RESULTS]
    )
    live = {
        r.customer_id: r
        for r in activity.registrations.filter(customer__in=found).exclude(state=RState.CANCELLED)
    }
    for customer in found:
        customer.registration = live.get(customer.pk)
    return found


def _registered_message(registration) -> str:
    name = registration.customer.name
    if registration.state == RState.WAITING:
        return gettext("%(name)s is on the waiting list, number %(n)d.") % {
            "name": name,
            "n": services.waiting_position(registration),
        }
    return ngettext(
        "%(name)s is registered: %(n)d place confirmed.",
        "%(name)s is registered: %(n)d places confirmed.",
        registration.seats,
    ) % {"name": name, "n": registration.seats}


@login_required
@require_http_methods(["GET", "POST"])
def activity_register(request, pk):
    """GET searches the office's customers (?q=); POST registers the one chosen."""
    activity = get_or_404(selectors.activity_get, request.user, pk)
    _require(request.user, "activity.register", activity)
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()
    status, error = 200, None
    if request.method == "POST":
        form = RegisterForm(request.POST)
        status = 400
        if not form.is_valid():
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        else:
            data = form.cleaned_data
            try:
                customer = customer_selectors.customer_get(request.user, data["customer"])
                registration = services.register(
                    activity=activity,
                    customer=customer,
                    seats=data["seats"],
                    note=data["note"],
                    actor=request.user,
                )
            except DomainError as err:
                status, error = err.status, err.message
            else:
                level = (
                    messages.WARNING if registration.state == RState.WAITING else messages.SUCCESS
                )
                messages.add_message(request, level, _registered_message(registration))
                return redirect("console:activity", pk=activity.pk)
    context = {
        "activity": activity,
        "summary": selectors.summary(activity),
        "q": q,
        "matches": _matches(request.user, activity, q),
        "seat_choices": SEAT_CHOICES,
        "error": error,
        "is_open": activity.state == State.PUBLISHED
        and timezone.now() < activity.registration_closes_at,
    }
    return render(request, "community/register.html", context, status=status)


# --- the check-in desk ------------------------------------------------------------------------


def _desk_context(activity) -> dict:
    rows = list(
        selectors.registrations_for(activity)
        .filter(state__in=(RState.CONFIRMED, RState.ATTENDED))
        .order_by("customer__name", "pk")
    )
    now = timezone.now()
    return {
        "activity": activity,
        "rows": rows,
        "checked_in": sum(r.seats for r in rows if r.state == RState.ATTENDED),
        "expected": sum(r.seats for r in rows),
        "checked_in_parties": sum(r.state == RState.ATTENDED for r in rows),
        "window_open": services.check_in_open(activity, now),
    }


@login_required
@require_GET
def activity_checkin(request, pk):
    activity = get_or_404(selectors.activity_get, request.user, pk)
    _require(request.user, "activity.register", activity)
    return render(request, "community/checkin.html", _desk_context(activity))


# --- one registration: cancel for the caller, check in, record feedback -----------------------


def _withdraw(request, activity, registration):
    if request.method == "GET":
        return render(
            request,
            "community/confirm_withdraw.html",
            {"activity": activity, "registration": registration},
        )
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except DomainError as err:
        return _refused(request, activity, err)
    messages.success(
        request,
        gettext("Registration of %(name)s cancelled.") % {"name": registration.customer.name},
    )
    return redirect("console:activity", pk=activity.pk)


def _check_in(request, activity, registration):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    page = "checkin" if request.POST.get("from") == "checkin" else "detail"
    try:
        services.registration_check_in(registration=registration, actor=request.user)
    except DomainError as err:
        return _refused(request, activity, err, page=page)
    messages.success(
        request, gettext("%(name)s checked in.") % {"name": registration.customer.name}
    )
    target = "console:activity_checkin" if page == "checkin" else "console:activity"
    return redirect(target, pk=activity.pk)


def _feedback(request, activity, registration):
    form = FeedbackForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.registration_feedback(
                    registration=registration, actor=request.user, **form.cleaned_data
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Feedback recorded."))
                return redirect("console:activity", pk=activity.pk)
    return render(
        request,
        "community/feedback.html",
        {"activity": activity, "registration": registration, "form": form},
        status=status,
    )


# The page of each action of a registration's lifecycle (``REGISTRATIONS``) a user takes here.
PAGES = {"cancel": _withdraw, "check_in": _check_in, "feedback": _feedback}


@login_required
@require_http_methods(["GET", "POST"])
def registration_act(request, pk, reg_pk, action):
    """cancel (GET confirms, POST cancels), check_in (POST), feedback (GET form, POST). Who may
    is the lifecycle's permission; whether the registration's state allows it, its service's."""
    if action not in PAGES or action not in REGISTRATIONS:
        raise Http404
    activity = get_or_404(selectors.activity_get, request.user, pk)
    registration = get_or_404(selectors.registration_get, activity, reg_pk)
    _require(request.user, REGISTRATIONS[action].permission, activity)
    return PAGES[action](request, activity, registration)
