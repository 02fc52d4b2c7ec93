import io

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(db, django_user_model):
    """A superuser editor."""
    return django_user_model.objects.create_superuser("editor", "editor@example.jp", "correct-horse-battery")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def demo(db):
    """The sample article as the load_demo command loads it."""
    from django.core.management import call_command

    from articles.models import Article

    call_command("load_demo", stdout=io.StringIO())
    return Article.objects.get()
