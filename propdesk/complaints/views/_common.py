"""What the complaint pages share: short names for the records, the page size, the page that
says no, whether the person still sees a complaint, a service's refusal on a form, and where to go
after a change."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error

from .. import selectors
from ..models import Complaint, CorrectiveActionReport, CorrectivePlan

State, Owner, Severity = Complaint.State, Complaint.Owner, Complaint.Severity
Report, Plan = CorrectiveActionReport, CorrectivePlan
PAGE_SIZE = 25


def _denied(request, message=None):
    message = message or _("Your role may not do this.")
    return render(request, "console/denied.html", {"message": message}, status=403)


def _visible(user, pk) -> bool:
    return selectors.complaints_for(user).filter(pk=pk).exists()


def _form_error(form, err: DomainError) -> int:
    """The service's message on the field it names, else on the form; its status."""
    if err.status == 404:
        raise Http404
    return show_error(form, err)


def _after_change(request, complaint: Complaint):
    """Back to the complaint, or to the desk when the change hid it from the person (they named
    themself)."""
    if _visible(request.user, complaint.pk):
        return redirect("console:complaint", pk=complaint.pk)
    return redirect("console:complaints")
