"""The serializer toolkit every app's API uses: ``from propdesk.core import serializers``.

It is Django REST Framework's ``rest_framework.serializers`` with strict input types, bounded
text and bounded dates, so that one module decides them for every serializer (ruff refuses a
direct import of DRF's module elsewhere, see ``[tool.ruff.lint.flake8-tidy-imports]``):

- ``CharField`` takes only strings (``0`` or ``true`` is not text) and, when it is written to and
  says no ``max_length``, gets ``TEXT_NOTE`` (``core.limits``; docs/decisions.md says why);
- ``PrimaryKeyRelatedField`` (and so every id a ``ModelSerializer`` derives) takes only an
  integer or a string of digits: ``270.9``, ``"270.9"`` and ``true`` are refused, not rounded;
- ``DateField`` and ``DateTimeField`` take only dates from ``DATE_FLOOR`` to ``DATE_CEILING``, and
  a datetime is always served with a whole-minute offset (RFC 3339);
- ``ModelSerializer`` builds its fields from these, gives a model's ``TextField`` the default
  limit, and keeps a read-only choice field's blank value in the schema's enum.
- a serializer's fields are worked out once per class and made afresh for each instance from
  their arguments, not deep-copied (DRF's way costs an API write a fifth of its time).

Everything else is DRF's own, re-exported unchanged.
"""

import datetime

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf  # noqa: TID251  the one place that may
from rest_framework.serializers import (  # noqa: F401, TID251  re-exported for the apps
    BooleanField,
    ChoiceField,
    CurrentUserDefault,
    DecimalField,
    DictField,
    DurationField,
    EmailField,
    Field,
    FileField,
    FloatField,
    HiddenField,
    ImageField,
    IntegerField,
    JSONField,
    ListField,
    ListSerializer,
    MultipleChoiceField,
    ReadOnlyField,
    RegexField,
    SerializerMethodField,
    SkipField,
    SlugField,
    SlugRelatedField,
    TimeField,
    URLField,
    UUIDField,
    ValidationError,
    empty,
)
from rest_framework.utils.formatting import lazy_format

from .limits import (  # noqa: F401  re-exported: serializers name the limit of their text
    DATE_CEILING,
    DATE_FLOOR,
    TEXT_DESCRIPTION,
    TEXT_DOCUMENT,
    TEXT_LINE,
    TEXT_NOTE,
)


class _TextLength(MaxLengthValidator):
    """The text's length, on the text: a field that reads text into something else (a week into
    its Monday) is checked before it does."""

    def __call__(self, value):
        if isinstance(value, str):
            super().__call__(value)


class CharField(drf.CharField):
    """Text that is text: a number or a boolean is refused, not turned into "0" or "True"."""

    default_error_messages = {"invalid": _("Enter text (a string), not a number or a boolean.")}

    def __init__(self, **kwargs):
        max_length = kwargs.pop("max_length", None)
        if max_length is None and not kwargs.get("read_only"):
            max_length = TEXT_NOTE
        super().__init__(**kwargs)
        if max_length is not None:
            self.max_length = max_length
            message = lazy_format(self.error_messages["max_length"], max_length=max_length)
            self.validators.append(_TextLength(max_length, message=message))

    def run_validation(self, data=empty):
        # Before DRF's blank check, which would turn a number into a string to look at it.
        if data is not empty and data is not None and not isinstance(data, str):
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _check_date_range(field, value: datetime.date) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not DATE_FLOOR <= day <= DATE_CEILING:
        field.fail("out_of_range", floor=DATE_FLOOR.year, ceiling=DATE_CEILING.year)


_RANGE_MESSAGE = _("Enter a date between the years {floor} and {ceiling}.")


class DateField(drf.DateField):
    default_error_messages = {"out_of_range": _RANGE_MESSAGE}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        _check_date_range(self, day)
        return day


class DateTimeField(drf.DateTimeField):
    default_error_messages = {"out_of_range": _RANGE_MESSAGE}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        _check_date_range(self, moment)
        return moment

    def to_representation(self, value):
        # A zone's offset before standard time had seconds (Asia/Shanghai's LMT is +08:05:43),
        # which ISO 8601 / RFC 3339 cannot write: such a moment is served in UTC instead.
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            offset = self.enforce_timezone(value).utcoffset()
            if offset is not None and offset.seconds % 60:
                value = value.astimezone(datetime.UTC)
                return value.isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


class PrimaryKeyRelatedField(drf.PrimaryKeyRelatedField):
    """An id is a whole number: ``270.9``, ``"270.9"``, ``"1e2"`` and ``true`` are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isascii() and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def _fresh(field: drf.Field) -> drf.Field:
    """A new, unbound field made as ``field`` was. DRF deep-copies every argument (a field's
    choices, texts, querysets) for every serializer instance; only the nested fields among them
    are bound to a parent and must not be shared, the rest are only read."""
    args = [_fresh(a) if isinstance(a, drf.Field) else a for a in field._args]
    kwargs = {k: _fresh(v) if isinstance(v, drf.Field) else v for k, v in field._kwargs.items()}
    return field.__class__(*args, **kwargs)


class Serializer(drf.Serializer):
    def get_fields(self):
        return {name: _fresh(field) for name, field in self._declared_fields.items()}


class ModelSerializer(drf.ModelSerializer):
    serializer_field_mapping = {
        **drf.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
        models.TextField: CharField,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }
    serializer_related_field = PrimaryKeyRelatedField

    def get_fields(self):
        # DRF works a model serializer's fields out of the model on every instance: a tenth of
        # an API write's time. They depend only on the class (its Meta and declared fields), so
        # they are worked out once per class and each instance gets its own fresh fields.
        cls = type(self)
        fields = cls.__dict__.get("_built_fields")
        if fields is None:
            fields = super().get_fields()
            cls._built_fields = fields
        return {name: _fresh(field) for name, field in fields.items()}

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops ``allow_blank`` from a field made read-only, so a model's blank choice ("not
        # logged yet") would vanish from the schema's enum although the answers carry it.
        blank_choice = bool(kwargs.get("allow_blank") and kwargs.get("choices"))
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class ErrorSerializer(drf.Serializer):
    """The one error shape of the API (see ``core.api.exception_handler``), for the docs:
    ``errors`` is always one level deep, each field's path to its messages."""

    code = drf.CharField()
    detail = drf.CharField()
    field = drf.CharField(required=False)
    errors = DictField(child=ListField(child=drf.CharField()), required=False)
