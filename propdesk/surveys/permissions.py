"""Surveys' part of the permission table (``core.permissions.ACTIONS``), registered in
``SurveysConfig.ready()``.

The company runs the survey (M16): the Quality Management Department keeps the questionnaire and
launches, reminds and closes campaigns. Offices help hand out and collect it: their staff type in
paper questionnaires and see their households' progress; the director writes the office's
analysis and may answer his customers publicly. Follow-up calls and visits are the office's and
the follow-up specialists' work.
"""

from propdesk.org.models import Role

ALL_BUT_TECHNICIANS = frozenset(Role) - {Role.TECHNICIAN}

ACTIONS = {
    "survey.view": ALL_BUT_TECHNICIANS,
    "survey.manage": {Role.QUALITY, Role.ADMIN},
    "survey.remind": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    "survey.enter": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
    "survey.analyse": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    "survey.reply": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    "survey.followup": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
}
