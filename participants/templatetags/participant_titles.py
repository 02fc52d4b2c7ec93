"""A participant's printed title, with roles as <abbr title="正式名称">, and a speaker's labels."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from forum.conventions import compose_title, first_label, hereafter

register = template.Library()


def _role_html(role):
    if role.full_name:
        return format_html('<abbr title="{}">{}</abbr>', role.full_name, role.abbreviation)
    return format_html("{}", role.abbreviation)


@register.filter
def title_html(participant):
    """町田市総務部長兼情報システム担当部長(<abbr>CIO補佐</abbr>、…), the same text as full_title.

    Memoised on the participant, which a part's turns share (one per speaker).
    """
    cached = getattr(participant, "_title_html", None)
    if cached is not None:
        return cached
    roles = sorted(participant.roles.all(), key=lambda r: (r.sort_order, r.abbreviation))
    html = mark_safe(
        compose_title(  # every piece escaped
            escape(participant.organisation_prefix),
            [escape(post) for post in participant.posts or []],
            [_role_html(role) for role in roles],
        )
    )
    participant._title_html = html
    return html


@register.filter
def speaker_title_html(participant):
    """The title of a first speaker label: label_title as written, else the full title."""
    if participant.label_title:
        return format_html("{}", participant.label_title)
    return title_html(participant)


@register.filter(name="hereafter")
def hereafter_filter(label):
    """(以下「label」), after a first label's title and name."""
    return hereafter(label)


@register.filter(name="first_label")
def first_label_filter(participant):
    """A speaker's first label in a part, as plain text: title:label(以下「label」)."""
    return first_label(participant.speaker_title, participant.short_label, participant.short_label)


@register.filter
def speaker_description(participant):
    """Title and full name in one line, for a label's hover text and screen readers."""
    cached = getattr(participant, "_speaker_description", None)
    if cached is None:
        title = participant.full_title
        cached = f"{title} {participant.person.name}" if title else participant.person.name
        participant._speaker_description = cached
    return cached


@register.filter
def person_url(participant):
    """The person's page, reversed once per speaker rather than once per turn."""
    cached = getattr(participant, "_person_url", None)
    if cached is None:
        cached = participant._person_url = participant.person.get_absolute_url()
    return cached


@register.filter
def speaker_reading(participant):
    """How 読み上げ announces a speaker: the person's reading (よみがな), else the printed label."""
    return participant.person.reading or participant.short_label
