"""With DEBUG off, Django's own deployment check finds nothing to fix but the opt-in choices."""
import os
import subprocess
import sys

from tests.support import REPO_ROOT as ROOT

# Opt-in choices a site must make for itself: HSTS for subdomains and the preload list.
OPT_IN = {"security.W005", "security.W021"}


def run_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True,
        # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE while Playwright runs (so may a shell);
        # a production server would not have it (async.E001).
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
             "DEBUG": "false", "ALLOWED_HOSTS": "zadankai.example.jp", **env},
    )


def test_production_settings_pass_the_deployment_check():
    result = run_check(SECRET_KEY="k3V9-pQ2#xW8_zL5!mN7@rT1&yB4^cF6*hJ0(sD2)gA9+eU3=oI8")
    reported = {line.split(")")[0].lstrip("?: (") for line in result.stderr.splitlines() if line.startswith("?: (")}
    assert reported <= OPT_IN, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
