"""Every opinion raised at a meeting is an item, and ends either as an improvement action (an
owner, a department, a due date) or answered with a reason (M22)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_LINE
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.org.models import Department, User

from ..lifecycle import ITEMS, MEETINGS
from ..models import Action, Item, Meeting, Seat
from ._common import E, _date, _log, _tell_committee, _text, console_link, portal_link

State = Item.State


def _add_item(*, actor, meeting: Meeting, text: str, raised_by=None, now) -> Item:
    text = _text(text, "text", _("Write the opinion."), limit=TEXT_DESCRIPTION)
    if raised_by is not None and (
        not isinstance(raised_by, Seat) or raised_by.committee_id != meeting.committee_id
    ):
        raise DomainError(
            _("Choose a member or representative of this committee."),
            code="invalid",
            field="raised_by",
        )
    item = Item.objects.create(
        meeting=meeting, office_id=meeting.office_id, text=text, raised_by=raised_by
    )
    _log(
        meeting.committee, E.ITEM, now=now, actor=actor, meeting=meeting, item=item, note=text[:300]
    )
    return item


@transaction.atomic
def item_add(*, actor, meeting: Meeting, text: str, raised_by=None, now=None) -> Item:
    """An opinion raised at a held meeting, recorded after the minutes."""
    now = now or timezone.now()
    require(actor, "meeting.record", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    MEETINGS.check(meeting, "add_item")
    return _add_item(actor=actor, meeting=meeting, text=text, raised_by=raised_by, now=now)


def _locked_item(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("meeting__committee").get(pk=item.pk)


@transaction.atomic
def item_act(
    *,
    actor,
    item: Item,
    title: str,
    owner: User | None,
    department: Department | None,
    due_on,
    now=None,
) -> Action:
    """The opinion becomes an improvement action: what will be done, by whom, which department,
    by when. The owner is told; so are the committee's members and representatives."""
    now = now or timezone.now()
    require(actor, "item.decide", item)
    item = _locked_item(item)
    ITEMS.check(item, "act")
    title = _text(title, "title", _("Say what will be done."), limit=TEXT_LINE)
    if owner is None:
        raise DomainError(_("Choose who owns this action."), code="required", field="owner")
    if not owner.is_active or (not owner.is_company_role and owner.office_id != item.office_id):
        raise DomainError(
            _("The owner must be staff of this office or of the company."),
            code="invalid",
            field="owner",
        )
    if department is None:
        raise DomainError(
            _("Choose the department responsible."), code="required", field="department"
        )
    if department.office_id not in (None, item.office_id):
        raise DomainError(
            _("Choose a department of this office or of the company."),
            code="invalid",
            field="department",
        )
    due_on = _date(due_on, "due_on", _("Set the due date."))
    if due_on < timezone.localdate(now):
        raise DomainError(_("The due date cannot be in the past."), code="past", field="due_on")
    committee = item.meeting.committee
    action = Action.objects.create(
        item=item,
        office_id=item.office_id,
        committee=committee,
        title=title,
        owner=owner,
        department=department,
        due_on=due_on,
    )
    item.state, item.decided_at, item.decided_by = State.ACTION, now, actor
    item.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
    _log(
        committee,
        E.ACTION,
        now=now,
        actor=actor,
        meeting=item.meeting,
        item=item,
        action=action,
        note=title,
    )
    notify(
        event="committee_action_assigned",
        subject=_("Improvement action for you: %(title)s"),
        body=_("From the owners' committee meeting: %(title)s, due %(due)s."),
        context={"title": title, "due": due_on.isoformat()},
        user=owner,
        link=console_link("committee_action", action.pk),
        dedupe_key=f"committee:assigned:{action.pk}",
        now=now,
    )
    _tell_committee(
        committee,
        "committee_action",
        _("Your opinion leads to an action: %(title)s"),
        _("%(title)s — due %(due)s. You will hear of its progress."),
        key=f"action:{action.pk}",
        link=portal_link("committee_action", action.pk),
        now=now,
        title=title,
        due=due_on.isoformat(),
    )
    return action


@transaction.atomic
def item_answer(*, actor, item: Item, answer: str, now=None) -> Item:
    """The opinion answered with a reason (no action will follow); the committee is told."""
    now = now or timezone.now()
    require(actor, "item.decide", item)
    item = _locked_item(item)
    ITEMS.check(item, "answer")
    answer = _text(answer, "answer", _("Give the answer and its reason."))
    item.state, item.answer, item.decided_at, item.decided_by = State.ANSWERED, answer, now, actor
    item.save(update_fields=["state", "answer", "decided_at", "decided_by", "updated_at"])
    committee = item.meeting.committee
    _log(
        committee,
        E.ANSWERED,
        now=now,
        actor=actor,
        meeting=item.meeting,
        item=item,
        note=answer[:300],
    )
    _tell_committee(
        committee,
        "committee_answer",
        _("Answer to an opinion of the committee"),
        _("“%(opinion)s”: %(answer)s"),
        key=f"answer:{item.pk}",
        link=portal_link("committee_meeting", item.meeting_id),
        now=now,
        opinion=item.text[:100],
        answer=answer,
    )
    return item
