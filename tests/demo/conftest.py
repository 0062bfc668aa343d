import pytest
from django.db import transaction
from django.test.utils import override_settings

from propdesk.demo.builder import build_demo

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small demo company, built once per module (it takes seconds) and rolled back after.

    Tests that use it also take ``db``; their own changes roll back to a savepoint inside this.
    """
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        counts = build_demo(seed=2026, scale=0.05)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
