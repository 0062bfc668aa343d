"""How the complaints received in a period went, per office and for the company (M19, M23)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from propdesk.core.permissions import allowed

from .. import forms, selectors
from ._common import _denied


@login_required
@require_GET
def complaint_numbers(request):
    """M19, M23: how the complaints received in a period went, per office and for the company."""
    user = request.user
    if not allowed(user, "complaint.view"):
        return _denied(request)
    # Always bound: a plain visit (no dates) shows the form's default period, the last 30 days.
    form = forms.PeriodForm(request.GET)
    status, rows, total = 200, [], None
    if form.is_valid():
        start, end = form.bounds()
        rows, total = selectors.numbers(user, start=start, end=end, now=timezone.now())
    else:
        status = 400
    context = {"form": form, "rows": rows, "total": total}
    return render(request, "complaints/numbers.html", context, status=status)
