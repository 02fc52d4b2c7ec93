"""Shared helpers of the editorial-workflow tests: staff users in the two groups, admin forms."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.workflow import EDITOR_GROUP, PUBLISHER_GROUP
from tests.support.forms import form_data

PASSWORD = "correct-horse-battery-staple"


def make_staff(username, group_name, full_name=""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True, first_name=full_name)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def make_editor(username="hanako", full_name=""):
    return make_staff(username, EDITOR_GROUP, full_name)


def make_publisher(username="taro", full_name=""):
    return make_staff(username, PUBLISHER_GROUP, full_name)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form(client, article):
    """The part's change form as the browser would submit it unchanged."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.text, "article_form")


def save(client, article, data):
    return client.post(change_url(article), data)
