"""What a public part shows (roundtable, participants, people, organisations, roles, forum):
an editor's change becomes a 変更の依頼 that changes nothing public until a 公開担当 applies
it; a publisher's change (direct or applied) is in each part's 操作記録 and 変更履歴."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import live_content
from articles.models import ArticleStatus, AuditEvent, ChangeRequest, ChangeRequestStatus
from forum.models import ContentVersion, Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role
from tests.support.forms import form_data
from tests.support.staff import make_editor, make_publisher

pytestmark = pytest.mark.django_db

REQUESTS = reverse("admin:articles_changerequest_changelist")


def publish(article, when=None):
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = when or timezone.now() - datetime.timedelta(minutes=1)
    article.save()
    return article


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def edit_page(client, obj):
    url = admin_url(obj)
    return url, client.get(url)


def posted(client, obj, **changes):
    url, page = edit_page(client, obj)
    assert page.status_code == 200
    data = form_data(page.text, f"{obj._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


def public_text(client, article):
    return client.get(article.get_absolute_url()).text


@pytest.fixture
def live(demo):
    return publish(demo)


@pytest.fixture
def editor_user():
    user = make_editor(full_name="山田 花子")
    user.email = "hanako@example.jp"
    user.save()
    return user


@pytest.fixture
def publisher_user():
    user = make_publisher(username="taro", full_name="鈴木 太郎")
    user.email = "taro@example.jp"
    user.save()
    return user


@pytest.fixture
def editor(client, editor_user, publisher_user):
    client.force_login(editor_user)
    return client


@pytest.fixture
def publisher(publisher_user, editor_user):
    from django.test import Client

    client = Client()
    client.force_login(publisher_user)
    return client


def first_participant(article):
    return Participant.objects.filter(roundtable=article.roundtable).order_by("order", "pk").first()


def propose_new_posts(editor, live, posts="デジタル戦略部長"):
    """An editor changes the first participant's title on the roundtable's page."""
    roundtable = live.roundtable
    url, page = edit_page(editor, roundtable)
    data = form_data(page.text, "roundtable_form")
    data["participants-0-posts"] = posts
    return editor.post(url, data)


# --- an editor's save is a request: nothing public changes ----------------------------------


def test_an_editor_edits_a_live_roundtable_and_is_told_a_save_becomes_a_request(editor, live):
    url, page = edit_page(editor, live.roundtable)
    assert page.status_code == 200
    assert 'name="title"' in page.text and 'name="participants-0-posts"' in page.text  # editable
    assert "変更の依頼" in page.text and "公開中・公開予約中の記事" in page.text and live.title in page.text
    assert "削除は公開担当だけができます" in page.text
    assert admin_url(live.roundtable, "delete") not in page.text


def test_an_editors_change_of_a_participants_title_is_a_request_and_the_public_page_stays(editor, live, client):
    participant = first_participant(live)
    before_posts, before_page = list(participant.posts), public_text(client, live)
    token = ContentVersion.objects.get().token
    versions = Version.objects.get_for_object(live).count()
    events = AuditEvent.objects.filter(article=live).count()

    response = propose_new_posts(editor, live)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = editor.get(response.url).text
    assert "公開担当(1人)に変更の依頼を送りました" in page and "公開中のページはそのままです" in page

    participant.refresh_from_db()
    assert participant.posts == before_posts
    assert public_text(client, live) == before_page
    assert "デジタル戦略部長" not in public_text(client, live)
    assert ContentVersion.objects.get().token == token  # the page cache keeps its pages
    assert Version.objects.get_for_object(live).count() == versions
    assert AuditEvent.objects.filter(article=live).count() == events

    change_request = ChangeRequest.objects.get()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert change_request.requested_by_name == "山田 花子"
    assert any(change["after"] == "デジタル戦略部長" for change in change_request.changes)


def test_the_publishers_are_mailed_with_the_change_and_a_link(editor, live):
    url, page = edit_page(editor, live.roundtable)
    assert 'name="_request_message"' in page.text  # a message to the publishers, with the request
    data = form_data(page.text, "roundtable_form")
    data.update({"participants-0-posts": "デジタル戦略部長", "_request_message": "4月1日付の異動です"})
    assert editor.post(url, data).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["taro@example.jp"]
    assert "変更の依頼" in message.subject and "座談会" in message.subject
    assert "デジタル戦略部長" in message.body and live.title in message.body
    change_request = ChangeRequest.objects.get()
    assert live_content.review_url(change_request) in message.body
    assert "メッセージ: 4月1日付の異動です" in message.body and change_request.message == "4月1日付の異動です"
    assert "_request_message" not in change_request.data
    assert message.reply_to == ["hanako@example.jp"]


def test_an_editor_saving_nothing_sends_no_request(editor, live):
    url, page = edit_page(editor, live.roundtable)
    response = editor.post(url, form_data(page.text, "roundtable_form"))
    assert response.status_code == 302
    assert not ChangeRequest.objects.exists() and not mail.outbox
    assert "変更がなかったため" in editor.get(response.url).text


def test_a_validation_error_is_shown_at_once_and_no_request_is_made(editor, live):
    url, page = edit_page(editor, live.roundtable)
    data = form_data(page.text, "roundtable_form")
    data["title"] = ""
    response = editor.post(url, data)
    assert response.status_code == 200 and "errornote" in response.text
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "kind,changes",
    [
        ("person", {"name": "高橋 明"}),
        ("participant", {"posts": "新しい役職"}),
        ("roundtable", {"title": "書き換えた題"}),
        ("role", {"full_name": "書き換えたロール"}),
        ("organisation", {"name": "書き換えた市"}),
    ],
)
def test_every_record_a_live_part_shows_becomes_a_request_on_its_own_page(
    editor, editor_user, live, client, kind, changes
):
    allow_changing_roles(editor_user)
    participant = first_participant(live)
    if kind == "organisation" and participant.organisation is None:
        participant.organisation = Organisation.objects.create(name="町田市")
        participant.save()
    if kind == "role":
        participant.roles.add(Role.objects.create(abbreviation="司会", full_name="司会者"))
    record = {
        "person": participant.person,
        "participant": participant,
        "roundtable": live.roundtable,
        "role": participant.roles.first(),
        "organisation": participant.organisation,
    }[kind]
    before = type(record).objects.get(pk=record.pk)
    response = posted(editor, record, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    after = type(record).objects.get(pk=record.pk)
    field = next(iter(changes))
    assert getattr(after, field) == getattr(before, field)
    assert next(iter(changes.values())) not in public_text(client, live)
    change_request = ChangeRequest.objects.get()
    assert change_request.object_id == record.pk and change_request.target == after


def allow_changing_roles(user):
    """The 編集者 group may not change roles; a site may let its editors (the rule holds then too)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="change_role"))


def test_a_roles_sort_order_changed_on_the_list_becomes_a_request(editor, editor_user, live):
    allow_changing_roles(editor_user)
    participant = first_participant(live)
    role = Role.objects.create(abbreviation="司会", full_name="司会者", sort_order=5)
    participant.roles.add(role)
    url = reverse("admin:participants_role_changelist")
    page = editor.get(url)
    data = form_data(page.text, "changelist-form")
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and str(value) in (str(role.pk), [str(role.pk)])
    )
    data[f"form-{index}-sort_order"] = "1"
    data["_save"] = "保存"
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    role.refresh_from_db()
    assert role.sort_order == 5
    change_request = ChangeRequest.objects.get()
    assert change_request.target == role
    page = editor.get(url).text
    assert "変更の依頼を送りました" in page and "変更しました" not in page
    assert change_request.data["sort_order"] == ["1"]
    assert change_request.data["abbreviation"] == ["司会"]


def test_adding_a_participant_to_a_live_roundtable_is_a_request(editor, live, publisher, client):
    newcomer = Person.objects.create(name="新人 太郎")
    response = editor.post(
        reverse("admin:participants_participant_add"),
        {"roundtable": live.roundtable_id, "person": newcomer.pk, "order": 9, "posts": "係長"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Participant.objects.filter(person=newcomer).exists()
    change_request = ChangeRequest.objects.get()
    assert change_request.object_id is None
    assert [part.pk for part in live_content.affected_parts(change_request)] == [live.pk]
    response = publisher.post(admin_url(change_request, "apply"))
    assert response.status_code == 302
    added = Participant.objects.get(person=newcomer)
    assert added.posts == ["係長"]
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.APPLIED and change_request.object_id == added.pk
    assert "新人 太郎" in public_text(client, live)


def test_an_editor_cannot_delete_a_live_record(editor, live):
    person = first_participant(live).person
    page = editor.get(admin_url(person, "delete"))
    assert page.status_code == 403
    assert editor.post(admin_url(person, "delete"), {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_scheduled_part_protects_what_it_will_show_too(editor, demo, client):
    publish(demo, timezone.now() + datetime.timedelta(days=3))
    person = first_participant(demo).person
    posted(editor, person, name="高橋 明")
    person.refresh_from_db()
    assert person.name != "高橋 明" and ChangeRequest.objects.count() == 1


def test_an_editor_still_changes_what_only_drafts_show(editor, demo):
    demo.status = ArticleStatus.DRAFT
    demo.save()
    person = first_participant(demo).person
    response = posted(editor, person, name="高橋 明")
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "高橋 明"
    assert not ChangeRequest.objects.exists()


def test_an_editor_adds_a_participant_to_a_roundtable_no_public_part_shows(editor, demo):
    demo.status = ArticleStatus.DRAFT
    demo.save()
    newcomer = Person.objects.create(name="新人 太郎")
    response = editor.post(
        reverse("admin:participants_participant_add"),
        {"roundtable": demo.roundtable_id, "person": newcomer.pk, "order": 9, "posts": "係長"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Participant.objects.get(person=newcomer).posts == ["係長"]


# --- publishers: the list, the review page, applying, rejecting ------------------------------


def test_publishers_see_the_count_and_the_list_and_a_field_by_field_diff(editor, publisher, live):
    old_posts = "、".join(first_participant(live).posts)
    propose_new_posts(editor, live)
    change_request = ChangeRequest.objects.get()
    assert "変更の依頼が1件あります" in publisher.get(REQUESTS).text
    assert "変更の依頼が1件あります" in publisher.get(reverse("admin:articles_article_changelist")).text
    listing = publisher.get(REQUESTS).text
    assert str(change_request) in listing
    listing = publisher.get(REQUESTS + "?kind=roundtable").text
    assert str(change_request) in listing and str(change_request) not in publisher.get(REQUESTS + "?kind=person").text
    review = publisher.get(admin_url(change_request)).text
    assert "変更前" in review and "変更後" in review
    assert f"<del>{old_posts}</del>" in review and "<ins>デジタル戦略部長</ins>" in review
    assert live.title in review and live.get_absolute_url() in review
    assert "変更を反映する" in review and "却下する" in review
    # An editor sees the request, not the buttons.
    review = editor.get(admin_url(change_request)).text
    assert "デジタル戦略部長" in review and "変更を反映する" not in review
    assert "変更の依頼が1件あります" not in editor.get(REQUESTS).text


def test_a_publisher_applies_it_the_public_page_changes_and_each_part_records_it(editor, publisher, live, client):
    public_text(client, live)  # cached
    token = ContentVersion.objects.get().token
    versions = Version.objects.get_for_object(live).count()
    propose_new_posts(editor, live)
    change_request = ChangeRequest.objects.get()
    mail.outbox.clear()

    response = publisher.post(admin_url(change_request, "apply"))
    assert response.status_code == 302
    assert "変更の依頼を反映しました" in publisher.get(response.url).text

    assert first_participant(live).posts == ["デジタル戦略部長"]
    assert ContentVersion.objects.get().token != token
    assert "デジタル戦略部長" in public_text(client, live)
    event = AuditEvent.objects.filter(article=live).first()
    assert event.user_name == "鈴木 太郎"
    assert "デジタル戦略部長" in event.note and "山田 花子さんの変更の依頼" in event.note
    assert Version.objects.get_for_object(live).count() == versions + 1
    latest = Version.objects.get_for_object(live).order_by("-pk").first()
    assert "デジタル戦略部長" in latest.revision.get_comment()
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.APPLIED and change_request.decided_by_name == "鈴木 太郎"
    assert [message.to for message in mail.outbox] == [["hanako@example.jp"]]
    assert "反映" in mail.outbox[0].subject


def test_a_change_of_a_person_shown_by_two_live_parts_is_recorded_on_both(editor, publisher, live):
    from articles.models import Article

    second = Article.objects.create(
        roundtable=live.roundtable,
        part_number=live.part_number + 1,
        title="後半の記事",
        slug="second-part",
        lead="リード",
    )
    publish(second)
    person = first_participant(live).person
    posted(editor, person, name="高橋 明")
    publisher.post(admin_url(ChangeRequest.objects.get(), "apply"))
    for part in (live, second):
        assert "人物「高橋 明」を変更しました" in AuditEvent.objects.filter(article=part).first().note
        assert "高橋 明" in Version.objects.get_for_object(part).order_by("-pk").first().revision.get_comment()


def test_applying_is_refused_if_the_record_changed_since_the_request(editor, publisher, live, client):
    propose_new_posts(editor, live)
    change_request = ChangeRequest.objects.get()
    participant = first_participant(live)
    participant.label_title = "別の変更"
    participant.save()
    review = publisher.get(admin_url(change_request)).text
    assert "そのものが変更されました" in review
    response = publisher.post(admin_url(change_request, "apply"))
    assert response.status_code == 302
    assert "反映しませんでした" in publisher.get(response.url).text
    participant.refresh_from_db()
    assert "デジタル戦略部長" not in participant.posts
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.PENDING


def test_a_request_that_no_longer_validates_is_refused_with_the_reason(editor, publisher, live):
    person = first_participant(live).person
    posted(editor, person, slug="taken-slug")
    Person.objects.create(name="他 人", slug="taken-slug")
    response = publisher.post(admin_url(ChangeRequest.objects.get(), "apply"))
    page = publisher.get(response.url).text
    assert "今の入力規則に合わない" in page
    person.refresh_from_db()
    assert person.slug != "taken-slug"


def test_a_publisher_rejects_with_a_reason_and_the_editor_is_told(editor, publisher, live):
    propose_new_posts(editor, live)
    change_request = ChangeRequest.objects.get()
    mail.outbox.clear()
    response = publisher.post(admin_url(change_request, "reject"), {"reason": ""})
    assert "却下の理由を書いてください" in publisher.get(response.url).text
    publisher.post(admin_url(change_request, "reject"), {"reason": "役職名は広報紙の表記に合わせます"})
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.REJECTED
    assert mail.outbox[0].to == ["hanako@example.jp"]
    assert "却下" in mail.outbox[0].subject and "役職名は広報紙の表記に合わせます" in mail.outbox[0].body
    listing = editor.get(REQUESTS + "?status__exact=rejected").text
    assert "役職名は広報紙の表記に合わせます" in listing
    assert "デジタル戦略部長" not in first_participant(live).posts
    # An answered request is not applied afterwards.
    response = publisher.post(admin_url(change_request, "apply"))
    assert "既に却下です" in publisher.get(response.url).text


def test_an_editor_cannot_apply_or_reject(editor, live):
    propose_new_posts(editor, live)
    change_request = ChangeRequest.objects.get()
    assert editor.post(admin_url(change_request, "apply")).status_code == 403
    assert editor.post(admin_url(change_request, "reject"), {"reason": "自分で"}).status_code == 403
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.PENDING
    assert editor.get(admin_url(change_request, "apply")).status_code == 405


def test_the_record_page_says_a_request_is_waiting(editor, publisher, live):
    propose_new_posts(editor, live)
    page = publisher.get(admin_url(live.roundtable)).text
    assert "確認待ちの変更の依頼が1件あります" in page


# --- a publisher's own change, as before ----------------------------------------------------


def test_a_publishers_change_shows_at_once_and_is_in_the_parts_audit_trail_and_history(publisher, live, client):
    person = first_participant(live).person
    old_name = person.name
    versions_before = Version.objects.get_for_object(live).count()
    response = posted(publisher, person, name="高橋 明")
    assert response.status_code == 302
    assert "高橋 明" in client.get(live.get_absolute_url()).text
    event = AuditEvent.objects.filter(article=live).first()
    assert event.user_name == "鈴木 太郎"
    assert "人物「高橋 明」を変更しました" in event.note and f"「{old_name}」→「高橋 明」" in event.note
    assert Version.objects.get_for_object(live).count() == versions_before + 1
    latest = Version.objects.get_for_object(live).order_by("-pk").first()
    assert f"「{old_name}」→「高橋 明」" in latest.revision.get_comment()
    history = publisher.get(reverse("admin:articles_article_history", args=[live.pk])).text
    assert "高橋 明" in history
    page = publisher.get(reverse("admin:articles_article_change", args=[live.pk])).text
    assert "人物「高橋 明」を変更しました" in page
    assert not ChangeRequest.objects.exists()


def test_a_publishers_change_of_a_participant_on_the_roundtable_page_is_recorded(publisher, live):
    roundtable = live.roundtable
    url, page = edit_page(publisher, roundtable)
    data = form_data(page.text, "roundtable_form")
    data["participants-0-posts"] = "デジタル戦略部長"
    response = publisher.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(article=live).first()
    assert "参加者" in event.note and "デジタル戦略部長" in event.note


def test_forum_and_roundtable_models_are_the_guarded_ones():
    assert all(live_content.guarded(model) for model in (Forum, Roundtable, Participant, Person, Organisation, Role))


def test_a_new_photo_of_a_live_person_cannot_ride_on_a_request_and_says_why(editor, live):
    from tests.support.images import image_file

    person = first_participant(live).person
    url, page = edit_page(editor, person)
    data = form_data(page.text, "person_form")
    data["photo"] = image_file(name="new.png")
    data["photo_alt"] = "新しい写真"
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "変更の依頼では差し替えられません" in response.text
    assert not ChangeRequest.objects.exists()
    person.refresh_from_db()
    assert not person.photo
