"""No publishing with accessibility errors: the part's admin page and preview list them, the
form and the list actions refuse to publish or schedule, a fixed part goes through, and a
holder of the separate permission may publish anyway with a reason kept in the audit trail."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleStatus, AuditAction, AuditEvent, Figure, Section, SpeakerTurn
from tests.support.factories import make_article, make_participant
from tests.support.images import image_file
from tests.support.staff import change_form, change_url, make_publisher, save

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def publisher(client):
    user = make_publisher(full_name="鈴木 太郎")
    client.force_login(user)
    return user


def grant_override(user):
    user.user_permissions.add(Permission.objects.get(codename="publish_despite_accessibility"))


def flawed_part():
    """A draft with the four errors of the issue: alt text 「画像」, a figure with no image,
    link text こちら, and a 小見出し without its 見出し (an empty h2)."""
    article = make_article(published=False, title="町田市×都CIOの座談会を実施しました!part2")
    speaker = make_participant(article.roundtable, label="高橋")
    first = Section.objects.create(article=article, position=1, heading="事例体験による人材育成")
    SpeakerTurn.objects.create(
        section=first, position=1, speaker=speaker, body="資料は[こちら](https://example.jp/plan.pdf)にあります。"
    )
    Figure.objects.create(section=first, position=2, reference="画像1", image=image_file(name="a.png"), alt_text="画像")
    Figure.objects.create(section=first, position=3, reference="画像2")
    second = Section.objects.create(article=article, position=2, heading="", subheading="座学よりも体験が一番のOJT")
    SpeakerTurn.objects.create(section=second, position=1, speaker=speaker, body="体験が一番です。")
    return article


def fix(data, article):
    """The change form's data with every error corrected, as an editor would type it."""
    alt_name = next(name for name, value in data.items() if name.endswith("-alt_text") and value == "画像")
    data[alt_name] = "机を囲んで話す町田市と都の参加者4人"
    figure_prefix = next(
        name[: -len("-reference")] for name, value in data.items() if name.endswith("-reference") and value == "画像2"
    )
    data[f"{figure_prefix}-DELETE"] = "on"
    body = next(name for name, value in data.items() if name.endswith("-body") and "こちら" in value)
    data[body] = "資料は[町田市デジタル化推進計画(PDF)](https://example.jp/plan.pdf)にあります。"
    heading = next(
        name for name, value in data.items() if name.endswith("-subheading") and value == "座学よりも体験が一番のOJT"
    )
    data[heading.replace("-subheading", "-heading")] = "座学よりも体験"
    return data


def publish_data(client, article, **extra):
    data = change_form(client, article)
    data.update({"status": "published", "publish_at_0": "", "publish_at_1": "", **extra})
    return data


def test_change_page_and_preview_list_the_errors_with_where_they_are(client, publisher):
    article = flawed_part()
    figure = Figure.objects.get(reference="画像1")
    for url in (change_url(article), reverse("articles:article_preview", args=[article.pk])):
        page = client.get(url).text
        assert "アクセシビリティの確認" in page
        assert "エラー 4件" in page, url
        assert "代替テキスト「画像」は画像の内容を説明していません" in page
        assert "画像がまだ入っていません" in page
        assert "リンクの文字「こちら」だけでは行き先が分かりません" in page
        assert "小見出しだけで見出しがありません" in page
        assert "見出し「事例体験による人材育成」の画像1" in page
    turn = SpeakerTurn.objects.get(body__contains="こちら")
    # On the change page each links to its form field; in the preview to its place on the page.
    admin_page = client.get(change_url(article)).text
    for field in ("sections-0-figures-0-alt_text", "sections-0-figures-1-image", "sections-0-turns-0-body"):
        assert f'href="{change_url(article)}#id_{field}"' in admin_page and f'id="id_{field}"' in admin_page
    assert f'href="{change_url(article)}#id_sections-1-heading"' in admin_page
    preview = client.get(reverse("articles:article_preview", args=[article.pk])).text
    assert f'href="#{turn.anchor}"' in preview and f'href="#{figure.section.anchor}"' in preview


def test_the_form_refuses_to_publish_with_the_list_and_saves_nothing(client, publisher):
    article = flawed_part()
    data = publish_data(client, article, title="直した題")
    response = save(client, article, data)
    assert response.status_code == 200
    assert "アクセシビリティの問題が4件あるため、公開・公開予約できません" in response.text
    assert "直した題" in response.text  # what was typed is still in the form
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and article.title != "直した題"
    assert not AuditEvent.objects.filter(article=article, action=AuditAction.PUBLISHED).exists()


def test_the_form_refuses_to_schedule_too(client, publisher):
    article = flawed_part()
    data = publish_data(client, article, publish_at_0="2099-04-01", publish_at_1="10:00:00")
    assert "公開・公開予約できません" in save(client, article, data).text
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_fixing_the_errors_in_the_same_save_publishes(client, publisher):
    article = flawed_part()
    response = save(client, article, fix(publish_data(client, article), article))
    assert response.status_code == 302, response.text[:3000]
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert workflow.accessibility_errors(article) == []
    assert "問題は見つかりませんでした" in client.get(change_url(article)).text


def test_a_warning_does_not_stop_publishing(client, publisher):
    article = flawed_part()
    data = fix(publish_data(client, article), article)
    alt_name = next(name for name, value in data.items() if name.endswith("-alt_text") and value.startswith("机"))
    data[alt_name] = "机を囲んで話す参加者" * 25  # over 200 characters
    assert save(client, article, data).status_code == 302
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_the_publish_action_refuses_a_part_with_errors_and_publishes_the_others(client, publisher):
    flawed, clean = flawed_part(), make_article(published=False, title="問題のない記事")
    confirm = client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [flawed.pk, clean.pk]}
    )
    assert "アクセシビリティの問題が4件あるため、この記事は公開されません" in confirm.text
    assert "問題を残して公開する理由" not in confirm.text  # no permission to override
    done = client.post(
        reverse(CHANGELIST),
        {"action": "publish_selected", "_selected_action": [flawed.pk, clean.pk], "confirmed": "yes"},
        follow=True,
    )
    assert "1件の記事を公開しました" in done.text
    assert "「町田市×都CIOの座談会を実施しました!part2」にはアクセシビリティの問題が4件" in done.text
    assert set(Article.objects.published().values_list("title", flat=True)) == {"問題のない記事"}


def test_the_workflow_refuses_whatever_the_path():
    article = flawed_part()
    with pytest.raises(workflow.AccessibilityRefused) as refused:
        workflow.publish_now(
            article, make_publisher("jiro"), reason="急ぎ"
        )  # a reason is not enough without the permission
    assert len(refused.value.errors) == 4
    with pytest.raises(workflow.AccessibilityRefused):
        workflow.set_publication(
            article, make_publisher("saburo"), ArticleStatus.PUBLISHED, timezone.now() + datetime.timedelta(days=1)
        )
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_the_override_permission_has_a_japanese_name_and_publishers_do_not_hold_it(publisher):
    permission = Permission.objects.get(codename="publish_despite_accessibility")
    assert permission.name == "アクセシビリティの問題が残る記事を、理由を記録して公開できる"
    assert not publisher.has_perm(workflow.OVERRIDE_PERMISSION)


def test_override_with_a_reason_publishes_and_the_reason_is_in_the_audit_trail(client, publisher):
    grant_override(publisher)
    article = flawed_part()
    page = client.get(change_url(article)).text
    assert "問題を残して公開する理由" in page
    refused = save(client, article, publish_data(client, article))  # no reason given: still refused
    assert "「問題を残して公開する理由」を書いて" in refused.text
    reason = "画像の説明は撮影者に確認中。1月21日までに直す"
    response = save(client, article, publish_data(client, article, accessibility_reason=reason))
    assert response.status_code == 302, response.text[:3000]
    assert Article.objects.published().filter(pk=article.pk).exists()
    event = AuditEvent.objects.get(article=article, action=AuditAction.ACCESSIBILITY_OVERRIDE)
    assert event.user_name == "鈴木 太郎"
    assert event.note == f"アクセシビリティの問題4件を残して公開。理由: {reason}"
    trail = client.get(change_url(article)).text
    trail = trail[trail.index("操作記録(") :]
    assert "アクセシビリティの問題を残して公開" in trail and reason in trail


def test_override_through_the_publish_action(client, publisher):
    grant_override(publisher)
    article = flawed_part()
    confirm = client.post(reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [article.pk]})
    assert "問題を残して公開する理由" in confirm.text
    client.post(
        reverse(CHANGELIST),
        {
            "action": "publish_selected",
            "_selected_action": [article.pk],
            "confirmed": "yes",
            "accessibility_reason": "訂正は翌日",
        },
    )
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert AuditEvent.objects.get(action=AuditAction.ACCESSIBILITY_OVERRIDE).note.endswith("理由: 訂正は翌日")


def test_the_demo_part_has_no_accessibility_errors(demo):
    assert workflow.accessibility_errors(demo) == []
