"""Uploaded images: real JPEG/PNG/WebP only, within limits, without GPS — on every path in."""

import io
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import ExifTags, Image, ImageFile

from articles.models import Figure, Section
from forum.images.validation import sanitise_image
from participants.models import Person
from tests.support.factories import make_article, make_long_article
from tests.support.images import TOKYO_CITY_HALL, photo_bytes, upload
from tests.support.staff import change_form, change_url, make_editor, save

SVG_WITH_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script>
<rect width="10" height="10" fill="red"/></svg>"""


def gps_of(file_or_bytes):
    image = Image.open(io.BytesIO(file_or_bytes) if isinstance(file_or_bytes, bytes) else file_or_bytes)
    image.load()
    return image.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def refusal(file):
    with pytest.raises(ValidationError) as error:
        sanitise_image(file)
    return error.value.messages[0], error.value.code


@pytest.mark.parametrize("fmt,extension", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_location_is_stripped_and_orientation_kept(fmt, extension):
    original = photo_bytes(fmt)
    assert gps_of(original) == TOKYO_CITY_HALL
    clean = sanitise_image(upload(f"会議.{extension}", original))
    cleaned = clean.read()
    assert gps_of(cleaned) == {}
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == fmt and image.size == (64, 48)
    assert image.getexif()[ExifTags.Base.Orientation] == 6
    assert clean.name == f"会議.{extension}"


def test_the_bytes_decide_the_format_not_the_name():
    clean = sanitise_image(upload("photo.jpg", photo_bytes("PNG"), "image/jpeg"))
    assert clean.name == "photo.png" and clean.content_type == "image/png"


@pytest.mark.parametrize(
    "name,content,content_type",
    [
        ("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("logo.png", SVG_WITH_SCRIPT, "image/png"),  # an SVG pretending to be a PNG
        ("anim.gif", None, "image/gif"),
        ("notes.jpg", "議事録です".encode(), "image/jpeg"),
    ],
)
def test_anything_but_jpeg_png_webp_is_refused_with_a_clear_message(name, content, content_type):
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8)).save(buffer, "GIF")
        content = buffer.getvalue()
    message, code = refusal(upload(name, content, content_type))
    assert code == "image_format"
    assert f"「{name}」は JPEG・PNG・WebP の画像ではありません" in message and "SVG" in message


def test_decompression_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    bomb = photo_bytes("PNG", size=(8000, 6000), mode="1", gps=False, optimize=True)  # 48M pixels
    assert len(bomb) < 200_000

    def decoding(*args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoding)
    message, code = refusal(upload("bomb.png", bomb, "image/png"))
    assert code == "image_too_many_pixels" and "画素数が多すぎます" in message and "40,000,000" in message


def test_bomb_past_pillows_own_limit_gets_the_same_clear_message():
    bomb = photo_bytes("PNG", size=(9000, 9000), mode="1", gps=False)  # 81M: Pillow's error, not warning
    assert Image.MAX_IMAGE_PIXELS == 40_000_000
    message, code = refusal(upload("bomb.png", bomb, "image/png"))
    assert code == "image_too_many_pixels"


def test_file_over_the_byte_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1000
    message, code = refusal(
        upload("big.png", photo_bytes("PNG", size=(200, 200), gps=False) + b"\0" * 2000, "image/png")
    )
    assert code == "image_too_large" and "1000" in message.replace(",", "").replace("\u00a0", "")


def test_truncated_and_animated_images_are_refused():
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 64).save(buffer, "JPEG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    assert refusal(upload("cut.jpg", truncated))[1] == "image_corrupt"
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:])
    assert refusal(upload("anim.png", buffer.getvalue(), "image/png"))[1] == "image_animated"


@pytest.mark.django_db
def test_model_validation_and_saving_in_code_follow_the_same_rules():
    section = Section.objects.create(article=make_article(), position=1)
    figure = Figure(section=section, position=1, alt_text="図", image=upload("x.svg", SVG_WITH_SCRIPT, "image/svg+xml"))
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "image" in error.value.message_dict
    figure.image = upload("photo.jpg", photo_bytes("JPEG"))
    figure.save()
    with figure.image.open("rb") as stored:
        assert gps_of(stored.read()) == {}


@pytest.mark.django_db
def test_admin_refuses_an_svg_header_image_beside_the_field_and_keeps_the_typing(client):
    client.force_login(make_editor())
    article = make_long_article(1, published=False)
    data = change_form(client, article)
    data.update(
        {
            "title": "題を直しました",
            "header_image_alt": "集合写真",
            "header_image": upload("header.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        }
    )
    response = save(client, article, data)
    assert response.status_code == 200
    assert "JPEG・PNG・WebP の画像ではありません" in response.text
    assert 'value="題を直しました"' in response.text
    article.refresh_from_db()
    assert not article.header_image and article.title != "題を直しました"


@pytest.mark.django_db
def test_admin_stores_figures_without_location(client):
    client.force_login(make_editor())
    article = make_long_article(1, published=False)
    data = change_form(client, article)
    image_field = next(name for name in data if name.endswith("-figures-0-alt_text")).replace("alt_text", "image")
    data[image_field.replace("image", "alt_text")] = "会議室で話す4人"
    data[image_field] = upload("IMG_0001.JPG", photo_bytes("JPEG"))
    response = save(client, article, data)
    assert response.status_code == 302, response.text[:3000]
    figure = Figure.objects.get(section__article=article)
    assert figure.image.name.endswith(".jpg")
    with figure.image.open("rb") as stored:
        assert gps_of(stored.read()) == {}


@pytest.mark.django_db
def test_person_photo_follows_the_same_rules(admin_client):
    person = Person.objects.create(name="高橋 晃")
    url = reverse("admin:participants_person_change", args=[person.pk])
    response = admin_client.post(
        url,
        {
            "name": "高橋 晃",
            "reading": "",
            "slug": "",
            "profile": "",
            "photo_alt": "高橋さん",
            "photo": upload("me.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        },
    )
    assert response.status_code == 200 and "JPEG・PNG・WebP の画像ではありません" in response.text
    response = admin_client.post(
        url,
        {
            "name": "高橋 晃",
            "reading": "",
            "slug": "",
            "profile": "",
            "photo_alt": "高橋さん",
            "photo": upload("me.webp", photo_bytes("WEBP"), "image/webp"),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    with person.photo.open("rb") as stored:
        assert gps_of(stored.read()) == {}


@pytest.mark.django_db
def test_markdownx_upload_checks_and_cleans_like_the_fields(client, settings):
    upload_url = reverse("markdownx_upload")
    ajax = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    anonymous = client.post(upload_url, {"image": upload("a.jpg", photo_bytes())}, **ajax)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    client.force_login(make_editor())
    refused = client.post(upload_url, {"image": upload("x.png", SVG_WITH_SCRIPT, "image/png")}, **ajax)
    assert refused.status_code == 400
    assert "JPEG・PNG・WebP の画像ではありません" in refused.json()["__all__"][0]

    accepted = client.post(upload_url, {"image": upload("photo.jpg", photo_bytes("PNG"), "image/jpeg")}, **ajax)
    assert accepted.status_code == 200
    code = accepted.json()["image_code"]
    assert code.startswith("![](/media/markdownx/") and code.endswith(".png)")
    stored = settings.MEDIA_ROOT / code[len("![](/media/") : -1]
    assert gps_of(stored.read_bytes()) == {}


def test_file_inputs_offer_only_the_allowed_types():
    from articles.admin import ArticleAdmin  # noqa: F401  (admin registered)
    from articles.models import Article

    field = Article._meta.get_field("header_image").formfield()
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"


@pytest.mark.django_db
def test_stored_images_get_random_names_so_draft_photos_cannot_be_guessed():
    section = Section.objects.create(article=make_article(published=False), position=1)
    first = Figure.objects.create(
        section=section, position=1, alt_text="市長", image=upload("会見前_市長.jpg", photo_bytes("JPEG"))
    )
    second = Figure.objects.create(
        section=section, position=2, alt_text="市長", image=upload("会見前_市長.jpg", photo_bytes("JPEG"))
    )
    names = [os.path.basename(figure.image.name) for figure in (first, second)]
    assert all("市長" not in name and re.fullmatch(r"[0-9a-f]{32}\.jpe?g", name) for name in names), names
    assert names[0] != names[1]
