"""A model serializer's fields are worked out of the model once per class, and every serializer
instance still gets fields of its own: what one request's serializer binds or changes is never
seen by another's (two threads of one worker serve two requests with the same class)."""

from unittest import mock

import pytest
from rest_framework import serializers as drf  # noqa: TID251  the spy wraps DRF's own method

from propdesk.core import serializers
from propdesk.tickets.models import Ticket
from propdesk.tickets.serializers.detail import QuoteSerializer


class _Rows(serializers.ModelSerializer):
    nested = QuoteSerializer(many=True, read_only=True, source="quotes")

    class Meta:
        model = Ticket
        fields = ["id", "number", "status", "customer", "nested"]


def test_the_model_is_read_once_per_class():
    with mock.patch.object(
        drf.ModelSerializer, "get_fields", autospec=True, side_effect=drf.ModelSerializer.get_fields
    ) as built:

        class Fresh(serializers.ModelSerializer):
            class Meta:
                model = Ticket
                fields = ["id", "number", "status"]

        for _ in range(3):
            assert list(Fresh().fields) == ["id", "number", "status"]
    assert built.call_count == 1


def test_each_instance_has_its_own_bound_fields():
    one, two = _Rows(), _Rows()
    for name in ("number", "customer", "nested"):
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].parent is one and two.fields[name].parent is two
    # The nested list's row serializer is not shared either: it is bound to its own list.
    assert one.fields["nested"].child is not two.fields["nested"].child
    assert one.fields["nested"].child.parent is one.fields["nested"]


def test_a_change_to_one_instances_field_is_not_seen_by_the_next():
    one = _Rows()
    one.fields["number"].read_only = True
    one.fields.pop("status")
    two = _Rows()
    assert two.fields["number"].read_only is False
    assert "status" in two.fields


@pytest.mark.django_db
def test_a_related_field_reads_its_queryset_afresh(customer):
    # The choices of an id field are a query run when it is used, so a customer added after the
    # class was first used is accepted.
    class Pick(serializers.ModelSerializer):
        class Meta:
            model = Ticket
            fields = ["customer"]

    Pick().fields  # noqa: B018  build and cache the fields
    from tests import factories as f

    later = f.CustomerFactory(office=customer.office)
    assert Pick().fields["customer"].to_internal_value(later.pk) == later
