"""What the public may see of parts' contents, for other apps' pages (person pages)."""
from django.db.models import F

from articles.models import Article, SpeakerTurn


def public_turns():
    """Speaker turns of public parts only (Article.objects.published() decides)."""
    return SpeakerTurn.objects.filter(section__article__in=Article.objects.published())


def turns_with_context(turns):
    """Turns with their section, part, roundtable and forum, in one query.

    Newest roundtable first; within a roundtable, in reading order (part, section, turn).
    """
    return turns.select_related(
        "section", "section__article", "section__article__roundtable", "section__article__roundtable__forum"
    ).order_by(
        F("section__article__roundtable__held_on").desc(nulls_last=True), "-section__article__roundtable_id",
        "section__article__part_number", "section__position", "position", "pk",
    )
