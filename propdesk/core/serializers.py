"""Serializers every app's API shares."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (see ``core.api.exception_handler``), for the docs."""

    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(), required=False)
