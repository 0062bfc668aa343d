"""Public replies (M16): an issue many households raised in a campaign (a topic) is answered
publicly, as a notice (M05): company-wide by the Quality Management Department, or to one
office's customers by its director. The notice is the notices app's, published through its
services; the reply links it to the campaign. Replies come after the collection deadline, when
the answers are final."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.notices.models import Notice
from propdesk.notices.services import notice_create, notice_publish

from ..models import Campaign, PublicReply
from ._common import E, _log

TOPIC_MAX = PublicReply._meta.get_field("topic").max_length
TITLE_MAX = Notice._meta.get_field("title").max_length


def _required(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


@transaction.atomic
def reply_publish(
    *,
    actor,
    campaign: Campaign,
    topic: str,
    body: str,
    title: str = "",
    office=None,
    by_notification: bool = False,
    now=None,
) -> PublicReply:
    """Publish the reply to ``topic`` as a customer notice: to one office's customers
    (``office``) or company-wide (none), linked to the campaign."""
    now = now or timezone.now()
    if office is not None and not can_see_office(actor, office.pk):
        raise NotFound(field="office")
    require(actor, "survey.reply", office)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state == Campaign.State.DRAFT or now < campaign.deadline:
        raise Conflict(
            _(
                "Public replies are published after the collection deadline (%(deadline)s), "
                "when every household's answer is in."
            )
            % {"deadline": timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M")},
            code="before_deadline",
            field="campaign",
        )
    topic = _required(topic, "topic", _("Name the issue this reply answers."))
    if len(topic) > TOPIC_MAX:
        raise DomainError(
            _("Name the issue in at most %(n)s characters.") % {"n": TOPIC_MAX},
            code="invalid",
            field="topic",
        )
    body = _required(body, "body", _("Write the reply."))
    title = (title or "").strip() or str(
        _("Your opinions in %(title)s: %(topic)s") % {"title": campaign.title, "topic": topic}
    )
    notice = notice_create(
        actor=actor,
        scope=Notice.Scope.OFFICE if office is not None else Notice.Scope.COMPANY,
        office=office,
        category=Notice.Category.CUSTOMER_NOTICE,
        title=title[:TITLE_MAX],
        body=body,
        by_board=True,
        by_notification=by_notification,
        by_network=True,
    )
    notice = notice_publish(actor=actor, notice=notice, now=now)
    reply = PublicReply.objects.create(
        campaign=campaign,
        office=office,
        topic=topic,
        notice=notice,
        created_at=now,
        created_by=actor,
    )
    _log(campaign, E.REPLIED, now=now, office=office, actor=actor, note=topic)
    return reply


__all__ = ["reply_publish"]
