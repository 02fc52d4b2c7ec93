"""With DEBUG off, Django's own deployment check finds nothing to fix but the opt-in choices."""

import os
import subprocess
import sys

from tests.support import REPO_ROOT as ROOT


def run_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE while Playwright runs (so may a shell);
        # a production server would not have it (async.E001).
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DEBUG": "false",
            "ALLOWED_HOSTS": "zadankai.example.jp",
            **env,
        },
    )


KEY = "k3V9-pQ2#xW8_zL5!mN7@rT1&yB4^cF6*hJ0(sD2)gA9+eU3=oI8"


def reported(result):
    return {line.split(")")[0].lstrip("?: (") for line in result.stderr.splitlines() if line.startswith("?: (")}


def test_production_settings_pass_the_deployment_check():
    result = run_check(SECRET_KEY=KEY)
    assert reported(result) == set() and result.returncode == 0, result.stderr


def test_hsts_for_subdomains_and_preload_are_opt_in_settings_and_pass_when_chosen():
    result = run_check(SECRET_KEY=KEY, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")
    assert reported(result) == set() and result.returncode == 0, result.stderr
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD, settings.SILENCED_SYSTEM_CHECKS)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DEBUG": "false",
        "SECRET_KEY": KEY,
        "ALLOWED_HOSTS": "zadankai.example.jp",
    }
    chosen = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"},
    )
    assert chosen.stdout.split() == ["True", "True", "[]"], chosen.stderr
    default = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert default.stdout.startswith("False False"), default.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
