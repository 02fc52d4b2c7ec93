"""Load the sample article (articles/demo/) as structured demo content. Safe to run twice."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext
from PIL import Image, ImageDraw

from articles.versioning import keep_imported
from articles.importer import ImportConflict, parse_for_import, save_transcript
from articles.models import Article, ArticleStatus, Figure
from articles.readings import regenerate
from forum.models import Forum
from participants.models import Organisation, Person, Role
from readings.models import ReadingEntry
from forum.page_cache import content_changed

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "machida-cio-roundtable-part2.txt"

FORUM = {
    "slug": "tokyo-cio-forum",
    "name": "東京都・区市町村CIOフォーラム",
    "organiser": "東京都デジタルサービス局",
    "magazine_title": "東京都・区市町村CIOフォーラムマガジン",
}
ORGANISATIONS = [
    # name, short name used in titles, reading, 全国地方公共団体コード
    ("東京都", "都", "とうきょうと", "130001"),
    ("町田市", "", "まちだし", "132098"),
]
ROLES = [
    ("CIO", "最高情報責任者(Chief Information Officer)", 10),
    ("CIO補佐", "最高情報責任者補佐", 20),
    ("CDO", "最高デジタル責任者(Chief Digital Officer)", 30),
    ("CISO", "最高情報セキュリティ責任者(Chief Information Security Officer)", 40),
    ("CISO補佐", "最高情報セキュリティ責任者補佐", 50),
]
READINGS = {
    "高橋 晃": "たかはし あきら",
    "宮坂 学": "みやさか まなぶ",
    "深井 稔": "ふかい みのる",
    "小澤 洋之": "おざわ ひろゆき",
}
# The reading dictionary's first words: place names the analyser reads as one longer word.
DICTIONARY = [("町田", "まちだ", "地名(町田市)")]
# The sample does not say when it was published; the demo says a date after the event.
PUBLISHED_AT = datetime.datetime(2022, 1, 20, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def placeholder_image(colour, size=(1200, 675)):
    """A plain PNG standing in for the article's photos, which the sample text lacks."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([width // 8, height // 4, width * 7 // 8, height * 3 // 4], outline="white", width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())


class Command(BaseCommand):
    help = "Load the sample roundtable article as demo content (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        forum, _ = Forum.objects.get_or_create(slug=FORUM["slug"], defaults=FORUM)
        for name, short_name, reading, code in ORGANISATIONS:
            Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short_name, "reading": reading, "local_government_code": code}
            )
        for abbreviation, full_name, order in ROLES:
            Role.objects.get_or_create(
                abbreviation=abbreviation, defaults={"full_name": full_name, "sort_order": order}
            )
        data = parse_for_import(SAMPLE.read_text(encoding="utf-8")).to_dict()
        try:
            article = save_transcript(
                data,
                forum,
                status=ArticleStatus.PUBLISHED,
                publish_at=PUBLISHED_AT,
            )
        except ImportConflict as conflict:
            self.stdout.write(f"The demo article is already loaded: {conflict.article.get_absolute_url()}")
            return
        for name, reading in READINGS.items():
            Person.objects.filter(name=name, reading="").update(reading=reading)
        for word, reading, note in DICTIONARY:
            ReadingEntry.objects.get_or_create(word=word, defaults={"reading": reading, "note": note})
        regenerate(Article.objects.filter(pk=article.pk))  # ふりがな with the readings just set
        content_changed()  # update() sends no post_save
        self._add_placeholder_images(article)
        keep_imported(article, comment=gettext("デモ記事を読み込みました"))  # its history starts here
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo article: {article.title} → {article.get_absolute_url()}")
        )

    def _add_placeholder_images(self, article):
        article.header_image.save("demo-header.png", placeholder_image((46, 84, 132)), save=False)
        article.header_image_alt = "町田市×都CIO座談会の見出し画像(デモ用の仮の画像)"
        article.save()
        colours = [(90, 120, 90), (120, 90, 60)]
        for index, figure in enumerate(
            Figure.objects.filter(section__article=article).order_by("section__position", "position")
        ):
            figure.image.save(
                f"demo-{figure.reference or index}.png", placeholder_image(colours[index % 2]), save=False
            )
            figure.alt_text = f"座談会の様子({figure.reference}。デモ用の仮の画像)"
            figure.save()
