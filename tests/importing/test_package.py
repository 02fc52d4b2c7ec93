"""The transcript parser is a Django-free package: importing it loads no Django, and it
parses (with its Japanese warnings) in a Python that has no Django settings at all."""

import os
import subprocess
import sys

from tests.support import REPO_ROOT as ROOT

SCRIPT = """
import sys
import articles.transcript as t
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
parsed = t.parse_transcript("題名\\n\\n令和3年2月30日に開催しました。\\n\\n高橋:こんにちは。")
print(parsed.warnings[0].message)
print(sorted(set(t.__all__) - set(dir(t))))
"""


def run_without_django_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def test_importing_the_parser_loads_no_django_and_it_warns_in_japanese_without_settings():
    result = run_without_django_settings()
    assert result.returncode == 0, result.stderr
    warning, missing = result.stdout.splitlines()
    assert warning == "日付「令和3年2月30日」は存在しない日付です。"
    assert missing == "[]"  # everything the package says it exports is there
