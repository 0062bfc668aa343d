"""What the survey services share: the timeline entry, the locked campaign, the household's link
token, and the target count of an office."""

import base64
import hashlib
import hmac
import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import check_version
from propdesk.core.tokens import token_hash

from ..models import Campaign, CampaignEvent, Participant

S = Campaign.State
E = CampaignEvent.Kind


def _log(campaign, kind, *, now, office=None, office_id=None, actor=None, note=""):
    CampaignEvent.objects.create(
        campaign=campaign,
        office_id=office.pk if office is not None else office_id,
        kind=kind,
        actor=actor,
        note=str(note)[:1000],
        at=now,
    )


def _locked(campaign: Campaign, expected_version: int | None = None) -> Campaign:
    fresh = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(
        fresh,
        expected_version,
        message=_("Someone else changed this campaign meanwhile. Reload it and try again."),
    )
    return fresh


def _save(campaign: Campaign, fields) -> None:
    campaign.version += 1
    campaign.save(update_fields=[*fields, "version", "updated_at"])


def participant_token(participant: Participant) -> str:
    """The household's one-time link token. Derived from the site's secret and the participant's
    random salt, so a reprinted questionnaire carries the same link; only its hash is stored, so
    the database alone answers for no one."""
    message = f"survey:{participant.campaign_id}:{participant.salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def participant_token_hash(participant: Participant) -> str:
    return token_hash(participant_token(participant))


def target_count(households: int, target_rate) -> int:
    """How many answers reach the target rate: 60% of 7 households is 5 (4.2 rounded up)."""
    return math.ceil(households * Decimal(target_rate)) if households else 0
