"""The human documentation page at /api/v1/: in Japanese, every parameter and field, the
licence and examples; valid HTML and no accessibility violations."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from articles.api.schemas import PersonFilters, RoundtableFilters, SpeechFilters, SpeechRecord
from tests.support import quality

pytestmark = pytest.mark.django_db


def names(schema):
    return [field.alias or name for name, field in schema.model_fields.items()]


def test_page_documents_every_parameter_and_field_with_the_licence(client, sample):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    documented = {code.get_text() for code in soup.select("table.api-fields th code")}
    for schema in (SpeechFilters, RoundtableFilters, PersonFilters, SpeechRecord):
        assert set(names(schema)) <= documented, schema.__name__
    text = soup.get_text()
    assert "CC BY 4.0" in text and "利用条件" in text
    assert soup.find("a", string="CC BY 4.0")["href"] == "https://creativecommons.org/licenses/by/4.0/deed.ja"
    example = soup.find("a", href=lambda href: href and href.endswith("/api/v1/speeches?speaker=高橋"))
    assert example is not None and client.get("/api/v1/speeches?speaker=高橋").status_code == 200
    assert response["Link"].endswith('rel="license"')


def test_page_lists_the_bulk_files_once_written(client, sample, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    assert "ファイルはまだ作られていません" in client.get("/api/v1/").content.decode()
    call_command("export_open_data", stdout=io.StringIO())
    soup = BeautifulSoup(client.get("/api/v1/").content, "html.parser")
    links = [a["href"] for a in soup.select("#api-bulk ~ table a, section a[href*='/bulk/']")]
    assert any(href.endswith("/api/v1/bulk/speeches.csv") for href in links)
    assert any(href.endswith("/api/v1/bulk/speeches.jsonl") for href in links)


def test_page_is_valid_html(client, sample, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    call_command("export_open_data", stdout=io.StringIO())
    results = quality.validate_html({"api docs": client.get("/api/v1/").content.decode()})
    assert not results["api docs"], quality.format_html_errors(results)


@pytest.mark.browser
def test_page_has_no_accessibility_violations(live_server, transactional_db, page):
    call_command("load_demo", stdout=io.StringIO())
    page.goto(f"{live_server.url}/api/v1/")
    violations = quality.axe_violations(page)
    assert violations == [], quality.format_violations(violations)
    quality.screenshot(page, "api/documentation-1280")
