"""Feedback after the activity, from someone who came: by the customer, or by staff for them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require

from ..lifecycle import REGISTRATIONS
from ..models import Registration
from ._common import E, _locked_registration, _log


@transaction.atomic
def registration_feedback(
    *,
    registration: Registration,
    rating,
    comment: str = "",
    actor=None,
    customer=None,
    now=None,
) -> Registration:
    """Feedback after the activity, once, from someone who came: by the customer, or recorded
    by staff (``actor``) when the customer tells them by phone."""
    now = now or timezone.now()
    activity, registration = _locked_registration(registration)
    if actor is not None:
        require(actor, "activity.feedback", activity)
    elif customer is None or registration.customer_id != customer.pk:
        raise NotFound()
    REGISTRATIONS.check(registration, "feedback")
    if now < activity.starts_at:
        raise Conflict(
            _("Feedback opens once the activity has started."), code="not_started", field="rating"
        )
    if registration.feedback_at is not None:
        raise Conflict(
            _("Feedback for this activity has already been given."),
            code="feedback_given",
            field="rating",
        )
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise DomainError(
            _("Rate from 1 (poor) to 5 (excellent)."), code="invalid_rating", field="rating"
        )
    registration.rating, registration.comment = rating, (comment or "").strip()[:2000]
    registration.feedback_at = now
    registration.save(update_fields=["rating", "comment", "feedback_at", "updated_at"])
    _log(
        activity,
        E.FEEDBACK,
        now=now,
        registration=registration,
        actor=actor,
        customer=registration.customer,
        note=f"{rating}/5",
    )
    return registration
