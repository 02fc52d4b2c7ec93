"""Fixtures for the whole suite. Test data builders live in tests/support/.

Nothing Django is imported at the top: the parser tests also run without Django
(see tests/importing/test_parser.py).
"""

import io
import pathlib

import pytest

# On SQLite the test database is the file var/test-db.sqlite3 (forum/settings.py).
(pathlib.Path(__file__).resolve().parent.parent / "var").mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_local_pages():
    """Each test starts like a new server process: no page in this process's own memory
    (forum.page_cache.LOCAL_PAGES; imported only when a test has loaded it)."""
    import sys

    page_cache = sys.modules.get("forum.page_cache")
    if page_cache is not None:
        page_cache.forget_local_pages()


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


# --- the browser: Debian's Chromium through Playwright --------------------------------------


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the browser tests of a module, closed when the module's tests are done.

    Playwright's sync API marks an event loop as running in this thread for as long as it
    runs, and Django then refuses ORM calls (SynchronousOnlyOperation) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set here, exactly while Playwright runs, and
    removed with it: later modules (the deployment check, for one) never see it.
    """
    from playwright.sync_api import sync_playwright

    from tests.support.quality import chromium_launch_kwargs

    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**chromium_launch_kwargs())
            yield browser
            browser.close()
        _close_django_connections()


def _close_django_connections():
    """Inside Playwright's sync API the tests' ORM calls run in another context (Django's
    connections are context-local), so they opened a connection pytest-django does not
    know of; close it, or PostgreSQL refuses to drop the test database at the end."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def new_page(browser, **options):
    """A page in a fresh context (cookies, storage), in Japanese and Tokyo time."""
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", **options)
    return context.new_page()


@pytest.fixture
def page(browser):
    """A fresh page, 1280 × 900; its context is closed after the test."""
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


@pytest.fixture
def admin_page(browser, live_server):
    """admin_page(user, password, next="/admin/", **context_options): a fresh page logged in
    to the admin as `user` through the login form, at `next`. Call it once per user; all are
    closed after the test. context_options go to browser.new_context (e.g. viewport)."""
    from playwright.sync_api import expect

    pages = []

    def log_in(user, password, next="/admin/", **context_options):
        page = new_page(browser, **context_options)
        pages.append(page)
        page.goto(f"{live_server.url}/admin/login/?next={next}")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        expect(page.locator("#site-name")).to_be_visible()
        return page

    yield log_in
    for page in pages:
        page.context.close()
