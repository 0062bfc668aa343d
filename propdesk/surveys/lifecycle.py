"""A campaign's and a follow-up's lifecycles as data (M16).

A campaign: draft (being prepared) → running (launched: households invited, answers taken until
the deadline) → closed. Answers, online or typed in from paper, are taken while it runs and
before its deadline. A follow-up: open → done, with its outcome. The services refuse through
these tables (``check``) and the console and the API offer what ``actions_for`` allows.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action

from .models import Campaign, FollowUp

S = Campaign.State
F = FollowUp.State


def collecting(campaign, now=None) -> bool:
    """Answers are taken while the campaign runs, until its deadline."""
    return campaign.state == S.RUNNING and (now or timezone.now()) < campaign.deadline


CAMPAIGNS = Lifecycle(
    {
        "edit": action(
            [S.DRAFT, S.RUNNING],
            permission="survey.manage",
            label=_("Changing the campaign"),
            refusal=_("A closed campaign cannot be changed."),
            code="campaign_closed",
        ),
        "launch": action(
            [S.DRAFT],
            S.RUNNING,
            permission="survey.manage",
            label=_("Launching"),
            refusal=_("This campaign has been launched already."),
            code="campaign_launched",
        ),
        "remind": action(
            [S.RUNNING],
            permission="survey.remind",
            label=_("Sending reminders"),
            when=collecting,
            refusal=_("Reminders go out only while a campaign collects answers."),
            code="campaign_not_running",
        ),
        "enter": action(
            [S.RUNNING],
            permission="survey.enter",
            label=_("Entering a paper questionnaire"),
            when=collecting,
            refusal=_("This campaign is not collecting answers."),
            code="campaign_not_running",
        ),
        "close": action(
            [S.RUNNING],
            S.CLOSED,
            permission="survey.manage",
            label=_("Closing"),
            refusal=_("Only a running campaign can be closed."),
            code="campaign_not_running",
        ),
    },
    refusal=_("%(action)s is not allowed while the campaign is “%(state)s”."),
    # A campaign is the company's, not an office's: the permission is the role's alone (without
    # this, ``allowed`` would read the campaign's id as an office's). The household's office is
    # checked where there is one (``responses._check_channel``).
    permission_on=lambda campaign: None,
)

FOLLOWUPS = Lifecycle(
    {
        "assign": action(
            [F.OPEN],
            permission="survey.followup",
            label=_("Assigning"),
            refusal=_("This follow-up is done already."),
            code="followup_done",
        ),
        "record": action(
            [F.OPEN],
            F.DONE,
            permission="survey.followup",
            label=_("Recording the outcome"),
            refusal=_("This follow-up is done already."),
            code="followup_done",
        ),
    }
)
