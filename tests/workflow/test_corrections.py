"""Corrections of a live part: an editor prepares the correction as a draft while the public
keeps the live version; a publisher publishes it; asking for publication mails the publishers."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from articles import corrections, workflow
from articles.models import Article, AuditAction, Figure, Section, SpeakerTurn
from tests.support.factories import make_long_article
from tests.support.forms import form_data
from tests.support.line_breaks import without_line_breaks
from tests.support.staff import change_url, make_editor, make_publisher

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor():
    user = make_editor(full_name="山田 花子")
    user.email = "hanako@example.jp"
    user.save()
    return user


@pytest.fixture
def publisher():
    user = make_publisher(full_name="鈴木 太郎")
    user.email = "taro@example.jp"
    user.save()
    return user


@pytest.fixture
def live():
    # No figure placeholders: a correction goes public through the accessibility gate too.
    return make_long_article(6, placeholders=False)


def turn_texts(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return without_line_breaks(response.text)


def start(client, article):
    response = client.post(reverse("admin:articles_article_start_correction", args=[article.pk]))
    assert response.status_code == 302, response.content[:500]
    return Article.objects.get(correction_of=article)


def edit_first_turn(client, draft, body):
    """Change the first turn's text on the correction's admin page, as the browser submits it."""
    page = client.get(change_url(draft))
    assert page.status_code == 200
    data = form_data(page.text, "article_form")
    name = next(key for key, value in data.items() if key.endswith("-body") and value == "発言その0です。")
    data[name] = body
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.content[:3000]


def test_the_public_keeps_the_live_text_until_a_publisher_publishes_the_correction(client, editor, publisher, live):
    turn_ids = list(SpeakerTurn.objects.filter(section__article=live).values_list("pk", flat=True))
    client.force_login(editor)
    draft = start(client, live)
    assert draft.status == "draft" and draft.correction_of == live
    edit_first_turn(client, draft, "訂正した発言です。")

    client.logout()
    page = turn_texts(client, live)
    assert "発言その0です。" in page and "訂正した発言です。" not in page
    assert client.get(f"/articles/{draft.slug}/").status_code == 404  # the draft has no public page

    client.force_login(editor)  # the preview shows the correction
    preview = without_line_breaks(client.get(reverse("articles:article_preview", args=[draft.pk])).text)
    assert "訂正した発言です。" in preview and "公開中の記事の修正版です" in preview

    client.force_login(publisher)
    assert client.get(reverse("admin:articles_article_publish_correction", args=[draft.pk])).status_code == 200
    response = client.post(reverse("admin:articles_article_publish_correction", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == change_url(live)

    client.logout()
    page = turn_texts(client, live)
    assert "訂正した発言です。" in page and "発言その0です。" not in page
    # The same part, address and turn anchors; the draft is gone.
    assert list(SpeakerTurn.objects.filter(section__article=live).values_list("pk", flat=True)) == turn_ids
    assert f'id="turn-{turn_ids[0]}"' in page
    assert not Article.objects.filter(pk=draft.pk).exists()
    actions = list(live.audit_events.values_list("action", flat=True))
    assert actions[:2] == [AuditAction.CORRECTION_PUBLISHED, AuditAction.CORRECTION_STARTED]
    revision = Version.objects.get_for_object(live).first().revision
    assert revision.comment == "修正版を公開しました"
    kept = {version.field_dict.get("body") for version in revision.version_set.all()}
    assert "訂正した発言です。" in kept and "発言その0です。" not in kept


def test_added_moved_and_deleted_rows_of_a_correction_reach_the_live_part(publisher, live):
    draft, _ = corrections.start_correction(live, publisher)
    (section,) = Section.objects.filter(article=draft)
    turns = list(section.turns.order_by("position"))
    turns[1].delete()
    turns[2].body = "書き直しました。"
    turns[2].save()
    SpeakerTurn.objects.create(section=section, position=99, speaker=turns[0].speaker, body="足した発言。")
    new_section = Section.objects.create(article=draft, position=2, heading="新しい見出し")
    moved = turns[3]
    moved.section, moved.position = new_section, 1
    moved.save()
    Figure.objects.filter(section=section).delete()
    original_ids = {int(copy): live_id for copy, live_id in draft.correction_map["SpeakerTurn"].items()}
    draft.title, draft.closing = "直した題", "次回もお楽しみに!"
    draft.save()
    slug, publish_at = live.slug, live.publish_at

    corrections.publish_correction(draft, publisher)

    live.refresh_from_db()
    assert (live.title, live.closing_html) == ("直した題", "<p>次回もお楽しみに!</p>")
    assert (live.slug, live.publish_at, live.status) == (slug, publish_at, "published")

    live_turns = {turn.body: turn for turn in SpeakerTurn.objects.filter(section__article=live)}
    assert "発言その1です。" not in live_turns
    assert live_turns["書き直しました。"].pk == original_ids[turns[2].pk]
    assert "足した発言。" in live_turns
    assert live_turns["発言その3です。"].section.heading == "新しい見出し"
    assert live_turns["発言その3です。"].pk == original_ids[moved.pk]
    assert live_turns["発言その3です。"].section.article_id == live.pk
    assert not Figure.objects.filter(section__article=live).exists()
    assert Section.objects.filter(article=live).count() == 2


def test_an_editor_cannot_publish_a_correction(client, editor, live):
    client.force_login(editor)
    draft = start(client, live)
    url = reverse("admin:articles_article_publish_correction", args=[draft.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk], "confirmed": "yes"})
    with pytest.raises(PermissionDenied):
        corrections.publish_correction(draft, editor)
    with pytest.raises(PermissionDenied):
        workflow.publish_now(draft, editor)
    assert Article.objects.filter(pk=draft.pk).exists()
    page = client.get(change_url(draft)).text
    assert url not in page and 'name="status"' not in page and 'name="slug"' not in page


def test_a_correction_is_never_published_as_a_second_part(client, publisher, live):
    """A publisher's form on the correction offers no status; the list's action publishes
    the correction into the live part."""
    client.force_login(publisher)
    draft = start(client, live)
    assert 'name="status"' not in client.get(change_url(draft)).text
    draft.status = "published"
    with pytest.raises(PermissionDenied):
        workflow.enforce_publication_rights(publisher, draft)
    response = client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk], "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert Article.objects.published().filter(roundtable=live.roundtable).count() == 1


def test_a_publication_request_mails_the_publishers_once_and_is_listed_for_them(client, editor, publisher, live):
    other = make_publisher("jiro", "佐藤 次郎")
    other.email = "jiro@example.jp"
    other.save()
    client.force_login(editor)
    draft = start(client, live)
    response = client.post(
        reverse("admin:articles_article_request_publication", args=[draft.pk]), {"message": "誤字を直しました"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["jiro@example.jp", "taro@example.jp"]
    assert live.title in message.subject
    assert "山田 花子" in message.body and "誤字を直しました" in message.body
    assert f"/admin/articles/article/{draft.pk}/change/" in message.body
    draft.refresh_from_db()
    assert draft.publication_requested_by == editor
    assert draft.audit_events.filter(action=AuditAction.REQUESTED).exists()
    assert live.audit_events.filter(action=AuditAction.REQUESTED).exists()
    assert "公開を依頼しました" in client.get(change_url(draft)).text

    assert "公開の依頼が1件" not in client.get(CHANGELIST).text  # editors are not the ones to answer

    client.force_login(publisher)
    listing = client.get(CHANGELIST, {"requested": "yes"}).text
    assert f"/admin/articles/article/{draft.pk}/change/" in listing
    assert f"/admin/articles/article/{live.pk}/change/" not in listing
    assert "公開を依頼済み" in listing
    assert "公開の依頼が1件あります" in client.get(CHANGELIST).text
    client.post(reverse("admin:articles_article_publish_correction", args=[draft.pk]))
    assert f"/admin/articles/article/{draft.pk}/change/" not in client.get(CHANGELIST, {"requested": "yes"}).text
    assert "公開の依頼が" not in client.get(CHANGELIST).text
    note = live.audit_events.get(action=AuditAction.CORRECTION_PUBLISHED).note
    assert "山田 花子さんの依頼" in note


def test_a_request_for_a_new_draft_is_cleared_when_it_is_published(client, editor, publisher):
    draft = make_long_article(2, published=False, placeholders=False)
    client.force_login(editor)
    client.post(reverse("admin:articles_article_request_publication", args=[draft.pk]))
    assert len(mail.outbox) == 1
    assert list(corrections.pending_requests()) == [draft]
    workflow.publish_now(draft, publisher)
    assert list(corrections.pending_requests()) == []


def test_a_live_part_cannot_be_requested_and_nobody_is_mailed_without_an_address(client, editor, live):
    client.force_login(editor)
    assert client.post(reverse("admin:articles_article_request_publication", args=[live.pk])).status_code == 403
    draft = start(client, live)
    make_publisher("noaddress")
    response = client.post(reverse("admin:articles_article_request_publication", args=[draft.pk]), follow=True)
    assert len(mail.outbox) == 0
    assert "メールは送っていません" in response.text


def test_a_correction_over_a_live_part_changed_meanwhile_is_refused(client, publisher, live):
    draft, _ = corrections.start_correction(live, publisher)
    SpeakerTurn.objects.filter(section__article=live, body="発言その0です。").update(body="公開担当が直した。")
    with pytest.raises(corrections.CorrectionRefused):
        corrections.publish_correction(draft, publisher)
    client.force_login(publisher)
    response = client.post(reverse("admin:articles_article_publish_correction", args=[draft.pk]), follow=True)
    assert "公開中の記事そのものが変更されました" in response.text
    assert SpeakerTurn.objects.filter(section__article=live, body="公開担当が直した。").exists()


def test_one_correction_at_a_time_and_the_live_page_links_to_it(client, editor, live):
    client.force_login(editor)
    draft = start(client, live)
    assert start(client, live) == draft
    page = client.get(change_url(live)).text
    assert "修正版を開く" in page and change_url(draft) in page
    # The roundtable's part list and the import see one part 1, not two.
    assert [part.pk for part in live.parts(public_only=False)] == [live.pk]


def test_the_new_admin_pages_are_valid_html(client, editor, publisher, live):
    from tests.support import quality

    client.force_login(editor)
    draft = start(client, live)
    documents = {"live part, editor": client.get(change_url(live)).text}
    documents["correction, editor"] = client.get(change_url(draft)).text
    client.post(reverse("admin:articles_article_request_publication", args=[draft.pk]))
    client.force_login(publisher)
    documents["correction, publisher"] = client.get(change_url(draft)).text
    documents["requests"] = client.get(CHANGELIST, {"requested": "yes"}).text
    documents["publish correction"] = client.get(
        reverse("admin:articles_article_publish_correction", args=[draft.pk])
    ).text
    results = quality.validate_html(documents)
    assert not any(results.values()), quality.format_html_errors(results)


def test_a_correction_deleted_unpublished_leaves_the_live_part_as_it_was(client, editor, live):
    client.force_login(editor)
    draft = start(client, live)
    edit_first_turn(client, draft, "やめた訂正。")
    response = client.post(reverse("admin:articles_article_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert "発言その0です。" in turn_texts(client, live)
    assert live.audit_events.filter(action=AuditAction.CORRECTION_DISCARDED, user_name="山田 花子").exists()
    assert "修正版を作る" in client.get(change_url(live)).text  # a new one may be made


def test_a_correction_with_accessibility_errors_is_not_published(client, editor, publisher, live):
    """What goes public is the correction's content: the gate reads the draft, not the live part."""
    client.force_login(editor)
    draft = start(client, live)
    section = draft.sections.first()
    Figure.objects.create(section=section, position=99, alt_text="画像", reference="画像1")
    with pytest.raises(workflow.AccessibilityRefused):
        corrections.publish_correction(draft, publisher)
    assert Article.objects.filter(pk=draft.pk).exists()
    assert not Figure.objects.filter(section__article=live, alt_text="画像").exists()
