"""The HTTP SMS gateway adapter, against a small gateway on this machine."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from propdesk.core.sms import HttpSmsGateway, SmsError


@pytest.fixture
def gateway(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        status = 200

        def do_POST(self):  # noqa: N802 - the stdlib's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((dict(self.headers), body))
            self.send_response(Handler.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PROPDESK_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.PROPDESK_SMS_GATEWAY_TOKEN = "s3cret"
    yield Handler, received
    server.shutdown()
    server.server_close()


def test_it_posts_the_message_with_its_idempotency_key(gateway):
    _handler, received = gateway
    HttpSmsGateway().send(to="+8613912345678", text="您的工单已受理", key="propdesk-notification-7")
    [(headers, body)] = received
    assert body == {"to": "+8613912345678", "text": "您的工单已受理"}
    assert headers["Idempotency-Key"] == "propdesk-notification-7"
    assert headers["Authorization"] == "Bearer s3cret"


def test_a_gateway_error_is_an_sms_error_to_retry(gateway):
    handler, _received = gateway
    handler.status = 503
    with pytest.raises(SmsError):
        HttpSmsGateway().send(to="+8613912345678", text="x", key="k")


def test_no_gateway_configured_is_an_sms_error(settings):
    settings.PROPDESK_SMS_GATEWAY_URL = ""
    with pytest.raises(SmsError):
        HttpSmsGateway().send(to="+8613912345678", text="x", key="k")
