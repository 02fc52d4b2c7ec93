"""Reconciling speakers in Chromium: paste a transcript, tell the preview who an unknown
label is, save, and the saved part has that person's turn (SayIt #261)."""

import pytest
from django.urls import reverse

from articles.models import Article, SpeakerTurn
from participants.models import Participant
from tests.support.factories import make_forum
from tests.support.quality import axe_violations, format_violations

IMPORT_URL = reverse("admin:articles_article_import")
TEXT = """防災座談会

第8回は、「防災座談会」をお届けします。

令和6年9月1日に開催しました。

参加者
危機管理課長:森田 勇
消防団長:岡 実

備えのいま

森田:訓練を続けています。

岡:団員が増えました。

副団長:付け加えると、若い人も入っています。
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_paste_reconcile_an_unknown_label_and_save(admin_page, editor):
    make_forum(name="防災フォーラム", slug="bousai")
    page = admin_page(editor, "correct-horse-battery", next=IMPORT_URL)
    page.wait_for_url(f"**{IMPORT_URL}")
    page.get_by_label("原稿").fill(TEXT)
    page.get_by_role("button", name="構造を確認する").click()
    page.get_by_role("heading", name="発言者の確認").wait_for()
    item = page.get_by_role("group", name="17行目 「副団長」")
    assert "読み取りの確からしさ: 60%" in item.inner_text()
    assert not (v := axe_violations(page)), format_violations(v)

    item.get_by_label("この発言者を").select_option(label="参加者: 岡 実(消防団長)")
    page.get_by_role("button", name="この内容で保存する").first.click()
    page.get_by_text("を取り込みました(下書き)").wait_for()

    article = Article.objects.get()
    turns = [
        (t.speaker.person.name, t.body)
        for t in SpeakerTurn.objects.filter(section__article=article).order_by("section__position", "position")
    ]
    assert turns == [
        ("森田 勇", "訓練を続けています。"),
        ("岡 実", "団員が増えました。"),
        ("岡 実", "付け加えると、若い人も入っています。"),
    ]
    assert not Participant.objects.filter(label="副団長").exists()
