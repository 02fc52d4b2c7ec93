"""Form fields for editors: lists typed one per line, full- and half-width alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.conventions import POST_JOINER


class PostListField(forms.CharField):
    """Posts (役職) typed one per line, or on one line joined by 兼; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 2, "cols": 40})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("1行に1つ、または「兼」でつないで入力。例: 総務部長兼情報システム担当部長"))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        posts = []
        for line in text.splitlines():
            posts.extend(part.strip() for part in line.split(POST_JOINER))
        return [post for post in posts if post]

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)
