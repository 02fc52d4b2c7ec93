"""A realistic series for page tests: the Machida roundtable (第4回) in two parts, built from
the sample article's real text, plus an earlier roundtable (第3回) and unpublished parts.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from articles.models import ArticleStatus, Credit, Figure, Section, SpeakerTurn
from participants.models import Organisation, Role
from tests.support.factories import make_article, make_forum, make_participant, make_roundtable
from tests.support.images import image_file

TOKYO = ZoneInfo("Asia/Tokyo")


def add_turns(section, items):
    """items: (speaker or None, Markdown text) or ("figure", Figure kwargs)."""
    for position, (speaker, body) in enumerate(items, start=1):
        if speaker == "figure":
            figure = Figure(section=section, position=position, **body)
            if body.get("alt_text"):
                figure.image.save(
                    f"figure-{section.pk}-{position}.png",
                    image_file((1600, 900), (90, 120, 90), frame=True),
                    save=False,
                )
            figure.save()
        else:
            SpeakerTurn.objects.create(section=section, position=position, speaker=speaker, body=body)


@dataclass
class Series:
    forum: object
    roundtable: object
    earlier: object
    part1: object
    part2: object
    draft: object
    scheduled: object
    people: dict


def make_sample_series(images=True):
    forum = make_forum(
        name="東京都・区市町村CIOフォーラム",
        slug="tokyo-cio-forum",
        organiser="東京都デジタルサービス局",
        magazine_title="東京都・区市町村CIOフォーラムマガジン",
    )
    tokyo = Organisation.objects.create(name="東京都", short_name="都", reading="とうきょうと")
    machida = Organisation.objects.create(name="町田市", reading="まちだし")
    for abbreviation, full_name, order in [
        ("CIO", "最高情報責任者", 10),
        ("CIO補佐", "最高情報責任者補佐", 20),
        ("CDO", "最高デジタル責任者", 30),
        ("CISO補佐", "最高情報セキュリティ責任者補佐", 50),
    ]:
        Role.objects.create(abbreviation=abbreviation, full_name=full_name, sort_order=order)

    earlier = make_roundtable(forum, number=3, title="八王子市×都CIO座談会", held_on=datetime.date(2021, 7, 2))
    make_participant(earlier, name="宮坂 学", organisation=tokyo, posts=("副知事",), roles=("CIO",))
    make_article(
        earlier,
        part_number=1,
        title="八王子市×都CIOの座談会を実施しました!",
        slug="hachioji-cio-roundtable",
        publish_at=datetime.datetime(2021, 9, 1, 10, tzinfo=TOKYO),
    )

    roundtable = make_roundtable(forum, number=4, title="町田市×都CIO座談会", held_on=datetime.date(2021, 10, 15))
    takahashi = make_participant(
        roundtable,
        name="高橋 晃",
        organisation=machida,
        posts=("総務部長", "情報システム担当部長"),
        roles=("CIO補佐", "CDO", "CISO補佐"),
    )
    miyasaka = make_participant(
        roundtable, name="宮坂 学", organisation=tokyo, posts=("副知事",), roles=("CIO",), label_title="都CIO"
    )
    fukai = make_participant(
        roundtable,
        name="深井 稔",
        organisation=tokyo,
        posts=("デジタルサービス局戦略部長",),
        label_title="東京都デジタルサービス局戦略部長",
    )
    ozawa = make_participant(
        roundtable,
        name="小澤 洋之",
        organisation=tokyo,
        posts=("デジタルサービス局戦略部戦略課長",),
        label_title="東京都デジタルサービス局戦略部戦略課",
    )
    lead = (
        "東京都・区市町村CIOフォーラムにおける活動の一環として、都内各自治体CIO等へ「東京都・区市町村CIOフォーラムマガジン」"
        "を発行しております。今回は、マガジンに掲載した内容を一部公開します。\n\n第4回は、「町田市×都CIO座談会」をお届けします!"
    )
    intro = (
        "令和3年10月15日に、「東京都・区市町村CIOフォーラム第4回座談会」として町田市CIOと都CIOの対談を実施しました。"
    )

    part1 = make_article(
        roundtable,
        part_number=1,
        title="町田市×都CIOの座談会を実施しました!part1",
        slug="machida-cio-roundtable-part1",
        lead=lead,
        introduction=intro,
        publish_at=datetime.datetime(2022, 1, 13, 10, tzinfo=TOKYO),
    )
    section = Section.objects.create(
        article=part1, position=1, heading="町田市のデジタル化", subheading="小さな成功事例から"
    )
    add_turns(
        section,
        [
            (fukai, "本日はよろしくお願いいたします。まず、町田市様のデジタル化の取組について伺えますか。"),
            (takahashi, "町田市では、成功するか失敗するかは一旦置いてチャレンジする風土があります。"),
            (miyasaka, "いいですね。小さな成功事例も共有していく場があるといいですよね。"),
            (fukai, "ありがとうございます。続いて人材育成について伺います。"),
        ],
    )

    part2 = make_article(
        roundtable,
        part_number=2,
        title="町田市×都CIOの座談会を実施しました!part2",
        slug="machida-cio-roundtable-part2",
        lead=lead,
        introduction=intro,
        closing="次回もお楽しみに!",
        publish_at=datetime.datetime(2022, 1, 20, 10, tzinfo=TOKYO),
    )
    if images:
        part2.header_image.save("header.png", image_file((1600, 900), (46, 84, 132), frame=True), save=False)
        part2.header_image_alt = "町田市×都CIO座談会の見出し画像"
        part2.save()
    first = Section.objects.create(
        article=part2, position=1, heading="事例体験による人材育成", subheading="座学よりも体験が一番のOJT"
    )
    add_turns(
        first,
        [
            (
                fukai,
                "話は少し変わってしまうのですが、我々も他の区市町村も内部ICT人材の育成、外部人材の任用をどうするか悩んでいるところがありまして、"
                "町田市様がその辺について考えていること、現在実施していることについて伺ってもよろしいでしょうか。",
            ),
            (
                takahashi,
                "外部人材は不定期に採用しておりまして、来年度も2人募集する予定です。ただ雇えばいいわけではなく、どうフィットさせるかは非常に難しく感じています。",
            ),
            (fukai, "他にも、例えば窓口の職員に対してもICTに関する啓発のようなことはしていますか。"),
            (
                takahashi,
                "特別に啓発しているわけではないですが、RPAや窓口のキャッシュレス化などは進めていて、そういう事例を作って体験していただいて楽になったと感じてもらいたいと考えています。",
            ),
            (
                miyasaka,
                "いいですね。大きな成功事例だけではなくてそういった小さな成功事例も共有していく場があるといいですよね。",
            ),
            (
                "figure",
                {
                    "reference": "画像1",
                    "alt_text": "座談会で話す高橋氏と宮坂氏" if images else "",
                    "caption": "座談会の様子" if images else "",
                },
            ),
        ],
    )
    second = Section.objects.create(
        article=part2, position=2, heading="コミュニティの形成と情報発信", subheading="有志の集いとオール東京"
    )
    add_turns(
        second,
        [
            (
                miyasaka,
                "職員・職場の話を聞いていて思ったのですが、ネットワークやデスクトップなどの職員の環境はどうでしょうか。",
            ),
            (
                takahashi,
                "現在でも自前のネットワークや4Gのネットワークをタブレット・iPadで組んでいたりして、そこで業務できる環境を持っています。",
            ),
            ("figure", {"reference": "画像2"}),  # no image uploaded: not shown
            (
                ozawa,
                "今のお話の続きで、仲間を作って、他自治体に広げていきたいとありましたが、具体的に町田市様がしているアクションなどはありますか。",
            ),
            (
                takahashi,
                "具体的に今何かアクションをしているわけではないですが、やはり1つ事例を作らないとアクションもしにくいなと思っています。",
            ),
            (ozawa, "ありがとうございます。"),
            (None, "―本日は貴重なお時間をいただき、色々な形で意見交換をさせていただきありがとうございました!"),
        ],
    )
    Credit.objects.create(
        article=part2, position=1, role="執筆者", name="猪ノ口 渉", affiliation="デジタルサービス局戦略部戦略課"
    )
    Credit.objects.create(article=part2, position=2, role="編集", name="山田 花子", affiliation="同上")

    later = make_roundtable(forum, number=5, title="日野市×都CIO座談会", held_on=datetime.date(2022, 2, 1))
    hino = make_participant(later, name="日野 一郎", organisation="日野市", posts=("企画部長",))
    draft = make_article(
        later, published=False, part_number=1, title="下書きの記事", slug="hino-draft", status=ArticleStatus.DRAFT
    )
    scheduled = make_article(
        later,
        part_number=2,
        title="予約投稿の記事",
        slug="machida-scheduled",
        status=ArticleStatus.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(days=30),
    )
    people = {
        "takahashi": takahashi.person,
        "miyasaka": miyasaka.person,
        "fukai": fukai.person,
        "ozawa": ozawa.person,
        "hino": hino.person,
    }
    return Series(forum, roundtable, earlier, part1, part2, draft, scheduled, people)
