"""Make the floor's tables and its one user with a token; print what a client needs as JSON.

FLOOR_DATABASE_URL=... DJANGO_SETTINGS_MODULE=bench.floor.settings python -m bench.floor.prepare
"""

import json
import sys

from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.authtoken.models import Token


def prepare() -> dict:
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    user = User.objects.create_user("bench-agent", password=None)
    token = Token.objects.create(user=user)
    body = {
        "customer": 1,
        "household": 1,
        "kind": "repair",
        "channel": "hotline",
        "description": "厨房水管漏水",
        "item": 1,
    }
    return {"path": "/api/v1/tickets/", "authorization": f"Token {token.key}", "body": body}


if __name__ == "__main__":
    print(json.dumps(prepare()))
    sys.exit(0)
