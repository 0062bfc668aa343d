"""Bad input through ``core.api.validated`` answers the one error shape, naming the field at fault
however deeply the serializer nests it."""

import pytest
from rest_framework import serializers

from propdesk.core.api import exception_handler, validated


class LineSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=6, decimal_places=2, default=1)


class QuoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False)
    lines = LineSerializer(many=True, allow_empty=False)
    photos = serializers.ListField(child=serializers.IntegerField(), required=False)


def refusal(data) -> dict:
    with pytest.raises(serializers.ValidationError) as raised:
        validated(QuoteSerializer, data)
    response = exception_handler(raised.value, {})
    assert response.status_code == 400
    return response.data


def test_valid_input_comes_back_as_a_dict():
    data = validated(QuoteSerializer, {"lines": [{"item": 1}]})
    assert type(data) is dict and data["lines"][0]["item"] == 1


def test_the_request_and_more_go_into_the_context():
    class Probe(serializers.Serializer):
        def validate(self, attrs):
            return {"request": self.context["request"], "now": self.context["now"]}

    assert validated(Probe, {}, request="req", now="t") == {"request": "req", "now": "t"}


def test_a_top_level_field_is_named_as_it_is():
    body = refusal({"lines": [{"item": 1}], "note": ["x"]})
    assert body["field"] == "note" and body["code"] == "invalid"
    assert body["errors"] == {"note": [body["detail"]]}


def test_a_field_of_an_object_in_a_list_is_named_by_its_path():
    body = refusal({"lines": [{"item": 1}, {"item": "tap", "quantity": "lots"}]})
    assert body["field"] == "lines[1].item"
    assert set(body["errors"]) == {"lines[1].item", "lines[1].quantity"}
    assert body["detail"] == body["errors"]["lines[1].item"][0]


def test_a_list_that_is_not_one_is_the_lists_own_error():
    assert refusal({"lines": "one faucet"})["field"] == "lines"
    assert refusal({"lines": []})["field"] == "lines"


def test_bad_values_of_a_plain_list_are_the_lists_errors():
    body = refusal({"lines": [{"item": 1}], "photos": ["a", 2, "b"]})
    assert body["field"] == "photos" and len(body["errors"]["photos"]) == 2
