"""The corpus of bench/production_stack.py and bench/person_pages.py: one forum of `parts`
roundtables (one part each), 4 speakers each, one of whom, the regular (常連 花子), speaks in
every roundtable: the worst person page (issue #12). Needs Django set up (import it after)."""

from django.utils import timezone

from articles.models import Article, ArticleStatus, Section, SpeakerTurn
from forum.models import Forum, Roundtable
from participants.models import Participant, Person

BODY = "行政のデジタル化について、現場の職員と一緒に考えてきたことをお話しします。" * 2
REGULAR = "常連 花子"
FORUM_SLUG = "bench"


def build_corpus(parts, turns_per_part):
    """Build it; return (forum, regular person)."""
    forum = Forum.objects.create(name="ベンチマークフォーラム", slug=FORUM_SLUG)
    now = timezone.now()
    regular = Person.objects.create(name=REGULAR)
    others = Person.objects.bulk_create([Person(name=f"参加者{i} 太郎") for i in range(300)])
    batch = 500
    for start in range(0, parts, batch):
        numbers = range(start + 1, min(start + batch, parts) + 1)
        roundtables = Roundtable.objects.bulk_create(
            [Roundtable(forum=forum, number=n, title=f"第{n}回の座談会") for n in numbers]
        )
        articles = Article.objects.bulk_create(
            [
                Article(
                    roundtable=r,
                    part_number=1,
                    title=f"座談会{r.number}",
                    slug=f"bench-{r.number}",
                    lead_html="<p>リード文</p>",
                    status=ArticleStatus.PUBLISHED,
                    publish_at=now - timezone.timedelta(minutes=r.number),
                )
                for r in roundtables
            ]
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(roundtable=r, person=person, posts=["部長"], label=person.name[:2], order=i)
                for r in roundtables
                for i, person in enumerate([regular, *(others[(r.number * 3 + k) % len(others)] for k in range(3))])
            ]
        )
        speakers = {}
        for participant in participants:
            speakers.setdefault(participant.roundtable_id, []).append(participant)
        sections = Section.objects.bulk_create(
            [Section(article=a, position=s + 1, heading=f"見出し{s + 1}") for a in articles for s in range(5)]
        )
        turns = []
        for section in sections:
            people = speakers[section.article.roundtable_id]
            for t in range(turns_per_part // 5):
                turns.append(
                    SpeakerTurn(
                        section=section, position=t + 1, speaker=people[t % 4], body=BODY, body_html=f"<p>{BODY}</p>"
                    )
                )
        SpeakerTurn.objects.bulk_create(turns, batch_size=5000)
        print(f"  corpus: {numbers[-1]:,} parts", end="\r", flush=True)
    print()
    return forum, regular
