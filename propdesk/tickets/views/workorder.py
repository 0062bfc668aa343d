"""The technician's work order, made for a phone held in one hand, and a procedure step ticked
on it in place (HTMX): the step alone is swapped, the page neither reloads nor scrolls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.forms import show_error
from propdesk.core.params import parse_id
from propdesk.core.views import get_or_404

from .. import commands, selectors
from .actions import ACTIONS, _form_for, _step
from .detail import NOT_STARTED, _banner, _page_context


def _workorder_context(request, ticket, **kwargs):
    return _page_context(request, ticket, now=timezone.now(), **kwargs)


@login_required
def workorder(request, pk):
    """The technician's work order: its actions at the top and in a bar that stays at the
    bottom, the steps folded until the work has started."""
    ticket = get_or_404(selectors.ticket_in_full, request.user, pk)
    return render(request, "tickets/workorder.html", _workorder_context(request, ticket))


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _message(request, text, status):
    """A refusal that belongs to no step on the page, shown above the steps."""
    response = render(
        request, "tickets/partials/workorder_message.html", {"text": text}, status=status
    )
    response["HX-Retarget"] = "#wo-messages"
    response["HX-Reswap"] = "innerHTML"
    return response


@login_required
@require_POST
def workorder_tick(request, pk):
    """One procedure step done, with a note and a photo from the camera. Answers HTMX with the
    step's new state (and the page's forms' new version, out of band); without JavaScript,
    the work order again. Refused, it changes nothing and says why next to the step."""
    try:
        ticket = selectors.ticket_get(request.user, pk)
    except NotFound:
        if _is_htmx(request):
            return _message(request, _("This work order is not found."), 404)
        raise Http404 from None
    step_id = parse_id(request.POST.get("step"))
    auto_id = f"id_step{step_id}_%s" if step_id else None
    form = _form_for("tick_step", ticket, data=request.POST, files=request.FILES, auto_id=auto_id)
    status = 400
    if step_id is None:
        form.is_valid()
        form.errors.pop("step", None)
        form.add_error(None, _("Choose the step you have done."))
    elif form.is_valid():
        try:
            if ticket.status in NOT_STARTED:
                raise Conflict(
                    _("Start the work first: tap “Start work” at the top, then tick the steps."),
                    code="not_started",
                    field="step",
                )
            step = commands.tick_step(
                request.user,
                ticket,
                _step(form, ticket),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            if isinstance(err, NotFound) and err.field == "step":  # another order's step
                form.add_error(None, _("This step is not on this work order."))
                status = 400
            else:
                status = show_error(form, err)
        else:
            if not _is_htmx(request):
                messages.success(request, ACTIONS["tick_step"].done)
                url = reverse("console:workorder", args=[ticket.pk])
                return redirect(f"{url}#step-{step.pk}")
            ticket = get_or_404(selectors.ticket_in_full, request.user, pk)
            context = _workorder_context(request, ticket)
            context["step"] = next(s for s in context["checklist"] if s.pk == step.pk)
            return render(request, "tickets/partials/workorder_ticked.html", context)
    # Re-read: the refused tick changed nothing, but someone else may have.
    ticket = get_or_404(selectors.ticket_in_full, request.user, pk)
    context = _workorder_context(request, ticket, bound_name="tick_step", bound_form=form)
    if _is_htmx(request):
        step = next((s for s in context["checklist"] if s.pk == step_id), None)
        if step is None or step.form is not form:
            text = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return _message(request, text or _("This step is not on this work order."), status)
        context["step"] = step
        return render(request, "tickets/partials/workorder_step.html", context, status=status)
    context["error_action"] = ACTIONS["tick_step"].label
    context["error_messages"] = _banner(form, context)
    return render(request, "tickets/workorder.html", context, status=status)
