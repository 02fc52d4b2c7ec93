"""A part's body rendered once and stored (articles.models.Rendition), so that the public page
does not assemble hundreds of turns through the template engine on every request.

What is stored is exactly what templates/articles/_body.html (web=True) and the body's share of
templates/includes/furigana_data.html print, plus the table of contents: the same template, the
same context, so the page is byte for byte what it was. Beside it, the part's content in the
feeds (templates/articles/feed_content.html, sanitised with absolute URLs, all but the
participants list: articles.feed_items.feed_body), so that a feed of 50 long parts reads 50
stored strings; a rendition made for another SITE_URL is not used by the feeds. What depends on the reader (ふりがな on or
off, 文字サイズ, 背景色, 読み上げ) is done in the browser on that HTML, as before. What depends on
the time or on other parts (the participants box's public appearances, the part note, previous
and next part, back numbers) stays live in the view.

A rendition is current while its `release` is RELEASE (the code and templates it was made with).
It stops being current (`release` emptied, one UPDATE) whenever something it prints changes:

- the part, its sections, turns and figures (model signals below; bulk writes call `invalidate`:
  import, corrections, restoring a version, block order, regenerated readings);
- what a part prints of shared records (articles.visibility.PRINTED_RECORDS): its roundtable, the
  roundtable's participants and their roles, people, organisations, roles, the forum.

The page (and the feed) then renders from the models, stores the new rendition and serves it
(`for_page`, `for_parts`);
`manage.py rebuild_renditions` (and the migration that added them) makes them all in advance.
Renditions are written with QuerySet.update / bulk_create, which send no model signals: storing
one is not a change of public content (forum.page_cache).
"""

import hashlib
from pathlib import Path

import nh3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.template.loader import render_to_string

from articles import feed_items
from articles.content import load_articles_content, load_participants, speaking_in
from articles.models import Article, Credit, Figure, Rendition, Section, SpeakerTurn, resolve_credit_affiliations
from articles.visibility import PRINTED_RECORDS
from participants.models import Participant

BODY_TEMPLATE = "articles/_body.html"
FURIGANA_TEMPLATE = "articles/_body_furigana.html"
TOC_TEMPLATE = "articles/_toc.html"
PARTICIPANT_TEMPLATE = "includes/participant.html"
CREDITS_TEMPLATE = "articles/_credits.html"

# The code and templates a rendition's HTML comes from.
_SOURCES = [
    "articles/renditions.py",
    "articles/content.py",
    "articles/models.py",
    "articles/feed_items.py",
    "articles/markdown.py",
    "participants/models.py",
    "participants/templatetags/participant_titles.py",
    "forum/templatetags/public_site.py",
    "forum/conventions.py",
    "forum/images",
    "forum/web/seo.py",
    "templates/articles",
    "templates/includes/picture.html",
    "templates/includes/participant.html",
]


def _release():
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for source in _SOURCES:
        root = base / source
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html"}:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    # The addresses printed in the HTML (figures' images) come from these.
    digest.update(f"{settings.MEDIA_URL}|{settings.STATIC_URL}|{settings.LANGUAGE_CODE}".encode())
    # The feeds' content is sanitised by it (the SITE_URL it was made for is kept with it).
    digest.update(f"nh3 {nh3.__version__}".encode())
    return digest.hexdigest()[:32]


RELEASE = _release()


def render(article, content, participants, credits):
    """The rendition's fields for `article`: from its loaded content (articles.content), its
    roundtable's participants (load_participants, printed order) and its credits
    (resolve_credit_affiliations)."""
    context = {"article": article, "content": content, "web": True}
    feed_html, feed = feed_items.feed_body(article, content, credits)
    return {
        "body_html": render_to_string(BODY_TEMPLATE, context),
        "furigana_html": render_to_string(FURIGANA_TEMPLATE, context),
        "toc_html": render_to_string(TOC_TEMPLATE, {"toc": [e.section for e in content if e.section.heading]}).strip(),
        "feed_html": feed_html,
        "summary": {
            "headings": [entry.section.heading for entry in content if entry.section.heading],
            "speakers": sorted(speaking_in(content)),
            # Every participant of the roundtable: which are listed is decided per request
            # (a guest of a part not yet public is not, articles.visibility).
            "participants": [
                {
                    "id": participant.pk,
                    "name": participant.person.name,
                    "html": render_to_string(PARTICIPANT_TEMPLATE, {"participant": participant}),
                    # The JSON-LD's parts, not its dict: PostgreSQL's jsonb does not keep key order.
                    "title": participant.full_title,
                    "organisation": participant.organisation.name if participant.organisation else None,
                }
                for participant in participants
            ],
            "credits_html": render_to_string(CREDITS_TEMPLATE, {"credits": credits}).strip(),
            "writers": [credit.name for credit, _ in credits if credit.is_writer],
            # The feeds' share: the address it was made for, where the participants go, the lead.
            "feed": feed,
        },
    }


def speaker_ld(item):
    """A speaker (an item of the summary's participants) as schema.org Person, with the title
    printed for this appearance."""
    data = {"@type": "Person", "name": item["name"]}
    if item["title"]:
        data["jobTitle"] = item["title"]
    if item["organisation"] is not None:
        data["affiliation"] = {"@type": "Organization", "name": item["organisation"]}
    return data


def load(articles):
    """{article pk: rendition fields} rendered from the models, for parts of any roundtables."""
    articles = list(articles)
    participants = load_participants({article.roundtable_id for article in articles})
    contents = load_articles_content(articles, participants)
    credits = {article.pk: [] for article in articles}
    for credit in Credit.objects.filter(article__in=[article.pk for article in articles]):
        credits[credit.article_id].append(credit)
    return {
        article.pk: render(
            article,
            contents[article.pk],
            [p for p in participants.values() if p.roundtable_id == article.roundtable_id],
            resolve_credit_affiliations(credits[article.pk]),
        )
        for article in articles
    }


def store(article, fields, generation=None):
    """Write the rendition of `article` (no model signals: see the module's docstring).

    `generation` is the stored rendition's generation seen before the rows were read: if a
    change came since (another transaction made it stale again), nothing is written, so HTML
    rendered from rows that are no longer current is never stored. None: store whatever is there.
    """
    fields = {**fields, "release": RELEASE}
    renditions = Rendition.objects.filter(article_id=article.pk)
    if generation is not None:
        renditions.filter(generation=generation).update(**fields)
        return
    if renditions.update(**fields):
        return
    try:
        with transaction.atomic():
            Rendition.objects.bulk_create([Rendition(article_id=article.pk, **fields)])
    except IntegrityError:  # another request stored it meanwhile, or the part was deleted
        pass


def current(article):
    """The part's stored rendition when it is current, else None (no query when the part was
    loaded with select_related("rendition"))."""
    try:
        rendition = article.rendition
    except Rendition.DoesNotExist:
        return None
    return rendition if rendition.release == RELEASE else None


def for_page(article):
    """The current rendition of `article`, made and stored now if there is none."""
    return for_parts([article])[article.pk]


def for_parts(articles, usable=None):
    """{article pk: current rendition} for `articles` (loaded with select_related("rendition")):
    those with none current (or whose stored one `usable(article, rendition)` refuses) are
    rendered together (load: the same queries for one or fifty) and stored."""
    found, missing = {}, []
    for article in articles:
        rendition = current(article)
        if rendition is not None and (usable is None or usable(article, rendition)):
            found[article.pk] = rendition
        else:
            try:
                seen = article.rendition.generation  # read with the part, before its rows
            except Rendition.DoesNotExist:
                seen = None
            missing.append((article, seen))
    made = load([article for article, _ in missing]) if missing else {}
    for article, seen in missing:
        fields = made[article.pk]
        if article.correction_of_id is None:
            store(article, fields, seen)
        found[article.pk] = Rendition(article_id=article.pk, release=RELEASE, **fields)
    return found


def rebuild(articles):
    """Render and store the renditions of `articles` (a queryset); returns how many."""
    count = 0
    articles = articles.originals().select_related("roundtable").order_by("pk")
    for start in range(0, articles.count(), 100):
        for article in articles[start : start + 100]:
            store(article, load([article])[article.pk])
            count += 1
    return count


def invalidate(articles=None, **lookup):
    """The renditions of these parts (a queryset or ids, or a Rendition lookup) stop being
    current: one UPDATE. Without arguments, all of them."""
    renditions = Rendition.objects.all()
    if articles is not None:
        if hasattr(articles, "values"):
            articles = articles.values("pk")
        renditions = renditions.filter(article__in=articles)
    if lookup:
        renditions = renditions.filter(**lookup)
    renditions.update(release="", generation=F("generation") + 1)


# What each kind of record's change makes stale: a Rendition lookup from the record's id.
_STALE = {
    Article: "article_id",
    Credit: "article__credits",
    Section: "article__sections",
    SpeakerTurn: "article__sections__turns",
    Figure: "article__sections__figures",
    **{model: f"article__{path}" for model, path in PRINTED_RECORDS.items()},
}


def _stale_for(instance):
    model = type(instance)
    if model in (Section, Credit):
        invalidate(article_id=instance.article_id)
    elif model in (SpeakerTurn, Figure):
        invalidate(article__sections=instance.section_id)
    elif model is Participant:
        invalidate(article__roundtable=instance.roundtable_id)
    else:
        invalidate(**{_STALE[model]: instance.pk})


def _saved(sender, instance, created=False, **kwargs):
    if sender is Article and created:
        # Its row from the start, stale until rendered: see store()'s generation.
        Rendition.objects.bulk_create([Rendition(article_id=instance.pk)], ignore_conflicts=True)
    elif sender in _STALE:
        _stale_for(instance)


def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if reverse:  # role.participants.add(...): the role's parts, before and after
        invalidate(article__roundtable__participants__roles=instance.pk)
        if pk_set:
            invalidate(article__roundtable__participants__in=pk_set)
    else:
        invalidate(article__roundtable=instance.roundtable_id)


for _model in _STALE:
    post_save.connect(_saved, sender=_model, dispatch_uid=f"rendition_saved_{_model.__name__}")
    # Before the rows go, so that the lookup still finds the parts (a role's through rows,
    # a turn's section go with it).
    pre_delete.connect(_saved, sender=_model, dispatch_uid=f"rendition_deleted_{_model.__name__}")
m2m_changed.connect(_roles_changed, sender=Participant.roles.through, dispatch_uid="rendition_roles")
