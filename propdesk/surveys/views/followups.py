"""Console pages of survey follow-ups (M16): the worklist of callbacks and home visits, one
follow-up with the household's answers and its customer, the outcome, assigning, planning a
visit, a request or complaint opened with one action (after a confirmation), and a campaign's
public replies. Thin: selector → form → service → render; a service's refusal is shown on the
page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import rendered_version, show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404
from propdesk.customers.privacy import shown_phone

from ..forms.followups import (
    AssignForm,
    FollowUpFilterForm,
    OpenRequestForm,
    PlanForm,
    RecordForm,
    ReplyForm,
)
from ..lifecycle import FOLLOWUPS
from ..models import FollowUp
from ..selectors import followups as selectors
from ..services import followups as services
from ..services.replies import reply_publish

PAGE_SIZE = 50
FILTERS = ("q", "campaign", "kind", "state", "mine", "overdue")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _require(user, action, record=None) -> None:
    if not allowed(user, action, record):
        raise PermissionDenied


# --- the worklist -----------------------------------------------------------------------------


@login_required
@require_GET
def followup_list(request):
    _require(request.user, "survey.followup")
    form = FollowUpFilterForm(request.GET or None)
    now = timezone.now()
    followups = selectors.followups_for_user(request.user, form.filters(), now=now)
    page = CappedPaginator(followups, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/followups/list.html",
        {
            "form": form,
            "page": page,
            "now": now,
            "empty": _("No follow-up matches these filters.")
            if any(request.GET.get(k) for k in FILTERS)
            else _("No survey follow-ups yet: they open with each office's analysis week."),
        },
    )


# --- one follow-up ----------------------------------------------------------------------------


def _context(request, followup: FollowUp, **forms) -> dict:
    user = request.user
    response = selectors.response_of(followup)
    offered = FOLLOWUPS.actions_for(user, followup)
    customer = followup.customer
    phone = shown_phone(user, customer, selectors.primary_phone(customer)) if customer else ""
    can_open = followup.ticket_id is None and allowed(user, "survey.followup", followup)
    return {
        "followup": followup,
        "response": response,
        "answers": selectors.answers_shown(followup, response),
        "low_areas": services.low_areas(response) if response else [],
        "phone": phone,
        "now": timezone.now(),
        "can_record": "record" in offered,
        "can_assign": "assign" in offered,
        "can_plan": "assign" in offered and followup.kind == FollowUp.Kind.VISIT,
        "can_open": can_open,
        "record_form": forms.get("record_form") or RecordForm(followup=followup),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            followup=followup,
            choices=services.assignees(followup),
            initial={"assigned_to": followup.assigned_to_id},
        ),
        "plan_form": forms.get("plan_form")
        or PlanForm(followup=followup, initial={"planned_for": followup.planned_for}),
        "history": followup.history.select_related("history_user")[:50],
    }


@login_required
@require_GET
def followup_detail(request, pk):
    followup = get_or_404(selectors.followup_get, request.user, pk)
    return render(request, "surveys/followups/detail.html", _context(request, followup))


def _act(request, pk, form_class, form_key, act, done_message, **form_kwargs):
    followup = get_or_404(selectors.followup_get, request.user, pk)
    form = form_class(request.POST, followup=followup, **form_kwargs)
    status = 400  # the form's own errors, shown on it
    try:
        version = rendered_version(form)
        if form.is_valid():
            act(followup, form.cleaned_data, version)
            messages.success(request, done_message)
            return redirect("console:survey_followup", pk=pk)
    except DomainError as err:
        status = show_error(form, err)
    followup = selectors.followup_get(request.user, pk)
    return render(
        request,
        "surveys/followups/detail.html",
        _context(request, followup, **{form_key: form}),
        status=status,
    )


@login_required
@require_POST
def followup_record(request, pk):
    def act(followup, data, version):
        services.followup_record(
            actor=request.user,
            followup=followup,
            outcome=data["outcome"],
            planned_for=data.get("planned_for"),
            expected_version=version,
            now=timezone.now(),
        )

    return _act(request, pk, RecordForm, "record_form", act, gettext("The outcome is recorded."))


@login_required
@require_POST
def followup_assign(request, pk):
    followup = get_or_404(selectors.followup_get, request.user, pk)

    def act(followup, data, version):
        services.followup_assign(
            actor=request.user,
            followup=followup,
            assignee=data["assigned_to"],
            expected_version=version,
            now=timezone.now(),
        )

    return _act(
        request,
        pk,
        AssignForm,
        "assign_form",
        act,
        gettext("The follow-up is assigned."),
        choices=services.assignees(followup),
    )


@login_required
@require_POST
def followup_plan(request, pk):
    def act(followup, data, version):
        services.followup_plan(
            actor=request.user,
            followup=followup,
            planned_for=data["planned_for"],
            expected_version=version,
            now=timezone.now(),
        )

    return _act(request, pk, PlanForm, "plan_form", act, gettext("The visit is planned."))


@login_required
@require_http_methods(["GET", "POST"])
def followup_open_request(request, pk):
    """The confirmation page (GET: what will be filed, prefilled) and the one action (POST)."""
    followup = get_or_404(selectors.followup_get, request.user, pk)
    _require(request.user, "survey.followup", followup)
    response = selectors.response_of(followup)
    initial = {
        "what": request.GET.get("what", "request"),
        "description": services.prefill(response),
    }
    form = OpenRequestForm(_posted(request), followup=followup, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            version = rendered_version(form)
            if form.is_valid():
                data = form.cleaned_data
                followup = services.followup_open_request(
                    actor=request.user,
                    followup=followup,
                    what=data["what"],
                    kind=data["kind"] or services.Kind.SERVICE,
                    description=data["description"],
                    expected_version=version,
                    now=timezone.now(),
                )
                messages.success(
                    request,
                    gettext("Request %(number)s is opened and linked to this follow-up.")
                    % {"number": followup.ticket.number},
                )
                return redirect("console:survey_followup", pk=pk)
            status = 400
        except DomainError as err:
            status = show_error(form, err)
    return render(
        request,
        "surveys/followups/open_request.html",
        {"followup": followup, "form": form, "response": response},
        status=status,
    )


@login_required
@require_GET
def response_detail(request, pk):
    """One household's response: its answers, the satisfaction answers below 4 marked, its
    follow-ups and the request or complaint opened from it, and the way to open one."""
    _require(request.user, "survey.view")
    response = get_or_404(selectors.response_get, request.user, pk)
    followups = list(selectors.followups_of(response))
    opened = any(f.ticket_id for f in followups)
    return render(
        request,
        "surveys/followups/response.html",
        {
            "response": response,
            "answers": selectors.response_answers(response, response.campaign.questionnaire),
            "low_areas": services.low_areas(response),
            "followups": followups,
            "can_open": not opened and allowed(request.user, "survey.followup", response),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_open_request(request, pk):
    """From a dissatisfied answer without a follow-up yet: the same confirmation, and the one
    action opens the household's callback with the request or complaint linked to it."""
    response = get_or_404(selectors.response_get, request.user, pk)
    _require(request.user, "survey.followup", response)
    initial = {
        "what": request.GET.get("what", "request"),
        "description": services.prefill(response),
    }
    form = OpenRequestForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                followup = services.followup_open_request(
                    actor=request.user,
                    response=response,
                    what=data["what"],
                    kind=data["kind"] or services.Kind.SERVICE,
                    description=data["description"],
                    now=timezone.now(),
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(
                    request,
                    gettext("Request %(number)s is opened and linked to this follow-up.")
                    % {"number": followup.ticket.number},
                )
                return redirect("console:survey_followup", pk=followup.pk)
        else:
            status = 400
    return render(
        request,
        "surveys/followups/open_request.html",
        {"followup": None, "response": response, "form": form},
        status=status,
    )


# --- a campaign's public replies --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_replies(request, pk):
    _require(request.user, "survey.view")
    campaign = get_or_404(selectors.campaign_get, pk)
    form = ReplyForm(_posted(request), user=request.user)
    status = 200
    can_reply = allowed(request.user, "survey.reply")
    if request.method == "POST":
        _require(request.user, "survey.reply")
        if form.is_valid():
            data = form.cleaned_data
            try:
                reply_publish(
                    actor=request.user,
                    campaign=campaign,
                    topic=data["topic"],
                    title=data["title"],
                    body=data["body"],
                    office=data["office"],
                    by_notification=data["by_notification"],
                    now=timezone.now(),
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, gettext("The reply is published as a notice."))
                return redirect("console:survey_campaign_replies", pk=pk)
        else:
            status = 400
    return render(
        request,
        "surveys/followups/replies.html",
        {
            "campaign": campaign,
            "replies": selectors.replies_of(request.user, campaign),
            "form": form,
            "can_reply": can_reply,
            "open": timezone.now() >= campaign.deadline,
        },
        status=status,
    )
