from django.shortcuts import get_object_or_404, render

from participants.models import Participant, Person


def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    appearances = (
        Participant.objects.filter(person=person)
        .with_title_parts()
        .select_related("roundtable", "roundtable__forum")
        .order_by("-roundtable__held_on")
    )
    return render(request, "participants/person_detail.html", {
        "person": person, "appearances": appearances,
    })
