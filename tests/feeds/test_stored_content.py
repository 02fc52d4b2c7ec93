"""The feeds' per-part content comes from the part's stored rendition (articles.renditions,
articles.feed_items.feed_body): the feed is byte for byte the one rendered from the models
through the whole template, and never stale: whatever it shows changes, the next feed shows it."""

import datetime
import html
from collections import defaultdict

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from articles import corrections, feed_items, feeds, renditions
from articles.content import listed_participants, load_articles_content, load_participants, speaking_in
from articles.models import Article, Figure, Rendition, Section, SpeakerTurn, resolve_credit_affiliations
from forum.web.seo import absolute_url
from participants.models import Participant
from tests.support.factories import make_article, make_participant
from tests.support.feed_series import NOW
from tests.support.images import image_file
from tests.support.line_breaks import without_line_breaks
from tests.support.staff import make_publisher

SITE = "https://zadankai.example.jp"
FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/tokyo-cio-forum/rss/", "/feeds/tokyo-cio-forum/atom/"]


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.PAGE_CACHE = False  # the feed built on every request: these tests are about what it builds


def entries_from_models(articles, _renditions=None):
    """The feed's items as they were made before the content was stored: everything from the
    models, on every request, the whole template sanitised at once."""
    articles = list(articles)
    participants = load_participants({article.roundtable_id for article in articles})
    contents = load_articles_content(articles, participants)
    cast = defaultdict(list)
    for participant in participants.values():
        cast[participant.roundtable_id].append(participant)
    entries = []
    for article in articles:
        content = contents[article.pk]
        listed = listed_participants(cast[article.roundtable_id], speaking_in(content))
        credits = resolve_credit_affiliations(article.credits.all())
        link = absolute_url(article.get_absolute_url())
        people = [{"title": p.full_title, "name": p.person.name} for p in listed]
        html = render_to_string(
            feed_items.CONTENT_TEMPLATE,
            {
                "article": article,
                "content": content,
                "credits": credits,
                "participants_html": feed_items.participants_html(article.roundtable, people),
            },
        )
        writer = next((credit.name for credit, _ in credits if credit.is_writer), None)
        organisations = dict.fromkeys(p.organisation.name for p in listed if p.organisation)
        published = timezone.localtime(article.publish_at)
        entries.append(
            feed_items.FeedEntry(
                title=feed_items.xml_text(article.title),
                link=link,
                guid=feed_items.tag_uri(f"article:{article.pk}", timezone.localtime(article.created_at)),
                published=published,
                updated=max(published, timezone.localtime(article.updated_at)),
                summary=feed_items.feed_html(article.lead_html, link) or None,
                content=feed_items.feed_html(html, link),
                author=feed_items.xml_text(writer),
                categories=[feed_items.xml_text(n) for n in [article.roundtable.forum.name, *organisations]],
                enclosures=feed_items._header_enclosure(article),
            )
        )
    return entries


def from_models(client, monkeypatch, url):
    with monkeypatch.context() as patch:
        patch.setattr(feeds, "feed_entries", entries_from_models)
        return client.get(url).content


def content_of(client, url="/feeds/rss/"):
    """The feed as text, its items' HTML unescaped, without the readings' line-break marks."""
    return without_line_breaks(html.unescape(client.get(url).content.decode()))


@pytest.fixture
def rich_series(series, settings, tmp_path):
    """The feed series with all a part's content may hold: a guest who speaks only in the
    scheduled part (not listed until it is public), a moderator without turns (listed),
    participants without organisation, honorifics omitted, introduction and closing, a figure
    with an image, characters XML forbids, markup the feed must sanitise."""
    roundtable = series.part2.roundtable
    roundtable.honorifics_omitted = True
    roundtable.save()
    guest = make_participant(roundtable, name="来賓 次郎", organisation="八王子市", posts=("市長",))
    make_participant(roundtable, name="司会 三郎", posts=("司会",))
    section = Section.objects.create(article=series.scheduled, position=1, heading="来賓の話")
    SpeakerTurn.objects.create(section=section, position=1, speaker=guest, body="予約の記事で話します。")
    series.part1.introduction = "はじめに&ご挨拶 <これから>"
    series.part1.closing = "おわりに。詳しくは[こちら](/about/)。"
    series.part1.save()
    body = Section.objects.create(article=series.part1, position=1, heading="前半の見出し")
    speaker = Participant.objects.get(person__name="宮坂 学")
    SpeakerTurn.objects.create(section=body, position=1, speaker=speaker, body="改ページ\x0cの後も\u3000続きます。")
    SpeakerTurn.objects.create(section=body, position=2, body="―地の文です。")
    unsafe = '<p onclick="x()">危険<script>alert(1)</script><a href="/inside/">中</a></p>'
    SpeakerTurn.objects.filter(section__article=series.part2, position=4).update(body_html=unsafe, display_html=unsafe)
    renditions.invalidate([series.part2.pk])
    return series


@pytest.mark.parametrize("url", FEEDS)
def test_the_feed_from_stored_content_is_the_feed_from_the_models(client, rich_series, monkeypatch, url):
    expected = from_models(client, monkeypatch, url)
    assert "予約の記事で話します" not in expected.decode() and "来賓 次郎" not in expected.decode()
    assert "司会 三郎" in expected.decode() and "(敬称略)" in expected.decode()
    renditions.invalidate()
    made = client.get(url).content  # renders the parts' content now and stores it
    assert Rendition.objects.filter(release=renditions.RELEASE).exclude(feed_html="").count() >= 2
    # part1 holds a character XML forbids: its stored content is cleaned on each request.
    assert not Rendition.objects.get(article=rich_series.part1).summary["feed"]["xml_clean"]
    stored = client.get(url).content  # from the stored content
    assert made == expected
    assert stored == expected


def test_the_sample_article_reads_the_same_from_stored_content(client, demo, monkeypatch):
    for url in ["/feeds/rss/", "/feeds/atom/"]:
        expected = from_models(client, monkeypatch, url)
        client.get(url)
        assert client.get(url).content == expected


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_a_scheduled_part_and_its_guest_appear_when_its_time_comes(client, rich_series, time_machine, url):
    time_machine.move_to(NOW, tick=False)
    before = content_of(client, url)
    assert "予約の記事part4" not in before and "来賓 次郎" not in before
    time_machine.move_to(NOW + datetime.timedelta(days=2), tick=False)
    after = content_of(client, url)
    assert "予約の記事part4" in after and "予約の記事で話します" in after
    # The guest is now a public appearance: listed in the other parts of the roundtable too.
    assert after.count("市長:来賓 次郎") == 3


def test_a_part_taken_down_leaves_the_feed(client, series, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert series.part1.title in content_of(client)
    Article.objects.filter(pk=series.part1.pk).update(unpublish_at=NOW + datetime.timedelta(hours=1))
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    text = content_of(client)
    assert series.part1.title not in text and series.part2.title in text


def test_editing_a_turn_shows_in_the_next_feed(client, series):
    content_of(client)
    turn = SpeakerTurn.objects.get(section__article=series.part2, body__startswith="外部人材")
    turn.body = "外部人材は毎年採用しています。"
    turn.save()
    text = content_of(client)
    assert "外部人材は毎年採用しています" in text and "不定期に採用" not in text


def test_a_participants_new_title_shows_in_the_list_and_the_labels(client, series):
    content_of(client)
    participant = Participant.objects.get(person__name="高橋 晃")
    participant.posts = ["副市長"]
    participant.save()
    text = content_of(client)
    assert "町田市副市長(CIO補佐、CDO、CISO補佐):高橋 晃" in text  # the participants list
    assert "町田市副市長(CIO補佐、CDO、CISO補佐):高橋(以下「高橋」)" in text  # the first speaker label
    assert "総務部長" not in text


def test_a_figures_new_alt_text_and_a_removed_figure(client, series):
    content_of(client)
    figure = Figure.objects.get(section__article=series.part2)
    figure.alt_text, figure.caption = "窓口で相談する市民", "画像1 相談の様子"
    figure.save()
    text = content_of(client)
    assert "窓口で相談する市民" in text and "町田市の窓口の写真" not in text
    figure.delete()
    assert "窓口で相談する市民" not in content_of(client)


def test_a_new_header_image_and_credit(client, series):
    content_of(client)
    series.part1.header_image = image_file((64, 36), "red", name="new-header.png")
    series.part1.save()
    series.part1.credits.create(position=2, role="撮影", name="写真 太郎")
    text = content_of(client)
    assert f"{SITE}{series.part1.header_image.url}" in text and "撮影:写真 太郎" in text


def test_a_published_correction_shows_in_the_next_feed(client, series):
    publisher = make_publisher()
    section = Section.objects.create(article=series.part1, position=1, heading="前半の見出し")
    SpeakerTurn.objects.create(section=section, position=1, body="―前半の地の文です。")
    assert "前半の地の文です" in content_of(client)
    draft, _ = corrections.start_correction(series.part1, publisher)
    turn = SpeakerTurn.objects.get(section__article=draft)
    turn.body = "―訂正した地の文です。"
    turn.save()
    assert "訂正した" not in content_of(client)  # the public keeps the live part meanwhile
    corrections.publish_correction(draft, publisher)
    text = content_of(client)
    assert "訂正した地の文です" in text and "前半の地の文です" not in text


def test_content_stored_by_other_code_or_for_another_site_address_is_never_served(client, series, settings):
    content_of(client)
    Rendition.objects.update(release="old-code", feed_html="<p>古いコードの本文</p>")
    text = content_of(client)
    assert "古いコードの本文" not in text and "外部人材は不定期に採用" in text
    settings.SITE_URL = "https://new.example.jp"
    text = content_of(client)
    assert SITE not in text and "https://new.example.jp/articles/machida-part2/" in text


def test_the_participants_place_survives_any_content(client, series):
    """Whatever the lead holds, the list goes where the template puts it."""
    series.part2.lead = "先頭に\ue000見慣れない文字\ue000があります。"
    series.part2.save()
    text = content_of(client)
    assert text.index("見慣れない文字") < text.index("参加者") < text.index("事例体験による人材育成")


def test_a_part_without_participants_or_lead(client, series, monkeypatch):
    bare = make_article(series.part1.roundtable.__class__.objects.create(forum=series.forum, number=99, title="空"))
    expected = from_models(client, monkeypatch, "/feeds/rss/")
    client.get("/feeds/rss/")
    assert client.get("/feeds/rss/").content == expected
    assert bare.title in expected.decode()
