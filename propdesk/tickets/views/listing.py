"""The request list, which is also "my work": filtered, a page at a time, with what is
overdue or was done late."""

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone

from propdesk.core.pagination import CappedPaginator

from .. import forms, selectors
from ..models import Kind


@login_required
def ticket_list(request):
    now = timezone.now()
    form = forms.TicketFilterForm(request.GET or None, user=request.user)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else selectors.TicketFilters()
        per_page = (form.cleaned_data.get("per_page") if form.is_bound else None) or 25
        qs = selectors.ticket_list(request.user, filters, now=now)
        page = CappedPaginator(qs, per_page).get_page(request.GET.get("page"))
        for ticket in page:
            ticket.overdue_now = ticket.is_overdue(now)
            ticket.late_now = not ticket.overdue_now and ticket.missed_deadline(now)
        # A complaint links to its complaint page: the page's complaints in one query.
        prefetch_related_objects([t for t in page if t.kind == Kind.COMPLAINT], "complaint")
    context = {"form": form, "page": page, "now": now}
    if request.htmx:
        # htmx swaps only successful responses; the partial carries the errors itself.
        return render(request, "tickets/partials/ticket_table.html", context)
    return render(request, "tickets/list.html", context, status=status)
