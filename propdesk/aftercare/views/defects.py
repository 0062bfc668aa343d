"""Console pages of the major-defect watch (M14): the board, and one watch with its inspections.

Thin views: selector → form → service → redirect (PRG), or the page again with the service's
message and its status (400, 403, 404, 409) when the service refuses.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from propdesk.core.errors import Conflict, DomainError
from propdesk.core.forms import BoundedInput, show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404
from propdesk.org.models import OFFICE_ROLES, Office, Role, User
from propdesk.org.pickers import pick_office, pick_staff
from propdesk.org.selectors import staff_for

from ..lifecycle import DEFECT_WATCHES
from ..models import DefectWatch, Inspection
from ..selectors import defects as selectors
from ..services import defects

PAGE_SIZE = 25


# --- forms: they only collect input; the services check it and name the field at fault -------


class BoardFilterForm(BoundedInput, forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any")), *DefectWatch.State.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue inspection"), required=False)
    watcher = forms.ModelChoiceField(
        label=_("Designated person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_company_role:
            # Every office's staff would be 10,000 names: typed or suggested (org.pickers), of
            # the office chosen, if any.
            pick_office(self, "office", user)
            pick_staff(self, "watcher", user, roles=OFFICE_ROLES, office_field="office")
        else:
            self.fields["watcher"].queryset = staff_for(user).filter(role__in=OFFICE_ROLES)
            del self.fields["office"]

    def filters(self) -> selectors.WatchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        watcher, office = data.get("watcher"), data.get("office")
        return selectors.WatchFilters(
            state=data.get("state") or None,
            overdue=bool(data.get("overdue")),
            watcher=watcher.pk if watcher else None,
            office=office.pk if office else None,
        )


class VersionForm(BoundedInput, forms.Form):
    """The watch's version the page was drawn with: a change made meanwhile is refused (409)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RecordForm(VersionForm):
    findings = forms.CharField(
        label=_("Findings on site"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=Inspection.Result.choices, widget=forms.RadioSelect
    )
    # Photos are read from request.FILES ("photos", several): the service checks them.


class ReassignForm(VersionForm):
    watcher = forms.ModelChoiceField(
        label=_("Designated person"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person…"),
    )
    interval_days = forms.IntegerField(
        label=_("Days between inspections"),
        widget=forms.NumberInput(
            attrs={"min": defects.MIN_INTERVAL_DAYS, "max": defects.MAX_INTERVAL_DAYS}
        ),
    )
    planned_inspections = forms.IntegerField(
        label=_("Clean inspections in a row to close"),
        widget=forms.NumberInput(attrs={"min": defects.MIN_PLANNED, "max": defects.MAX_PLANNED}),
    )

    def __init__(self, *args, watch, **kwargs):
        super().__init__(*args, **kwargs)
        # Who may be designated: active staff of the watch's office (the service checks again).
        self.fields["watcher"].queryset = User.objects.filter(
            office_id=watch.office_id,
            is_active=True,
            role__in=[Role.TECHNICIAN, Role.AGENT, Role.DIRECTOR],
        ).order_by("role", "username")


class CloseForm(VersionForm):
    reason = forms.CharField(
        label=_("Why close it before the plan is done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Yes, close this watch: no more inspections will be due."), required=True
    )


# --- the board --------------------------------------------------------------------------------


@login_required
@require_GET
def defect_board(request):
    """Open watches of my office (company roles: every office), the most urgent first."""
    user, now = request.user, timezone.now()
    data = request.GET or None
    if data is None:
        # By default: open watches, and for a technician, those he is designated for.
        data = {"state": DefectWatch.State.OPEN}
        if user.role == Role.TECHNICIAN:
            data["watcher"] = str(user.pk)
    form = BoardFilterForm(data, user=user)
    status = 200 if form.is_valid() else 400
    watches = selectors.watch_list(user, form.filters(), now=now)
    page = CappedPaginator(watches, PAGE_SIZE).get_page(request.GET.get("page"))
    for watch in page:
        watch.overdue_now = selectors.is_overdue(watch, now)
    return render(
        request,
        "aftercare/defects/board.html",
        {"form": form, "page": page, "now": now},
        status=status,
    )


# --- one watch --------------------------------------------------------------------------------


def _page(request, watch, *, forms_=None, open_form="", status=200):
    user, now = request.user, timezone.now()
    inspections = selectors.watch_inspections(watch)
    upcoming = next((i for i in inspections if i.done_at is None), None)
    forms_ = forms_ or {}
    actions = DEFECT_WATCHES.actions_for(user, watch)
    version = {"version": watch.version}
    context = {
        "watch": watch,
        "inspections": inspections,
        "upcoming": upcoming,
        "overdue": bool(
            upcoming and watch.state == DefectWatch.State.OPEN and upcoming.is_overdue(now)
        ),
        "streak": sum(1 for _ in _streak(inspections)),
        "allowed_actions": actions,
        "can_record": bool(upcoming and "inspect" in actions),
        "can_assign": "reassign" in actions,
        "can_close": "close" in actions,
        "record_form": forms_.get("record") or RecordForm(initial=version),
        "reassign_form": forms_.get("reassign")
        or ReassignForm(
            watch=watch,
            initial={
                **version,
                "watcher": watch.watcher_id,
                "interval_days": watch.interval_days,
                "planned_inspections": watch.planned_inspections,
            },
        ),
        "close_form": forms_.get("close") or CloseForm(initial=version),
        "open_form": open_form,
        "max_photos": defects.MAX_PHOTOS,
    }
    return render(request, "aftercare/defects/watch.html", context, status=status)


def _streak(inspections):
    for inspection in reversed([i for i in inspections if i.done_at is not None]):
        if inspection.result != Inspection.Result.CLEAN:
            return
        yield inspection


@login_required
@require_GET
def defect_watch(request, pk):
    return _page(request, get_or_404(selectors.watch_get, request.user, pk))


@login_required
@require_POST
def defect_record(request, pk):
    watch = get_or_404(selectors.watch_get, request.user, pk)
    form = RecordForm(request.POST)
    if not form.is_valid():
        return _page(request, watch, forms_={"record": form}, open_form="record", status=400)
    upcoming = watch.inspections.filter(done_at__isnull=True).order_by("number").first()
    try:
        if upcoming is None:  # only a closed watch has no inspection to record
            raise Conflict(_("The watch is closed."), code="watch_closed", field="state")
        inspection = defects.inspection_record(
            actor=request.user,
            inspection=upcoming,
            findings=form.cleaned_data["findings"],
            result=form.cleaned_data["result"],
            photos=request.FILES.getlist("photos"),
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as err:
        status = show_error(form, err)
        return _page(request, watch, forms_={"record": form}, open_form="record", status=status)
    if inspection.rework_id:
        messages.warning(
            request,
            _("Inspection recorded. The defect is back: rework %(number)s is opened.")
            % {"number": inspection.rework.number},
        )
    else:
        messages.success(request, _("Inspection recorded."))
    return redirect("console:defect_watch", pk=watch.pk)


@login_required
@require_POST
def defect_reassign(request, pk):
    watch = get_or_404(selectors.watch_get, request.user, pk)
    form = ReassignForm(request.POST, watch=watch)
    if not form.is_valid():
        return _page(request, watch, forms_={"reassign": form}, open_form="reassign", status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        defects.watch_reassign(
            actor=request.user, watch=watch, now=timezone.now(), expected_version=version, **data
        )
    except DomainError as err:
        status = show_error(form, err)
        return _page(request, watch, forms_={"reassign": form}, open_form="reassign", status=status)
    messages.success(request, _("Designated person and plan saved."))
    return redirect("console:defect_watch", pk=watch.pk)


@login_required
@require_POST
def defect_close(request, pk):
    watch = get_or_404(selectors.watch_get, request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _page(request, watch, forms_={"close": form}, open_form="close", status=400)
    try:
        defects.watch_close(
            actor=request.user,
            watch=watch,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as err:
        status = show_error(form, err)
        return _page(request, watch, forms_={"close": form}, open_form="close", status=status)
    messages.success(request, _("The watch is closed."))
    return redirect("console:defect_watch", pk=watch.pk)


urlpatterns: list = [
    path("defects/", defect_board, name="defect_board"),
    path("defects/<int:pk>/", defect_watch, name="defect_watch"),
    path("defects/<int:pk>/record/", defect_record, name="defect_record"),
    path("defects/<int:pk>/reassign/", defect_reassign, name="defect_reassign"),
    path("defects/<int:pk>/close/", defect_close, name="defect_close"),
]
