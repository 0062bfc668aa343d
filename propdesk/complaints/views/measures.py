"""Preventive measures (M20): one's own, and marking one done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import rendered_version
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed

from .. import forms, selectors
from ..models import PreventiveMeasure
from ..services import prevention
from ._common import PAGE_SIZE, _visible
from .detail import _refused


def _measures_page(request, *, status=200):
    user = request.user
    page = CappedPaginator(selectors.measures_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for measure in page:
        measure.overdue = not measure.is_done and measure.due_on < today
    context = {
        "page": page,
        "can_view_complaints": allowed(user, "complaint.view"),
    }
    return render(request, "complaints/measures.html", context, status=status)


@login_required
@require_GET
def measure_list(request):
    return _measures_page(request)


@login_required
@require_POST
def measure_done(request, pk):
    user = request.user
    measure = selectors.measures_of(user).filter(pk=pk).first()
    if measure is None:
        # Not the person's own: a handler of a complaint they see may mark it done too.
        measure = (
            PreventiveMeasure.objects.filter(
                pk=pk, complaint__in=selectors.complaints_for(user).values("pk")
            )
            .select_related("complaint")
            .first()
        )
    if measure is None:
        raise Http404
    form = forms.MeasureDoneForm(request.POST)
    form.is_valid()  # every field is optional
    note = form.cleaned_data.get("note", "")
    back_to_complaint = form.cleaned_data.get("next") == "complaint" and _visible(
        user, measure.complaint_id
    )
    try:
        prevention.measure_done(
            actor=user, measure=measure, note=note, expected_version=rendered_version(form)
        )
    except DomainError as err:
        if back_to_complaint:
            return _refused(request, measure.complaint_id, err, label=_("Mark done"))
        if err.status == 404:
            raise Http404 from None
        messages.error(request, err.message)
        return _measures_page(request, status=err.status)
    messages.success(request, _("Preventive measure done."))
    if back_to_complaint:
        return redirect("console:complaint", pk=measure.complaint_id)
    return redirect("console:measures")
