"""The production settings plus the benchmark's extra views (bench/stack/urls.py)."""

from forum.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.stack.urls"
