"""Every read of notices: for staff through office scoping, for customers through their homes."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.customers.models import Building, Customer, Household, Residence

from .models import Notice, NoticeRead

Scope, State = Notice.Scope, Notice.State


# --- staff ----------------------------------------------------------------------------------


@dataclass
class NoticeFilters:
    state: str = ""
    category: str = ""
    office: int | None = None
    pinned: bool | None = None
    q: str = ""


def _visible(user) -> QuerySet:
    """Company roles see every notice; office staff their office's and the company-wide ones.
    (Not ``core.scoping.scope_for`` alone: a company-wide notice has no office.)"""
    if user is None or not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    if getattr(user, "is_company_role", False):
        return Notice.objects.all()
    return Notice.objects.filter(Q(office__isnull=True) | Q(office_id=user.office_id))


def notices_for_user(user, filters: NoticeFilters | None = None) -> QuerySet:
    """The notices a member of staff may see, filtered, newest first."""
    filters = filters or NoticeFilters()
    qs = _visible(user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.pinned is not None:
        qs = qs.filter(pinned=filters.pinned)
    if filters.q:
        qs = qs.filter(title__startswith=filters.q.strip())
    return qs.select_related("office").order_by("-created_at", "-pk")


def notice_get(user, pk) -> Notice:
    """One notice the user may see, or NotFound (another office's is never found)."""
    try:
        return _visible(user).select_related("office", "created_by", "published_by").get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- who a notice is for --------------------------------------------------------------------


def audience_residences(notice: Notice) -> QuerySet:
    """The active residences in the notice's scope."""
    qs = Residence.objects.filter(household__is_active=True)
    if notice.scope == Scope.OFFICE:
        qs = qs.filter(household__office_id=notice.office_id)
    elif notice.scope == Scope.BUILDINGS:
        building_ids = notice.buildings.through.objects.filter(notice_id=notice.pk).values(
            "building_id"
        )
        qs = qs.filter(household__unit__building_id__in=building_ids)
    return qs


def audience_customers(notice: Notice) -> QuerySet:
    """Every customer living in the notice's scope, once each (none for a staff notice)."""
    if notice.audience == Notice.Audience.STAFF:
        return Customer.objects.none()
    return Customer.objects.filter(pk__in=audience_residences(notice).values("customer_id"))


def audience_staff(notice: Notice) -> QuerySet:
    """The active staff a staff notice is for: everyone for a company-wide one; the office's
    staff and the company's for an office's."""
    from propdesk.org.models import COMPANY_ROLES, User

    if notice.audience != Notice.Audience.STAFF:
        return User.objects.none()
    staff = User.objects.filter(is_active=True)
    if notice.scope != Scope.COMPANY:
        staff = staff.filter(Q(office_id=notice.office_id) | Q(role__in=sorted(COMPANY_ROLES)))
    return staff


def _in_scope(*, office_ids, building_ids) -> Q:
    through = Notice.buildings.through.objects.filter(building_id__in=building_ids)
    return (
        Q(scope=Scope.COMPANY)
        | Q(scope=Scope.OFFICE, office_id__in=office_ids)
        | Q(scope=Scope.BUILDINGS, pk__in=through.values("notice_id"))
    )


# --- customers ------------------------------------------------------------------------------


def _homes(customer) -> tuple[set, set]:
    rows = Household.objects.of_customer(customer).values_list("office_id", "unit__building_id")
    offices, buildings = set(), set()
    for office_id, building_id in rows:
        offices.add(office_id)
        buildings.add(building_id)
    return offices, buildings


def notices_for_customer(customer) -> QuerySet:
    """Published notices for the customer's homes that reach customers online (network or
    notification), pinned first, newest first."""
    offices, buildings = _homes(customer)
    return (
        Notice.objects.filter(state=State.PUBLISHED, audience=Notice.Audience.CUSTOMERS)
        .filter(Q(by_network=True) | Q(by_notification=True))
        .filter(_in_scope(office_ids=offices, building_ids=buildings))
        .select_related("office")
        .order_by("-pinned", "-published_at", "-pk")
    )


def notice_for_customer(customer, pk) -> Notice:
    try:
        return notices_for_customer(customer).get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def read_ids(customer, notices) -> set[int]:
    ids = [n.pk for n in notices]
    return set(
        NoticeRead.objects.filter(customer=customer, notice_id__in=ids).values_list(
            "notice_id", flat=True
        )
    )


# --- the public page of a community ---------------------------------------------------------


def notices_for_community(community) -> QuerySet:
    """Published network notices for a community: company-wide, its office's, or naming one of
    its buildings."""
    buildings = Building.objects.filter(community=community).values("pk")
    return (
        Notice.objects.filter(
            state=State.PUBLISHED, by_network=True, audience=Notice.Audience.CUSTOMERS
        )
        .filter(_in_scope(office_ids=[community.office_id], building_ids=buildings))
        .select_related("office")
        .order_by("-pinned", "-published_at", "-pk")
    )


# --- read rate ------------------------------------------------------------------------------


@dataclass
class Rate:
    audience: int
    read: int

    @property
    def percent(self) -> float:
        return round(100 * self.read / self.audience, 1) if self.audience else 0.0


def read_rate(notice: Notice) -> Rate:
    customers = audience_customers(notice)
    read = NoticeRead.objects.filter(notice=notice, customer__in=customers.values("pk")).count()
    return Rate(audience=customers.count(), read=read)


def read_rate_by_building(notice: Notice) -> list[dict]:
    """Per building in scope: its customers, how many read the notice, the rate. Two grouped
    queries, whatever the number of buildings."""
    residences = audience_residences(notice)
    group = (
        "household__unit__building_id",
        "household__unit__building__name",
        "household__unit__building__community__name",
    )
    audience = residences.values(*group).annotate(n=Count("customer_id", distinct=True))
    readers = NoticeRead.objects.filter(notice=notice).values("customer_id")
    read = dict(
        residences.filter(customer_id__in=readers)
        .values("household__unit__building_id")
        .annotate(n=Count("customer_id", distinct=True))
        .values_list("household__unit__building_id", "n")
    )
    rows = []
    for row in audience.order_by(*group[2:0:-1]):
        n_read = read.get(row["household__unit__building_id"], 0)
        rows.append(
            {
                "building": f"{row['household__unit__building__community__name']} "
                f"{row['household__unit__building__name']}",
                "rate": Rate(audience=row["n"], read=n_read),
            }
        )
    return rows
