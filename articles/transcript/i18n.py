"""Message marking for the parser: Django's gettext when Django is set up, else the text.

Django is imported only when a message is translated, never when the parser is imported,
so the parser runs (and its tests run) without Django installed or configured.
"""


def _(message: str) -> str:
    """Translate a Japanese source message with Django when available and configured."""
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.utils.translation import gettext
    except ImportError:
        return message
    try:
        return gettext(message)
    except ImproperlyConfigured:
        return message
