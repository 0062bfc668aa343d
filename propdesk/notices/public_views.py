"""The public notices of a community (M05, the network channel): no sign-in.

Only published notices sent by network, in scope of the community, are shown; any other notice
is not found here.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.customers.models import Community

from . import selectors


def _community(community_id) -> Community:
    return get_object_or_404(Community.objects.select_related("office"), pk=community_id)


def _notice_or_404(community, pk):
    notice = selectors.notices_for_community(community).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_list(request, community_id):
    community = _community(community_id)
    page = CappedPaginator(selectors.notices_for_community(community), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "notices/public_list.html", {"community": community, "page": page})


def notice_detail(request, community_id, pk):
    community = _community(community_id)
    notice = _notice_or_404(community, pk)
    return render(
        request,
        "notices/public_detail.html",
        {"community": community, "notice": notice, "attachments": notice.attachments.all()},
    )


def notice_file(request, community_id, pk, file_pk):
    notice = _notice_or_404(_community(community_id), pk)
    attachment = notice.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    return serve_file(attachment.file.name)
