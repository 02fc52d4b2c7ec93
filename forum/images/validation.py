"""The one place that decides whether an uploaded image may be stored, and cleans it.

Every way an image enters the site goes through here (forum.images.renditions, beside it, makes the
responsive renditions of what was stored): the image fields of parts,
figures and people (forum.images.fields.SafeImageField) and markdownx's upload endpoint.

- Only real JPEG, PNG and WebP files: the bytes are identified by Pillow, never by the
  file name or the browser's content type. SVG (which can carry scripts), GIF, PDF and
  anything else are refused.
- Size and pixel limits (settings.IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS) are checked on the
  header, before any pixel is decoded; Pillow's own decompression-bomb guard is set to
  the same limit and its warning is treated as an error.
- Stored images are re-encoded from their pixels (JPEG with its own quality tables) with
  no metadata but the EXIF orientation and the colour profile: the GPS location, capture
  dates, camera and lens serial numbers, Artist, ImageDescription, XMP, comments, PNG text
  chunks and anything appended to the file are dropped.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

# Pillow format name → (file extension, content type)
ALLOWED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
ACCEPT_ATTRIBUTE = ",".join(content_type for _ext, content_type in ALLOWED_FORMATS.values())


@dataclass
class ImageInfo:
    format: str
    width: int
    height: int


def apply_pillow_limit():
    """Make Pillow refuse to open images over the project's pixel limit."""
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    return size


def _name_of(file):
    return PurePath(getattr(file, "name", "") or "image").name


def too_large_message(name, size):
    """The message for a file over IMAGE_MAX_BYTES; `size` as the site prints it (12.0 MB)."""
    return _("「%(name)s」は%(size)sあります。画像は%(max)sまでにしてください。") % {
        "name": name,
        "size": size,
        "max": filesizeformat(settings.IMAGE_MAX_BYTES),
    }


def format_message(name):
    return _(
        "「%(name)s」は JPEG・PNG・WebP の画像ではありません。"
        "写真は JPEG・PNG・WebP で保存してから選んでください(SVG・GIF・PDF などは使えません)。"
    ) % {"name": name}


def browser_check_attributes():
    """The limits and messages above for the admin's script (static/js/image-check.js), which
    checks a chosen file before it is uploaded: {name} and {size} are filled in there."""
    return {
        "data-image-max-bytes": str(settings.IMAGE_MAX_BYTES),
        "data-image-too-large": too_large_message("{name}", "{size}"),
        "data-image-format": format_message("{name}"),
    }


def _open(file):
    """Open (header only) within the limits, or raise ValidationError saying why."""
    name = _name_of(file)
    size, max_bytes = _size_of(file), settings.IMAGE_MAX_BYTES
    if size > max_bytes:
        raise ValidationError(too_large_message(name, filesizeformat(size)), code="image_too_large")
    apply_pillow_limit()
    too_many_pixels = ValidationError(
        _("「%(name)s」は画素数が多すぎます。%(max)s画素までの画像にしてください。")
        % {"name": name, "max": f"{settings.IMAGE_MAX_PIXELS:,}"},
        code="image_too_many_pixels",
    )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(format_message(name), code="image_format") from None
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise too_many_pixels
    if getattr(image, "n_frames", 1) > 1:
        raise ValidationError(
            _("「%(name)s」は動く画像(アニメーション)です。静止画を選んでください。") % {"name": name},
            code="image_animated",
        )
    return image


def inspect_image(file):
    """Check format, bytes and pixels from the header alone; return ImageInfo."""
    image = _open(file)
    info = ImageInfo(image.format, *image.size)
    file.seek(0)  # the caller's file stays open: Pillow did not open it, so it must not close it
    return info


def _orientation_only(exif):
    """A new EXIF block holding nothing but the orientation (when the image has one)."""
    kept = Image.Exif()
    orientation = exif.get(ExifTags.Base.Orientation)
    if orientation and orientation != 1:
        kept[ExifTags.Base.Orientation] = orientation
    return kept


def sanitise_image(file):
    """Validate `file` and return a new upload re-encoded from its pixels, without metadata.

    Raises ValidationError with a message for the editor when the file may not be stored.
    The returned file carries `sanitised = True` so that it is not processed twice.
    """
    image = _open(file)
    name = _name_of(file)
    try:
        image.load()
    except Exception:  # Pillow raises many kinds for truncated or corrupt data
        raise ValidationError(
            _("「%(name)s」は壊れているか、途中までしか保存されていません。もう一度保存した画像を選んでください。")
            % {"name": name},
            code="image_corrupt",
        ) from None
    extension, content_type = ALLOWED_FORMATS[image.format]
    options = {}
    exif = _orientation_only(image.getexif())
    if len(exif):
        options["exif"] = exif.tobytes()
    image.info.pop("comment", None)  # Pillow would copy a JPEG comment over
    image.info.pop("xmp", None)
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image.format == "JPEG":
        options["quality"] = "keep"
    elif image.format == "WEBP":
        options["quality"] = 90
    output = io.BytesIO()
    image.save(output, format=image.format, **options)
    stem = PurePath(name).stem or "image"
    clean = SimpleUploadedFile(f"{stem}.{extension}", output.getvalue(), content_type=content_type)
    clean.sanitised = True
    clean.image_info = ImageInfo(image.format, *image.size)
    return clean
