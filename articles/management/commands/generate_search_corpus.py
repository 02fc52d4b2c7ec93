"""python manage.py generate_search_corpus [--turns 1000000] — a large corpus for bench/search.py.

Forums, roundtables (two parts each, five sections of twenty turns a part), participants
whose titles change from one roundtable to the next, and turns of realistic Japanese
built from the clauses of the sample article (articles/demo/), with a few rare sentences
(量子暗号) at a known rate. Written in bulk with a progress bar, then indexed as
rebuild_search_index does (--no-index leaves that to be timed separately).

Never run it on a database with real content: it adds thousands of parts (most of them
published). bench/search.py runs it in a throw-away database.
"""

import datetime
import random
import re
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _

from articles.models import Article, ArticleStatus, Section, SpeakerTurn
from articles.search.index import rebuild, rows_to_index
from articles.search.progress import ProgressBar
from forum.models import Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "machida-cio-roundtable-part2.txt"
TOKYO = ZoneInfo("Asia/Tokyo")
PARTS, SECTIONS, TURNS_PER_SECTION = 2, 5, 20
RARE_SENTENCE = "量子暗号の実証実験も始まっています。"
RARE_RATE = 1 / 20000
SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水".split()
GIVEN = "学 晃 稔 洋之 花子 太郎 一郎 直子 誠 健 恵 裕子 大輔 翔 美咲 陽子 隆 修 明美 浩".split()
TOWNS = "町田市 八王子市 立川市 武蔵野市 三鷹市 府中市 調布市 小金井市 日野市 国分寺市 狛江市 多摩市 稲城市 西東京市 世田谷区 新宿区 渋谷区 練馬区 足立区 江戸川区".split()
POSTS = [
    "総務部長",
    "情報システム担当部長",
    "デジタル推進課長",
    "企画政策部長",
    "副市長",
    "情報政策課長",
    "デジタル戦略室長",
    "行政経営部長",
    "DX推進担当課長",
    "市民部長",
]
ROLES = [
    ("CIO", "最高情報責任者"),
    ("CIO補佐", "最高情報責任者補佐"),
    ("CDO", "最高デジタル責任者"),
    ("CISO", "最高情報セキュリティ責任者"),
    ("CISO補佐", "最高情報セキュリティ責任者補佐"),
]
FORMATS = ["zadankai", "taidan", "interview"]


def sample_clauses():
    """Clauses (split at 、) of the sample's sentences, without labels and page furniture."""
    clauses = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if ":" in line or ":" in line or len(line) < 12:
            continue
        for sentence in re.split(r"[。!?!?]", line):
            clauses.extend(clause.strip() for clause in sentence.split("、") if len(clause.strip()) >= 4)
    return clauses


class Corpus:
    def __init__(self, seed):
        self.random = random.Random(seed)
        self.clauses = sample_clauses()

    def sentence(self):
        return "、".join(self.random.sample(self.clauses, self.random.randint(1, 3))) + "。"

    def turn(self):
        text = "".join(self.sentence() for _ in range(self.random.randint(1, 4)))
        if self.random.random() < RARE_RATE:
            text += RARE_SENTENCE
        return text

    def heading(self):
        return self.random.choice(self.clauses)[:24]


class Command(BaseCommand):
    help = _("検索のベンチマーク用に、大量の座談会・記事・発言を作ります。")

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=1_000_000, help=_("作る発言の数(既定 1,000,000)"))
        parser.add_argument("--forums", type=int, default=5)
        parser.add_argument("--people", type=int, default=400)
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--no-index", action="store_true", help=_("索引を作らない(あとで rebuild_search_index)"))

    def handle(self, *args, turns, forums, people, seed, no_index, **options):
        corpus = Corpus(seed)
        rng = corpus.random
        per_roundtable = PARTS * SECTIONS * TURNS_PER_SECTION
        roundtable_count = max(1, -(-turns // per_roundtable))
        with transaction.atomic():
            roles = [
                Role.objects.get_or_create(abbreviation=abbreviation, defaults={"full_name": name, "sort_order": i})[0]
                for i, (abbreviation, name) in enumerate(ROLES)
            ]
            towns = [Organisation.objects.get_or_create(name=town)[0] for town in TOWNS]
            persons = Person.objects.bulk_create(
                [Person(name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}{i}") for i in range(people)]
            )
            stamp = rng.randrange(10**6)
            forum_rows = Forum.objects.bulk_create(
                [Forum(name=f"コーパス{stamp}フォーラム{i + 1}", slug=f"corpus-{stamp}-{i + 1}") for i in range(forums)]
            )
        bar = ProgressBar(self.stderr, turns, _("発言"))
        made = 0
        batch_size = 50
        for first in range(0, roundtable_count, batch_size):
            with transaction.atomic():
                made += self._batch(
                    corpus,
                    range(first, min(roundtable_count, first + batch_size)),
                    forum_rows,
                    persons,
                    towns,
                    roles,
                    turns - made,
                )
            bar.advance(made - bar.done)
        bar.finish()
        self.stdout.write(
            _("%(turns)s件の発言を作りました(座談会%(roundtables)s件)。")
            % {"turns": f"{made:,}", "roundtables": f"{roundtable_count:,}"}
        )
        # Fresh statistics: without them PostgreSQL guesses that one part is public and loops
        # over the search index once per part (200 ms instead of 2 ms at 20,000 turns).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if not no_index:
            index_bar = ProgressBar(self.stderr, rows_to_index(), _("索引"))
            rebuild(progress=index_bar.advance)
            index_bar.finish()

    def _batch(self, corpus, numbers, forum_rows, persons, towns, roles, remaining):
        rng = corpus.random
        start = datetime.date(2000, 1, 1)
        roundtables = Roundtable.objects.bulk_create(
            [
                Roundtable(
                    forum=forum_rows[n % len(forum_rows)],
                    number=n // len(forum_rows) + 1,
                    title=f"{rng.choice(TOWNS)}×都CIO座談会",
                    format=rng.choice(FORMATS),
                    held_on=start + datetime.timedelta(days=n * 9131 // 10000 + rng.randrange(3)),
                )
                for n in numbers
            ]
        )
        participants, role_links = [], []
        for roundtable in roundtables:
            for order, person in enumerate(rng.sample(persons, 4), start=1):
                participants.append(
                    Participant(
                        roundtable=roundtable,
                        person=person,
                        organisation=rng.choice(towns),
                        posts=rng.sample(POSTS, rng.randint(1, 2)),
                        label=person.name.split(" ")[0] + str(order),
                        order=order,
                    )
                )
        chosen = [sorted(rng.sample(roles, rng.randint(0, 2)), key=lambda role: role.sort_order) for _ in participants]
        for participant, its_roles in zip(participants, chosen):
            participant.set_search_fields([role.abbreviation for role in its_roles])
        Participant.objects.bulk_create(participants)
        for participant, its_roles in zip(participants, chosen):
            for role in its_roles:
                role_links.append(Participant.roles.through(participant_id=participant.pk, role_id=role.pk))
        Participant.roles.through.objects.bulk_create(role_links)
        by_roundtable = {}
        for participant in participants:
            by_roundtable.setdefault(participant.roundtable_id, []).append(participant)

        articles = []
        for roundtable in roundtables:
            published = datetime.datetime.combine(roundtable.held_on, datetime.time(10), TOKYO) + datetime.timedelta(
                days=30
            )
            state = rng.random()
            for part in range(1, PARTS + 1):
                lead = corpus.sentence()
                articles.append(
                    Article(
                        roundtable=roundtable,
                        part_number=part,
                        title=f"{roundtable.title}を実施しました!part{part}",
                        slug=f"corpus-{roundtable.forum_id}-{roundtable.number}-{part}",
                        lead=lead,
                        lead_html=f"<p>{escape(lead)}</p>",
                        status=ArticleStatus.DRAFT if state < 0.03 else ArticleStatus.PUBLISHED,
                        publish_at=(published + datetime.timedelta(days=3650)) if 0.03 <= state < 0.05 else published,
                    )
                )
        Article.objects.bulk_create(articles)
        sections = Section.objects.bulk_create(
            [
                Section(article=article, position=position, heading=corpus.heading())
                for article in articles
                for position in range(1, SECTIONS + 1)
            ]
        )
        turns = []
        for section in sections:
            speakers = by_roundtable[section.article.roundtable_id]
            for position in range(1, TURNS_PER_SECTION + 1):
                if len(turns) >= remaining:
                    break
                body = corpus.turn()
                turns.append(
                    SpeakerTurn(
                        section=section,
                        position=position,
                        body=body,
                        body_html=f"<p>{escape(body)}</p>",
                        speaker=None if position == 1 else rng.choice(speakers),
                    )
                )
        SpeakerTurn.objects.bulk_create(turns, batch_size=2000)
        return len(turns)
