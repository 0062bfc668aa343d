"""Console pages of the owners' committees (M22): each office's committee with its members,
terms and representatives; the meetings list; a meeting with its agenda, attendance, minutes and
opinions (each turned into an action or answered); the actions list with the overdue ones; an
action with its progress. Thin: selector → form → service → render; a service's refusal is shown
on the page it came from, with its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.scoping import get_scoped
from propdesk.core.views import get_or_404
from propdesk.customers.models import Customer

from . import pdf, selectors, services
from .forms import (
    ActForm,
    ActionFilterForm,
    AnswerForm,
    CancelForm,
    CommitteeForm,
    HoldForm,
    ItemForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    ProgressForm,
    SeatEditForm,
    SeatForm,
)
from .lifecycle import ACTIONS, ITEMS, MEETINGS
from .models import Item, Seat

PAGE_SIZE = 50
TIMELINE_LIMIT = 100


def _posted(request):
    return request.POST if request.method == "POST" else None


def _require(user, action, obj=None) -> None:
    if not allowed(user, action, obj):
        raise PermissionDenied


def _today():
    return timezone.localdate()


# --- committees -------------------------------------------------------------------------------


@login_required
@require_GET
def committee_list(request):
    """Office staff go straight to their committee; company roles choose an office's."""
    _require(request.user, "committee.view")
    committees = list(selectors.committees_for_user(request.user))
    if not request.user.is_company_role and len(committees) == 1:
        return redirect("console:committee_detail", pk=committees[0].pk)
    return render(
        request,
        "committee/list.html",
        {
            "committees": committees,
            "can_create": allowed(request.user, "committee.edit", request.user.office)
            and not request.user.is_company_role
            and not committees,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request):
    office = request.user.office
    if office is None:
        raise Http404
    _require(request.user, "committee.edit", office)
    form = CommitteeForm(_posted(request), initial={"name": f"{office.name}业主委员会"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                committee = services.committee_create(
                    actor=request.user, office=office, **form.cleaned_data
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Committee set up."))
                return redirect("console:committee_detail", pk=committee.pk)
    return render(request, "committee/committee_form.html", {"form": form}, status=status)


def _committee_context(user, committee, **extra) -> dict:
    today = _today()
    seats = list(selectors.seats_of(committee))
    for seat in seats:
        seat.current = seat.is_current(today)
    can_edit = allowed(user, "committee.edit", committee)
    return {
        "committee": committee,
        "members": [s for s in seats if s.kind == Seat.Kind.MEMBER],
        "representatives": [s for s in seats if s.kind == Seat.Kind.REPRESENTATIVE],
        "meetings": selectors.meetings_for_user(user).filter(committee=committee)[:6],
        "missed": selectors.missed_months(user, office=committee.office_id)[:12],
        "events": committee.events.select_related("actor").order_by("-at", "-pk")[:20],
        "can_edit": can_edit,
        "can_plan": allowed(user, "meeting.record", committee),
        "seat_form": extra.pop("seat_form", None)
        or (
            SeatForm(initial={"version": committee.version, "term_from": today})
            if can_edit
            else None
        ),
        **extra,
    }


@login_required
@require_GET
def committee_detail(request, pk):
    committee = get_or_404(selectors.committee_get, request.user, pk)
    form = None
    if request.GET.get("customer") and allowed(request.user, "committee.edit", committee):
        form = SeatForm(
            initial={
                "customer": request.GET["customer"],
                "version": committee.version,
                "term_from": _today(),
            }
        )
    return render(
        request,
        "committee/detail.html",
        _committee_context(request.user, committee, seat_form=form),
    )


@login_required
@require_POST
def seat_add(request, pk):
    committee = get_or_404(selectors.committee_get, request.user, pk)
    _require(request.user, "committee.edit", committee)
    form = SeatForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        customer = Customer.objects.filter(pk=data["customer"], office=committee.office).first()
        try:
            if customer is None:
                raise NotFound(_("No such customer in this office."), field="customer")
            services.seat_add(
                actor=request.user,
                committee=committee,
                customer=customer,
                kind=data["kind"],
                role=data["role"] or Seat.Role.MEMBER,
                term_from=data["term_from"],
                term_to=data["term_to"],
                expected_version=form.expected_version,
            )
        except DomainError as err:
            status = show_error(form, err, missing_is_bad_input=True)
        else:
            messages.success(request, _("Seat added."))
            return redirect("console:committee_detail", pk=committee.pk)
    return render(
        request,
        "committee/detail.html",
        _committee_context(request.user, committee, seat_form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_edit(request, pk):
    seat = get_or_404(
        lambda user, pk: get_scoped(
            Seat.objects.select_related("committee", "customer"), user, pk=pk
        ),
        request.user,
        pk,
    )
    _require(request.user, "committee.edit", seat)
    form = SeatEditForm(
        _posted(request),
        initial={
            "role": seat.role,
            "term_from": seat.term_from,
            "term_to": seat.term_to,
            "version": seat.committee.version,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.seat_update(
                    actor=request.user,
                    seat=seat,
                    role=data["role"],
                    term_from=data["term_from"],
                    term_to=data["term_to"],
                    expected_version=form.expected_version,
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Seat saved."))
                return redirect("console:committee_detail", pk=seat.committee_id)
    return render(request, "committee/seat_form.html", {"form": form, "seat": seat}, status=status)


# --- meetings ---------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request):
    _require(request.user, "committee.view")
    form = MeetingFilterForm(request.GET or None, user=request.user)
    meetings = selectors.meetings_for_user(request.user, form.filters())
    page = CappedPaginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committee/meetings.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request, pk):
    committee = get_or_404(selectors.committee_get, request.user, pk)
    _require(request.user, "meeting.record", committee)
    form = MeetingForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_plan(
                    actor=request.user,
                    committee=committee,
                    planned_for=data["planned_for"],
                    place=data["place"],
                    agenda=data["agenda"],
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Meeting planned; the committee is invited."))
                return redirect("console:committee_meeting", pk=meeting.pk)
    return render(
        request,
        "committee/meeting_form.html",
        {"form": form, "committee": committee, "meeting": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = get_or_404(selectors.meeting_get, request.user, pk)
    if not MEETINGS.may(request.user, meeting, "edit"):
        raise PermissionDenied
    form = MeetingForm(
        _posted(request),
        initial={
            "planned_for": timezone.localtime(meeting.planned_for),
            "place": meeting.place,
            "agenda": meeting.agenda,
            "version": meeting.version,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    planned_for=data["planned_for"],
                    place=data["place"],
                    agenda=data["agenda"],
                    expected_version=form.expected_version,
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Meeting saved."))
                return redirect("console:committee_meeting", pk=meeting.pk)
    return render(
        request,
        "committee/meeting_form.html",
        {"form": form, "committee": meeting.committee, "meeting": meeting},
        status=status,
    )


def _meeting_context(user, meeting, **forms) -> dict:
    items = list(selectors.items_of(meeting))
    offered = MEETINGS.actions_for(user, meeting)
    decide = [item for item in items if ITEMS.actions_for(user, item)]
    for item in decide:
        item.act_form = forms.pop(f"act_{item.pk}", None) or ActForm(
            office_id=meeting.office_id, prefix=f"i{item.pk}"
        )
        item.answer_form = forms.pop(f"answer_{item.pk}", None) or AnswerForm(prefix=f"a{item.pk}")
    day = timezone.localdate(meeting.planned_for)
    return {
        "meeting": meeting,
        "items": items,
        "open_items": sum(1 for i in items if i.state == "open"),
        "staff": meeting.staff_attendees.order_by("pk"),
        "seats": meeting.seat_attendees.select_related("customer").order_by("kind", "pk"),
        "events": meeting.events.select_related("actor").order_by("-at", "-pk")[:TIMELINE_LIMIT],
        "can_edit": "edit" in offered,
        "can_cancel": "cancel" in offered,
        "can_add_item": "add_item" in offered,
        "hold_form": forms.pop("hold_form", None)
        or (
            HoldForm(
                meeting=meeting,
                day=day,
                initial={
                    "held_at": timezone.localtime(meeting.planned_for),
                    "version": meeting.version,
                },
            )
            if "hold" in offered
            else None
        ),
        "cancel_form": forms.pop("cancel_form", None)
        or (CancelForm(initial={"version": meeting.version}) if "cancel" in offered else None),
        "minutes_form": forms.pop("minutes_form", None)
        or (
            MinutesForm(initial={"minutes": meeting.minutes, "version": meeting.version})
            if "edit_minutes" in offered
            else None
        ),
        "item_form": forms.pop("item_form", None)
        or (ItemForm() if "add_item" in offered else None),
    }


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = get_or_404(selectors.meeting_get, request.user, pk)
    return render(request, "committee/meeting.html", _meeting_context(request.user, meeting))


def _meeting_refused(request, meeting, err, **forms):
    if not forms:
        messages.error(request, err.message)
    meeting = selectors.meeting_get(request.user, meeting.pk)
    return render(
        request,
        "committee/meeting.html",
        _meeting_context(request.user, meeting, **forms),
        status=err.status,
    )


@login_required
@require_POST
def meeting_hold(request, pk):
    meeting = get_or_404(selectors.meeting_get, request.user, pk)
    _require(request.user, "meeting.record", meeting)
    form = HoldForm(request.POST, meeting=meeting, day=timezone.localdate(meeting.planned_for))
    if not form.is_valid():
        return _meeting_refused(request, meeting, DomainError(_("Check the form.")), hold_form=form)
    data = form.cleaned_data
    try:
        services.meeting_hold(
            actor=request.user,
            meeting=meeting,
            held_at=data["held_at"],
            minutes=data["minutes"],
            staff=list(data["staff"]),
            seats=list(data["seats"]),
            opinions=form.opinion_lines(),
            expected_version=form.expected_version,
        )
    except DomainError as err:
        show_error(form, err)
        return _meeting_refused(request, meeting, err, hold_form=form)
    messages.success(request, _("Meeting recorded as held; the committee can read the minutes."))
    return redirect("console:committee_meeting", pk=meeting.pk)


def _meeting_step(request, pk, *, permission, form_class, form_name, act, done):
    """One form posted on a meeting's page: the service ``act(meeting, data, form)`` runs, and a
    refusal shows on the meeting's page with the form as it was sent."""
    meeting = get_or_404(selectors.meeting_get, request.user, pk)
    _require(request.user, permission, meeting)
    form = form_class(request.POST)
    form.is_valid()
    try:
        act(meeting, form.cleaned_data, form)
    except DomainError as err:
        show_error(form, err)
        return _meeting_refused(request, meeting, err, **{form_name: form})
    messages.success(request, done)
    return redirect("console:committee_meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_cancel(request, pk):
    return _meeting_step(
        request,
        pk,
        permission="meeting.cancel",
        form_class=CancelForm,
        form_name="cancel_form",
        act=lambda meeting, data, form: services.meeting_cancel(
            actor=request.user,
            meeting=meeting,
            reason=data.get("reason", ""),
            expected_version=form.expected_version,
        ),
        done=_("Meeting cancelled."),
    )


@login_required
@require_POST
def meeting_minutes(request, pk):
    return _meeting_step(
        request,
        pk,
        permission="meeting.record",
        form_class=MinutesForm,
        form_name="minutes_form",
        act=lambda meeting, data, form: services.meeting_minutes(
            actor=request.user,
            meeting=meeting,
            minutes=data.get("minutes", ""),
            expected_version=form.expected_version,
        ),
        done=_("Minutes saved."),
    )


@login_required
@require_POST
def item_add(request, pk):
    return _meeting_step(
        request,
        pk,
        permission="meeting.record",
        form_class=ItemForm,
        form_name="item_form",
        act=lambda meeting, data, form: services.item_add(
            actor=request.user, meeting=meeting, text=data.get("text")
        ),
        done=_("Opinion recorded."),
    )


def _item(request, pk):
    item = get_or_404(
        lambda user, pk: get_scoped(Item.objects.select_related("meeting"), user, pk=pk),
        request.user,
        pk,
    )
    _require(request.user, "item.decide", item)
    return item


@login_required
@require_POST
def item_act(request, pk):
    item = _item(request, pk)
    form = ActForm(request.POST, office_id=item.office_id, prefix=f"i{item.pk}")
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        services.item_act(
            actor=request.user,
            item=item,
            title=data.get("title", ""),
            owner=data.get("owner"),
            department=data.get("department"),
            due_on=data.get("due_on"),
        )
    except DomainError as err:
        show_error(form, err)
        return _meeting_refused(request, item.meeting, err, **{f"act_{item.pk}": form})
    messages.success(request, _("Improvement action set; its owner and the committee are told."))
    return redirect("console:committee_meeting", pk=item.meeting_id)


@login_required
@require_POST
def item_answer(request, pk):
    item = _item(request, pk)
    form = AnswerForm(request.POST, prefix=f"a{item.pk}")
    form.is_valid()
    try:
        services.item_answer(
            actor=request.user, item=item, answer=form.cleaned_data.get("answer", "")
        )
    except DomainError as err:
        show_error(form, err)
        return _meeting_refused(request, item.meeting, err, **{f"answer_{item.pk}": form})
    messages.success(request, _("Opinion answered; the committee is told."))
    return redirect("console:committee_meeting", pk=item.meeting_id)


@login_required
@require_GET
def meeting_pdf(request, pk):
    """The agenda (and, once held, the minutes and outcomes) to print."""
    meeting = get_or_404(selectors.meeting_get, request.user, pk)
    response = HttpResponse(
        pdf.meeting_pdf(meeting, selectors.items_of(meeting)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="committee-meeting-{meeting.pk}.pdf"'
    return response


# --- actions ----------------------------------------------------------------------------------


@login_required
@require_GET
def action_list(request):
    _require(request.user, "committee.view")
    form = ActionFilterForm(request.GET or None, user=request.user)
    actions = selectors.actions_for_user(request.user, form.filters())
    page = CappedPaginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "committee/actions.html", {"form": form, "page": page, "today": _today()}
    )


def _action_context(user, action, **forms) -> dict:
    offered = ACTIONS.actions_for(user, action)
    version = {"version": action.version}
    return {
        "action": action,
        "updates": selectors.updates_of(action),
        "events": action.events.select_related("actor").order_by("-at", "-pk")[:TIMELINE_LIMIT],
        "overdue": action.is_overdue(_today()),
        "progress_form": forms.get("progress_form")
        or (
            ProgressForm(initial={**version, "progress": action.progress})
            if "progress" in offered
            else None
        ),
        "done_form": forms.get("done_form")
        or (NoteForm(initial=version, prefix="done") if "done" in offered else None),
        "verify_form": forms.get("verify_form")
        or (NoteForm(initial=version, prefix="verify") if "verify" in offered else None),
        "can_reopen": "reopen" in offered,
    }


@login_required
@require_GET
def action_detail(request, pk):
    action = get_or_404(selectors.action_get, request.user, pk)
    return render(request, "committee/action.html", _action_context(request.user, action))


STEPS = {
    "progress": ("progress_form", None, services.action_progress, _("Progress reported.")),
    "done": ("done_form", "done", services.action_done, _("Action marked done.")),
    "verify": ("verify_form", "verify", services.action_verify, _("Action verified.")),
    "reopen": ("verify_form", "verify", services.action_reopen, _("Action sent back.")),
}


@login_required
@require_POST
def action_step(request, pk, step):
    action = get_or_404(selectors.action_get, request.user, pk)
    if step not in STEPS:
        raise Http404
    form_name, prefix, service, done = STEPS[step]
    form = (ProgressForm if step == "progress" else NoteForm)(request.POST, prefix=prefix)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    kwargs = {"progress": data.get("progress")} if step == "progress" else {}
    try:
        service(
            actor=request.user,
            action=action,
            text=data.get("text", ""),
            expected_version=form.expected_version,
            **kwargs,
        )
    except DomainError as err:
        show_error(form, err)
        if not err.field or err.field not in form.fields:
            messages.error(request, err.message)
        action = selectors.action_get(request.user, action.pk)
        return render(
            request,
            "committee/action.html",
            _action_context(request.user, action, **{form_name: form}),
            status=err.status,
        )
    messages.success(request, done)
    return redirect("console:committee_action", pk=action.pk)
