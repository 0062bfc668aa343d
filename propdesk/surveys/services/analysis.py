"""The analysis of a campaign (M16): when an office's figures are released, the company's, and
the office's written analysis with its measured one-week clock.

The manual: statistics, analysis and follow-up take place within a week of reaching the return
rate AND the collection deadline. So an office's figures are refused (409) until both hold: its
return rate reached the campaign's target and the deadline has passed (the moment the job
``analysis_clocks`` starts its clock, computed here the same way so the page does not wait for
the job). The company's figures need the deadline passed; they add up the released offices and
name the others.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.lifecycle import check_version
from propdesk.core.limits import TEXT_DOCUMENT
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.core.scoping import get_scoped
from propdesk.org.models import Role, User

from ..models import Campaign, CampaignOffice
from ..selectors.analysis import Clock, Statistics, statistics
from ._common import E, _log, target_count


def released(part: CampaignOffice, campaign: Campaign, now) -> bool:
    """Are this office's figures released: the target reached and the deadline passed?"""
    if part.analysis_due_at is not None:
        return True
    return part.reached_at is not None and now >= campaign.deadline


def _percent(value) -> str:
    return f"{value * 100:.0f}%"


def _launched(campaign: Campaign) -> None:
    if campaign.state == Campaign.State.DRAFT:
        raise Conflict(
            _("This campaign has not been launched: there is nothing to analyse yet."),
            code="not_launched",
        )


def check_released(part: CampaignOffice, campaign: Campaign, now) -> None:
    """Refuse (409) before the office's figures are released, saying which condition is not
    met yet; the return rate first, since the office can do something about it."""
    if released(part, campaign, now):
        return
    if part.reached_at is None:
        needed = target_count(part.households, campaign.target_rate)
        raise Conflict(
            _(
                "%(office)s's figures are released once its return rate reaches %(target)s and "
                "the collection deadline has passed. It has %(responses)s answers of "
                "%(households)s households (%(rate)s); %(needed)s are needed."
            )
            % {
                "office": part.office.name,
                "target": _percent(campaign.target_rate),
                "responses": part.responses,
                "households": part.households,
                "rate": _percent(part.return_rate),
                "needed": needed,
            },
            code="below_target",
        )
    raise Conflict(
        _(
            "%(office)s has reached its return rate; its figures are released once the "
            "collection deadline, %(deadline)s, has passed."
        )
        % {
            "office": part.office.name,
            "deadline": timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M"),
        },
        code="before_deadline",
    )


def office_part(*, actor, campaign: Campaign, office_id) -> CampaignOffice:
    """The office's part of the campaign, if the actor may see that office (else 404)."""
    return get_scoped(
        CampaignOffice.objects.select_related("office", "analysed_by"),
        actor,
        campaign=campaign,
        office_id=office_id,
    )


def office_statistics(*, actor, campaign: Campaign, office_id, now=None) -> Statistics:
    """One office's figures, once released (409 before), to staff who may see that office."""
    now = now or timezone.now()
    part = office_part(actor=actor, campaign=campaign, office_id=office_id)
    require(actor, "survey.view", part)
    _launched(campaign)
    check_released(part, campaign, now)
    return statistics(campaign, office_id=part.office_id)


def check_company(*, actor, campaign: Campaign, now) -> None:
    require(actor, "survey.view")
    if not getattr(actor, "is_company_role", False):
        raise Forbidden(
            _("The company's figures are for company roles; your office's are on its page."),
            code="company_only",
        )
    _launched(campaign)
    if now < campaign.deadline:
        raise Conflict(
            _(
                "The company's figures are released once the collection deadline, "
                "%(deadline)s, has passed."
            )
            % {"deadline": timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M")},
            code="before_deadline",
        )


def company_statistics(*, actor, campaign: Campaign, now=None) -> Statistics:
    """The company's figures after the deadline: the released offices added up, the others
    listed in ``excluded``. Company roles only."""
    now = now or timezone.now()
    check_company(actor=actor, campaign=campaign, now=now)
    return statistics(campaign, released=lambda part: released(part, campaign, now))


ANALYSED_SUBJECT = _("Survey analysis recorded: %(office)s")
ANALYSED_BODY = _("%(office)s recorded its analysis of %(title)s (%(timing)s).")


@transaction.atomic
def office_analysis_record(
    *, actor, campaign: Campaign, office_id, analysis: str, expected_version=None, now=None
) -> CampaignOffice:
    """Record (or revise) the office's written analysis and conclusions, once its figures are
    released. The first recording stops the office's one-week clock (``analysed_at``); a
    revision keeps it, and every version stays in the audit history and on the timeline."""
    now = now or timezone.now()
    part = office_part(actor=actor, campaign=campaign, office_id=office_id)
    require(actor, "survey.analyse", part)
    part = (
        CampaignOffice.objects.select_for_update(of=("self",))
        .select_related("office", "campaign")
        .get(pk=part.pk)
    )
    campaign = part.campaign
    _launched(campaign)
    check_released(part, campaign, now)
    check_version(
        part,
        expected_version,
        message=_(
            "Someone else changed this office's analysis meanwhile. Reload it and try again."
        ),
    )
    text = (analysis or "").strip()
    if not text:
        raise DomainError(
            _("Write the analysis and conclusions."), code="required", field="analysis"
        )
    if len(text) > TEXT_DOCUMENT:
        raise DomainError(
            _("Write at most %(n)s characters.") % {"n": TEXT_DOCUMENT},
            code="too_long",
            field="analysis",
        )
    first = part.analysed_at is None
    fields = ["analysis", "version"]
    part.analysis = text
    if first:
        part.analysed_at, part.analysed_by = now, actor
        fields += ["analysed_at", "analysed_by"]
    part.version += 1
    part._history_user = actor
    part.save(update_fields=fields)
    on_time = Clock(part, now).on_time is not False
    timing = _("on time") if on_time else _("late")
    note = (_("Analysis recorded (%(timing)s).") if first else _("Analysis revised.")) % {
        "timing": timing
    }
    _log(campaign, E.ANALYSED, now=now, office=part.office, actor=actor, note=note)
    if first:
        _tell_quality(part, campaign, timing=timing, actor=actor, now=now)
    return part


def _tell_quality(part, campaign, *, timing, actor, now) -> None:
    """The Quality Management Department hears of each office's first analysis in its inbox."""
    managers = User.objects.filter(role=Role.QUALITY, is_active=True).exclude(pk=actor.pk)
    for manager in managers[:50]:
        notify(
            event="survey_analysed",
            subject=ANALYSED_SUBJECT,
            body=ANALYSED_BODY,
            context={"office": part.office.name, "title": campaign.title, "timing": timing},
            user=manager,
            channels=["in_app"],
            dedupe_key=f"survey:{campaign.pk}:analysed:{part.office_id}:{manager.pk}",
            now=now,
        )
