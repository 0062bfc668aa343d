"""The resident portal's notices (M05): the list for the customer's homes and one notice.

Opening a notice records that the customer read it (once). A notice outside the customer's homes
is not found, like any record that is not theirs.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404
from propdesk.portal.auth import portal_login_required

from . import selectors, services


@portal_login_required
def notice_list(request):
    customer = request.portal_account.customer
    page = CappedPaginator(selectors.notices_for_customer(customer), 20).get_page(
        request.GET.get("page")
    )
    read = selectors.read_ids(customer, page.object_list)
    return render(
        request,
        "notices/portal_list.html",
        {"page": page, "unread": {n.pk for n in page if n.pk not in read}},
    )


@portal_login_required
def notice_detail(request, pk):
    customer = request.portal_account.customer
    notice = get_or_404(selectors.notice_for_customer, customer, pk)
    services.notice_mark_read(notice=notice, customer=customer, now=timezone.now())
    return render(
        request,
        "notices/portal_detail.html",
        {"notice": notice, "attachments": notice.attachments.all()},
    )


@portal_login_required
def notice_file(request, pk, file_pk):
    notice = get_or_404(selectors.notice_for_customer, request.portal_account.customer, pk)
    attachment = notice.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    return serve_file(attachment.file.name)
