"""The open data API's fixtures: the demo article (load_demo) with a draft part beside it."""

import pytest

from articles.models import Section, SpeakerTurn
from tests.support.factories import make_article, make_participant

TAKAHASHI_TITLE = "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)"
DRAFT_WORD = "下書きだけの横展開"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """Every test starts with an empty request count and, unless it says so, no limit:
    the whole suite's requests come from one address."""
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "off"
    yield
    cache.clear()


@pytest.fixture
def sample(demo):
    """The demo part (published) and a draft part 1 of the same roundtable in which 高橋 and a
    guest who speaks nowhere else say DRAFT_WORD."""
    roundtable = demo.roundtable
    takahashi = roundtable.participants.get(person__name="高橋 晃")
    guest = make_participant(roundtable, name="下書き 次郎", posts=("秘密課長",), label="下書き")
    draft = make_article(roundtable, published=False, part_number=1, slug="draft-part-1", title="前半(下書き)")
    section = Section.objects.create(article=draft, position=1, heading="下書きの見出し")
    SpeakerTurn.objects.create(section=section, position=1, speaker=takahashi, body=f"{DRAFT_WORD}の話です。")
    SpeakerTurn.objects.create(section=section, position=2, speaker=guest, body=f"{DRAFT_WORD}に賛成です。")
    return demo


def speeches(client, **params):
    response = client.get("/api/v1/speeches", params)
    assert response.status_code == 200, response.content
    return response.json()
