"""A notice's lifecycle as data (M05): which action a notice's state allows, what it leads to and
who may take it.

draft ⇄ scheduled → published → archived. A draft or a scheduled notice is edited in place (its
text, its scope, its files); once published its text is locked, and a mistake is put right by a
correction (``revise``), a new revision customers see. The table is a ``core.lifecycle.Lifecycle``:
``NOTICES.actions_for`` answers the console (the buttons and forms on a notice's page) and the API
(``allowed_actions``), and the services refuse through the same table (``NOTICES.check``), each
step with the refusal it has always had, so the two cannot drift.

A company-wide notice (no office) is the company's: only company roles act on it (each step's
``who``), and the refusal to change a locked notice names its text (``body``).
"""

from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action

from .models import Notice

S = Notice.State
UNPUBLISHED = (S.DRAFT, S.SCHEDULED)

LOCKED = _("A published notice cannot be changed: publish a correction instead.")


def company_may(user, office_id) -> bool:
    """A company-wide notice (no office) is the company's: only company roles act on it. An
    office's notice is for that office's staff and the company's, as the permission says."""
    return office_id is not None or bool(getattr(user, "is_company_role", False))


def _company_may(user, notice) -> bool:
    return company_may(user, notice.office_id)


def _locked_once_published():
    # The refusal names the notice's text (``body``), where the edit form shows it.
    return action(
        UNPUBLISHED,
        permission="notice.edit",
        who=_company_may,
        refusal=LOCKED,
        code="notice_locked",
        refusal_field="body",
    )


NOTICES = Lifecycle(
    {
        # Drafts (and scheduled ones) are written in place; a published text is locked.
        "edit": _locked_once_published(),
        "attach": _locked_once_published(),
        "detach": _locked_once_published(),
        # Scheduling again moves the time.
        "schedule": action(
            UNPUBLISHED,
            S.SCHEDULED,
            permission="notice.publish",
            who=_company_may,
            refusal=_("Only a draft can be scheduled."),
            code="not_a_draft",
        ),
        "unschedule": action(
            [S.SCHEDULED],
            S.DRAFT,
            permission="notice.publish",
            who=_company_may,
            refusal=_("The notice is not scheduled."),
            code="not_scheduled",
        ),
        "publish": action(
            UNPUBLISHED,
            S.PUBLISHED,
            permission="notice.publish",
            who=_company_may,
            refusal=_("The notice is already published."),
            code="already_published",
        ),
        # The periodic job, when a scheduled notice's time comes; never offered.
        "publish_when_due": action([S.SCHEDULED], S.PUBLISHED),
        # A correction: a new revision of the published text.
        "revise": action(
            [S.PUBLISHED],
            permission="notice.publish",
            who=_company_may,
            refusal=_("Only a published notice is corrected; edit a draft in place."),
            code="not_published",
        ),
        "archive": action(
            [S.PUBLISHED],
            S.ARCHIVED,
            permission="notice.publish",
            who=_company_may,
            refusal=_("Only a published notice can be archived."),
            code="not_published",
        ),
    },
)
