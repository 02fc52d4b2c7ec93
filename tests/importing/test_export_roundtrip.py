"""Export a part to text and import it into a fresh forum: the same part comes back.

A property over generated parts, built in the database with the ORM (not through the
importer), exported with articles.exporter, parsed and saved with articles.importer.
"""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.exporter import render_part
from articles.importer import parse_for_import, save_transcript
from articles.models import Article, Credit, Figure, Section, SpeakerTurn
from articles.transcript import CREDIT_ROLES
from forum.models import Forum, Roundtable, RoundtableFormat
from participants.models import Organisation, Participant, Person, Role
from tests.support.strategies import GIVEN, POSTS, SURNAMES, era_text, heading, paragraphs, sentence

ORGANISATIONS = [("東京都", "都"), ("町田市", ""), ("武蔵村山市", ""), ("日の出町", ""), ("四日市市", "")]
ROLE_ORDER = {"CIO": 10, "CIO補佐": 20, "CDO": 30, "CISO": 40}
FORMATS = {
    "座談会": RoundtableFormat.ZADANKAI,
    "対談": RoundtableFormat.TAIDAN,
    "鼎談": RoundtableFormat.TEIDAN,
    "インタビュー": RoundtableFormat.INTERVIEW,
}
PARTS = [(1, None, ""), (1, 1, ""), (1, 2, ""), (2, 2, "part2"), (2, 3, ""), (3, None, "part3"), (2, None, "")]


@st.composite
def part_specs(draw):
    """Everything a part is, in the conventions its text form can carry."""
    people = []
    for surname in draw(st.lists(st.sampled_from(SURNAMES), min_size=1, max_size=4, unique=True)):
        organisation = draw(st.sampled_from([None, *ORGANISATIONS]))
        people.append(
            {
                "name": f"{surname} {draw(st.sampled_from(GIVEN))}",
                "organisation": organisation[0] if organisation else None,
                # 東京都… printed in full although the organisation's short form is 都
                "printed_in_full": bool(organisation and organisation[1]) and draw(st.booleans()),
                "posts": draw(st.lists(st.sampled_from(POSTS), min_size=1, max_size=2, unique=True)),
                "roles": draw(st.lists(st.sampled_from(list(ROLE_ORDER)), max_size=3, unique=True)),
                "label": draw(st.sampled_from(["", "", f"{surname}部長", f"{surname}(都)"])),
                "label_title": draw(st.sampled_from(["", "", "都CIO", "東京都総務部長"])),
            }
        )
    turn = st.tuples(st.just("turn"), st.integers(0, len(people) - 1), paragraphs)
    narration = st.tuples(
        st.just("turn"),
        st.none(),
        st.sampled_from(["―", "――"]).flatmap(lambda dash: sentence.map(lambda text: dash + text)),
    )
    figure = st.tuples(st.just("figure"), st.sampled_from(["画像", "図", "写真"]), st.integers(1, 20)).map(
        lambda f: ("figure", f"{f[1]}{f[2]}")
    )
    sections = []
    for index in range(draw(st.integers(1, 4))):
        head = draw(st.one_of(st.just(""), heading) if index == 0 else heading)
        sub = draw(st.one_of(st.just(""), heading)) if head else ""
        sections.append((head, sub, draw(st.lists(st.one_of(turn, turn, narration, figure), min_size=1, max_size=5))))
    speakers = {block[1] for _, _, blocks in sections for block in blocks if block[0] == "turn"}
    for index, person in enumerate(people):
        if index not in speakers:  # a label and its title are printed only where one speaks
            person["label"] = person["label_title"] = ""
    last = sections[-1][2][-1]
    is_speech = last[0] == "turn" and last[1] is not None
    part_number, part_count, suffix = draw(st.sampled_from(PARTS))
    has_note = part_count is not None or (part_number != 1 and not suffix)
    held_on = draw(st.one_of(st.none(), st.dates(datetime.date(1927, 1, 1), datetime.date(2030, 12, 31))))
    if held_on:
        date = draw(st.sampled_from([era_text(held_on), f"{held_on.year}年{held_on.month}月{held_on.day}日"]))
        introduction = f"{date}に、座談会を実施しました。"
    else:
        introduction = draw(sentence) if has_note and draw(st.booleans()) else ""
    number = draw(st.integers(1, 99))
    kind = draw(st.sampled_from(list(FORMATS)))
    # In an interview a ― line is the interviewer's question, and the paragraph after it its
    # answer: a closing right after a last ― line cannot be told from an unlabelled answer in
    # the text (the importer warns and makes it a turn), so such a part has no plain closing.
    ends_with_question = kind == "インタビュー" and last[0] == "turn" and last[1] is None
    rt_title = draw(heading) + kind
    lead = draw(st.lists(sentence, max_size=2)) + [f"第{number}回は、「{rt_title}」をお届けします!"]
    return {
        "roundtable": {
            "number": number,
            "title": rt_title,
            "held_on": held_on,
            "format": FORMATS[kind],
            "part_count": part_count,
            "honorifics_omitted": draw(st.booleans()),
        },
        "article": {
            "part_number": part_number,
            "title": draw(sentence) + suffix,
            "lead": "\n\n".join(lead),
            "introduction": introduction,
            "closing": draw(
                st.sampled_from(
                    ["", "次回もお楽しみに!", "(了)", "次回もお楽しみに!\n\n(了)"]
                    + ([] if is_speech or ends_with_question else ["本日はここまで。"])
                )
            ),
        },
        "people": people,
        "sections": sections,
        "credits": draw(
            st.lists(
                st.tuples(
                    st.sampled_from(CREDIT_ROLES),
                    st.sampled_from(["猪ノ口 渉", "星野 惇", "山本 太郎"]),
                    st.sampled_from(["", "同上", "デジタルサービス局戦略部戦略課"]),
                ),
                max_size=3,
            )
        ),
    }


def build_part(spec, forum):
    """Save a spec with the ORM, as an editor would have entered it in the admin."""
    roundtable = Roundtable.objects.create(forum=forum, **spec["roundtable"])
    participants = []
    for order, p in enumerate(spec["people"], start=1):
        organisation = Organisation.objects.get(name=p["organisation"]) if p["organisation"] else None
        participant = Participant.objects.create(
            roundtable=roundtable,
            person=Person.objects.get_or_create(name=p["name"])[0],
            organisation=organisation,
            organisation_label=organisation.name if p["printed_in_full"] else "",
            posts=p["posts"],
            label=p["label"],
            order=order,
        )
        participant.roles.set(Role.objects.filter(abbreviation__in=p["roles"]))
        if p["label_title"] and p["label_title"] != participant.full_title:
            participant.label_title = p["label_title"]
            participant.save()
        participants.append(participant)
    article = Article.objects.create(roundtable=roundtable, slug=f"{forum.slug}-part", **spec["article"])
    for position, (head, sub, blocks) in enumerate(spec["sections"], start=1):
        section = Section.objects.create(article=article, position=position, heading=head, subheading=sub)
        for index, block in enumerate(blocks, start=1):
            if block[0] == "figure":
                Figure.objects.create(section=section, position=index, reference=block[1])
            else:
                speaker = participants[block[1]] if block[1] is not None else None
                SpeakerTurn.objects.create(section=section, position=index, speaker=speaker, body=block[2])
    for position, (role, name, affiliation) in enumerate(spec["credits"], start=1):
        Credit.objects.create(article=article, position=position, role=role, name=name, affiliation=affiliation)
    return article


def structure(article):
    """What a reader and an editor see of a part, independent of row ids of the part."""
    rt = article.roundtable
    participants = Participant.objects.filter(roundtable=rt).with_title_parts().order_by("order", "pk")
    sections = []
    for section in article.sections.order_by("position"):
        items = [
            ((t.position, 0), ("turn", t.speaker.person_id if t.speaker else None, t.body))
            for t in section.turns.select_related("speaker")
        ]
        items += [((f.position, 1), ("figure", f.reference)) for f in section.figures.all()]
        sections.append((section.heading, section.subheading, [item for _, item in sorted(items)]))
    return {
        "roundtable": (rt.number, rt.title, rt.held_on, rt.format, rt.part_count, rt.honorifics_omitted),
        "part": (article.part_number, article.title, article.lead, article.introduction, article.closing),
        "participants": [
            (
                p.person_id,
                p.organisation_id,
                p.organisation_label,
                p.posts,
                sorted(r.abbreviation for r in p.roles.all()),
                p.short_label,
                p.label_title,
                p.full_title,
            )
            for p in participants
        ],
        "sections": sections,
        "credits": list(article.credits.order_by("position").values_list("role", "name", "affiliation")),
    }


class ExportThenImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for name, short_name in ORGANISATIONS:
            Organisation.objects.create(name=name, short_name=short_name)
        for abbreviation, order in ROLE_ORDER.items():
            Role.objects.create(abbreviation=abbreviation, sort_order=order)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(part_specs())
    def test_importing_the_text_export_of_a_part_reproduces_the_part(self, spec):
        original = build_part(spec, Forum.objects.create(name="元のフォーラム", slug="original"))
        counts = [model.objects.count() for model in (Person, Organisation, Role)]

        text = render_part(original, "text")
        data = parse_for_import(text).to_dict()
        copy = save_transcript(data, Forum.objects.create(name="別のフォーラム", slug="fresh"))

        assert data["warnings"] == [], text
        assert structure(copy) == structure(original), text
        # People, organisations and roles were matched, never duplicated.
        assert [model.objects.count() for model in (Person, Organisation, Role)] == counts
