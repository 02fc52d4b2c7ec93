"""HTTP as data users expect it: caching and 304s, CORS, the licence everywhere, the rate limit."""

import pytest

from articles.models import SpeakerTurn

pytestmark = pytest.mark.django_db

URL = "/api/v1/speeches?speaker=高橋"
LICENSE_LINK = '<https://creativecommons.org/licenses/by/4.0/deed.ja>; rel="license"'


def test_etag_and_last_modified_give_304_until_the_content_changes(client, sample):
    first = client.get(URL)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    etag, modified = first["ETag"], first["Last-Modified"]
    not_modified = client.get(URL, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert client.get(URL, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/api/v1/speeches?speaker=宮坂", headers={"If-None-Match": etag}).status_code == 200

    turn = SpeakerTurn.objects.filter(speaker__person__name="高橋 晃", section__article=sample).first()
    turn.body = "直した発言です。"
    turn.save()
    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "直した発言です。" in changed.content.decode()


def test_csv_and_other_endpoints_revalidate_too(client, sample):
    for url in (URL + "&format=csv", "/api/v1/roundtables", "/api/v1/people", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response.status_code == 200 and response.has_header("ETag"), url
        assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304, url


def test_any_site_may_read_with_get_and_conditional_headers(client, sample):
    response = client.get(URL, headers={"Origin": "https://data.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        URL,
        headers={
            "Origin": "https://data.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    # The site's own pages are not opened to other origins.
    page = client.get(sample.get_absolute_url(), headers={"Origin": "https://data.example.org"})
    assert not page.has_header("Access-Control-Allow-Origin")


def test_the_licence_is_stated_in_every_response(client, sample):
    ok = client.get(URL)
    assert ok["Link"].startswith(LICENSE_LINK) and ok.json()["license"]["name"] == "CC BY 4.0"
    assert client.get(URL, headers={"If-None-Match": ok["ETag"]})["Link"].startswith(LICENSE_LINK)
    bad = client.get("/api/v1/speeches?maximumRecords=1000")
    assert bad["Link"] == LICENSE_LINK and bad.json()["license"]["url"].startswith("https://creativecommons.org/")
    assert client.get(URL + "&format=csv")["Link"].startswith(LICENSE_LINK)
    for url in ("/api/v1/roundtables", "/api/v1/people"):
        assert client.get(url).json()["license"]["name"] == "CC BY 4.0"


def test_the_licence_is_a_setting(client, sample, settings):
    settings.OPEN_DATA_LICENSE_NAME = "公共データ利用規約(第1.0版)"
    settings.OPEN_DATA_LICENSE_URL = "https://www.digital.go.jp/resources/open_data/"
    settings.OPEN_DATA_ATTRIBUTION = "東京都デジタルサービス局"
    response = client.get(URL)
    assert response.json()["license"] == {
        "name": "公共データ利用規約(第1.0版)",
        "url": "https://www.digital.go.jp/resources/open_data/",
        "attribution": "東京都デジタルサービス局",
    }
    assert response["Link"].startswith('<https://www.digital.go.jp/resources/open_data/>; rel="license"')


def test_next_page_is_linked(client, sample):
    link = client.get("/api/v1/speeches?maximumRecords=5")["Link"]
    assert 'rel="next"' in link and "startRecord=6" in link
    assert 'rel="next"' not in client.get("/api/v1/speeches?maximumRecords=100")["Link"]


def test_each_client_is_limited_to_the_configured_rate(client, sample, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get(URL).status_code == 200
    limited = client.get(URL)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    body = limited.json()
    assert "しばらく待って" in body["message"] and "Too many requests" in body["messageEnglish"]
    assert limited["Cache-Control"] == "no-store"
    # Another client is counted on its own.
    assert client.get(URL, REMOTE_ADDR="192.0.2.7").status_code == 200
    settings.API_RATE_LIMIT = "off"
    assert client.get(URL).status_code == 200


def test_only_reading_is_allowed(client, sample):
    assert client.post("/api/v1/speeches", {}).status_code == 405
    assert client.delete("/api/v1/people").status_code == 405


def test_head_gives_the_headers_of_get_without_the_body(client, sample):
    get = client.get(URL)
    head = client.head(URL)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"] and int(head["Content-Length"]) == len(get.content)
    assert head["Link"].startswith(LICENSE_LINK)
