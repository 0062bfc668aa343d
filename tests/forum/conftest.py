"""Forum personas: ``customer`` lives in ``community`` of ``office``; ``neighbour`` in the same
community; ``stranger`` in another community of ``office``; ``other_customer`` in
``other_office``. ``NOW`` is the clock every service call here runs at."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.forum import services
from propdesk.forum.models import Topic
from propdesk.org.models import Department
from tests import factories as f

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def community(household):
    return household.unit.building.community


@pytest.fixture
def neighbour(office, community):
    """Another resident of the customer's community."""
    household = f.HouseholdFactory(unit__building__community=community)
    return f.CustomerFactory(office=office, name="王芳", household=household)


@pytest.fixture
def stranger(office):
    """A resident of the same office, in a community of their own."""
    return f.CustomerFactory(office=office, name="赵强")


@pytest.fixture
def engineering(office, company):
    return Department.objects.create(
        company=company, office=office, kind=Department.Kind.ENGINEERING, name="工程部"
    )


@pytest.fixture
def engineer(office, engineering):
    from propdesk.org.models import Role

    return f.UserFactory(
        username="engineer", role=Role.AGENT, office=office, department=engineering
    )


@pytest.fixture
def at():
    """``at(hours)``: NOW plus so many hours."""
    return lambda hours=0: NOW + dt.timedelta(hours=hours)


@pytest.fixture
def make_post(customer, community):
    def make(*, author=None, now=NOW, **kwargs):
        kwargs.setdefault("title", "电梯异响")
        kwargs.setdefault("text", "3栋电梯这几天一直有异响,请尽快检查。")
        kwargs.setdefault("topic", Topic.REPAIRS)
        kwargs.setdefault("community", community)
        return services.post_create(customer=author or customer, now=now, **kwargs)

    return make


@pytest.fixture
def post(make_post):
    return make_post()


def photo(name="p.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def make_customer_in(office, community):
    """More residents of ``community``."""

    def make(**kwargs):
        household = f.HouseholdFactory(unit__building__community=community)
        return f.CustomerFactory(office=office, household=household, **kwargs)

    return make
