"""Keeping the parts' line breaks and ふりがな current (the readings app works them out).

They are stored with each text when it is saved. They are worked out again:
- for the parts that contain a word of the reading dictionary, when that word is saved or
  deleted in the admin (signals below: at once, in the same request);
- for the parts of a person's roundtables, when the person's reading (Person.reading) changes;
- for every part, or those given, by `manage.py regenerate_readings` (after an upgrade of
  SudachiPy or its dictionary, or after migrating a site that had parts before).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article, Section, SpeakerTurn
from forum.page_cache import content_changed
from articles.renditions import invalidate as invalidate_renditions
from participants.models import Person
from readings.lexicon import lexicons
from readings.models import ReadingEntry

ARTICLE_FIELDS = ["title_html", "title_ruby_html", "lead_display_html", "names_ruby_html"]
SECTION_FIELDS = ["heading_html", "heading_ruby_html", "subheading_html", "subheading_ruby_html"]
TURN_FIELDS = ["display_html", "ruby_html"]
BATCH = 500


def regenerate(articles):
    """Work out again the line breaks and ふりがな of `articles` (a queryset); returns how many."""
    count = 0
    for start in range(0, articles.count(), BATCH):
        batch = list(articles.order_by("pk")[start : start + BATCH])
        by_roundtable = lexicons({article.roundtable_id for article in batch})
        for article in batch:
            lexicon = by_roundtable[article.roundtable_id]
            article.render_readings(lexicon)
            sections = list(Section.objects.filter(article=article))
            for section in sections:
                section.render(lexicon)
            Section.objects.bulk_update(sections, SECTION_FIELDS, batch_size=BATCH)
            turns = list(SpeakerTurn.objects.filter(section__article=article).only("id", "body_html"))
            for turn in turns:
                turn.render_readings(lexicon)
            SpeakerTurn.objects.bulk_update(turns, TURN_FIELDS, batch_size=BATCH)
        Article.objects.bulk_update(batch, ARTICLE_FIELDS)
        count += len(batch)
    if count:
        invalidate_renditions(articles)
        content_changed()  # bulk_update sends no post_save: cached pages go
    return count


def articles_containing(*words):
    """The parts whose title, lead, headings or turns contain one of `words`."""
    condition = Q()
    for word in filter(None, words):
        condition |= (
            Q(title__contains=word)
            | Q(lead__contains=word)
            | Q(sections__heading__contains=word)
            | Q(sections__subheading__contains=word)
            | Q(sections__turns__body__contains=word)
        )
    if not condition:
        return Article.objects.none()
    return Article.objects.filter(pk__in=Article.objects.filter(condition).values("pk"))


@receiver(pre_save, sender=ReadingEntry)
def _remember_old_word(sender, instance, **kwargs):
    instance._old_word = (
        ReadingEntry.objects.filter(pk=instance.pk).values_list("word", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=ReadingEntry)
def _entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        regenerate(articles_containing(instance.word, getattr(instance, "_old_word", None)))


@receiver(post_delete, sender=ReadingEntry)
def _entry_deleted(sender, instance, **kwargs):
    regenerate(articles_containing(instance.word))


@receiver(pre_save, sender=Person)
def _remember_old_reading(sender, instance, raw=False, **kwargs):
    instance._old_reading = (
        Person.objects.filter(pk=instance.pk).values_list("reading", "name").first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender=Person)
def _person_saved(sender, instance, raw=False, created=False, **kwargs):
    old = getattr(instance, "_old_reading", None)
    if raw or created or old is None or old == (instance.reading, instance.name):
        return
    regenerate(Article.objects.filter(roundtable__participants__person=instance).distinct())
