"""The editors' admin: every page renders in Japanese, and a long part stays cheap to open."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Credit, Figure, Section, SpeakerTurn
from forum.models import Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role
from tests.support.factories import make_article, make_long_article, make_participant, make_roundtable
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [Forum, Roundtable, Article, Person, Organisation, Role, Participant]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def content(db):
    article = make_long_article(3)
    Organisation.objects.get_or_create(name="町田市")
    make_role("CIO")
    return article


def make_role(name):
    return Role.objects.get_or_create(abbreviation=name)[0]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_list_add_and_change_pages_render_in_japanese(editor_client, content, model):
    listing = editor_client.get(_url(model, "changelist"))
    assert listing.status_code == 200
    assert 'lang="ja"' in listing.text
    assert str(model._meta.verbose_name_plural) in listing.text

    assert editor_client.get(_url(model, "add")).status_code == 200

    obj = model.objects.first()
    change = editor_client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert "保存" in change.text


def test_article_list_searches_and_filters_by_forum_status_and_year(editor_client):
    kept = make_article(title="町田市×都CIOの座談会を実施しました!part2")
    make_article(title="別の座談会", published=False)
    listing = editor_client.get(_url(Article, "changelist"), {"q": "町田市"})
    assert kept.title in listing.text and "別の座談会" not in listing.text
    by_status = editor_client.get(_url(Article, "changelist"), {"status__exact": "draft"})
    assert "別の座談会" in by_status.text and kept.title not in by_status.text
    year = kept.publish_at.astimezone().year
    by_year = editor_client.get(_url(Article, "changelist"), {"year": str(year)})
    assert kept.title in by_year.text and "別の座談会" not in by_year.text
    by_forum = editor_client.get(
        _url(Article, "changelist"), {"roundtable__forum__id__exact": kept.roundtable.forum_id}
    )
    assert kept.title in by_forum.text and "別の座談会" not in by_forum.text


def test_speaker_choices_are_limited_to_the_roundtables_participants(editor_client):
    article = make_long_article(4)
    outsider = make_participant(make_roundtable(), name="部外 者", label="部外")
    page = editor_client.get(_url(Article, "change", article.pk)).text
    assert "話者1" in page
    assert "部外" not in page
    assert outsider.label == "部外"


def _change_page_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(Article, "change", article.pk))
    assert response.status_code == 200
    return len(queries)


def test_change_page_of_a_long_part_does_not_query_per_turn(editor_client):
    small = make_long_article(20)
    large = make_long_article(200)
    assert SpeakerTurn.objects.filter(section__article=large).count() == 200
    small_count = _change_page_queries(editor_client, small)
    large_count = _change_page_queries(editor_client, large)
    # 200 turns live in 10 sections (20 per section); the count may grow per section,
    # never per turn: allow at most a handful of queries per extra section.
    extra_sections = large.sections.count() - small.sections.count()
    assert large_count - small_count <= 3 * extra_sections, (small_count, large_count)


def test_saving_the_change_page_unchanged_keeps_every_turn(editor_client):
    article = make_long_article(30)
    page = editor_client.get(_url(Article, "change", article.pk)).text
    data = form_data(page, "article_form")
    response = editor_client.post(_url(Article, "change", article.pk), data)
    assert response.status_code == 302, response.text[:3000]
    assert SpeakerTurn.objects.filter(section__article=article).count() == 30
    assert Credit.objects.filter(article=article).count() == 1


def test_changing_a_speaker_to_an_outsider_is_refused_with_their_name(editor_client):
    article = make_long_article(2)
    outsider = make_participant(make_roundtable(), name="宮坂 学", label="宮坂")
    page = editor_client.get(_url(Article, "change", article.pk)).text
    data = form_data(page, "article_form")
    speaker_fields = sorted(name for name in data if name.endswith("-speaker"))
    data[speaker_fields[0]] = str(outsider.pk)
    body_before = SpeakerTurn.objects.filter(section__article=article).order_by("position").first().body
    data[speaker_fields[0].replace("-speaker", "-body")] = "書きかけの発言"
    response = editor_client.post(_url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert "「宮坂 学」はこの座談会の参加者ではありません" in response.text
    assert "書きかけの発言" in response.text  # the editor's typing is still in the form
    assert SpeakerTurn.objects.filter(section__article=article).order_by("position").first().body == body_before


def test_roundtable_page_edits_participants_with_posts_and_roles(editor_client):
    roundtable = make_roundtable()
    machida = Organisation.objects.create(name="町田市")
    roles = [
        Role.objects.create(abbreviation=name, sort_order=i) for i, name in enumerate(["CIO補佐", "CDO", "CISO補佐"])
    ]
    person = Person.objects.create(name="高橋 晃", reading="たかはし あきら")
    page = editor_client.get(_url(Roundtable, "change", roundtable.pk)).text
    data = form_data(page, "roundtable_form")
    data.update(
        {
            "participants-TOTAL_FORMS": "1",
            "participants-0-order": "1",
            "participants-0-person": str(person.pk),
            "participants-0-organisation": str(machida.pk),
            "participants-0-posts": "総務部長兼情報システム担当部長",
            "participants-0-roles": [str(role.pk) for role in roles],
            "participants-0-label": "",
            "participants-0-roundtable": str(roundtable.pk),
        }
    )
    response = editor_client.post(_url(Roundtable, "change", roundtable.pk), data)
    assert response.status_code == 302, response.text[:3000]
    participant = Participant.objects.get(roundtable=roundtable)
    assert participant.posts == ["総務部長", "情報システム担当部長"]
    assert participant.full_title == "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)"
    assert participant.label == "高橋"


def test_new_part_records_who_created_it(editor_client, editor):
    roundtable = make_roundtable()
    page = editor_client.get(_url(Article, "add")).text
    data = form_data(page, "article_form")
    data.update(
        {
            "roundtable": str(roundtable.pk),
            "part_number": "1",
            "title": "新しい記事",
            "slug": "new-article",
            "status": "draft",
            "publish_at_0": "",
            "publish_at_1": "",
        }
    )
    response = editor_client.post(_url(Article, "add"), data)
    assert response.status_code == 302, response.text[:3000]
    article = Article.objects.get(slug="new-article")
    assert article.created_by == editor and article.updated_by == editor


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(_url(Article, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
