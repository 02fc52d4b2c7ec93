"""Images made with Pillow for the tests: bytes, files for ImageFields, uploads, camera photos."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw

#: A colour for each mode Image.new is given here; the RGBA one is half transparent.
DEFAULT_COLOURS = {"RGB": (200, 80, 40), "RGBA": (200, 80, 40, 128), "1": 1}
#: EXIF GPS tags of a photo taken at Tokyo's city hall.
TOKYO_CITY_HALL = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}


def image_bytes(size=(64, 48), colour=None, fmt="PNG", mode="RGB", frame=False, **options):
    """An image of one colour, encoded as `fmt`; `frame` draws a white rectangle in it (so that
    a screenshot shows where it is cropped). Extra options go to Image.save."""
    image = Image.new(mode, size, DEFAULT_COLOURS[mode] if colour is None else colour)
    if frame:
        ImageDraw.Draw(image).rectangle(
            [size[0] // 8, size[1] // 4, size[0] * 7 // 8, size[1] * 3 // 4], outline="white", width=10
        )
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def image_file(size=(64, 48), colour=None, fmt="PNG", mode="RGB", frame=False, name=None):
    """The same image as a file for an ImageField (`name` may be left to FieldFile.save)."""
    return ContentFile(image_bytes(size, colour, fmt, mode, frame), name=name)


def upload(name, content, content_type="image/jpeg"):
    """A file as a browser uploads it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo_bytes(fmt="JPEG", size=(64, 48), gps=True, mode="RGB", **options):
    """A photo as a camera writes it: rotated (EXIF orientation 6), with the camera's make and,
    unless gps=False, where it was taken (TOKYO_CITY_HALL)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Canon"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = TOKYO_CITY_HALL
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode == "1" else "blue").save(buffer, fmt, exif=exif.tobytes(), **options)
    return buffer.getvalue()
