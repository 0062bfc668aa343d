"""Shapes of the customer API's own part (/api/v1/portal/): signing in, who I am, how we reach
the customer and their messages. The requests' shapes are ``tickets.portal_serializers``.

Inputs check types only; the rules and their messages are the services', so an app hears exactly
what the portal's pages say.
"""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.customers.models import MESSAGE_LANGUAGES


def optional_text(**kwargs):
    """Free text whose presence the service checks (so its message is the one the client sees)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


# --- signing in ---------------------------------------------------------------------------------


class PortalCodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32, help_text=_("Mobile number, e.g. 13912345678."))


class PortalSignInSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32)
    code = optional_text(
        max_length=12, help_text=_("The code from the SMS. Send this or `password`.")
    )
    password = optional_text(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs):
        code, password = attrs["code"].strip(), attrs["password"]
        if code and password:
            raise serializers.ValidationError(
                {"password": [_("Send either the code or the password, not both.")]}
            )
        if not code and not password:
            raise serializers.ValidationError(
                {"code": [_("Send the code from the SMS, or your password.")]}
            )
        return attrs


class PortalCodeSentSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PortalTokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Send it as “Authorization: Bearer <token>”. Shown once, never stored.")
    )
    token_type = serializers.CharField(default="Bearer")
    expires_at = serializers.DateTimeField()


# --- who I am -----------------------------------------------------------------------------------


class PortalHouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.CharField()
    community = serializers.CharField(source="unit.building.community.name")
    unit = serializers.CharField(source="unit.label")


class PortalCustomerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PortalMeSerializer(serializers.Serializer):
    customer = PortalCustomerRefSerializer()
    phone = serializers.CharField()
    has_password = serializers.BooleanField(
        help_text=_("Whether the customer may also sign in with a password.")
    )
    households = PortalHouseholdSerializer(many=True)


# --- how we reach the customer, and their messages ----------------------------------------------


class PortalPreferencesSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=MESSAGE_LANGUAGES,
        required=False,
        help_text=_("The language of the portal and of every message; empty: the default."),
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    notify_by_sms = serializers.BooleanField(required=False)
    notify_by_email = serializers.BooleanField(
        required=False, help_text=_("Needs an e-mail address.")
    )


class PortalPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(
        allow_blank=True, help_text=_("At least 8 characters."), style={"input_type": "password"}
    )


class PortalMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField()

    def get_read(self, message) -> bool:
        return message.read_at is not None


class PortalUnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
