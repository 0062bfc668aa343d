"""Staff sign-in can't be guessed: the console, the admin and the API token lock a username after
PROPDESK_SIGNIN_LOCK_AFTER wrong passwords in a row (the portal's 5), for
PROPDESK_SIGNIN_LOCK_MINUTES (15); failed tries are audited; an administrator unlocks."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse
from django.utils import timezone

from propdesk.core.errors import Forbidden
from propdesk.org import services
from propdesk.org.models import SecurityEvent, User

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def console_try(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def api_try(api, username, password):
    return api.post(
        TOKEN,
        {"username": username, "password": password},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the console --------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_on_the_form(client, agent):
    response = console_try(client, "agent", "wrong")
    assert response.status_code == 400
    assert "The username or the password is not right." in response.content.decode()
    assert not signed_in(client)


def test_the_right_password_signs_in(client, agent):
    response = console_try(client, "agent", "pw")
    assert response.status_code == 302 and signed_in(client)


def test_five_wrong_passwords_lock_the_console_even_for_the_right_one(client, agent, settings):
    assert settings.AXES_FAILURE_LIMIT == settings.PROPDESK_SIGNIN_LOCK_AFTER == 5
    for _try in range(4):
        assert console_try(client, "agent", "wrong").status_code == 400
    fifth = console_try(client, "agent", "wrong")
    assert fifth.status_code == 429
    response = console_try(client, "agent", "pw")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many wrong tries. Try again after" in page
    assert not signed_in(client)


def test_a_name_nobody_has_locks_the_same_way(client, db):
    """The answer never tells whether the username exists."""
    for _try in range(5):
        response = console_try(client, "nobody", "wrong")
    assert response.status_code == 429
    assert "Too many wrong tries" in response.content.decode()


def test_a_right_password_clears_the_count(client, agent):
    for _try in range(4):
        console_try(client, "agent", "wrong")
    assert console_try(client, "agent", "pw").status_code == 302
    client.logout()
    for _try in range(4):
        assert console_try(client, "agent", "wrong").status_code == 400  # not locked yet


def test_the_lock_ends_after_the_documented_time(client, agent, time_machine, settings):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    for _try in range(5):
        console_try(client, "agent", "wrong")
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    time_machine.move_to(start + dt.timedelta(minutes=14), tick=False)
    assert console_try(client, "agent", "pw").status_code == 429  # tries while locked...
    time_machine.move_to(start + dt.timedelta(minutes=15, seconds=1), tick=False)
    # ... did not lengthen the lock: it ends 15 minutes after the try that set it.
    assert console_try(client, "agent", "pw").status_code == 302
    assert signed_in(client)


def test_one_address_may_try_only_so_often(client, agent, monkeypatch):
    from propdesk.org.signin import SignInRateThrottle

    monkeypatch.setattr(SignInRateThrottle, "rate", "3/minute", raising=False)
    for name in ["a", "b", "c"]:
        assert console_try(client, name, "wrong").status_code == 400
    response = console_try(client, "agent", "pw")  # a fourth name, the right password
    assert response.status_code == 429
    assert "Too many sign-in attempts from your address" in response.content.decode()
    assert not signed_in(client)


# --- the admin ----------------------------------------------------------------------------------


def test_the_admin_signs_in_through_the_same_locked_page(client, admin_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    for _try in range(5):
        client.post(response["Location"], {"username": admin_user.username, "password": "wrong"})
    locked = client.post(response["Location"], {"username": admin_user.username, "password": "pw"})
    assert locked.status_code == 429 and not signed_in(client)
    # The admin's own pages still send whoever is not signed in to that page.
    assert client.get("/admin/").status_code == 302
    # And a POST straight at the admin's old sign-in form signs nobody in.
    direct = client.post("/admin/login/", {"username": admin_user.username, "password": "pw"})
    assert direct.status_code == 302 and not signed_in(client)


# --- the API token ------------------------------------------------------------------------------


def test_the_token_endpoint_locks_and_answers_429_in_the_error_shape(api, agent):
    answers = [api_try(api, "agent", "wrong") for _try in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert answers[0].json()["code"] == "wrong_password"
    assert answers[0].json()["field"] == "password"
    right = api_try(api, "agent", "pw")
    assert right.status_code == 429
    body = right.json()
    assert body["code"] == "locked"
    assert body["detail"].startswith("Too many wrong tries. Try again after")
    # More guesses stay 429, none answered as a plain wrong password.
    assert {api_try(api, "agent", f"guess{n}").status_code for n in range(20)} == {429}


def test_console_and_api_share_one_count(client, api, agent):
    for _try in range(3):
        console_try(client, "agent", "wrong")
    for _try in range(2):
        api_try(api, "agent", "wrong")
    assert api_try(api, "agent", "pw").status_code == 429


def test_the_token_endpoint_is_throttled_per_address(api, agent, monkeypatch):
    from propdesk.org.signin import SignInRateThrottle

    monkeypatch.setattr(SignInRateThrottle, "rate", "3/minute", raising=False)
    for name in ["a", "b", "c"]:
        assert api_try(api, name, "wrong").status_code == 400
    answer = api_try(api, "agent", "pw")
    assert answer.status_code == 429
    assert answer.json()["code"] == "throttled"
    assert "Retry-After" in answer


# --- the audit ----------------------------------------------------------------------------------


def test_failed_tries_are_audited_and_shown_to_the_administrator(client, api, agent, admin_user):
    console_try(client, "agent", "wrong")
    api_try(api, "agent", "wrong")
    failures = AccessFailureLog.objects.filter(username="agent").order_by("attempt_time")
    assert [(f.path_info, f.ip_address) for f in failures] == [
        (LOGIN, "127.0.0.1"),
        (TOKEN, "127.0.0.1"),
    ]
    assert all(f.attempt_time for f in failures)
    client.force_login(admin_user)
    page = client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert page.status_code == 200 and "agent" in page.content.decode()
    console = client.get(reverse("console:signin_locks"))
    assert console.status_code == 200 and TOKEN in console.content.decode()


def test_the_admin_cannot_delete_a_lock_without_the_audited_action(client, agent, admin_user):
    for _try in range(5):
        console_try(client, "agent", "wrong")
    attempt = AccessAttempt.objects.get(username="agent")
    client.force_login(admin_user)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


# --- unlocking ----------------------------------------------------------------------------------


def lock(client, username="agent"):
    for _try in range(5):
        console_try(client, username, "wrong")
    client.cookies.clear()


def test_an_administrator_unlocks_from_the_console_and_it_is_audited(client, agent, admin_user):
    lock(client)
    client.force_login(admin_user)
    page = client.get(reverse("console:signin_locks")).content.decode()
    assert "agent" in page and "Unlock" in page
    response = client.post(reverse("console:signin_unlock"), {"username": "agent"})
    assert response.status_code == 302
    event = SecurityEvent.objects.get()
    assert (event.kind, event.subject, event.actor, event.ip_address) == (
        "unlock",
        "staff:agent",
        admin_user,
        "127.0.0.1",
    )
    assert "5" in event.note
    client.logout()
    assert console_try(client, "agent", "pw").status_code == 302  # unlocked


def test_an_administrator_unlocks_from_the_admin_staff_list(client, agent, admin_user):
    lock(client)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:org_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [agent.pk]},
    )
    assert response.status_code == 302
    assert SecurityEvent.objects.get().subject == "staff:agent"
    client.logout()
    assert console_try(client, "agent", "pw").status_code == 302


@pytest.mark.parametrize("who", ["agent", "director", "quality", "leadership"])
def test_no_one_but_the_administrator_may_unlock(request, client, who, technician):
    actor = request.getfixturevalue(who)
    lock(client, "tech")
    with pytest.raises(Forbidden):
        services.staff_unlock(actor=actor, username="tech")
    client.force_login(actor)
    assert client.get(reverse("console:signin_locks")).status_code == 403
    assert client.post(reverse("console:signin_unlock"), {"username": "tech"}).status_code == 403
    assert "Locked sign-ins" not in client.get(reverse("console:home")).content.decode()
    assert not SecurityEvent.objects.exists()
    client.logout()
    assert console_try(client, "tech", "pw").status_code == 429  # still locked


def test_a_staff_admin_user_without_the_role_cannot_unlock_in_the_admin(client, director, agent):
    User.objects.filter(pk=director.pk).update(is_staff=True, is_superuser=False)
    director.refresh_from_db()
    lock(client)
    director.user_permissions.add(*_staff_change_permissions())
    client.force_login(director)
    response = client.post(
        reverse("admin:org_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [agent.pk]},
        follow=True,
    )
    assert "Your role may not do this." in response.content.decode()
    assert not SecurityEvent.objects.exists()
    assert AccessAttempt.objects.filter(username="agent").exists()


def _staff_change_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="org", codename__in=["change_user", "view_user"]
    )


def test_old_sign_in_logs_are_forgotten(client, agent, settings):
    from propdesk.org.signin import signin_logs_purge

    console_try(client, "agent", "wrong")
    assert console_try(client, "agent", "pw").status_code == 302
    now = timezone.now()
    assert signin_logs_purge(now=now) == {"deleted": 0}
    later = now + dt.timedelta(days=settings.PROPDESK_SIGNIN_LOG_DAYS, minutes=1)
    assert signin_logs_purge(now=later) == {"deleted": 2}  # the failed try and the sign-in
    assert not AccessFailureLog.objects.exists()
