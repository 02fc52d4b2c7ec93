"""People who appear at a public roundtable, in sitemap.xml."""

from forum.sitemaps import SiteSitemap
from articles.visibility import public_people


class PersonSitemap(SiteSitemap):
    def items(self):
        return public_people().only("pk", "updated_at").order_by("pk")

    def lastmod(self, person):
        return person.updated_at
