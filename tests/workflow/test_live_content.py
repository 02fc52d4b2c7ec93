"""What a public part shows (roundtable, participants, people, organisations, forum) changes
only by a 公開担当, and every such change is in the part's 操作記録 and 変更履歴."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import AuditEvent
from articles.models import ArticleStatus
from tests.support.forms import form_data
from tests.support.staff import make_editor, make_publisher

pytestmark = pytest.mark.django_db


def publish(article, when=None):
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = when or timezone.now() - datetime.timedelta(minutes=1)
    article.save()
    return article


def edit_page(client, model, obj):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    return url, client.get(url)


def posted(client, model, obj, **changes):
    url, page = edit_page(client, model, obj)
    assert page.status_code == 200
    data = form_data(page.text, f"{model._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


@pytest.fixture
def live(demo):
    return publish(demo)


@pytest.fixture
def editor(client):
    client.force_login(make_editor(full_name="山田 花子"))
    return client


@pytest.fixture
def publisher(client):
    client.force_login(make_publisher(full_name="鈴木 太郎"))
    return client


def test_an_editor_sees_a_live_roundtable_read_only_with_the_reason_and_cannot_post_a_change(editor, live, client):
    roundtable = live.roundtable
    url, page = edit_page(editor, type(roundtable), roundtable)
    assert page.status_code == 200
    assert 'name="title"' not in page.text  # shown, not editable
    assert "公開中・公開予約中の記事" in page.text and live.title in page.text
    data = form_data(page.text, "roundtable_form")
    data.update(
        {
            "title": "書き換えた題",
            "forum": roundtable.forum_id,
            "number": roundtable.number,
            "format": roundtable.format,
        }
    )
    assert editor.post(url, data).status_code == 403
    roundtable.refresh_from_db()
    assert roundtable.title != "書き換えた題"
    assert "書き換えた題" not in client.get(live.get_absolute_url()).text


def test_an_editor_cannot_change_a_live_participants_title_or_a_persons_name(editor, live):
    from participants.models import Participant, Person

    participant = Participant.objects.filter(roundtable=live.roundtable).first()
    url, page = edit_page(editor, Participant, participant)
    assert 'name="posts"' not in page.text
    assert editor.post(url, {"posts": "新しい役職", "person": participant.person_id}).status_code == 403
    person = participant.person
    url, page = edit_page(editor, Person, person)
    assert 'name="name"' not in page.text
    assert editor.post(url, {"name": "別の 名前"}).status_code == 403
    person.refresh_from_db()
    assert person.name != "別の 名前"


def test_a_scheduled_part_protects_what_it_will_show_too(editor, demo):
    publish(demo, timezone.now() + datetime.timedelta(days=3))
    person = demo.roundtable.participants.first().person
    from participants.models import Person

    assert 'name="name"' not in edit_page(editor, Person, person)[1].text


def test_an_editor_still_changes_what_only_drafts_show(editor, demo):
    from participants.models import Person

    demo.status = ArticleStatus.DRAFT
    demo.save()
    person = demo.roundtable.participants.first().person
    response = posted(editor, Person, person, name="高橋 明")
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "高橋 明"


def test_an_editor_cannot_add_a_participant_to_a_live_roundtable(editor, live):
    from participants.models import Participant, Person

    newcomer = Person.objects.create(name="新人 太郎")
    response = editor.post(
        reverse("admin:participants_participant_add"),
        {"roundtable": live.roundtable_id, "person": newcomer.pk, "order": 9, "posts": "係長"},
    )
    assert response.status_code == 403
    assert not Participant.objects.filter(person=newcomer).exists()
    url, page = edit_page(editor, type(live.roundtable), live.roundtable)
    assert "participants-TOTAL_FORMS" in page.text and 'name="participants-0-posts"' not in page.text
    assert 'name="participants-0-DELETE"' not in page.text


def test_a_publishers_change_shows_at_once_and_is_in_the_parts_audit_trail_and_history(publisher, live, client):
    from participants.models import Person

    person = live.roundtable.participants.first().person
    old_name = person.name
    versions_before = Version.objects.get_for_object(live).count()
    response = posted(publisher, Person, person, name="高橋 明")
    assert response.status_code == 302
    assert "高橋 明" in client.get(live.get_absolute_url()).text
    event = AuditEvent.objects.filter(article=live).first()
    assert event.user_name == "鈴木 太郎"
    assert f"人物「高橋 明」を変更しました" in event.note and f"「{old_name}」→「高橋 明」" in event.note
    assert Version.objects.get_for_object(live).count() == versions_before + 1
    latest = Version.objects.get_for_object(live).order_by("-pk").first()
    assert f"「{old_name}」→「高橋 明」" in latest.revision.get_comment()
    history = publisher.get(reverse("admin:articles_article_history", args=[live.pk])).text
    assert "高橋 明" in history
    page = publisher.get(reverse("admin:articles_article_change", args=[live.pk])).text
    assert "人物「高橋 明」を変更しました" in page


def test_a_publishers_change_of_a_participant_on_the_roundtable_page_is_recorded(publisher, live):
    roundtable = live.roundtable
    url, page = edit_page(publisher, type(roundtable), roundtable)
    data = form_data(page.text, "roundtable_form")
    data["participants-0-posts"] = "デジタル戦略部長"
    response = publisher.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(article=live).first()
    assert "参加者" in event.note and "デジタル戦略部長" in event.note


def test_an_editor_adds_a_participant_to_a_roundtable_no_public_part_shows(editor, demo):
    from participants.models import Participant, Person

    demo.status = ArticleStatus.DRAFT
    demo.save()
    newcomer = Person.objects.create(name="新人 太郎")
    response = editor.post(
        reverse("admin:participants_participant_add"),
        {"roundtable": demo.roundtable_id, "person": newcomer.pk, "order": 9, "posts": "係長"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Participant.objects.get(person=newcomer).posts == ["係長"]
