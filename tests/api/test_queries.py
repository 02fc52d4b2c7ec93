"""A page of the API takes the same number of queries whatever the number of records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.search.index import rebuild as rebuild_search_index
from participants.models import Participant
from tests.support.factories import make_article, make_long_article, make_participant, make_role, make_roundtable

pytestmark = pytest.mark.django_db


def queries_for(client, url, records_key, expected):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()[records_key]) == expected
    return len(captured)


@pytest.mark.parametrize("filters", ["", "&speakerPosition=部長", "&speakerRole=CIO", "&speaker=話者", "&any=発言"])
def test_speeches_page_of_10_and_100_records_take_the_same_queries(client, filters):
    short = make_long_article(10)
    long = make_long_article(300)
    for participant in Participant.objects.all():
        participant.roles.add(make_role("CIO"))
    rebuild_search_index()  # the long parts' turns were bulk-created, without the index's signals
    few = queries_for(
        client, f"/api/v1/speeches?maximumRecords=10&roundtable={short.roundtable.number}{filters}", "speechRecord", 10
    )
    many = queries_for(
        client, f"/api/v1/speeches?maximumRecords=100&roundtable={long.roundtable.number}{filters}", "speechRecord", 100
    )
    assert few == many
    csv_few = len_csv_queries(client, f"/api/v1/speeches?format=csv&maximumRecords=10{filters}")
    csv_many = len_csv_queries(client, f"/api/v1/speeches?format=csv&maximumRecords=100{filters}")
    assert csv_few == csv_many


def len_csv_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_roundtables_and_people_pages_take_the_same_queries_for_2_and_40(client):
    for number in range(1, 41):
        roundtable = make_roundtable(number=number)
        for index in range(3):
            make_participant(roundtable, name=f"人{number}-{index} 太郎", organisation=f"団体{index}", roles=("CIO",))
        make_article(roundtable, part_number=1, slug=f"rt-{number}-1")
        make_article(roundtable, part_number=2, slug=f"rt-{number}-2")
    assert queries_for(client, "/api/v1/roundtables?maximumRecords=2", "roundtableRecord", 2) == queries_for(
        client, "/api/v1/roundtables?maximumRecords=40", "roundtableRecord", 40
    )
    assert queries_for(client, "/api/v1/people?maximumRecords=2", "personRecord", 2) == queries_for(
        client, "/api/v1/people?maximumRecords=100", "personRecord", 100
    )
