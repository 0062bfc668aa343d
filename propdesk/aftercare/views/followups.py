"""Console pages for the weekly follow-up sample (M13).

- ``/console/followups/``: a follow-up specialist's worklist — their open calls, soonest due
  first, each with the customer, the order, the customer's recent history, a short call script
  and one-click outcomes; everyone else with ``followup.view`` (and the specialist, with
  ``?view=all``) gets the filterable list of calls.
- ``/console/followups/<id>/``: one call, with the same card; where a failed outcome is shown.
- ``/console/followups/batches/`` and ``…/batches/<id>/``: each office's weekly samples.

Thin: selector → form → service → redirect, or the service's message on the form with its status.
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import BoundedInput, WeekField, show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404
from propdesk.org.models import Office, Role
from propdesk.org.pickers import pick_office

from ..lifecycle import FOLLOWUP_CALLS
from ..models import FollowupCall
from ..selectors import followups as selectors
from ..services import followups as service

PAGE_SIZE = 25
WORKLIST_SIZE = 20


def _denied(request):
    return render(
        request, "console/denied.html", {"message": _("Your role may not do this.")}, status=403
    )


def _week_field(value) -> dt.date | None:
    if not value:
        return None
    try:
        return service.parse_week(value)
    except DomainError as err:
        raise forms.ValidationError(err.message) from None


# --- forms ------------------------------------------------------------------------------------


class OutcomeForm(BoundedInput, forms.Form):
    """One click: satisfied, not satisfied (with what), or nobody answered."""

    OUTCOMES = (
        ("satisfied", _("Satisfied")),
        ("unsatisfied", _("Not satisfied")),
        ("unreached", _("No answer")),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)
    comment = forms.CharField(
        label=_("What the customer said"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the customer is not satisfied: it becomes the rework order."),
    )
    # The call's version the card was drawn with: a change made meanwhile is refused (409).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def record(self, *, actor, call, now):
        d = self.cleaned_data
        if d["outcome"] == "unreached":
            return service.call_attempt(
                actor=actor,
                call=call,
                reached=False,
                note=d["comment"],
                now=now,
                expected_version=d.get("version"),
            )
        return service.call_outcome(
            actor=actor,
            call=call,
            satisfied=d["outcome"] == "satisfied",
            comment=d["comment"],
            now=now,
            expected_version=d.get("version"),
        )


class CallFilterForm(BoundedInput, forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All"))] + FollowupCall.State.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All"))] + FollowupCall.Kind.choices, required=False
    )
    week = WeekField(label=_("Due in the week of"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"].queryset = selectors.offices_for(user)
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def clean_week(self):
        return _week_field(self.cleaned_data.get("week"))

    def filters(self) -> selectors.CallFilters:
        if not self.is_bound:
            return selectors.CallFilters()
        d = self.cleaned_data
        return selectors.CallFilters(
            office=d["office"].pk if d.get("office") else None,
            state=d.get("state") or "",
            kind=d.get("kind") or "",
            week=d.get("week"),
            assignee=self.user.pk if d.get("mine") else None,
        )


class BatchFilterForm(BoundedInput, forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )
    week = WeekField(label=_("Week of"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices_for(user)
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested

    def clean_week(self):
        return _week_field(self.cleaned_data.get("week"))


class SampleForm(BoundedInput, forms.Form):
    """Draw an office's sample of a chosen past week (after an outage, or a week missed)."""

    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), empty_label=_("Choose an office…")
    )
    week = WeekField(label=_("Week of"), help_text=_("Any day of a week that is over."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices_for(user)
        pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested


# --- calls ------------------------------------------------------------------------------------


def _is_specialist(user) -> bool:
    return user.role == Role.FOLLOWUP


def _card(call, *, user, form=None):
    """A call as its card shows it: with the outcome form if the user may record it now (the
    lifecycle's ``actions_for``), carrying the version it was drawn with."""
    call.allowed_actions = FOLLOWUP_CALLS.actions_for(user, call)
    call.can_record = bool(call.allowed_actions)
    if form is None and call.can_record:
        form = OutcomeForm(auto_id=f"id_call{call.pk}_%s", initial={"version": call.version})
    call.form = form
    return call


@login_required
def worklist(request):
    user, now = request.user, timezone.now()
    if not allowed(user, "followup.view"):
        return _denied(request)
    if _is_specialist(user) and request.GET.get("view") != "all":
        page = CappedPaginator(selectors.worklist(user), WORKLIST_SIZE).get_page(
            request.GET.get("page")
        )
        calls = [_card(c, user=user) for c in selectors.with_context(list(page.object_list))]
        end_of_today = timezone.make_aware(
            dt.datetime.combine(timezone.localdate(now) + dt.timedelta(days=1), dt.time.min)
        )
        context = {
            "page": page,
            "due_now": [c for c in calls if c.due_at < end_of_today],
            "due_later": [c for c in calls if c.due_at >= end_of_today],
            "now": now,
        }
        return render(request, "aftercare/followups/worklist.html", context)

    form = CallFilterForm(request.GET or None, user=user)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        qs = selectors.call_list(user, form.filters())
        page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "now": now, "is_specialist": _is_specialist(user)}
    return render(request, "aftercare/followups/call_list.html", context, status=status)


@login_required
def call_detail(request, pk):
    if not allowed(request.user, "followup.view"):
        return _denied(request)
    call = get_or_404(selectors.call_get, request.user, pk)
    (call,) = selectors.with_context([call])
    context = {"call": _card(call, user=request.user), "now": timezone.now()}
    return render(request, "aftercare/followups/call.html", context)


@login_required
@require_POST
def call_record(request, pk):
    """One click on a call's card. Over HTMX the answer is the card itself, redrawn (with the
    error on the form if refused); otherwise back to the worklist, or the call's page on error."""
    user = request.user
    if not allowed(user, "followup.view"):
        return _denied(request)
    call = get_or_404(selectors.call_get, user, pk)
    form = OutcomeForm(request.POST, auto_id=f"id_call{call.pk}_%s")
    status = 400
    if form.is_valid():
        try:
            done = form.record(actor=user, call=call, now=timezone.now())
        except DomainError as err:
            status = show_error(form, err)
        else:
            if not request.htmx:
                messages.success(request, _outcome_message(done))
                if _is_specialist(user):
                    return redirect("console:followup_worklist")
                return redirect("console:followup_call", pk=call.pk)
            form, status = None, 200
    # Re-read: a refused outcome changed nothing, but someone else may have.
    (call,) = selectors.with_context([get_or_404(selectors.call_get, user, pk)])
    call = _card(call, user=user, form=form)
    if request.htmx:
        # htmx swaps only successful answers: the card carries its own error.
        context = {"call": call, "now": timezone.now()}
        return render(request, "aftercare/followups/partials/call_card.html", context)
    context = {"call": call, "now": timezone.now()}
    return render(request, "aftercare/followups/call.html", context, status=status)


def _outcome_message(call) -> str:
    if call.state == FollowupCall.State.UNREACHED:
        return str(_("Not reached three times: the call is closed as not reached."))
    if call.state == FollowupCall.State.OPEN:
        return str(_("Try recorded: call again later."))
    if call.rework_id:
        return str(
            _("Recorded. Rework %(number)s is opened and dispatched.")
            % {"number": call.rework.number}
        )
    return str(_("Recorded."))


# --- batches ------------------------------------------------------------------------------------


@login_required
def batch_list(request):
    user = request.user
    if not allowed(user, "followup.view"):
        return _denied(request)
    form = BatchFilterForm(request.GET or None, user=user)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        d = form.cleaned_data if form.is_bound else {}
        qs = selectors.batch_list(
            user, office=d["office"].pk if d.get("office") else None, week=d.get("week")
        )
        page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sample_form": _sample_form(user)}
    return render(request, "aftercare/followups/batch_list.html", context, status=status)


def _sample_form(user, data=None):
    return SampleForm(data, user=user) if allowed(user, "followup.record") else None


@login_required
@require_POST
def batch_sample(request):
    """Draw an office's sample of a chosen week that is over (the job does last week's)."""
    user = request.user
    if not allowed(user, "followup.record"):
        return _denied(request)
    form = _sample_form(user, request.POST)
    status = 400
    if form.is_valid():
        try:
            done = service.sample_week(
                office=form.cleaned_data["office"],
                week=form.cleaned_data["week"],
                now=timezone.now(),
                actor=user,
            )
        except DomainError as err:
            status = show_error(form, err)
        else:
            if done.created:
                messages.success(request, _("The sample is drawn."))
            else:
                messages.info(request, _("This week was sampled already: here it is."))
            return redirect("console:followup_batch", pk=done.batch.pk)
    page = CappedPaginator(selectors.batch_list(user), PAGE_SIZE).get_page(1)
    context = {"form": BatchFilterForm(user=user), "page": page, "sample_form": form}
    return render(request, "aftercare/followups/batch_list.html", context, status=status)


@login_required
def batch_detail(request, pk):
    user = request.user
    if not allowed(user, "followup.view"):
        return _denied(request)
    batch = get_or_404(selectors.batch_get, user, pk)
    calls = selectors.batch_calls(batch)
    context = {
        "batch": batch,
        "orders": selectors.batch_orders(batch),
        "calls": calls,
        "redrawn_matches": service.redraw(batch) == batch.sample,
        "calls_url": reverse("console:followup_worklist")
        + "?"
        + urlencode({"view": "all", "office": batch.office_id}),
    }
    return render(request, "aftercare/followups/batch_detail.html", context)


urlpatterns = [
    path("followups/", worklist, name="followup_worklist"),
    path("followups/<int:pk>/", call_detail, name="followup_call"),
    path("followups/<int:pk>/record/", call_record, name="followup_call_record"),
    path("followups/batches/", batch_list, name="followup_batches"),
    path("followups/batches/sample/", batch_sample, name="followup_batch_sample"),
    path("followups/batches/<int:pk>/", batch_detail, name="followup_batch"),
]
