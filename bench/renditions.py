"""Time and peak memory of the first renditions of a 36-megapixel JPEG (7360×4912), with the
reduced-scale decode forum.images uses and, for comparison, with a full decode. Each run is
a fresh process, so its peak resident memory is the run's own.

    .venv/bin/python bench/renditions.py
"""

import subprocess
import sys
from pathlib import Path

RUN = r"""
import io, os, resource, sys, tempfile, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()
import django; django.setup()
from django.core.files.storage import default_storage
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from PIL import Image
from forum.images import renditions as images
data = open({photo!r}, "rb").read()
name = default_storage.save("big.jpg", ContentFile(data))
if {full}:
    from PIL import JpegImagePlugin; JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
made = images._make(type("F", (), {{"name": name, "storage": default_storage}})())
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{{elapsed:.2f}} {{(peak - before) / 1024:.0f}} {{len(data) / 1e6:.1f}} {{len(made['webp'])}}")
"""


def photo(path):
    """A 36-megapixel JPEG with some texture (a gradient with noise), as a camera makes."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((7360, 4912))
    noise = Image.effect_noise((7360, 4912), 25)
    Image.merge("RGB", (gradient, noise, Image.blend(gradient, noise, 0.5))).save(path, "JPEG", quality=85)


def run(full, path):
    code = RUN.format(root=str(Path(__file__).resolve().parent.parent), full=full, photo=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.split()


def main():
    import tempfile

    path = Path(tempfile.mkdtemp()) / "36mp.jpg"
    # In a process of its own: Linux keeps the peak memory of a parent across fork and exec.
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"from renditions import photo; photo({str(path)!r})",
        ],
        check=True,
    )
    for label, full in (("reduced-scale decode (as served)", False), ("full decode (before)", True)):
        seconds, megabytes, size, widths = run(full, path)
        print(f"{label:34s} {seconds:>6s} s  peak +{megabytes:>4s} MB  ({size} MB JPEG, {widths} widths × 2 formats)")


if __name__ == "__main__":
    main()
