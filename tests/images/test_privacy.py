"""Public images carry no metadata but orientation and colour profile, and a draft's images
are for staff only until a public part uses them (issue 15, point 8)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image, ImageCms

from articles.models import ArticleStatus, Figure
from forum.images.validation import sanitise_image
from forum.images.renditions import responsive_image
from tests.support.factories import make_long_article

SECRETS = ("Taro Photographer", "市長の非公開の会見", "SN-0042-7781", "2026:11:30 09:15:00")


def image_with_everything(fmt):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Artist] = SECRETS[0]
    exif[ExifTags.Base.ImageDescription] = "private meeting"
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.DateTime] = SECRETS[3]
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    exif_ifd[ExifTags.Base.BodySerialNumber] = SECRETS[2]
    exif_ifd[ExifTags.Base.DateTimeOriginal] = SECRETS[3]
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (35.0, 41.0, 22.0)}
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    options = {"exif": exif.tobytes(), "icc_profile": profile}
    if fmt == "JPEG":
        options["comment"] = SECRETS[1].encode()
    if fmt == "WEBP":
        options["xmp"] = f"<x:xmpmeta><dc:creator>{SECRETS[0]}</dc:creator></x:xmpmeta>".encode()
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Author", SECRETS[0])
        info.add_itxt("Description", SECRETS[1])
        options["pnginfo"] = info
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, fmt, **options)
    return buffer.getvalue(), profile


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_only_orientation_and_colour_profile_survive_an_upload(fmt):
    original, profile = image_with_everything(fmt)
    assert SECRETS[0].encode() in original
    clean = sanitise_image(SimpleUploadedFile(f"x.{fmt.lower()}", original)).read()
    for secret in SECRETS:
        assert secret.encode() not in clean, secret
        assert secret.encode("utf-16-be") not in clean
    assert b"Canon" not in clean and b"private meeting" not in clean
    image = Image.open(io.BytesIO(clean))
    exif = image.getexif()
    assert dict(exif) == {ExifTags.Base.Orientation: 6}
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {} and exif.get_ifd(ExifTags.IFD.Exif) == {}
    assert image.info.get("icc_profile") == profile
    assert not image.info.get("comment") and not image.info.get("xmp")
    assert not {"Author", "Description"} & set(image.info)


def png(colour="navy", size=(900, 500)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="p.png")


@pytest.fixture
def draft_figure(db):
    article = make_long_article(2, published=False)
    figure = Figure.objects.filter(section__article=article).first()
    figure.image, figure.alt_text = png(), "画像"
    figure.save()
    return article, figure


def test_a_drafts_image_and_its_renditions_are_staff_only_until_the_part_is_public(
    client, draft_figure, django_user_model
):
    article, figure = draft_figure
    original = figure.image.url
    rendition = responsive_image(figure.image).webp[0].url
    for url in (original, rendition):
        assert client.get(url).status_code == 404, url
    staff = django_user_model.objects.create_user("staff", password="pw-x-123456", is_staff=True)
    other = client.__class__()
    other.force_login(staff)
    for url in (original, rendition):
        response = other.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    article.status, article.publish_at = ArticleStatus.PUBLISHED, timezone.now() + datetime.timedelta(days=1)
    article.save()
    assert client.get(original).status_code == 404  # scheduled: not public yet
    article.publish_at = timezone.now() - datetime.timedelta(minutes=1)
    article.save()
    for url in (original, rendition):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=86400"
        assert (
            b"".join(response.streaming_content)
            == open(
                figure.image.path if url == original else figure.image.storage.path(url.removeprefix("/media/")), "rb"
            ).read()
        )


def test_markdown_uploads_are_public_only_once_a_public_turn_shows_them(client, demo, settings):
    from articles.models import SpeakerTurn

    (settings.MEDIA_ROOT / "markdownx").mkdir(parents=True)
    (settings.MEDIA_ROOT / "markdownx" / "abc123.png").write_bytes(png().read())
    url = "/media/markdownx/abc123.png"
    assert client.get(url).status_code == 404
    turn = SpeakerTurn.objects.filter(section__article=demo).first()
    turn.body += f"\n\n![]({url})"
    turn.save()
    assert client.get(url).status_code == 200


def test_media_paths_outside_the_media_folder_or_of_unknown_files_are_404(client, db):
    for url in ("/media/../forum/settings.py", "/media/%2e%2e/forum/settings.py", "/media/nothing.png"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert b"SECRET_KEY" not in response.content
    assert client.post("/media/nothing.png").status_code in (403, 405)


def test_the_first_rendition_of_a_large_jpeg_decodes_it_at_a_reduced_scale(db, monkeypatch):
    """A 36-megapixel photo is decoded at 1/2 or 1/4 scale (JPEG draft mode), not in full."""
    from forum.images import renditions as images

    buffer = io.BytesIO()
    Image.new("RGB", (7360, 4912), "olive").save(buffer, format="JPEG", quality=60)
    decoded = []
    real_load = Image.Image.load

    def spy(self):
        if self.format == "JPEG":
            decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(Image.Image, "load", spy)
    article = make_long_article(1)
    figure = Figure.objects.filter(section__article=article).first()
    figure.image, figure.alt_text = ContentFile(buffer.getvalue(), name="big.jpg"), "大きな写真"
    Figure.objects.filter(pk=figure.pk).update(image=figure.image.storage.save("big.jpg", figure.image))
    figure.refresh_from_db()
    decoded.clear()
    made = images.responsive_image(figure.image)
    assert made is not None and made.largest.width == 1600
    assert decoded and max(w * h for w, h in decoded) <= 7360 * 4912 / 4
