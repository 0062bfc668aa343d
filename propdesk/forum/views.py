"""Console pages of the forum (M21): the desk (untriaged, unanswered, overdue, held, reported),
a post with its routing, official reply, moderation (and its abuse reports, each dismissed after
a confirmation) and conversion, the word list for Quality,
and the response measures. Thin: selector → form → service → render; a service's refusal is
shown on the post's page with its status."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import rendered_version, show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from . import selectors, services
from .forms import (
    AnswerForm,
    ConvertForm,
    DeskFilterForm,
    HideForm,
    MeasureForm,
    ReplyHideForm,
    ReportDismissForm,
    RouteForm,
    VersionForm,
    WordForm,
)
from .lifecycle import POSTS, REPLIES

PAGE_SIZE = 50
TIMELINE_LIMIT = 200
ACTIONS = ("route", "answer", "approve", "hide", "restore", "convert")


@login_required
@require_GET
def desk(request):
    form = DeskFilterForm(request.GET or None, user=request.user)
    posts = selectors.posts_for_user(request.user, form.filters())
    page = CappedPaginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/desk.html",
        {
            "form": form,
            "page": page,
            "now": timezone.now(),
            "can_words": allowed(request.user, "forum.words"),
            "can_measure": allowed(request.user, "forum.measure"),
        },
    )


def _context(user, post, forms=None) -> dict:
    offered = POSTS.actions_for(user, post)
    if post.ticket_id:
        offered = [a for a in offered if a != "convert"]
    replies = list(selectors.thread(post, staff=True))
    for reply in replies:
        reply.post = post  # the permission is checked on the post: no query per reply
        reply.actions = REPLIES.actions_for(user, reply)
    forms = forms or {}
    return {
        "post": post,
        "shown_text": services.mask_phones(post.text),
        "photos": list(post.photos.all()),
        "replies": replies,
        "events": selectors.timeline(post)[:TIMELINE_LIMIT],
        "routes": selectors.routes(post),
        "reports": selectors.reports_for(post),
        "ticket_events": selectors.ticket_timeline(post, customer_view=False),
        "offered": offered,
        "now": timezone.now(),
        "route_form": forms.get("route") or RouteForm(post=post, user=user),
        "answer_form": forms.get("answer") or AnswerForm(),
        "hide_form": forms.get("hide") or HideForm(post=post),
        "convert_form": forms.get("convert") or ConvertForm(post=post),
        "version_form": forms.get("approve") or forms.get("restore") or VersionForm(post=post),
        "reply_hide_form": ReplyHideForm(),
        "can_moderate": allowed(user, "forum.moderate", post),
        "dismiss_form": ReportDismissForm(),
    }


@login_required
@require_GET
def post_detail(request, pk):
    post = get_or_404(selectors.post_get, request.user, pk)
    return render(request, "forum/post.html", _context(request.user, post))


FORMS = {
    "route": lambda data, post, user: RouteForm(data, post=post, user=user),
    "answer": lambda data, post, user: AnswerForm(data),
    "approve": lambda data, post, user: VersionForm(data),
    "restore": lambda data, post, user: VersionForm(data),
    "hide": lambda data, post, user: HideForm(data),
    "convert": lambda data, post, user: ConvertForm(data),
}
DONE = {
    "route": _("The post is routed."),
    "answer": _("Your official reply is posted."),
    "approve": _("The post is approved and in the forum."),
    "restore": _("The post is shown again."),
    "hide": _("The post is hidden; its author is told why."),
}


def _act(user, post, action, data):
    version = data.get("version")
    if action == "route":
        return services.post_route(
            actor=user,
            post=post,
            office=data["office"],
            department=data.get("department"),
            note=data.get("note", ""),
            expected_version=version,
        )
    if action == "answer":
        return services.post_answer(actor=user, post=post, text=data["text"])
    if action == "approve":
        return services.post_approve(actor=user, post=post, expected_version=version)
    if action == "restore":
        return services.post_restore(actor=user, post=post, expected_version=version)
    if action == "hide":
        return services.post_hide(
            actor=user, post=post, reason=data["reason"], expected_version=version
        )
    return services.post_convert(
        actor=user,
        post=post,
        into=data["into"],
        kind=data.get("kind") or "service",
        category=data.get("category") or "other",
        expected_version=version,
    )


@login_required
@require_POST
def post_act(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    post = get_or_404(selectors.post_get, request.user, pk)
    form = FORMS[action](request.POST, post, request.user)
    status = 400
    if form.is_valid():
        try:
            data = dict(form.cleaned_data)
            if action != "answer":
                data["version"] = rendered_version(form)  # none at all: an old page, refused
            result = _act(request.user, post, action, data)
        except DomainError as err:
            status = show_error(form, err)
            messages.error(request, err.message)
        else:
            if action == "convert":
                messages.success(
                    request,
                    _("The post is now request %(number)s.") % {"number": result.ticket.number},
                )
            else:
                messages.success(request, DONE[action])
            try:
                selectors.post_get(request.user, pk)
            except DomainError:
                return redirect("console:forum")  # routed to an office this user does not see
            return redirect("console:forum_post", pk=pk)
    post = get_or_404(selectors.post_get, request.user, pk)
    return render(
        request, "forum/post.html", _context(request.user, post, {action: form}), status=status
    )


@login_required
@require_POST
def reply_act(request, pk, reply_pk, action):
    post = get_or_404(selectors.post_get, request.user, pk)
    reply = get_or_404(selectors.reply_get, post, reply_pk)
    try:
        if action == "approve":
            services.reply_approve(actor=request.user, reply=reply)
            messages.success(request, _("The reply is approved."))
        elif action == "hide":
            form = ReplyHideForm(request.POST)
            form.is_valid()
            services.reply_hide(
                actor=request.user, reply=reply, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("The reply is hidden."))
        else:
            raise Http404
    except DomainError as err:
        messages.error(request, err.message)
        context = _context(request.user, post)
        return render(request, "forum/post.html", context, status=err.status)
    return redirect("console:forum_post", pk=pk)


@login_required
@require_POST
def report_dismiss(request, pk, report_pk):
    """Dismiss one abuse report (the page asked to confirm): the post stays as it is."""
    post = get_or_404(selectors.post_get, request.user, pk)
    report = get_or_404(selectors.report_get, post, report_pk)
    form = ReportDismissForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.report_dismiss(
                actor=request.user, report=report, note=form.cleaned_data["note"]
            )
        except DomainError as err:
            status = show_error(form, err)
            messages.error(request, err.message)  # a settled report shows no form to put it on
        else:
            messages.success(request, _("The report is dismissed; the post stays as it is."))
            return redirect("console:forum_post", pk=pk)
    context = _context(request.user, post)
    context.update(dismiss_form=form, dismiss_failed=report.pk)
    return render(request, "forum/post.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def words(request):
    if not allowed(request.user, "forum.words"):
        raise PermissionDenied
    form = WordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.word_add(actor=request.user, word=form.cleaned_data["word"])
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("The word is on the list."))
                return redirect("console:forum_words")
    page = CappedPaginator(selectors.words(), 100).get_page(request.GET.get("page"))
    return render(request, "forum/words.html", {"form": form, "page": page}, status=status)


@login_required
@require_POST
def word_delete(request, pk):
    if not allowed(request.user, "forum.words"):
        raise PermissionDenied
    word = selectors.words().filter(pk=pk).first()
    if word is None:
        raise Http404
    services.word_remove(actor=request.user, word=word)
    messages.success(request, _("The word is off the list."))
    return redirect("console:forum_words")


@login_required
@require_GET
def measures(request):
    if not allowed(request.user, "forum.measure"):
        raise PermissionDenied
    today = timezone.localdate()
    first = today.replace(day=1)
    form = MeasureForm(request.GET or None, initial={"since": first, "until": today})
    since, until = first, today
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    data = selectors.response_measures(request.user, since=start, until=end)
    return render(
        request,
        "forum/measures.html",
        {
            "form": form,
            "measures": data,
            "target_hours": services.response_hours(),
            "triage_hours": services.TRIAGE_HOURS,
        },
    )
