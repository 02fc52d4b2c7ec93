"""Responsive images: renditions at several widths in WebP and JPEG/PNG, made once."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from forum.images import renditions as images
from tests.support.factories import make_article
from tests.support.images import image_file

pytestmark = pytest.mark.django_db


def article_with_header(content, name="header.png"):
    article = make_article(slug="with-image", header_image_alt="見出しの写真")
    article.header_image.save(name, content, save=True)
    return article


def stored(url, media_root):
    return Image.open(media_root / url.removeprefix("/media/"))


def test_renditions_are_made_at_each_width_up_to_the_original_in_webp_and_jpeg(media_root):
    article = article_with_header(image_file((1000, 500)))
    picture = images.responsive_image(article.header_image)
    assert [r.width for r in picture.webp] == [480, 800, 1000]
    assert [r.width for r in picture.fallback] == [480, 800, 1000]
    assert [r.height for r in picture.fallback] == [240, 400, 500]
    assert picture.fallback_type == "image/jpeg"
    assert stored(picture.webp[0].url, media_root).format == "WEBP"
    assert stored(picture.fallback[1].url, media_root).size == (800, 400)
    assert stored(picture.fallback[1].url, media_root).format == "JPEG"


def test_images_with_transparency_fall_back_to_png(media_root):
    article = article_with_header(image_file((600, 300), mode="RGBA"))
    picture = images.responsive_image(article.header_image)
    assert picture.fallback_type == "image/png"
    assert stored(picture.fallback[0].url, media_root).mode == "RGBA"


def test_large_originals_are_not_served_wider_than_the_widest_rendition(media_root):
    article = article_with_header(image_file((3000, 1000)))
    picture = images.responsive_image(article.header_image)
    assert [r.width for r in picture.fallback] == [480, 800, 1200, 1600]
    assert (picture.width, picture.height) == (1600, 533)


def test_renditions_are_made_once_and_then_read_from_disk(monkeypatch):
    article = article_with_header(image_file((1000, 500)))
    first = images.responsive_image(article.header_image)
    cache.clear()  # a new process: nothing remembered but the files on disk

    def must_not_resize(*args, **kwargs):
        raise AssertionError("renditions were made again")

    monkeypatch.setattr(images, "_make", must_not_resize)
    assert images.responsive_image(article.header_image) == first


def test_page_views_do_not_decode_images_again(client, monkeypatch):
    article = article_with_header(image_file((1000, 500)))
    client.get(article.get_absolute_url())
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("Pillow opened an image during a page view"))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_part_page_serves_a_picture_with_srcset_sizes_and_explicit_dimensions(client):
    article = article_with_header(image_file((1000, 500)))
    page = BeautifulSoup(client.get(article.get_absolute_url()).content.decode(), "html.parser")
    source = page.select_one("picture.header-image source")
    img = page.select_one("picture.header-image img")
    assert source["type"] == "image/webp"
    assert source["srcset"].count(".webp") == 3 and "480w" in source["srcset"]
    assert img["srcset"].count(".jpg") == 3 and "1000w" in img["srcset"]
    assert img["sizes"] == source["sizes"]
    assert (img["width"], img["height"]) == ("1000", "500")
    assert img["alt"] == "見出しの写真"


def test_an_upload_pillow_cannot_read_is_shown_as_it_is_without_breaking_the_page(client, caplog):
    article = article_with_header(ContentFile(b"not an image at all"), name="broken.png")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    img = page.select_one("img.header-image")
    assert img["src"] == article.header_image.url and img["alt"] == "見出しの写真"
    assert "No renditions for articles/headers/" in caplog.text


def test_an_image_over_the_pixel_limit_gets_no_renditions(settings, caplog):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    article = article_with_header(image_file((200, 200)))
    assert images.responsive_image(article.header_image) is None
    assert "IMAGE_MAX_PIXELS" in caplog.text
