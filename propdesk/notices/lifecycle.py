"""A notice's lifecycle as data (M05): which action a notice's state allows, what it leads to and
who may take it.

draft ⇄ scheduled → published → archived. A draft or a scheduled notice is edited in place (its
text, its scope, its files); once published its text is locked, and a mistake is put right by a
correction (``revise``), a new revision customers see. The table is a ``core.lifecycle.Lifecycle``:
``NOTICES.actions_for`` answers the console (the buttons and forms on a notice's page) and the API
(``allowed_actions``), and the services refuse through the same table (``NOTICES.check``), each
step with the refusal it has always had, so the two cannot drift.

Two rules the kernel's table does not say on its own, added by ``NoticeLifecycle``: a
company-wide notice (no office) is the company's, so only company roles act on it; and the
refusal to change a locked notice names its text (``body``), where the edit form shows it.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict
from propdesk.core.lifecycle import Action, Lifecycle, action

from .models import Notice

S = Notice.State
UNPUBLISHED = (S.DRAFT, S.SCHEDULED)

LOCKED = _("A published notice cannot be changed: publish a correction instead.")


def company_may(user, office_id) -> bool:
    """A company-wide notice (no office) is the company's: only company roles act on it. An
    office's notice is for that office's staff and the company's, as the permission says."""
    return office_id is not None or bool(getattr(user, "is_company_role", False))


class NoticeLifecycle(Lifecycle):
    """The kernel's table, with the company's notices kept to company roles (``may``, so they
    are not offered) and a refusal naming the field it belongs to (``fields``)."""

    def __init__(self, actions: Mapping[str, Action], *, fields: Mapping[str, str], **kwargs):
        super().__init__(actions, **kwargs)
        self.fields = dict(fields)  # action → the field its refusal names, instead of the state

    def may(self, user, record, name: str) -> bool:
        return super().may(user, record, name) and company_may(user, record.office_id)

    def check(self, record, name: str) -> Action:
        try:
            return super().check(record, name)
        except Conflict as err:
            if name not in self.fields:
                raise
            raise Conflict(err.message, code=err.code, field=self.fields[name]) from None


NOTICES = NoticeLifecycle(
    {
        # Drafts (and scheduled ones) are written in place; a published text is locked.
        "edit": action(UNPUBLISHED, permission="notice.edit", refusal=LOCKED, code="notice_locked"),
        "attach": action(
            UNPUBLISHED, permission="notice.edit", refusal=LOCKED, code="notice_locked"
        ),
        "detach": action(
            UNPUBLISHED, permission="notice.edit", refusal=LOCKED, code="notice_locked"
        ),
        # Scheduling again moves the time.
        "schedule": action(
            UNPUBLISHED,
            S.SCHEDULED,
            permission="notice.publish",
            refusal=_("Only a draft can be scheduled."),
            code="not_a_draft",
        ),
        "unschedule": action(
            [S.SCHEDULED],
            S.DRAFT,
            permission="notice.publish",
            refusal=_("The notice is not scheduled."),
            code="not_scheduled",
        ),
        "publish": action(
            UNPUBLISHED,
            S.PUBLISHED,
            permission="notice.publish",
            refusal=_("The notice is already published."),
            code="already_published",
        ),
        # The periodic job, when a scheduled notice's time comes; never offered.
        "publish_when_due": action([S.SCHEDULED], S.PUBLISHED),
        # A correction: a new revision of the published text.
        "revise": action(
            [S.PUBLISHED],
            permission="notice.publish",
            refusal=_("Only a published notice is corrected; edit a draft in place."),
            code="not_published",
        ),
        "archive": action(
            [S.PUBLISHED],
            S.ARCHIVED,
            permission="notice.publish",
            refusal=_("Only a published notice can be archived."),
            code="not_published",
        ),
    },
    fields={"edit": "body", "attach": "body", "detach": "body"},
)
