"""Sending SMS: one small interface, a console backend by default, and an HTTP gateway adapter.

Chosen by ``PROPDESK_SMS_BACKEND``. Every send carries the message's idempotency key, so that a
gateway which honours it (most do) never delivers a message twice, even when a delivery run dies
after sending and before recording that it sent.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("propdesk.sms")


class SmsError(Exception):
    """The gateway refused or could not be reached; the message will be retried."""


class ConsoleSmsBackend:
    """Writes the message to the log: for one machine, development and tests."""

    def send(self, *, to: str, text: str, key: str) -> None:
        log.info("SMS %s to %s: %s", key, to, text)


class HttpSmsGateway:
    """POSTs ``{"to", "text"}`` as JSON to ``PROPDESK_SMS_GATEWAY_URL`` with a bearer token and
    an ``Idempotency-Key`` header; any 2xx answer is success."""

    def __init__(self):
        self.url = settings.PROPDESK_SMS_GATEWAY_URL
        self.token = settings.PROPDESK_SMS_GATEWAY_TOKEN
        self.timeout = 10

    def send(self, *, to: str, text: str, key: str) -> None:
        if not self.url:
            raise SmsError("PROPDESK_SMS_GATEWAY_URL is not set")
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": key,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"gateway answered {response.status}")
        except urllib.error.URLError as exc:
            raise SmsError(str(exc)) from exc


def sms_backend():
    return import_string(settings.PROPDESK_SMS_BACKEND)()
