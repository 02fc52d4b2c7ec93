"""Editors import a transcript in the admin: paste or upload, preview, correct, save once."""

import io
import re
import zipfile

import docx
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Credit, Figure, Section, SpeakerTurn
from forum.models import Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role
from articles.admin.forms import preview_digest
from tests.support import SAMPLE, TRANSCRIPTS
from tests.support.factories import make_forum
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articles_article_import")


@pytest.fixture
def forum(db):
    forum = make_forum(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")
    Organisation.objects.create(name="東京都", short_name="都")
    return forum


def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


def preview(client, forum, text="", **extra):
    return client.post(IMPORT_URL, {"text": text, "forum": forum.pk, "action": "preview", **extra})


def save_from(client, page):
    """Press 「この内容で保存する」 on a preview page, submitting its form as a browser would."""
    data = form_data(page.text, "import-form")
    data["action"] = "save"
    return client.post(IMPORT_URL, data)


def visible_text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_article_list_has_the_import_button(editor_client):
    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert f'href="{IMPORT_URL}"' in listing.text and "原稿を取り込む" in listing.text


def test_import_page_has_labelled_fields(editor_client, forum):
    page = editor_client.get(IMPORT_URL)
    assert page.status_code == 200
    for field, label in (("text", "原稿"), ("file", "またはファイルから"), ("forum", "フォーラム")):
        assert f'<label for="id_{field}">{label}' in page.text
    assert 'aria-describedby="id_text_helptext"' in page.text


def test_preview_shows_the_structure_and_saves_nothing(editor_client, forum):
    page = preview(editor_client, forum, sample_text())
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "読み取り結果(まだ保存されていません)" in text
    assert "第4回 「町田市×都CIO座談会」 (新しい座談会)" in text
    assert "令和3年10月15日(2021年10月15日)" in text
    assert "2 / 全2回" in text
    # Participants with their parsed titles and the number of turns each.
    assert (
        "高橋 晃 (新規) 町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐) 町田市 (新規) 総務部長兼情報システム担当部長"
        in text
    )
    assert (
        "深井 稔 (新規) 都デジタルサービス局戦略部長 発言者ラベルでは「東京都デジタルサービス局戦略部長」 都 (登録済み: 東京都)"
        in text
    )
    counts = dict(re.findall(r'<td>(\w+)</td>\s*<td class="count">(\d+)</td>', page.text))
    assert counts == {"高橋": "6", "宮坂": "6", "深井": "2", "小澤": "2"}
    assert re.search(r'地の文・聞き手\(―\)</th>(\s*<td>—</td>){5}\s*<td class="count">1</td>', page.text)
    # Sections with sub-headings; each turn with its line and speaker.
    assert "事例体験による人材育成 小見出し: 座学よりも体験が一番のOJT" in text
    assert "22行目 深井 : 話は少し変わってしまうのですが" in text
    assert "37行目 画像: 画像1" in text
    assert "確認が必要な行(0件)" in text
    assert Article.objects.count() == 0 and Roundtable.objects.count() == 0 and Person.objects.count() == 0


def test_preview_warnings_name_the_line_and_quote_it(editor_client, forum):
    page = preview(editor_client, forum, (TRANSCRIPTS / "warnings.txt").read_text(encoding="utf-8"))
    text = visible_text(page.text)
    assert "確認が必要な行(4件)" in text
    assert "12行目 なるほど : 「なるほど」を見出しとして読みました。" in text
    assert (
        "17行目 司会:ここは参加者にいない人の発言です。 : 発言者ラベル「司会」は参加者欄のどの人にも一致しません。"
        in text
    )


def test_correcting_the_text_and_parsing_again_clears_the_warning(editor_client, forum):
    original = (
        (TRANSCRIPTS / "warnings.txt").read_text(encoding="utf-8").replace("令和2年2月30日", "第1回を令和2年2月3日")
    )
    first = preview(editor_client, forum, original)
    assert "12行目" in visible_text(first.text)
    data = form_data(first.text, "import-form")
    assert data["text"] == original  # the textarea holds the text, ready to correct
    data["text"] = data["text"].replace("\nなるほど\n", "\n宮坂\nなるほど。\n")
    data["action"] = "preview"
    second = editor_client.post(IMPORT_URL, data)
    text = visible_text(second.text)
    assert "「なるほど」を見出しとして読みました" not in text
    assert "宮坂 : なるほど。" in text


def test_saving_creates_the_part_and_matches_people_organisations_and_roles_on_file(editor_client, forum):
    miyasaka = Person.objects.create(name="宮坂 学", reading="みやさか まなぶ")
    cio = Role.objects.create(abbreviation="CIO", full_name="最高情報責任者", sort_order=10)
    saved = save_from(editor_client, preview(editor_client, forum, sample_text()))

    article = Article.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.title, article.part_number, article.status) == (
        "町田市×都CIOの座談会を実施しました!part2",
        2,
        "draft",
    )
    roundtable = article.roundtable
    assert (roundtable.forum, roundtable.number, str(roundtable.held_on), roundtable.part_count) == (
        forum,
        4,
        "2021-10-15",
        2,
    )
    participants = Participant.objects.filter(roundtable=roundtable).with_title_parts().order_by("order")
    assert [(p.person.name, p.full_title, p.short_label) for p in participants] == [
        ("高橋 晃", "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)", "高橋"),
        ("宮坂 学", "都副知事(CIO)", "宮坂"),
        ("深井 稔", "都デジタルサービス局戦略部長", "深井"),
        ("小澤 洋之", "都デジタルサービス局戦略部戦略課長", "小澤"),
    ]
    assert participants[1].person == miyasaka and list(participants[1].roles.all()) == [cio]
    assert participants[2].organisation.name == "東京都"
    assert Person.objects.count() == 4 and Role.objects.filter(abbreviation="CIO").count() == 1
    assert Organisation.objects.filter(name="東京都").count() == 1
    assert [(s.heading, s.subheading) for s in Section.objects.filter(article=article).order_by("position")] == [
        ("事例体験による人材育成", "座学よりも体験が一番のOJT"),
        ("コミュニティの形成と情報発信", "有志の集いとオール東京"),
    ]
    assert SpeakerTurn.objects.filter(section__article=article).count() == 17
    assert SpeakerTurn.objects.filter(section__article=article, speaker=None).count() == 1
    assert Figure.objects.filter(section__article=article).count() == 2
    assert Credit.objects.filter(article=article).count() == 2
    change = editor_client.get(saved["Location"])
    assert "取り込みました" in change.text


def test_importing_the_same_text_twice_is_refused_with_a_link_to_the_part(editor_client, forum):
    save_from(editor_client, preview(editor_client, forum, sample_text()))
    article = Article.objects.get()
    link = reverse("admin:articles_article_change", args=[article.pk])

    again = preview(editor_client, forum, sample_text())
    assert "この記事は既に取り込まれています" in again.text and f'href="{link}"' in again.text
    assert 'value="save"' not in again.text  # no save button

    forced = save_from(editor_client, again)  # as if the button were there
    assert forced.status_code == 200
    assert (
        f"<li>第4回のパート2は既に登録されています(町田市×都CIOの座談会を実施しました!part2)。 "
        f'<a href="{link}">登録済みの記事を開く</a></li>'
    ) in forced.text
    assert Article.objects.count() == 1 and Roundtable.objects.count() == 1 and Participant.objects.count() == 4


def test_a_text_changed_after_the_preview_is_previewed_again_not_saved(editor_client, forum):
    data = form_data(preview(editor_client, forum, sample_text()).text, "import-form")
    data["text"] = data["text"].replace("第4回", "第5回")
    data["action"] = "save"
    page = editor_client.post(IMPORT_URL, data)
    assert page.status_code == 200 and Article.objects.count() == 0
    assert "原稿・フォーラム・回のいずれかが確認のあとで変わりました" in page.text and "第5回" in visible_text(
        page.text
    )
    assert save_from(editor_client, page).status_code == 302
    assert Article.objects.get().roundtable.number == 5


def test_a_forum_changed_after_the_preview_is_previewed_again_not_saved(editor_client, forum):
    other = make_forum(name="別のフォーラム", slug="other-forum")
    data = form_data(preview(editor_client, forum, sample_text()).text, "import-form")
    data["forum"], data["action"] = str(other.pk), "save"
    page = editor_client.post(IMPORT_URL, data)
    assert page.status_code == 200 and Article.objects.count() == 0
    assert "原稿・フォーラム・回のいずれかが確認のあとで変わりました" in page.text
    assert save_from(editor_client, page).status_code == 302
    assert Article.objects.get().roundtable.forum == other


def test_a_roundtable_number_changed_after_the_preview_is_previewed_again_not_saved(editor_client, forum):
    text = (TRANSCRIPTS / "figures_and_paragraphs.txt").read_text(encoding="utf-8")
    data = form_data(preview(editor_client, forum, text, roundtable_number="9").text, "import-form")
    data["roundtable_number"], data["action"] = "10", "save"
    page = editor_client.post(IMPORT_URL, data)
    assert page.status_code == 200 and Article.objects.count() == 0
    assert "原稿・フォーラム・回のいずれかが確認のあとで変わりました" in page.text
    assert save_from(editor_client, page).status_code == 302
    assert Article.objects.get().roundtable.number == 10


def test_a_text_without_the_roundtable_number_asks_for_it(editor_client, forum):
    text = (TRANSCRIPTS / "figures_and_paragraphs.txt").read_text(encoding="utf-8")
    page = preview(editor_client, forum, text)
    assert "座談会の回(第N回)が原稿から分かりません" in page.text and 'value="save"' not in page.text
    page = preview(editor_client, forum, text, roundtable_number="9")
    assert save_from(editor_client, page).status_code == 302
    assert Article.objects.get().roundtable.number == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "原稿を貼り付けるか、ファイルを選んでください。"),
        ("題名\n\n本文\x00です\n", "3行目: テキストではないデータ(NULバイト)が含まれています。"),
        ("スキ\nシェア\n", "1行目: シェアやバックナンバーなどページの付属物のほかに本文がありません。"),
    ],
)
def test_unreadable_text_gives_an_error_with_its_line_linked_to_the_field(editor_client, forum, text, message):
    page = preview(editor_client, forum, text)
    assert page.status_code == 200 and "読み取り結果(まだ保存されていません)" not in page.text
    assert f'<li><a href="#id_text">原稿</a>: {message}</li>' in page.text
    assert f'<ul class="errorlist" id="id_text_error"><li>{message}</li></ul>' in page.text
    textarea = re.search(r"<textarea[^>]*>", page.text).group()
    assert 'aria-invalid="true"' in textarea and "id_text_error" in textarea


def upload(client, forum, name, content):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content), "text": "", "forum": forum.pk, "action": "preview"}
    )


def test_uploaded_shift_jis_text_file_is_read_into_the_form_and_saved(editor_client, forum):
    page = upload(editor_client, forum, "zadankai.txt", sample_text().replace("\n", "\r\n").encode("cp932"))
    assert "第4回 「町田市×都CIO座談会」" in visible_text(page.text)
    assert form_data(page.text, "import-form")["text"].startswith("見出し画像")
    assert save_from(editor_client, page).status_code == 302
    assert SpeakerTurn.objects.count() == 17


def make_docx(lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_uploaded_word_document_is_read_paragraph_by_paragraph(editor_client, forum):
    page = upload(editor_client, forum, "座談会.docx", make_docx(sample_text().split("\n")))
    text = visible_text(page.text)
    assert "第4回 「町田市×都CIO座談会」" in text and "確認が必要な行(0件)" in text
    assert save_from(editor_client, page).status_code == 302
    article = Article.objects.get()
    assert [s.heading for s in article.sections.order_by("position")] == [
        "事例体験による人材育成",
        "コミュニティの形成と情報発信",
    ]
    assert SpeakerTurn.objects.count() == 17


def zip_bomb():
    """A small .docx-looking zip whose one member expands to 25 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w") as member:
            for _ in range(25):
                member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "zadankai.pdf",
            b"%PDF-1.4",
            "「zadankai.pdf」は読み込めない形式です。.txt か .docx のファイルを選んでください。",
        ),
        ("big.txt", "あ".encode() * 700_000, "ファイルが大きすぎます(上限 2 MB)。"),
        ("bomb.docx", zip_bomb(), "Word文書を展開すると大きすぎます(上限 20 MB)。"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word文書(.docx)として開けません。"),
        ("binary.txt", b"title\n\xff\xfe\xfd\n", "2行目: 文字コードを読み取れないバイトがあります"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_reason(editor_client, forum, name, content, message):
    assert len(content) < 2 * 1024 * 1024 or name == "big.txt"
    page = upload(editor_client, forum, name, content)
    assert page.status_code == 200 and "読み取り結果(まだ保存されていません)" not in page.text
    assert message in page.text and 'href="#id_file"' in page.text
    assert Article.objects.count() == 0


def test_import_needs_the_permission_to_add_parts(client, django_user_model, forum):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(clerk)
    assert client.get(IMPORT_URL).status_code == 403
    assert preview(client, forum, sample_text()).status_code == 403
    assert "原稿を取り込む" not in client.get(reverse("admin:articles_article_changelist")).text


ARTICLE_PERMISSIONS = (
    "add_article",
    "change_article",
    "view_article",
    "add_section",
    "change_section",
    "add_speakerturn",
    "change_speakerturn",
    "add_figure",
    "add_credit",
)
IMPORT_CREATES = (
    ("forum", "roundtable"),
    ("participants", "person"),
    ("participants", "organisation"),
    ("participants", "role"),
    ("participants", "participant"),
)


def test_import_also_needs_the_permission_to_add_what_it_creates(client, django_user_model, forum):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=ARTICLE_PERMISSIONS)
    )
    client.force_login(clerk)
    changelist = reverse("admin:articles_article_changelist")
    refused = client.get(IMPORT_URL, follow=True)
    assert refused.redirect_chain == [(changelist, 302)]
    assert "原稿を取り込むには、次のものを追加する権限も必要です: 座談会、人物、団体、ロール、参加者。" in refused.text
    data = {
        "text": sample_text(),
        "forum": forum.pk,
        "action": "save",
        "previewed": preview_digest(sample_text(), forum, None),
    }
    assert client.post(IMPORT_URL, data).status_code == 302
    assert (Article.objects.count(), Roundtable.objects.count(), Person.objects.count()) == (0, 0, 0)

    clerk.user_permissions.add(
        *[Permission.objects.get(content_type__app_label=app, codename=f"add_{model}") for app, model in IMPORT_CREATES]
    )
    client.force_login(django_user_model.objects.get(pk=clerk.pk))  # a fresh permission cache
    assert client.get(IMPORT_URL).status_code == 200
    assert save_from(client, preview(client, forum, sample_text())).status_code == 302
    assert Article.objects.get().created_by == clerk


def test_forum_defaults_to_the_first_and_can_be_chosen(editor_client, forum):
    other = Forum.objects.create(name="別のフォーラム", slug="other")
    page = editor_client.get(IMPORT_URL)
    assert f'<option value="{forum.pk}" selected>' in page.text
    saved = save_from(editor_client, preview(editor_client, other, sample_text()))
    assert saved.status_code == 302 and Article.objects.get().roundtable.forum == other


RECONCILE = """市民協働座談会

第3回は、「市民協働座談会」をお届けします。

令和6年5月1日に開催しました。

参加者
市民協働課長:佐藤 一郎
NPO代表:佐藤 花子
大学教授:林 誠

協働のかたち

佐藤一郎
はじめに一言。

林:よろしく。

佐藤:私からも一言。

田中:以前から関わっています。

司会:ここで休憩します。
"""


def test_preview_lists_each_uncertain_speaker_with_its_line_certainty_and_choices(editor_client, forum):
    page = preview(editor_client, forum, RECONCILE)
    text = visible_text(page.text)
    assert "発言者の確認" in text
    for line, label in ((19, "佐藤"), (21, "田中"), (23, "司会")):
        assert f"{line}行目 「{label}」" in text
    assert "読み取りの確からしさ: 60%" in text
    assert "同じ姓の参加者: 佐藤一郎、佐藤花子" in text  # two people share the surname
    assert '<option value="cast:佐藤花子">参加者: 佐藤 花子(NPO代表)</option>' in page.text
    assert '<option value="narration">地の文(ナレーション)</option>' in page.text


def test_choices_are_applied_on_save_without_retyping_the_text(editor_client, forum):
    page = preview(editor_client, forum, RECONCILE)
    data = form_data(page.text, "import-form")
    data.update(
        {
            "action": "save",
            "speaker-1": "cast:佐藤花子",
            "speaker-2": "new",
            "speaker-2-name": "田中 美咲",
            "speaker-2-title": "市民ボランティア",
            "speaker-3": "narration",
        }
    )
    response = editor_client.post(IMPORT_URL, data)
    assert response.status_code == 302
    article = Article.objects.get()
    turns = [
        (t.speaker.person.name if t.speaker else None, t.body)
        for t in SpeakerTurn.objects.filter(section__article=article).order_by("section__position", "position")
    ]
    assert turns == [
        ("佐藤 一郎", "はじめに一言。"),
        ("林 誠", "よろしく。"),
        ("佐藤 花子", "私からも一言。"),
        ("田中 美咲", "以前から関わっています。"),
        (None, "ここで休憩します。"),
    ]
    people = {p.person.name: p for p in Participant.objects.filter(roundtable=article.roundtable)}
    assert set(people) == {"佐藤 一郎", "佐藤 花子", "林 誠", "田中 美咲"}  # no 「佐藤」 or 「司会」 left over
    assert people["田中 美咲"].posts == ["市民ボランティア"] and people["田中 美咲"].label == "田中"


def test_without_choices_unknown_labels_are_saved_as_new_participants_as_before(editor_client, forum):
    page = preview(editor_client, forum, RECONCILE)
    assert save_from(editor_client, page).status_code == 302
    labels = set(Participant.objects.values_list("label", flat=True))
    assert {"佐藤", "田中", "司会"} <= labels


def test_an_editors_import_that_would_add_a_participant_to_a_live_roundtable_is_refused(client, demo):
    """The rule of articles/live_content.py holds for an import too (the demo part is live)."""
    from articles.models import AuditEvent
    from tests.support.staff import make_editor, make_publisher

    text = (TRANSCRIPTS / "part1_new_participant.txt").read_text(encoding="utf-8")
    client.force_login(make_editor())
    refused = save_from(client, preview(client, demo.roundtable.forum, text))
    assert refused.status_code == 200
    page = visible_text(refused.text)
    assert f"第4回「{demo.roundtable.title}」は公開中・公開予約中の記事 「{demo.title}」 に表示されている" in page
    assert "新井 花子" in page and "公開担当に依頼してください" in page
    assert Article.objects.count() == 1 and not Person.objects.filter(name="新井 花子").exists()

    client.force_login(make_publisher(full_name="鈴木 太郎"))
    saved = save_from(client, preview(client, demo.roundtable.forum, text))
    assert saved.status_code == 302
    assert demo.roundtable.participants.filter(person__name="新井 花子").exists()
    event = AuditEvent.objects.filter(article=demo).latest("pk")
    assert event.user_name == "鈴木 太郎" and "参加者「新井 花子」を追加" in event.note
