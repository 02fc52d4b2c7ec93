"""The production settings plus the benchmark's extra views (bench/stack/urls.py)."""

from forum.settings import *  # noqa: F401,F403

from pathlib import Path

ROOT_URLCONF = "bench.stack.urls"
# The reference page of bench/article_render.py (bench/stack/templates/bench/plain_article.html).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]  # noqa: F405
