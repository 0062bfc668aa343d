"""The demo's forum (M21): built through the services on a small demo company, it has routed
and answered posts, some answered late, some waiting, one held and one hidden."""

import datetime as dt

import pytest
from django.db import transaction
from django.test.utils import override_settings

from propdesk.core.notify import muted
from propdesk.demo.builder import DemoBuilder, _simulated
from propdesk.demo.forum import build_forum
from propdesk.forum import selectors
from propdesk.forum.models import Post, Reply, Visibility
from propdesk.org.models import User


@pytest.fixture(scope="module")
def forum_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
        ),
        transaction.atomic(),
    ):
        builder = DemoBuilder(seed=2026, scale=0.05)
        builder.build()  # the builder calls build_forum itself once it is wired in
        if not Post.objects.exists():
            with _simulated(builder.clock), muted():
                build_forum(builder)
        yield builder
        transaction.set_rollback(True)


def test_m21_demo_forum_is_lively(forum_demo, db):
    posts = Post.objects.all()
    assert posts.filter(triaged_at__isnull=False).count() >= 10
    answered = posts.exclude(first_answer_at=None)
    assert answered.count() >= 10
    late = [p for p in answered if p.first_answer_at > p.due_at]
    assert late, "some answers are late"
    assert posts.filter(state=Visibility.VISIBLE, first_answer_at=None).exists()
    assert posts.filter(state=Visibility.HELD).exists()
    assert posts.filter(state=Visibility.HIDDEN).exclude(hidden_reason="").exists()
    assert posts.filter(kind=Post.Kind.REVIEW).exists()
    assert posts.exclude(ticket=None).exists()
    assert Reply.objects.filter(official=False).exists()
    assert not posts.filter(created_at__gt=forum_demo.now).exists()


def test_m21_demo_measures_show_late_offices(forum_demo, db):
    quality = User.objects.get(pk=forum_demo.quality.pk)
    measures = selectors.response_measures(
        quality,
        since=forum_demo.now - dt.timedelta(days=90),
        until=forum_demo.now,
        now=forum_demo.now,
    )
    assert measures["company"].late >= 1 and measures["company"].on_time >= 1
    assert len(measures["offices"]) >= 2 and measures["departments"]
