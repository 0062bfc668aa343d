"""Console pages for after service: the rework board (M15) and the weekly measures.

Thin: a filter form, a read from ``selectors.rework`` / ``selectors.measures`` (office-scoped),
one page of rows.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.forms import BoundedInput, WeekField
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.org.models import Office
from propdesk.org.pickers import pick_office

from ..selectors import measures, rework

PER_PAGE = 25


class _OfficeFilterForm(BoundedInput, forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )
    week = WeekField(
        label=_("Week of"),
        required=False,
        help_text=_("Any day of the week: its Monday to Sunday."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_company_role:
            pick_office(self, "office", user)  # a company's 1,000 offices: typed or suggested
        else:
            del self.fields["office"]  # their own office only

    def office_id(self):
        office = self.cleaned_data.get("office") if self.is_bound else None
        return office.pk if office else None


class BoardFilterForm(_OfficeFilterForm):
    state = forms.ChoiceField(
        label=_("Follow-up"),
        required=False,
        choices=[("", _("All")), *((k, label) for k, (label, _q) in rework.BOARD_STATES.items())],
    )

    field_order = ["office", "state", "week"]

    def filters(self) -> rework.BoardFilters:
        if not self.is_bound:
            return rework.BoardFilters()
        data = self.cleaned_data
        return rework.BoardFilters(
            office=self.office_id(), state=data.get("state") or "", week=data.get("week")
        )


def _denied(request):
    message = _("Your role may not do this.")
    return render(request, "console/denied.html", {"message": message}, status=403)


@login_required
def rework_board(request):
    """Rework orders and their special follow-ups, due 24 hours after the complaint (M15)."""
    if not allowed(request.user, "followup.view"):
        return _denied(request)
    now = timezone.now()
    form = BoardFilterForm(request.GET or None, user=request.user)
    page, counts, status = None, None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters()
        qs = rework.rework_board(request.user, filters, now=now)
        page = CappedPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        for call in page:
            call.late_now = call.is_late(now)
        counts = rework.board_week_counts(request.user, office=filters.office, now=now)
    context = {"form": form, "page": page, "counts": counts, "now": now}
    return render(request, "aftercare/rework/board.html", context, status=status)


@login_required
def measures_page(request):
    """The weekly after-service numbers per office (M13, M14, M15)."""
    if not allowed(request.user, "followup.view"):
        return _denied(request)
    form = _OfficeFilterForm(request.GET or None, user=request.user)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        week = form.cleaned_data.get("week") if form.is_bound else None
        qs = measures.measures_for(request.user, office_id=form.office_id(), week=week)
        page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    return render(request, "aftercare/rework/measures.html", context, status=status)


urlpatterns: list = [
    path("rework/", rework_board, name="rework_board"),
    path("aftercare/measures/", measures_page, name="aftercare_measures"),
]
