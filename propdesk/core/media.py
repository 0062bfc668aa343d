"""Uploaded files are served only to staff who may see the record they belong to.

Photos of a customer's home are not public: every file under MEDIA_ROOT is looked up in the models
that own uploads, and served only when the signed-in user's office scope covers that record.
"""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from propdesk.core.scoping import can_see_office


def _owner_office_id(path: str):
    """The office of the request a file belongs to, or None for a file no record owns."""
    from propdesk.aftercare.models import InspectionPhoto
    from propdesk.notices.models import NoticeAttachment
    from propdesk.tickets.models import ChecklistStep, TicketPhoto

    owners = (
        (ChecklistStep, "photo", "ticket__office_id"),
        (TicketPhoto, "image", "ticket__office_id"),
        (InspectionPhoto, "image", "inspection__watch__office_id"),  # M14's special records
        # M05: an office's notice; a company-wide one's files are served by the notice's pages.
        (NoticeAttachment, "file", "notice__office_id"),
    )
    for model, field, office in owners:
        owner = model.objects.filter(**{field: path}).values_list(office, flat=True)
        if (office_id := owner.first()) is not None:
            return office_id
    return None


def _recused(user, path: str) -> bool:
    """A photo of a complaint about the user (M18) is not theirs to see either."""
    from propdesk.tickets.models import TicketPhoto
    from propdesk.tickets.selectors import recused_ticket_ids

    return TicketPhoto.objects.filter(image=path, ticket_id__in=recused_ticket_ids(user)).exists()


@login_required
def protected_media(request, path: str):
    office_id = _owner_office_id(path)
    if office_id is None or not can_see_office(request.user, office_id):
        raise Http404
    if _recused(request.user, path):
        raise Http404
    return serve_file(path)


def serve_file(path: str) -> FileResponse:
    """Stream one stored upload, privately; the caller has decided who may see it."""
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type, _ = mimetypes.guess_type(path)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
