"""Saving a parsed transcript (articles.transcript's dict shape) as structured data.

All-or-nothing: everything is written in one transaction. People, organisations and
roles are matched to existing rows by name, so importing never duplicates them; a part
that already exists is refused (ImportConflict), so the same text imported twice does
not make a second copy.
"""

import datetime
import unicodedata

from django.contrib.auth import get_permission_codename
from django.db import transaction
from django.db.models import Max, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from articles import live_content
from articles.models import (
    MAX_TURNS_PER_PART,
    Article,
    Credit,
    Figure,
    Section,
    SpeakerTurn,
    is_turn_anchor,
    turn_anchor,
)
from articles.search.index import index_article
from articles.workflow import can_publish
from articles.transcript import parse_transcript
from articles.transcript.words import KINDS
from forum.models import Roundtable, RoundtableFormat
from participants.models import Organisation, Participant, Person, Role
from participants.text import normalise_name
from readings.lexicon import lexicon as lexicon_of
from forum.page_cache import content_changed
from articles.renditions import invalidate as invalidate_renditions


#: What save_transcript may create besides the part and its body: importing needs the
#: permission to add each of them (the admin import view checks it).
CREATED_ON_IMPORT = (Roundtable, Person, Organisation, Role, Participant)


def missing_import_permissions(user):
    """The models (besides the part) an import may create that ``user`` may not add."""
    return [
        model
        for model in CREATED_ON_IMPORT
        if not user.has_perm(f"{model._meta.app_label}.{get_permission_codename('add', model._meta)}")
    ]


class ImportConflict(Exception):
    """The part already exists; importing it again would make a second copy."""

    def __init__(self, article):
        self.article = article
        super().__init__(
            _("第%(number)s回のパート%(part)sは既に登録されています(%(title)s)。")
            % {"number": article.roundtable.number, "part": article.part_number, "title": article.title}
        )


class ImportProblem(ValueError):
    """The parse lacks something the database needs (e.g. the roundtable number)."""


class ImportTooLong(ImportProblem):
    """More turns than one part can hold (MAX_TURNS_PER_PART): refused before saving anything."""


class ImportChangesLiveParts(ImportProblem):
    """The import would add participants to a roundtable that public or scheduled parts show,
    and whoever imports is not a 公開担当 (articles.live_content): nothing is saved."""

    def __init__(self, roundtable, parts, added):
        self.roundtable, self.parts, self.added = roundtable, parts, added
        titles = "、".join(f"「{part.title}」" for part in parts[:3])
        more = _("ほか%(count)d件") % {"count": len(parts) - 3} if len(parts) > 3 else ""
        super().__init__(
            _(
                "第%(number)s回「%(roundtable)s」は公開中・公開予約中の記事 %(titles)s%(more)s に表示されているため、"
                "この原稿を取り込むと公開中のページに参加者(%(people)s)が加わります。"
                "公開中の記事に表示される情報は公開担当だけが変更できます。取り込みは公開担当に依頼してください。"
            )
            % {
                "number": roundtable.number,
                "roundtable": roundtable.title,
                "titles": titles,
                "more": more,
                "people": "、".join(added),
            }
        )


def check_length(data):
    turns = sum(
        1 for section in data.get("sections", []) for block in section.get("blocks", []) if block["type"] == "turn"
    )
    if turns > MAX_TURNS_PER_PART:
        raise ImportTooLong(
            _(
                "この原稿には発言が%(count)s個あります。1つの記事(パート)に入れられる発言は%(max)s個までです。"
                "原稿を前編・後編のように分けて、別々のパートとして取り込んでください。"
            )
            % {"count": f"{turns:,}", "max": f"{MAX_TURNS_PER_PART:,}"}
        )


def default_slug(forum, roundtable_number, part_number):
    """tokyo-cio-forum-4-part2, or -2, -3 … after it when an editor already used that name."""
    base = f"{forum.slug}-{roundtable_number}-part{part_number}"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def known_organisation_names():
    """Names and short names of the organisations on file, for the parser to prefer."""
    names = set()
    for name, short_name in Organisation.objects.values_list("name", "short_name"):
        names.update(n for n in (name, short_name) if n)
    return sorted(names)


def parse_for_import(text):
    """Parse text or bytes, splitting titles at organisations already on file."""
    return parse_transcript(text, organisations=known_organisation_names())


# == Matching to what is on file ==


def existing_organisation(name):
    if not name:
        return None
    return Organisation.objects.filter(name=name).first() or Organisation.objects.filter(short_name=name).first()


def find_organisation(name):
    """Match 東京都 and its short form 都 to one organisation; create unknown ones."""
    if not name:
        return None
    return existing_organisation(name) or Organisation.objects.create(name=name)


def _role_key(abbreviation):
    return unicodedata.normalize("NFKC", abbreviation).strip()


def existing_role(abbreviation):
    return Role.objects.filter(abbreviation=_role_key(abbreviation)).first()


def find_role(abbreviation, order_hint):
    """Match ＣＩＯ and CIO to one role; create unknown ones after the known ones."""
    return existing_role(abbreviation) or Role.objects.create(
        abbreviation=_role_key(abbreviation), sort_order=100 + order_hint
    )


def existing_person(name):
    """A person on file by name; 高橋晃 matches 高橋 晃 (spaces are not part of a name)."""
    name = normalise_name(name)
    person = Person.objects.filter(name=name).first()
    if person is None:
        compact = name.replace(" ", "")
        person = (
            Person.objects.annotate(compact=Replace("name", Value(" "), Value("")))
            .filter(compact=compact)
            .order_by("pk")
            .first()
        )
    return person


def find_person(name):
    return existing_person(name) or Person.objects.create(name=normalise_name(name))


#: Formats whose texts often print no 第N回: the next free number is proposed (and used).
NUMBER_OPTIONAL = (RoundtableFormat.INTERVIEW, RoundtableFormat.TAIDAN)


def next_free_number(forum):
    """The number after the forum's highest roundtable (1 for a forum with none)."""
    if forum is None or forum.pk is None:
        return 1
    highest = Roundtable.objects.filter(forum=forum).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


def format_of(data):
    return guess_format((data.get("roundtable") or {}).get("title"), data.get("title"), kind=data.get("kind"))


def number_is_proposed(data, override=None):
    """True when no 第N回 was given and the text is an interview or 対談 (numbered for it)."""
    return not (override or (data.get("roundtable") or {}).get("number")) and format_of(data) in NUMBER_OPTIONAL


def resolve_roundtable_number(data, override=None, forum=None):
    number = override or (data.get("roundtable") or {}).get("number")
    if not number and forum is not None and format_of(data) in NUMBER_OPTIONAL:
        return next_free_number(forum)
    if not number:
        if forum is not None:
            raise ImportProblem(
                _(
                    "座談会の回(第N回)が原稿から分かりません。回を指定してください"
                    "(このフォーラムで次に空いている回は第%(next)d回です)。"
                )
                % {"next": next_free_number(forum)}
            )
        raise ImportProblem(_("座談会の回(第N回)が原稿から分かりません。回を指定してください。"))
    return number


#: Words of a web page's controls and navigation that a copied page brings along.
PAGE_FURNITURE = (
    "文字サイズ",
    "文字の大きさ",
    "背景色",
    "読み上げ",
    "ページの先頭",
    "本文へ",
    "サイトマップ",
    "メニュー",
    "ホーム >",
    "ホーム>",
    "トップページ >",
    "印刷する",
    "Language",
)
LONG_LEAD = 600  # characters; a lead is a paragraph or two
LONG_CLOSING = 300  # a closing is a line such as 次回もお楽しみに!


def thin_reading_warnings(data):
    """What suggests the text was read thinly, in the words an editor acts on (no line number:
    each is about the whole text)."""
    warnings = []
    turns = [
        block for section in data.get("sections", []) for block in section.get("blocks", []) if block["type"] == "turn"
    ]
    if not data.get("participants") and not data.get("speakers"):
        warnings.append(
            _(
                "参加者が1人も見つかりませんでした。参加者欄(出席者・参加者の一覧)や発言者ラベルの書き方を確かめてください。"
            )
        )
    if not turns:
        warnings.append(
            _(
                "発言が1つも読み取れませんでした。発言者ラベル(例: 「山田 はい。」「○山田委員」)の書き方を確かめてください。"
            )
        )
    title = data.get("title") or ""
    furniture = [word for word in PAGE_FURNITURE if word in title]
    if furniture or not title.strip():
        warnings.append(
            _(
                "タイトルが「%(title)s」と読まれました。Webページの表示切り替えや案内(%(word)sなど)がタイトルに"
                "なっていないか確かめ、原稿の先頭から消してください。"
            )
            % {"title": title, "word": furniture[0] if furniture else _("文字サイズ")}
        )
    lead = data.get("lead") or ""
    if len(lead) > LONG_LEAD:
        warnings.append(
            _(
                "リード文が%(count)s字あります。本文(発言)の始まりがリード文として読まれていないか確かめてください"
                "(発言者ラベルがない、見出しがないなど)。"
            )
            % {"count": f"{len(lead):,}"}
        )
    closing = data.get("closing") or ""
    if len(closing) > LONG_CLOSING:
        warnings.append(
            _(
                "結びの文が%(count)s字あります。最後の回答がまるごと結びの文として読まれていないか確かめてください"
                "(最後の発言の発言者ラベルなど)。"
            )
            % {"count": f"{len(closing):,}"}
        )
    return warnings


def existing_part(data, forum, number_override=None):
    """The part this parse would create, if it is already on file (else None)."""
    number = resolve_roundtable_number(data, number_override, forum)
    part_number = (data.get("part") or {}).get("number") or 1
    return (
        Article.objects.select_related("roundtable")
        .filter(roundtable__forum=forum, roundtable__number=number, part_number=part_number)
        .first()
    )


def guess_format(*titles, kind=None):
    """The format the parser recognised (``kind``: 対談, 議事録 …), else the first kind word in
    a title, else 座談会."""
    formats = dict(KINDS)
    if kind in formats:
        return RoundtableFormat(formats[kind])
    for title in titles:
        for word, value in KINDS:
            if title and word in title:
                return RoundtableFormat(value)
    return RoundtableFormat.ZADANKAI


# == Saving ==


@transaction.atomic
def save_transcript(
    data,
    forum,
    *,
    roundtable_number=None,
    number_hidden=None,
    user=None,
    slug=None,
    status=None,
    publish_at=None,
    check_live=None,
):
    """Create the roundtable (if new), its participants, and the part with its body.

    Raises ImportConflict when the same part of the same roundtable already exists, and
    ImportProblem (or a ValidationError) when the data cannot be saved; then nothing is.

    When someone imports (``user``, or ``check_live=True`` for a command run by nobody in
    particular), the rule of articles.live_content holds: adding participants to a roundtable
    that public or scheduled parts show needs a 公開担当 (else ImportChangesLiveParts), and a
    publisher's additions are written into those parts' 操作記録 and 変更履歴. Without either
    (load_demo, tests) nothing is checked.

    ``number_hidden`` (or the data's roundtable.number_hidden, as exported): a new interview or
    対談 is created with 「第N回を表示しない」; an existing roundtable keeps its own setting.
    """
    if check_live is None:
        check_live = user is not None
    publisher = user is not None and can_publish(user)
    check_length(data)
    rt = data["roundtable"]
    number = resolve_roundtable_number(data, roundtable_number, forum)
    part = data.get("part") or {}
    held_on = datetime.date.fromisoformat(rt["held_on"]) if rt.get("held_on") else None
    kind = guess_format(rt.get("title"), data["title"], kind=data.get("kind"))
    hidden = bool(rt.get("number_hidden") if number_hidden is None else number_hidden)
    if hidden and kind not in NUMBER_OPTIONAL:
        raise ImportProblem(
            _("「第N回を表示しない」を選べるのは、インタビューと対談だけです(この原稿は%(format)sです)。")
            % {"format": kind.label}
        )
    roundtable, created = Roundtable.objects.get_or_create(
        forum=forum,
        number=number,
        defaults={
            "title": rt.get("title") or data["title"],
            "held_on": held_on,
            "part_count": part.get("of"),
            "format": kind,
            "number_hidden": hidden,
            "honorifics_omitted": data.get("honorifics_omitted", False),
        },
    )
    live_parts = [] if created or not check_live else list(live_content.parts_showing(roundtable))
    changes = []
    if (
        not created
        and roundtable.part_count is None
        and part.get("of")
        and (not live_parts or publisher)  # a live roundtable: publishers only (else left as it is)
    ):
        roundtable.part_count = part["of"]
        roundtable.save(update_fields=["part_count"])
        changes.append(
            _("%(field)s「(空)」→「%(count)s」")
            % {"field": Roundtable._meta.get_field("part_count").verbose_name, "count": part["of"]}
        )
    part_number = part.get("number") or 1
    existing = Article.objects.originals().filter(roundtable=roundtable, part_number=part_number).first()
    if existing:
        raise ImportConflict(existing)

    # Anonymous role labels (委員, 事務局, 記者) are saved as participants named by the role.
    added = []
    speakers = _save_participants(roundtable, data.get("participants", []) + data.get("speakers", []), added)
    if live_parts and added:
        if not publisher:
            raise ImportChangesLiveParts(roundtable, live_parts, [str(participant.person) for participant in added])
        changes += [_("参加者「%(name)s」を追加") % {"name": participant.person} for participant in added]
    article = Article(
        roundtable=roundtable,
        part_number=part_number,
        title=data["title"],
        slug=slug or default_slug(forum, number, part_number),
        lead=data.get("lead", ""),
        introduction=data.get("introduction", ""),
        closing=data.get("closing", ""),
        created_by=user,
        updated_by=user,
    )
    if status:
        article.status = status
    if publish_at:
        article.publish_at = publish_at
    article.full_clean(exclude=["roundtable"])
    article.save()
    _save_body(article, data.get("sections", []), speakers)
    Credit.objects.bulk_create(
        [
            Credit(
                article=article,
                position=position,
                role=credit["role"],
                name=credit["name"],
                affiliation=credit.get("affiliation") or "",
            )
            for position, credit in enumerate(data.get("credits", []), start=1)
        ]
    )
    if live_parts and changes:
        summary = "、".join(changes) + _("(原稿「%(title)s」の取り込み)") % {"title": article.title}
        live_content.record_change(roundtable, user, summary, live_parts)
    return article


def _save_participants(roundtable, participants, added=None):
    """Return {label: Participant}, reusing participants the roundtable already has (the
    ones it creates are appended to ``added``).

    A later part may print a known participant under another label (局長 for 宮坂): the
    person decides, so a roundtable never lists one person twice.
    """
    on_file = list(Participant.objects.filter(roundtable=roundtable).select_related("person"))
    speakers = {p.label: p for p in on_file}
    by_person = {p.person_id: p for p in on_file}
    next_order = len(on_file)
    for entry in participants:
        label = entry["label"]
        if label in speakers:
            continue
        person = find_person(entry["name"])
        if person.pk in by_person:
            speakers[label] = by_person[person.pk]
            continue
        next_order += 1
        organisation = find_organisation(entry.get("organisation"))
        printed = entry.get("organisation") or ""
        participant = Participant.objects.create(
            roundtable=roundtable,
            person=person,
            organisation=organisation,
            # Keep the printed form only where it differs from the organisation's own.
            organisation_label=(
                "" if organisation is None or printed == (organisation.short_name or organisation.name) else printed
            ),
            posts=list(entry.get("posts") or []),
            label=label,
            label_title=entry.get("label_title") or "",
            order=next_order,
        )
        participant.roles.set([find_role(role, i) for i, role in enumerate(entry.get("roles") or [])])
        speakers[label] = by_person[person.pk] = participant
        if added is not None:
            added.append(participant)
    return speakers


def _save_body(article, sections, speakers):
    """Sections, then all turns and figures in two bulk inserts (no query per turn)."""
    lexicon = lexicon_of(article.roundtable_id)  # line breaks and ふりがな of every text (readings)
    rows = [
        Section(
            article=article,
            position=position,
            heading=entry.get("heading") or "",
            subheading=entry.get("subheading") or "",
        )
        for position, entry in enumerate(sections, start=1)
    ]
    for row in rows:
        row.render(lexicon)
    rows = Section.objects.bulk_create(rows)
    turns, figures = [], []
    # Anchors an export carries (JSON) are kept; the others are made as SpeakerTurn.save would.
    kept = {
        block["anchor"]
        for entry in sections
        for block in entry.get("blocks", [])
        if is_turn_anchor(block.get("anchor"))
    }
    taken, used = set(), set(kept)
    for section, entry in zip(rows, sections):
        for position, block in enumerate(entry.get("blocks", []), start=1):
            if block["type"] == "figure":
                figures.append(Figure(section=section, position=position, reference=block["ref"]))
                continue
            label = block.get("speaker")
            if label and label not in speakers:
                raise ImportProblem(_("発言者「%(label)s」が参加者にいません。") % {"label": label})
            given = block.get("anchor")
            if is_turn_anchor(given) and given not in taken:
                fragment = given
            else:
                fragment = turn_anchor(label, block["text"], used)
            taken.add(fragment)
            used.add(fragment)
            turn = SpeakerTurn(
                section=section,
                position=position,
                speaker=speakers[label] if label else None,
                body=block["text"],
                fragment=fragment,
            )
            turn.render(lexicon)
            turns.append(turn)
    SpeakerTurn.objects.bulk_create(turns)
    Figure.objects.bulk_create(figures)
    index_article(article)  # bulk_create sends no signals
    invalidate_renditions([article.pk])
    content_changed()  # bulk_create sends no post_save
