"""The resident portal's community activities (M07): what is on for the customer's homes, one
activity with the customer's registration, and their own steps — register, cancel, give feedback.

Every step calls the community services as the customer; what the services refuse is shown on
the activity's page with the error's status. An activity that is not for the customer (another
office's, another community's, a draft) is not found, like any record that is not theirs.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404
from propdesk.portal.auth import portal_login_required

from . import selectors, services
from .models import MAX_SEATS, Activity, Registration

RState = Registration.State
OPEN = (RState.CONFIRMED, RState.WAITING)


def _registration_or_404(customer, activity) -> Registration:
    registration = selectors.registration_of(customer, activity)
    if registration is None:
        raise Http404  # nothing of theirs to cancel or rate
    return registration


def _number(value):
    """The posted whole number, or the text as given: the service names what is wrong."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


@portal_login_required
def activity_list(request):
    """What is on for the customer's homes, soonest first, with their own registration marked;
    below, their own activities, newest first, past ones to give feedback on."""
    customer = request.portal_account.customer
    now = timezone.now()
    upcoming = CappedPaginator(selectors.activities_for_customer(customer, now=now), 20).get_page(
        request.GET.get("page")
    )
    mine = CappedPaginator(selectors.registrations_of_customer(customer), 10).get_page(
        request.GET.get("mine")
    )
    # The customer's live registrations for this page's activities, in one query.
    on_page = (
        selectors.registrations_of_customer(customer)
        .filter(activity__in=[a.pk for a in upcoming])
        .exclude(state=RState.CANCELLED)
    )
    registered = {r.activity_id: r for r in on_page}
    positions = selectors.waiting_positions([*registered.values(), *mine])
    rows = [
        {
            "activity": activity,
            "free": max(activity.capacity - (activity.taken or 0), 0),
            "registration": registered.get(activity.pk),
            "position": positions.get(getattr(registered.get(activity.pk), "pk", None)),
        }
        for activity in upcoming
    ]
    my_rows = [
        {
            "registration": registration,
            "position": positions.get(registration.pk),
            "can_feedback": registration.state == RState.ATTENDED
            and registration.feedback_at is None
            and registration.activity.starts_at <= now,
        }
        for registration in mine
    ]
    context = {"upcoming": upcoming, "rows": rows, "mine": mine, "my_rows": my_rows}
    return render(request, "community/portal_list.html", context)


def _detail(request, activity, *, error=None, status=200, comment=""):
    customer = request.portal_account.customer
    now = timezone.now()
    registration = selectors.registration_of(customer, activity)
    is_open = activity.state == Activity.State.PUBLISHED
    live = registration is not None and registration.state in OPEN
    context = {
        "activity": activity,
        "registration": registration,
        "position": (
            services.waiting_position(registration)
            if registration is not None and registration.state == RState.WAITING
            else None
        ),
        "free": max(activity.capacity - (activity.taken or 0), 0),
        # What the services would accept now, to offer only the forms that can work.
        "can_register": is_open
        and now < activity.registration_closes_at
        and not live
        and (registration is None or services.in_audience(activity, customer)),
        "can_cancel": live and is_open and now < activity.starts_at,
        "can_feedback": registration is not None
        and registration.state == RState.ATTENDED
        and registration.feedback_at is None
        and activity.starts_at <= now,
        "seat_choices": range(1, MAX_SEATS + 1),
        "ratings": range(1, 6),
        "comment": comment,
        "error": error,
    }
    return render(request, "community/portal_detail.html", context, status=status)


def _refused(request, activity, err: DomainError, **kwargs):
    if isinstance(err, NotFound):
        raise Http404 from None
    return _detail(request, activity, error=err.message, status=err.status, **kwargs)


@portal_login_required
def activity_detail(request, pk):
    return _detail(
        request, get_or_404(selectors.activity_for_customer, request.portal_account.customer, pk)
    )


@require_POST
@portal_login_required
def activity_register(request, pk):
    customer = request.portal_account.customer
    activity = get_or_404(selectors.activity_for_customer, customer, pk)
    try:
        registration = services.register(
            activity=activity, customer=customer, seats=_number(request.POST.get("seats", 1))
        )
    except DomainError as err:
        return _refused(request, activity, err)
    if registration.state == RState.CONFIRMED:
        messages.success(request, _("Registered: your places are confirmed."))
    else:
        messages.info(
            request,
            _("The activity is full: you are number %(n)d on the waiting list.")
            % {"n": services.waiting_position(registration)},
        )
    return redirect("portal:activity", pk=activity.pk)


@portal_login_required
def activity_cancel(request, pk):
    """GET asks "Are you sure?"; POST cancels the customer's registration."""
    customer = request.portal_account.customer
    activity = get_or_404(selectors.activity_for_customer, customer, pk)
    registration = _registration_or_404(customer, activity)
    if request.method != "POST":
        if registration.state not in OPEN:
            return redirect("portal:activity", pk=activity.pk)
        context = {"activity": activity, "registration": registration}
        return render(request, "community/portal_cancel.html", context)
    try:
        services.registration_cancel(registration=registration, customer=customer)
    except DomainError as err:
        return _refused(request, activity, err)
    messages.success(request, _("Cancelled: your registration is withdrawn."))
    return redirect("portal:activity", pk=activity.pk)


@require_POST
@portal_login_required
def activity_feedback(request, pk):
    customer = request.portal_account.customer
    activity = get_or_404(selectors.activity_for_customer, customer, pk)
    registration = _registration_or_404(customer, activity)
    comment = request.POST.get("comment", "")
    try:
        services.registration_feedback(
            registration=registration,
            customer=customer,
            rating=_number(request.POST.get("rating")),
            comment=comment,
        )
    except DomainError as err:
        return _refused(request, activity, err, comment=comment)
    messages.success(request, _("Thank you for your feedback."))
    return redirect("portal:activity", pk=activity.pk)
