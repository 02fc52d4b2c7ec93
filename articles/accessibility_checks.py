"""Accessibility checks of a part, run on the server before it is published.

The checks themselves (check_alt_text, vague_link_text, check_html, check_headings) take
plain strings and know nothing of models: the tests feed them text directly. part_findings
gathers a part's texts from the database (a fixed number of queries) and runs them; the admin
change page, the staff preview and the publishing gate (articles.workflow) all use it, so
they list the same findings.

Errors stop publishing (unless someone with OVERRIDE_PERMISSION gives a reason); warnings
are shown but do not.

- an image without alt text, or with one that says nothing: 「画像」, 写真, image, a file name
  (IMG_1234.jpg), the figure's reference (画像1), or its caption repeated;
- alt text over ALT_TEXT_LIMIT characters (a warning: move the detail to the caption);
- link text that says nothing on its own: こちら, ここ, 詳細, click here, more, 前半はこちら;
- an empty heading, or a heading level skipped (a 小見出し without its 見出し);
- a figure placeholder with no image.
"""

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext as _

ERROR, WARNING = "error", "warning"
ALT_TEXT_LIMIT = 200
OVERRIDE_PERMISSION = "articles.publish_despite_accessibility"

# Alt texts that name the kind of thing instead of describing it (compared without digits,
# spaces and punctuation, NFKC and lower case: 画像1 → 画像, IMG 0001 → img).
GENERIC_ALT_TEXTS = frozenset(
    {
        "画像",
        "写真",
        "イメージ",
        "図",
        "図版",
        "挿絵",
        "イラスト",
        "見出し画像",
        "サムネイル",
        "スクリーンショット",
        "無題",
        "代替テキスト",
        "image",
        "img",
        "photo",
        "picture",
        "pic",
        "figure",
        "fig",
        "thumbnail",
        "screenshot",
        "untitled",
        "alt",
        "dsc",
        "dscn",
        "dscf",
        "pxl",
    }
)
FILE_NAME = re.compile(
    r"(\.(jpe?g|png|gif|webp|svg|bmp|tiff?|heic|avif)$)|^(img|dsc[nf]?|pxl|image|photo)[ _-]?\d+", re.IGNORECASE
)
# Words that, alone or together, leave a link's purpose to the text around it. A link text
# made only of these (and particles) says nothing on its own.
VAGUE_LINK_WORDS = (
    "クリックしてください",
    "クリック",
    "こちら",
    "ここ",
    "これ",
    "詳細",
    "詳しく",
    "くわしく",
    "続きを読む",
    "続き",
    "つづき",
    "もっと見る",
    "もっと",
    "リンク",
    "ページ",
    "前半",
    "後半",
    "前編",
    "中編",
    "後編",
    "次回",
    "前回",
    "ご覧ください",
    "ご覧",
    "見る",
    "読む",
    "ください",
    "して",
    "から",
    "は",
    "を",
    "へ",
    "click",
    "here",
    "read",
    "more",
    "link",
    "this",
    "page",
    "details",
    "detail",
)
_VAGUE = re.compile(r"第\d+回|" + "|".join(re.escape(word) for word in sorted(VAGUE_LINK_WORDS, key=len, reverse=True)))


_MARKUP = re.compile(r"<(a|img|h[1-6])\b")


@dataclass(frozen=True)
class _Turn:
    pk: int
    section_id: int
    position: int
    body_html: str
    label: str | None  # the speaker's label, their name (None: narration)
    name: str | None
    fragment: str  # the turn's anchor on the page (SpeakerTurn.anchor), "" for an old row


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    where: str  # 「リード文」, 見出し「…」の発言3(高橋)
    message: str
    field: str = ""  # the admin form field to correct (id_lead), if one
    anchor: str = ""  # the place on the part's page (t-3fa9c2d1, section-3), if one

    @property
    def is_error(self):
        return self.level == ERROR


def _compact(text):
    """NFKC, lower case, without spaces, punctuation and symbols."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _has_words(text):
    return bool(_compact(text))


def generic_alt_text(alt):
    """Whether the alt text names the kind of thing (画像, 写真1, image) instead of describing it."""
    return re.sub(r"\d+", "", _compact(alt)) in GENERIC_ALT_TEXTS


def file_name_alt_text(alt, file_name=""):
    alt = unicodedata.normalize("NFKC", (alt or "").strip())
    if FILE_NAME.search(alt):
        return True
    base = file_name.rsplit("/", 1)[-1]
    return bool(base) and _compact(alt) in {_compact(base), _compact(base.rsplit(".", 1)[0])}


def vague_link_text(text):
    """Whether a link's text says nothing on its own (こちら, 詳細, click here, 前半はこちら)."""
    compact = _compact(text)
    return not _VAGUE.sub("", compact) if compact else True


def check_alt_text(alt, *, where, caption="", reference="", file_name="", field="", anchor=""):
    """Findings for the alt text of an image that is on the page."""
    found = []

    def add(level, message):
        found.append(Finding(level, where, message, field, anchor))

    alt = (alt or "").strip()
    if not alt:
        add(ERROR, _("画像に代替テキストがありません。画像の内容を文章で書いてください。"))
        return found
    if file_name_alt_text(alt, file_name):
        add(ERROR, _("代替テキストがファイル名です(「%(alt)s」)。画像の内容を文章で書いてください。") % {"alt": alt})
    elif generic_alt_text(alt) or (reference and _compact(alt) == _compact(reference)):
        add(
            ERROR,
            _("代替テキスト「%(alt)s」は画像の内容を説明していません。何が写っているかを書いてください。")
            % {"alt": alt},
        )
    elif caption and _compact(alt) == _compact(caption):
        add(
            ERROR,
            _(
                "代替テキストがキャプションと同じです。画面読み上げでは同じ文が2回読まれます。写っているものを書いてください。"
            ),
        )
    if len(alt) > ALT_TEXT_LIMIT:
        add(
            WARNING,
            _("代替テキストが%(length)d文字あります(目安は%(limit)d文字まで)。詳しい説明はキャプションか本文へ。")
            % {"length": len(alt), "limit": ALT_TEXT_LIMIT},
        )
    return found


class _Collector(HTMLParser):
    """Links (their text, alt of images inside included), images and headings of a fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.images, self.headings = [], [], []
        self._link = None
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._link = []
        elif tag == "img":
            self.images.append(attrs.get("alt") or "")
            if self._link is not None:
                self._link.append(attrs.get("alt") or "")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append("".join(self._link))
            self._link = None
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            level, parts = self._heading
            self.headings.append((level, "".join(parts)))
            self._heading = None

    def handle_data(self, data):
        if self._link is not None:
            self._link.append(data)
        if self._heading is not None:
            self._heading[1].append(data)


def check_html(html, *, where, field="", anchor="", start_level=2):
    """Findings for rendered Markdown: link texts, images' alt text, headings inside it.
    `start_level` is the level of the heading the fragment stands under."""
    if not html or not _MARKUP.search(html):
        return []  # most turns are plain paragraphs: nothing to parse
    collector = _Collector()
    collector.feed(html)
    collector.close()
    found = []
    for text in collector.links:
        if vague_link_text(text):
            shown = " ".join(text.split()) or _("(文字なし)")
            found.append(
                Finding(
                    ERROR,
                    where,
                    _(
                        "リンクの文字「%(text)s」だけでは行き先が分かりません。"
                        "「町田市の取り組み(PDF)」のように、行き先が分かる言葉にしてください。"
                    )
                    % {"text": shown},
                    field,
                    anchor,
                )
            )
    for alt in collector.images:
        found += check_alt_text(alt, where=where, field=field, anchor=anchor)
    level = start_level
    for heading_level, text in collector.headings:
        if not _has_words(text):
            found.append(
                Finding(
                    ERROR, where, _("空の見出しがあります。見出しの文字を入れるか、削除してください。"), field, anchor
                )
            )
        if heading_level > level + 1:
            found.append(
                Finding(
                    ERROR,
                    where,
                    _("見出しの階層が飛んでいます(h%(before)dの次がh%(after)d)。")
                    % {"before": level, "after": heading_level},
                    field,
                    anchor,
                )
            )
        level = heading_level
    return found


def check_heading(heading, subheading, *, where, anchor=""):
    """A section's 見出し (h2) and 小見出し (h3): neither empty, no h3 without its h2."""
    found = []
    if heading and not _has_words(heading):
        found.append(
            Finding(
                ERROR,
                where,
                _("見出し「%(text)s」に文字がありません(記号だけの見出しは読み上げで空になります)。")
                % {"text": heading},
                anchor=anchor,
            )
        )
    if subheading and not _has_words(subheading):
        found.append(
            Finding(ERROR, where, _("小見出し「%(text)s」に文字がありません。") % {"text": subheading}, anchor=anchor)
        )
    if subheading and not heading:
        found.append(
            Finding(
                ERROR,
                where,
                _(
                    "小見出しだけで見出しがありません(見出しの階層が飛びます)。見出しを入れるか、小見出しを見出しにしてください。"
                ),
                anchor=anchor,
            )
        )
    return found


def check_placeholder(*, where, field="", anchor=""):
    return Finding(
        ERROR,
        where,
        _("画像がまだ入っていません(原稿の画像の位置だけがあります)。画像を入れるか、この画像欄を削除してください。"),
        field,
        anchor,
    )


# --- a part, from the database ---------------------------------------------------------------


def part_findings(article):
    """Every finding for a saved part, in page order (a fixed number of queries)."""
    from articles.models import Figure, Section, SpeakerTurn
    from articles.series import part_note, total_parts

    found = []
    if article.header_image:
        found += check_alt_text(
            article.header_image_alt,
            where=_("見出し画像"),
            file_name=article.header_image.name,
            field="id_header_image_alt",
        )
    for name, label, html in (
        ("lead", _("リード文"), article.lead_html),
        ("introduction", _("導入文"), article.introduction_html),
    ):
        found += check_html(html, where=label, field=f"id_{name}")
    total = total_parts(article)
    note = part_note(article, article.parts(), total)
    for link in note.links if note else ():
        if vague_link_text(link.label):
            found.append(
                Finding(
                    ERROR,
                    _("記事の前後のリンク"),
                    _("リンク「%(text)s」だけでは行き先が分かりません。") % {"text": link.label},
                )
            )
    sections = list(Section.objects.filter(article=article).order_by("position", "pk"))
    # Plain rows, not model instances: a part may hold thousands of turns.
    turns = [
        _Turn(*row)
        for row in SpeakerTurn.objects.filter(section__article=article).values_list(
            "pk", "section_id", "position", "body_html", "speaker__label", "speaker__person__name", "fragment"
        )
    ]
    figures = Figure.objects.filter(section__article=article)
    by_section = {section.pk: [] for section in sections}
    for turn in turns:
        by_section[turn.section_id].append(turn)
    figures_by_section = {section.pk: [] for section in sections}
    for figure in figures:
        figures_by_section[figure.section_id].append(figure)
    from forum.conventions import reading_order

    def order(items):
        # The admin's inline forms follow the models' ordering: (position, pk) in a section.
        return {item.pk: index for index, item in enumerate(sorted(items, key=lambda item: (item.position, item.pk)))}

    for number, section in enumerate(sections, start=1):
        prefix = f"id_sections-{number - 1}"  # the section's inline form on the change page
        name = section.heading or section.subheading or _("%(number)d番目の見出しなし") % {"number": number}
        section_where = _("見出し「%(name)s」") % {"name": name}
        found += [
            Finding(f.level, f.where, f.message, f"{prefix}-heading", f.anchor)
            for f in check_heading(section.heading, section.subheading, where=section_where, anchor=section.anchor)
        ]
        level = 3 if section.subheading else 2 if section.heading else 1
        turn_number = 0
        turn_forms, figure_forms = order(by_section[section.pk]), order(figures_by_section[section.pk])
        for is_figure, item in reading_order(by_section[section.pk], figures_by_section[section.pk]):
            if is_figure:
                field = f"{prefix}-figures-{figure_forms[item.pk]}"
                label = item.reference or _("画像")
                where = _("%(section)sの%(figure)s") % {"section": section_where, "figure": label}
                if not item.image:
                    found.append(check_placeholder(where=where, field=f"{field}-image", anchor=section.anchor))
                else:
                    found += check_alt_text(
                        item.alt_text,
                        where=where,
                        caption=item.caption,
                        reference=item.reference,
                        file_name=item.image.name,
                        field=f"{field}-alt_text",
                        anchor=section.anchor,
                    )
                continue
            turn_number += 1
            if not _MARKUP.search(item.body_html or ""):
                continue  # no link, image or heading in it: nothing to check
            speaker = item.label or (item.name.split(" ")[0] if item.name else _("地の文"))
            where = _("%(section)sの発言%(number)d(%(speaker)s)") % {
                "section": section_where,
                "number": turn_number,
                "speaker": speaker,
            }
            found += check_html(
                item.body_html,
                where=where,
                field=f"{prefix}-turns-{turn_forms[item.pk]}-body",
                anchor=item.fragment or f"turn-{item.pk}",
                start_level=level,
            )
    found += check_html(article.closing_html, where=_("結びの文"), field="id_closing")
    return found


def finding_link(finding, article):
    """Where a finding is corrected or seen: the admin field, or the place in the preview."""
    from django.urls import reverse

    if finding.field:
        return f"{reverse('admin:articles_article_change', args=[article.pk])}#{finding.field}"
    if finding.anchor:
        return f"{reverse('articles:article_preview', args=[article.pk])}#{finding.anchor}"
    return reverse("articles:article_preview", args=[article.pk])


def accessibility_errors(article):
    """The findings that stop `article` from being published (empty: it may be)."""
    return [finding for finding in part_findings(article) if finding.is_error]
