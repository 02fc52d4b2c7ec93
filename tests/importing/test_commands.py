"""python manage.py import_transcript / export_transcript."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, SpeakerTurn
from articles.transcript import DOCUMENTED_KEYS, parse_transcript
from forum.models import Forum, Roundtable
from participants.models import Person
from tests.support import SAMPLE, TRANSCRIPTS
from tests.support import REPO_ROOT as ROOT
from tests.support.factories import make_forum

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_transcript", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_prints_exactly_the_documented_shape_and_saves_nothing():
    out, _ = run(SAMPLE, "--dry-run", "--format", "json")
    data = json.loads(out)
    assert list(data) == list(DOCUMENTED_KEYS)
    assert list(data["roundtable"]) == ["number", "held_on", "title"] and list(data["part"]) == ["number", "of"]
    assert [list(p) for p in data["participants"]] == [["name", "title", "organisation", "posts", "roles", "label"]] * 4
    assert {tuple(b) for s in data["sections"] for b in s["blocks"]} == {("type", "speaker", "text"), ("type", "ref")}
    assert [list(c) for c in data["credits"]] == [["role", "name", "affiliation"]] * 2
    parsed = parse_transcript(SAMPLE.read_text(encoding="utf-8")).to_dict()
    assert data == {key: value for key, value in parsed.items() if key in DOCUMENTED_KEYS} | {
        "participants": [{k: v for k, v in p.items() if k != "label_title"} for p in parsed["participants"]]
    }
    assert (Article.objects.count(), Roundtable.objects.count(), Person.objects.count()) == (0, 0, 0)


def test_dry_run_json_includes_warnings_with_lines():
    out, _ = run(TRANSCRIPTS / "warnings.txt", "--dry-run", "--format", "json")
    assert [w["line"] for w in json.loads(out)["warnings"]] == [3, 12, 17, 21]


def test_dry_run_summary_and_warnings_on_stderr():
    out, err = run(TRANSCRIPTS / "warnings.txt", "--dry-run")
    assert "宮坂: 都CIO:宮坂 学 (2)" in out
    assert f"{TRANSCRIPTS / 'warnings.txt'}: 12行目: 「なるほど」を見出しとして読みました。" in err


def test_import_saves_a_draft_part_into_the_only_forum_and_refuses_a_second_copy():
    forum = make_forum()
    out, _ = run(SAMPLE)
    article = Article.objects.get()
    assert "取り込みました(下書き)" in out and article.roundtable.forum == forum and article.status == "draft"
    assert SpeakerTurn.objects.filter(section__article=article).count() == 17
    with pytest.raises(CommandError, match="第4回のパート2は既に登録されています"):
        run(SAMPLE)
    assert Article.objects.count() == 1


def test_import_prints_the_admin_page_of_the_draft_not_its_public_url(settings):
    settings.SITE_URL = "https://forum.example.jp"
    make_forum()
    out, _ = run(SAMPLE)
    article = Article.objects.get()
    assert f"https://forum.example.jp/admin/articles/article/{article.pk}/change/" in out
    assert article.get_absolute_url() not in out
    with pytest.raises(CommandError) as refused:
        run(SAMPLE)
    assert f"https://forum.example.jp/admin/articles/article/{article.pk}/change/" in str(refused.value)
    assert article.get_absolute_url() not in str(refused.value)


def test_dry_run_into_an_unknown_forum_fails_as_the_import_would():
    make_forum(slug="tokyo")
    for dry_run in (["--dry-run"], ["--dry-run", "--format", "json"], []):
        with pytest.raises(CommandError, match="フォーラム「nope」はありません"):
            run(SAMPLE, "--forum", "nope", *dry_run)
    out, _ = run(SAMPLE, "--forum", "tokyo", "--dry-run")
    assert "町田市×都CIOの座談会を実施しました!part2" in out and Article.objects.count() == 0


def test_forum_is_chosen_by_slug_when_there_are_several():
    make_forum(slug="first")
    second = make_forum(slug="second")
    with pytest.raises(CommandError, match="--forum"):
        run(SAMPLE)
    with pytest.raises(CommandError, match="フォーラム「nowhere」はありません"):
        run(SAMPLE, "--forum", "nowhere")
    run(SAMPLE, "--forum", "second")
    assert Article.objects.get().roundtable.forum == second


def test_missing_roundtable_number_is_an_error_unless_given():
    make_forum()
    with pytest.raises(CommandError, match="座談会の回"):
        run(TRANSCRIPTS / "figures_and_paragraphs.txt")
    run(TRANSCRIPTS / "figures_and_paragraphs.txt", "--number", "3")
    assert Article.objects.get().roundtable.number == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title\n\nbody\x00\n", r": 3行目: テキストではないデータ\(NULバイト\)"),
        (b"title\n\xff\xfe\xfd\n", r": 2行目: 文字コードを読み取れないバイトがあります"),
        (b"  \n\n", r": 1行目: 原稿が空です。"),
    ],
)
def test_unreadable_file_names_the_problem_and_the_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=str(path) + message):
        run(path, "--dry-run")


def test_missing_file_and_wrong_kind_of_file(tmp_path):
    with pytest.raises(CommandError, match="読み込めません"):
        run(tmp_path / "nowhere.txt")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="読み込めない形式です"):
        run(tmp_path / "a.pdf")


def test_command_exits_with_status_1_and_the_line_on_stderr(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"title\n\nbody\x00\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    result = subprocess.run(
        [*manage, "import_transcript", str(path), "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{path}: 3行目: テキストではないデータ(NULバイト)が含まれています。" in result.stderr
    result = subprocess.run(
        [*manage, "import_transcript", str(SAMPLE), "--dry-run", "--forum", "nope"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert "フォーラム「nope」はありません。" in result.stderr


def test_export_command_writes_text_markdown_json_and_the_roundtable(demo, tmp_path):
    out = io.StringIO()
    call_command("export_transcript", demo.slug, stdout=out)
    sample = SAMPLE.read_text(encoding="utf-8")
    assert out.getvalue() == sample[: sample.index("バックナンバー")].rstrip("\n") + "\n"
    target = tmp_path / "part.md"
    call_command("export_transcript", demo.slug, "--format", "markdown", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("# 町田市×都CIOの座談会を実施しました!part2")
    for args in (["--roundtable"], ["--format", "json", "--roundtable"]):
        out = io.StringIO()
        call_command("export_transcript", demo.slug, *args, stdout=out)
        assert [p["part"]["number"] for p in json.loads(out.getvalue())["parts"]] == [2]
    with pytest.raises(CommandError, match="--roundtable で書き出せるのは JSON だけです"):
        call_command("export_transcript", demo.slug, "--roundtable", "--format", "markdown")
    with pytest.raises(CommandError, match="URL名「nothing」の記事はありません"):
        call_command("export_transcript", "nothing")


def test_exported_text_imports_into_another_forum_as_the_same_part(demo, tmp_path):
    target = tmp_path / "part.txt"
    call_command("export_transcript", demo.slug, "-o", str(target))
    Forum.objects.create(name="別のフォーラム", slug="copy")
    run(target, "--forum", "copy")
    copy = Article.objects.get(roundtable__forum__slug="copy")
    assert [
        (t.speaker.person_id if t.speaker else None, t.body)
        for t in SpeakerTurn.objects.filter(section__article=copy).order_by("section__position", "position")
    ] == [
        (t.speaker.person_id if t.speaker else None, t.body)
        for t in SpeakerTurn.objects.filter(section__article=demo).order_by("section__position", "position")
    ]
    assert Person.objects.count() == 4


# --- The command follows the live-content rule (articles/live_content.py) ---------------------
# The demo is part 2 of roundtable 4; part1_new_participant.txt is its part 1, with 宮坂 (on
# file) and a newcomer, 新井 花子.

PART1 = TRANSCRIPTS / "part1_new_participant.txt"


@pytest.fixture
def live_demo(demo):
    from articles.workflow import LIVE, state

    assert state(demo) == LIVE  # load_demo publishes it
    return demo


def test_import_that_would_add_a_participant_to_a_live_roundtable_is_refused_naming_it(live_demo, client):
    roundtable = live_demo.roundtable
    participants = list(roundtable.participants.values_list("pk", flat=True))
    with pytest.raises(CommandError) as refused:
        run(PART1)
    message = str(refused.value)
    assert f"第4回「{roundtable.title}」" in message and f"「{live_demo.title}」" in message
    assert "新井 花子" in message and "--as-publisher" in message
    assert list(roundtable.participants.values_list("pk", flat=True)) == participants  # nothing saved
    assert Article.objects.count() == 1 and not Person.objects.filter(name="新井 花子").exists()
    assert "新井" not in client.get(live_demo.get_absolute_url()).content.decode()


def test_a_publisher_imports_it_and_the_live_part_records_who_added_whom(live_demo, client):
    from reversion.models import Version

    from articles.models import AuditAction, AuditEvent
    from tests.support.staff import make_publisher

    make_publisher(username="suzuki", full_name="鈴木 太郎")
    versions = Version.objects.get_for_object(live_demo).count()
    out, _ = run(PART1, "--as-publisher", "suzuki")
    assert "取り込みました(下書き)" in out
    part1 = Article.objects.get(part_number=1)
    assert part1.status == "draft" and part1.created_by.username == "suzuki"
    assert live_demo.roundtable.participants.filter(person__name="新井 花子").exists()
    event = AuditEvent.objects.filter(article=live_demo).latest("pk")
    assert event.user_name == "鈴木 太郎" and event.user.username == "suzuki"
    assert "参加者「新井 花子」を追加" in event.note and f"「{part1.title}」の取り込み" in event.note
    assert Version.objects.get_for_object(live_demo).count() == versions + 1
    # the imported draft starts its own history and audit trail, as an import in the admin does
    created = AuditEvent.objects.get(article=part1)
    assert created.action == AuditAction.CREATED and created.user_name == "鈴木 太郎"
    assert Version.objects.get_for_object(part1).count() == 1


def test_as_publisher_must_name_a_publisher(live_demo):
    from tests.support.staff import make_editor

    make_editor(username="hanako")
    for name in ("hanako", "nobody"):
        with pytest.raises(CommandError, match=f"「{name}」は公開担当のアカウントではありません"):
            run(PART1, "--as-publisher", name)
    assert Article.objects.count() == 1


def test_an_import_that_adds_nobody_to_a_live_roundtable_needs_no_publisher(live_demo, tmp_path):
    from articles.models import AuditEvent

    text = PART1.read_text(encoding="utf-8")
    text = text.replace("町田市デジタル戦略室長:新井 花子\n", "").split("町田市デジタル戦略室長:新井")[0]
    only_known = tmp_path / "part1_known_only.txt"
    only_known.write_text(text, encoding="utf-8")
    run(only_known)
    assert Article.objects.filter(part_number=1).exists()
    assert not AuditEvent.objects.filter(article=live_demo).exists()  # the live part did not change


def test_into_a_roundtable_no_public_part_shows_the_command_adds_participants_freely(demo):
    demo.status = "draft"
    demo.save()
    run(PART1)
    assert demo.roundtable.participants.filter(person__name="新井 花子").exists()
