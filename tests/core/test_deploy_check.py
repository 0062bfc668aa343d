"""Production settings pass Django's deployment check with no warning, given the environment
docs/operations.md tells production to set (HTTPS behind a TLS-terminating proxy, HSTS)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The documented production environment ("Environment" and "HTTPS" in docs/operations.md), with
# throwaway values.
PRODUCTION = {
    "PROPDESK_PRODUCTION": "1",
    "SECRET_KEY": "k9Vd2rQ7pX4mL8sT1wZ6yB3nH5cF0jR2eG7uA9iO4qW1xE6tY8vN3bM5kJ0hS2dP",
    "ALLOWED_HOSTS": "desk.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://desk.example.com",
    "SITE_URL": "https://desk.example.com",
    "PROPDESK_HSTS_SECONDS": "31536000",
    "PROPDESK_HSTS_PRELOAD": "true",
}


def _deploy_check(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROPDESK_", "DJANGO_"))}
    env.pop("DEBUG", None)
    env.update(PRODUCTION, PROPDESK_VAR_DIR=str(tmp_path), **overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-m", "propdesk", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    result = _deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_without_hsts_the_deploy_check_fails(tmp_path):
    result = _deploy_check(tmp_path, PROPDESK_HSTS_SECONDS=None)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
