"""Revisions: every save keeps the whole part; history shows who and when; compare; restore loses nothing."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import AuditAction, AuditEvent
from articles.diff import diff_lines, part_lines
from articles.models import Article, ArticleStatus, Credit, Figure, Section, SpeakerTurn
from articles.versioning import state_from_db, versions_of
from tests.support.factories import make_long_article
from tests.support.staff import change_form, change_url, make_editor, make_publisher, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_editor(full_name="山田 花子")
    client.force_login(user)
    return user


def text_of(article):
    return part_lines(state_from_db(article))


def body_field(data, position=0):
    return sorted(name for name in data if name.endswith("-body"))[position]


def edit(client, article, **changes):
    data = change_form(client, article)
    data.update(changes)
    response = save(client, article, data)
    assert response.status_code == 302, response.text[:3000]
    return data


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def test_each_save_keeps_the_part_with_its_sections_turns_figures_and_credits(client, editor):
    article = make_long_article(25, published=False)
    edit(client, article, title="一回目")
    edit(client, article, title="二回目")
    versions = versions_of(article)
    assert versions.count() == 2
    revision = versions.first().revision
    kept = {version._model for version in revision.version_set.all()}
    assert kept == {Article, Section, SpeakerTurn, Figure, Credit}
    assert revision.version_set.filter(content_type__model="speakerturn").count() == 25
    assert revision.user == editor


def test_a_section_without_heading_is_kept_in_the_revision_too(client, editor):
    article = make_long_article(2, published=False)
    Section.objects.filter(article=article).update(heading="")
    edit(client, article, title="見出しのない節")
    kept = versions_of(article).first().revision.version_set.filter(content_type__model="section").get()
    assert kept.object_repr == "(見出しなし)"


def test_history_lists_who_saved_and_when(client, editor):
    article = make_long_article(2, published=False)
    edit(client, article, title="題を直した")
    page = client.get(history_url(article)).text
    assert "山田 花子" in page and "この版に戻す" in page and "選んだ2つの版を比べる" in page


def test_compare_shows_a_character_level_diff_of_the_text(client, editor):
    article = make_long_article(3, published=False)
    data = edit(client, article, title="最初の題")
    edit(client, article, **{body_field(data): "発言その0を直しました。"})
    old, new = [version.revision_id for version in versions_of(article)][::-1]
    page = client.get(reverse("admin:articles_article_compare", args=[article.pk]), {"old": old, "new": new}).text
    assert "話者0:発言その0<del>です</del>。" in page
    assert "話者0:発言その0<ins>を直しました</ins>。" in page
    assert "話者1:発言その1です。" in page  # unchanged context


def test_restore_round_trip_keeps_the_state_before_it(client, editor):
    article = make_long_article(6, published=False)
    data = edit(client, article, title="元の題")
    original_text = text_of(article)
    first_revision = versions_of(article).first().revision

    # Change a turn, delete a turn, add a section: all through the admin.
    data = change_form(client, article)
    data[body_field(data, 0)] = "書き換えた発言です。"
    data[body_field(data, 1).replace("-body", "-DELETE")] = "on"
    data["title"] = "変えた題"
    assert save(client, article, data).status_code == 302
    Section.objects.create(article=article, position=9, heading="追加した見出し")  # outside the admin
    changed_text = text_of(article)
    assert changed_text != original_text

    restore_url = reverse("admin:articles_article_restore", args=[article.pk, first_revision.pk])
    confirm = client.get(restore_url)
    assert "この版に戻す" in confirm.text and "<del>書き換えた</del>" in confirm.text
    assert client.post(restore_url).status_code == 302
    article.refresh_from_db()
    assert text_of(article) == original_text
    assert article.title == "元の題"

    # The state just before the restore (with the section added in code) is a revision too.
    before_restore = versions_of(article).filter(revision__comment="戻す前の状態(自動で保存)").get().revision
    back_url = reverse("admin:articles_article_restore", args=[article.pk, before_restore.pk])
    assert client.post(back_url).status_code == 302
    assert text_of(article) == changed_text
    assert AuditEvent.objects.filter(article=article, action=AuditAction.RESTORED).count() == 2


def test_restore_re_renders_html_and_never_touches_status_or_address(client):
    publisher = make_publisher()
    client.force_login(publisher)
    article = make_long_article(2)
    data = edit(client, article, slug="first-slug")
    first_revision = versions_of(article).first().revision
    edit(client, article, **{body_field(data): "**新しい**発言", "slug": "second-slug"})
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.DRAFT)
    version_before = Article.objects.get(pk=article.pk).edit_version
    assert (
        client.post(reverse("admin:articles_article_restore", args=[article.pk, first_revision.pk])).status_code == 302
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and article.slug == "second-slug"
    assert article.edit_version == version_before + 1  # forms opened before the restore are stale
    turn = SpeakerTurn.objects.filter(section__article=article).order_by("section__position", "position").first()
    assert turn.body == "発言その0です。" and turn.body_html == "<p>発言その0です。</p>"


def test_restore_is_refused_when_a_speaker_is_no_longer_a_participant(client, editor):
    article = make_long_article(4, published=False)
    edit(client, article, title="題")
    revision = versions_of(article).first().revision
    speaker = SpeakerTurn.objects.filter(section__article=article).first().speaker
    SpeakerTurn.objects.filter(speaker=speaker).delete()
    speaker.delete()
    url = reverse("admin:articles_article_restore", args=[article.pk, revision.pk])
    response = client.post(url, follow=True)
    assert "今はこの座談会の参加者にいません" in response.text
    assert SpeakerTurn.objects.filter(section__article=article).count() == 3


def test_editors_cannot_restore_a_public_part(client):
    client.force_login(make_publisher())
    article = make_long_article(2)
    edit(client, article, title="公開中の題")
    revision = versions_of(article).first().revision
    client.force_login(make_editor())
    url = reverse("admin:articles_article_restore", args=[article.pk, revision.pk])
    assert client.post(url).status_code == 403
    history = client.get(history_url(article)).text
    assert "比べる" in history and f'href="{url}"' not in history


def test_revisions_of_another_part_cannot_be_restored_here(client, editor):
    mine, other = make_long_article(1, published=False), make_long_article(1, published=False)
    with reversion.create_revision():
        reversion.add_to_revision(other)
    foreign = Version.objects.get_for_object(other).get().revision
    url = reverse("admin:articles_article_restore", args=[mine.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_diff_marks_changed_characters_and_shortens_unchanged_stretches():
    old = [f"行{i}" for i in range(20)] + ["町田市のCIO補佐です。"]
    new = [f"行{i}" for i in range(20)] + ["町田市のCDOです。"]
    lines = diff_lines(old, new)
    assert [line.kind for line in lines] == ["same", "same", "skipped", "same", "same", "removed", "added"]
    assert str(lines[-2].html) == "町田市のC<del>IO補佐</del>です。"  # not C<del>I</del>O<del>補佐</del>
    assert str(lines[-1].html) == "町田市のC<ins>DO</ins>です。"
    assert "16行" in str(lines[2].html)
    assert "&lt;script&gt;" in str(diff_lines([], ["<script>"])[0].html)
    whole = diff_lines(["第4回座談会の開催"], ["全く別の文章に差し替え"])
    assert [str(line.html) for line in whole] == ["<del>第4回座談会の開催</del>", "<ins>全く別の文章に差し替え</ins>"]


def test_a_part_imported_by_an_editor_starts_its_history_and_audit(client, editor):
    from tests.importing.test_admin import preview, sample_text, save_from
    from tests.support.factories import make_forum

    forum = make_forum(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")
    assert save_from(client, preview(client, forum, sample_text())).status_code == 302
    article = Article.objects.get()
    first = versions_of(article).get().revision
    assert first.user == editor and first.comment == "原稿から取り込みました"
    assert first.version_set.filter(content_type__model="speakerturn").count() == SpeakerTurn.objects.count() > 10
    event = AuditEvent.objects.get(article=article)
    assert (event.action, event.user_name) == (AuditAction.CREATED, "山田 花子")
