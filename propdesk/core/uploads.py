"""Checks for uploaded photos: a real image, and not too large."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .errors import DomainError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIC", "MPO"}


def validate_photo(upload, *, field: str = "photo") -> None:
    limit = settings.PROPDESK_MAX_PHOTO_BYTES
    if upload.size > limit:
        raise DomainError(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            code="photo_too_large",
            field=field,
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        kind = None
    finally:
        upload.seek(0)
    if kind not in ALLOWED_FORMATS:
        raise DomainError(
            _("The file is not a photo (JPEG, PNG, WebP or GIF)."), code="not_an_image", field=field
        )
