"""Public parts in sitemap.xml, with the time they last changed."""

from articles.visibility import public_parts
from forum.sitemaps import SiteSitemap


class ArticleSitemap(SiteSitemap):
    def items(self):
        return public_parts().only("slug", "updated_at", "publish_at").order_by("publish_at", "pk")

    def lastmod(self, article):
        # A part scheduled long ago changes, to the public, when it appears.
        return max(article.updated_at, article.publish_at)
