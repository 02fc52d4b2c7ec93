"""The part page's stored body (articles.renditions) is never stale: whatever it prints is
changed, the next request shows the change; and it is the page the templates make."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import corrections, renditions
from articles.models import Article, Figure, Rendition, Section, SpeakerTurn
from articles.readings import regenerate
from participants.models import Organisation, Participant, Person, Role
from readings.models import ReadingEntry
from tests.support.factories import make_article, make_long_article, make_participant, make_roundtable
from tests.support.line_breaks import without_line_breaks
from tests.support.staff import make_publisher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_each_time(settings):
    """The view itself on every request: these tests are about what it serves, not the page cache."""
    settings.PAGE_CACHE = False


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return without_line_breaks(response.content.decode())


def stored(article):
    return Rendition.objects.get(article=article)


@pytest.fixture
def part():
    roundtable = make_roundtable()
    speaker = make_participant(
        roundtable, name="高橋 晃", organisation="町田市", posts=("総務部長",), roles=("CIO",), label="高橋"
    )
    article = make_article(roundtable)
    section = Section.objects.create(article=article, position=1, heading="はじめに")
    SpeakerTurn.objects.create(section=section, position=1, speaker=speaker, body="最初の発言です。")
    SpeakerTurn.objects.create(section=section, position=2, speaker=speaker, body="二つ目の発言です。")
    return article


def test_the_first_request_stores_the_body_and_the_next_serve_it_unchanged(client, part):
    first = client.get(part.get_absolute_url()).content
    assert stored(part).release == renditions.RELEASE
    assert "最初の発言です" in without_line_breaks(stored(part).body_html)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(part.get_absolute_url()).content
    assert second == first
    # Served from the rendition: no section, turn or figure is read.
    body_tables = ('SELECT "articles_section"', 'SELECT "articles_speakerturn"', 'SELECT "articles_figure"')
    assert not [q for q in queries if q["sql"].startswith(body_tables)]


def test_a_stored_body_from_another_release_is_never_served(client, part):
    client.get(part.get_absolute_url())
    Rendition.objects.filter(article=part).update(release="old-code", body_html="<p>古い本文</p>")
    text = page(client, part)
    assert "古い本文" not in text and "最初の発言です" in text
    assert stored(part).release == renditions.RELEASE


def test_editing_a_turn_shows_the_new_text(client, part):
    page(client, part)
    turn = SpeakerTurn.objects.get(body="最初の発言です。")
    turn.body = "直した発言です。"
    turn.save()
    text = page(client, part)
    assert "直した発言です" in text and "最初の発言です" not in text


def test_deleting_and_adding_turns_and_sections(client, part):
    page(client, part)
    SpeakerTurn.objects.get(body="二つ目の発言です。").delete()
    assert "二つ目の発言です" not in page(client, part)
    section = Section.objects.create(article=part, position=2, heading="新しい見出し")
    SpeakerTurn.objects.create(section=section, position=1, body="足した地の文。")
    text = page(client, part)
    assert "新しい見出し" in text and "足した地の文" in text
    section.delete()
    assert "新しい見出し" not in page(client, part)


def test_renaming_a_participant_and_a_person_shows_the_new_names(client, part):
    assert "高橋" in page(client, part)
    participant = Participant.objects.get()
    person = participant.person
    person.name, person.reading = "髙橋 明", "たかはしあきら"
    person.save()
    participant.label = "髙橋"
    participant.save()
    text = page(client, part)
    assert "髙橋 明" in text  # the participants box
    assert ">髙橋</a>" in text and "(以下「髙橋」)" in text  # the speaker labels in the body
    assert 'data-speaker="たかはしあきら"' in text  # 読み上げ's reading
    assert ">高橋</a>" not in text


def test_changing_an_organisation_or_a_role_changes_the_printed_titles(client, part):
    assert "町田市総務部長" in page(client, part)
    organisation = Organisation.objects.get(name="町田市")
    organisation.short_name = "市"
    organisation.save()
    assert "市総務部長" in page(client, part) and "町田市総務部長" not in page(client, part)
    role = Role.objects.get(abbreviation="CIO")
    role.full_name = "最高情報責任者"
    role.save()
    assert '<abbr title="最高情報責任者">CIO</abbr>' in page(client, part)
    participant = Participant.objects.get()
    participant.roles.add(Role.objects.create(abbreviation="CDO", sort_order=200))
    assert "CDO" in page(client, part)
    participant.roles.clear()
    assert "CIO" not in page(client, part)


def test_changing_a_figures_alt_text_and_caption(client, part, settings, tmp_path):
    from tests.support.images import image_file

    settings.MEDIA_ROOT = tmp_path
    figure = Figure.objects.create(
        section=part.sections.get(),
        position=1,
        image=image_file(name="hall.png"),
        alt_text="会場の様子",
        caption="会場",
    )
    assert 'alt="会場の様子"' in page(client, part)
    figure.alt_text, figure.caption = "発言する高橋さん", "高橋さん"
    figure.save()
    text = page(client, part)
    assert 'alt="発言する高橋さん"' in text and 'alt="会場の様子"' not in text
    figure.delete()
    assert "発言する高橋さん" not in page(client, part)


def test_publishing_a_correction_shows_the_new_body(client, part):
    publisher = make_publisher()
    page(client, part)
    draft, _ = corrections.start_correction(part, publisher)
    turn = SpeakerTurn.objects.get(section__article=draft, body="最初の発言です。")
    turn.body = "訂正した発言です。"
    turn.save()
    assert "訂正した発言です" not in page(client, part)  # the public keeps the live body meanwhile
    corrections.publish_correction(draft, publisher)
    text = page(client, part)
    assert "訂正した発言です" in text and "最初の発言です" not in text


def test_a_new_reading_in_the_dictionary_reaches_the_stored_furigana(client, part):
    page(client, part)
    ReadingEntry.objects.create(word="発言", reading="はつげんX")
    assert "はつげんX" in page(client, part)


def test_bulk_changes_that_send_no_signals_leave_no_stale_body(client, part):
    page(client, part)
    # As the importer, the block order and regenerate_readings do: bulk writes, then invalidate.
    SpeakerTurn.objects.filter(section__article=part, body="最初の発言です。").update(
        body_html="<p>一括で直しました。</p>", display_html=""
    )
    regenerate(Article.objects.filter(pk=part.pk))
    assert "一括で直しました" in page(client, part)


def test_a_page_rendered_from_rows_read_before_a_change_is_not_stored(client, part):
    page(client, part)
    renditions.invalidate([part.pk])
    article = Article.objects.select_related("rendition").get(pk=part.pk)
    seen = article.rendition.generation
    renditions.invalidate([part.pk])  # another change lands while this request renders
    renditions.store(article, {"body_html": "<p>古い行から</p>"}, seen)
    assert stored(part).release == ""
    assert "古い行から" not in page(client, part)


def test_rebuild_renditions_stores_every_part(client):
    parts = [make_long_article(3, placeholders=False) for _ in range(3)]
    Rendition.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_renditions", stdout=out)
    assert "3 part(s)" in out.getvalue()
    for article in parts:
        assert stored(article).release == renditions.RELEASE
        assert page(client, article).count('class="turn"') == 3


def test_load_demo_leaves_a_current_body_that_follows_a_new_reading(client):
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.get()
    text = page(client, article)
    person = Person.objects.get(name="高橋 晃")
    assert 'data-speaker="たかはし あきら"' in text  # set by load_demo after the import
    person.reading = "たかばしあきら"
    person.save()
    assert 'data-speaker="たかばしあきら"' in page(client, article)


def test_the_part_pages_back_numbers_follow_the_rule_of_the_forum_page(client):
    """recent_back_numbers() (the part page) lists what back_numbers() (the forum page) does:
    public roundtables, their public parts, and the organisations of public appearances only
    (a guest who speaks only in a scheduled part is not one; a moderator without turns is)."""
    import datetime

    from django.utils import timezone

    from articles.visibility import back_numbers, organisations_of, recent_back_numbers
    from tests.support.factories import make_forum

    forum = make_forum()
    for number in range(1, 5):
        roundtable = make_roundtable(forum, number=number)
        regular = make_participant(roundtable, name=f"常連{number} 花子", organisation=f"市{number}")
        guest = make_participant(roundtable, name=f"来賓{number} 次郎", organisation=f"県{number}")
        make_participant(roundtable, name=f"司会{number} 三郎", organisation=f"区{number}")
        public = make_article(roundtable, part_number=1)
        later = make_article(
            roundtable, part_number=2, publish_at=timezone.now() + datetime.timedelta(days=1), published=True
        )
        for part, speaker in ((public, regular), (later, guest)):
            section = Section.objects.create(article=part, position=1, heading="見出し")
            SpeakerTurn.objects.create(section=section, position=1, speaker=speaker, body="発言です。")
    make_roundtable(forum, number=9)  # no part: not public, not listed

    expected = [(r.number, [p.pk for p in r.public_parts], organisations_of(r)) for r in back_numbers(forum, limit=3)]
    got = [(r.number, [p.pk for p in r.public_parts], r.organisations) for r in recent_back_numbers(forum, 3)]
    assert got == expected
    assert got[0][0] == 4 and got[0][2] == ["市4", "区4"]


def test_the_migration_fills_the_renditions_of_existing_parts(client):
    import importlib

    from django.apps import apps

    parts = [make_long_article(2, placeholders=False) for _ in range(2)]
    Rendition.objects.all().delete()
    importlib.import_module("articles.migrations.0015_fill_renditions").fill(apps, None)
    assert set(Rendition.objects.filter(release=renditions.RELEASE).values_list("article_id", flat=True)) == {
        part.pk for part in parts
    }


def test_compiled_templates_are_kept_with_debug_off():
    from django.template import engines

    loader = engines["django"].engine.template_loaders[0]
    assert type(loader).__module__ == "django.template.loaders.cached"
