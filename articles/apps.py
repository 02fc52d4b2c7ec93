from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("記事")

    def ready(self):
        # Register the part and its children with django-reversion in every process.
        from articles import versioning  # noqa: F401

        # Keep the search index current on every save (signals).
        from articles.search import index  # noqa: F401

        # Line breaks and ふりがな worked out again when the reading dictionary or a reading changes.
        from articles import readings  # noqa: F401

        # The stored body of each part (articles.renditions) made stale when anything it prints changes.
        from articles import renditions  # noqa: F401
