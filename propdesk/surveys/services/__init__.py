"""Every change to surveys (M16), one function per business action, each in one transaction.

- ``campaigns``: the questionnaire installed, campaigns created, launched over every household,
  their invitations, closing, the analysis clocks and the seasonal job.
- ``responses``: a household's answers, online or from paper, and changing them until the
  deadline.
- ``followups``: callbacks and home visits after a campaign, their outcomes, and a request or
  complaint opened from an answer; ``replies``: public replies published as notices.
- ``analysis``: when an office's and the company's figures are released, and the office's
  written analysis with its one-week clock.
- ``questionnaires``: a new draft version, its questions, publishing; ``reminders``: reminders
  to the households that have not answered, by hand and by the periodic job.
"""

from ._common import participant_token, target_count
from .analysis import company_statistics, office_analysis_record, office_statistics
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
from .followups import (
    followup_assign,
    followup_open_request,
    followup_plan,
    followup_record,
    survey_followups_open,
)
from .questionnaires import (
    question_add,
    question_change,
    question_remove,
    questionnaire_draft,
    questionnaire_edit,
    questionnaire_publish,
    questions_reorder,
)
from .reminders import campaign_remind, reminders_send, survey_reminders
from .replies import reply_publish
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
    "campaign_remind",
    "clean_answers",
    "company_statistics",
    "followup_assign",
    "followup_open_request",
    "followup_plan",
    "followup_record",
    "invitations_send",
    "office_analysis_record",
    "office_statistics",
    "participant_by_code",
    "participant_by_token",
    "participant_token",
    "question_add",
    "question_change",
    "question_remove",
    "questionnaire_draft",
    "questionnaire_edit",
    "questionnaire_install_default",
    "questionnaire_publish",
    "questions_reorder",
    "reminders_send",
    "reply_publish",
    "response_change",
    "response_submit",
    "seasonal_campaigns",
    "survey_followups_open",
    "survey_reminders",
    "target_count",
]
