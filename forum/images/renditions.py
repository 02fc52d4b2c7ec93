"""Responsive image renditions: several widths, WebP plus a JPEG/PNG fallback.

Made with Pillow the first time an image is shown, then kept on disk (in the media
storage, under renditions/<original name>/) with a small index.json, and remembered in
the cache, so a page view never resizes anything. The original upload is never changed.

Uploads are untrusted: anything Pillow cannot read, or larger than IMAGE_MAX_PIXELS, gets
no renditions (the page shows the original as it is) and a warning in the log.
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200, 1600)
ROOT = "renditions"
VERSION = 1  # bump when the way renditions are made changes
FAILED_RETRY_SECONDS = 300


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class ResponsiveImage:
    """What <picture> needs: WebP and fallback renditions, narrowest first."""

    webp: tuple
    fallback: tuple
    fallback_type: str  # image/jpeg or image/png

    @property
    def largest(self):
        return self.fallback[-1]

    @property
    def width(self):
        return self.largest.width

    @property
    def height(self):
        return self.largest.height

    @staticmethod
    def _srcset(renditions):
        return ", ".join(f"{r.url} {r.width}w" for r in renditions)

    @property
    def webp_srcset(self):
        return self._srcset(self.webp)

    @property
    def fallback_srcset(self):
        return self._srcset(self.fallback)

    def fallback_at_most(self, width):
        """The widest fallback rendition not wider than `width` (for og:image)."""
        fitting = [r for r in self.fallback if r.width <= width]
        return fitting[-1] if fitting else self.fallback[0]


def _folder(name):
    return f"{ROOT}/{name}"


def _cache_key(name):
    # The storage's location is part of the key: two media folders never share entries.
    where = getattr(default_storage, "location", "") or default_storage.__class__.__name__
    return f"renditions:v{VERSION}:" + hashlib.sha1(f"{where}\0{name}".encode()).hexdigest()


def _from_index(data):
    def load(rows):
        return tuple(Rendition(default_storage.url(row["name"]), row["width"], row["height"]) for row in rows)

    return ResponsiveImage(load(data["webp"]), load(data["fallback"]), data["fallback_type"])


def responsive_image(field_file):
    """Return the ResponsiveImage of an ImageField's file, making it once; None if impossible."""
    if not field_file or not field_file.name:
        return None
    name = field_file.name
    key = _cache_key(name)
    data = cache.get(key)
    if data is None:
        data = _read_index(name) or _make(field_file) or {}
        # A failure is remembered for a while only, so a fixed file gets its renditions.
        cache.set(key, data, None if data else FAILED_RETRY_SECONDS)
    return _from_index(data) if data else None


def _read_index(name):
    index = f"{_folder(name)}/index.json"
    try:
        with default_storage.open(index) as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    return data if data.get("version") == VERSION else None


def _open_checked(field_file):
    with field_file.storage.open(field_file.name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValueError(f"{width}×{height} pixels is more than IMAGE_MAX_PIXELS")
    # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still at least as large as the
    # widest rendition: a 36-megapixel photo takes a quarter of the memory and time.
    image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
    image.load()
    return ImageOps.exif_transpose(image)


def _make(field_file):
    name = field_file.name
    try:
        image = _open_checked(field_file)
    except (FileNotFoundError, OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        logger.warning("No renditions for %s: %s", name, error)
        return None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    widths = sorted({w for w in WIDTHS if w < image.width} | {min(image.width, WIDTHS[-1])})
    fallback_ext, fallback_format = ("png", "PNG") if has_alpha else ("jpg", "JPEG")
    data = {
        "version": VERSION,
        "source": name,
        "webp": [],
        "fallback": [],
        "fallback_type": f"image/{'png' if has_alpha else 'jpeg'}",
    }
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for kind, ext, fmt, options in (
            ("webp", "webp", "WEBP", {"quality": 80, "method": 4}),
            (
                "fallback",
                fallback_ext,
                fallback_format,
                {"optimize": True} if has_alpha else {"quality": 82, "optimize": True, "progressive": True},
            ),
        ):
            buffer = io.BytesIO()
            resized.save(buffer, format=fmt, **options)
            target = f"{_folder(name)}/{width}.{ext}"
            if default_storage.exists(target):
                default_storage.delete(target)
            saved = default_storage.save(target, ContentFile(buffer.getvalue()))
            data[kind].append({"name": saved, "width": width, "height": height})
    index = f"{_folder(name)}/index.json"
    if default_storage.exists(index):
        default_storage.delete(index)
    default_storage.save(index, ContentFile(json.dumps(data).encode("utf-8")))
    return data
