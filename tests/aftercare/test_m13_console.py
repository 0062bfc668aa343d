"""M13 in the console: the specialist's worklist with one-click outcomes, the list of calls for
everyone else, and the weekly samples — scoped to the office, in a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.aftercare.models import FollowupBatch, FollowupCall
from propdesk.aftercare.services import followups
from propdesk.aftercare.views import followups as views
from propdesk.tickets.models import Contact, Ticket
from tests import factories as f
from tests.queries import count_queries, max_queries, same_queries

from .test_m13_sample import MONDAY, completed_repair, last_week, repairs_completed

WORKLIST = reverse("console:followup_worklist")
BATCHES = reverse("console:followup_batches")


def english(user):
    """The console speaks Chinese unless the person chose English: these tests read English."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def record_url(call):
    return reverse("console:followup_call_record", args=[call.pk])


@pytest.fixture
def sampled(office, other_office, customer, other_customer, technician, followup):
    """Last week's sample: one call in ``office`` (a full repair), one in ``other_office``."""
    completed_repair(customer, at=MONDAY - dt.timedelta(days=3), technician=technician)
    repairs_completed(other_customer, 1, at=MONDAY - dt.timedelta(days=2))
    followups.weekly_sample(now=MONDAY)
    return {
        "mine": FollowupCall.objects.get(office=office),
        "theirs": FollowupCall.objects.get(office=other_office),
    }


def more_calls(office, n, specialist):
    """``n`` more open calls of ``specialist``, each for another customer with some history."""
    for _ in range(n):
        customer = f.CustomerFactory(office=office)
        (ticket_id,) = repairs_completed(customer, 1, at=MONDAY - dt.timedelta(days=20))
        FollowupCall.objects.create(
            kind=FollowupCall.Kind.SAMPLE,
            office=office,
            ticket_id=ticket_id,
            customer=customer,
            assignee=specialist,
            due_at=MONDAY,
        )


# --- the worklist ------------------------------------------------------------------------------


def test_m13_the_worklist_shows_what_the_specialist_needs_to_call(
    client, sampled, followup, customer, technician
):
    client.force_login(english(followup))
    page = client.get(WORKLIST)
    assert page.status_code == 200
    html = page.content.decode()
    call = sampled["mine"]
    assert customer.name in html
    assert customer.phones.get().display in html
    assert call.ticket.number in html and "更换密封圈" in html  # the order and its work
    assert technician.display_name in html
    assert 'name="outcome" value="satisfied"' in html
    assert 'name="outcome" value="unsatisfied"' in html
    assert 'name="outcome" value="unreached"' in html
    assert f'hx-post="{record_url(call)}"' in html
    # The sample's week by its dates, not its ISO key.
    assert call.ticket.number in html and "1 Jun – 7 Jun 2026" in html and "2026-W23" not in html


def test_m13_the_worklist_holds_only_my_open_calls(client, sampled, followup, office):
    colleague = f.UserFactory(role="followup", office=None)
    more_calls(office, 1, colleague)
    followups.call_outcome(actor=followup, call=sampled["theirs"], satisfied=True)
    client.force_login(followup)
    html = client.get(WORKLIST).content.decode()
    assert sampled["mine"].ticket.number in html
    assert sampled["theirs"].ticket.number not in html  # done
    other = FollowupCall.objects.get(assignee=colleague)
    assert other.ticket.number not in html


def test_m13_an_empty_worklist_says_so(client, followup):
    client.force_login(english(followup))
    page = client.get(WORKLIST)
    assert page.status_code == 200
    assert 'class="empty"' in page.content.decode()


def test_m13_the_worklist_costs_the_same_queries_for_two_calls_or_eight(
    client, sampled, followup, office
):
    client.force_login(followup)
    with count_queries() as two:
        assert client.get(WORKLIST).status_code == 200
    more_calls(office, 6, followup)
    for call in FollowupCall.objects.all()[:3]:  # with tries to show, too
        followups.call_attempt(actor=followup, call=call, reached=False)
    with max_queries(12), count_queries() as eight:
        html = client.get(WORKLIST).content.decode()
    assert html.count('class="followup-call"') == 8
    same_queries(two, eight)


# --- one click ---------------------------------------------------------------------------------


def test_m13_one_click_satisfied_closes_the_call(client, sampled, followup):
    call = sampled["mine"]
    client.force_login(followup)
    answer = client.post(record_url(call), {"outcome": "satisfied"})
    assert answer.status_code == 302 and answer.url == WORKLIST
    call.refresh_from_db()
    assert (call.state, call.satisfied, call.done_by) == ("done", True, followup)


def test_m13_no_answer_over_htmx_redraws_the_card(client, sampled, followup):
    call = sampled["mine"]
    client.force_login(english(followup))
    answer = client.post(record_url(call), {"outcome": "unreached"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith(f'<article class="followup-call" id="call-{call.pk}">')
    assert "try 2 of 3" in html
    call.refresh_from_db()
    assert (call.state, call.attempts) == ("open", 1)


def test_m13_not_satisfied_without_a_comment_shows_the_error_on_the_form_and_changes_nothing(
    client, sampled, followup
):
    call = sampled["mine"]
    client.force_login(english(followup))
    contacts = Contact.objects.count()
    page = client.post(record_url(call), {"outcome": "unsatisfied"})
    assert page.status_code == 400
    assert "Say what the customer is not satisfied with." in page.content.decode()
    fragment = client.post(
        record_url(call),
        {"outcome": "unsatisfied", "comment": " "},
        HTTP_HX_REQUEST="true",
    )
    assert 'class="error"' in fragment.content.decode()
    call.refresh_from_db()
    assert (call.state, call.attempts, Contact.objects.count()) == ("open", 0, contacts)


def test_m13_not_satisfied_with_a_comment_opens_rework(client, sampled, followup):
    call = sampled["mine"]
    client.force_login(followup)
    fragment = client.post(
        record_url(call),
        {"outcome": "unsatisfied", "comment": "墙角还在渗水"},
        HTTP_HX_REQUEST="true",
    )
    call.refresh_from_db()
    assert call.rework is not None and call.rework.rework_of_id == call.ticket_id
    assert call.rework.number in fragment.content.decode()
    assert FollowupCall.objects.filter(kind="rework", ticket=call.rework).exists()


def test_m13_a_call_not_mine_is_refused_with_a_clear_message(client, sampled):
    colleague = f.UserFactory(role="followup", office=None)
    client.force_login(english(colleague))
    call = sampled["mine"]
    page = client.post(record_url(call), {"outcome": "satisfied"})
    assert page.status_code == 403
    assert "only they (or an administrator) record it" in page.content.decode()
    call.refresh_from_db()
    assert call.state == "open"


def test_m13_a_closed_call_answers_409(client, sampled, followup):
    call = sampled["mine"]
    followups.call_outcome(actor=followup, call=call, satisfied=True)
    client.force_login(english(followup))
    page = client.post(record_url(call), {"outcome": "unreached"})
    assert page.status_code == 409
    assert "This call is closed" in page.content.decode()


def test_m13_office_staff_cannot_reach_another_offices_call(client, sampled, director):
    client.force_login(director)
    theirs = sampled["theirs"]
    assert client.get(reverse("console:followup_call", args=[theirs.pk])).status_code == 404
    assert client.post(record_url(theirs), {"outcome": "satisfied"}).status_code == 404
    mine = client.get(reverse("console:followup_call", args=[sampled["mine"].pk]))
    assert mine.status_code == 200
    assert 'name="outcome"' not in mine.content.decode()  # directors read, specialists record


# --- the list of calls ---------------------------------------------------------------------------


def test_m13_the_director_sees_the_offices_calls_only(client, sampled, director):
    client.force_login(director)
    page = client.get(WORKLIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert sampled["mine"].ticket.number in html
    assert sampled["theirs"].ticket.number not in html


def test_m13_the_list_filters_by_office_state_kind_and_week(
    client, sampled, quality, office, other_office
):
    client.force_login(quality)
    mine, theirs = sampled["mine"].ticket.number, sampled["theirs"].ticket.number
    html = client.get(WORKLIST, {"office": other_office.pk}).content.decode()
    assert theirs in html and mine not in html
    html = client.get(WORKLIST, {"state": "done"}).content.decode()
    assert theirs not in html and mine not in html
    html = client.get(WORKLIST, {"kind": "sample", "week": "2026-W24"}).content.decode()
    assert theirs in html and mine in html  # called (due) the week after the sample's week
    html = client.get(WORKLIST, {"week": "2026-W25"}).content.decode()
    assert theirs not in html and mine not in html
    assert client.get(WORKLIST, {"week": "soon"}).status_code == 400


def test_m13_the_list_pages_in_constant_queries(
    client, sampled, quality, office, followup, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    more_calls(office, 5, followup)
    client.force_login(quality)
    with max_queries(8):
        first = client.get(WORKLIST, {"view": "all"})
    assert first.content.decode().count("/console/followups/") >= 3
    assert "page=2" in first.content.decode()
    assert client.get(WORKLIST, {"view": "all", "page": 3}).status_code == 200


def test_m13_the_specialist_can_see_every_call_too(client, sampled, followup):
    client.force_login(followup)
    html = client.get(WORKLIST, {"view": "all"}).content.decode()
    assert sampled["theirs"].ticket.number in html and 'name="mine"' in html


@pytest.mark.parametrize("path", [WORKLIST, BATCHES])
def test_m13_roles_without_followup_view_are_refused(client, technician, path):
    client.force_login(technician)
    assert client.get(path).status_code == 403


# --- the weekly samples --------------------------------------------------------------------------


def test_m13_the_batch_list_shows_each_offices_week(client, sampled, leadership, office):
    client.force_login(english(leadership))
    page = client.get(BATCHES)
    assert page.status_code == 200
    html = page.content.decode()
    batch = FollowupBatch.objects.get(office=office)
    assert batch.seed in html and "1 Jun – 7 Jun 2026" in html and office.name in html
    assert "2026-W23" not in html
    assert "0/1" in html  # calls made of those required


def test_m13_the_batch_list_is_scoped_and_says_when_empty(client, sampled, director, other_office):
    client.force_login(english(director))
    html = client.get(BATCHES).content.decode()
    assert FollowupBatch.objects.get(office=other_office).seed not in html
    FollowupCall.objects.all().delete()
    FollowupBatch.objects.all().delete()
    page = client.get(BATCHES)
    assert "No samples yet" in page.content.decode()


def test_m13_the_batch_page_shows_population_sample_seed_and_outcomes(
    client, office, customer, followup, quality
):
    ids = repairs_completed(customer, 7, at=MONDAY - dt.timedelta(days=1))
    followups.weekly_sample(now=MONDAY)
    batch = FollowupBatch.objects.get(office=office)
    call = batch.calls.first()
    followups.call_outcome(actor=followup, call=call, satisfied=False, comment="门还是关不上")
    client.force_login(quality)
    page = client.get(reverse("console:followup_batch", args=[batch.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for pk in ids:
        assert reverse("console:ticket_detail", args=[pk]) in html
    assert html.count('class="badge blue"') == 2  # the two sampled
    assert batch.seed in html and "门还是关不上" in html
    call.refresh_from_db()
    assert call.rework.number in html


def test_m13_another_offices_batch_is_not_found(client, sampled, director, other_office):
    client.force_login(director)
    batch = FollowupBatch.objects.get(office=other_office)
    assert client.get(reverse("console:followup_batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("console:followup_batch", args=[99999])).status_code == 404


def test_m13_an_empty_batch_page_says_nothing_was_completed(client, office, quality):
    followups.weekly_sample(now=MONDAY)
    client.force_login(english(quality))
    batch = FollowupBatch.objects.get(office=office)
    page = client.get(reverse("console:followup_batch", args=[batch.pk]))
    assert "No repair order was completed" in page.content.decode()


def test_m13_a_week_not_over_is_refused_on_the_sample_form(client, office, followup):
    client.force_login(english(followup))
    this_week = followups.week_key(followups.week_start_of(timezone.now()))
    page = client.post(
        reverse("console:followup_batch_sample"),
        {"office": office.pk, "week": this_week},
    )
    assert page.status_code == 409
    assert "is not over yet" in page.content.decode()
    assert not FollowupBatch.objects.exists()


def test_m13_a_past_week_is_drawn_from_the_sample_form(client, office, customer, followup):
    week, moment = last_week()
    repairs_completed(customer, 3, at=moment)
    client.force_login(followup)
    answer = client.post(
        reverse("console:followup_batch_sample"), {"office": office.pk, "week": week}
    )
    batch = FollowupBatch.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("console:followup_batch", args=[batch.pk])
    assert (batch.week, batch.sample_size, Ticket.objects.count()) == (week, 1, 3)


def test_m13_only_the_follow_up_team_draws_a_chosen_week(client, office, director):
    client.force_login(director)
    answer = client.post(
        reverse("console:followup_batch_sample"), {"office": office.pk, "week": "2026-W23"}
    )
    assert answer.status_code == 403
    assert not FollowupBatch.objects.exists()
