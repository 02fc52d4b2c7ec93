"""Wrong passwords lock the account and the address for a while (django-axes, issue 15 point 2)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-2026"
LOCKED = "ログインを一時的に止めています"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_user("admin", password=PASSWORD, is_staff=True, is_superuser=True)


def without_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def attempt(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def test_the_right_password_after_too_many_wrong_ones_is_refused_with_a_japanese_message(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "admin", "wrong")
        assert response.status_code == 200 and LOCKED not in response.text
    assert attempt(client, "admin", "wrong").status_code == 429
    response = attempt(client, "admin", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.text and "分ほど待って" in response.text and 'lang="ja"' in response.text
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_other_addresses_too(client, admin_user, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "admin", "wrong", address=f"198.51.100.{number + 1}")
    assert attempt(client, "admin", PASSWORD, address="203.0.113.7").status_code == 429


def test_the_address_is_locked_for_other_accounts_too(client, admin_user, django_user_model, settings):
    django_user_model.objects.create_user("hanako", password=PASSWORD, is_staff=True)
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong")
    assert attempt(client, "hanako", PASSWORD).status_code == 429
    assert attempt(client, "hanako", PASSWORD, address="192.0.2.99").status_code == 302


def test_locking_does_not_tell_whether_an_account_exists(client, admin_user, django_user_model, settings):
    django_user_model.objects.create_user("suzuki", password=PASSWORD, is_staff=True)
    answers = {}
    for name, address in (("suzuki", "192.0.2.20"), ("tanaka", "192.0.2.21")):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = attempt(client, name, "wrong", address=address)
        answers[name] = (response.status_code, without_token(response.text.replace(name, "NAME")))
    assert answers["suzuki"] == answers["tanaka"]
    django_user_model.objects.create_user("yamada", password=PASSWORD, is_staff=True)
    first = attempt(client, "yamada", "wrong", address="192.0.2.30")
    other = attempt(client, "kimura", "wrong", address="192.0.2.31")
    assert first.status_code == other.status_code == 200
    assert without_token(first.text.replace("yamada", "NAME")) == without_token(other.text.replace("kimura", "NAME"))


def test_an_administrator_unlocks_an_account_in_the_admin_or_on_the_command_line(
    client, admin_user, django_user_model, settings
):
    from axes.models import AccessAttempt

    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "admin", "wrong", address=f"198.51.100.{number + 1}")
    assert attempt(client, "admin", PASSWORD, address="203.0.113.7").status_code == 429
    call_command("axes_reset_username", "admin")
    assert attempt(client, "admin", PASSWORD, address="203.0.113.7").status_code == 302
    client.logout()

    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "admin", "wrong", address=f"198.51.100.{number + 1}")
    assert AccessAttempt.objects.filter(username="admin").exists()
    other = client.__class__()
    other.force_login(django_user_model.objects.create_superuser("kanrisha", password="another-password-77"))
    listing = other.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "admin" in listing.text
    ids = list(AccessAttempt.objects.filter(username="admin").values_list("pk", flat=True))
    response = other.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in ids], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="admin").exists()
    response = attempt(client, "admin", PASSWORD, address="203.0.113.7")
    assert response.status_code == 302, response.text


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(client, admin_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "x", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.50",
        )
    assert (
        client.post(
            reverse("admin:login"),
            {"username": "admin", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.51",
        ).status_code
        == 302
    )
