"""What the public may see of people: those who appear at a public roundtable."""
from django.db.models import Exists, OuterRef

from forum.public import public_roundtables
from participants.models import Participant, Person


def public_appearances():
    return Participant.objects.filter(roundtable__in=public_roundtables())


def public_people():
    return Person.objects.filter(Exists(public_appearances().filter(person=OuterRef("pk"))))
