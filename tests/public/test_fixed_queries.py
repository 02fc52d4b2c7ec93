"""The public pages' queries whose SQL is built once per process (forum.fixed_queries): each
gives what its queryset gives through the ORM, for every state a part can be in and at every
time, and a query that cannot be kept safely is refused when it is first prepared."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import corrections, views
from articles import renditions
from articles.models import Article, Rendition, SpeakerTurn, TurnCount
from articles.visibility import back_numbers, public_parts, recent_back_numbers
from forum import page_cache
from forum.fixed_queries import SAMPLE_TEXTS, SAMPLE_TIMES, FixedQuery
from forum.models import ContentVersion, Roundtable, SiteSettings
from tests.support.factories import make_article, make_forum, make_long_article, make_participant, make_roundtable
from tests.support.staff import make_publisher

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.fixture
def forum_in_every_state():
    """A forum of 13 roundtables: public ones, one only scheduled, one only a draft, one taken
    down, and guests who speak in a draft, in a scheduled part, in a public part and a draft,
    or not at all; a live part with a correction draft in which a new guest speaks."""
    forum = make_forum(name="状態のいろいろなフォーラム")
    now = timezone.now()
    for number in range(1, 11):
        article = make_long_article(3, roundtable=make_roundtable(forum, number=number), placeholders=False)
        make_participant(article.roundtable, name=f"区長{number} 太郎", organisation=f"第{number}区役所")
    busy = Roundtable.objects.get(forum=forum, number=10)
    later = make_article(busy, part_number=2, title="後半(予約)", publish_at=now + 2 * HOUR)
    draft = make_article(busy, part_number=3, title="番外(下書き)", published=False)
    for name, organisation, part in (
        ("予約 花子", "予約の市役所", later),
        ("下書き 次郎", "下書きの町役場", draft),
        ("発言なし 三郎", "聞き役の村役場", None),
    ):
        guest = make_participant(busy, name=name, organisation=organisation)
        if part:
            section = part.sections.create(position=1, heading="見出し")
            SpeakerTurn.objects.create(section=section, position=1, speaker=guest, body="よろしくお願いします。")
    both = make_participant(busy, name="両方 四郎", organisation="両方の区役所")
    for part in (busy.articles.get(part_number=1), draft):
        section = part.sections.create(position=9, heading="追加")
        SpeakerTurn.objects.create(section=section, position=1, speaker=both, body="両方で話します。")
    corrected = Article.objects.get(roundtable__forum=forum, roundtable__number=9)
    correction, _ = corrections.start_correction(corrected, make_publisher())
    newcomer = make_participant(corrected.roundtable, name="修正版 五郎", organisation="修正版の市役所")
    section = correction.sections.create(position=9, heading="修正で足した節")
    SpeakerTurn.objects.create(section=section, position=1, speaker=newcomer, body="修正版でだけ話します。")
    make_article(make_roundtable(forum, number=11), title="予約だけの座談会", publish_at=now + 2 * HOUR)
    make_article(make_roundtable(forum, number=12), title="下書きだけの座談会", published=False)
    gone = make_article(make_roundtable(forum, number=13), title="公開終了の座談会")
    gone.unpublish_at = now + HOUR
    gone.save()
    return forum, later, gone


def listing(roundtables, organisations=True):
    """What the back-number box prints of each roundtable: its public parts, the public
    appearances with an organisation in their order (the box names the organisations), and
    the organisations it prints (recent_back_numbers sets them)."""
    return [
        (
            roundtable.number,
            [part.title for part in roundtable.public_parts],
            [participant.person.name for participant in roundtable.listed_participants if participant.organisation_id],
            *([roundtable.organisations] if organisations else []),
        )
        for roundtable in roundtables
    ]


def orm_listing(roundtables):
    from articles.visibility import organisations_of

    return [(*row, organisations_of(roundtable)) for row, roundtable in zip(listing(roundtables, False), roundtables)]


@pytest.mark.parametrize("limit", [3, 11, 40])
def test_the_back_numbers_are_those_of_the_orm_at_every_time(forum_in_every_state, limit):
    forum, later, gone = forum_in_every_state
    # back_numbers() (the forum page's list) is the ORM's nested EXISTS: the same rule.
    moments = {
        "now": timezone.now(),
        "scheduled part out": later.publish_at + datetime.timedelta(seconds=1),
        "taken down": gone.unpublish_at + HOUR,
    }
    made = {}
    for label, moment in moments.items():
        with time_machine.travel(moment):
            made[label] = listing(recent_back_numbers(forum, limit))
            assert made[label] == orm_listing(back_numbers(forum, limit)), label
    numbers = [row[0] for row in made["now"]]
    assert numbers == [13, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1][:limit]  # not 11 (scheduled) or 12 (a draft)
    if limit > 3:
        guests = {row[0]: row[2] for row in made["now"]}[10]
        assert "発言なし 三郎" in guests  # speaks nowhere: listed with the roundtable
        assert "両方 四郎" in guests  # speaks in a public part (and in a draft)
        assert "予約 花子" not in guests and "下書き 次郎" not in guests
        assert {row[0]: row[3] for row in made["now"]}[10][0] == "第10区役所"  # in the participants' order
        assert "修正版 五郎" not in {row[0]: row[2] for row in made["now"]}[9]  # speaks only in a correction draft
        guests = {row[0]: row[2] for row in made["scheduled part out"]}[10]
        assert "予約 花子" in guests and "下書き 次郎" not in guests
    assert 11 in [row[0] for row in made["scheduled part out"]]
    assert 13 not in [row[0] for row in made["taken down"]]


def test_the_part_query_gives_the_orm_part_with_its_roundtable_forum_and_rendition(forum_in_every_state):
    forum, later, gone = forum_in_every_state
    article = Article.objects.filter(roundtable__forum=forum, roundtable__number=1).get()
    made = views.PUBLIC_PART.first(slug=article.slug, now=timezone.now())
    through_orm = public_parts().select_related("roundtable", "roundtable__forum").get(slug=article.slug)
    assert fields_of(made) == fields_of(through_orm)
    assert fields_of(made.roundtable) == fields_of(through_orm.roundtable)
    assert fields_of(made.roundtable.forum) == fields_of(forum)
    assert made.publish_at.tzinfo is not None  # the database's converters ran (SQLite keeps text)
    with CaptureQueriesContext(connection) as queries:
        assert made.roundtable.forum.name == forum.name
    assert len(queries) == 0  # select_related kept
    # Not public: a scheduled part until its time, a part after its takedown, a draft, no such slug.
    now = timezone.now()
    assert views.PUBLIC_PART.first(slug=later.slug, now=now) is None
    assert views.PUBLIC_PART.first(slug=later.slug, now=later.publish_at).pk == later.pk
    assert views.PUBLIC_PART.first(slug=gone.slug, now=now).pk == gone.pk
    assert views.PUBLIC_PART.first(slug=gone.slug, now=gone.unpublish_at) is None
    assert views.PUBLIC_PART.first(slug="no-such-part", now=now) is None
    assert views.PUBLIC_PART.first(slug="a%_", now=now) is None  # no LIKE: the text as it is
    # The stored rendition comes with the part, without the feeds' copy of its body; a part
    # whose rendition is not stored yet comes with none (the page makes it).
    renditions.rebuild(Article.objects.filter(pk=article.pk))
    made = views.PUBLIC_PART.first(slug=article.slug, now=now)
    assert made.rendition.body_html and made.rendition.get_deferred_fields() == {"feed_html"}
    Rendition.objects.filter(article=article).delete()
    made = views.PUBLIC_PART.first(slug=article.slug, now=now)
    assert made.pk == article.pk and not hasattr(made, "rendition")


def test_a_roundtables_public_parts_and_who_speaks_where_follow_the_rows(forum_in_every_state):
    forum, later, _ = forum_in_every_state
    busy = Roundtable.objects.get(forum=forum, number=10)
    first = busy.articles.get(part_number=1)
    assert [part.title for part in first.parts()] == [first.title]
    with time_machine.travel(later.publish_at + datetime.timedelta(seconds=1)):
        assert [part.title for part in first.parts()] == [first.title, "後半(予約)"]
    assert [part.pk for part in first.parts(public_only=False)] == list(
        busy.articles.filter(correction_of=None).order_by("part_number").values_list("pk", flat=True)
    )
    spoken = views.parts_spoken_in(busy)
    expected = {}
    for speaker_id, article_id in TurnCount.objects.filter(speaker__roundtable=busy).values_list(
        "speaker_id", "article_id"
    ):
        expected.setdefault(speaker_id, set()).add(article_id)
    assert spoken == expected
    assert {later.pk} in spoken.values()  # the guest who speaks only in the scheduled part


def test_each_run_reads_the_database_again(forum_in_every_state):
    forum, _, _ = forum_in_every_state
    before = recent_back_numbers(forum, 11)
    make_article(make_roundtable(forum, number=20, title="新しい座談会"), title="新しい記事")
    with CaptureQueriesContext(connection) as queries:
        after = recent_back_numbers(forum, 11)
    assert len(queries) == 3
    assert after[0].number == 20 and before[0].number != 20


def test_the_version_and_the_settings_come_back_as_the_orm_gives_them():
    page_cache.content_changed()
    version = page_cache.current_version()
    row = ContentVersion.objects.get(pk=1)
    assert (version.token, version.changed_at) == (row.token, row.changed_at)
    assert isinstance(version.changed_at, datetime.datetime)
    defaults = SiteSettings.load()
    assert "<h2" in defaults.accessibility_policy_html  # the default policy, rendered, headings moved up
    saved = SiteSettings.load()
    saved.publisher = "保存した発行者"
    saved.save()
    assert SiteSettings.load().publisher == "保存した発行者"


def test_a_query_prepared_in_one_thread_runs_on_the_connection_of_another():
    query = FixedQuery(lambda: ContentVersion.objects.order_by("pk").values_list("pk", flat=True), name="thread")
    query.all()  # prepared here, on this thread's connection
    seen = {}

    def run():
        with CaptureQueriesContext(connections["default"]) as queries:
            seen["rows"] = query.all()
        seen["connection"] = queries.connection
        seen["queries"] = len(queries)
        connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen["queries"] == 1 and isinstance(seen["rows"], list)
    assert seen["connection"] is not connection


# --- what is refused ----------------------------------------------------------------------


def test_a_value_read_inside_the_build_is_refused():
    # The time read inside, not passed in: each build has its own, so it cannot be kept.
    query = FixedQuery(lambda slug: public_parts().filter(slug=slug), name="reads the time", slug=("a", "b"))
    with pytest.raises(ValueError, match="reads the time: parameter 1"):
        query.all(slug="x")


def test_sql_that_changes_with_the_values_is_refused():
    query = FixedQuery(lambda count: Article.objects.filter(pk__in=list(range(count))), name="a list", count=(2, 3))
    with pytest.raises(ValueError, match="a list: the SQL depends"):
        query.all(count=4)


def test_prefetching_and_wrong_arguments_are_refused():
    prefetching = FixedQuery(lambda: Roundtable.objects.prefetch_related("articles"), name="prefetch")
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.all()
    with pytest.raises(ValueError, match="two different samples"):
        FixedQuery(lambda now: public_parts(now), now=(SAMPLE_TIMES[0], SAMPLE_TIMES[0]))
    query = FixedQuery(lambda now: public_parts(now), name="parts", now=SAMPLE_TIMES)
    with pytest.raises(TypeError, match="takes \\['now'\\]"):
        query.all(when=timezone.now())
    with pytest.raises(ValueError, match="now must be a datetime, not list"):
        query.all(now=[timezone.now()])
    # None would be "= NULL", which the ORM writes IS NULL: refused, as is a string for an id.
    by_roundtable = FixedQuery(
        lambda roundtable_id: Article.objects.filter(roundtable_id=roundtable_id), name="by id", roundtable_id=(-1, -2)
    )
    with pytest.raises(ValueError, match="roundtable_id must be a int, not NoneType"):
        by_roundtable.all(roundtable_id=None)
    with pytest.raises(ValueError, match="not str"):
        by_roundtable.all(roundtable_id="1")
    assert by_roundtable.all(roundtable_id=2**70) == []  # beyond any column, as the ORM: no row


def test_a_filter_that_escapes_its_text_or_an_empty_query_is_refused():
    # contains escapes % _ \ in Python and wraps the text in %…% on every database: kept, the
    # request's text would be bound as it is; so it is refused.
    escaping = FixedQuery(lambda slug: Article.objects.filter(slug__contains=slug), name="escapes", slug=SAMPLE_TEXTS)
    with pytest.raises(ValueError, match="escapes: parameter"):
        escaping.all(slug="a_b")
    # iexact escapes on SQLite (LIKE) but not on PostgreSQL (UPPER(…) = UPPER(%s)): refused on
    # the one, and on the other kept with the same result as the ORM.
    make_article(slug="a_b")
    make_article(slug="axb")
    folding = FixedQuery(lambda slug: Article.objects.filter(slug__iexact=slug), name="folds", slug=SAMPLE_TEXTS)
    try:
        kept = [article.slug for article in folding.all(slug="A_B")]
    except ValueError as refused:
        assert connection.vendor == "sqlite" and "folds: parameter" in str(refused)
    else:
        assert kept == list(Article.objects.filter(slug__iexact="A_B").values_list("slug", flat=True)) == ["a_b"]
    empty = FixedQuery(lambda: Roundtable.objects.all()[:0], name="nothing")
    with pytest.raises(ValueError, match="nothing: the ORM finds this query empty"):
        empty.all()
