"""The one periodic schedule (DESIGN: periodic jobs).

Each job is a service function ``f(*, now) -> result`` named by its dotted path, and when it runs,
as a Celery schedule object: ``crontab(...)`` (local time, Asia/Shanghai) or ``every(...)``. The
same list feeds Celery beat (``propdesk/celery.py``) and the in-process scheduler that
``propdesk serve`` runs when there is no broker (``propdesk/core/jobs.py``), so the two cannot
disagree. ``propdesk runjob <name>`` runs one job by hand.

A job with a ``period`` ("day" or "week") does its work once per period: the first run records a
``core.JobRun`` for the period's key (e.g. ``2026-W24``) in the same transaction as its work, and
later runs in that period do nothing. A job without one must be idempotent by its own means, as
the jobs below are (claims and dedupe keys on notifications).

This module imports no Django models, so that the Celery app can read it before Django is set up.
"""

from dataclasses import dataclass
from datetime import timedelta

from celery.schedules import crontab, schedule

__all__ = ["SCHEDULE", "Job", "crontab", "every"]


@dataclass(frozen=True)
class Job:
    name: str
    func: str  # dotted path of f(*, now) -> result
    when: crontab | schedule
    period: str | None = None  # "day" or "week": run once per period (see core.jobs.PERIODS)


def every(*, minutes: float = 0, seconds: float = 0) -> schedule:
    """A fixed interval. The in-process scheduler runs it on multiples of the interval since
    the epoch (so several processes agree on when); Celery beat counts from its own start."""
    return schedule(timedelta(minutes=minutes, seconds=seconds))


SCHEDULE: list[Job] = [
    # The outbox is delivered after each change commits; this run picks up retries (with their
    # growing pauses) and SMS held over the quiet hours even when no new message arrives.
    Job("deliver_notifications", "propdesk.core.delivery.deliver_due", crontab()),
    # Work a change left half-done (a fan-out whose worker died, a task the broker never took)
    # is sent again, and each lane of the outbox with messages due gets a delivery run.
    Job("sweep_background_work", "propdesk.core.background.sweep", crontab()),
    # M09: staff hear of requests due within two hours, and of those that went overdue.
    Job(
        "ticket_deadline_alerts",
        "propdesk.tickets.jobs.ticket_deadline_alerts",
        crontab(minute="*/5"),
    ),
    # M05: scheduled notices are published when their time comes (each claimed once).
    Job("publish_due_notices", "propdesk.notices.services.publish_due", crontab(minute="*/5")),
    # M19: complaint handlers are reminded before a first response or a resolution falls due;
    # a missed one passes the complaint up a level, once (the escalation row is the claim).
    Job(
        "complaint_clocks",
        "propdesk.complaints.services.clocks.clock_alerts",
        crontab(minute="*/5"),
    ),
    # M07: everyone with places at an activity starting within a day is reminded, once each.
    Job(
        "activity_reminders",
        "propdesk.community.services.send_reminders",
        crontab(minute=0),
    ),
    # API Idempotency-Keys past their time (PROPDESK_IDEMPOTENCY_KEY_HOURS) are freed.
    Job(
        "purge_idempotency_keys",
        "propdesk.core.idempotency.keys_purge",
        crontab(minute=40),
    ),
    # Customers' app sign-ins that ended a month ago are deleted.
    Job("purge_portal_tokens", "propdesk.portal.tokens.tokens_purge", crontab(hour=3, minute=20)),
    # Staff API tokens that ended a month ago are deleted.
    Job("purge_staff_tokens", "propdesk.org.tokens.tokens_purge", crontab(hour=3, minute=25)),
    # Staff sign-ins and failed tries older than PROPDESK_SIGNIN_LOG_DAYS are forgotten.
    Job("purge_signin_logs", "propdesk.org.signin.signin_logs_purge", crontab(hour=3, minute=30)),
    # M13: each office's 20% sample of the repairs completed last week, once per ISO week.
    Job(
        "weekly_followup_sample",
        "propdesk.aftercare.services.followups.weekly_sample",
        crontab(minute=30, hour=0, day_of_week="mon"),
        period="week",
    ),
    # M14: the designated person hears of defect inspections due within a day, the director of
    # overdue ones; each once (dedupe keys), so a run by hand the same day sends nothing more.
    Job(
        "defect_inspection_reminders",
        "propdesk.aftercare.services.defects.defect_inspection_reminders",
        crontab(hour=8, minute=0),
    ),
    # M15: the director (and the specialist) hear of a special follow-up of rework two hours
    # before it falls due, and the director again when it is due and not made; each once.
    Job(
        "rework_followup_alerts",
        "propdesk.aftercare.services.rework.rework_followup_alerts",
        crontab(minute="*/5"),
    ),
    # M25: the after-service numbers of the current and previous ISO week per office (upsert).
    Job(
        "weekly_measures",
        "propdesk.aftercare.services.measures.weekly_measures",
        crontab(hour=1, minute=0),
    ),
    # M16: on 1 June and 1 November the season's satisfaction survey is created and launched
    # over every household, once per season (unique per year and season).
    Job(
        "seasonal_survey",
        "propdesk.surveys.services.campaigns.seasonal_campaigns",
        crontab(hour=8, minute=10),
    ),
    # M16: when a survey's deadline passes, each office that reached the return rate starts its
    # one-week clock for statistics, analysis and follow-up (each office's clock set once).
    Job(
        "survey_analysis_clocks",
        "propdesk.surveys.services.campaigns.analysis_clocks",
        crontab(minute="*/15"),
    ),
    # M22: the offices that held no committee meeting last month are flagged, once per office
    # and month (the flag's row is the claim).
    Job(
        "committee_missed_months",
        "propdesk.committee.services.flag_missed_months",
        crontab(hour=2, minute=10),
    ),
    # M22: owners of overdue improvement actions are reminded, once per action per day.
    Job(
        "committee_overdue_actions",
        "propdesk.committee.services.overdue_action_alerts",
        crontab(hour=8, minute=15),
    ),
    # M16: once an office's analysis clock starts, its callbacks (逐户回访) and home visits
    # (登门拜访) open, once per office however often this runs.
    Job(
        "survey_followups_open",
        "propdesk.surveys.services.followups.survey_followups_open",
        crontab(minute="5,20,35,50"),
    ),
    # M21: the desk is reminded before the forum's answer target and alerted once it is missed
    # (each post claimed once).
    Job(
        "forum_response_clocks",
        "propdesk.forum.services.forum_response_clocks",
        crontab(minute="*/5"),
    ),
    # M16: a week and two days before a running survey's deadline, a reminder to each household
    # not answered yet; once per round and household (dedupe keys), SMS held over quiet hours.
    Job(
        "survey_reminders",
        "propdesk.surveys.services.reminders.survey_reminders",
        crontab(minute=20),
    ),
    # M25: on the 1st, last month's board of each office as a PDF to its director, and the
    # company's to leadership and quality; once per office and month (the report's row is the
    # claim).
    Job(
        "board_monthly_reports",
        "propdesk.board.reports.board_monthly_reports",
        crontab(hour=7, minute=0, day_of_month=1),
    ),
    # M25: the boards' rollups — the current and previous week and month every ten minutes,
    # the whole trend each night (and so before the monthly reports). A refresh upserts the
    # same rows however often it runs, or on how many machines.
    Job("board_rollups_recent", "propdesk.board.rollups.refresh_recent", crontab(minute="*/10")),
    Job("board_rollups_nightly", "propdesk.board.rollups.refresh_all", crontab(hour=2, minute=30)),
    # M19, M23: the complaint numbers' rollups of closed complaints, the same way — this month
    # and the last every ten minutes, the last 14 months each night.
    Job(
        "complaint_numbers_recent",
        "propdesk.complaints.rollups.refresh_recent",
        crontab(minute="*/10"),
    ),
    Job(
        "complaint_numbers_nightly",
        "propdesk.complaints.rollups.refresh_all",
        crontab(hour=2, minute=40),
    ),
    # Roster uploads left unconfirmed for two days: their files deleted, the uploads refused.
    Job(
        "roster_uploads_expire",
        "propdesk.customers.roster_uploads.roster_uploads_expire",
        crontab(hour=3, minute=17),
    ),
]
