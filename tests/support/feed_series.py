"""A forum series shaped like the sample (町田市×都CIO座談会, part1 and part2) for the feed tests,
with what must never reach a feed beside it: a draft, a scheduled part, another forum's part."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from articles.models import Article, ArticleStatus, Credit, Figure, Section, SpeakerTurn
from participants.models import Organisation
from tests.support.factories import make_article, make_forum, make_participant, make_roundtable
from tests.support.images import image_file

JST = ZoneInfo("Asia/Tokyo")
# The clock the feed tests run at (time_machine), so dates in the feeds are known.
NOW = datetime.datetime(2025, 6, 2, 12, 0, tzinfo=JST)
PART1_TITLE = "町田市×都CIOの座談会を実施しました!part1"
PART2_TITLE = "町田市×都CIOの座談会を実施しました!part2"
FUKAI_FIRST_LABEL = "東京都デジタルサービス局戦略部長:深井(以下「深井」)"


@dataclass
class Series:
    forum: object
    other_forum: object
    part1: Article
    part2: Article
    draft: Article
    scheduled: Article
    elsewhere: Article

    @property
    def published(self):
        """The parts a reader may see, newest first."""
        return [self.elsewhere, self.part2, self.part1]


def build_series():
    forum = make_forum(
        name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum", organiser="東京都デジタルサービス局"
    )
    roundtable = make_roundtable(forum, number=4, title="町田市×都CIO座談会")
    tokyo = Organisation.objects.create(name="東京都", short_name="都")
    takahashi = make_participant(
        roundtable,
        name="高橋 晃",
        organisation="町田市",
        posts=["総務部長", "情報システム担当部長"],
        roles=["CIO補佐", "CDO", "CISO補佐"],
    )
    make_participant(roundtable, name="宮坂 学", organisation=tokyo, posts=["副知事"], roles=["CIO"])
    fukai = make_participant(
        roundtable,
        name="深井 稔",
        organisation=tokyo,
        posts=["デジタルサービス局戦略部長"],
        label_title="東京都デジタルサービス局戦略部長",
    )
    part1 = make_article(
        roundtable,
        title=PART1_TITLE,
        slug="machida-part1",
        part_number=1,
        publish_at=datetime.datetime(2022, 1, 13, 10, 0, tzinfo=JST),
        lead="前半です。",
    )
    part2 = make_article(
        roundtable,
        title=PART2_TITLE,
        slug="machida-part2",
        part_number=2,
        publish_at=datetime.datetime(2022, 1, 20, 10, 0, tzinfo=JST),
        lead="第4回は、「町田市×都CIO座談会」をお届けします!前半は[こちら](/articles/machida-part1/)。",
        header_image=image_file((64, 36), "navy", name="header.png"),
        header_image_alt="座談会の様子",
    )
    section = Section.objects.create(
        article=part2, position=1, heading="事例体験による人材育成", subheading="座学よりも体験が一番のOJT"
    )
    for position, (speaker, body) in enumerate(
        [
            (fukai, "町田市様がその辺について考えていることを伺ってもよろしいでしょうか。"),
            (takahashi, "外部人材は不定期に採用しておりまして、[募集ページ](/recruit/)もあります。"),
            (fukai, "窓口の職員に対しても啓発はしていますか。"),
            (None, "―本日はありがとうございました!"),
        ],
        start=1,
    ):
        SpeakerTurn.objects.create(section=section, position=position * 2, speaker=speaker, body=body)
    Figure.objects.create(
        section=section,
        position=3,
        reference="画像1",
        image=image_file((64, 36), "teal", name="header.png"),
        alt_text="町田市の窓口の写真",
        caption="画像1 町田市の窓口",
    )
    Credit.objects.create(
        article=part2, position=1, role="執筆者", name="猪ノ口 渉", affiliation="デジタルサービス局戦略部戦略課"
    )
    Credit.objects.create(article=part2, position=2, role="編集", name="星野 惇", affiliation="同上")
    Credit.objects.create(article=part1, position=1, role="執筆者", name="猪ノ口 渉", affiliation="戦略課")
    draft = make_article(
        roundtable,
        title="下書きの記事part3",
        part_number=3,
        published=False,
        publish_at=timezone.now() - datetime.timedelta(days=3),
    )
    scheduled = make_article(
        roundtable, title="予約の記事part4", part_number=4, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    other_forum = make_forum(name="特別区CIOフォーラム", slug="tokubetsuku-cio-forum")
    elsewhere = make_article(
        make_roundtable(other_forum, number=1, title="特別区の対談"),
        title="特別区の対談を実施しました!前編",
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    Credit.objects.create(article=elsewhere, position=1, role="執筆者", name="星野 惇")
    return Series(forum, other_forum, part1, part2, draft, scheduled, elsewhere)
