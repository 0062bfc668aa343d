"""M06: publishing the Service Guide freezes the office's catalogue as numbered editions."""

from decimal import Decimal

import pytest

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.guide import selectors, services
from propdesk.guide.models import GuideEdition
from tests import factories as f


def names(edition):
    return [e.name for e in selectors.entries_of(edition)]


def test_m06_compiled_from_the_office_catalogue(director, catalogue, hotlines, office):
    edition = services.edition_publish(actor=director, office=office)
    assert sorted(names(edition)) == sorted(["管道疏通", "水电维修", "家政保洁"])
    assert edition.number == 1 and edition.published_by == director
    assert edition.hotline_complaint.replace(" ", "").endswith("86001001")
    assert edition.hotline_duty.replace(" ", "").endswith("86003003")
    own = next(e for e in selectors.entries_of(edition) if e.name == "家政保洁")
    assert own.is_special and own.price == Decimal("30.00") and own.price_unit == "小时"


def test_m06_published_edition_is_frozen(director, catalogue, office):
    edition = services.edition_publish(actor=director, office=office)
    paid = catalogue["paid"]
    paid.price = Decimal("120.00")
    paid.name = "水电维修(新)"
    paid.save()
    catalogue["free"].is_active = False
    catalogue["free"].save()
    edition = GuideEdition.objects.get(pk=edition.pk)
    entry = next(e for e in selectors.entries_of(edition) if e.item_id == paid.pk)
    assert entry.name == "水电维修" and entry.price == Decimal("80.00")
    assert "管道疏通" in names(edition)


def test_m06_numbering_is_per_office(director, admin_user, catalogue, office, other_office):
    first = services.edition_publish(actor=director, office=office)
    other = services.edition_publish(actor=admin_user, office=other_office)
    f.ServiceItemFactory(name="新服务")
    second = services.edition_publish(actor=director, office=office)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert "碧湖洗车" in names(other) and "家政保洁" not in names(other)


def test_m06_nothing_changed_is_a_conflict_naming_the_edition(director, catalogue, office):
    services.edition_publish(actor=director, office=office)
    with pytest.raises(Conflict) as err:
        services.edition_publish(actor=director, office=office)
    assert err.value.code == "guide_unchanged" and "1" in str(err.value.message)
    assert GuideEdition.objects.count() == 1


def test_m06_a_new_hotline_number_is_a_change(director, catalogue, hotlines, office):
    services.edition_publish(actor=director, office=office)
    line = hotlines["service"]
    line.number = "+8675586009009"
    line.save()
    second = services.edition_publish(actor=director, office=office)
    assert selectors.diff_with_previous(second).hotlines_changed == ["hotline_service"]


def test_m06_empty_catalogue_is_refused(director, office):
    with pytest.raises(DomainError) as err:
        services.edition_publish(actor=director, office=office)
    assert err.value.code == "guide_empty" and err.value.field == "office"


def test_m06_diff_added_removed_and_price_change(director, catalogue, office):
    services.edition_publish(actor=director, office=office)
    paid, free = catalogue["paid"], catalogue["free"]
    paid.price = Decimal("100.00")
    paid.save()
    free.service_hours = "全天"
    free.save()
    catalogue["own"].is_active = False
    catalogue["own"].save()
    f.ServiceItemFactory(name="空调清洗", chargeable=True)
    second = services.edition_publish(actor=director, office=office)
    d = selectors.diff_with_previous(second)
    assert [e.name for e in d.added] == ["空调清洗"]
    assert [e.name for e in d.removed] == ["家政保洁"]
    by_name = {c.after.name: c for c in d.changed}
    assert by_name["水电维修"].price_changed and by_name["水电维修"].fields == ["price"]
    assert by_name["管道疏通"].hours_or_phone_changed and not by_name["管道疏通"].price_changed


def test_m06_first_edition_diff_is_everything_added(director, catalogue, office):
    edition = services.edition_publish(actor=director, office=office)
    d = selectors.diff_with_previous(edition)
    assert d.older is None and len(d.added) == 3 and not d.removed


def test_m06_office_staff_cannot_publish_another_offices_guide(director, catalogue, other_office):
    with pytest.raises(NotFound):
        services.edition_publish(actor=director, office=other_office)


@pytest.mark.parametrize("persona", ["agent", "technician", "quality", "leadership"])
def test_m06_roles_that_may_not_publish(request, persona, catalogue, office):
    user = request.getfixturevalue(persona)
    with pytest.raises((Forbidden, NotFound)):
        services.edition_publish(actor=user, office=office)
    assert not GuideEdition.objects.exists()
