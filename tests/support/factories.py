"""Small builders for test data: readable, explicit, no magic."""

import datetime
import itertools

from django.utils import timezone

from articles.models import Article, ArticleStatus, Credit, Figure, Section, SpeakerTurn
from forum.models import Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role

_counter = itertools.count(1)


def make_forum(**fields):
    n = next(_counter)
    fields.setdefault("name", f"テストフォーラム{n}")
    fields.setdefault("slug", f"forum-{n}")
    return Forum.objects.create(**fields)


def make_roundtable(forum=None, **fields):
    forum = forum or make_forum()
    fields.setdefault("number", next(_counter))
    fields.setdefault("title", "テスト座談会")
    fields.setdefault("held_on", datetime.date(2021, 10, 15))
    return Roundtable.objects.create(forum=forum, **fields)


def make_role(abbreviation, sort_order=100):
    return Role.objects.get_or_create(abbreviation=abbreviation, defaults={"sort_order": sort_order})[0]


def make_participant(roundtable, name="高橋 晃", organisation=None, posts=("総務部長",), roles=(), **fields):
    person = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
    if isinstance(organisation, str):
        organisation = Organisation.objects.get_or_create(name=organisation)[0]
    fields.setdefault("order", roundtable.participants.count() + 1)
    participant = Participant.objects.create(
        roundtable=roundtable, person=person, organisation=organisation, posts=list(posts), **fields
    )
    participant.roles.set([make_role(role, index) for index, role in enumerate(roles)])
    return participant


def make_article(roundtable=None, published=True, **fields):
    roundtable = roundtable or make_roundtable()
    n = next(_counter)
    fields.setdefault("part_number", 1)
    fields.setdefault("title", f"テスト記事{n}")
    fields.setdefault("slug", f"article-{n}")
    if published:
        fields.setdefault("status", ArticleStatus.PUBLISHED)
        fields.setdefault("publish_at", timezone.now() - datetime.timedelta(days=1))
    return Article.objects.create(roundtable=roundtable, **fields)


def make_long_article(turn_count, speakers=None, roundtable=None, published=True, placeholders=True):
    """A part with `turn_count` turns spread over sections of 20, alternating speakers; each
    section starts with a figure placeholder (画像1, no image yet) unless placeholders=False
    (a part to be published: the accessibility gate refuses placeholders)."""
    article = make_article(roundtable=roundtable, published=published)
    speakers = speakers or [
        make_participant(article.roundtable, name=f"話者{i} 太郎", posts=(f"部長{i}",), label=f"話者{i}")
        for i in range(4)
    ]
    turns = []
    section = None
    for index in range(turn_count):
        if index % 20 == 0:
            section = Section.objects.create(
                article=article, position=index // 20 + 1, heading=f"見出し{index // 20 + 1}"
            )
            if placeholders:
                Figure.objects.create(section=section, position=0, reference=f"画像{index // 20 + 1}")
        turn = SpeakerTurn(
            section=section, position=index + 1, speaker=speakers[index % len(speakers)], body=f"発言その{index}です。"
        )
        turn.render()
        turns.append(turn)
    SpeakerTurn.objects.bulk_create(turns)
    Credit.objects.create(article=article, position=1, role="執筆者", name="猪ノ口 渉", affiliation="戦略課")
    return article
