"""The resident portal's forum (M21): the forums of the customer's communities and the
company-wide one, a post with its thread and the official replies marked, and the customer's own
steps: post, reply, review a service, report abuse. Plain forms, no JavaScript needed; what the
services refuse is shown on the page it came from, with the error's status."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.catalog.selectors import items_for_office
from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404
from propdesk.portal.auth import portal_login_required

from . import selectors, services
from .models import Topic
from .portal_forms import COMPANY, PostForm, ReplyForm, ReportForm, ReviewForm

PAGE_SIZE = 20


def _forum(customer, key):
    """The forum asked for: one of the customer's communities by id, or the company-wide one."""
    if key in (None, "", COMPANY):
        return None
    return selectors.community_for_customer(customer, key)


@portal_login_required
def forum_list(request):
    customer = request.portal_account.customer
    communities = list(services.communities_of(customer))
    key = request.GET.get("forum") or (str(communities[0].pk) if communities else COMPANY)
    community = get_or_404(_forum, customer, key)
    topic = request.GET.get("topic", "")
    topic = topic if topic in Topic.values else ""
    posts = selectors.posts_for_customer(customer, community=community, topic=topic)
    page = CappedPaginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/portal_list.html",
        {
            "communities": communities,
            "community": community,
            "forum_key": key if community else COMPANY,
            "topics": Topic.choices,
            "topic": topic,
            "page": page,
            "mine": selectors.posts_of_customer(customer)[:5],
        },
    )


def _detail(request, post, *, reply_form=None, report_form=None, status=200):
    customer = request.portal_account.customer
    replies = list(selectors.thread(post, customer=customer))
    for reply in replies:
        reply.shown_text = services.mask_phones(reply.text)
    context = {
        "post": post,
        "shown_text": services.mask_phones(post.text),
        "photos": list(post.photos.all()),
        "replies": replies,
        "official": [r for r in replies if r.official],
        "is_mine": post.author_id == customer.pk,
        "can_reply": post.state == "visible",
        "reply_form": reply_form or ReplyForm(),
        "report_form": report_form or ReportForm(),
        "ticket_events": selectors.ticket_timeline(post, customer_view=True),
    }
    return render(request, "forum/portal_post.html", context, status=status)


@portal_login_required
def post_detail(request, pk):
    post = get_or_404(selectors.post_for_customer, request.portal_account.customer, pk)
    return _detail(request, post)


@portal_login_required
@require_POST
def post_reply(request, pk):
    customer = request.portal_account.customer
    post = get_or_404(selectors.post_for_customer, customer, pk)
    form = ReplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            reply = services.reply_create(
                customer=customer, post=post, text=form.cleaned_data["text"]
            )
        except DomainError as err:
            status = show_error(form, err)
        else:
            if reply.state == "held":
                messages.info(request, _("Your reply will be shown once it has been reviewed."))
            else:
                messages.success(request, _("Your reply is posted."))
            return redirect("portal:forum_post", pk=pk)
    return _detail(request, post, reply_form=form, status=status)


@portal_login_required
@require_POST
def post_report(request, pk):
    customer = request.portal_account.customer
    post = get_or_404(selectors.post_for_customer, customer, pk)
    form = ReportForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            reply = None
            if form.cleaned_data.get("reply"):
                reply = selectors.reply_get(post, form.cleaned_data["reply"])
            services.report_abuse(
                customer=customer, post=post, reply=reply, reason=form.cleaned_data["reason"]
            )
        except DomainError as err:
            status = show_error(form, err)
        else:
            messages.success(request, _("Thank you: a moderator will look at it."))
            return redirect("portal:forum_post", pk=pk)
    return _detail(request, post, report_form=form, status=status)


@portal_login_required
def post_new(request):
    customer = request.portal_account.customer
    communities = list(services.communities_of(customer))
    initial = {
        "forum": request.GET.get("forum") or (str(communities[0].pk) if communities else COMPANY)
    }
    form = PostForm(
        request.POST or None, request.FILES or None, communities=communities, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                post = services.post_create(
                    customer=customer,
                    community=_forum(customer, d["forum"]),
                    topic=d["topic"],
                    title=d["title"],
                    text=d["text"],
                    photos=d["photos"],
                )
            except DomainError as err:
                status = show_error(form, err, missing_is_bad_input=True)
            else:
                if post.state == "held":
                    messages.info(request, _("Your post will be shown once it has been reviewed."))
                else:
                    messages.success(request, _("Your post is in the forum."))
                return redirect("portal:forum_post", pk=post.pk)
    return render(request, "forum/portal_new.html", {"form": form}, status=status)


@portal_login_required
def review_new(request):
    customer = request.portal_account.customer
    items = items_for_office(customer.office_id)
    tickets = selectors.reviewable_tickets(customer)[:50]
    form = ReviewForm(
        request.POST or None, items=items, tickets=tickets, initial=request.GET.dict() or None
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            what, _sep, pk = d["about"].partition(":")
            target = {}
            if what == "ticket":
                target["ticket"] = next(t for t in tickets if str(t.pk) == pk)
            else:
                target["item"] = next(i for i in items if str(i.pk) == pk)
            try:
                post = services.review_create(
                    customer=customer, rating=d["rating"], comment=d["comment"], **target
                )
            except DomainError as err:
                status = show_error(form, err, missing_is_bad_input=True)
            else:
                messages.success(request, _("Thank you for your review."))
                return redirect("portal:forum_post", pk=post.pk)
    return render(request, "forum/portal_review.html", {"form": form}, status=status)


@portal_login_required
def post_photo(request, pk, photo_pk):
    """A photo of a post the customer may read; anything else is not there."""
    post = get_or_404(selectors.post_for_customer, request.portal_account.customer, pk)
    photo = post.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return serve_file(photo.image.name)
