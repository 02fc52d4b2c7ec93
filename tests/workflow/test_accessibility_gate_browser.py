"""The accessibility gate in Debian's Chromium: a publisher sees the errors on the part's page
and in its preview (itself free of axe and Nu findings), is refused when publishing, fixes the
alt text and publishes."""

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

import articles.migrations as articles_migrations
from articles.models import Article, ArticleStatus, Figure, Section, SpeakerTurn
from tests.support import quality
from tests.support.factories import make_article, make_participant
from tests.support.images import image_file
from tests.support.staff import PASSWORD, make_publisher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def workflow_groups():
    """A transactional test may start from a flushed database: make the groups as the migration does."""
    (path,) = Path(articles_migrations.__file__).parent.glob("*_editor_and_publisher_groups.py")
    migration = importlib.import_module(f"articles.migrations.{path.stem}")
    migration.create_groups(django_apps, SimpleNamespace(connection=connection))


@pytest.fixture
def part():
    article = make_article(published=False, title="町田市×都CIOの座談会を実施しました!part2", slug="machida-part2")
    speaker = make_participant(article.roundtable, label="高橋")
    section = Section.objects.create(article=article, position=1, heading="事例体験による人材育成")
    SpeakerTurn.objects.create(section=section, position=1, speaker=speaker, body="体験が一番のOJTです。")
    Figure.objects.create(
        section=section,
        position=2,
        reference="画像1",
        image=image_file((320, 180), frame=True, name="kaigi.png"),
        alt_text="画像",
        caption="町田市役所にて",
    )
    return article


def test_publishing_is_refused_until_the_alt_text_is_fixed(admin_page, live_server, part):
    publisher = make_publisher("taro", "鈴木 太郎")
    change = f"{live_server.url}{reverse('admin:articles_article_change', args=[part.pk])}"
    page = admin_page(publisher, PASSWORD, next=change)
    page.goto(change)
    findings = page.locator(".accessibility-findings")
    expect(findings).to_contain_text("エラー 1件")
    expect(findings).to_contain_text("代替テキスト「画像」は画像の内容を説明していません")

    # The preview lists the same, linked to the place on the page, and passes axe and Nu.
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="プレビュー(新しいタブ)").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    banner = preview.locator(".preview-banner .accessibility-findings")
    expect(banner).to_contain_text("見出し「事例体験による人材育成」の画像1")
    banner.get_by_role("link", name="見出し「事例体験による人材育成」の画像1").click()
    expect(preview).to_have_url(
        f"{live_server.url}{reverse('articles:article_preview', args=[part.pk])}#section-{part.sections.get().pk}"
    )
    violations = quality.axe_violations(preview)
    assert violations == [], quality.format_violations(violations)
    html = preview.request.get(preview.url.split("#")[0]).text()
    results = quality.validate_html({"preview with findings": html})
    assert not results["preview with findings"], quality.format_html_errors(results)
    quality.screenshot(preview, "workflow/accessibility-preview-1280")
    preview.close()

    # Publishing: refused, with the list; nothing saved.
    page.select_option("select[name=status]", "published")
    page.click("input[name=_continue]")
    refusal = page.locator(".errornote, .errorlist.nonfield")
    expect(refusal.last).to_contain_text("アクセシビリティの問題が1件あるため、公開・公開予約できません")
    expect(page.locator(".errorlist.nonfield a", has_text="の画像1")).to_be_visible()
    part.refresh_from_db()
    assert part.status == ArticleStatus.DRAFT
    expect(page.locator(".publication-state")).to_contain_text("状態: 下書き")  # as stored, not as typed
    quality.screenshot(page, "workflow/accessibility-refused-1280")

    # Fixed in the same form (the status is still 公開 there): published.
    # The error links to the field itself.
    page.locator(".errorlist.nonfield a", has_text="の画像1").click()
    alt = page.locator("input[name$='-alt_text']:not([name*='__prefix__'])")
    expect(page).to_have_url(f"{change}#id_sections-0-figures-0-alt_text")
    expect(alt).to_be_in_viewport()
    expect(alt).to_have_value("画像")
    alt.fill("机を囲んで話す町田市と都の参加者4人")
    expect(page.locator("select[name=status]")).to_have_value("published")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".accessibility-findings")).to_contain_text("問題は見つかりませんでした")
    assert Article.objects.published().filter(pk=part.pk).exists()
    page.goto(f"{live_server.url}{part.get_absolute_url()}")
    expect(page.locator("figure img")).to_have_attribute("alt", "机を囲んで話す町田市と都の参加者4人")
