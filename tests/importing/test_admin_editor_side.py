"""The import preview from the editor's side: a thin reading is flagged, 第N回 is proposed for
interviews and 対談, a clash names the other article, and the forum can be created on import."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.importer import thin_reading_warnings
from articles.models import Article
from forum.models import Forum, Roundtable
from tests.support import SAMPLE
from tests.support.factories import make_article, make_forum, make_roundtable
from tests.support.forms import form_data
from tests.support.staff import make_editor

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articles_article_import")

FURNITURE = """文字サイズ 標準 拡大
背景色

ホーム > 記事

今日はいい天気でした。市長に話を聞きました。

市長は、これからも頑張りますと答えた。
"""

INTERVIEW = """インタビュー「市長に聞く」

―市長、本日はよろしくお願いします。

山田 はい、よろしくお願いします。まちのこれからを話します。
"""


@pytest.fixture
def forum(db):
    return make_forum(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")


def preview(client, forum, text, **extra):
    data = {"text": text, "forum": forum.pk if forum else "", "action": "preview", **extra}
    return client.post(IMPORT_URL, data)


def save_from(client, page):
    data = form_data(page.text, "import-form")
    data["action"] = "save"
    return client.post(IMPORT_URL, data)


def test_a_thinly_read_text_is_flagged_instead_of_no_lines_to_check(editor_client, forum):
    page = preview(editor_client, forum, FURNITURE)
    assert page.status_code == 200
    text = page.text
    assert "原稿を十分に読み取れていない可能性があります(3件)" in text
    assert "参加者が1人も見つかりませんでした" in text
    assert "発言が1つも読み取れませんでした" in text
    assert "タイトルが「文字サイズ 標準 拡大」と読まれました" in text
    assert "<p>ありません。</p>" not in text


def test_a_long_lead_and_an_answer_filed_as_closing_are_flagged(editor_client, forum):
    answer = "市民の皆さんと一緒に考えていきたいと思います。" * 20
    lead = "この座談会では、デジタル化の進め方を語り合いました。" * 30
    text = f"町田市の座談会\n\n{lead}\n\n山田 はい、よろしくお願いします。\n\n{answer}\n"
    page = preview(editor_client, forum, text, roundtable_number="1")
    # Read as one long lead (the label 山田 is no one of a cast): both are said.
    assert re.search(r"リード文が1,\d{3}字あります", page.text) and "発言が1つも読み取れませんでした" in page.text
    sample = preview(editor_client, forum, SAMPLE.read_text(encoding="utf-8"))
    assert "原稿を十分に読み取れていない可能性" not in sample.text  # the sample is read fully


def test_a_whole_answer_filed_as_closing_is_flagged():
    answer = "市民の皆さんと一緒に考えていきたいと思います。" * 20
    data = {
        "title": "題",
        "participants": [{"label": "山田"}],
        "closing": answer,
        "sections": [{"blocks": [{"type": "turn", "speaker": "山田", "text": "はい。"}]}],
    }
    assert [w.split("。")[0] for w in thin_reading_warnings(data)] == [f"結びの文が{len(answer):,}字あります"]


def test_an_interview_without_a_number_is_given_the_next_free_one(editor_client, forum):
    make_roundtable(forum, number=7)
    page = preview(editor_client, forum, INTERVIEW)
    assert "第8回" in page.text and "次に空いている回を使います" in page.text
    assert 'value="save"' in page.text
    assert save_from(editor_client, page).status_code == 302
    roundtable = Article.objects.get().roundtable
    assert roundtable.number == 8 and roundtable.get_format_display() == "インタビュー"


def test_a_roundtable_without_a_number_still_asks_and_proposes_one(editor_client, forum):
    make_roundtable(forum, number=3)
    page = preview(editor_client, forum, "座談会「まちの話」\n\n山田 はい。\n\n佐藤 そうですね。\n")
    assert "回を指定してください(このフォーラムで次に空いている回は第4回です)" in page.text
    assert 'value="save"' not in page.text


def test_a_clash_with_another_article_names_it_and_says_what_to_change(editor_client, forum):
    roundtable = make_roundtable(forum, number=4)
    other = make_article(roundtable, part_number=2, title="別の記事のタイトル")
    page = preview(editor_client, forum, SAMPLE.read_text(encoding="utf-8"))
    assert "この記事は既に取り込まれています" not in page.text
    assert "第4回のパート2には、別の記事が登録されています" in page.text
    assert "「回」に空いている回(例: 第5回)を入れる" in page.text
    link = reverse("admin:articles_article_change", args=[other.pk])
    assert f'<a href="{link}">別の記事のタイトル</a>' in page.text
    again = preview(editor_client, forum, SAMPLE.read_text(encoding="utf-8"), roundtable_number="5")
    assert save_from(editor_client, again).status_code == 302
    assert Article.objects.filter(roundtable__number=5).count() == 1


def test_a_new_forum_is_created_on_import(editor_client, forum):
    page = preview(
        editor_client,
        None,
        SAMPLE.read_text(encoding="utf-8"),
        new_forum_name="新しいフォーラム",
        new_forum_slug="new-forum",
    )
    assert "新しいフォーラム(保存するときに新しく作ります)" in page.text
    assert not Forum.objects.filter(slug="new-forum").exists()  # nothing saved at preview
    saved = save_from(editor_client, page)
    assert saved.status_code == 302
    new = Forum.objects.get(slug="new-forum")
    assert new.name == "新しいフォーラム" and Article.objects.get().roundtable.forum == new
    assert "フォーラム「新しいフォーラム」を新しく作りました。" in editor_client.get(saved["Location"]).text


def test_a_new_forum_needs_a_free_name_and_slug(editor_client, forum):
    page = preview(
        editor_client, None, SAMPLE.read_text(encoding="utf-8"), new_forum_name=forum.name, new_forum_slug=forum.slug
    )
    assert "この名称のフォーラムは既にあります" in page.text and "このURL名は別のフォーラムが使っています" in page.text
    assert Roundtable.objects.count() == 0


def test_the_existing_forum_is_chosen_from_the_list(editor_client, forum):
    other = make_forum(name="別のシリーズ", slug="other-series")
    page = preview(editor_client, other, SAMPLE.read_text(encoding="utf-8"))
    assert save_from(editor_client, page).status_code == 302
    assert Article.objects.get().roundtable.forum == other


def test_editors_may_create_a_forum_on_import_unless_the_right_is_taken(client, forum):
    editor = make_editor()
    client.force_login(editor)
    assert "新しいフォーラムの名称" in client.get(IMPORT_URL).text  # 編集者 may add forums
    editor.groups.get().permissions.remove(Permission.objects.get(codename="add_forum"))
    editor = type(editor).objects.get(pk=editor.pk)  # permissions are cached per user object
    client.force_login(editor)
    page = client.get(IMPORT_URL)
    assert "新しいフォーラムの名称" not in page.text and "(新しいフォーラムを作る)" not in page.text


def test_a_long_answer_mentioning_san_is_read_at_once():
    # The headerless-participants check backtracked for minutes on such a line.
    import time

    from articles.transcript import parse_transcript

    answer = "市民の皆さんと一緒に考えていきたいと思います。" * 20
    started = time.perf_counter()
    parse_transcript(f"町田市の座談会\n\nリード。\n\n山田 はい、よろしくお願いします。\n\n{answer}\n")
    assert time.perf_counter() - started < 2


def test_an_interview_may_be_imported_without_a_printed_number(editor_client, forum):
    make_roundtable(forum, number=7)
    page = preview(editor_client, forum, INTERVIEW)
    # Offered beside the proposed number (and only there: one checkbox on the page).
    assert page.text.count('name="number_hidden"') == 1
    assert 'id="id_number_hidden_preview"' in page.text and "第N回を表示しない" in page.text
    data = form_data(page.text, "import-form")
    data["number_hidden"] = "on"
    data["action"] = "preview"
    again = editor_client.post(IMPORT_URL, data)
    assert "読者には「第N回」を表示しません" in again.text
    assert 'id="id_number_hidden_preview" form="import-form" checked' in again.text
    # The checkbox sits in the preview, outside the <form> element (form="import-form"), as
    # the speakers' choices do; the browser sends it with the form.
    data = form_data(again.text, "import-form")
    data.update({"action": "save", "number_hidden": "on"})
    assert editor_client.post(IMPORT_URL, data).status_code == 302
    roundtable = Article.objects.get().roundtable
    assert roundtable.number == 8 and roundtable.number_hidden
    assert "第8回" not in roundtable.numbered_title


def test_a_zadankai_cannot_hide_its_number_on_import(editor_client, forum):
    page = preview(editor_client, forum, SAMPLE.read_text(encoding="utf-8"), number_hidden="on")
    assert "「第N回を表示しない」を選べるのは、インタビューと対談だけです" in page.text
    assert 'value="save"' not in page.text or not Article.objects.exists()
