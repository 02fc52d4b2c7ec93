"""Where images enter the site, each checked and cleaned by forum.images.validation.

- SafeImageField: the model field of every image (part header, figure, person photo).
  Its form field validates and cleans the upload while the editor is still on the form
  (errors appear beside the field); its pre_save cleans files assigned in code too.
- ImageUploadView: markdownx's image upload (drag an image into a turn's body), behind the
  staff login, with the same rules instead of trusting the browser's content type.
"""
import os
import uuid

from django import forms
from django.db import models
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView as MarkdownxImageUploadView

from forum.images.validation import ACCEPT_ATTRIBUTE, inspect_image, sanitise_image


def validate_image_upload(value):
    """Model-level check (full_clean) of a newly assigned file; stored files are trusted."""
    if value and not getattr(value, "_committed", True):
        inspect_image(value.file)


class SafeImageFormField(forms.ImageField):
    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return sanitise_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT_ATTRIBUTE
        return attrs


class SafeImageField(models.ImageField):
    """An ImageField that stores only real JPEG/PNG/WebP within limits, without GPS data."""

    default_validators = [validate_image_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})

    def generate_filename(self, instance, filename):
        """Store under a random name: an editor's file name can say more than it should
        (会見前_市長.jpg), and a draft's images must not be found by guessing their URL
        before the part is published."""
        extension = os.path.splitext(filename)[1].lower()
        return super().generate_filename(instance, f"{uuid.uuid4().hex}{extension}")

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed and not getattr(file.file, "sanitised", False):
            clean = sanitise_image(file.file)
            file.file, file.name = clean, clean.name
        return super().pre_save(model_instance, add)


class SafeMarkdownxImageForm(ImageForm):
    def clean(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            raise MarkdownxImageUploadError.not_uploaded()
        self.cleaned_data["image"] = sanitise_image(upload)
        return self.cleaned_data

    def save(self, commit=True):
        image = self.cleaned_data["image"]
        return self._save(image, image.name, commit)


class ImageUploadView(MarkdownxImageUploadView):
    form_class = SafeMarkdownxImageForm
