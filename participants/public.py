"""What the public may see of people, decided in one place.

An appearance (a Participant) is public when
  1. its roundtable has a public part (forum.public.public_roundtables()), and
  2. the person speaks in a public part of it, or speaks in none of its parts at all.

So a guest who speaks only in a draft or scheduled part stays hidden (not listed on the
roundtable page or in a part's participants box, no person page, not in the sitemap) until
that part is public; someone without a turn (a moderator, a guest not yet transcribed) is
listed as soon as the roundtable is, as the printed participants box lists everyone.
A person is public when at least one of their appearances is.
"""
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef

from articles.models import SpeakerTurn
from articles.public import public_turns
from forum.public import public_roundtables
from participants.models import Participant, Person


def _is_public_appearance():
    roundtable_is_public = Exists(public_roundtables().filter(pk=OuterRef("roundtable_id")))
    speaks_in_public = Exists(public_turns().filter(speaker=OuterRef("pk")))
    speaks_at_all = Exists(SpeakerTurn.objects.filter(speaker=OuterRef("pk")))
    return roundtable_is_public & (speaks_in_public | ~speaks_at_all)


def public_appearances():
    return Participant.objects.filter(_is_public_appearance())


def with_public_flag(participants):
    """Participants annotated with .is_public_appearance, in the same query."""
    return participants.annotate(
        is_public_appearance=ExpressionWrapper(_is_public_appearance(), output_field=BooleanField())
    )


def public_people():
    return Person.objects.filter(Exists(public_appearances().filter(person=OuterRef("pk"))))
