"""Every change to surveys (M16), one function per business action, each in one transaction.

- ``campaigns``: the questionnaire installed, campaigns created, launched over every household,
  their invitations, closing, the analysis clocks and the seasonal job.
- ``responses``: a household's answers, online or from paper, and changing them until the
  deadline.
"""

from ._common import participant_token, target_count
from .campaigns import (
    analysis_clocks,
    answer_link,
    campaign_close,
    campaign_create,
    campaign_edit,
    campaign_launch,
    invitations_send,
    questionnaire_install_default,
    seasonal_campaigns,
)
from .responses import (
    clean_answers,
    participant_by_code,
    participant_by_token,
    response_change,
    response_submit,
)

__all__ = [
    "analysis_clocks",
    "answer_link",
    "campaign_close",
    "campaign_create",
    "campaign_edit",
    "campaign_launch",
    "clean_answers",
    "invitations_send",
    "participant_by_code",
    "participant_by_token",
    "participant_token",
    "questionnaire_install_default",
    "response_change",
    "response_submit",
    "seasonal_campaigns",
    "target_count",
]
