"""No lost update: of two editors who opened the same part, the second save is refused, kindly."""

import pytest

from articles import workflow
from articles.admin.forms import ArticleAdminForm
from articles.models import Article, SpeakerTurn
from articles.versioning import versions_of
from tests.support.factories import make_long_article
from tests.support.staff import change_form, make_editor, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(make_editor("hanako", "山田 花子"))
    second.force_login(make_editor("jiro", "佐藤 次郎"))
    return first, second


def body_fields(data):
    return sorted(name for name in data if name.endswith("-body"))


def turn_bodies(article):
    return list(
        SpeakerTurn.objects.filter(section__article=article)
        .order_by("section__position", "position")
        .values_list("body", flat=True)
    )


def test_second_save_is_refused_and_keeps_both_the_first_save_and_the_typed_text(two_editors):
    first, second = two_editors
    article = make_long_article(4, published=False)
    form_of_first, form_of_second = change_form(first, article), change_form(second, article)

    form_of_first[body_fields(form_of_first)[0]] = "花子が直した発言です。"
    assert save(first, article, form_of_first).status_code == 302

    form_of_second[body_fields(form_of_second)[1]] = "次郎が朝から書いた長い発言です。"
    form_of_second["title"] = "次郎の題"
    refused = save(second, article, form_of_second)
    assert refused.status_code == 200
    assert "あなたが開いたあとで山田 花子さんが" in refused.text
    assert "あなたの変更はまだ保存されていません" in refused.text
    assert "次郎が朝から書いた長い発言です。" in refused.text and 'value="次郎の題"' in refused.text

    assert turn_bodies(article)[:2] == ["花子が直した発言です。", "発言その1です。"]
    assert Article.objects.get(pk=article.pk).title == article.title

    # Saving the same stale form again is refused again; nothing is overwritten by a double click.
    assert save(second, article, form_of_second).status_code == 200
    assert turn_bodies(article)[0] == "花子が直した発言です。"


def test_reopened_form_saves_normally(two_editors):
    first, second = two_editors
    article = make_long_article(2, published=False)
    stale = change_form(second, article)
    assert save(first, article, change_form(first, article)).status_code == 302
    assert save(second, article, stale).status_code == 200
    fresh = change_form(second, article)
    fresh["title"] = "開き直して保存"
    assert save(second, article, fresh).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "開き直して保存"


def test_stale_form_whose_turn_was_deleted_meanwhile_is_refused_without_an_error_page(two_editors):
    first, second = two_editors
    article = make_long_article(3, published=False)
    form_of_first, form_of_second = change_form(first, article), change_form(second, article)
    form_of_first[body_fields(form_of_first)[2].replace("-body", "-DELETE")] = "on"
    assert save(first, article, form_of_first).status_code == 302
    form_of_second[body_fields(form_of_second)[2]] = "消された発言への書き足し"
    refused = save(second, article, form_of_second)
    assert refused.status_code == 200 and "あなたの変更はまだ保存されていません" in refused.text
    assert len(turn_bodies(article)) == 2


def test_a_save_that_loses_the_race_after_validation_saves_nothing(two_editors, monkeypatch):
    """The other save commits between this form's check and its save: the atomic claim fails,
    the transaction rolls back, and the editor sees the conflict with their text kept."""
    _, second = two_editors
    article = make_long_article(2, published=False)
    data = change_form(second, article)
    data[body_fields(data)[0]] = "競合で消えてはいけない"
    Article.objects.filter(pk=article.pk).update(edit_version=article.edit_version + 1, title="先に保存された題")

    checks = []
    real_clean = ArticleAdminForm.clean

    def clean_that_read_before_the_other_commit(form):
        checks.append(form.instance.pk)
        if len(checks) == 1:
            form.instance.edit_version = article.edit_version  # what it read a moment earlier
        return real_clean(form)

    monkeypatch.setattr(ArticleAdminForm, "clean", clean_that_read_before_the_other_commit)
    response = save(second, article, data)
    assert len(checks) == 2  # validated, lost the claim, shown again
    assert response.status_code == 200
    assert "あなたの変更はまだ保存されていません" in response.text
    assert "競合で消えてはいけない" in response.text
    assert turn_bodies(article)[0] == "発言その0です。"
    assert Article.objects.get(pk=article.pk).title == "先に保存された題"
    assert not versions_of(article).exists()  # no revision of a save that did not happen


def test_claim_edit_lets_exactly_one_of_two_claims_through():
    article = make_long_article(1, published=False)
    seen = article.edit_version
    workflow.claim_edit(Article.objects.get(pk=article.pk), seen)
    with pytest.raises(workflow.EditConflict):
        workflow.claim_edit(Article.objects.get(pk=article.pk), seen)
    assert Article.objects.get(pk=article.pk).edit_version == seen + 1
