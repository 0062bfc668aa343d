"""Factories for every model the tests build. Phone numbers are valid Chinese mobiles."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from propdesk.catalog.models import ProcedureStep, ServiceCategory, ServiceItem
from propdesk.customers.models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    Unit,
)
from propdesk.org.models import Company, HotlineLine, Office, Role, User

_mobile = itertools.count(13800000000)


def next_mobile() -> str:
    return f"+86{next(_mobile)}"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("code",)

    name = "K物业公司"
    code = "k"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"第{n}管理处")
    code = factory.Sequence(lambda n: f"office-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "小明"
    last_name = "王"
    role = Role.AGENT
    office = factory.SubFactory(OfficeFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"翠苑{n}期")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n + 1}栋")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    entrance = "1单元"
    number = factory.Sequence(lambda n: f"{1001 + n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    unit = factory.SubFactory(UnitFactory)
    office = factory.LazyAttribute(lambda o: o.unit.building.community.office)


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer living in a household of ``office`` (a new one unless given), with one mobile."""

    class Meta:
        model = Customer
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"李{n}")
    kind = Customer.Kind.OWNER

    @factory.post_generation
    def household(obj, create, extracted, **kwargs):
        if not create:
            return
        household = extracted or HouseholdFactory(unit__building__community__office=obj.office)
        Residence.objects.create(customer=obj, household=household, kind=obj.kind)

    @factory.post_generation
    def phone(obj, create, extracted, **kwargs):
        if create:
            CustomerPhone.objects.create(
                customer=obj, number=extracted or next_mobile(), is_primary=True
            )


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    name = factory.Sequence(lambda n: f"维修类{n}")
    kind = ServiceCategory.Kind.REPAIR


class ServiceItemFactory(factory.django.DjangoModelFactory):
    """A free item by default; ``ServiceItemFactory(chargeable=True)`` for a fixed ¥80 one."""

    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    class Params:
        chargeable = factory.Trait(pricing=ServiceItem.Pricing.FIXED, price=Decimal("80.00"))

    category = factory.SubFactory(ServiceCategoryFactory)
    name = factory.Sequence(lambda n: f"水电维修{n}")
    service_hours = "8:00-20:00"
    contact_phone = "0755-12345678"
    pricing = ServiceItem.Pricing.FREE
    price = Decimal("0")
    default_completion_hours = 24

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        if not create:
            return
        titles = extracted if extracted is not None else ["上门查看", "维修处理", "清理现场"]
        for position, title in enumerate(titles, start=1):
            ProcedureStep.objects.create(item=obj, position=position, title=title)


class HotlineLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HotlineLine

    office = factory.SubFactory(OfficeFactory)
    kind = HotlineLine.Kind.SERVICE
    number = factory.Sequence(lambda n: f"+8675588{n:06d}")


def in_hours(hours: float, now=None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(hours=hours)
