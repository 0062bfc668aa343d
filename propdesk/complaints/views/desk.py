"""The complaint desk: an office's, and the company's for Quality and leadership, with its
tabs and the filters it opens on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.org.models import Role

from .. import forms, selectors
from ._common import PAGE_SIZE, Owner, State, _denied
from .clocks import _set_clocks

# The company desk: Quality and leadership open on the complaints at their own level.
DESK_OWNER = {Role.QUALITY: Owner.QUALITY, Role.LEADERSHIP: Owner.LEADERSHIP}
TABS = (
    ("open", _("All open")),
    (State.RECEIVED, _("To respond")),
    (State.IN_PROGRESS, _("Being handled")),
    (State.RESOLVED, _("To answer")),
    (State.ANSWERED, _("To close")),
    (State.CLOSED, _("Closed")),
    ("all", _("All")),
)


def _desk_data(user, query):
    """The filters asked for, with the desk's defaults where none was given: open complaints,
    and for Quality and leadership those at their own level."""
    data = query.copy()
    data.pop("page", None)
    if "owner" not in data and user.role in DESK_OWNER:
        data["owner"] = DESK_OWNER[user.role]
    if "state" not in data and "open" not in data:
        data["open"] = forms.OPEN
    return data


def _tab(data) -> str:
    if data.get("state"):
        return data["state"]
    return {forms.OPEN: "open", forms.CLOSED: State.CLOSED}.get(data.get("open") or "", "all")


@login_required
@require_GET
def complaint_list(request):
    user = request.user
    if not allowed(user, "complaint.view"):
        return _denied(request)
    data = _desk_data(user, request.GET)
    form = forms.ComplaintFilterForm(data, user=user)
    page, status = None, 200
    if form.is_valid():
        qs = selectors.complaint_list(user, form.filters())
        page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        for complaint in page:
            _set_clocks(complaint, now)
    else:
        status = 400
    context = {
        "form": form,
        "page": page,
        "tab": _tab(data),
        "tabs": TABS,
        "company_desk": user.role in DESK_OWNER,
        "can_file": allowed(user, "complaint.file"),
    }
    return render(request, "complaints/list.html", context, status=status)
