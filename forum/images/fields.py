"""Where images enter the site, each checked and cleaned by forum.images.validation.

- SafeImageField: the model field of every image (part header, figure, person photo).
  Its form field validates and cleans the upload while the editor is still on the form
  (errors appear beside the field); its pre_save cleans files assigned in code too.
- ImageUploadView: markdownx's image upload (drag an image into a turn's body), behind the
  staff login, with the same rules instead of trusting the browser's content type.
  markdownx's widget always posts with X-Requested-With; any other request (a form post,
  a GET) gets a 4xx with a Japanese message instead of markdownx's 500.
- MarkdownPreviewView: markdownx's live preview, answering 400 when `content` is missing.
"""

import os
import uuid

from django import forms
from django.db import models
from django.http import JsonResponse
from django.utils.translation import gettext as _
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView as MarkdownxImageUploadView
from markdownx.views import MarkdownifyView

from forum.images.validation import ACCEPT_ATTRIBUTE, browser_check_attributes, inspect_image, sanitise_image


def validate_image_upload(value):
    """Model-level check (full_clean) of a newly assigned file; stored files are trusted."""
    if value and not getattr(value, "_committed", True):
        inspect_image(value.file)


class CheckedImageWidgetMixin:
    """A file input that shows a thumbnail of the stored image and loads the script that checks
    a chosen file's type and size in the browser (the server checks again)."""

    thumbnail_template_name = "forum/widgets/checked_image_input.html"  # app dir: the form renderer's

    class Media:
        js = ["js/image-check.js"]
        css = {"all": ["css/image-check.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["file_template_name"] = self.file_template_name
        instance = getattr(value, "instance", None)
        if value and getattr(value, "url", None) and instance is not None:
            field_name = value.field.name
            alt = getattr(instance, f"{field_name}_alt", None) or getattr(instance, "alt_text", None) or ""
            context["widget"]["thumbnail"] = {
                "url": value.url,
                "alt": _("今の画像: %(alt)s") % {"alt": alt} if alt.strip() else _("今の画像(代替テキストなし)"),
            }
        return context


_CHECKED_WIDGETS = {}


def checked_widget(widget):
    """The same widget, with a thumbnail and the browser check (CheckedImageWidgetMixin)."""
    cls = type(widget)
    if not issubclass(cls, forms.FileInput) or issubclass(cls, CheckedImageWidgetMixin):
        return widget
    if cls not in _CHECKED_WIDGETS:
        _CHECKED_WIDGETS[cls] = type(
            f"Checked{cls.__name__}",
            (CheckedImageWidgetMixin, cls),
            {"template_name": CheckedImageWidgetMixin.thumbnail_template_name, "file_template_name": cls.template_name},
        )
    widget.__class__ = _CHECKED_WIDGETS[cls]
    return widget


class SafeImageFormField(forms.ImageField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget = checked_widget(self.widget)

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return sanitise_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT_ATTRIBUTE
        if isinstance(widget, forms.FileInput):
            attrs.update(browser_check_attributes())
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


def _is_widget_request(request):
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


class ImageUploadView(MarkdownxImageUploadView):
    form_class = SafeMarkdownxImageForm
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not _is_widget_request(request):
            return JsonResponse(
                {"image": [_("画像は発言の入力欄にドラッグして追加してください(この送り方には対応していません)。")]},
                status=400,
            )
        return super().post(request, *args, **kwargs)


class MarkdownPreviewView(MarkdownifyView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if "content" not in request.POST:
            return JsonResponse({"content": [_("プレビューする本文(content)がありません。")]}, status=400)
        return super().post(request, *args, **kwargs)
