"""Uploaded files are served only to staff who may see the record they belong to.

Photos of a customer's home are not public: every file under MEDIA_ROOT is looked up in the models
that own uploads, and served only when the signed-in user's office scope covers that record and
no veto hides it from them. The kernel knows no app: the apps that own uploads register them here
from their ``AppConfig.ready()`` (``register_media_owner``), and those that hide files from some
viewers register the check (``register_media_veto``).
"""

import mimetypes
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404

from propdesk.core.scoping import can_see_office

# (model, file field, lookup of the owning record's office id), in the order they are asked;
# registered by the apps that own uploads, from their ``AppConfig.ready()``.
_OWNERS: list[tuple[type[models.Model], str, str]] = []
# Checks ``(user, path) -> bool``: True when this viewer may not see this file, in scope or not.
_VETOES: list[Callable[[object, str], bool]] = []


def register_media_owner(model: type[models.Model], field: str, office_path: str) -> None:
    """Files stored in ``model.<field>`` belong to that record, whose office ``office_path`` (a
    lookup such as ``"ticket__office_id"``) names. Registered once per (model, field)."""
    if any((m, f) == (model, field) for m, f, _office in _OWNERS):
        raise ImproperlyConfigured(f"Media owner registered twice: {model.__name__}.{field}")
    _OWNERS.append((model, field, office_path))


def register_media_veto(veto: Callable[[object, str], bool]) -> None:
    """``veto(user, path)`` says True when ``user`` may not see the file at ``path`` even though
    its office is in their scope (a photo of a complaint about them)."""
    if veto in _VETOES:
        raise ImproperlyConfigured(f"Media veto registered twice: {veto!r}")
    _VETOES.append(veto)


def _owner_office_id(path: str):
    """The office of the record a file belongs to, or None for a file no record owns."""
    for model, field, office in _OWNERS:
        owner = model.objects.filter(**{field: path}).values_list(office, flat=True)
        if (office_id := owner.first()) is not None:
            return office_id
    return None


def _vetoed(user, path: str) -> bool:
    return any(veto(user, path) for veto in _VETOES)


@login_required
def protected_media(request, path: str):
    office_id = _owner_office_id(path)
    if office_id is None or not can_see_office(request.user, office_id):
        raise Http404
    if _vetoed(request.user, path):
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
