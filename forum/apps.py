from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("フォーラムと座談会")

    def ready(self):
        # Pillow's decompression-bomb guard, at the project's pixel limit, for every opener.
        from forum.images.validation import apply_pillow_limit

        apply_pillow_limit()

        # Every save or delete of public content gives the public pages a new version.
        from forum.page_cache import connect_signals

        connect_signals()

        # Permission names in Japanese after every migrate (forum/permissions.py).
        from forum.permissions import connect

        connect()
