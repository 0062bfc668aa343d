"""Make django-helpdesk's tables, a queue and a staff user with a token; print what a client
needs as JSON.

    HELPDESK_DATABASE_URL=... DJANGO_SETTINGS_MODULE=bench.helpdesk_site.settings \\
        VENV/bin/python -m bench.helpdesk_site.prepare
"""

import json
import sys

from django.contrib.auth.models import User
from django.core.management import call_command
from helpdesk.models import Queue
from rest_framework.authtoken.models import Token


def prepare() -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    queue = Queue.objects.create(title="报修", slug="repair", email_address="repair@example.com")
    user = User.objects.create_user(
        "bench-agent", email="agent@example.com", password=None, is_staff=True
    )
    token = Token.objects.create(user=user)
    body = {
        "queue": queue.pk,
        "title": "厨房水管漏水",
        "description": "厨房水管漏水",
        "submitter_email": "customer@example.com",
        "priority": 3,
    }
    return {"path": "/helpdesk/api/tickets/", "authorization": f"Token {token.key}", "body": body}


if __name__ == "__main__":
    print(json.dumps(prepare()))
    sys.exit(0)
